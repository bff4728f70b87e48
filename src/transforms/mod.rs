//! What replaces a finding: the policy (which transform per label or rule) and
//! the masking of text with it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::detection::Engine;
use crate::finding::Finding;
use crate::label::Label;
use crate::tokens::{TokenFinder, TokenSyntax};
use crate::vault::Vault;

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
    /// A reversible token such as `[PERSON_k7q2x9mab3h4c5d6]`, its value kept
    /// encrypted in the vault (see [`crate::vault`]).
    Token,
}

impl Transform {
    /// Names accepted by [`FromStr`], for help texts.
    pub const NAMES: &'static [&'static str] = &["label", "redact", "keep", "token"];
}

impl FromStr for Transform {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<Transform> {
        match s {
            "label" => Ok(Transform::Label),
            "redact" => Ok(Transform::Redact),
            "keep" => Ok(Transform::Keep),
            "token" => Ok(Transform::Token),
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
            Transform::Token => "token",
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

    /// The transform applied when no rule or label setting matches.
    pub fn default_transform(&self) -> &Transform {
        &self.default
    }

    /// Sets the transform applied when no rule or label setting matches.
    pub fn set_default(&mut self, t: Transform) -> &mut Policy {
        self.default = t;
        self
    }

    /// Whether some finding could get transform `t`.
    pub fn uses(&self, t: &Transform) -> bool {
        self.default == *t || self.by_label.values().any(|x| x == t) || self.by_rule.values().any(|x| x == t)
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
/// assert_eq!(masker.mask("write to jane.roe@example.org")?, "write to [EMAIL]");
/// # Ok::<(), cloak::Error>(())
/// ```
///
/// With a vault, the `token` transform makes masking reversible:
///
/// ```
/// use cloak::transforms::{Masker, Policy, Transform};
/// use cloak::vault::{Audit, Vault};
/// use cloak::{EngineBuilder, PackSet};
///
/// let dir = tempfile::tempdir().unwrap();
/// let (vault, _mask_key, _reveal_key) = Vault::create(&dir.path().join("vault.db"), None)?;
/// let engine = EngineBuilder::new().build(&PackSet::builtin()?)?;
/// let masker = Masker::new(engine, Policy::new(Transform::Token)).with_vault(vault.clone());
///
/// let prompt = masker.mask("Patient Jane Roe, MRN 4481923, card 4111 1111 1111 1111")?;
/// assert!(!prompt.contains("Jane Roe") && prompt.contains("[PERSON_"));
/// // ...send the prompt to a model; its reply quotes the tokens...
/// let reply = format!("Summary: {prompt}");
/// let restored = vault.unmask(reply.as_bytes(), &Audit::default())?;
/// assert_eq!(
///     String::from_utf8(restored.text).unwrap(),
///     "Summary: Patient Jane Roe, MRN 4481923, card 4111 1111 1111 1111"
/// );
/// # Ok::<(), cloak::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Masker {
    engine: Engine,
    policy: Policy,
    vault: Option<Vault>,
    finder: TokenFinder,
}

impl Masker {
    /// A masker scanning with `engine` and replacing per `policy`.
    pub fn new(engine: Engine, policy: Policy) -> Masker {
        Masker { engine, policy, vault: None, finder: TokenSyntax::default().finder() }
    }

    /// Keeps the values behind `token` transforms in `vault`.
    pub fn with_vault(mut self, vault: Vault) -> Masker {
        self.finder = vault.finder().clone();
        self.vault = Some(vault);
        self
    }

    /// The engine it scans with.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The policy it applies.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Scans and masks `text`.
    pub fn mask(&self, text: &str) -> crate::Result<String> {
        let mut out = Vec::with_capacity(text.len());
        self.mask_bytes(text.as_bytes(), &mut out)?;
        // Replacements are ASCII or values taken from valid UTF-8, and cuts
        // fall on finding boundaries, which lie on character boundaries.
        Ok(String::from_utf8(out).expect("masking valid UTF-8 keeps it valid"))
    }

    /// Scans and masks `text`, appending to `out`; bytes outside findings are
    /// copied unchanged, valid UTF-8 or not. Returns the findings.
    pub fn mask_bytes(&self, text: &[u8], out: &mut Vec<u8>) -> crate::Result<Vec<Finding>> {
        let mut masked = self.mask_batch(&[text])?;
        let m = masked.pop().expect("one piece in, one out");
        out.extend_from_slice(&m.bytes);
        Ok(m.findings)
    }

    /// Masks each piece independently, as one unit of work: every finding is
    /// scanned within its own piece, and anything a transform must record
    /// (reversible tokens in the vault) is committed before this returns, so
    /// the caller may write the outputs as soon as it gets them.
    pub fn mask_batch(&self, pieces: &[&[u8]]) -> crate::Result<Vec<Masked>> {
        let findings: Vec<Vec<Finding>> = pieces.iter().map(|p| self.scan(p)).collect();
        // Every token the batch needs, created in one vault transaction.
        let mut wanted: Vec<(Label, &[u8])> = Vec::new();
        for (piece, found) in pieces.iter().zip(&findings) {
            for f in found {
                if *self.transform_for(f) == Transform::Token {
                    wanted.push((f.label, &piece[f.span.range()]));
                }
            }
        }
        let tokens = match (&self.vault, wanted.is_empty()) {
            (_, true) => Vec::new(),
            (Some(vault), false) => vault.tokens_for(&wanted)?,
            (None, false) => {
                return Err(crate::Error::config(
                    "the token transform needs a vault (see `cloak keys init`)",
                ));
            }
        };
        let mut tokens = tokens.into_iter();
        Ok(pieces
            .iter()
            .zip(findings)
            .map(|(piece, found)| {
                let mut bytes = Vec::with_capacity(piece.len() + piece.len() / 8);
                self.apply(piece, &found, &mut tokens, &mut bytes);
                Masked { bytes, findings: found }
            })
            .collect())
    }

    /// Findings in `text`, leaving alone any token already there.
    fn scan(&self, text: &[u8]) -> Vec<Finding> {
        let mut found = self.engine.scan_bytes(text);
        if text.contains(&b'_') {
            let tokens = self.finder.find_all(text);
            if !tokens.is_empty() {
                found.retain(|f| !tokens.iter().any(|t| t.span.overlaps(f.span)));
            }
        }
        found
    }

    fn transform_for(&self, f: &Finding) -> &Transform {
        self.policy.transform_for(self.engine.rule(f.rule).id(), f.label)
    }

    /// Writes `text` with `findings` (sorted, not overlapping) replaced,
    /// taking tokens in order from `tokens`.
    fn apply(
        &self,
        text: &[u8],
        findings: &[Finding],
        tokens: &mut impl Iterator<Item = String>,
        out: &mut Vec<u8>,
    ) {
        let mut at = 0;
        for f in findings {
            out.extend_from_slice(&text[at..f.span.start]);
            match self.transform_for(f) {
                Transform::Label => {
                    out.push(b'[');
                    out.extend_from_slice(f.label.as_str().as_bytes());
                    out.push(b']');
                }
                Transform::Redact => out.extend_from_slice(b"[REDACTED]"),
                Transform::Keep => out.extend_from_slice(&text[f.span.range()]),
                Transform::Token => {
                    out.extend_from_slice(tokens.next().expect("a token per token finding").as_bytes());
                }
            }
            at = f.span.end;
        }
        out.extend_from_slice(&text[at..]);
    }
}
