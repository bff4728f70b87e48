//! Input formats and what to scan in each: every string value or chosen
//! fields of JSON Lines, every cell or chosen columns of CSV.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::Error;

/// How an input is split into the pieces that are scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: blocks of lines (see [`crate::batch`]).
    Text,
    /// One JSON value per line; string values are scanned.
    JsonLines,
    /// Comma-separated values; cells are scanned.
    Csv,
    /// Tab-separated values; cells are scanned.
    Tsv,
}

impl Format {
    /// Names accepted by [`FromStr`], for help texts.
    pub const NAMES: &'static [&'static str] = &["text", "jsonl", "csv", "tsv"];

    /// The format an input's name suggests, after any `.gz` or `.zst`:
    /// `.jsonl`/`.ndjson` are JSON Lines, `.csv` CSV, `.tsv`/`.tab` TSV,
    /// anything else plain text.
    pub fn from_path(path: &Path) -> Format {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
        match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("jsonl" | "ndjson") => Format::JsonLines,
            Some("csv") => Format::Csv,
            Some("tsv" | "tab") => Format::Tsv,
            _ => Format::Text,
        }
    }

    /// The name used in reports and accepted by [`FromStr`].
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format, Error> {
        match s {
            "text" | "txt" | "plain" => Ok(Format::Text),
            "jsonl" | "ndjson" | "json-lines" => Ok(Format::JsonLines),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            _ => Err(Error::config(format!(
                "unknown input format '{s}' (known: {})",
                Format::NAMES.join(", ")
            ))),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CSV column: by header name, or by 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// The column whose header cell is this name.
    Name(String),
    /// The column at this 1-based position.
    Index(usize),
}

impl FromStr for Column {
    type Err = Error;

    /// A positive number is a position, anything else a header name.
    fn from_str(s: &str) -> Result<Column, Error> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(Column::Index(n)),
                _ => Err(Error::config(format!("--column {s}: positions start at 1"))),
            };
        }
        if s.is_empty() {
            return Err(Error::config("--column: empty column name"));
        }
        Ok(Column::Name(s.to_string()))
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Name(n) => write!(f, "'{n}'"),
            Column::Index(i) => write!(f, "{i}"),
        }
    }
}

/// What to scan inside structured inputs. The default scans every string
/// value of JSON Lines and every cell of CSV/TSV (the header row excepted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// JSON Lines: dotted paths of object keys (`message`, `user.email`); a
    /// path selects the value there and every string inside it. Array
    /// elements share their array's path. Empty: every string value.
    pub fields: Vec<String>,
    /// JSON Lines: scan numbers too, as their text. A number with a finding is
    /// written back as a JSON string.
    pub numbers: bool,
    /// JSON Lines: the dotted path of a field naming each record's subject
    /// (a patient or customer id): the `shift` transform moves the dates of
    /// one subject by one offset. Records without it use the masker's subject.
    pub subject_field: Option<String>,
    /// CSV/TSV: the columns to scan. Empty: every column.
    pub columns: Vec<Column>,
    /// CSV/TSV: the delimiter; default `,` for CSV and a tab for TSV.
    pub delimiter: Option<u8>,
    /// CSV/TSV: whether the first record is a header (kept, never scanned).
    pub header: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            fields: Vec::new(),
            numbers: false,
            subject_field: None,
            columns: Vec::new(),
            delimiter: None,
            header: true,
        }
    }
}

impl Selection {
    /// Checks settings that do not depend on the input.
    pub fn check(&self) -> Result<(), Error> {
        if !self.header && self.columns.iter().any(|c| matches!(c, Column::Name(_))) {
            return Err(Error::config("--column NAME needs a header row; give positions with --no-header"));
        }
        for f in self.fields.iter().chain(&self.subject_field) {
            if f.is_empty() || f.split('.').any(str::is_empty) {
                return Err(Error::config(format!(
                    "--field '{f}': expected a dotted path such as user.email"
                )));
            }
        }
        if matches!(self.delimiter, Some(b'"' | b'\n' | b'\r')) {
            return Err(Error::config("--delimiter cannot be a quote or a line break"));
        }
        Ok(())
    }

    /// The subject field's path split into its keys.
    pub(crate) fn subject_path(&self) -> Option<Vec<Vec<u8>>> {
        self.subject_field.as_ref().map(|f| f.split('.').map(|k| k.as_bytes().to_vec()).collect())
    }

    /// The field paths split into their keys.
    pub(crate) fn field_paths(&self) -> Vec<Vec<Vec<u8>>> {
        self.fields.iter().map(|f| f.split('.').map(|k| k.as_bytes().to_vec()).collect()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        let cases = [
            ("a.jsonl", Format::JsonLines),
            ("a.NDJSON.gz", Format::JsonLines),
            ("dir/b.csv.zst", Format::Csv),
            ("c.tsv", Format::Tsv),
            ("d.log", Format::Text),
            ("e.json", Format::Text),
            ("noext", Format::Text),
            ("f.gz", Format::Text),
        ];
        for (name, want) in cases {
            assert_eq!(Format::from_path(Path::new(name)), want, "{name}");
        }
        assert_eq!("jsonl".parse::<Format>().unwrap(), Format::JsonLines);
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn columns_parse() {
        assert_eq!("3".parse::<Column>().unwrap(), Column::Index(3));
        assert_eq!("email".parse::<Column>().unwrap(), Column::Name("email".into()));
        assert!("0".parse::<Column>().is_err());
        let sel =
            Selection { header: false, columns: vec![Column::Name("x".into())], ..Selection::default() };
        assert!(sel.check().is_err());
        let sel = Selection { fields: vec!["a..b".into()], ..Selection::default() };
        assert!(sel.check().is_err());
    }
}
