//! The YAML shape of a rule pack, format 1 (documented in `docs/rule-packs.md`).
//!
//! These types only mirror the file; meaning is checked in `load.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

/// A whole pack file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackFile {
    pub format: Spanned<u32>,
    pub name: Spanned<String>,
    pub version: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub labels: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub rules: Vec<Spanned<RuleSpec>>,
}

/// One rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub id: Spanned<String>,
    pub label: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub keyword_window: Option<WindowSpec>,
    #[serde(default)]
    pub dictionary: Option<Spanned<DictionarySpec>>,
    #[serde(default)]
    pub validators: Vec<Spanned<String>>,
    #[serde(default)]
    pub context: Option<ContextSpec>,
    #[serde(default)]
    pub allow: Option<AllowSpec>,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub confidence: Option<Spanned<f32>>,
    #[serde(default)]
    pub examples: Option<ExamplesSpec>,
    #[serde(default)]
    pub join: Option<JoinSpec>,
    #[serde(default)]
    pub exclude: bool,
}

/// Joining neighbouring candidates of one label into one finding.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JoinSpec {
    #[serde(default)]
    pub gap: Option<Spanned<String>>,
    #[serde(default)]
    pub boost_by: Option<Spanned<f32>>,
    #[serde(default = "yes")]
    pub counts: bool,
    #[serde(default)]
    pub follows: bool,
}

/// A window around a hit: one number for both sides, or `{before, after}`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub(crate) enum WindowSpec {
    Both(u32),
    Sides(SidesSpec),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SidesSpec {
    #[serde(default)]
    pub before: u32,
    #[serde(default)]
    pub after: u32,
}

/// How dictionary entries compare with the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseMode {
    /// ASCII letters match in any case.
    #[default]
    Insensitive,
    /// The text must equal the entry exactly.
    Sensitive,
    /// Any case, but the matched text must start with an upper-case letter
    /// (Title Case or ALL CAPS, not lower case).
    Capitalized,
    /// Title Case only: an upper-case first letter and some lower-case letter
    /// (`Smith`, `McDonald`; not `SMITH` or `smith`).
    Title,
    /// ALL CAPS only: every letter upper case (`SMITH`).
    Upper,
    /// lower case only: no upper-case letter (`smith`).
    Lower,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DictionarySpec {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub file: Option<Spanned<String>>,
    #[serde(default)]
    pub case: CaseMode,
    #[serde(default = "yes")]
    pub whole_word: bool,
    #[serde(default)]
    pub acronym_lower_by: Option<Spanned<f32>>,
    #[serde(default)]
    pub caps_lower_by: Option<Spanned<f32>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContextSpec {
    #[serde(default)]
    pub window: Option<WindowSpec>,
    #[serde(default)]
    pub boost_window: Option<WindowSpec>,
    #[serde(default)]
    pub require_window: Option<WindowSpec>,
    #[serde(default)]
    pub lower_window: Option<WindowSpec>,
    #[serde(default)]
    pub veto_window: Option<WindowSpec>,
    #[serde(default)]
    pub boost: Vec<String>,
    #[serde(default)]
    pub require: Vec<String>,
    #[serde(default)]
    pub lower: Vec<String>,
    #[serde(default)]
    pub veto: Vec<String>,
    #[serde(default)]
    pub boost_by: Option<Spanned<f32>>,
    #[serde(default)]
    pub lower_by: Option<Spanned<f32>>,
    #[serde(default)]
    pub alone_by: Option<Spanned<f32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllowSpec {
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub file: Option<Spanned<String>>,
    #[serde(default)]
    pub words_file: Option<Spanned<FileList>>,
    #[serde(default)]
    pub edge_words_file: Option<Spanned<FileList>>,
    #[serde(default)]
    pub edge_words_at: Option<EdgeEnds>,
}

/// Which ends of a value edge words are cut off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeEnds {
    /// The start and the end.
    #[default]
    Both,
    /// The start only.
    Start,
    /// The end only, and a value that starts with one is dropped: for a name
    /// right after its cue, whose first word must be the name's ("PATIENT
    /// WITH ATRIAL FIBRILLATION" is no name).
    End,
}

/// One file name or a list of them (`words_file: a.txt` or `words_file:
/// [a.txt, b.txt]`). Read by hand rather than as an untagged enum, which
/// would lose the location that errors about the files point to.
#[derive(Debug)]
pub(crate) struct FileList(pub Vec<String>);

impl<'de> Deserialize<'de> for FileList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FileList, D::Error> {
        struct Files;
        impl<'de> serde::de::Visitor<'de> for Files {
            type Value = FileList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file name or a list of file names")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FileList, E> {
                Ok(FileList(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FileList, A::Error> {
                let mut files = Vec::new();
                while let Some(f) = seq.next_element::<String>()? {
                    files.push(f);
                }
                if files.is_empty() {
                    return Err(serde::de::Error::invalid_length(0, &self));
                }
                Ok(FileList(files))
            }
        }
        d.deserialize_any(Files)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExamplesSpec {
    #[serde(default, rename = "match")]
    pub matches: Vec<Spanned<MatchExampleSpec>>,
    #[serde(default)]
    pub no_match: Vec<Spanned<String>>,
}

/// A match example: the text alone (the whole text is the expected value) or
/// the text and the value expected inside it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum MatchExampleSpec {
    Whole(String),
    WithValue(MatchWithValue),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatchWithValue {
    pub text: String,
    pub value: String,
}

/// Only the rule ids, read leniently to name the rule an error falls in.
#[derive(Debug, Deserialize)]
pub(crate) struct LenientPack {
    #[serde(default)]
    pub rules: Vec<Spanned<LenientRule>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LenientRule {
    #[serde(default)]
    pub id: Option<String>,
}
