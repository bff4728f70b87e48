//! A value taken out of a structured record (a JSON string, a CSV cell): its
//! decoded bytes, which are scanned, and how they map back to the raw bytes.

use std::borrow::Cow;

/// One escape in the raw bytes: `raw_len` raw bytes at `raw` decode to
/// `dec_len` bytes at `dec` (`\n` is 2 raw bytes for 1; a CSV closing quote
/// is 1 raw byte for none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Escape {
    pub dec: usize,
    pub dec_len: usize,
    pub raw: usize,
    pub raw_len: usize,
}

/// A decoded value.
#[derive(Debug)]
pub(crate) struct Value<'a> {
    /// What is scanned.
    pub bytes: Cow<'a, [u8]>,
    /// Where the decoded bytes start in the record's raw bytes.
    pub raw_start: usize,
    /// The escapes, in order; empty when the raw bytes are the decoded ones.
    pub escapes: Vec<Escape>,
}

impl<'a> Value<'a> {
    /// A value whose raw bytes are its decoded bytes.
    pub(crate) fn plain(bytes: &'a [u8], raw_start: usize) -> Value<'a> {
        Value { bytes: Cow::Borrowed(bytes), raw_start, escapes: Vec::new() }
    }

    /// The raw offset (in the record) of decoded offset `d`; an offset inside
    /// an escape's output goes to the escape's start, or with `end` past it.
    pub(crate) fn raw_offset(&self, d: usize, end: bool) -> usize {
        let mut shift: isize = 0;
        for e in &self.escapes {
            if e.dec + e.dec_len <= d && !(e.dec_len == 0 && e.dec == d && end) {
                shift = (e.raw + e.raw_len) as isize - (e.dec + e.dec_len) as isize;
            } else if e.dec < d {
                return self.raw_start + if end { e.raw + e.raw_len } else { e.raw };
            } else {
                break;
            }
        }
        self.raw_start + (d as isize + shift) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_through_escapes() {
        // raw: a\nb\u00e9c  decoded: a, LF, b, é (2 bytes), c
        let v = Value {
            bytes: Cow::Owned(b"a\nb\xc3\xa9c".to_vec()),
            raw_start: 10,
            escapes: vec![
                Escape { dec: 1, dec_len: 1, raw: 1, raw_len: 2 },
                Escape { dec: 3, dec_len: 2, raw: 4, raw_len: 6 },
            ],
        };
        assert_eq!(v.raw_offset(0, false), 10);
        assert_eq!(v.raw_offset(1, false), 11);
        assert_eq!(v.raw_offset(2, false), 13);
        assert_eq!(v.raw_offset(3, false), 14);
        assert_eq!(v.raw_offset(4, false), 14);
        assert_eq!(v.raw_offset(4, true), 20);
        assert_eq!(v.raw_offset(5, false), 20);
        assert_eq!(v.raw_offset(6, true), 21);
        let p = Value::plain(b"xyz", 3);
        assert_eq!(p.raw_offset(2, true), 5);
    }
}
