//! Bytes a pattern's every match must contain, to skip rules on text that
//! lacks them (no digit in the text: no card, phone or date pattern runs; no
//! byte outside ASCII: no pattern of accented letters runs).

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of ASCII bytes, as a 128-bit mask, and whether it also holds every
/// byte outside ASCII (as one member: a non-ASCII character's bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AsciiSet(u128, bool);

impl AsciiSet {
    fn single(b: u8) -> AsciiSet {
        AsciiSet(1u128 << b, false)
    }

    fn range(lo: u8, hi: u8) -> AsciiSet {
        let width = u32::from(hi - lo) + 1;
        let bits = if width == 128 { u128::MAX } else { ((1u128 << width) - 1) << lo };
        AsciiSet(bits, false)
    }

    /// Every byte outside ASCII.
    fn high() -> AsciiSet {
        AsciiSet(0, true)
    }

    fn union(self, other: AsciiSet) -> AsciiSet {
        AsciiSet(self.0 | other.0, self.1 || other.1)
    }

    /// How many bytes the set allows (the non-ASCII ones count as 128).
    fn len(self) -> u32 {
        self.0.count_ones() + if self.1 { 128 } else { 0 }
    }

    /// The ASCII bytes present in `text`, and whether any other byte is.
    #[cfg(test)]
    fn of_text(text: &[u8]) -> AsciiSet {
        let mut seen = [false; 128];
        let mut high = false;
        for &b in text {
            if b < 128 {
                seen[b as usize] = true;
            } else {
                high = true;
            }
        }
        AsciiSet(seen.iter().enumerate().filter(|(_, s)| **s).fold(0, |m, (i, _)| m | (1u128 << i)), high)
    }

    /// Whether the two sets share a byte.
    pub(crate) fn meets(self, other: AsciiSet) -> bool {
        self.0 & other.0 != 0 || (self.1 && other.1)
    }
}

/// The bytes of a text in runs of [`Chunks::SIZE`] bytes, to tell which
/// bytes a region of it holds without reading the region: a rule's window
/// around a keyword in prose often lacks a byte its every match needs (a
/// digit, a capital letter, an `@`), and then its search is skipped.
#[derive(Debug, Default)]
pub(crate) struct Chunks {
    sets: Vec<AsciiSet>,
}

impl Chunks {
    const SIZE: usize = 64;

    /// The sets of `text`'s chunks.
    pub(crate) fn of_text(text: &[u8]) -> Chunks {
        let sets = text
            .chunks(Self::SIZE)
            .map(|chunk| {
                let mut ascii = 0u128;
                let mut high = false;
                for &b in chunk {
                    if b < 128 {
                        ascii |= 1u128 << b;
                    } else {
                        high = true;
                    }
                }
                AsciiSet(ascii, high)
            })
            .collect();
        Chunks { sets }
    }

    /// The bytes of the whole text.
    pub(crate) fn all(&self) -> AsciiSet {
        self.sets.iter().fold(AsciiSet::default(), |a, &b| a.union(b))
    }

    /// The bytes of `text[lo..hi]`, and perhaps some of the bytes next to it
    /// (those of the chunks it begins and ends in).
    pub(crate) fn within(&self, lo: usize, hi: usize) -> AsciiSet {
        if lo >= hi {
            return AsciiSet::default();
        }
        let (a, b) = (lo / Self::SIZE, (hi - 1) / Self::SIZE + 1);
        self.sets[a..b.min(self.sets.len())].iter().fold(AsciiSet::default(), |x, &y| x.union(y))
    }
}

/// The most requirements kept per pattern (the most selective ones).
const MAX_REQUIREMENTS: usize = 4;

/// Sets of ASCII bytes such that every match of `hir` contains a byte of each.
pub(crate) fn requirements(hir: &Hir) -> Vec<AsciiSet> {
    let mut reqs = req(hir);
    reqs.sort_by_key(|s| s.len());
    reqs.dedup();
    reqs.truncate(MAX_REQUIREMENTS);
    reqs
}

fn req(hir: &Hir) -> Vec<AsciiSet> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            lit.0.iter().map(|&b| if b.is_ascii() { AsciiSet::single(b) } else { AsciiSet::high() }).collect()
        }
        // A class's ASCII part, and every non-ASCII byte if it holds any
        // character outside ASCII: a match of `\p{Lu}` holds A-Z or a byte
        // outside ASCII.
        // The ranges are sorted: the ASCII ones come first, and the class
        // holds a character outside ASCII when its last range ends there
        // (a `\p{L}` has hundreds of ranges; only a few are ASCII).
        HirKind::Class(Class::Unicode(cls)) if !cls.ranges().is_empty() => {
            let ranges = cls.ranges();
            let ascii =
                ranges.iter().take_while(|r| r.start() <= '\x7f').fold(AsciiSet::default(), |s, r| {
                    s.union(AsciiSet::range(r.start() as u8, r.end().min('\x7f') as u8))
                });
            let high = ranges[ranges.len() - 1].end() > '\x7f';
            vec![if high { ascii.union(AsciiSet::high()) } else { ascii }]
        }
        HirKind::Class(Class::Bytes(cls)) if !cls.ranges().is_empty() => {
            vec![cls.ranges().iter().fold(AsciiSet::default(), |s, r| {
                let ascii = if r.start() <= 0x7f {
                    AsciiSet::range(r.start(), r.end().min(0x7f))
                } else {
                    AsciiSet::default()
                };
                let high = if r.end() > 0x7f { AsciiSet::high() } else { AsciiSet::default() };
                s.union(ascii).union(high)
            })]
        }
        HirKind::Class(_) => Vec::new(),
        // Only the most selective requirements are kept in the end, so each
        // part's few most selective stand for it (a long literal alternation
        // otherwise carried a set per byte up to the top).
        HirKind::Concat(subs) => {
            let mut all: Vec<AsciiSet> = subs.iter().flat_map(req).collect();
            all.sort_by_key(|s| s.len());
            all.dedup();
            all.truncate(MAX_REQUIREMENTS);
            all
        }
        HirKind::Alternation(subs) => {
            // Every branch must bring a requirement; the union of one per
            // branch is then met by every match.
            let mut union = AsciiSet::default();
            for sub in subs {
                let mut r = req(sub);
                r.sort_by_key(|s| s.len());
                match r.first() {
                    Some(&s) => union = union.union(s),
                    None => return Vec::new(),
                }
            }
            vec![union]
        }
        HirKind::Repetition(r) if r.min >= 1 => req(&r.sub),
        HirKind::Capture(c) => req(&c.sub),
        HirKind::Repetition(_) | HirKind::Empty | HirKind::Look(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skips(pattern: &str, text: &str) -> bool {
        let reqs = requirements(&regex_syntax::parse(pattern).unwrap());
        let present = AsciiSet::of_text(text.as_bytes());
        !reqs.iter().all(|r| r.meets(present))
    }

    #[test]
    fn skips_only_text_that_cannot_match() {
        let cases = [
            (r"\b[0-9]{3}-[0-9]{4}\b", "no digits here", true),
            (r"\b[0-9]{3}-[0-9]{4}\b", "123 4567", true), // no dash
            (r"\b[0-9]{3}-[0-9]{4}\b", "555-0199", false),
            (r"[\w.]+@[\w.]+", "mail me", true),
            (r"[\w.]+@[\w.]+", "a@b", false),
            (r"(?i)mrn:?\s*[0-9]+", "MRN 5", false),
            (r"(?i)mrn:?\s*[0-9]+", "mrn x", true),
            // \d is any Unicode digit: an ASCII digit or a byte outside ASCII.
            (r"(?i)mrn:?\s*\d+", "mrn x", true),
            (r"(?i)mrn:?\s*\d+", "mrn ٣", false),
            (r"foo|bar", "baz", false),
            (r"foo|bar", "xyz", true),
            (r"\p{L}+ [0-9]", "é 5", false),
            // A letter outside ASCII is required: ASCII text is skipped.
            (r"[\p{Lu}&&[^\x00-\x7F]]\p{Ll}+", "Eva Szolosi", true),
            (r"[\p{Lu}&&[^\x00-\x7F]]\p{Ll}+", "Éva Szölösi", false),
            (r"café", "cafe", true),
            (r"café", "café", false),
            // \p{Lu} is A-Z or a byte outside ASCII.
            (r"\p{Lu}\p{Ll}+", "all lower case", true),
            (r"\p{Lu}\p{Ll}+", "Éva", false),
            (r"\p{Lu}\p{Ll}+", "Eva", false),
            (r"x?[0-9]*", "", false),
        ];
        let failures: Vec<_> = cases.iter().filter(|(p, t, want)| skips(p, t) != *want).collect();
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn chunks_tell_the_bytes_of_a_region() {
        let text = format!("{}call 555-0199{}Émile", "x".repeat(100), "y".repeat(200));
        let chunks = Chunks::of_text(text.as_bytes());
        assert_eq!(chunks.all(), AsciiSet::of_text(text.as_bytes()));
        let digit = AsciiSet::range(b'0', b'9');
        let at = text.find("555").unwrap();
        assert!(chunks.within(at, at + 3).meets(digit));
        assert!(chunks.within(at + 10, at + 20).meets(digit), "the chunk a region ends in counts whole");
        assert!(!chunks.within(0, 60).meets(digit));
        assert!(!chunks.within(200, 300).meets(digit));
        assert!(!chunks.within(0, 60).meets(AsciiSet::high()));
        assert!(chunks.within(text.len() - 3, text.len()).meets(AsciiSet::high()));
        assert_eq!(chunks.within(5, 5), AsciiSet::default());
        // Every region holds at least its own bytes.
        for (lo, hi) in [(0, 1), (63, 65), (99, 140), (0, text.len())] {
            let own = AsciiSet::of_text(&text.as_bytes()[lo..hi]);
            assert_eq!(chunks.within(lo, hi).union(own), chunks.within(lo, hi), "{lo}..{hi}");
        }
    }
}
