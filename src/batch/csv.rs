//! CSV and TSV: records (which may hold line breaks inside quotes), their
//! cells, and writing a masked cell back in the file's own quoting.
//!
//! A cell is quoted when its first byte is `"`; inside, `""` stands for one
//! quote. Bytes after a closing quote up to the next delimiter (not valid
//! CSV) are kept as part of the cell. A record ends at a line break outside
//! quotes; `\r\n` and `\n` are both kept as they are.

use std::borrow::Cow;
use std::ops::Range;

use super::value::{Escape, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// After a quote inside a quoted cell: its end, or the first of `""`.
    QuoteInQuoted,
}

/// Finds where records end, across reads.
#[derive(Debug)]
pub(crate) struct RecordSplitter {
    delim: u8,
    state: State,
    /// Bytes of the pending record already looked at.
    scanned: usize,
}

impl RecordSplitter {
    pub(crate) fn new(delim: u8) -> RecordSplitter {
        RecordSplitter { delim, state: State::FieldStart, scanned: 0 }
    }

    /// The length of the record at the start of `data` (with its line
    /// break), or `None` when more input is needed; at end of input the rest
    /// is a record. Calls must pass the same record start until it returns.
    pub(crate) fn next(&mut self, data: &[u8], eof: bool) -> Option<usize> {
        let mut i = self.scanned;
        while i < data.len() {
            match self.state {
                State::Quoted => match memchr::memchr(b'"', &data[i..]) {
                    Some(k) => {
                        i += k + 1;
                        self.state = State::QuoteInQuoted;
                    }
                    None => i = data.len(),
                },
                State::Unquoted => match memchr::memchr2(self.delim, b'\n', &data[i..]) {
                    Some(k) => {
                        i += k;
                        self.state = State::FieldStart;
                        if data[i] == b'\n' {
                            return Some(self.end(i + 1));
                        }
                        i += 1;
                    }
                    None => i = data.len(),
                },
                State::FieldStart | State::QuoteInQuoted => {
                    let b = data[i];
                    i += 1;
                    self.state = match b {
                        b'\n' => return Some(self.end(i)),
                        // A quote opens a cell, or after a quote in one is `""`.
                        b'"' => State::Quoted,
                        d if d == self.delim => State::FieldStart,
                        _ => State::Unquoted,
                    };
                }
            }
        }
        self.scanned = i;
        if eof && !data.is_empty() {
            return Some(self.end(data.len()));
        }
        None
    }

    fn end(&mut self, len: usize) -> usize {
        self.state = State::FieldStart;
        self.scanned = 0;
        len
    }
}

/// A record's bytes without its line break (`\n`, or `\r\n` outside quotes).
pub(crate) fn body(record: &[u8]) -> &[u8] {
    let r = record.strip_suffix(b"\n").unwrap_or(record);
    r.strip_suffix(b"\r").unwrap_or(r)
}

/// The raw ranges of the cells of a record body.
pub(crate) fn cells(body: &[u8], delim: u8, out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    let mut i = 0;
    loop {
        if body.get(i) == Some(&b'"') {
            // Quoted: skip to the closing quote (`""` is a quote inside).
            i += 1;
            loop {
                match memchr::memchr(b'"', &body[i.min(body.len())..]) {
                    Some(k) if body.get(i + k + 1) == Some(&b'"') => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        break;
                    }
                    None => {
                        i = body.len();
                        break;
                    }
                }
            }
        }
        match memchr::memchr(delim, &body[i.min(body.len())..]) {
            Some(k) => {
                out.push(start..i + k);
                i += k + 1;
                start = i;
            }
            None => {
                out.push(start..body.len());
                return;
            }
        }
    }
}

/// The value of the cell at `raw` in `body`: unquoted, with `""` as `"`.
pub(crate) fn value<'a>(body: &'a [u8], raw: &Range<usize>) -> Value<'a> {
    let cell = &body[raw.clone()];
    if cell.first() != Some(&b'"') {
        return Value::plain(cell, raw.start);
    }
    let mut bytes = Vec::with_capacity(cell.len());
    let mut escapes = Vec::new();
    let mut i = 1;
    loop {
        match memchr::memchr(b'"', &cell[i..]) {
            Some(k) => {
                bytes.extend_from_slice(&cell[i..i + k]);
                i += k;
                if cell.get(i + 1) == Some(&b'"') {
                    escapes.push(Escape { dec: bytes.len(), dec_len: 1, raw: i - 1, raw_len: 2 });
                    bytes.push(b'"');
                    i += 2;
                } else {
                    // The closing quote; anything after it is kept as it is.
                    escapes.push(Escape { dec: bytes.len(), dec_len: 0, raw: i - 1, raw_len: 1 });
                    bytes.extend_from_slice(&cell[i + 1..]);
                    break;
                }
            }
            None => {
                bytes.extend_from_slice(&cell[i..]);
                break;
            }
        }
    }
    Value { bytes: Cow::Owned(bytes), raw_start: raw.start + 1, escapes }
}

/// Appends a masked cell: quoted if the original was, or if it now holds a
/// delimiter, a quote or a line break.
pub(crate) fn write_cell(masked: &[u8], was_quoted: bool, delim: u8, out: &mut Vec<u8>) {
    let needs = was_quoted || masked.iter().any(|&b| b == delim || matches!(b, b'"' | b'\n' | b'\r'));
    if !needs {
        out.extend_from_slice(masked);
        return;
    }
    out.push(b'"');
    let mut at = 0;
    for i in memchr::memchr_iter(b'"', masked) {
        out.extend_from_slice(&masked[at..=i]);
        out.push(b'"');
        at = i + 1;
    }
    out.extend_from_slice(&masked[at..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(data: &[u8], delim: u8, step: usize) -> Vec<&[u8]> {
        let mut s = RecordSplitter::new(delim);
        let mut out = Vec::new();
        let mut at = 0;
        let mut have = step.min(data.len());
        while at < data.len() {
            let eof = have == data.len();
            match s.next(&data[at..have], eof) {
                Some(n) => {
                    out.push(&data[at..at + n]);
                    at += n;
                    have = have.max(at);
                }
                None => have = (have + step).min(data.len()),
            }
        }
        out
    }

    #[test]
    fn records_keep_quoted_line_breaks() {
        let data = b"id,note\r\n1,\"two\nlines, \"\"quoted\"\"\"\r\n2,plain\n3,\"unterminated\nrest";
        let want: Vec<&[u8]> = vec![
            b"id,note\r\n",
            b"1,\"two\nlines, \"\"quoted\"\"\"\r\n",
            b"2,plain\n",
            b"3,\"unterminated\nrest",
        ];
        for step in [1, 2, 5, 100] {
            assert_eq!(records(data, b',', step), want, "step {step}");
        }
        // A quote inside an unquoted cell is a plain byte.
        assert_eq!(records(b"a,5\" pipe\nb\n", b',', 3), vec![&b"a,5\" pipe\n"[..], b"b\n"]);
    }

    #[test]
    fn cells_and_values() {
        let body = body(b"a,\"b,\"\"c\"\"\",,\"x\"junk,last\r\n");
        let mut c = Vec::new();
        cells(body, b',', &mut c);
        let vals: Vec<String> =
            c.iter().map(|r| String::from_utf8(value(body, r).bytes.into_owned()).unwrap()).collect();
        assert_eq!(vals, ["a", "b,\"c\"", "", "xjunk", "last"]);
        let v = value(body, &c[1]);
        assert_eq!(v.raw_offset(0, false), 3);
        assert_eq!(v.raw_offset(2, false), 5); // the first quote of ""
        assert_eq!(v.raw_offset(3, false), 7);
        assert_eq!(v.raw_offset(4, false), 8);
        cells(b"", b',', &mut c);
        assert_eq!(c, vec![0..0]);
        cells(b"a\tb", b'\t', &mut c);
        assert_eq!(c, vec![0..1, 2..3]);
    }

    #[test]
    fn masked_cells_are_quoted_when_needed() {
        let mut out = Vec::new();
        write_cell(b"[EMAIL]", false, b',', &mut out);
        write_cell(b"a \"q\"", true, b',', &mut out);
        write_cell(b"x,y", false, b',', &mut out);
        write_cell(b"x,y", false, b'\t', &mut out);
        assert_eq!(out, b"[EMAIL]\"a \"\"q\"\"\"\"x,y\"x,y");
    }
}
