//! Whole-word phrase matching by hash lookup, token by token.
//!
//! Dictionaries and keyword lists hold words and phrases that must stand as
//! whole words. Rather than running an automaton of every phrase over every
//! byte, the text is cut into words (runs of letters and digits) and each
//! word is looked up, ASCII case folded, in a hash map of the phrases that
//! begin with it; the rest of a phrase is then compared in place. A phrase
//! that does not begin with a letter or digit ("#", "@") goes to a small
//! Aho-Corasick automaton instead.
//!
//! Measured with the built-in packs (about 150,000 dictionary entries) on
//! faker_mixed.jsonl: the leftmost-longest Aho-Corasick automaton over the
//! entries cost more than the rest of the dictionary work together, and took
//! most of the engine build; see benches/README.md.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use hashbrown::HashTable;

use super::text::char_at;
use crate::error::{Error, Result};

/// FNV-1a: words are short, so a simple byte-at-a-time hash is fastest.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv_from(if self.0 == 0 { FNV_OFFSET } else { self.0 }, bytes, false);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
pub(crate) type FnvSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fnv>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, ASCII letters folded to lower case when `fold`.
fn fnv(bytes: &[u8], fold: bool) -> u64 {
    fnv_from(FNV_OFFSET, bytes, fold)
}

/// FNV-1a state `h` after `bytes`, folded when `fold`.
fn fnv_from(mut h: u64, bytes: &[u8], fold: bool) -> u64 {
    for &b in bytes {
        let b = if fold { b.to_ascii_lowercase() } else { b };
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Byte strings kept one after another in one buffer, each found by hash:
/// about 150,000 names and places with one allocation between them, where a
/// map of boxed strings made three allocations per entry (most of the
/// engine's build time).
#[derive(Debug, Default)]
struct Keys {
    bytes: Vec<u8>,
    /// Each key's `[start, end)` in `bytes`.
    spans: Vec<(u32, u32)>,
    /// Key numbers, by the hash of their bytes.
    table: HashTable<u32>,
}

impl Keys {
    fn get(&self, k: u32) -> &[u8] {
        let (a, b) = self.spans[k as usize];
        &self.bytes[a as usize..b as usize]
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// The number of `key`; with `fold`, `key` in any ASCII case finds the
    /// key stored in lower case.
    fn find(&self, key: &[u8], fold: bool) -> Option<u32> {
        let eq = |&k: &u32| if fold { self.get(k).eq_ignore_ascii_case(key) } else { self.get(k) == key };
        self.table.find(fnv(key, fold), eq).copied()
    }

    /// The number of `key`, added if new.
    fn insert(&mut self, key: &[u8]) -> u32 {
        if let Some(k) = self.find(key, false) {
            return k;
        }
        let k = self.spans.len() as u32;
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(key);
        self.spans.push((start, self.bytes.len() as u32));
        let Keys { bytes, spans, table } = self;
        let hasher = |&k: &u32| {
            let (a, b) = spans[k as usize];
            fnv(&bytes[a as usize..b as usize], false)
        };
        table.insert_unique(fnv(key, false), k, hasher);
        k
    }
}

/// One phrase after its first word, and who asked for it.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    /// The bytes after the first word (separators included), folded if the
    /// phrase is case-insensitive: `[start, end)` in the table's `rests`.
    rest: (u32, u32),
    /// Whether the phrase ends with a letter or digit (then the text must not
    /// continue with one).
    ends_in_word: bool,
    /// `[start, end)` in the table's `ids`.
    ids: (u32, u32),
}

/// The phrases of one case mode, by first word.
#[derive(Debug, Default)]
struct Table {
    keys: Keys,
    /// The phrases of each key, `[start, end)` in `phrases`, longest first.
    of_key: Vec<(u32, u32)>,
    phrases: Vec<Phrase>,
    rests: Vec<u8>,
    ids: Vec<u32>,
}

/// A phrase as added: its key, its rest in the builder's `rests`, its id.
struct Added {
    key: u32,
    rest: (u32, u32),
    ends_in_word: bool,
    id: u32,
}

#[derive(Default)]
struct TableBuilder {
    keys: Keys,
    added: Vec<Added>,
    rests: Vec<u8>,
}

impl TableBuilder {
    fn add(&mut self, key: &[u8], rest: &[u8], ends_in_word: bool, id: u32) {
        let key = self.keys.insert(key);
        let start = self.rests.len() as u32;
        self.rests.extend_from_slice(rest);
        self.added.push(Added { key, rest: (start, self.rests.len() as u32), ends_in_word, id });
    }

    /// Phrases grouped by key, longest first; a phrase added more than once
    /// (for several ids) kept once with its ids in the order they came.
    fn build(self) -> Table {
        let TableBuilder { keys, added, rests } = self;
        let rest = |a: &Added| &rests[a.rest.0 as usize..a.rest.1 as usize];
        // Keys are numbered in the order they were first added, so a counting
        // sort groups the phrases by key in one linear pass and keeps the
        // order they were added in; a comparison sort of the 150,000 entries
        // was the largest single cost of the engine build.
        let mut group = vec![0u32; keys.len() + 1];
        for a in &added {
            group[a.key as usize + 1] += 1;
        }
        for k in 0..keys.len() {
            group[k + 1] += group[k];
        }
        let mut next = group.clone();
        let mut order = vec![0u32; added.len()];
        for (i, a) in added.iter().enumerate() {
            let slot = &mut next[a.key as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(next);
        let mut t = Table { of_key: vec![(0, 0); keys.len()], ..Table::default() };
        for key in 0..keys.len() {
            let phrases = &mut order[group[key] as usize..group[key + 1] as usize];
            // Longest first; stable, so equal phrases keep the order they came in.
            if phrases.len() > 1 {
                phrases.sort_by(|&a, &b| {
                    let (a, b) = (rest(&added[a as usize]), rest(&added[b as usize]));
                    b.len().cmp(&a.len()).then_with(|| a.cmp(b))
                });
            }
            let first = t.phrases.len() as u32;
            let mut i = 0;
            while i < phrases.len() {
                let a = &added[phrases[i] as usize];
                let start = t.rests.len() as u32;
                t.rests.extend_from_slice(rest(a));
                let from = t.ids.len();
                let mut j = i;
                while j < phrases.len() && rest(&added[phrases[j] as usize]) == rest(a) {
                    let id = added[phrases[j] as usize].id;
                    if !t.ids[from..].contains(&id) {
                        t.ids.push(id);
                    }
                    j += 1;
                }
                t.phrases.push(Phrase {
                    rest: (start, t.rests.len() as u32),
                    ends_in_word: a.ends_in_word,
                    ids: (from as u32, t.ids.len() as u32),
                });
                i = j;
            }
            t.of_key[key] = (first, t.phrases.len() as u32);
        }
        t.keys = keys;
        t
    }
}

impl Table {
    fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// Builds a [`WordIndex`].
#[derive(Default)]
pub(crate) struct WordIndexBuilder {
    folded: TableBuilder,
    exact: TableBuilder,
    /// Phrases that do not start with a word character: (folded text, ids).
    odd: FnvMap<String, Vec<u32>>,
    /// The phrase being added, folded.
    buf: Vec<u8>,
}

/// Whole-word phrases, looked up word by word.
#[derive(Debug, Default)]
pub(crate) struct WordIndex {
    folded: Table,
    exact: Table,
    odd: Option<(AhoCorasick, Vec<Vec<u32>>, Vec<bool>)>,
    /// Whether some phrase starts with a digit (else numbers are skipped).
    digit_keys: bool,
    /// The longest first word (longer words cannot match).
    max_key: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The end of the word starting at `start`.
fn word_end(text: &[u8], mut i: usize) -> usize {
    while i < text.len() {
        let b = text[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            i += 1;
        } else {
            match char_at(text, i) {
                Some(c) if is_word_char(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

impl WordIndexBuilder {
    /// Adds `phrase` for `id`; `folded` compares ASCII letters in any case.
    pub(crate) fn add(&mut self, phrase: &str, folded: bool, id: u32) {
        let bytes = phrase.as_bytes();
        let starts_in_word = phrase.chars().next().is_some_and(is_word_char);
        if !starts_in_word {
            let list = self.odd.entry(phrase.to_ascii_lowercase()).or_default();
            if !list.contains(&id) {
                list.push(id);
            }
            return;
        }
        let ends_in_word = phrase.chars().last().is_some_and(is_word_char);
        let split = word_end(bytes, 0);
        if folded {
            self.buf.clear();
            self.buf.extend(bytes.iter().map(u8::to_ascii_lowercase));
            let (key, rest) = self.buf.split_at(split);
            self.folded.add(key, rest, ends_in_word, id);
        } else {
            let (key, rest) = bytes.split_at(split);
            self.exact.add(key, rest, ends_in_word, id);
        }
    }

    pub(crate) fn build(self) -> Result<WordIndex> {
        let folded = self.folded.build();
        let exact = self.exact.build();
        let keys = || {
            let f = (0..folded.keys.len() as u32).map(|k| folded.keys.get(k));
            f.chain((0..exact.keys.len() as u32).map(|k| exact.keys.get(k)))
        };
        let digit_keys = keys().any(|k| k.first().is_some_and(u8::is_ascii_digit));
        let max_key = keys().map(<[u8]>::len).max().unwrap_or(0);
        let odd = if self.odd.is_empty() {
            None
        } else {
            let mut pairs: Vec<(String, Vec<u32>)> = self.odd.into_iter().collect();
            pairs.sort();
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(pairs.iter().map(|(k, _)| k))
                .map_err(|e| Error::config(format!("cannot build the phrase automaton: {e}")))?;
            let ends = pairs.iter().map(|(k, _)| k.chars().last().is_some_and(is_word_char)).collect();
            Some((ac, pairs.into_iter().map(|(_, ids)| ids).collect(), ends))
        };
        Ok(WordIndex { folded, exact, odd, digit_keys, max_key })
    }
}

impl WordIndex {
    /// Reports `(id, start, end)` for phrases found as whole words. An id for
    /// which `all(id)` holds is reported at every phrase that holds it, at
    /// every word; the others leftmost-longest: at each word, in each case
    /// mode, the longest phrase holding one of them, and none in the words
    /// it covers. Lists of both kinds (keywords, which may overlap, and
    /// dictionaries) so share one pass over the text.
    pub(crate) fn scan_by(
        &self,
        text: &[u8],
        all: impl Fn(u32) -> bool,
        mut found: impl FnMut(u32, usize, usize) -> bool,
    ) {
        let mut i = 0;
        // Where a leftmost-longest phrase may start again.
        let mut longest_from = 0;
        while i < text.len() {
            // Find the next word start.
            let b = text[i];
            let (is_word, step) = if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                match char_at(text, i) {
                    Some(c) => (is_word_char(c), c.len_utf8()),
                    None => (false, 1),
                }
            };
            if !is_word {
                i += step;
                continue;
            }
            let start = i;
            let end = word_end(text, start);
            i = end;
            if (!self.digit_keys && b.is_ascii_digit()) || end - start > self.max_key {
                continue;
            }
            let word = &text[start..end];
            let open = start >= longest_from;
            for (table, folded) in [(&self.folded, true), (&self.exact, false)] {
                if table.is_empty() {
                    continue;
                }
                let Some(k) = table.keys.find(word, folded) else { continue };
                let (from, to) = table.of_key[k as usize];
                let mut longest_open = open;
                for p in &table.phrases[from as usize..to as usize] {
                    let rest = &table.rests[p.rest.0 as usize..p.rest.1 as usize];
                    let stop = end + rest.len();
                    if stop > text.len() {
                        continue;
                    }
                    let tail = &text[end..stop];
                    let same = if folded { tail.eq_ignore_ascii_case(rest) } else { tail == rest };
                    if !same || (p.ends_in_word && char_at(text, stop).is_some_and(is_word_char)) {
                        continue;
                    }
                    // A phrase that no id takes here (its rule wants another
                    // case: "the Bronx" for "The Bronx") hides no shorter one.
                    let mut took = false;
                    for &id in &table.ids[p.ids.0 as usize..p.ids.1 as usize] {
                        if all(id) {
                            found(id, start, stop);
                        } else if longest_open {
                            took |= found(id, start, stop);
                        }
                    }
                    if took {
                        longest_open = false;
                        longest_from = longest_from.max(stop);
                    }
                }
            }
        }
        if let Some((ac, ids, ends)) = &self.odd {
            for m in ac.find_overlapping_iter(text) {
                let (s, e) = (m.start(), m.end());
                let p = m.pattern().as_usize();
                if ends[p] && char_at(text, e).is_some_and(is_word_char) {
                    continue;
                }
                for &id in &ids[p] {
                    found(id, s, e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(phrases: &[(&str, bool, u32)]) -> WordIndex {
        let mut b = WordIndexBuilder::default();
        for &(p, folded, id) in phrases {
            b.add(p, folded, id);
        }
        b.build().unwrap()
    }

    /// The hits of `text`, ids for which `all` holds reported at every phrase.
    fn hits_by<'t>(ix: &WordIndex, text: &'t str, all: impl Fn(u32) -> bool) -> Vec<(u32, &'t str)> {
        let mut out = Vec::new();
        ix.scan_by(text.as_bytes(), all, |id, s, e| {
            out.push((id, &text[s..e]));
            true
        });
        out
    }

    fn hits<'t>(ix: &WordIndex, text: &'t str, all: bool) -> Vec<(u32, &'t str)> {
        hits_by(ix, text, |_| all)
    }

    #[test]
    fn whole_words_case_and_phrases() {
        let ix = index(&[
            ("york", true, 1),
            ("New York", true, 2),
            ("Mt. Sinai", true, 3),
            ("O'Brien", true, 4),
            ("MRN", true, 5),
            ("Hope", false, 6),
            ("#", true, 7),
            ("ss#", true, 8),
        ]);
        assert_eq!(
            hits(&ix, "NEW YORK, york; Yorkshire. mt. sinai O'Brien MRN# hope Hope ss# 5", false),
            vec![
                (2, "NEW YORK"),
                (1, "york"),
                (3, "mt. sinai"),
                (4, "O'Brien"),
                (5, "MRN"),
                (6, "Hope"),
                (8, "ss#"),
                (7, "#"),
                (7, "#")
            ]
        );
        // With `all`, overlapping phrases at one word are all reported.
        assert_eq!(hits(&ix, "New York", true), vec![(2, "New York"), (1, "York")]);
        assert_eq!(hits(&ix, "Émile York", false), vec![(1, "York")]);
        assert!(hits(&ix, "xyork yorkx", false).is_empty());
    }

    #[test]
    fn a_phrase_added_for_several_ids_is_one_phrase_with_each_id_once() {
        let ix = index(&[
            ("Ann Lee", true, 1),
            ("ANN LEE", true, 2),
            ("ann lee", true, 1),
            ("Ann", true, 3),
            ("Ann Lee Smith", true, 4),
            ("Ann", false, 5),
        ]);
        // Longest first; one phrase for ids 1 and 2 in the order added.
        assert_eq!(hits(&ix, "aNN lEE", true), vec![(1, "aNN lEE"), (2, "aNN lEE"), (3, "aNN")]);
        // Leftmost-longest within each case mode; both modes report.
        assert_eq!(hits(&ix, "Ann Lee Smith", false), vec![(4, "Ann Lee Smith"), (5, "Ann")]);
        assert_eq!(hits(&ix, "Ann Leeds", false), vec![(3, "Ann"), (5, "Ann")]);
        assert_eq!(hits(&ix, "ANN", false), vec![(3, "ANN")], "the exact entry needs its case");
    }

    #[test]
    fn ids_of_both_kinds_in_one_pass() {
        // Ids 10 and 11 are reported everywhere (keywords), 1 to 3 leftmost-longest (dictionaries).
        let ix = index(&[
            ("new york", true, 1),
            ("york", true, 2),
            ("york", true, 10),
            ("new", true, 11),
            ("Anna", false, 3),
        ]);
        assert_eq!(
            hits_by(&ix, "New York and york, Anna", |id| id >= 10),
            vec![(1, "New York"), (11, "New"), (10, "York"), (2, "york"), (10, "york"), (3, "Anna")],
            "a keyword inside a dictionary phrase is still found; the dictionary's shorter phrase there is not"
        );
    }
}
