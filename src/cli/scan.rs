//! `cloak scan` and `cloak mask`.

use std::io::Write;

use cloak::{Engine, Error};
use serde::Serialize;

use super::Outcome;
use super::args::{MaskArgs, ScanArgs};
use super::input::{self, CharCounter};

fn stdout_error(e: std::io::Error) -> Error {
    Error::io(std::path::Path::new("<stdout>"), e)
}

/// One line of `cloak scan` output.
#[derive(Serialize)]
struct FindingLine<'a> {
    file: &'a str,
    rule: &'a str,
    label: &'a str,
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<std::borrow::Cow<'a, str>>,
}

pub(crate) fn scan(engine: &Engine, args: &ScanArgs) -> Result<Outcome, Error> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut outcome = Outcome::Success;
    for path in input::names(&args.files) {
        let input = match input::read(&path) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("cloak: error: {e}");
                outcome = Outcome::InputFailed;
                continue;
            }
        };
        let findings = engine.scan_bytes(&input.bytes);
        let mut chars = CharCounter::new(&input.bytes);
        for f in &findings {
            let rule = engine.rule(f.rule);
            let line = FindingLine {
                file: &input.name,
                rule: rule.id(),
                label: f.label.as_str(),
                start: f.span.start,
                end: f.span.end,
                char_start: chars.at(f.span.start),
                char_end: chars.at(f.span.end),
                confidence: (f64::from(f.confidence) * 1000.0).round() / 1000.0,
                value: args.show_values.then(|| String::from_utf8_lossy(&input.bytes[f.span.range()])),
            };
            serde_json::to_writer(&mut out, &line).map_err(|e| stdout_error(e.into()))?;
            out.write_all(b"\n").map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(outcome)
}

pub(crate) fn mask(engine: Engine, args: &MaskArgs) -> Result<Outcome, Error> {
    let masker = super::vault::masker_for(engine, args)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut outcome = Outcome::Success;
    let mut buf = Vec::new();
    for path in input::names(&args.files) {
        let input = match input::read(&path) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("cloak: error: {e}");
                outcome = Outcome::InputFailed;
                continue;
            }
        };
        buf.clear();
        masker.mask_bytes(&input.bytes, &mut buf)?;
        out.write_all(&buf).map_err(stdout_error)?;
    }
    out.flush().map_err(stdout_error)?;
    Ok(outcome)
}
