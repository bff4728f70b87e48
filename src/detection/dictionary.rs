//! Dictionary rules: every entry of every dictionary in one Aho-Corasick pass
//! per case mode.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::text::{char_at, is_whole_word};
use crate::error::{Error, Result};
use crate::packs::CaseMode;

/// A dictionary hit: the entry matched at `[start, end)` for one rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DictHit {
    pub start: usize,
    pub end: usize,
    pub rule: u32,
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
    whole_word: bool,
}

/// All dictionary rules of an engine.
#[derive(Debug, Default)]
pub(crate) struct Dictionaries {
    automata: Vec<Automaton>,
    opts: HashMap<u32, RuleOpts>,
}

impl Dictionaries {
    /// Builds the automata from `(rule, entries, case, whole_word)`.
    pub(crate) fn build<'a>(
        rules: impl Iterator<Item = (u32, &'a [String], CaseMode, bool)>,
    ) -> Result<Dictionaries> {
        // Entries by how they are compared: case-folded for the insensitive
        // automaton, as written for the sensitive one.
        let mut folded: HashMap<String, Vec<u32>> = HashMap::new();
        let mut exact: HashMap<String, Vec<u32>> = HashMap::new();
        let mut opts = HashMap::new();
        for (rule, entries, case, whole_word) in rules {
            opts.insert(rule, RuleOpts { case, whole_word });
            for e in entries {
                let (map, key) = match case {
                    CaseMode::Sensitive => (&mut exact, e.clone()),
                    CaseMode::Insensitive | CaseMode::Capitalized => (&mut folded, e.to_ascii_lowercase()),
                };
                let list = map.entry(key).or_default();
                if list.last() != Some(&rule) {
                    list.push(rule);
                }
            }
        }
        let mut automata = Vec::new();
        for (map, insensitive) in [(folded, true), (exact, false)] {
            if map.is_empty() {
                continue;
            }
            let mut pairs: Vec<(String, Vec<u32>)> = map.into_iter().collect();
            pairs.sort();
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(insensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .build(pairs.iter().map(|(k, _)| k))
                .map_err(|e| Error::config(format!("cannot build the dictionary automaton: {e}")))?;
            automata.push(Automaton { ac, rules: pairs.into_iter().map(|(_, r)| r).collect() });
        }
        Ok(Dictionaries { automata, opts })
    }

    /// Every hit, for every rule, that meets the rule's case and word options.
    pub(crate) fn scan(&self, text: &[u8], out: &mut Vec<DictHit>) {
        for a in &self.automata {
            for m in a.ac.find_iter(text) {
                let (start, end) = (m.start(), m.end());
                let mut whole = None;
                for &rule in &a.rules[m.pattern().as_usize()] {
                    let o = self.opts[&rule];
                    if o.whole_word && !*whole.get_or_insert_with(|| is_whole_word(text, start, end)) {
                        continue;
                    }
                    if o.case == CaseMode::Capitalized
                        && !char_at(text, start).is_some_and(char::is_uppercase)
                    {
                        continue;
                    }
                    out.push(DictHit { start, end, rule });
                }
            }
        }
    }
}
