//! The compiled detection engine.
//!
//! All rules of all loaded packs compile into one [`Engine`]. A scan runs:
//! 1. one word-by-word pass over every keyword and context word, and the gate
//!    (`gate.rs`): a few multi-pattern automata that tell, per block of lines,
//!    which patterns match there;
//! 2. each pattern rule with keywords, only in windows around its keyword hits
//!    and in blocks where it matches;
//! 3. each pattern rule without keywords, in the blocks where it matches;
//! 4. one word-by-word pass over every dictionary entry (Aho-Corasick for
//!    entries that may match inside a word);
//! 5. for each candidate: allow lists, validators, context words, then the
//!    confidence threshold;
//! 6. overlap resolution: higher priority, then higher confidence, then the
//!    longer span wins; ties go to the earlier span, then the earlier rule.
//!
//! The result depends only on the text and the rules, never on threads or on
//! how a caller splits its input into records.

mod dictionary;
mod examples;
mod gate;
mod leading;
mod literals;
mod ocr;
mod regexes;
mod required;
mod resolve;
mod tables;
pub(crate) mod text;
mod words;

use std::sync::Arc;

use regex_automata::util::iter::Searcher;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, Match};
use regex_syntax::hir::Hir;

pub use examples::{ExampleFailure, ExampleFailureKind, ExampleReport};

use self::dictionary::{Caps, DictHit, Dictionaries};
use self::literals::{LiteralHits, LiteralId, Literals};
use self::regexes::{CompileError, Pattern};
use crate::error::{Error, Result};
use crate::finding::{Finding, RuleIndex, Span};
use crate::label::Label;
use crate::packs::{PackSet, Rule, WordList};

/// The names of the capture groups that are a pattern's findings: a match
/// may name several identifiers (the speakers of a dialogue).
const VALUE_GROUPS: [&str; 9] =
    ["value", "value2", "value3", "value4", "value5", "value6", "value7", "value8", "value9"];

/// How far a match may reach past the window around a keyword (bytes). A match
/// longer than this near a keyword is found only in part.
const MAX_MATCH_EXTENT: usize = 256;

/// Configures and builds an [`Engine`].
///
/// ```
/// use cloak::{EngineBuilder, PackSet};
///
/// let packs = PackSet::builtin()?;
/// let engine = EngineBuilder::new().min_confidence(0.5).build(&packs)?;
/// let findings = engine.scan("mail jane.roe@example.org today");
/// assert_eq!(findings.len(), 1);
/// assert_eq!(findings[0].label, cloak::Label::Email);
/// # Ok::<(), cloak::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct EngineBuilder {
    min_confidence: f32,
    keyword_prefilter: bool,
    gate_after: u64,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder::new()
    }
}

impl EngineBuilder {
    /// The default threshold below which candidates are not reported.
    pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

    /// By default, the rules' gate is used once the engine has scanned this
    /// many bytes of texts longer than a block of lines: see
    /// [`gate_after`](Self::gate_after).
    pub const DEFAULT_GATE_AFTER: u64 = 2 << 20;

    /// A builder with default settings.
    pub fn new() -> EngineBuilder {
        EngineBuilder {
            min_confidence: Self::DEFAULT_MIN_CONFIDENCE,
            keyword_prefilter: true,
            gate_after: Self::DEFAULT_GATE_AFTER,
        }
    }

    /// Findings with a lower confidence are dropped (default 0.5).
    pub fn min_confidence(&mut self, threshold: f32) -> &mut EngineBuilder {
        self.min_confidence = threshold;
        self
    }

    /// Whether pattern rules with keywords are tried only near their keywords,
    /// and patterns that match only at line starts only there (default). Off,
    /// they run over the whole text and keep the matches near a keyword: the
    /// same findings, slower; useful to test the prefilters.
    pub fn keyword_prefilter(&mut self, yes: bool) -> &mut EngineBuilder {
        self.keyword_prefilter = yes;
        self
    }

    /// How many bytes of texts of several blocks of lines (about 1 KB each)
    /// the engine scans before it gates: a pass of a few multi-pattern automata
    /// that tells each rule in which blocks it can match, so that it runs only
    /// there. The automata cost more to compile and warm up than they save on
    /// a small input, and pay off over megabytes (default 2 MiB). Findings are
    /// the same either way; 0 gates from the first text (for tests).
    pub fn gate_after(&mut self, bytes: u64) -> &mut EngineBuilder {
        self.gate_after = bytes;
        self
    }

    /// Compiles the rules in effect in `packs`.
    pub fn build(&self, packs: &PackSet) -> Result<Engine> {
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(Error::config(format!(
                "minimum confidence must be between 0 and 1, not {}",
                self.min_confidence
            )));
        }
        let rules: Vec<Rule> = packs.rules().cloned().collect();
        let mut literals = Literals::new();
        let mut compiled = Vec::with_capacity(rules.len());
        let (mut keyword_rules, mut free_rules) = (Vec::new(), Vec::new());
        let mut hirs: Vec<(u32, Hir)> = Vec::new();
        let mut sets = WordSets::new();
        let mut anchored = AnchoredPatterns::new();
        for (i, rule) in rules.iter().enumerate() {
            let (c, hir) = compile_rule(rule, &mut literals, &mut sets, &mut anchored)?;
            hirs.extend(hir.map(|h| (i as u32, h)));
            if c.regex.is_some() {
                if c.keywords.is_empty() { free_rules.push(i as u32) } else { keyword_rules.push(i as u32) }
            }
            compiled.push(c);
        }
        let satellites: Vec<u32> = free_rules
            .iter()
            .copied()
            .filter(|&r| {
                let rule = &rules[r as usize];
                let ctx = rule.context();
                let best = rule.confidence()
                    + if ctx.boost().is_empty() { 0.0 } else { ctx.boost_by() }
                    + ctx.alone_by();
                rule.join().is_some_and(|j| !j.counts()) && !rule.exclude() && best < self.min_confidence
            })
            .collect();
        let dictionaries = Dictionaries::build(
            rules.iter().enumerate().filter_map(|(i, r)| {
                r.dictionary().map(|d| {
                    let checks = (d.acronym_lower_by() > 0.0, d.caps_lower_by() > 0.0);
                    (i as u32, d.entries(), d.case(), d.whole_word(), checks)
                })
            }),
            &literals,
        )?;
        // For each literal, the keyword rules (their places in
        // `keyword_rules`) that name it as a keyword: a text's few hits then
        // say which keyword rules to run, without looking up every keyword
        // of every rule.
        let mut keyword_rules_of: Vec<Vec<u32>> = vec![Vec::new(); literals.words().len()];
        for (k, &r) in keyword_rules.iter().enumerate() {
            for &lit in &compiled[r as usize].keywords {
                let of = &mut keyword_rules_of[lit as usize];
                if of.last() != Some(&(k as u32)) {
                    of.push(k as u32);
                }
            }
        }
        let gate = if self.keyword_prefilter {
            // The gate is for the rules that would otherwise search the whole
            // text: those with keywords search only near them, and satellites
            // only near findings. Gating those as well made the gate's automata
            // so large that on text of varied words they kept building states
            // (2,641 instructions per byte of fresh prose, 1,483 without them).
            let mut ungated = vec![false; rules.len()];
            for &r in satellites.iter().chain(&keyword_rules) {
                ungated[r as usize] = true;
            }
            hirs.retain(|(r, _)| !ungated[*r as usize]);
            Some(gate::Gate::new(hirs, rules.len(), self.gate_after))
        } else {
            None
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                gate,
                rules,
                compiled,
                literals,
                dictionaries,
                satellites,
                keyword_rules,
                keyword_rules_of,
                free_rules,
                min_confidence: self.min_confidence,
                keyword_prefilter: self.keyword_prefilter,
            }),
        })
    }
}

/// An immutable, compiled set of rules. Cheap to clone (shared), `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Which rules can match where; None without the keyword prefilter.
    gate: Option<gate::Gate>,
    rules: Vec<Rule>,
    compiled: Vec<Compiled>,
    literals: Literals,
    dictionaries: Dictionaries,
    keyword_rules: Vec<u32>,
    /// By literal: the places in `keyword_rules` of the rules it is a keyword of.
    keyword_rules_of: Vec<Vec<u32>>,
    free_rules: Vec<u32>,
    /// Free pattern rules whose findings can only be reported by joining a
    /// finding of another rule: below the threshold even with every boost,
    /// and not counted by `join` (so they cannot lift each other).
    satellites: Vec<u32>,
    min_confidence: f32,
    keyword_prefilter: bool,
}

#[derive(Debug)]
struct Compiled {
    regex: Option<Pattern>,
    /// The capture groups named `value`, `value2` … `value9` that the
    /// pattern has; none: the whole match is the finding.
    value_groups: Vec<usize>,
    keywords: Vec<LiteralId>,
    boost: Vec<LiteralId>,
    require: Vec<LiteralId>,
    lower: Vec<LiteralId>,
    veto: Vec<LiteralId>,
    allow_values: words::FnvSet<Vec<u8>>,
    /// Lower-cased words of which a value made entirely is allowed (shared
    /// by the rules that name the same list).
    allow_words: Arc<WordSet>,
    /// Lower-cased words cut off either end of a value (shared likewise).
    edge_words: Arc<WordSet>,
    /// Which ends they are cut off.
    edge_words_at: crate::packs::EdgeEnds,
    allow: Option<Arc<Pattern>>,
    /// The anchored gap pattern, for rules that join.
    join_gap: Option<Arc<Pattern>>,
    /// Byte sets every match of the pattern contains one byte of.
    requires: Vec<required::AsciiSet>,
    /// The longest a match can be, capped at [`MAX_MATCH_EXTENT`].
    max_len: usize,
    /// Whether no match can hold a line break.
    one_line: bool,
    /// The most line breaks a match can hold (None: no limit).
    most_newlines: Option<usize>,
    /// Where every match must start: anywhere, at a line start or at the
    /// start of the text.
    starts: Starts,
    /// Whether every match starts on a keyword hit (see `leading.rs`).
    at_keywords: bool,
}

/// Where a pattern's matches can start, from the assertions every match
/// begins with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Starts {
    Anywhere,
    /// After a line feed or at the start of the text (`(?m)^`).
    LineStart,
    /// At the start of the text only (`\A`).
    TextStart,
}

impl Starts {
    fn of(hir: &Hir) -> Starts {
        let prefix = hir.properties().look_set_prefix();
        if prefix.contains(regex_syntax::hir::Look::Start) {
            Starts::TextStart
        } else if prefix.contains(regex_syntax::hir::Look::StartLF) {
            Starts::LineStart
        } else {
            Starts::Anywhere
        }
    }
}

fn regex_error(rule: &Rule, line: u64, what: &str, e: CompileError) -> Error {
    let detail = match e {
        CompileError::Syntax(s) => s,
        CompileError::Build(e) => match e.size_limit() {
            Some(limit) => format!("exceeds the size limit of {limit} bytes once compiled"),
            None => e.to_string(),
        },
    };
    let detail = detail.lines().last().unwrap_or("").trim_start_matches("error: ").to_string();
    Error::pack(format!("{what} does not compile: {detail}"))
        .in_file(rule.origin().to_string())
        .at_line(line)
        .for_rule(rule.id())
}

type WordSet = words::FnvSet<Vec<u8>>;

/// The allow-word sets built so far, by the address of the pack's list: rules
/// that share a list (the common-word list) share one set.
type WordSets = std::collections::HashMap<usize, Arc<WordSet>>;

/// The whole-value patterns (allow patterns and join gaps) compiled so far,
/// by their text: the name rules share one gap (115 rules, each of which
/// compiled it again: a tenth of the engine build).
type AnchoredPatterns = std::collections::HashMap<Vec<String>, Arc<Pattern>>;

/// `patterns` anchored to the whole value and compiled as one, or the copy
/// compiled for an earlier rule.
fn anchored(
    cache: &mut AnchoredPatterns,
    patterns: &[String],
) -> std::result::Result<Arc<Pattern>, CompileError> {
    let whole: Vec<String> = patterns.iter().map(|p| format!("^(?:{p})$")).collect();
    if let Some(p) = cache.get(&whole) {
        return Ok(Arc::clone(p));
    }
    let refs: Vec<&str> = whole.iter().map(String::as_str).collect();
    let p = Arc::new(regexes::compile(&refs)?);
    cache.insert(whole, Arc::clone(&p));
    Ok(p)
}

/// Compiles one rule; also returns its pattern's ASCII form (for the gate).
fn compile_rule(
    rule: &Rule,
    literals: &mut Literals,
    sets: &mut WordSets,
    cache: &mut AnchoredPatterns,
) -> Result<(Compiled, Option<Hir>)> {
    let hir: Option<Arc<Hir>> = match (&rule.parsed, rule.pattern()) {
        (Some(h), _) => Some(Arc::clone(h)),
        (None, None) => None,
        (None, Some(p)) => {
            Some(Arc::new(regexes::parse(p).map_err(|e| regex_error(rule, rule.pattern_line, "pattern", e))?))
        }
    };
    let requires = hir.as_deref().map(required::requirements).unwrap_or_default();
    let most_newlines = hir.as_deref().map_or(Some(0), gate::most_newlines);
    let one_line = hir.is_some() && most_newlines == Some(0);
    let starts = hir.as_deref().map_or(Starts::Anywhere, Starts::of);
    let max_len = hir
        .as_deref()
        .and_then(|h| h.properties().maximum_len())
        .map_or(MAX_MATCH_EXTENT, |n| n.min(MAX_MATCH_EXTENT));
    let ascii = hir.as_deref().map(regexes::ascii_only);
    let at_keywords = !rule.keywords().is_empty()
        && ascii.as_ref().is_some_and(|a| leading::keyword_led(a, rule.keywords()));
    let (regex, value_groups) = match (hir, &ascii, rule.pattern()) {
        (Some(h), Some(a), Some(p)) => {
            let re = regexes::compile_forms(std::slice::from_ref(a), &[h.as_ref()], &[p])
                .map_err(|e| regex_error(rule, rule.pattern_line, "pattern", e))?;
            let groups = VALUE_GROUPS.iter().filter_map(|name| regexes::group_index(a, name)).collect();
            (Some(re), groups)
        }
        _ => (None, Vec::new()),
    };
    let allow = if rule.allow_patterns().is_empty() {
        None
    } else {
        Some(
            anchored(cache, rule.allow_patterns())
                .map_err(|e| regex_error(rule, rule.line(), "allow pattern", e))?,
        )
    };
    let join_gap = match rule.join() {
        None => None,
        Some(j) => Some(
            anchored(cache, &[j.gap().to_string()])
                .map_err(|e| regex_error(rule, rule.line(), "join gap", e))?,
        ),
    };
    let mut ids = |words: &[String]| words.iter().map(|w| literals.intern(w)).collect::<Vec<_>>();
    let ctx = rule.context();
    let compiled = Compiled {
        regex,
        value_groups,
        keywords: ids(rule.keywords()),
        boost: ids(ctx.boost()),
        require: ids(ctx.require()),
        lower: ids(ctx.lower()),
        veto: ids(ctx.veto()),
        allow_values: rule.allow_values().iter().map(|v| normalize_allowed(v.as_bytes())).collect(),
        allow_words: word_set(sets, rule.allow_words()),
        edge_words: word_set(sets, rule.edge_words()),
        edge_words_at: rule.edge_words_at(),
        allow,
        join_gap,
        requires,
        max_len,
        one_line,
        most_newlines,
        starts,
        at_keywords,
    };
    Ok((compiled, ascii))
}

/// The set of `words` (lower-cased), shared with the rules that name the same list.
fn word_set(sets: &mut WordSets, words: &WordList) -> Arc<WordSet> {
    sets.entry(words.id())
        .or_insert_with(|| Arc::new(words.iter().map(|w| w.to_ascii_lowercase().into_bytes()).collect()))
        .clone()
}

/// Clamps to [0, 1] and rounds to 1/1000, so that sums of the tenths written
/// in packs compare as written (0.3 + 0.2 reaches a 0.5 threshold).
fn round_confidence(c: f32) -> f32 {
    (c.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// Whether every word (run of letters, digits and apostrophes) of `value` is in
/// `words` (ASCII case ignored); false for a value without words.
fn all_words_in(value: &[u8], words: &WordSet) -> bool {
    let mut any = false;
    let is_word_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'\'' || *b >= 0x80;
    let mut lower = Vec::new();
    for w in value.split(|b| !is_word_byte(b)).filter(|w| !w.is_empty()) {
        any = true;
        lower.clear();
        lower.extend(w.iter().map(u8::to_ascii_lowercase));
        if !words.contains(&lower) {
            return false;
        }
    }
    any
}

/// `span` with the words of `words` (ASCII case ignored, possessives as
/// their words) at the ends `at` cut off, with the spaces and punctuation
/// between them and the rest; a period right after the last word kept stays
/// ("M." in "JULIE M. WAS"). None when every word of the value is one of
/// them, or, with `at` the end only, when the first word is one (a name
/// right after its cue starts with its own word: "PATIENT WITH ATRIAL
/// FIBRILLATION" is no name); `span` itself when it has none there.
fn trim_edges(text: &[u8], span: Span, words: &WordSet, at: crate::packs::EdgeEnds) -> Option<Span> {
    use crate::packs::EdgeEnds;
    let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80;
    let value = &text[span.range()];
    let mut kept: Option<(usize, usize)> = None;
    let mut word = Vec::new();
    let mut i = 0;
    while i < value.len() {
        if !is_word_byte(value[i]) {
            i += 1;
            continue;
        }
        let start = i;
        // A hyphen between letters joins one word ("Su-In", "YEAR-OLD").
        while i < value.len()
            && (is_word_byte(value[i])
                || (value[i] == b'-' && i + 1 < value.len() && is_word_byte(value[i + 1])))
        {
            i += 1;
        }
        word.clear();
        word.extend(value[start..i].iter().map(u8::to_ascii_lowercase));
        // A possessive is its word's ("MALE'S"); a hyphenated word is an
        // edge word when each of its parts is ("YEAR-OLD"), not when one is
        // a name's ("Su-In": "in" alone is an edge word).
        let edge = |w: &[u8]| {
            let stem = w.strip_suffix(b"'s").or_else(|| w.strip_suffix("\u{2019}s".as_bytes()));
            words.contains(w) || stem.is_some_and(|s| words.contains(s))
        };
        let is_edge = edge(&word) || (word.contains(&b'-') && word.split(|&b| b == b'-').all(edge));
        if !is_edge {
            kept = Some((kept.map_or(start, |k| k.0), i));
        }
    }
    let (first, last) = kept?;
    let starts_with_one = words_before(value, first, &is_word_byte);
    if at == EdgeEnds::End && starts_with_one {
        return None;
    }
    let cut_start = at != EdgeEnds::End && starts_with_one;
    let cut_end = at != EdgeEnds::Start && words_before(&value[last..], value.len() - last, &is_word_byte);
    let start = if cut_start { span.start + first } else { span.start };
    let end =
        if cut_end { span.start + last + usize::from(value.get(last) == Some(&b'.')) } else { span.end };
    Some(Span::new(start, end))
}

/// Whether `value[..at]` holds a word byte.
fn words_before(value: &[u8], at: usize, is_word_byte: &impl Fn(u8) -> bool) -> bool {
    value[..at].iter().any(|&b| is_word_byte(b))
}

/// Allowed values compare ignoring ASCII case, spaces, dashes and dots.
fn normalize_allowed(v: &[u8]) -> Vec<u8> {
    v.iter().filter(|b| !ignored_in_allowed(b)).map(u8::to_ascii_lowercase).collect()
}

fn ignored_in_allowed(b: &u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'\t')
}

/// Whether `value`, normalized as [`normalize_allowed`] does, is in `set`;
/// a value of up to 64 bytes (nearly all) is normalized on the stack.
fn is_allowed_value(set: &words::FnvSet<Vec<u8>>, value: &[u8]) -> bool {
    let mut buf = [0u8; 64];
    if value.len() > buf.len() {
        return set.contains(&normalize_allowed(value));
    }
    let mut n = 0;
    for &b in value.iter().filter(|b| !ignored_in_allowed(b)) {
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    set.contains(&buf[..n])
}

/// Whether `piece`, the text a name would gain before (`before`) or after
/// its found part, is more of the name: words that start with a capital or a
/// digit ("Bank", "SL", "S.à r.l.", "II", "& Truss"), one space apart and from
/// the found part. Lower-case words, line breaks, tabs, wide gaps and
/// punctuation other than inside a word are not.
fn name_words(piece: &[u8], before: bool) -> bool {
    let Ok(piece) = std::str::from_utf8(piece) else { return false };
    if piece.is_empty() {
        return true;
    }
    let inner = if before { piece.strip_suffix(' ') } else { piece.strip_prefix(' ') };
    let Some(inner) = inner else { return false };
    let word = |w: &str| {
        let capital =
            w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() && w.len() <= 4);
        // a legal form in lower case: "d.o.o.", "r.l."
        let form = w.len() <= 8 && w.contains('.');
        (capital || form)
            && w.chars().all(|c| c.is_alphanumeric() || matches!(c, '&' | '\'' | '’' | '.' | '-'))
    };
    !inner.is_empty() && inner.split(' ').all(|w| w == "&" || word(w))
}

/// A candidate before overlap resolution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub span: Span,
    pub rule: u32,
    pub priority: i32,
    pub confidence: f32,
    /// Whether a rule under test contributed (only used by example checks).
    pub marked: bool,
}

impl Engine {
    /// Finds the identifiers in `text`, sorted by start, never overlapping.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.scan_bytes(text.as_bytes())
    }

    /// Like [`scan`](Self::scan), for input that may not be valid UTF-8. Patterns
    /// only match valid UTF-8, so on valid UTF-8 input spans fall on character
    /// boundaries.
    pub fn scan_bytes(&self, text: &[u8]) -> Vec<Finding> {
        // Digits misread by OCR read as digits; the copy is as long as the
        // text, so the spans found in it are the text's.
        let read = ocr::digits_read(text);
        let text = &*read;
        let mut cands = Vec::new();
        self.candidates(text, None, &mut cands);
        self.table_candidates(text, &mut cands);
        let mut dropped = resolve::resolve(text, &mut cands);
        if !dropped.is_empty() {
            self.extend(text, &mut dropped, &mut cands);
        }
        if !dropped.is_empty() {
            self.recover(text, &dropped, &mut cands);
        }
        self.join_adjacent(text, &mut cands);
        cands
            .into_iter()
            .map(|c| Finding {
                span: c.span,
                rule: RuleIndex(c.rule),
                label: self.inner.rules[c.rule as usize].label(),
                confidence: c.confidence,
            })
            .collect()
    }

    /// Finds the identifiers in `text`, a value found under the name `field`
    /// (a JSON key, a CSV column's header): the text is scanned as
    /// `field: text`, so that the name is the value's context ("acct" before
    /// an account number, "dob" before a date), and the findings are those in
    /// `text`, with offsets into it (a finding reaching into the name is cut
    /// at the value's start). An empty `field` scans `text` alone.
    pub fn scan_field(&self, field: &[u8], text: &[u8]) -> Vec<Finding> {
        if field.is_empty() {
            return self.scan_bytes(text);
        }
        let mut labeled = Vec::with_capacity(field.len() + 2 + text.len());
        // A name is one line: a line break in it would end the context there.
        labeled.extend(field.iter().map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }));
        labeled.extend_from_slice(b": ");
        let at = labeled.len();
        labeled.extend_from_slice(text);
        let mut found = self.scan_bytes(&labeled);
        found.retain_mut(|f| {
            if f.span.end <= at {
                return false;
            }
            f.span = Span::new(f.span.start.max(at) - at, f.span.end - at);
            true
        });
        found
    }

    /// Adds the findings in the cells of the tables in `text` (see
    /// [`tables`]), each cell scanned as `header: value` like a field of a
    /// CSV file: all cells at once, one per line of a text made for it, each
    /// line a part of its own for keywords and context (a header above or
    /// beside another cell is not that cell's context).
    fn table_candidates(&self, text: &[u8], cands: &mut Vec<Candidate>) {
        let cells = tables::cells(text);
        if cells.is_empty() {
            return;
        }
        let one_line = |b: &u8| if matches!(b, b'\n' | b'\r') { b' ' } else { *b };
        let mut made = Vec::new();
        // Where each cell's value lies in `made`, beside its place in `text`.
        let mut at = Vec::with_capacity(cells.len());
        let mut walls = Vec::with_capacity(cells.len());
        for cell in &cells {
            walls.push(made.len() as u32);
            // The name on one line, without parentheses ("Client ID (CIF)"
            // reads as "Client ID CIF", as a rule's keywords are written).
            let from = made.len();
            for &b in &text[cell.header.clone()] {
                let b = if matches!(b, b'(' | b')') { b' ' } else { one_line(&b) };
                if b != b' ' || made.len() > from && made.last() != Some(&b' ') {
                    made.push(b);
                }
            }
            if made.len() > from && made.last() == Some(&b' ') {
                made.pop();
            }
            made.extend_from_slice(b": ");
            at.push((made.len(), cell.value.start, cell.value.len()));
            made.extend(text[cell.value.clone()].iter().map(one_line));
            made.push(b'\n');
        }
        let mut found = Vec::new();
        self.candidates_in_parts(&made, &walls, None, &mut found);
        resolve::resolve(&made, &mut found);
        for mut c in found {
            let k = at.partition_point(|&(start, _, _)| start <= c.span.start).saturating_sub(1);
            let (start, origin, len) = at[k];
            // A given name in a column of colours or seasons, or a word of a
            // product's name, is not a person.
            if self.inner.rules[c.rule as usize].label() == Label::Person
                && !(tables::holds_people(&text[cells[k].header.clone()])
                    && tables::name_shaped(&text[cells[k].value.clone()]))
            {
                continue;
            }
            let (a, b) = (c.span.start.max(start), c.span.end.min(start + len));
            if a < b {
                c.span = Span::new(a - start + origin, b - start + origin);
                cands.push(c);
            }
        }
    }

    /// Joins findings of the same name, place, organization or date label that
    /// stand one space apart: the parts of one identifier found by
    /// different rules ("Tue" and "01/14/2025", "Margaret L." and "Van der
    /// Linden") are one finding, masked as one, with the surer rule.
    fn join_adjacent(&self, text: &[u8], cands: &mut Vec<Candidate>) {
        let label = |c: &Candidate| self.inner.rules[c.rule as usize].label();
        let joinable =
            |l: Label| matches!(l, Label::Person | Label::Location | Label::Organization | Label::Date);
        let mut out: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands.drain(..) {
            if let Some(last) = out.last_mut() {
                let gap = &text[last.span.end.min(c.span.start)..c.span.start];
                // Handles side by side are as many people ("@ana @bo").
                let handle = text[last.span.start] == b'@' || text[c.span.start] == b'@';
                if joinable(label(&c)) && label(last) == label(&c) && gap == b" " && !handle {
                    let keep = if c.confidence > last.confidence { c } else { *last };
                    *last = Candidate { span: Span::new(last.span.start, c.span.end), ..keep };
                    continue;
                }
            }
            out.push(c);
        }
        *cands = out;
    }

    /// Stretches findings over the candidates of their own label that lost to
    /// them only for being less sure, where what they add is more of the
    /// identifier: capitalized words, numbers and legal forms one space apart
    /// ("Northgate Mutual" found by a surer rule inside "Northgate Mutual
    /// Bank", "Atelier Ruiz" inside "Atelier Ruiz SL", a date's time "03-11-2024
    /// 0145"). Names of people are left as found. A loser that reaches over a
    /// column's gap, a line break or a comma, or overlaps a finding of another
    /// label, stays dropped. The stretched finding keeps the surest rule and
    /// confidence of its parts. Candidates used so are taken out of `dropped`.
    fn extend(&self, text: &[u8], dropped: &mut Vec<Candidate>, cands: &mut Vec<Candidate>) {
        let label = |c: &Candidate| self.inner.rules[c.rule as usize].label();
        let mut grown = false;
        dropped.retain(|d| {
            // A weak reading of a name running on past a found one is more
            // often the next word ("@h_poulter Just", "K. AKANA #P2217").
            if label(d) == Label::Person {
                return true;
            }
            // `cands` is sorted by start and its spans do not overlap, so
            // those overlapping `d` are a run of it.
            let from = cands.partition_point(|c| c.span.end <= d.span.start);
            let to = from + cands[from..].partition_point(|c| c.span.start < d.span.end);
            if from == to {
                return true;
            }
            // An organization named after a place holds the place found in it
            // ("Calder County Water Authority", "Bank of Ireland"): it takes
            // the place in, under its own label.
            let place_in_name = label(d) == Label::Organization
                && d.span.start <= cands[from].span.start
                && cands[to - 1].span.end <= d.span.end
                && cands[from..to].iter().any(|c| label(c) == Label::Location)
                && cands[from..to].iter().all(|c| matches!(label(c), Label::Location | Label::Organization));
            if !place_in_name && cands[from..to].iter().any(|c| label(c) != label(d)) {
                return true;
            }
            let start = d.span.start.min(cands[from].span.start);
            let end = d.span.end.max(cands[to - 1].span.end);
            let (head, tail) = (&text[start..cands[from].span.start], &text[cands[to - 1].span.end..end]);
            // Nor does it reach over a column's gap or a line between them.
            let wide = |gap: &[u8]| {
                gap.contains(&b'\n')
                    || gap.contains(&b'\r')
                    || gap.contains(&b'\t')
                    || gap.windows(2).any(|w| w == b"  ")
            };
            if !name_words(head, true)
                || !name_words(tail, false)
                || cands[from..to].windows(2).any(|w| wide(&text[w[0].span.end..w[1].span.start]))
            {
                return true;
            }
            let surest = cands[from..to]
                .iter()
                .copied()
                .reduce(|a, b| if b.confidence > a.confidence { b } else { a })
                .expect("a non-empty run");
            let kept = if place_in_name { Candidate { confidence: surest.confidence, ..*d } } else { surest };
            cands.splice(from..to, [Candidate { span: Span::new(start, end), ..kept }]);
            grown = true;
            false
        });
        debug_assert!(!grown || cands.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }

    /// Looks again around candidates that lost to a surer overlapping one and
    /// were dropped whole: with the accepted findings blanked out, what is
    /// left there may be an identifier of its own ("Patricia Davila,Apr 5,
    /// 1945" read as a name running into a date loses to the date, but the
    /// name is still a name). Only findings inside a dropped candidate and of
    /// its label are kept, and they compete again with the findings they overlap. One round, in windows around the dropped spans,
    /// so its cost follows the number of such conflicts, not the text size.
    fn recover(&self, text: &[u8], dropped: &[Candidate], cands: &mut Vec<Candidate>) {
        const REACH: usize = 64;
        let mut dropped = dropped.to_vec();
        dropped.sort_by_key(|d| d.span.start);
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for d in dropped.iter().map(|d| d.span) {
            let start = widen_back(text, d.start.saturating_sub(REACH));
            let end = widen_forward(text, (d.end + REACH).min(text.len()));
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => windows.push((start, end)),
            }
        }
        let mut found = Vec::new();
        let mut scratch = Vec::new();
        for (start, end) in windows {
            let mut window = text[start..end].to_vec();
            // Blank what beat a dropped candidate; the rest stays as text
            // and competes again below.
            let beat = |c: &Candidate| {
                dropped.iter().any(|d| d.span.overlaps(c.span) && c.confidence > d.confidence)
            };
            for c in cands.iter().filter(|c| c.span.start < end && c.span.end > start && beat(c)) {
                let (a, b) = (c.span.start.max(start) - start, c.span.end.min(end) - start);
                window[a..b].fill(b' ');
            }
            scratch.clear();
            self.candidates(&window, None, &mut scratch);
            resolve::resolve(&window, &mut scratch);
            for mut c in scratch.drain(..) {
                c.span = Span::new(c.span.start + start, c.span.end + start);
                let label = self.inner.rules[c.rule as usize].label();
                let within = |d: &Candidate| {
                    d.span.start <= c.span.start
                        && c.span.end <= d.span.end
                        && self.inner.rules[d.rule as usize].label() == label
                };
                if dropped.iter().any(within) && !cands.iter().any(|k| k.span.overlaps(c.span) && beat(k)) {
                    found.push(c);
                }
            }
        }
        if !found.is_empty() {
            cands.extend(found);
            resolve::resolve(text, cands);
        }
    }

    /// The rules compiled into this engine, indexed by [`RuleIndex`].
    pub fn rules(&self) -> &[Rule] {
        &self.inner.rules
    }

    /// The rule behind a finding.
    pub fn rule(&self, index: RuleIndex) -> &Rule {
        &self.inner.rules[index.as_usize()]
    }

    /// The index of the rule with this id.
    pub fn rule_index(&self, id: &str) -> Option<RuleIndex> {
        self.inner.rules.iter().position(|r| r.id() == id).map(|i| RuleIndex(i as u32))
    }

    /// Every candidate that survives its rule's checks, joining and the
    /// threshold, before overlap resolution. With `mark`, candidates to which
    /// that rule contributed (alone or joined) have `marked` set.
    pub(crate) fn candidates(&self, text: &[u8], mark: Option<u32>, out: &mut Vec<Candidate>) {
        self.candidates_in_parts(text, &[], mark, out);
    }

    /// [`candidates`](Self::candidates) of a text made of independent parts
    /// beginning at `walls` (sorted offsets), such as a table's cells: a
    /// rule's keywords and context words count only in the part of the match.
    fn candidates_in_parts(&self, text: &[u8], walls: &[u32], mark: Option<u32>, out: &mut Vec<Candidate>) {
        let inner = &*self.inner;
        // One pass over the words of the text finds the dictionaries' entries
        // and the rules' keywords and context words.
        let mut dict = Vec::new();
        let mut literal_hits = Vec::new();
        inner.dictionaries.scan(text, &mut dict, &mut literal_hits);
        let mut hits = LiteralHits::default();
        hits.fill(&inner.literals, &literal_hits);
        hits.set_walls(walls.iter().copied());
        // A rule whose every match needs a byte the text lacks cannot match.
        let chunks = required::Chunks::of_text(text);
        let present = chunks.all();
        let possible = |r: u32| {
            !inner.keyword_prefilter || inner.compiled[r as usize].requires.iter().all(|s| s.meets(present))
        };
        let mut gated = gate::Possible::default();
        if let Some(g) = &inner.gate {
            g.run(text, &mut gated);
        }
        let possible = |r: u32| possible(r) && gated.any(r);
        let mut raw: Vec<(u32, Span)> = Vec::new();
        // ALL-CAPS dictionary hits of rules that lower them.
        let mut caps_hits: Vec<(u32, Span, Caps)> = Vec::new();

        let mut hit_rules = vec![false; inner.keyword_rules.len()];
        for &(lit, _) in &literal_hits {
            for &k in &inner.keyword_rules_of[lit as usize] {
                hit_rules[k as usize] = true;
            }
        }
        // Whether the text is all ASCII (where keyword-led rules need no check of their regions).
        let ascii = text.is_ascii();
        let mut hit_starts: Vec<u32> = Vec::new();
        for (k, &r) in inner.keyword_rules.iter().enumerate() {
            let c = &inner.compiled[r as usize];
            if inner.keyword_prefilter && (!hit_rules[k] || !possible(r)) {
                continue;
            }
            let w = inner.rules[r as usize].keyword_window();
            let start = raw.len();
            if inner.keyword_prefilter {
                let mut regions =
                    keyword_regions(text, &hits, &inner.literals, &c.keywords, w, c.max_len, c.most_newlines);
                if let Some(blocks) = gated.regions(r) {
                    regions = gate::intersect(&regions, blocks);
                }
                // A window that lacks a byte every match needs is not searched.
                regions.retain(|&(lo, hi)| {
                    let here = chunks.within(lo, hi);
                    c.requires.iter().all(|s| s.meets(here))
                });
                if c.at_keywords {
                    hit_starts.clear();
                    hit_starts.extend(c.keywords.iter().flat_map(|&k| hits.of(k).iter().copied()));
                    hit_starts.sort_unstable();
                    hit_starts.dedup();
                    for (lo, hi) in regions {
                        if ascii || text[lo.saturating_sub(1)..(hi + 1).min(text.len())].is_ascii() {
                            self.find_at_hits(r, text, lo, hi, &hit_starts, &mut raw);
                        } else {
                            self.find(r, text, lo, hi, &mut raw);
                        }
                    }
                } else {
                    for (lo, hi) in regions {
                        self.find(r, text, lo, hi, &mut raw);
                    }
                }
            } else {
                self.find(r, text, 0, text.len(), &mut raw);
            }
            // Keep matches near a keyword; drop those two overlapping regions both found.
            let mut kept: Vec<(u32, Span)> = raw
                .drain(start..)
                .filter(|(_, s)| {
                    hits.any_near(
                        &inner.literals,
                        &c.keywords,
                        (s.start, s.end),
                        w.before as usize,
                        w.after as usize,
                    )
                })
                .collect();
            kept.sort_by_key(|(_, s)| *s);
            kept.dedup();
            raw.extend(kept);
        }
        for &r in &inner.free_rules {
            if possible(r) && !(inner.keyword_prefilter && inner.satellites.contains(&r)) {
                match gated.regions(r) {
                    Some(blocks) => blocks.iter().for_each(|&(lo, hi)| self.find(r, text, lo, hi, &mut raw)),
                    None => self.find(r, text, 0, text.len(), &mut raw),
                }
            }
        }
        raw.extend(dict.into_iter().map(|DictHit { start, end, rule, caps }| {
            if caps != Caps::No {
                caps_hits.push((rule, Span::new(start, end), caps));
            }
            (rule, Span::new(start, end))
        }));
        caps_hits.sort_unstable_by_key(|&(r, s, _)| (s, r));

        let mut judged = Vec::with_capacity(raw.len());
        let mut excluded: Vec<Span> = Vec::new();
        self.judge_all(text, raw, &hits, &caps_hits, mark, &mut judged, &mut excluded, out);
        if inner.keyword_prefilter && !inner.satellites.is_empty() {
            self.satellites(
                text,
                &possible,
                &gated,
                &hits,
                &caps_hits,
                mark,
                &mut judged,
                &mut excluded,
                out,
            );
        }
        if !excluded.is_empty() {
            excluded.sort_unstable_by_key(|s| s.start);
            judged.retain(|c| {
                // Exclusions do not overlap each other much; look at those
                // starting before the candidate ends.
                let n = excluded.partition_point(|s| s.start < c.span.end);
                !excluded[..n].iter().any(|s| s.overlaps(c.span))
            });
        }
        self.join(text, &mut judged);
        for c in &mut judged {
            let by = inner.rules[c.rule as usize].context().alone_by();
            if by > 0.0 && alone_on_line(text, c.span) {
                c.confidence = round_confidence(c.confidence + by);
            }
        }
        out.extend(judged.into_iter().filter(|c| c.confidence >= inner.min_confidence));
    }

    /// Finds the satellite rules' matches (those reported only by joining a
    /// candidate of their label) near the candidates judged so far, then near
    /// the satellites found, until no new one turns up: a chain of satellites,
    /// as the lines of an address below its street line, is found whole. Each
    /// match that could join a candidate lies within the join gap plus the
    /// rule's longest match of it; windows are widened to whole lines, so a
    /// search finds there what a search of the whole text would (lines longer
    /// than [`MAX_MATCH_EXTENT`] past the window excepted).
    #[allow(clippy::too_many_arguments)]
    fn satellites(
        &self,
        text: &[u8],
        possible: &dyn Fn(u32) -> bool,
        gated: &gate::Possible,
        hits: &LiteralHits,
        caps_hits: &[(u32, Span, Caps)],
        mark: Option<u32>,
        judged: &mut Vec<Candidate>,
        excluded: &mut Vec<Span>,
        out: &mut Vec<Candidate>,
    ) {
        let inner = &*self.inner;
        let mut searched: Vec<Vec<(usize, usize)>> = vec![Vec::new(); inner.satellites.len()];
        let mut found: words::FnvSet<(u32, Span)> = words::FnvSet::default();
        let mut from = 0;
        while from < judged.len() {
            let mut near = Vec::new();
            for (k, &r) in inner.satellites.iter().enumerate() {
                if !possible(r) {
                    continue;
                }
                let label = inner.rules[r as usize].label();
                const GAP: usize = crate::packs::Join::MAX_GAP;
                let rc = &inner.compiled[r as usize];
                // A match within one line that joins a candidate starts or
                // ends within the gap of it; one of any length, within the
                // gap plus its longest match. A part that follows joins only
                // after a candidate (before one it gives way), so only the
                // text after it counts.
                let (back, ahead) =
                    if rc.one_line { (GAP, GAP) } else { (GAP + rc.max_len, GAP + rc.max_len) };
                let follows = inner.rules[r as usize].join().is_some_and(|j| j.follows());
                let mut windows: Vec<(usize, usize)> = judged[from..]
                    .iter()
                    .filter(|c| inner.rules[c.rule as usize].label() == label)
                    .map(|c| {
                        let lo = if follows { c.span.end } else { c.span.start.saturating_sub(back) };
                        (lo, (c.span.end + ahead).min(text.len()))
                    })
                    .collect();
                windows.sort_unstable();
                // Merged, then widened to whole lines (once per window, not
                // per candidate), then merged again where lines now touch.
                let mut widened = merge(windows);
                for w in &mut widened {
                    *w = (line_start(text, w.0), line_end(text, w.1));
                }
                let mut merged = merge(widened);
                // Lines searched before hold nothing new.
                let done = &searched[k];
                merged.retain(|&(lo, hi)| {
                    let i = done.partition_point(|&(a, _)| a <= lo);
                    i == 0 || done[i - 1].1 < hi
                });
                let mut all = std::mem::take(&mut searched[k]);
                all.extend_from_slice(&merged);
                all.sort_unstable();
                searched[k] = merge(all);
                if let Some(blocks) = gated.regions(r) {
                    merged = gate::intersect(&merged, blocks);
                }
                for (lo, hi) in merged {
                    self.find(r, text, lo, hi, &mut near);
                }
            }
            near.sort_unstable_by_key(|&(r, s)| (s, r));
            near.dedup();
            near.retain(|m| found.insert(*m));
            from = judged.len();
            self.judge_all(text, near, hits, caps_hits, mark, judged, excluded, out);
        }
    }

    /// Judges raw matches into candidates (or exclusions).
    #[allow(clippy::too_many_arguments)]
    fn judge_all(
        &self,
        text: &[u8],
        raw: Vec<(u32, Span)>,
        hits: &LiteralHits,
        caps_hits: &[(u32, Span, Caps)],
        mark: Option<u32>,
        judged: &mut Vec<Candidate>,
        excluded: &mut Vec<Span>,
        out: &mut Vec<Candidate>,
    ) {
        let inner = &*self.inner;
        for (r, found) in raw {
            if let Some((span, mut confidence)) = self.judge(r, text, found, hits) {
                let rule = &inner.rules[r as usize];
                if rule.exclude() {
                    excluded.push(span);
                    if mark == Some(r) {
                        // Example checks see what an exclude rule matched.
                        out.push(Candidate { span, rule: r, priority: 0, confidence, marked: true });
                    }
                    continue;
                }
                let at = caps_hits.binary_search_by_key(&(found, r), |&(ar, s, _)| (s, ar));
                if let Ok(&(_, _, caps)) = at.map(|i| &caps_hits[i]) {
                    let by = rule.dictionary().map_or(0.0, |d| match caps {
                        Caps::Acronym => d.acronym_lower_by(),
                        Caps::Run => d.caps_lower_by(),
                        Caps::No => 0.0,
                    });
                    confidence = round_confidence(confidence - by);
                }
                judged.push(Candidate {
                    span,
                    rule: r,
                    priority: rule.priority(),
                    confidence,
                    marked: mark == Some(r),
                });
            }
        }
    }

    /// Joins candidates of rules with `join` that share a label and overlap,
    /// touch, or are separated only by text matching the gap pattern.
    fn join(&self, text: &[u8], cands: &mut Vec<Candidate>) {
        let inner = &*self.inner;
        let joins = |c: &Candidate| inner.compiled[c.rule as usize].join_gap.is_some();
        if !cands.iter().any(joins) {
            return;
        }
        let (mut joinable, rest): (Vec<Candidate>, Vec<Candidate>) = cands.drain(..).partition(joins);
        let label = |c: &Candidate| inner.rules[c.rule as usize].label();
        // A total order, so the result does not depend on the order candidates
        // were found in (the keyword prefilter changes it): at one span, a
        // member that counts toward the join's boost comes first.
        let counts = |c: &Candidate| inner.rules[c.rule as usize].join().is_none_or(|j| j.counts());
        joinable.sort_by(|a, b| {
            label(a)
                .cmp(&label(b))
                .then(a.span.start.cmp(&b.span.start))
                .then(b.span.end.cmp(&a.span.end))
                .then(counts(b).cmp(&counts(a)))
                .then(b.confidence.total_cmp(&a.confidence))
                .then(a.rule.cmp(&b.rule))
        });
        let mut joined: Vec<Candidate> = Vec::with_capacity(joinable.len());
        // Per open group: the best member's confidence and the number of members.
        let mut best = 0.0f32;
        let mut members = 0u32;
        let mut last_rule = 0u32;
        // The rules of the open group's members that end where it ends: a
        // candidate after it joins if the gap after any of them allows it (a
        // town's rule and an address line's rule can find the same words).
        let mut end_rules: Vec<u32> = Vec::new();
        // Whether the open group is made only of parts that follow candidates.
        let mut follows_only = false;
        // Whether the open group holds a member that counts (one that joined
        // by overlapping adds no boost, but the group is no longer parts only).
        let mut solid = false;
        // Where the open group's last counting member ends: a counting member
        // that starts there or after adds to the boost, also when it lies
        // inside a part that does not count ("Lamovec and Morales" found whole
        // by a list part over the names found one by one).
        let mut counted_end = 0usize;
        let follows = |c: &Candidate| inner.rules[c.rule as usize].join().is_some_and(|j| j.follows());
        let close = |g: &mut Candidate, best: f32, members: u32, last_rule: u32| {
            let boost = inner.rules[last_rule as usize].join().map_or(0.0, |j| j.boost_by());
            g.confidence = round_confidence(best + boost * members.saturating_sub(1) as f32);
        };
        for c in joinable {
            if let Some(g) = joined.last_mut() {
                // A part that follows joins by touching or by the gap, or lies
                // within: it does not stretch a candidate it starts inside of
                // ("Summit Medical Center on Monday" over a hospital's name).
                if label(g) == label(&c)
                    && follows(&c)
                    && c.span.start < g.span.end
                    && c.span.end > g.span.end
                {
                    continue;
                }
                // A group of parts that do not count, one of which only follows
                // candidates, gives way to the next candidate: the line above a
                // street line is not part of the address, and a line holding
                // the city found in it is not stretched over by it.
                if label(g) == label(&c) && counts(&c) && !solid && follows_only {
                    best = c.confidence;
                    members = 1;
                    counted_end = c.span.end;
                    last_rule = c.rule;
                    follows_only = false;
                    solid = true;
                    end_rules.clear();
                    end_rules.push(c.rule);
                    *g = c;
                    continue;
                }
                if label(g) == label(&c) {
                    let adjacent = c.span.start <= g.span.end;
                    let gap_ok = !adjacent && c.span.start - g.span.end <= crate::packs::Join::MAX_GAP && {
                        let gap = &text[g.span.end..c.span.start];
                        end_rules.iter().any(|&r| {
                            let re = inner.compiled[r as usize].join_gap.as_ref().expect("joinable");
                            re.for_region(gap, 0, gap.len()).is_match(Input::new(gap))
                        })
                    };
                    if adjacent || gap_ok {
                        let counts = inner.rules[c.rule as usize].join().is_none_or(|j| j.counts());
                        if counts && c.span.start >= counted_end {
                            members += 1;
                            counted_end = c.span.end;
                        }
                        if c.confidence > best {
                            best = c.confidence;
                            g.rule = c.rule;
                        }
                        follows_only |= follows(&c);
                        solid |= counts;
                        g.priority = g.priority.max(c.priority);
                        g.marked |= c.marked;
                        if c.span.end > g.span.end {
                            g.span.end = c.span.end;
                            last_rule = c.rule;
                            end_rules.clear();
                        }
                        if c.span.end == g.span.end && !end_rules.contains(&c.rule) {
                            end_rules.push(c.rule);
                        }
                        continue;
                    }
                }
                close(g, best, members, last_rule);
            }
            best = c.confidence;
            members = u32::from(counts(&c));
            counted_end = if counts(&c) { c.span.end } else { 0 };
            last_rule = c.rule;
            end_rules.clear();
            end_rules.push(c.rule);
            follows_only = follows(&c);
            solid = counts(&c);
            joined.push(c);
        }
        if let Some(g) = joined.last_mut() {
            close(g, best, members, last_rule);
        }
        *cands = rest;
        cands.extend(joined);
    }

    /// Runs rule `r`'s pattern over `text[lo..hi]` (with the whole text as
    /// context for look-arounds), pushing each non-empty match, or each
    /// non-empty `value`, `value2` … group.
    fn find(&self, r: u32, text: &[u8], lo: usize, hi: usize, out: &mut Vec<(u32, Span)>) {
        let c = &self.inner.compiled[r as usize];
        let Some(pattern) = &c.regex else { return };
        // An anchored attempt costs about as much as scanning a line of
        // LINE_SCAN bytes: text of shorter lines is scanned.
        const LINE_SCAN: usize = 96;
        let at_starts = self.inner.keyword_prefilter
            && match c.starts {
                Starts::Anywhere => false,
                Starts::TextStart => true,
                Starts::LineStart => memchr::memchr_iter(b'\n', &text[lo..hi]).count() * LINE_SCAN <= hi - lo,
            };
        if at_starts {
            return Self::find_at_starts(r, c, pattern, text, lo, hi, out);
        }
        pattern.for_each_piece(text, lo, hi, c.one_line, |re, lo, hi| {
            let input = Input::new(text).range(lo..hi);
            match c.value_groups.as_slice() {
                [] => {
                    for m in re.find_iter(input) {
                        if !m.is_empty() {
                            out.push((r, Span::new(m.start(), m.end())));
                        }
                    }
                }
                groups => with_slots(groups, |slots| {
                    let mut it = Searcher::new(input);
                    while it.advance(|input| Ok(search_slots(re, input, slots))).is_some() {
                        push_groups(r, groups, slots, out);
                    }
                }),
            }
        });
    }

    /// [`Engine::find`] for a pattern whose matches all start at a line start
    /// (or at the start of the text): an anchored search from each such
    /// position instead of a scan of every byte, which for a line rule over a
    /// one-line record is one short attempt instead of a pass over the
    /// record. The matches are those of an unanchored search: each starts at
    /// one of these positions, and the next search begins where the last
    /// match ended, as the unanchored iteration does.
    fn find_at_starts(
        r: u32,
        c: &Compiled,
        pattern: &Pattern,
        text: &[u8],
        lo: usize,
        hi: usize,
        out: &mut Vec<(u32, Span)>,
    ) {
        let is_start = |at: usize| at == 0 || (c.starts == Starts::LineStart && text[at - 1] == b'\n');
        // The first start at or after `at` (`hi + 1` when none is left).
        let next_start = |at: usize| -> usize {
            if at <= hi && is_start(at) {
                return at;
            }
            if c.starts == Starts::TextStart {
                return hi + 1;
            }
            let from = at.min(hi);
            memchr::memchr(b'\n', &text[from..hi]).map_or(hi + 1, |k| from + k + 1)
        };
        let re = pattern.for_region(text, lo, hi);
        Self::find_anchored(r, c, re, text, lo, hi, next_start, out);
    }

    /// [`Engine::find`] for a rule whose every match starts on one of its
    /// keywords' hits (see `leading.rs`), in an ASCII region (and the bytes
    /// around it): an anchored search at each hit of `starts` (the rule's, in
    /// order), a short attempt where a scan would read the whole window.
    fn find_at_hits(
        &self,
        r: u32,
        text: &[u8],
        lo: usize,
        hi: usize,
        starts: &[u32],
        out: &mut Vec<(u32, Span)>,
    ) {
        let c = &self.inner.compiled[r as usize];
        let Some(pattern) = &c.regex else { return };
        let from = starts.partition_point(|&s| (s as usize) < lo);
        let mut ahead = starts[from..].iter().map(|&s| s as usize);
        // The starts only move forward: those passed are not looked at again.
        let next_start = move |at: usize| ahead.find(|&s| s >= at).filter(|&s| s < hi).unwrap_or(hi + 1);
        Self::find_anchored(r, c, pattern.for_region(text, lo, hi), text, lo, hi, next_start, out);
    }

    /// An anchored search at each start `next_start` gives, from the first at
    /// or after `lo`; after a match the next start is at or after its end, as
    /// in an unanchored iteration (`hi + 1`: none is left).
    #[allow(clippy::too_many_arguments)]
    fn find_anchored(
        r: u32,
        c: &Compiled,
        re: &regex_automata::meta::Regex,
        text: &[u8],
        lo: usize,
        hi: usize,
        mut next_start: impl FnMut(usize) -> usize,
        out: &mut Vec<(u32, Span)>,
    ) {
        with_slots(&c.value_groups, |slots| {
            let mut at = next_start(lo);
            while at < hi {
                let input = Input::new(text).range(at..hi).anchored(Anchored::Yes);
                let end = if c.value_groups.is_empty() {
                    re.search(&input).map(|m| {
                        if !m.is_empty() {
                            out.push((r, Span::new(m.start(), m.end())));
                        }
                        m.end()
                    })
                } else {
                    search_slots(re, &input, slots).map(|m| {
                        push_groups(r, &c.value_groups, slots, out);
                        m.end()
                    })
                };
                at = match end {
                    Some(e) if e > at => next_start(e),
                    _ => next_start(at + 1),
                };
            }
        });
    }

    /// Applies rule `r`'s edge words, allow lists, validators and context to
    /// one candidate; returns its span (less the edge words) and confidence
    /// unless it is dropped (the threshold comes later, after joining).
    fn judge(&self, r: u32, text: &[u8], span: Span, hits: &LiteralHits) -> Option<(Span, f32)> {
        let inner = &*self.inner;
        let c = &inner.compiled[r as usize];
        let rule = &inner.rules[r as usize];
        let span = if c.edge_words.is_empty() {
            span
        } else {
            trim_edges(text, span, &c.edge_words, c.edge_words_at)?
        };
        let value = &text[span.range()];
        if !c.allow_values.is_empty() && is_allowed_value(&c.allow_values, value) {
            return None;
        }
        if !c.allow_words.is_empty() && all_words_in(value, &c.allow_words) {
            return None;
        }
        if let Some(allow) = &c.allow {
            if allow.for_region(value, 0, value.len()).is_match(Input::new(value)) {
                return None;
            }
        }
        if !rule.validators().all(|v| v.check(value)) {
            return None;
        }
        let ctx = rule.context();
        let near = |lits: &[LiteralId], w: crate::packs::Window| {
            !lits.is_empty()
                && hits.any_near(
                    &inner.literals,
                    lits,
                    (span.start, span.end),
                    w.before as usize,
                    w.after as usize,
                )
        };
        if !c.require.is_empty() && !near(&c.require, ctx.require_window()) {
            return None;
        }
        if near(&c.veto, ctx.veto_window()) {
            return None;
        }
        let mut confidence = rule.confidence();
        if near(&c.boost, ctx.boost_window()) {
            confidence += rule.context().boost_by();
        }
        if near(&c.lower, ctx.lower_window()) {
            confidence -= rule.context().lower_by();
        }
        Some((span, round_confidence(confidence)))
    }
}

/// The merged regions of `text` where a rule's pattern can match near one of
/// its keywords: a match must lie within `w` of a keyword hit, and is at most
/// `max_len` bytes long (the pattern's bound, or [`MAX_MATCH_EXTENT`]).
fn keyword_regions(
    text: &[u8],
    hits: &LiteralHits,
    literals: &Literals,
    keywords: &[LiteralId],
    w: crate::packs::Window,
    max_len: usize,
    most_newlines: Option<usize>,
) -> Vec<(usize, usize)> {
    let (before, after) = (w.before as usize, w.after as usize);
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for &k in keywords {
        let klen = literals.word_len(k);
        for &s in hits.of(k) {
            let s = s as usize;
            // A kept match's value lies within the window of a hit, so the
            // match reaches back to `(s + klen) - after` or further, and
            // starts by `s + before`; it is at most `max_len` long.
            let mut lo = (s + klen).saturating_sub(after + max_len);
            let mut hi = (s + before + max_len).min(text.len());
            // A match of at most n line breaks touches the window
            // `[s - after, s + klen + before]`, so it lies within n lines of
            // the lines the window spans: no further back than the (n+1)th
            // line break before the window, nor past the (n+1)th after it.
            if let Some(n) = most_newlines {
                let (x_lo, x_hi) = (s.saturating_sub(after).max(lo), (s + klen + before).min(hi));
                if x_lo <= x_hi {
                    if let Some(nl) = memchr::memrchr_iter(b'\n', &text[lo..x_lo]).nth(n) {
                        lo += nl + 1;
                    }
                    if let Some(nl) = memchr::memchr_iter(b'\n', &text[x_hi..hi]).nth(n) {
                        hi = x_hi + nl;
                    }
                }
            }
            regions.push((lo, hi));
        }
    }
    regions.sort_unstable();
    merge(regions)
}

/// Sorted intervals with those that overlap or touch made one (in place:
/// this runs for every keyword rule and satellite of every text).
fn merge(mut sorted: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut n = 0;
    for i in 0..sorted.len() {
        let (lo, hi) = sorted[i];
        if n > 0 && lo <= sorted[n - 1].1 {
            sorted[n - 1].1 = sorted[n - 1].1.max(hi);
        } else {
            sorted[n] = (lo, hi);
            n += 1;
        }
    }
    sorted.truncate(n);
    sorted
}

/// Whether nothing but spaces and ASCII punctuation shares the line with
/// `span`. Each side stops at the first other byte, so the checks of all
/// candidates read each byte at most twice.
fn alone_on_line(text: &[u8], span: Span) -> bool {
    let bare = |b: &u8| b.is_ascii_whitespace() || b.is_ascii_punctuation();
    let mut before = text[..span.start].iter().rev().take_while(|&&b| b != b'\n');
    let mut after = text[span.end..].iter().take_while(|&&b| b != b'\n');
    before.all(bare) && after.all(bare)
}

/// The start of the line holding `at`, or `at` less [`MAX_MATCH_EXTENT`].
fn line_start(text: &[u8], at: usize) -> usize {
    let floor = at.saturating_sub(MAX_MATCH_EXTENT);
    memchr::memrchr(b'\n', &text[floor..at]).map_or(floor, |i| floor + i + 1)
}

/// The end of the line holding `at` (before its line break), or `at` plus
/// [`MAX_MATCH_EXTENT`].
fn line_end(text: &[u8], at: usize) -> usize {
    let ceiling = (at + MAX_MATCH_EXTENT).min(text.len());
    memchr::memchr(b'\n', &text[at..ceiling]).map_or(ceiling, |i| at + i)
}

/// `at` moved back to the start of its line or word (at most 32 bytes), so a
/// window never starts inside a word.
fn widen_back(text: &[u8], mut at: usize) -> usize {
    let floor = at.saturating_sub(32);
    while at > floor && !text[at - 1].is_ascii_whitespace() {
        at -= 1;
    }
    while at < text.len() && (text[at] & 0xC0) == 0x80 {
        at += 1;
    }
    at
}

/// `at` moved forward to the end of its word (at most 32 bytes).
fn widen_forward(text: &[u8], mut at: usize) -> usize {
    let ceiling = (at + 32).min(text.len());
    while at < ceiling && !text[at].is_ascii_whitespace() {
        at += 1;
    }
    while at < text.len() && (text[at] & 0xC0) == 0x80 {
        at += 1;
    }
    at
}

/// Runs `f` with capture slots for a rule's value groups: as many as reach
/// its highest group (a search fills only those, and needs no more), in a
/// buffer kept per thread. A `Captures` made for every search cost an
/// allocation and a reference count each time.
fn with_slots<R>(groups: &[usize], f: impl FnOnce(&mut [Option<NonMaxUsize>]) -> R) -> R {
    thread_local! {
        static SLOTS: std::cell::Cell<Vec<Option<NonMaxUsize>>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let len = groups.iter().max().map_or(0, |&g| 2 * (g + 1));
    // Taken out and put back, so a nested use would only allocate its own.
    let mut slots = SLOTS.take();
    slots.clear();
    slots.resize(len, None);
    let result = f(&mut slots);
    SLOTS.set(slots);
    result
}

/// The match of a search that fills `slots` (group `g`'s span in slots `2g`
/// and `2g + 1`: the rules' regexes hold one pattern).
fn search_slots(
    re: &regex_automata::meta::Regex,
    input: &Input<'_>,
    slots: &mut [Option<NonMaxUsize>],
) -> Option<Match> {
    let pid = re.search_slots(input, slots)?;
    let (start, end) = (slots.first().copied().flatten()?, slots.get(1).copied().flatten()?);
    Some(Match::new(pid, start.get()..end.get()))
}

/// The non-empty value groups of a match `search_slots` found.
fn push_groups(r: u32, groups: &[usize], slots: &[Option<NonMaxUsize>], out: &mut Vec<(u32, Span)>) {
    for &g in groups {
        if let (Some(Some(s)), Some(Some(e))) = (slots.get(2 * g), slots.get(2 * g + 1)) {
            if s.get() < e.get() {
                out.push((r, Span::new(s.get(), e.get())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_regions_reach_only_the_lines_a_match_can_span() {
        let text = b"aaaa\nbbbb patient cccc\ndddd\neeee";
        let mut literals = Literals::new();
        let k = literals.intern("patient");
        let mut hits = LiteralHits::default();
        hits.fill(&literals, &[(k, 10)]);
        let w = crate::packs::Window { before: 3, after: 0 };
        let regions = |n| keyword_regions(text, &hits, &literals, &[k], w, 256, n);
        // No line break in a match: the line of the keyword's window.
        assert_eq!(regions(Some(0)), vec![(5, 22)]);
        // One: a line more on each side (none before the first).
        assert_eq!(regions(Some(1)), vec![(0, 27)]);
        // No limit: the longest match on each side.
        assert_eq!(regions(None), vec![(0, text.len())]);
        // A window reaching into the next line takes that line in.
        let w = crate::packs::Window { before: 8, after: 0 };
        assert_eq!(keyword_regions(text, &hits, &literals, &[k], w, 256, Some(0)), vec![(5, 27)]);
    }

    #[test]
    fn engine_is_send_sync_and_cheap_to_clone() {
        fn assert_bounds<T: Send + Sync + Clone + 'static>() {}
        assert_bounds::<Engine>();
        assert_eq!(std::mem::size_of::<Engine>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn merge_joins_intervals_that_overlap_or_touch() {
        assert_eq!(merge(vec![(0, 2), (1, 3), (3, 5), (7, 8), (7, 9), (10, 10)]), [(0, 5), (7, 9), (10, 10)]);
        assert_eq!(merge(vec![(4, 9), (5, 6)]), [(4, 9)]);
        assert!(merge(Vec::new()).is_empty());
    }

    #[test]
    fn allowed_values_compare_normalized_short_or_long() {
        let set: words::FnvSet<Vec<u8>> = ["n/a", "not-applicable", &"x".repeat(70)]
            .iter()
            .map(|v| normalize_allowed(v.as_bytes()))
            .collect();
        assert!(is_allowed_value(&set, b"N/A"));
        assert!(is_allowed_value(&set, b"Not Applicable."));
        assert!(is_allowed_value(&set, "X".repeat(70).as_bytes()));
        assert!(!is_allowed_value(&set, b"n/b"));
        assert!(!is_allowed_value(&set, "x".repeat(69).as_bytes()));
    }

    #[test]
    fn edge_words_cut_hyphenated_words_only_when_every_part_is_one() {
        let words: WordSet =
            ["in", "year", "old", "male", "seen"].iter().map(|w| w.as_bytes().to_vec()).collect();
        let cut = |text: &'static str| -> Option<&'static str> {
            let span =
                trim_edges(text.as_bytes(), Span::new(0, text.len()), &words, crate::packs::EdgeEnds::Both);
            span.map(|s| &text[s.range()])
        };
        assert_eq!(cut("Su-In Lee"), Some("Su-In Lee"));
        assert_eq!(cut("YEAR-OLD MALE JOHN SMITH SEEN"), Some("JOHN SMITH"));
        assert_eq!(cut("Lee In"), Some("Lee"));
        assert_eq!(cut("YEAR-OLD"), None);
    }
}
