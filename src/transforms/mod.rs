//! What replaces a finding: the policy (which transform per label or rule) and
//! the masking of text with it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::detection::Engine;
use crate::finding::Finding;
use crate::label::Label;

/// How one finding is replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transform {
    /// `[LABEL]`, with the canonical label (`[PERSON]`).
    Label,
    /// `[REDACTED]`.
    Redact,
    /// Left as it is (for completeness: to exempt a label or rule).
    Keep,
}

impl Transform {
    /// Names accepted by [`FromStr`], for help texts.
    pub const NAMES: &'static [&'static str] = &["label", "redact", "keep"];
}

impl FromStr for Transform {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Transform> {
        match s {
            "label" => Ok(Transform::Label),
            "redact" => Ok(Transform::Redact),
            "keep" => Ok(Transform::Keep),
            _ => Err(crate::Error::config(format!(
                "unknown transform '{s}' (known: {})",
                Transform::NAMES.join(", ")
            ))),
        }
    }
}

impl fmt::Display for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transform::Label => "label",
            Transform::Redact => "redact",
            Transform::Keep => "keep",
        })
    }
}

/// Which transform applies to a finding: by rule id first, then by label,
/// then the default.
#[derive(Clone, Debug)]
pub struct Policy {
    default: Transform,
    by_label: HashMap<Label, Transform>,
    by_rule: HashMap<String, Transform>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(Transform::Label)
    }
}

impl Policy {
    /// A policy applying `default` to every finding.
    pub fn new(default: Transform) -> Policy {
        Policy { default, by_label: HashMap::new(), by_rule: HashMap::new() }
    }

    /// Applies `t` to findings with this canonical label.
    pub fn set_label(&mut self, label: Label, t: Transform) -> &mut Policy {
        self.by_label.insert(label, t);
        self
    }

    /// Applies `t` to findings of the rule with this id.
    pub fn set_rule(&mut self, rule: impl Into<String>, t: Transform) -> &mut Policy {
        self.by_rule.insert(rule.into(), t);
        self
    }

    /// The transform for a finding of `rule_id` with `label`.
    pub fn transform_for(&self, rule_id: &str, label: Label) -> &Transform {
        self.by_rule.get(rule_id).or_else(|| self.by_label.get(&label)).unwrap_or(&self.default)
    }
}

/// One masked piece of input: the output bytes and what was found.
#[derive(Clone, Debug)]
pub struct Masked {
    /// The piece with its findings replaced.
    pub bytes: Vec<u8>,
    /// The findings, with byte spans into the input piece.
    pub findings: Vec<Finding>,
}

/// Replaces findings in text according to a policy.
///
/// ```
/// use cloak::{EngineBuilder, PackSet};
/// use cloak::transforms::{Masker, Policy};
///
/// let engine = EngineBuilder::new().build(&PackSet::builtin()?)?;
/// let masker = Masker::new(engine, Policy::default());
/// assert_eq!(masker.mask("write to jane.roe@example.org"), "write to [EMAIL]");
/// # Ok::<(), cloak::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Masker {
    engine: Engine,
    policy: Policy,
}

impl Masker {
    /// A masker scanning with `engine` and replacing per `policy`.
    pub fn new(engine: Engine, policy: Policy) -> Masker {
        Masker { engine, policy }
    }

    /// The engine it scans with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Scans and masks `text`.
    pub fn mask(&self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        let findings = self.engine.scan(text);
        self.apply(text.as_bytes(), &findings, &mut out);
        // Replacements are ASCII and cut the input only at finding boundaries,
        // which lie on character boundaries of valid UTF-8.
        String::from_utf8(out).expect("masking valid UTF-8 keeps it valid")
    }

    /// Scans and masks `text`, appending to `out`; bytes outside findings are
    /// copied unchanged, valid UTF-8 or not. Returns the findings.
    pub fn mask_bytes(&self, text: &[u8], out: &mut Vec<u8>) -> Vec<Finding> {
        let findings = self.engine.scan_bytes(text);
        self.apply(text, &findings, out);
        findings
    }

    /// Masks each piece independently, as one unit of work: every finding is
    /// scanned within its own piece, and anything a transform must record
    /// (reversible tokens in a vault) is committed before this returns, so
    /// the caller may write the outputs as soon as it gets them.
    pub fn mask_batch(&self, pieces: &[&[u8]]) -> crate::Result<Vec<Masked>> {
        Ok(pieces
            .iter()
            .map(|piece| {
                let mut bytes = Vec::with_capacity(piece.len());
                let findings = self.mask_bytes(piece, &mut bytes);
                Masked { bytes, findings }
            })
            .collect())
    }

    /// Writes `text` with `findings` (sorted, not overlapping) replaced.
    pub fn apply(&self, text: &[u8], findings: &[Finding], out: &mut Vec<u8>) {
        let mut at = 0;
        for f in findings {
            out.extend_from_slice(&text[at..f.span.start]);
            let rule = self.engine.rule(f.rule);
            match self.policy.transform_for(rule.id(), f.label) {
                Transform::Label => {
                    out.push(b'[');
                    out.extend_from_slice(f.label.as_str().as_bytes());
                    out.push(b']');
                }
                Transform::Redact => out.extend_from_slice(b"[REDACTED]"),
                Transform::Keep => out.extend_from_slice(&text[f.span.range()]),
            }
            at = f.span.end;
        }
        out.extend_from_slice(&text[at..]);
    }
}
