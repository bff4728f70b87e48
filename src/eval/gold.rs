//! The gold format of EVAL.md: reading gold files, writing predictions.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use super::PredSpan;
use crate::error::{Error, ErrorKind};

/// One document of a gold file: its id, its text and the identifiers in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDoc {
    /// The document's id, unique within its file.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// The identifiers in [`text`](Self::text); empty for a negative document.
    pub spans: Vec<GoldSpan>,
}

/// One identifier in a [`GoldDoc`].
///
/// Offsets count Unicode scalar values (`char`s) from the start of the text, as
/// Python string indices do; `end` is exclusive. [`parse_gold`] guarantees
/// `start < end <= text.chars().count()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSpan {
    /// Offset of the first character.
    pub start: usize,
    /// Offset one past the last character.
    pub end: usize,
    /// The canonical label; `"?"` where the file gives none (as `score.py`).
    pub label: String,
    /// Whether the span is a bare year (`"year": true`), reported on the row
    /// `DATE[year]` rather than `DATE`.
    pub year: bool,
}

/// Reads a gold file: one JSON object per non-blank line (see [`parse_gold`]).
///
/// # Errors
///
/// An I/O error when the file cannot be read; a gold error, with the file and
/// line, when it is not UTF-8 or a line is not a valid gold document.
pub fn read_gold(path: &Path) -> crate::Result<Vec<GoldDoc>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let line = std::str::from_utf8(valid).map_or(1, |s| line_breaks(s) + 1);
        gold_error(path, line as u64, "not UTF-8 text".to_string())
    })?;
    parse_gold(&text, path)
}

/// Parses the text of a gold file; `file` only names it in error messages.
///
/// Each non-blank line is a JSON object
/// `{"id": str, "text": str, "spans": [{"start": int, "end": int, "label": str,
/// "year"?: bool}, ...]}`; other keys are ignored. Lines are split as Python
/// reads a text file (`\n`, `\r\n` or `\r`) and numbered from 1, blank lines
/// included.
///
/// # Errors
///
/// A gold error naming the file and line (never quoting the document's text)
/// when a line is not JSON, is not an object, lacks `id`, `text` or `spans`,
/// has a value of the wrong type, repeats an earlier id, or has a span that is
/// empty or outside the text.
pub fn parse_gold(text: &str, file: &Path) -> crate::Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    let mut seen = HashSet::new();
    for (n, line) in (1u64..).zip(lines(text)) {
        if line.chars().all(is_py_space) {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| json_error(&e, line, n, file))?;
        let doc = doc_from_json(value).map_err(|msg| gold_error(file, n, msg))?;
        if !seen.insert(doc.id.clone()) {
            return Err(gold_error(file, n, format!("duplicate id {:?}", doc.id)));
        }
        docs.push(doc);
    }
    Ok(docs)
}

/// Writes predictions in the gold format, one line per gold document:
/// `{"id": ..., "spans": [{"start": ..., "end": ..., "label": ...}, ...]}`.
///
/// `predictions[i]` belongs to `gold[i]`; a document without a list gets
/// `"spans": []`, and lists beyond `gold.len()` are not written (they have no
/// id). Spans keep their order and their offsets, even out-of-range ones; a
/// span without a label has no `label` key. No text is written, so the file
/// holds no identifier values. `score.py GOLD PRED` reads the result.
///
/// # Errors
///
/// Whatever writing to `out` returns.
pub fn write_predictions(
    out: &mut impl Write,
    gold: &[GoldDoc],
    predictions: &[Vec<PredSpan>],
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        id: &'a str,
        spans: Vec<Span<'a>>,
    }
    #[derive(Serialize)]
    struct Span<'a> {
        start: usize,
        end: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<&'a str>,
    }
    for (i, doc) in gold.iter().enumerate() {
        let spans = predictions.get(i).map_or(&[][..], Vec::as_slice);
        let line = Line {
            id: &doc.id,
            spans: spans
                .iter()
                .map(|p| Span { start: p.start, end: p.end, label: p.label.as_deref() })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn doc_from_json(value: Value) -> Result<GoldDoc, String> {
    let Value::Object(mut obj) = value else {
        return Err("a gold line must be a JSON object".to_string());
    };
    let id = match obj.remove("id") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("'id' must be a string".to_string()),
        None => return Err("a gold line needs 'id'".to_string()),
    };
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("'text' must be a string".to_string()),
        None => return Err("a gold line needs 'text'".to_string()),
    };
    let raw_spans = match obj.remove("spans") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err("'spans' must be a list".to_string()),
        None => return Err("a gold line needs 'spans'".to_string()),
    };
    let len = text.chars().count();
    let mut spans = Vec::with_capacity(raw_spans.len());
    for (k, s) in raw_spans.into_iter().enumerate() {
        let Value::Object(s) = s else {
            return Err(format!("span {k} must be an object"));
        };
        spans.push(span_from_json(&s, k, len)?);
    }
    Ok(GoldDoc { id, text, spans })
}

fn span_from_json(s: &Map<String, Value>, k: usize, len: usize) -> Result<GoldSpan, String> {
    let (Some(a), Some(b)) = (s.get("start").and_then(Value::as_i64), s.get("end").and_then(Value::as_i64))
    else {
        return Err(format!("span {k} needs integer 'start' and 'end'"));
    };
    // score.py: `0 <= a < b <= len(text)`.
    let (start, end) = match (usize::try_from(a), usize::try_from(b)) {
        (Ok(start), Ok(end)) if start < end && end <= len => (start, end),
        _ => {
            return Err(format!("span {k} [{a},{b}) is empty or outside the text (length {len})"));
        }
    };
    // score.py: `s.get("label") or "?"`.
    let label = match s.get("label") {
        None | Some(Value::Null) => "?".to_string(),
        Some(Value::String(l)) if l.is_empty() => "?".to_string(),
        Some(Value::String(l)) => l.clone(),
        Some(_) => return Err(format!("span {k}: 'label' must be a string")),
    };
    let year = match s.get("year") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(y)) => *y,
        Some(_) => return Err(format!("span {k}: 'year' must be true or false")),
    };
    Ok(GoldSpan { start, end, label, year })
}

fn gold_error(file: &Path, line: u64, msg: String) -> Error {
    Error::new(ErrorKind::Gold, msg).in_file(file).at_line(line)
}

fn json_error(e: &serde_json::Error, line: &str, n: u64, file: &Path) -> Error {
    if line.starts_with('\u{feff}') {
        return gold_error(file, n, "not JSON (starts with a byte order mark)".to_string());
    }
    // serde_json's messages are fixed phrases ("expected value", "EOF while
    // parsing a string"), never input; drop their " at line L column C" tail.
    let full = e.to_string();
    let msg = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m);
    // serde_json counts columns in bytes; Python and editors count characters.
    let byte_col = e.column();
    let col = match line.get(..byte_col.saturating_sub(1)) {
        Some(before) => before.chars().count() + 1,
        None => byte_col,
    };
    Error::new(ErrorKind::Gold, format!("not JSON ({msg})")).in_file(file).at(n, col as u64)
}

/// The lines of `text` as Python's universal-newline mode splits them, without
/// their line breaks.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\n', '\r']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                let next = &s[i + skip..];
                rest = (!next.is_empty()).then_some(next);
                Some(&s[..i])
            }
            None => {
                rest = None;
                (!s.is_empty()).then_some(s)
            }
        }
    })
}

/// How many line breaks `lines` finds in `text`.
fn line_breaks(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len()).filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))).count()
}

/// Python's `str.isspace`: Rust's `White_Space` plus the ASCII separators
/// U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> crate::Result<Vec<GoldDoc>> {
        parse_gold(text, Path::new("g.jsonl"))
    }

    fn span(start: usize, end: usize, label: &str, year: bool) -> GoldSpan {
        GoldSpan { start, end, label: label.to_string(), year }
    }

    #[test]
    fn reads_documents_labels_and_years() {
        let text = concat!(
            r#"{"id": "a", "text": "Pt seen by Dr. Smith on 7/22.", "source": "x", "spans": [{"start": 15, "end": 20, "label": "PERSON", "orig": "NAME"}, {"start": 24, "end": 28, "label": "DATE"}]}"#,
            "\n\n   \n",
            r#"{"id": "b", "text": "Née en 1950", "spans": [{"start": 7, "end": 11, "label": "DATE", "year": true}, {"start": 0, "end": 3}, {"start": 0, "end": 1, "label": "", "year": null}]}"#,
            "\r\n",
            r#"{"id": "c", "text": "", "spans": []}"#,
        );
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].id, "a");
        assert_eq!(docs[0].spans, [span(15, 20, "PERSON", false), span(24, 28, "DATE", false)]);
        assert_eq!(docs[1].text, "Née en 1950");
        assert_eq!(
            docs[1].spans,
            [span(7, 11, "DATE", true), span(0, 3, "?", false), span(0, 1, "?", false)]
        );
        assert!(docs[2].spans.is_empty());
    }

    #[test]
    fn offsets_count_chars_not_bytes() {
        // 11 chars, 13 bytes: a span ending at 11 is in range, one ending at 12 is not.
        assert!(parse(r#"{"id": "a", "text": "Née en 1950", "spans": [{"start": 7, "end": 11}]}"#).is_ok());
        let e =
            parse(r#"{"id": "a", "text": "Née en 1950", "spans": [{"start": 7, "end": 12}]}"#).unwrap_err();
        assert_eq!(e.to_string(), "g.jsonl:1: span 0 [7,12) is empty or outside the text (length 11)");
    }

    #[test]
    fn errors_name_file_and_line_and_never_the_text() {
        let secret = "Jane Roe 555-12-3456";
        let ok = format!(r#"{{"id": "ok", "text": "{secret}", "spans": []}}"#);
        let cases: &[(&str, &str)] = &[
            ("[1, 2]", "g.jsonl:2: a gold line must be a JSON object"),
            (r#"{"text": "{S}", "spans": []}"#, "g.jsonl:2: a gold line needs 'id'"),
            (r#"{"id": 7, "text": "{S}", "spans": []}"#, "g.jsonl:2: 'id' must be a string"),
            (r#"{"id": "x", "spans": []}"#, "g.jsonl:2: a gold line needs 'text'"),
            (r#"{"id": "x", "text": ["{S}"], "spans": []}"#, "g.jsonl:2: 'text' must be a string"),
            (r#"{"id": "x", "text": "{S}"}"#, "g.jsonl:2: a gold line needs 'spans'"),
            (r#"{"id": "x", "text": "{S}", "spans": null}"#, "g.jsonl:2: 'spans' must be a list"),
            (r#"{"id": "x", "text": "{S}", "spans": ["{S}"]}"#, "g.jsonl:2: span 0 must be an object"),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 0, "end": 2}, {"start": "0", "end": 2}]}"#,
                "g.jsonl:2: span 1 needs integer 'start' and 'end'",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 0.0, "end": 2}]}"#,
                "g.jsonl:2: span 0 needs integer 'start' and 'end'",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 3, "end": 3}]}"#,
                "g.jsonl:2: span 0 [3,3) is empty or outside the text (length 20)",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 4, "end": 3}]}"#,
                "g.jsonl:2: span 0 [4,3) is empty or outside the text (length 20)",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": -1, "end": 3}]}"#,
                "g.jsonl:2: span 0 [-1,3) is empty or outside the text (length 20)",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 0, "end": 21}]}"#,
                "g.jsonl:2: span 0 [0,21) is empty or outside the text (length 20)",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 0, "end": 2, "label": 3}]}"#,
                "g.jsonl:2: span 0: 'label' must be a string",
            ),
            (
                r#"{"id": "x", "text": "{S}", "spans": [{"start": 0, "end": 2, "year": 1}]}"#,
                "g.jsonl:2: span 0: 'year' must be true or false",
            ),
            (r#"{"id": "ok", "text": "{S}", "spans": []}"#, "g.jsonl:2: duplicate id \"ok\""),
            (r#"{"id": "x", "text": "{S}", "spans": [}"#, "g.jsonl:2:55: not JSON (expected value)"),
            (r#"{"id": "x", "text": "{S}"#, "g.jsonl:2:41: not JSON (EOF while parsing a string)"),
            ("\u{feff}{}", "g.jsonl:2: not JSON (starts with a byte order mark)"),
        ];
        let mut failures = Vec::new();
        for &(line, want) in cases {
            let text = format!("{ok}\n{}\n", line.replace("{S}", secret));
            match parse(&text) {
                Ok(_) => failures.push(format!("{line}: accepted")),
                Err(e) => {
                    let got = e.to_string();
                    if got != want {
                        failures.push(format!("{line}: got {got:?}, want {want:?}"));
                    }
                    if got.contains("Jane") || got.contains("555") {
                        failures.push(format!("{line}: message quotes the text: {got}"));
                    }
                    assert_eq!(e.kind(), ErrorKind::Gold);
                    assert_eq!(e.line(), Some(2));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn json_error_columns_count_chars() {
        // "é" is two bytes; the stray "x" is the 15th character.
        let e = parse(r#"{"text": "é", x}"#).unwrap_err();
        assert_eq!((e.line(), e.column()), (Some(1), Some(15)));
    }

    #[test]
    fn lines_split_like_python_universal_newlines() {
        let got: Vec<_> = lines("a\nb\r\nc\rd\n\ne").collect();
        assert_eq!(got, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(lines("a\n").collect::<Vec<_>>(), ["a"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(line_breaks("a\nb\r\nc\rd\n\ne"), 5);
        // A lone \r ends a line, so the error is on line 2.
        let e = parse("\r{").unwrap_err();
        assert_eq!(e.line(), Some(2));
        // U+001F is whitespace to Python's strip(): a blank line.
        assert!(parse("\u{1f} \u{a0}\n").unwrap().is_empty());
    }

    #[test]
    fn read_gold_reports_io_and_utf8_errors() {
        let dir = std::env::temp_dir().join(format!("cloak-eval-gold-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.jsonl");
        let e = read_gold(&missing).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(e.file(), Some(missing.as_path()));

        let bad = dir.join("bad.jsonl");
        std::fs::write(&bad, b"{\"id\": \"a\", \"text\": \"\", \"spans\": []}\n{\"id\": \"\xff\"}\n")
            .unwrap();
        let e = read_gold(&bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Gold);
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().ends_with("bad.jsonl:2: not UTF-8 text"), "{e}");

        let good = dir.join("good.jsonl");
        std::fs::write(&good, "{\"id\": \"a\", \"text\": \"x\", \"spans\": [{\"start\": 0, \"end\": 1}]}\n")
            .unwrap();
        assert_eq!(read_gold(&good).unwrap()[0].spans, [span(0, 1, "?", false)]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_predictions_gold_format_without_text() {
        let gold = parse(concat!(
            r#"{"id": "a", "text": "Anna B.", "spans": []}"#,
            "\n",
            r#"{"id": "é\"2", "text": "xyz", "spans": []}"#,
            "\n",
            r#"{"id": "c", "text": "xyz", "spans": []}"#,
        ))
        .unwrap();
        let preds = vec![vec![PredSpan::new(0, 4, Some("PERSON")), PredSpan::new(9, 5, None)], vec![]];
        let mut out = Vec::new();
        write_predictions(&mut out, &gold, &preds).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            concat!(
                r#"{"id":"a","spans":[{"start":0,"end":4,"label":"PERSON"},{"start":9,"end":5}]}"#,
                "\n",
                r#"{"id":"é\"2","spans":[]}"#,
                "\n",
                r#"{"id":"c","spans":[]}"#,
                "\n",
            )
        );
        assert!(!out.contains("Anna"));
    }
}
