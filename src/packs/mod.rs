//! Rule packs: loading YAML packs (built-in or from files) into a checked [`PackSet`].
//!
//! A pack is data, not code: a format version, a semantic version, and rules with
//! stable ids, each carrying the examples it must and must not match. Loading is
//! strict (unknown fields are errors) and then checked for meaning (duplicate ids,
//! unknown validators, regexes that do not parse, `extends` cycles), and every
//! error names the file, line, column and rule. The format is documented in
//! `docs/rule-packs.md`.

mod builtin;
mod format;
mod load;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

pub use format::{CaseMode, EdgeEnds};

use crate::error::Result;
use crate::label::Label;
use crate::validators::Validator;

/// Where a pack came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Shipped inside the binary, under this name.
    Builtin(String),
    /// Read from this file.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Builtin(name) => write!(f, "builtin:{name}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A loaded pack's header.
#[derive(Clone, Debug)]
pub struct Pack {
    pub(crate) name: String,
    pub(crate) version: semver::Version,
    pub(crate) description: String,
    pub(crate) origin: Origin,
    pub(crate) extends: Vec<String>,
    pub(crate) disable: Vec<String>,
    pub(crate) rule_ids: Vec<String>,
}

impl Pack {
    /// The pack's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The pack's semantic version.
    pub fn version(&self) -> &semver::Version {
        &self.version
    }
    /// What the pack is for.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Where it was loaded from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
    /// The packs it extends, as written.
    pub fn extends(&self) -> &[String] {
        &self.extends
    }
    /// The rule ids it disables.
    pub fn disable(&self) -> &[String] {
        &self.disable
    }
    /// The ids of the rules it defines, in file order.
    pub fn rule_ids(&self) -> &[String] {
        &self.rule_ids
    }
}

/// The built-in file at `path` (relative to `rules/`), such as a dictionary.
pub(crate) fn builtin_file(path: &str) -> Option<&'static [u8]> {
    builtin::file(path)
}

/// Bytes on each side of a hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Bytes before the hit's start.
    pub before: u32,
    /// Bytes after the hit's end.
    pub after: u32,
}

/// A set of words looked for near a candidate.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub(crate) window: Option<Window>,
    /// Per-list windows: boost, require, lower, veto.
    pub(crate) list_windows: [Option<Window>; 4],
    pub(crate) boost: Vec<String>,
    pub(crate) require: Vec<String>,
    pub(crate) lower: Vec<String>,
    pub(crate) veto: Vec<String>,
    pub(crate) boost_by: f32,
    pub(crate) lower_by: f32,
    pub(crate) alone_by: f32,
}

impl Context {
    /// Default window for context words, each side.
    pub const DEFAULT_WINDOW: Window = Window { before: 48, after: 48 };
    /// Default confidence added by a boost word.
    pub const DEFAULT_BOOST_BY: f32 = 0.2;
    /// Default confidence removed by a lower word.
    pub const DEFAULT_LOWER_BY: f32 = 0.3;

    /// Where context words count, unless a list has its own window.
    pub fn window(&self) -> Window {
        self.window.unwrap_or(Self::DEFAULT_WINDOW)
    }
    /// Where boost words count.
    pub fn boost_window(&self) -> Window {
        self.list_windows[0].unwrap_or(self.window())
    }
    /// Where require words count.
    pub fn require_window(&self) -> Window {
        self.list_windows[1].unwrap_or(self.window())
    }
    /// Where lower words count.
    pub fn lower_window(&self) -> Window {
        self.list_windows[2].unwrap_or(self.window())
    }
    /// Where veto words count.
    pub fn veto_window(&self) -> Window {
        self.list_windows[3].unwrap_or(self.window())
    }
    /// Words that raise confidence by [`boost_by`](Self::boost_by).
    pub fn boost(&self) -> &[String] {
        &self.boost
    }
    /// Words of which one must be near.
    pub fn require(&self) -> &[String] {
        &self.require
    }
    /// Words that lower confidence by [`lower_by`](Self::lower_by).
    pub fn lower(&self) -> &[String] {
        &self.lower
    }
    /// Words that drop the candidate.
    pub fn veto(&self) -> &[String] {
        &self.veto
    }
    /// Confidence added when a boost word is near.
    pub fn boost_by(&self) -> f32 {
        self.boost_by
    }
    /// Confidence removed when a lower word is near.
    pub fn lower_by(&self) -> f32 {
        self.lower_by
    }
    /// Confidence added when the finding, after joining, is all there is on
    /// its line but spaces and punctuation (a name alone on a line: a
    /// signature, a list entry, a form field).
    pub fn alone_by(&self) -> f32 {
        self.alone_by
    }
    /// Whether any context word is configured.
    pub fn is_empty(&self) -> bool {
        self.boost.is_empty() && self.require.is_empty() && self.lower.is_empty() && self.veto.is_empty()
    }
}

/// The words of a list, kept one after another in one shared buffer: the
/// built-in lists' 150,000 names and places, held as a string each, cost
/// more in allocations than in text, at the peak of a small run's memory.
/// Cloning shares the buffer.
#[derive(Clone)]
pub struct WordList {
    text: std::sync::Arc<str>,
    /// Where each word ends in `text`.
    ends: std::sync::Arc<[u32]>,
}

impl WordList {
    /// The number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// Whether the list has no words.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The `i`th word.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }
    /// The words in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).expect("in range"))
    }
    /// The same for every clone of one list (rules naming the same files
    /// share one list).
    pub(crate) fn id(&self) -> usize {
        self.ends.as_ptr() as usize
    }
    /// Whether `a` and `b` share one buffer (one was cloned from the other).
    pub fn ptr_eq(a: &WordList, b: &WordList) -> bool {
        std::sync::Arc::ptr_eq(&a.ends, &b.ends)
    }
}

impl PartialEq for WordList {
    fn eq(&self, other: &WordList) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<const N: usize> PartialEq<[&str; N]> for WordList {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl Default for WordList {
    fn default() -> WordList {
        WordList { text: "".into(), ends: std::sync::Arc::new([]) }
    }
}

impl<S: AsRef<str>> FromIterator<S> for WordList {
    fn from_iter<I: IntoIterator<Item = S>>(words: I) -> WordList {
        let (mut text, mut ends) = (String::new(), Vec::new());
        for w in words {
            text.push_str(w.as_ref());
            ends.push(u32::try_from(text.len()).expect("a word list under 4 GiB"));
        }
        WordList { text: text.into(), ends: ends.into() }
    }
}

impl fmt::Debug for WordList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A word or phrase list matched literally.
#[derive(Clone, Debug)]
pub struct Dictionary {
    /// Shared: the engine's copy of a rule costs no copy of its list.
    pub(crate) entries: WordList,
    pub(crate) case: CaseMode,
    pub(crate) whole_word: bool,
    pub(crate) acronym_lower_by: f32,
    pub(crate) caps_lower_by: f32,
}

impl Dictionary {
    /// The entries, trimmed, without duplicates.
    pub fn entries(&self) -> &WordList {
        &self.entries
    }
    /// How entries compare with the text.
    pub fn case(&self) -> CaseMode {
        self.case
    }
    /// Whether a hit must not touch a letter or digit on either side.
    pub fn whole_word(&self) -> bool {
        self.whole_word
    }
    /// Confidence removed from an ALL-CAPS hit whose neighbouring words are
    /// not ALL CAPS (more likely an acronym than a name).
    pub fn acronym_lower_by(&self) -> f32 {
        self.acronym_lower_by
    }
    /// Confidence removed from any other ALL-CAPS hit: one among ALL-CAPS
    /// words (a nursing note written in capitals) or alone, where capitals say
    /// nothing about whether a common word is a name ("WALKED IN HALL").
    pub fn caps_lower_by(&self) -> f32 {
        self.caps_lower_by
    }
}

/// How neighbouring candidates of one label join into one finding.
#[derive(Clone, Debug)]
pub struct Join {
    pub(crate) gap: String,
    pub(crate) boost_by: f32,
    pub(crate) counts: bool,
    pub(crate) follows: bool,
}

impl Join {
    /// The default gap: spaces or tabs.
    pub const DEFAULT_GAP: &'static str = "[ \\t]+";
    /// The longest gap that can join two candidates (bytes).
    pub const MAX_GAP: usize = 32;
    /// Default confidence added per extra member.
    pub const DEFAULT_BOOST_BY: f32 = 0.1;

    /// The regular expression the whole text between two candidates must match.
    pub fn gap(&self) -> &str {
        &self.gap
    }
    /// Confidence added for each member beyond the first.
    pub fn boost_by(&self) -> f32 {
        self.boost_by
    }
    /// Whether this rule's candidates count as members for the boost (false
    /// for parts that only bridge or extend: initials, particles, titles).
    pub fn counts(&self) -> bool {
        self.counts
    }
    /// Whether this rule's candidates join only a candidate before them (the
    /// lines below a street line, not the line above it).
    pub fn follows(&self) -> bool {
        self.follows
    }
}

/// An example a rule must match, with the value it must report.
#[derive(Clone, Debug)]
pub struct MatchExample {
    /// The text scanned.
    pub text: String,
    /// The exact text of the expected finding.
    pub value: String,
    /// Line of the example in its pack file.
    pub line: u64,
}

/// An example a rule must not match.
#[derive(Clone, Debug)]
pub struct NoMatchExample {
    /// The text scanned.
    pub text: String,
    /// Line of the example in its pack file.
    pub line: u64,
}

/// A rule as loaded and checked, ready to be compiled into an engine.
#[derive(Clone, Debug)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) pack: String,
    pub(crate) origin: Origin,
    pub(crate) line: u64,
    pub(crate) column: u64,
    pub(crate) label_name: String,
    pub(crate) label: Label,
    pub(crate) description: String,
    pub(crate) pattern: Option<String>,
    /// The pattern as parsed when the pack was loaded (the engine compiles it
    /// without parsing it again).
    pub(crate) parsed: Option<std::sync::Arc<regex_syntax::hir::Hir>>,
    pub(crate) pattern_line: u64,
    pub(crate) keywords: Vec<String>,
    pub(crate) keyword_window: Window,
    pub(crate) dictionary: Option<Dictionary>,
    pub(crate) validators: Vec<&'static Validator>,
    pub(crate) context: Context,
    pub(crate) allow_values: Vec<String>,
    pub(crate) allow_words: WordList,
    /// Words cut off either end of a value before it is judged.
    pub(crate) edge_words: WordList,
    /// Which ends of a value the edge words are cut off.
    pub(crate) edge_words_at: EdgeEnds,
    pub(crate) allow_patterns: Vec<String>,
    pub(crate) priority: i32,
    pub(crate) confidence: f32,
    pub(crate) matches: Vec<MatchExample>,
    pub(crate) no_matches: Vec<NoMatchExample>,
    pub(crate) join: Option<Join>,
    pub(crate) exclude: bool,
}

impl Rule {
    /// Default confidence of a rule's findings.
    pub const DEFAULT_CONFIDENCE: f32 = 0.8;
    /// Default window in which a pattern is tried around each keyword.
    pub const DEFAULT_KEYWORD_WINDOW: Window = Window { before: 48, after: 48 };

    /// The stable id, unique across all loaded packs.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The name of the pack that defines it.
    pub fn pack(&self) -> &str {
        &self.pack
    }
    /// Where that pack came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }
    /// The line of the rule in its pack file.
    pub fn line(&self) -> u64 {
        self.line
    }
    /// The column of the rule in its pack file.
    pub fn column(&self) -> u64 {
        self.column
    }
    /// The label as written (a canonical label or a finer one of the pack).
    pub fn label_name(&self) -> &str {
        &self.label_name
    }
    /// The canonical label it reports.
    pub fn label(&self) -> Label {
        self.label
    }
    /// What it finds.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Its regular expression, if it is a pattern rule.
    pub fn pattern(&self) -> Option<&str> {
        self.pattern.as_deref()
    }
    /// Literals of which one must be near a match (the prefilter).
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
    /// Where the pattern is tried around a keyword.
    pub fn keyword_window(&self) -> Window {
        self.keyword_window
    }
    /// Its dictionary, if it is a dictionary rule.
    pub fn dictionary(&self) -> Option<&Dictionary> {
        self.dictionary.as_ref()
    }
    /// The checks a candidate must pass.
    pub fn validators(&self) -> impl Iterator<Item = &'static Validator> + '_ {
        self.validators.iter().copied()
    }
    /// Context words.
    pub fn context(&self) -> &Context {
        &self.context
    }
    /// Values never reported.
    pub fn allow_values(&self) -> &[String] {
        &self.allow_values
    }
    /// Words of which a value made entirely is never reported.
    pub fn allow_words(&self) -> &WordList {
        &self.allow_words
    }
    /// Words cut off either end of a candidate's value before it is judged.
    pub fn edge_words(&self) -> &WordList {
        &self.edge_words
    }
    /// Which ends of a value the edge words are cut off.
    pub fn edge_words_at(&self) -> EdgeEnds {
        self.edge_words_at
    }
    /// Patterns of values never reported (matched against the whole value).
    pub fn allow_patterns(&self) -> &[String] {
        &self.allow_patterns
    }
    /// Rank when findings overlap (higher wins).
    pub fn priority(&self) -> i32 {
        self.priority
    }
    /// Base confidence of its findings.
    pub fn confidence(&self) -> f32 {
        self.confidence
    }
    /// Whether its matches mark text that is not an identifier: they are never
    /// reported, and they remove every candidate that overlaps them.
    pub fn exclude(&self) -> bool {
        self.exclude
    }
    /// How its candidates join neighbouring candidates of the same label.
    pub fn join(&self) -> Option<&Join> {
        self.join.as_ref()
    }
    /// Examples it must match.
    pub fn match_examples(&self) -> &[MatchExample] {
        &self.matches
    }
    /// Examples it must not match.
    pub fn no_match_examples(&self) -> &[NoMatchExample] {
        &self.no_matches
    }
}

/// Packs loaded and checked together: rule ids are unique across the set.
///
/// ```
/// let packs = cloak::PackSet::builtin().unwrap();
/// assert!(packs.rules().any(|r| r.id() == "email"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct PackSet {
    packs: Vec<Pack>,
    rules: Vec<Rule>,
    disabled: BTreeSet<String>,
}

impl PackSet {
    /// An empty set.
    pub fn new() -> PackSet {
        PackSet::default()
    }

    /// A set holding every built-in pack.
    pub fn builtin() -> Result<PackSet> {
        let mut set = PackSet::new();
        set.add_all_builtin()?;
        Ok(set)
    }

    /// The names of the built-in packs.
    pub fn builtin_names() -> Vec<&'static str> {
        builtin::pack_names()
    }

    /// Adds every built-in pack (those already in the set are skipped).
    pub fn add_all_builtin(&mut self) -> Result<()> {
        for name in builtin::pack_names() {
            self.add_builtin(name)?;
        }
        Ok(())
    }

    /// Adds the built-in pack `name`, and the packs it extends.
    pub fn add_builtin(&mut self, name: &str) -> Result<()> {
        load::Loader::new(self).load_builtin(name, None)
    }

    /// Adds the pack in the file at `path`, and the packs it extends.
    pub fn add_file(&mut self, path: impl AsRef<Path>) -> Result<()> {
        load::Loader::new(self).load_file(path.as_ref(), None)
    }

    /// Adds a pack from YAML text; `path` names it in errors and resolves its
    /// relative `extends` and dictionary files.
    pub fn add_yaml(&mut self, path: impl AsRef<Path>, yaml: &str) -> Result<()> {
        load::Loader::new(self).load_text(path.as_ref(), yaml)
    }

    /// The loaded packs, in load order (a pack after the packs it extends).
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Frees the rules' patterns as parsed when loaded, which building an
    /// engine uses so as not to parse them twice (their Unicode classes are
    /// megabytes in all). An engine built afterwards parses them itself.
    pub fn release_parsed(&mut self) {
        for rule in &mut self.rules {
            rule.parsed = None;
        }
    }

    /// The rules in effect: every loaded rule not disabled by some pack.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> + '_ {
        self.rules.iter().filter(|r| !self.disabled.contains(&r.id))
    }

    /// The rule with this id, if loaded and not disabled.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// The pack with this name, if loaded.
    pub fn pack(&self, name: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.name == name)
    }
}
