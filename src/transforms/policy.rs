//! Policy files: which transform applies to each label and rule (format 1,
//! documented in `docs/policies.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Policy, Transform};
use crate::error::{Error, Result};
use crate::label::Label;

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// A transform as written: a name, or a map with `transform` and parameters.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SpecShape {
    Name(String),
    Full(FullSpec),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullSpec {
    transform: String,
    #[serde(default)]
    keep_first: Option<usize>,
    #[serde(default)]
    keep_last: Option<usize>,
    #[serde(default)]
    with: Option<char>,
    #[serde(default)]
    length: Option<usize>,
    #[serde(default)]
    keep_first_six: Option<bool>,
    #[serde(default)]
    max_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    format: Spanned<u32>,
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    default: Spanned<SpecShape>,
    #[serde(default)]
    labels: BTreeMap<String, Spanned<SpecShape>>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<SpecShape>>,
}

/// The names of the built-in policies.
pub fn builtin_names() -> Vec<&'static str> {
    POLICIES.iter().filter_map(|(p, _)| p.strip_suffix(".yaml")).collect()
}

/// The built-in policy `name`, or the policy file at `name`.
pub fn load(name: &str) -> Result<Policy> {
    if let Some((_, bytes)) = POLICIES.iter().find(|(p, _)| p.strip_suffix(".yaml") == Some(name)) {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::config("built-in policy is not UTF-8"))?;
        return parse(text, Path::new(&format!("builtin:{name}.yaml")));
    }
    let path = Path::new(name);
    if !path.exists() && !name.contains('/') && !name.ends_with(".yaml") && !name.ends_with(".yml") {
        return Err(Error::config(format!(
            "no built-in policy named '{name}' (built-in: {}) and no such file",
            builtin_names().join(", ")
        )));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, path)
}

fn located(e: Error, path: &Path, at: (u64, u64)) -> Error {
    e.in_file(path).at(at.0, at.1)
}

/// Parses a policy file's text; `path` names it in errors.
pub fn parse(text: &str, path: &Path) -> Result<Policy> {
    let options = serde_saphyr::options! { with_snippet: false };
    let file: PolicyFile = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(i) = msg.rfind(" at line ") {
            msg.truncate(i);
        }
        if msg.contains("untagged enum SpecShape") {
            msg = "a transform is a name (label, redact, keep, token, mask, hash, fpe, surrogate, shift, \
                   generalize) or a map with `transform` and its parameters"
                .into();
        }
        let err = Error::config(msg).in_file(path);
        match e.location() {
            Some(l) => err.at(l.line(), l.column()),
            None => err,
        }
    })?;
    let at = |s: &Spanned<u32>| (s.referenced.line(), s.referenced.column());
    if file.format.value != 1 {
        return Err(located(
            Error::config(format!(
                "unsupported policy format {} (this version reads format 1)",
                file.format.value
            )),
            path,
            at(&file.format),
        ));
    }
    let name = file.name.value.trim();
    if name.is_empty() {
        return Err(Error::config("a policy needs a name").in_file(path));
    }
    let spec = |s: &Spanned<SpecShape>| -> Result<Transform> {
        transform_of(&s.value).map_err(|e| located(e, path, (s.referenced.line(), s.referenced.column())))
    };
    let mut policy = Policy::new(spec(&file.default)?);
    policy.name = name.to_string();
    policy.description = file.description.trim().to_string();
    for (label, s) in &file.labels {
        let l: Label = label.parse().map_err(|_| {
            located(
                Error::config(format!("'{label}' is not a canonical label")),
                path,
                (s.referenced.line(), s.referenced.column()),
            )
        })?;
        policy.set_label(l, spec(s)?);
    }
    for (rule, s) in &file.rules {
        policy.set_rule(rule.trim(), spec(s)?);
    }
    Ok(policy)
}

fn transform_of(shape: &SpecShape) -> Result<Transform> {
    let full = match shape {
        SpecShape::Name(n) => FullSpec {
            transform: n.clone(),
            keep_first: None,
            keep_last: None,
            with: None,
            length: None,
            keep_first_six: None,
            max_days: None,
        },
        SpecShape::Full(f) => FullSpec { transform: f.transform.clone(), ..*f },
    };
    let name = full.transform.trim();
    let unexpected = |what: &str| Error::config(format!("`{what}` does not apply to the {name} transform"));
    let only = |allowed: &[&str]| -> Result<()> {
        for (param, set) in [
            ("keep_first", full.keep_first.is_some()),
            ("keep_last", full.keep_last.is_some()),
            ("with", full.with.is_some()),
            ("length", full.length.is_some()),
            ("keep_first_six", full.keep_first_six.is_some()),
            ("max_days", full.max_days.is_some()),
        ] {
            if set && !allowed.contains(&param) {
                return Err(unexpected(param));
            }
        }
        Ok(())
    };
    let t = match name {
        "mask" => {
            only(&["keep_first", "keep_last", "with"])?;
            Transform::Mask {
                keep_first: full.keep_first.unwrap_or(0),
                keep_last: full.keep_last.unwrap_or(0),
                with: full.with.unwrap_or('*'),
            }
        }
        "hash" => {
            only(&["length"])?;
            let length = full.length.unwrap_or(Transform::DEFAULT_HASH_LENGTH);
            if !(8..=51).contains(&length) {
                return Err(Error::config("hash `length` must be between 8 and 51 characters"));
            }
            Transform::Hash { length }
        }
        "fpe" => {
            only(&["keep_first_six"])?;
            Transform::Fpe { keep_first_six: full.keep_first_six.unwrap_or(true) }
        }
        "shift" => {
            only(&["max_days"])?;
            let max_days = full.max_days.unwrap_or(Transform::DEFAULT_SHIFT_DAYS);
            if max_days == 0 {
                return Err(Error::config("shift `max_days` must be at least 1"));
            }
            Transform::Shift { max_days }
        }
        other => {
            only(&[])?;
            other.parse()?
        }
    };
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "format: 1\nname: t\n";

    #[test]
    fn builtins_load() {
        for name in builtin_names() {
            load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert_eq!(builtin_names().len(), 3);
    }

    #[test]
    fn bad_policies_name_the_line() {
        let cases = [
            ("default: shred\n", 3, "unknown transform 'shred'"),
            ("default: label\nlabels:\n  NAME: redact\n", 5, "'NAME' is not a canonical label"),
            (
                "default: label\nlabels:\n  PERSON: {transform: mask, length: 4}\n",
                5,
                "`length` does not apply",
            ),
            ("default: label\nlabelz: {}\n", 4, "unknown field `labelz`"),
            ("default: {transform: hash, length: 2}\n", 3, "between 8 and 51"),
            ("default: {transform: shift, max_days: 0}\n", 3, "at least 1"),
        ];
        let mut failures = Vec::new();
        for (body, line, says) in cases {
            match parse(&format!("{HEAD}{body}"), Path::new("p.yaml")) {
                Ok(_) => failures.push(format!("{body:?}: parsed")),
                Err(e) => {
                    if e.line() != Some(line) || !e.to_string().contains(says) {
                        failures.push(format!("{body:?}: {e} (line {:?})", e.line()));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn full_and_short_forms() {
        let p = parse(
            &format!(
                "{HEAD}default: token\nlabels:\n  CREDIT_CARD: {{transform: mask, keep_last: 4}}\n  DATE: {{transform: shift, max_days: 30}}\nrules:\n  email: redact\n"
            ),
            Path::new("p.yaml"),
        )
        .unwrap();
        assert_eq!(
            *p.transform_for("x", Label::CreditCard),
            Transform::Mask { keep_first: 0, keep_last: 4, with: '*' }
        );
        assert_eq!(*p.transform_for("email", Label::Email), Transform::Redact);
        assert_eq!(*p.transform_for("x", Label::Date), Transform::Shift { max_days: 30 });
        assert_eq!(*p.transform_for("x", Label::Person), Transform::Token);
    }
}
