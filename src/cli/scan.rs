//! `cloak scan` and `cloak mask`.

use std::io::Write;

use cloak::transforms::{Masker, Policy, Transform};
use cloak::{Engine, Error, Label};
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

/// Builds the policy from `--transform LABEL=T` flags.
fn policy(engine: &Engine, flags: &[String]) -> Result<Policy, Error> {
    let mut policy = Policy::default();
    for flag in flags {
        let Some((target, name)) = flag.split_once('=') else {
            return Err(Error::config(format!(
                "--transform '{flag}': expected LABEL=TRANSFORM, e.g. EMAIL=redact"
            )));
        };
        let t: Transform = name.trim().parse()?;
        let target = target.trim();
        if let Ok(label) = target.parse::<Label>() {
            policy.set_label(label, t);
        } else if engine.rule_index(target).is_some() {
            policy.set_rule(target, t);
        } else {
            return Err(Error::config(format!(
                "--transform '{flag}': '{target}' is neither a canonical label nor a loaded rule id"
            )));
        }
    }
    Ok(policy)
}

pub(crate) fn mask(engine: Engine, args: &MaskArgs) -> Result<Outcome, Error> {
    let policy = policy(&engine, &args.transforms)?;
    let masker = Masker::new(engine, policy);
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
