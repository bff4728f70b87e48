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
    /// By literal: 0 when it has no hit, else one more than the place in
    /// `ranges` of its hits (the table as long as the packs' literals is
    /// cleared for every text, so it is kept small).
    group: Vec<u32>,
    /// `starts[a..b]` are the hits of one literal.
    ranges: Vec<(u32, u32)>,
    starts: Vec<u32>,
    /// Where the text's independent parts begin, sorted (the cells of a
    /// table, scanned together one per line): a keyword of one part is no
    /// context for a value in another. Empty for ordinary text.
    walls: Vec<u32>,
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
    /// A text holds few hits: they are sorted, and only the table of ranges
    /// is as long as the packs' literals (cleared, not summed over).
    pub(crate) fn fill(&mut self, literals: &Literals, found: &[(LiteralId, u32)]) {
        let mut sorted = found.to_vec();
        // Stable: each literal's hits stay in text order.
        sorted.sort_by_key(|&(lit, _)| lit);
        self.group.clear();
        self.group.resize(literals.words.len(), 0);
        self.ranges.clear();
        self.starts.clear();
        self.starts.extend(sorted.iter().map(|&(_, start)| start));
        let mut a = 0;
        while a < sorted.len() {
            let lit = sorted[a].0;
            let b = a + sorted[a..].iter().take_while(|&&(l, _)| l == lit).count();
            self.ranges.push((a as u32, b as u32));
            self.group[lit as usize] = self.ranges.len() as u32;
            a = b;
        }
    }
}

impl LiteralHits {
    /// Start offsets of the hits of `lit`, in text order.
    pub(crate) fn of(&self, lit: LiteralId) -> &[u32] {
        match self.group.get(lit as usize) {
            Some(&g) if g > 0 => {
                let (a, b) = self.ranges[g as usize - 1];
                &self.starts[a as usize..b as usize]
            }
            _ => &[],
        }
    }

    /// Sets where the text's independent parts begin (sorted offsets).
    pub(crate) fn set_walls(&mut self, walls: impl IntoIterator<Item = u32>) {
        self.walls.clear();
        self.walls.extend(walls);
        debug_assert!(self.walls.is_sorted());
    }

    /// Whether some hit of one of `lits` lies within `before` bytes before
    /// `[start, end)` to `after` bytes after it, in the same part of the text.
    pub(crate) fn any_near(
        &self,
        literals: &Literals,
        lits: &[LiteralId],
        (start, end): (usize, usize),
        before: usize,
        after: usize,
    ) -> bool {
        let (mut lo, mut hi) = (start.saturating_sub(before), end + after);
        if !self.walls.is_empty() {
            let k = self.walls.partition_point(|&w| w as usize <= start);
            if k > 0 {
                lo = lo.max(self.walls[k - 1] as usize);
            }
            let j = self.walls.partition_point(|&w| (w as usize) < end);
            if let Some(&w) = self.walls.get(j) {
                hi = hi.min(w as usize);
            }
        }
        self.any_within(literals, lits, lo, hi)
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
