//! JSON Lines: finding the string values of a record without re-serializing
//! it, decoding them for scanning, and escaping masked ones to put back.

use std::borrow::Cow;
use std::ops::Range;

use super::value::{Escape, Value};

/// A line that is not one JSON value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Malformed;

/// A value to scan: its raw bytes in the line (inside the quotes for a
/// string), whether it is a string holding escapes, or a number, and the
/// raw key it is under (the innermost; with its escape flag), if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub raw: Range<usize>,
    pub escaped: bool,
    pub number: bool,
    pub key: Option<(Range<usize>, bool)>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while i < line.len() && is_ws(line[i]) {
        i += 1;
    }
    i
}

/// The end of the string whose opening quote is at `i`: the offset of the
/// closing quote, and whether it holds escapes.
fn string_end(line: &[u8], i: usize) -> Result<(usize, bool), Malformed> {
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        let k = memchr::memchr2(b'"', b'\\', line.get(j..).ok_or(Malformed)?).ok_or(Malformed)?;
        if line[j + k] == b'"' {
            return Ok((j + k, escaped));
        }
        escaped = true;
        j += k + 2;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Value,
    Key,
    After,
}

/// Whether the key stack (raw key ranges in `line`, with their escape flag)
/// lies under one of `fields`.
fn selected(line: &[u8], keys: &[(Range<usize>, bool)], fields: &[Vec<Vec<u8>>]) -> bool {
    fields.is_empty()
        || fields.iter().any(|f| {
            f.len() <= keys.len()
                && f.iter().zip(keys).all(|(want, (r, escaped))| {
                    if *escaped {
                        decode(&line[r.clone()]).is_ok_and(|(k, _)| k == *want)
                    } else {
                        line[r.clone()] == want[..]
                    }
                })
        })
}

/// The key a value is under: that of the innermost object (a value in an
/// array is under the array's key); none outside every object.
fn key(keys: &[(Range<usize>, bool)]) -> Option<(Range<usize>, bool)> {
    keys.last().cloned()
}

/// The name of the key `found` is under, decoded (empty without one).
pub(crate) fn key_name<'a>(line: &'a [u8], found: &Found) -> Cow<'a, [u8]> {
    match &found.key {
        None => Cow::Borrowed(&[]),
        Some((r, false)) => Cow::Borrowed(&line[r.clone()]),
        Some((r, true)) => decode(&line[r.clone()]).map_or(Cow::Borrowed(&[][..]), |(k, _)| Cow::Owned(k)),
    }
}

/// Appends to `out` the values of `line` (one JSON value, without its line
/// break) to scan: every string value, or those under `fields` (paths of
/// keys), and numbers with `numbers`. Object keys are never scanned.
pub(crate) fn find_values(
    line: &[u8],
    fields: &[Vec<Vec<u8>>],
    numbers: bool,
    out: &mut Vec<Found>,
) -> Result<(), Malformed> {
    let mut i = if line.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut stack: Vec<Container> = Vec::new();
    let mut keys: Vec<(Range<usize>, bool)> = Vec::new();
    let mut state = State::Value;
    loop {
        i = skip_ws(line, i);
        match state {
            State::Value => {
                let b = *line.get(i).ok_or(Malformed)?;
                match b {
                    b'{' | b'[' => {
                        let (c, close) =
                            if b == b'{' { (Container::Object, b'}') } else { (Container::Array, b']') };
                        stack.push(c);
                        i = skip_ws(line, i + 1);
                        if line.get(i) == Some(&close) {
                            stack.pop();
                            i += 1;
                            state = State::After;
                        } else {
                            state = if c == Container::Object { State::Key } else { State::Value };
                        }
                    }
                    b'"' => {
                        let (end, escaped) = string_end(line, i)?;
                        if selected(line, &keys, fields) {
                            out.push(Found { raw: i + 1..end, escaped, number: false, key: key(&keys) });
                        }
                        i = end + 1;
                        state = State::After;
                    }
                    b'-' | b'0'..=b'9' => {
                        let len = line[i..]
                            .iter()
                            .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                            .unwrap_or(line.len() - i);
                        if !line[i..i + len].iter().any(u8::is_ascii_digit) {
                            return Err(Malformed);
                        }
                        if numbers && selected(line, &keys, fields) {
                            out.push(Found {
                                raw: i..i + len,
                                escaped: false,
                                number: true,
                                key: key(&keys),
                            });
                        }
                        i += len;
                        state = State::After;
                    }
                    _ => {
                        let lit =
                            [&b"true"[..], b"false", b"null"].into_iter().find(|l| line[i..].starts_with(l));
                        i += lit.ok_or(Malformed)?.len();
                        state = State::After;
                    }
                }
            }
            State::Key => {
                if line.get(i) != Some(&b'"') {
                    return Err(Malformed);
                }
                let (end, escaped) = string_end(line, i)?;
                keys.push((i + 1..end, escaped));
                i = skip_ws(line, end + 1);
                if line.get(i) != Some(&b':') {
                    return Err(Malformed);
                }
                i += 1;
                state = State::Value;
            }
            State::After => match stack.last() {
                None => return if i == line.len() { Ok(()) } else { Err(Malformed) },
                Some(&c) => {
                    if c == Container::Object {
                        keys.pop();
                    }
                    let close = if c == Container::Object { b'}' } else { b']' };
                    match line.get(i) {
                        Some(b',') => {
                            i += 1;
                            state = if c == Container::Object { State::Key } else { State::Value };
                        }
                        Some(&b) if b == close => {
                            stack.pop();
                            i += 1;
                        }
                        _ => return Err(Malformed),
                    }
                }
            },
        }
    }
}

fn hex4(raw: &[u8], at: usize) -> Result<u32, Malformed> {
    let h = raw.get(at..at + 4).ok_or(Malformed)?;
    let s = std::str::from_utf8(h).map_err(|_| Malformed)?;
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Malformed);
    }
    u32::from_str_radix(s, 16).map_err(|_| Malformed)
}

/// Decodes the raw bytes of a string (between its quotes). Bytes that are
/// not valid UTF-8 are kept as they are; a lone surrogate becomes U+FFFD.
pub(crate) fn decode(raw: &[u8]) -> Result<(Vec<u8>, Vec<Escape>), Malformed> {
    let mut out = Vec::with_capacity(raw.len());
    let mut escapes = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &raw[i..]) {
        out.extend_from_slice(&raw[i..i + k]);
        i += k;
        let dec = out.len();
        let raw_len = match *raw.get(i + 1).ok_or(Malformed)? {
            b'"' => (out.push(b'"'), 2).1,
            b'\\' => (out.push(b'\\'), 2).1,
            b'/' => (out.push(b'/'), 2).1,
            b'b' => (out.push(0x08), 2).1,
            b'f' => (out.push(0x0c), 2).1,
            b'n' => (out.push(b'\n'), 2).1,
            b'r' => (out.push(b'\r'), 2).1,
            b't' => (out.push(b'\t'), 2).1,
            b'u' => {
                let hi = hex4(raw, i + 2)?;
                let (c, len) = if (0xD800..0xDC00).contains(&hi)
                    && raw.get(i + 6..i + 8) == Some(b"\\u")
                    && hex4(raw, i + 8).is_ok_and(|lo| (0xDC00..0xE000).contains(&lo))
                {
                    let lo = hex4(raw, i + 8)?;
                    (char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)), 12)
                } else {
                    (char::from_u32(hi), 6)
                };
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                len
            }
            _ => return Err(Malformed),
        };
        escapes.push(Escape { dec, dec_len: out.len() - dec, raw: i, raw_len });
        i += raw_len;
    }
    out.extend_from_slice(&raw[i..]);
    Ok((out, escapes))
}

/// The value to scan for `found` in `line`.
pub(crate) fn value<'a>(line: &'a [u8], found: &Found) -> Result<Value<'a>, Malformed> {
    let raw = &line[found.raw.clone()];
    if !found.escaped {
        return Ok(Value::plain(raw, found.raw.start));
    }
    let (bytes, escapes) = decode(raw)?;
    Ok(Value { bytes: Cow::Owned(bytes), raw_start: found.raw.start, escapes })
}

/// Appends `bytes` to `out` as the inside of a JSON string: quotes,
/// backslashes and control characters escaped, everything else as it is.
pub(crate) fn escape_into(bytes: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => {
                out.extend_from_slice(&bytes[at..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                at = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[at..i]);
        out.extend_from_slice(esc);
        at = i + 1;
    }
    out.extend_from_slice(&bytes[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(line: &str, fields: &[&str], numbers: bool) -> Result<Vec<String>, Malformed> {
        let fields: Vec<Vec<Vec<u8>>> =
            fields.iter().map(|f| f.split('.').map(|k| k.as_bytes().to_vec()).collect()).collect();
        let mut out = Vec::new();
        find_values(line.as_bytes(), &fields, numbers, &mut out)?;
        Ok(out
            .iter()
            .map(|f| String::from_utf8(value(line.as_bytes(), f).unwrap().bytes.into_owned()).unwrap())
            .collect())
    }

    #[test]
    fn every_string_value_but_not_keys() {
        let line =
            r#"{"a": "x", "n": 12.5e3, "t": true, "z": null, "l": ["p", {"q": "r"}], "e": {}, "f": []}"#;
        assert_eq!(values(line, &[], false).unwrap(), ["x", "p", "r"]);
        assert_eq!(values(line, &[], true).unwrap(), ["x", "12.5e3", "p", "r"]);
        assert_eq!(values(r#""top""#, &[], false).unwrap(), ["top"]);
        assert_eq!(values("\u{feff} [1, \"b\"] ", &[], false).unwrap(), ["b"]);
    }

    #[test]
    fn fields_select_paths_and_what_is_under_them() {
        let line = r#"{"msg": "m", "user": {"email": "e", "name": {"first": "f"}, "ids": ["i1", "i2"]}, "u\u0073er2": "s"}"#;
        assert_eq!(values(line, &["msg"], false).unwrap(), ["m"]);
        assert_eq!(values(line, &["user.email"], false).unwrap(), ["e"]);
        assert_eq!(values(line, &["user.name", "user.ids"], false).unwrap(), ["f", "i1", "i2"]);
        assert_eq!(values(line, &["user"], false).unwrap(), ["e", "f", "i1", "i2"]);
        assert_eq!(values(line, &["user2"], false).unwrap(), ["s"]);
        assert!(values(line, &["nope"], false).unwrap().is_empty());
    }

    #[test]
    fn malformed_lines() {
        for bad in [
            r#"{"a": "x""#,
            r#"{"a" "x"}"#,
            r#"{"a": x}"#,
            r#"{"a": "x"} tail"#,
            "",
            r#"["a",]x"#,
            r#"{"a":-}"#,
        ] {
            assert_eq!(values(bad, &[], false), Err(Malformed), "{bad}");
        }
    }

    #[test]
    fn decode_and_escape() {
        let (d, esc) = decode(br#"a\"b\\c\/\n\u00e9\ud83d\ude00\ud800!"#).unwrap();
        assert_eq!(String::from_utf8(d.clone()).unwrap(), "a\"b\\c/\né😀\u{fffd}!");
        assert_eq!(esc.len(), 7);
        assert!(decode(br"\x").is_err());
        assert!(decode(br"\u12").is_err());
        let mut out = Vec::new();
        escape_into(b"q\"\\\n\x01\xff", &mut out);
        assert_eq!(out, b"q\\\"\\\\\\n\\u0001\xff");
    }
}
