//! The `cloak` command: parses flags, calls the library, maps the outcome to an
//! exit code.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::args::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("cloak: error: {err}");
            cli::Outcome::from_error(&err).into()
        }
    }
}
