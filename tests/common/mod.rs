//! Helpers shared by the integration tests.

use std::io::Write;
use std::process::{Child, Output};

/// Writes `input` to the child's standard input from another thread while
/// its output is read: written first, an input larger than the pipes would
/// block both sides once the child's output pipe is full.
pub fn feed_all(mut child: Child, input: Vec<u8>) -> Output {
    let mut stdin = child.stdin.take().expect("the child's stdin is piped");
    let writer = std::thread::spawn(move || {
        // The child may stop reading early (an error); its output says why.
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("the child's output is read");
    writer.join().expect("the writer thread ends");
    output
}
