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

use super::text::char_at;
use crate::error::{Error, Result};

/// FNV-1a: words are short, so a simple byte-at-a-time hash is fastest.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// One phrase after its first word, and who asked for it.
#[derive(Debug)]
struct Phrase {
    /// The bytes after the first word (separators included), folded if the
    /// phrase is case-insensitive.
    rest: Box<[u8]>,
    /// Whether the phrase ends with a letter or digit (then the text must not
    /// continue with one).
    ends_in_word: bool,
    ids: Vec<u32>,
}

/// Builds a [`WordIndex`].
#[derive(Default)]
pub(crate) struct WordIndexBuilder {
    folded: FnvMap<Box<[u8]>, Vec<Phrase>>,
    exact: FnvMap<Box<[u8]>, Vec<Phrase>>,
    /// Phrases that do not start with a word character: (folded text, ids).
    odd: FnvMap<String, Vec<u32>>,
}

/// Whole-word phrases, looked up word by word.
#[derive(Debug, Default)]
pub(crate) struct WordIndex {
    folded: FnvMap<Box<[u8]>, Vec<Phrase>>,
    exact: FnvMap<Box<[u8]>, Vec<Phrase>>,
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
        let split = word_end(bytes, 0);
        let (key, rest) = bytes.split_at(split);
        let (key, rest): (Box<[u8]>, Box<[u8]>) = if folded {
            (key.to_ascii_lowercase().into(), rest.to_ascii_lowercase().into())
        } else {
            (key.into(), rest.into())
        };
        let ends_in_word = phrase.chars().last().is_some_and(is_word_char);
        let map = if folded { &mut self.folded } else { &mut self.exact };
        let phrases = map.entry(key).or_default();
        match phrases.iter_mut().find(|p| p.rest == rest) {
            Some(p) => {
                if !p.ids.contains(&id) {
                    p.ids.push(id);
                }
            }
            None => phrases.push(Phrase { rest, ends_in_word, ids: vec![id] }),
        }
    }

    pub(crate) fn build(self) -> Result<WordIndex> {
        let mut folded = self.folded;
        let mut exact = self.exact;
        // Longest phrases first, so the first that fits is the longest.
        for phrases in folded.values_mut().chain(exact.values_mut()) {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        let keys = || folded.keys().chain(exact.keys());
        let digit_keys = keys().any(|k| k.first().is_some_and(u8::is_ascii_digit));
        let max_key = keys().map(|k| k.len()).max().unwrap_or(0);
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
    /// Whether no phrase was added.
    pub(crate) fn is_empty(&self) -> bool {
        self.folded.is_empty() && self.exact.is_empty() && self.odd.is_none()
    }

    /// Reports `(id, start, end)` for phrases found as whole words. With
    /// `all`, every phrase at every word; otherwise, at each word the longest
    /// phrase that fits, and the search goes on after it (leftmost-longest).
    pub(crate) fn scan(&self, text: &[u8], all: bool, mut found: impl FnMut(u32, usize, usize)) {
        let mut key = Vec::with_capacity(32);
        let mut i = 0;
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
            let mut resume = end;
            for (map, folded) in [(&self.folded, true), (&self.exact, false)] {
                if map.is_empty() {
                    continue;
                }
                let phrases = if folded {
                    key.clear();
                    key.extend(word.iter().map(u8::to_ascii_lowercase));
                    map.get(key.as_slice())
                } else {
                    map.get(word)
                };
                let Some(phrases) = phrases else { continue };
                for p in phrases {
                    let stop = end + p.rest.len();
                    if stop > text.len() {
                        continue;
                    }
                    let tail = &text[end..stop];
                    let same = if folded { tail.eq_ignore_ascii_case(&p.rest) } else { tail == &*p.rest };
                    if !same || (p.ends_in_word && char_at(text, stop).is_some_and(is_word_char)) {
                        continue;
                    }
                    for &id in &p.ids {
                        found(id, start, stop);
                    }
                    if !all {
                        resume = resume.max(stop);
                        break;
                    }
                }
            }
            i = resume;
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

    fn hits<'t>(ix: &WordIndex, text: &'t str, all: bool) -> Vec<(u32, &'t str)> {
        let mut out = Vec::new();
        ix.scan(text.as_bytes(), all, |id, s, e| out.push((id, &text[s..e])));
        out
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
}
