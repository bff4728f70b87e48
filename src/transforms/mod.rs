//! What replaces a finding: the policy (which transform per label or rule) and
//! the masking of text with it.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

mod dates;
mod fpe;
mod policy;
mod simple;
mod surrogate;

use crate::detection::Engine;
use crate::finding::Finding;
use crate::label::Label;
use crate::tokens::{TokenFinder, TokenSyntax};
use crate::vault::{Audit, Secret, Unmasked, Vault};

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
    /// The letters and digits masked with `with`, but the first `keep_first`
    /// and the last `keep_last`; separators kept (`**** **** **** 1111`).
    Mask {
        /// Letters and digits kept at the start.
        keep_first: usize,
        /// Letters and digits kept at the end.
        keep_last: usize,
        /// The masking character.
        with: char,
    },
    /// A keyed HMAC-SHA-256 of the label and normalized value, `length` base32
    /// characters: the same value gives the same output under one key; not
    /// reversible.
    Hash {
        /// Characters of output (8 to 51).
        length: usize,
    },
    /// Format-preserving encryption (FF1, AES-256): digits stay digits, letters
    /// and digits stay letters and digits, length and separators are kept; a
    /// card keeps a valid Luhn digit and, by default, its first six digits
    /// (the issuer, which PCI DSS lets show), so it is still found as a card.
    /// Decryptable with the key (`cloak unmask --policy`).
    Fpe {
        /// For cards, keep the issuer digits.
        keep_first_six: bool,
    },
    /// A realistic value of the same kind and shape, stable per original under
    /// one key and reversible through the vault.
    Surrogate,
    /// Dates moved by a per-subject offset of 1 to `max_days` days either way,
    /// in their own written format; intervals between one subject's dates
    /// survive exactly.
    Shift {
        /// The largest shift, in days.
        max_days: u32,
    },
    /// Safe Harbor generalization: ages over 89 become "90+", dates their
    /// year, ZIP codes their first three digits (000 for small areas);
    /// other labels become `[LABEL]`.
    Generalize,
}

impl Transform {
    /// Names accepted by [`FromStr`], for help texts.
    pub const NAMES: &'static [&'static str] =
        &["label", "redact", "keep", "token", "mask", "hash", "fpe", "surrogate", "shift", "generalize"];
    /// Default hash length.
    pub const DEFAULT_HASH_LENGTH: usize = 12;
    /// Default largest date shift.
    pub const DEFAULT_SHIFT_DAYS: u32 = 365;

    /// Whether it needs a vault (its key or its storage).
    pub fn needs_vault(&self) -> bool {
        matches!(
            self,
            Transform::Token
                | Transform::Hash { .. }
                | Transform::Fpe { .. }
                | Transform::Surrogate
                | Transform::Shift { .. }
        )
    }
}

impl FromStr for Transform {
    type Err = crate::Error;

    /// A transform by name, with default parameters (`mask` keeps the last 4).
    fn from_str(s: &str) -> crate::Result<Transform> {
        match s {
            "label" => Ok(Transform::Label),
            "redact" => Ok(Transform::Redact),
            "keep" => Ok(Transform::Keep),
            "token" => Ok(Transform::Token),
            "mask" => Ok(Transform::Mask { keep_first: 0, keep_last: 4, with: '*' }),
            "hash" => Ok(Transform::Hash { length: Transform::DEFAULT_HASH_LENGTH }),
            "fpe" => Ok(Transform::Fpe { keep_first_six: true }),
            "surrogate" => Ok(Transform::Surrogate),
            "shift" => Ok(Transform::Shift { max_days: Transform::DEFAULT_SHIFT_DAYS }),
            "generalize" => Ok(Transform::Generalize),
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
            Transform::Mask { .. } => "mask",
            Transform::Hash { .. } => "hash",
            Transform::Fpe { .. } => "fpe",
            Transform::Surrogate => "surrogate",
            Transform::Shift { .. } => "shift",
            Transform::Generalize => "generalize",
        })
    }
}

/// Which transform applies to a finding: by rule id first, then by label,
/// then the default.
#[derive(Clone, Debug)]
pub struct Policy {
    name: String,
    description: String,
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
        Policy {
            name: String::from("custom"),
            description: String::new(),
            default,
            by_label: HashMap::new(),
            by_rule: HashMap::new(),
        }
    }

    /// A built-in policy (`safe-harbor`, `pci`, `llm`) or a policy file
    /// (format documented in `docs/policies.md`).
    pub fn load(name_or_path: &str) -> crate::Result<Policy> {
        policy::load(name_or_path)
    }

    /// The names of the built-in policies.
    pub fn builtin_names() -> Vec<&'static str> {
        policy::builtin_names()
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the policy is for.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Every transform the policy names, default first.
    pub fn transforms(&self) -> Vec<&Transform> {
        let mut v = vec![&self.default];
        v.extend(self.by_label.values());
        v.extend(self.by_rule.values());
        v
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
        self.transforms().into_iter().any(|x| x == t)
    }

    /// Whether some transform of the policy needs a vault.
    pub fn needs_vault(&self) -> bool {
        self.transforms().into_iter().any(Transform::needs_vault)
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
    subject: Option<String>,
}

/// One piece of input for [`Masker::mask_batch_with`]: its text and the
/// subject its dates belong to (for `shift`).
#[derive(Clone, Copy, Debug)]
pub struct Piece<'a> {
    /// The text.
    pub text: &'a [u8],
    /// The subject (a patient or customer id) whose dates shift together;
    /// `None` uses the masker's subject.
    pub subject: Option<&'a str>,
    /// The name the text was found under (a JSON key, a CSV column's
    /// header), scanned before it as its context and never masked: see
    /// [`Engine::scan_field`].
    pub field: Option<&'a [u8]>,
}

/// What a keyed transform needs, derived once per batch.
struct Keys {
    hash: Secret,
    fpe: Secret,
    surrogate: Secret,
    shift: Secret,
}

impl Masker {
    /// A masker scanning with `engine` and replacing per `policy`.
    pub fn new(engine: Engine, policy: Policy) -> Masker {
        Masker { engine, policy, vault: None, finder: TokenSyntax::default().finder(), subject: None }
    }

    /// Keeps the values behind `token` and `surrogate` transforms in `vault`,
    /// and takes the keys of `hash`, `fpe`, `surrogate` and `shift` from it.
    pub fn with_vault(mut self, vault: Vault) -> Masker {
        self.finder = vault.finder().clone();
        self.vault = Some(vault);
        self
    }

    /// The subject whose dates `shift` moves, when a piece names none.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Masker {
        self.subject = Some(subject.into());
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
        // Replacements are valid UTF-8, and cuts fall on finding boundaries,
        // which lie on character boundaries.
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
    /// (tokens and surrogates in the vault) is committed before this returns,
    /// so the caller may write the outputs as soon as it gets them.
    pub fn mask_batch(&self, pieces: &[&[u8]]) -> crate::Result<Vec<Masked>> {
        let pieces: Vec<Piece<'_>> =
            pieces.iter().map(|&text| Piece { text, subject: None, field: None }).collect();
        self.mask_batch_with(&pieces)
    }

    /// Like [`mask_batch`](Self::mask_batch), each piece with its own subject
    /// and the name it was found under (see [`Piece`]).
    pub fn mask_batch_with(&self, pieces: &[Piece<'_>]) -> crate::Result<Vec<Masked>> {
        let findings: Vec<Vec<Finding>> = pieces.iter().map(|p| self.scan(p.text, p.field)).collect();
        let needs_vault = findings.iter().flatten().any(|f| self.transform_for(f).needs_vault());
        let vault = match (&self.vault, needs_vault) {
            (Some(v), true) => Some(v),
            (None, true) => {
                return Err(crate::Error::config(
                    "token, hash, fpe, surrogate and shift need a vault (see `cloak keys init`)",
                ));
            }
            (_, false) => None,
        };
        let keys = vault.map(|v| Keys {
            hash: v.transform_key("hash"),
            fpe: v.transform_key("fpe"),
            surrogate: v.transform_key("surrogate"),
            shift: v.transform_key("shift"),
        });
        // Tokens and surrogates the batch needs, each kind in one transaction.
        let mut want_tokens: Vec<(Label, &[u8])> = Vec::new();
        let mut want_surrogates: Vec<(Label, &[u8])> = Vec::new();
        for (piece, found) in pieces.iter().zip(&findings) {
            for f in found {
                match self.transform_for(f) {
                    Transform::Token => want_tokens.push((f.label, &piece.text[f.span.range()])),
                    Transform::Surrogate => want_surrogates.push((f.label, &piece.text[f.span.range()])),
                    _ => {}
                }
            }
        }
        let mut tokens = match vault {
            Some(v) => v.tokens_for(&want_tokens)?,
            None => Vec::new(),
        }
        .into_iter();
        let mut surrogates = match (vault, &keys) {
            (Some(v), Some(k)) => v.surrogates_for(&want_surrogates, |label, value, attempt| {
                make_surrogate(&k.surrogate, label, value, attempt)
            })?,
            _ => Vec::new(),
        }
        .into_iter();
        Ok(pieces
            .iter()
            .zip(findings)
            .map(|(piece, found)| {
                let subject = piece.subject.or(self.subject.as_deref());
                let mut bytes = Vec::with_capacity(piece.text.len() + piece.text.len() / 8);
                let mut at = 0;
                for f in &found {
                    bytes.extend_from_slice(&piece.text[at..f.span.start]);
                    let value = &piece.text[f.span.range()];
                    let replacement = match self.transform_for(f) {
                        Transform::Token => tokens.next().expect("a token per token finding").into_bytes(),
                        Transform::Surrogate => surrogates.next().expect("a surrogate per surrogate finding"),
                        t => render(t, f.label, value, keys.as_ref(), subject),
                    };
                    bytes.extend_from_slice(&replacement);
                    at = f.span.end;
                }
                bytes.extend_from_slice(&piece.text[at..]);
                Masked { bytes, findings: found }
            })
            .collect())
    }

    /// Restores a masked text: tokens through the vault, and, where the policy
    /// uses them, surrogates (found again by scanning) through the vault and
    /// format-preserving encryption by decrypting. Needs the reveal key for
    /// tokens and surrogates. Records the reveal in the audit log.
    pub fn unmask(&self, text: &[u8], audit: &Audit) -> crate::Result<Unmasked> {
        let vault = self.vault.as_ref().ok_or_else(|| crate::Error::config("unmasking needs a vault"))?;
        let mut out = vault.unmask(text, audit)?;
        let reverses = |t: &Transform| matches!(t, Transform::Surrogate | Transform::Fpe { .. });
        if !self.policy.transforms().into_iter().any(reverses) {
            return Ok(out);
        }
        let text = std::mem::take(&mut out.text);
        let found: Vec<Finding> =
            self.engine.scan_bytes(&text).into_iter().filter(|f| reverses(self.transform_for(f))).collect();
        let wanted: Vec<(Label, &[u8])> = found
            .iter()
            .filter(|f| *self.transform_for(f) == Transform::Surrogate)
            .map(|f| (f.label, &text[f.span.range()]))
            .collect();
        let mut originals = vault.reveal_surrogates(&wanted)?.into_iter();
        let fpe_key = vault.transform_key("fpe");
        let mut restored = std::collections::BTreeMap::new();
        let mut at = 0;
        for f in &found {
            out.text.extend_from_slice(&text[at..f.span.start]);
            let value = &text[f.span.range()];
            let back = match self.transform_for(f) {
                Transform::Surrogate => originals.next().flatten(),
                Transform::Fpe { keep_first_six } => fpe_decrypt(&fpe_key, f.label, value, *keep_first_six),
                _ => None,
            };
            match back {
                Some(v) => {
                    out.text.extend_from_slice(&v);
                    *restored.entry(f.label).or_insert(0) += 1;
                    *out.restored.entry(f.label).or_insert(0) += 1;
                }
                None => out.text.extend_from_slice(value),
            }
            at = f.span.end;
        }
        out.text.extend_from_slice(&text[at..]);
        if !restored.is_empty() {
            vault.record_reveal(audit, &restored, &text)?;
        }
        Ok(out)
    }

    /// Findings in `text`, leaving alone any token already there.
    fn scan(&self, text: &[u8], field: Option<&[u8]>) -> Vec<Finding> {
        let mut found = self.engine.scan_field(field.unwrap_or_default(), text);
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
}

/// The seed of a surrogate: a keyed hash of the label, the normalized value
/// and the attempt number.
fn make_surrogate(key: &Secret, label: Label, value: &[u8], attempt: u32) -> Vec<u8> {
    let h = crate::vault::keyed_hash(
        key,
        &[label.as_str().as_bytes(), &crate::vault::normalize(label, value), &attempt.to_le_bytes()],
    );
    let seed = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
    let text = String::from_utf8_lossy(value);
    surrogate::surrogate(label, &text, seed, |v, rng| {
        let d = dates::parse(v)?;
        // A date 1 to 730 days away, either way, in the same format.
        let days = 1 + rng.below(730) as i64;
        d.shifted(if rng.below(2) == 0 { days } else { -days })
    })
    .into_bytes()
}

/// The days a subject's dates move: a keyed hash of the subject mapped to
/// 1..=max_days either way (never 0).
fn shift_days(key: &Secret, subject: &str, max_days: u32) -> i64 {
    let h = crate::vault::keyed_hash(key, &[subject.as_bytes()]);
    let n = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
    let span = u64::from(max_days.max(1));
    let days = 1 + (n >> 1) % span;
    if n & 1 == 0 { days as i64 } else { -(days as i64) }
}

fn label_text(label: Label) -> Vec<u8> {
    format!("[{label}]").into_bytes()
}

/// The replacement for one finding under a transform that needs no vault
/// storage (token and surrogate are handled by the caller).
fn render(t: &Transform, label: Label, value: &[u8], keys: Option<&Keys>, subject: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(value);
    match t {
        Transform::Label => label_text(label),
        Transform::Redact => b"[REDACTED]".to_vec(),
        Transform::Keep => value.to_vec(),
        Transform::Mask { keep_first, keep_last, with } => {
            simple::mask(&text, *keep_first, *keep_last, *with).into_bytes()
        }
        Transform::Hash { length } => {
            let Some(k) = keys else { return label_text(label) };
            let h = crate::vault::keyed_hash(
                &k.hash,
                &[label.as_str().as_bytes(), &crate::vault::normalize(label, value)],
            );
            crate::vault::base32(&h, *length).into_bytes()
        }
        Transform::Fpe { keep_first_six } => keys
            .and_then(|k| fpe_encrypt(&k.fpe, label, value, *keep_first_six))
            .unwrap_or_else(|| label_text(label)),
        Transform::Shift { max_days } => match (keys, subject, dates::parse(&text)) {
            (Some(k), Some(subject), Some(d)) if label == Label::Date => d
                .shifted(shift_days(&k.shift, subject, *max_days))
                .map_or_else(|| label_text(label), String::into_bytes),
            _ => label_text(label),
        },
        Transform::Generalize => {
            let year =
                if label == Label::Date { dates::parse(&text).and_then(|d| d.year_only()) } else { None };
            simple::generalize(label, &text, year, simple::this_year())
                .map_or_else(|| label_text(label), String::into_bytes)
        }
        Transform::Token | Transform::Surrogate => label_text(label),
    }
}

/// The FF1 key and tweak for a label: AES-256, the label as tweak.
fn ff1(key: &Secret, radix: u32) -> Option<fpe::Ff1> {
    fpe::Ff1::new(key.expose(), radix).ok()
}

/// Encrypts the digits (radix 10) or the letters and digits (radix 36) of a
/// value, keeping length, separators and letter case; `None` when the value
/// is too short for FF1's domain.
fn fpe_encrypt(key: &Secret, label: Label, value: &[u8], keep_first_six: bool) -> Option<Vec<u8>> {
    fpe_apply(key, label, value, keep_first_six, true)
}

fn fpe_decrypt(key: &Secret, label: Label, value: &[u8], keep_first_six: bool) -> Option<Vec<u8>> {
    fpe_apply(key, label, value, keep_first_six, false)
}

fn fpe_apply(
    key: &Secret,
    label: Label,
    value: &[u8],
    keep_first_six: bool,
    encrypt: bool,
) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(value).ok()?;
    let tweak = label.as_str().as_bytes();
    // Digits alone when there are enough of them for FF1's domain: letters
    // then stay as they are, so the value keeps its shape and is found again
    // (MR1866913 -> MR4730021); otherwise letters and digits together.
    let digit_count = text.chars().filter(char::is_ascii_digit).count();
    let digits_only = digit_count >= 6 || text.chars().all(|c| c.is_ascii_digit() || !c.is_alphanumeric());
    let (radix, body): (u32, String) = if digits_only {
        (10, text.chars().filter(char::is_ascii_digit).collect())
    } else if text.is_ascii() {
        (36, text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect())
    } else {
        return None;
    };
    let f = ff1(key, radix)?;
    let out = if label == Label::CreditCard && radix == 10 {
        if encrypt {
            fpe::encrypt_card(&f, tweak, &body, keep_first_six).ok()?
        } else {
            fpe::decrypt_card(&f, tweak, &body, keep_first_six).ok()?
        }
    } else if encrypt {
        f.encrypt_str(tweak, &body).ok()?
    } else {
        f.decrypt_str(tweak, &body).ok()?
    };
    // Back into the original shape: separators kept, letter case kept where
    // the original was all upper case.
    let upper = text.chars().any(|c| c.is_ascii_uppercase()) && !text.chars().any(|c| c.is_ascii_lowercase());
    let mut it = out.chars();
    let replaced = |c: char| if radix == 10 { c.is_ascii_digit() } else { c.is_ascii_alphanumeric() };
    let shaped: String = text
        .chars()
        .map(|c| {
            if replaced(c) {
                let n = it.next().unwrap_or(c);
                if upper { n.to_ascii_uppercase() } else { n }
            } else {
                c
            }
        })
        .collect();
    Some(shaped.into_bytes())
}
