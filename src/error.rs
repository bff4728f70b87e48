//! The crate's error type.
//!
//! Errors come from configuration (packs, policies, gold files) and from I/O,
//! never from the text being scanned. Messages say where (file, line, column,
//! rule id) and what, in lower case, and never quote scanned text.

use std::fmt;
use std::path::{Path, PathBuf};

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule pack is malformed or inconsistent.
    Pack,
    /// A gold or prediction file for evaluation is malformed.
    Gold,
    /// A setting given by the caller is invalid.
    Config,
    /// Reading or writing a file failed.
    Io,
}

/// An error with the place it happened and what went wrong.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    file: Option<PathBuf>,
    line: Option<u64>,
    column: Option<u64>,
    rule: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            rule: None,
            source: None,
        }))
    }

    pub(crate) fn pack(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Pack, message)
    }

    /// An error in a setting given by the caller.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    /// A failure to read or write `path`.
    pub fn io(path: &Path, err: std::io::Error) -> Error {
        let mut e = Error::new(ErrorKind::Io, io_message(&err));
        e.0.file = Some(path.to_path_buf());
        e.0.source = Some(Box::new(err));
        e
    }

    /// Names the file the error is about (kept if one is already named).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Error {
        if self.0.file.is_none() {
            self.0.file = Some(file.into());
        }
        self
    }

    pub(crate) fn at(mut self, line: u64, column: u64) -> Error {
        if line > 0 {
            self.0.line = Some(line);
            self.0.column = (column > 0).then_some(column);
        }
        self
    }

    pub(crate) fn at_line(mut self, line: u64) -> Error {
        self.0.line = Some(line);
        self
    }

    pub(crate) fn for_rule(mut self, rule: impl Into<String>) -> Error {
        if self.0.rule.is_none() {
            self.0.rule = Some(rule.into());
        }
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The file the error is about, if any.
    pub fn file(&self) -> Option<&Path> {
        self.0.file.as_deref()
    }

    /// The 1-based line in [`file`](Self::file), where known.
    pub fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The 1-based column in [`file`](Self::file), where known.
    pub fn column(&self) -> Option<u64> {
        self.0.column
    }

    /// The id of the rule the error is about, if any.
    pub fn rule(&self) -> Option<&str> {
        self.0.rule.as_deref()
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

fn io_message(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "no such file or directory".to_string(),
        K::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = err.to_string();
            // std's messages add " (os error N)"; keep them short and lower case.
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.0.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.0.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.0.column {
                    write!(f, ":{col}")?;
                }
            }
            f.write_str(": ")?;
        } else if let Some(line) = self.0.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(rule) = &self.0.rule {
            write!(f, "rule '{rule}': ")?;
        }
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error").field("kind", &self.0.kind).field("message", &self.to_string()).finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
