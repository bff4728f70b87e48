//! Every keyword and context word of every rule, found in the same pass over
//! the text as the dictionaries' entries (see `dictionary.rs`).

use std::collections::HashMap;

/// The index of a distinct literal (compared ASCII case-insensitively).
pub(crate) type LiteralId = u32;

/// Every distinct literal word, matched whole-word and ASCII case-insensitively.
#[derive(Debug)]
pub(crate) struct Literals {
    ids: HashMap<String, LiteralId>,
    words: Vec<String>,
}

/// Literal hits of one scan, grouped by literal, each group sorted by start.
#[derive(Debug, Default)]
pub(crate) struct LiteralHits {
    /// `starts[offsets[i]..offsets[i + 1]]` are the hits of literal `i`.
    offsets: Vec<u32>,
    starts: Vec<u32>,
}

impl Literals {
    pub(crate) fn new() -> Literals {
        Literals { ids: HashMap::new(), words: Vec::new() }
    }

    /// Registers `word` and returns its id.
    pub(crate) fn intern(&mut self, word: &str) -> LiteralId {
        let key = word.to_ascii_lowercase();
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.words.len() as LiteralId;
        self.words.push(key.clone());
        self.ids.insert(key, id);
        id
    }

    /// The literals, lower case, in id order.
    pub(crate) fn words(&self) -> &[String] {
        &self.words
    }
}

impl LiteralHits {
    /// The hits of a scan, from `(literal, start)` pairs in text order.
    pub(crate) fn fill(&mut self, literals: &Literals, found: &[(LiteralId, u32)]) {
        let n = literals.words.len();
        self.offsets.clear();
        self.offsets.resize(n + 1, 0);
        self.starts.clear();
        // Counting sort by literal keeps each literal's hits in text order.
        for &(lit, _) in found {
            self.offsets[lit as usize + 1] += 1;
        }
        for i in 0..n {
            self.offsets[i + 1] += self.offsets[i];
        }
        self.starts.resize(found.len(), 0);
        let mut next: Vec<u32> = self.offsets[..n].to_vec();
        for &(lit, start) in found {
            let slot = &mut next[lit as usize];
            self.starts[*slot as usize] = start;
            *slot += 1;
        }
    }
}

impl LiteralHits {
    /// Start offsets of the hits of `lit`, in text order.
    pub(crate) fn of(&self, lit: LiteralId) -> &[u32] {
        let i = lit as usize;
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.starts[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Whether some hit of one of `lits` lies inside `[lo, hi)`.
    pub(crate) fn any_within(&self, literals: &Literals, lits: &[LiteralId], lo: usize, hi: usize) -> bool {
        lits.iter().any(|&lit| {
            let starts = self.of(lit);
            let len = literals.words[lit as usize].len();
            let i = starts.partition_point(|&s| (s as usize) < lo);
            starts.get(i).is_some_and(|&s| s as usize + len <= hi)
        })
    }
}

impl Literals {
    /// The byte length of literal `lit`.
    pub(crate) fn word_len(&self, lit: LiteralId) -> usize {
        self.words[lit as usize].len()
    }
}
