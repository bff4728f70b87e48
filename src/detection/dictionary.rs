//! Dictionary rules: every entry of every whole-word dictionary in one word
//! index (see `words.rs`); dictionaries that match inside words in one
//! Aho-Corasick pass. The rules' keywords and context words are in the same
//! word index, so that the text is cut into words and looked up once for
//! both (two passes were a third of the scan of text with few identifiers).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::literals::{LiteralId, Literals};
use super::words::{FnvMap, WordIndex, WordIndexBuilder};
use crate::error::{Error, Result};
use crate::packs::{CaseMode, WordList};

/// A dictionary hit: the entry matched at `[start, end)` for one rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DictHit {
    pub start: usize,
    pub end: usize,
    pub rule: u32,
    /// Whether the hit is ALL CAPS, and among what, for rules that lower
    /// such hits' confidence.
    pub caps: Caps,
}

/// How an ALL-CAPS dictionary hit stands among its neighbouring words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caps {
    /// Not ALL CAPS, or its rule does not look.
    No,
    /// Among words that are not ALL CAPS: likely an acronym.
    Acronym,
    /// Next to an ALL-CAPS word (a text in capitals): capitals say nothing.
    Run,
}

#[derive(Debug)]
struct Automaton {
    ac: AhoCorasick,
    /// For each pattern, the rules whose dictionary holds it.
    rules: Vec<Vec<u32>>,
}

/// Options of one dictionary rule.
#[derive(Debug, Clone, Copy)]
struct RuleOpts {
    case: CaseMode,
    acronym_check: bool,
    run_check: bool,
}

/// In the word index, the ids of literals (keywords and context words) have
/// this bit set; the others are the rules whose dictionary holds the phrase.
const LITERAL: u32 = 1 << 31;

/// All dictionary rules of an engine, and the word index of its literals.
#[derive(Debug, Default)]
pub(crate) struct Dictionaries {
    /// Whole-word entries and literals; a phrase's ids are the rules whose
    /// dictionary holds it and the literals it is (tagged [`LITERAL`]).
    words: WordIndex,
    /// Entries of dictionaries that also match inside words.
    automata: Vec<Automaton>,
    opts: FnvMap<u32, RuleOpts>,
}

impl Dictionaries {
    /// Builds the automata from `(rule, entries, case, whole_word, (acronym
    /// check, run check))`, with every literal in the word index.
    pub(crate) fn build<'a>(
        rules: impl Iterator<Item = (u32, &'a WordList, CaseMode, bool, (bool, bool))>,
        literals: &Literals,
    ) -> Result<Dictionaries> {
        // Whole-word entries go straight to the word index, which merges an
        // entry several rules hold (first names are in two rules' lists) into
        // one phrase with each rule's id. Entries matched inside words go to
        // automata, case-folded or as written; each map keeps its entries'
        // first-seen order, so the build is deterministic without sorting.
        let mut builder = WordIndexBuilder::default();
        let mut inside_folded: FnvMap<String, (usize, Vec<u32>)> = FnvMap::default();
        let mut inside_exact: FnvMap<String, (usize, Vec<u32>)> = FnvMap::default();
        let mut opts = FnvMap::default();
        for (rule, entries, case, whole_word, (acronym_check, run_check)) in rules {
            opts.insert(rule, RuleOpts { case, acronym_check, run_check });
            let sensitive = case == CaseMode::Sensitive;
            for e in entries.iter() {
                if whole_word {
                    builder.add(e, !sensitive, rule);
                    continue;
                }
                let (map, key) = if sensitive {
                    (&mut inside_exact, e.to_string())
                } else {
                    (&mut inside_folded, e.to_ascii_lowercase())
                };
                let next = map.len();
                let (_, list) = map.entry(key).or_insert_with(|| (next, Vec::new()));
                if list.last() != Some(&rule) {
                    list.push(rule);
                }
            }
        }
        for (id, w) in literals.words().iter().enumerate() {
            builder.add(w, true, id as u32 | LITERAL);
        }
        let words = builder.build()?;
        let mut automata = Vec::new();
        for (map, insensitive) in [(inside_folded, true), (inside_exact, false)] {
            if map.is_empty() {
                continue;
            }
            let pairs = in_order(map);
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(insensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .build(pairs.iter().map(|(k, _)| k))
                .map_err(|e| Error::config(format!("cannot build the dictionary automaton: {e}")))?;
            automata.push(Automaton { ac, rules: pairs.into_iter().map(|(_, r)| r).collect() });
        }
        Ok(Dictionaries { words, automata, opts })
    }

    /// Every hit, for every rule, that meets the rule's case and word
    /// options; and every literal hit, as `(literal, start)` in text order.
    pub(crate) fn scan(&self, text: &[u8], out: &mut Vec<DictHit>, literals: &mut Vec<(LiteralId, u32)>) {
        // Whether the hit was taken (its rule's case and word options met).
        let mut emit = |rule: u32, start: usize, end: usize| -> bool {
            let o = self.opts[&rule];
            if case_fits(o.case, &text[start..end]) && !in_constant(text, start, end) {
                let caps = match (o.acronym_check || o.run_check).then(|| caps_of(text, start, end)) {
                    Some(Caps::Acronym) if o.acronym_check => Caps::Acronym,
                    Some(Caps::Run) if o.run_check => Caps::Run,
                    _ => Caps::No,
                };
                out.push(DictHit { start, end, rule, caps });
                return true;
            }
            false
        };
        self.words.scan_by(
            text,
            |id| id & LITERAL != 0,
            |id, start, end| {
                if id & LITERAL != 0 {
                    literals.push((id & !LITERAL, start as u32));
                    true
                } else {
                    emit(id, start, end)
                }
            },
        );
        for a in &self.automata {
            for m in a.ac.find_iter(text) {
                for &rule in &a.rules[m.pattern().as_usize()] {
                    emit(rule, m.start(), m.end());
                }
            }
        }
    }
}

/// Whether the hit is a word in capitals joined to another by an underscore,
/// on a line not itself in capitals: part of a name in code or a log key
/// ("ST_INO", "DEBUG_CACHE", "XML_Parse"), not a name or a place. (A text in
/// capitals writes a user name so: "RT DAVE_ASHWORTH".)
fn in_constant(text: &[u8], start: usize, end: usize) -> bool {
    if !(start > 0 && text[start - 1] == b'_' || text.get(end) == Some(&b'_')) || !is_caps(&text[start..end])
    {
        return false;
    }
    let before = text[start.saturating_sub(200)..start].iter().rev().take_while(|&&b| b != b'\n');
    let after = text[end..(end + 200).min(text.len())].iter().take_while(|&&b| b != b'\n');
    before.chain(after).any(u8::is_ascii_lowercase)
}

/// Whether a hit's letters have the case its rule asks for.
fn case_fits(case: CaseMode, hit: &[u8]) -> bool {
    if matches!(case, CaseMode::Insensitive | CaseMode::Sensitive) {
        return true;
    }
    let text = String::from_utf8_lossy(hit);
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else { return false };
    let (mut any_lower, mut any_upper) = (false, false);
    for c in letters {
        any_lower |= c.is_lowercase();
        any_upper |= c.is_uppercase();
    }
    match case {
        CaseMode::Capitalized => first.is_uppercase(),
        CaseMode::Title => first.is_uppercase() && any_lower,
        CaseMode::Upper => first.is_uppercase() && !any_lower,
        CaseMode::Lower => first.is_lowercase() && !any_upper,
        CaseMode::Insensitive | CaseMode::Sensitive => true,
    }
}

/// How the word at `[start, end)` stands if it is ALL CAPS: an acronym when
/// the nearest word on each side (same line, within 40 bytes) is not ALL CAPS,
/// one of a run when a neighbour is; a word with no neighbour at all is
/// neither.
fn caps_of(text: &[u8], start: usize, end: usize) -> Caps {
    if !is_caps(&text[start..end]) {
        return Caps::No;
    }
    let before = neighbour(text[start.saturating_sub(40)..start].iter().rev().copied());
    let after = neighbour(text[end..(end + 40).min(text.len())].iter().copied());
    match (before, after) {
        (None, None) => Caps::No,
        (Some(true), _) | (_, Some(true)) => Caps::Run,
        _ => Caps::Acronym,
    }
}

/// Whether a word has ASCII capitals and no ASCII lower-case letter.
fn is_caps(word: &[u8]) -> bool {
    !word.iter().any(u8::is_ascii_lowercase) && word.iter().any(u8::is_ascii_uppercase)
}

/// The first word (run of ASCII letters and digits holding a letter) in
/// `bytes` before a line break: `Some(true)` if it is ALL CAPS letters,
/// `Some(false)` if not, `None` if there is none.
fn neighbour(bytes: impl Iterator<Item = u8>) -> Option<bool> {
    let (mut letters, mut caps, mut in_word) = (false, true, false);
    for b in bytes {
        if b == b'\n' {
            break;
        }
        if b.is_ascii_alphanumeric() {
            in_word = true;
            letters |= b.is_ascii_alphabetic();
            caps &= b.is_ascii_uppercase();
        } else if in_word {
            if letters {
                break;
            }
            (letters, caps, in_word) = (false, true, false);
        }
    }
    letters.then_some(caps)
}

/// The entries of `map` in the order they were first seen.
fn in_order(map: FnvMap<String, (usize, Vec<u32>)>) -> Vec<(String, Vec<u32>)> {
    let mut pairs: Vec<(usize, String, Vec<u32>)> = map.into_iter().map(|(k, (i, r))| (i, k, r)).collect();
    pairs.sort_unstable_by_key(|p| p.0);
    pairs.into_iter().map(|(_, k, r)| (k, r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_modes() {
        let cases = [
            (CaseMode::Capitalized, "Smith", true),
            (CaseMode::Capitalized, "SMITH", true),
            (CaseMode::Capitalized, "smith", false),
            (CaseMode::Title, "Smith", true),
            (CaseMode::Title, "McDonald", true),
            (CaseMode::Title, "SMITH", false),
            (CaseMode::Title, "smith", false),
            (CaseMode::Upper, "SMITH", true),
            (CaseMode::Upper, "O'NEIL", true),
            (CaseMode::Upper, "Smith", false),
            (CaseMode::Upper, "É", true),
            (CaseMode::Title, "Émile", true),
            (CaseMode::Insensitive, "smith", true),
        ];
        let failures: Vec<_> =
            cases.iter().filter(|(m, t, want)| case_fits(*m, t.as_bytes()) != *want).collect();
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn caps_among_neighbours() {
        let cases = [
            ("per ADA guidelines", "ADA", Caps::Acronym),
            ("history of TIA, last seen", "TIA", Caps::Acronym),
            ("PT LASHAY C/O PAIN", "LASHAY", Caps::Run),
            ("VALERY", "VALERY", Caps::No),
            ("Name: JOHN SMITH", "JOHN", Caps::Run),
            ("Patient JOHN was seen", "JOHN", Caps::Acronym),
            ("Seen by Smith today", "Smith", Caps::No),
            ("signed for IBAN IT90X0300203280000400162854", "IBAN", Caps::Acronym),
            ("BP 120/80 TEMP 98.6 PULSE 72", "TEMP", Caps::Run),
            ("AMBULATED IN HALL.", "HALL", Caps::Run),
            ("HALL\nwalked in", "HALL", Caps::No),
        ];
        let mut failures = Vec::new();
        for (text, word, want) in cases {
            let start = text.find(word).unwrap();
            if caps_of(text.as_bytes(), start, start + word.len()) != want {
                failures.push(text);
            }
        }
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn words_in_capitals_joined_by_underscores_are_code() {
        let cases = [
            ("assert for ST_INO as", "INO", true),
            ("Use CACHE_LOCK here", "CACHE", true),
            ("from XML_Parse.", "XML", true),
            ("user jane_doe logged in", "jane", false),
            ("RT DAVE_ASHWORTH : BEST HEADLINE", "DAVE", false),
            ("Name: JOHN SMITH", "JOHN", false),
        ];
        let failures: Vec<_> = cases
            .iter()
            .filter(|(text, word, want)| {
                let start = text.find(word).unwrap();
                in_constant(text.as_bytes(), start, start + word.len()) != *want
            })
            .collect();
        assert!(failures.is_empty(), "{failures:?}");
    }
}
