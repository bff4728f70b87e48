//! Reading the inputs named on the command line.

use std::io::Read;
use std::path::{Path, PathBuf};

use cloak::Error;

/// One input: a file or standard input.
pub(crate) struct Input {
    /// The name shown in output: the path as given, or `-`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The inputs to read: the files given, or standard input when none (or `-`).
pub(crate) fn names(files: &[PathBuf]) -> Vec<PathBuf> {
    if files.is_empty() { vec![PathBuf::from("-")] } else { files.to_vec() }
}

/// Reads one input whole.
pub(crate) fn read(path: &Path) -> Result<Input, Error> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes).map_err(|e| Error::io(Path::new("<stdin>"), e))?;
        return Ok(Input { name: "-".to_string(), bytes });
    }
    if path.is_dir() {
        return Err(Error::io(path, std::io::Error::other("is a directory")));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(Input { name: path.display().to_string(), bytes })
}

/// Character offsets of byte offsets, counted the way a UTF-8 decoder counts
/// characters: every byte that is not a continuation byte starts one. Exact on
/// valid UTF-8; on invalid input each stray byte counts as one character.
pub(crate) struct CharCounter<'a> {
    text: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    pub(crate) fn new(text: &'a [u8]) -> CharCounter<'a> {
        CharCounter { text, byte: 0, chars: 0 }
    }

    /// The char offset of byte offset `pos`; calls must come in increasing `pos`
    /// order for linear cost (an earlier `pos` restarts the count).
    pub(crate) fn at(&mut self, pos: usize) -> usize {
        if pos < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..pos].iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.byte = pos;
        self.chars
    }
}
