//! One pass that tells which rules can match where.
//!
//! Running each rule's pattern over the text on its own costs one automaton
//! pass per rule, while a short line of text usually holds a match of only a
//! few of them. The gate runs the patterns of the rules that would otherwise
//! search the whole text (those without keywords, satellites aside) at once,
//! as a few multi-pattern lazy DFAs that report which patterns match (not
//! where), over blocks of whole lines; a rule then runs only on the blocks
//! where it matches.
//!
//! The gate's patterns are the rules' patterns as they behave on ASCII text
//! (see [`ascii_only`](super::regexes::ascii_only)): exact on ASCII blocks and far smaller than
//! their Unicode forms. A block with a non-ASCII byte is not gated (every rule
//! may match there). A pattern that can match a line break could match across
//! blocks, so it is gated on the whole text instead.
//!
//! Patterns are split into a few groups: one automaton of all of them has so
//! many states that building them costs more than it saves. A text of one
//! block (a short record or field) is not gated, and neither is any text until
//! the engine has seen enough text of several blocks to pay for the gate's
//! automata: compiling them and building their states as text comes cost
//! about 570 million instructions (measured on a 21 KB file, where the scan
//! itself needs about a tenth of that), which the gate wins back only over
//! megabytes.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternID, PatternSet};
use regex_syntax::hir::{Class, Hir, HirKind};

/// How many multi-pattern automata the patterns that cannot match a line
/// break are split into (those that can have one more of their own).
/// Measured with the rules without keywords (see `EngineBuilder::build`): two
/// groups cost 901 M instructions per 2.2 MB of the sparse benchmark's text
/// and 1,483 per byte of fresh prose, four 1,133 M and 1,353; with the
/// multi-line patterns apart, 1,870 per byte of a later, larger prose file
/// (2,421 with them mixed in), one group 2,105, three 1,874.
const GROUPS: usize = 2;

/// Blocks are whole lines, gathered up to about this many bytes.
const BLOCK: usize = 1024;

/// Lazy DFA cache per group and thread: room for the states ordinary text
/// needs, so the cache is rarely cleared.
const CACHE_BYTES: usize = 16 << 20;

#[derive(Debug)]
struct Group {
    regex: Regex,
    /// The rule of each pattern id.
    rules: Vec<u32>,
    /// Whether its patterns can match a line break (gated on the whole
    /// text); the other groups' patterns cannot (gated block by block).
    multiline: bool,
}

/// The compiled gate.
#[derive(Debug)]
pub(crate) struct Gate {
    /// The patterns' ASCII forms, with their rules, until the groups are built.
    patterns: Vec<(u32, Hir)>,
    /// Compiled on the first text of more than one block (short texts, the
    /// common case of a small run, never need them); None if a group does
    /// not compile (then nothing is gated).
    groups: OnceLock<Option<Vec<Group>>>,
    /// Whether each rule is gated (has a pattern in some group).
    gated: Vec<bool>,
    /// Bytes of texts of several blocks to see before gating.
    after: u64,
    /// Bytes of texts of several blocks seen so far.
    seen: AtomicU64,
}

/// Where each rule may match in one text.
#[derive(Debug, Default)]
pub(crate) struct Possible {
    at: Vec<Where>,
    /// The regions of the rules that may match in some blocks only.
    spans: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Copy)]
enum Where {
    Nowhere,
    Anywhere,
    /// `spans[from..to]`.
    Spans(u32, u32),
}

impl Possible {
    /// The regions of the text where rule `r` may match (empty: nowhere), or
    /// `None` when it may match anywhere.
    pub(crate) fn regions(&self, r: u32) -> Option<&[(usize, usize)]> {
        match self.at.get(r as usize) {
            None | Some(Where::Anywhere) => None,
            Some(Where::Nowhere) => Some(&[]),
            Some(&Where::Spans(a, b)) => Some(&self.spans[a as usize..b as usize]),
        }
    }

    /// Whether rule `r` may match somewhere.
    pub(crate) fn any(&self, r: u32) -> bool {
        self.regions(r).is_none_or(|x| !x.is_empty())
    }
}

impl Gate {
    /// A gate over `patterns`: (rule index, pattern in its ASCII form, see
    /// [`ascii_only`](super::regexes::ascii_only)) pairs; `rules` is the number of rules.
    /// Texts are gated once `after` bytes of texts of several blocks have
    /// been seen.
    pub(crate) fn new(patterns: Vec<(u32, Hir)>, rules: usize, after: u64) -> Gate {
        let mut gated = vec![false; rules];
        for (r, _) in &patterns {
            gated[*r as usize] = true;
        }
        Gate { patterns, groups: OnceLock::new(), gated, after, seen: AtomicU64::new(0) }
    }

    /// Whether enough text has been seen to gate; counts `len` bytes.
    fn warm(&self, len: usize) -> bool {
        self.seen.load(Ordering::Relaxed) >= self.after
            || self.seen.fetch_add(len as u64, Ordering::Relaxed) >= self.after
    }

    fn groups(&self) -> Option<&[Group]> {
        self.groups.get_or_init(|| compile_groups(&self.patterns)).as_deref()
    }

    /// Where each rule may match in `text`.
    pub(crate) fn run(&self, text: &[u8], out: &mut Possible) {
        out.at.clear();
        out.at.extend(self.gated.iter().map(|&g| if g { Where::Nowhere } else { Where::Anywhere }));
        out.spans.clear();
        // A text of one block is not gated: most rules with a keyword there
        // match there too, and the gate's passes cost more than the passes
        // of the rules that do not (measured on JSON Lines fields of a few
        // hundred bytes: 20% slower gated).
        let several_blocks = block_end(text, 0) < text.len() && self.warm(text.len());
        let Some(groups) = several_blocks.then(|| self.groups()).flatten() else {
            out.at.iter_mut().for_each(|w| *w = Where::Anywhere);
            return;
        };
        let width = groups.iter().map(|g| g.regex.pattern_len()).max().unwrap_or(0);
        let mut set = PatternSet::new(width);
        let whole_ascii = text.is_ascii();
        // Multi-line patterns: one search over the whole text.
        for g in groups.iter().filter(|g| g.multiline) {
            if whole_ascii {
                set.clear();
                g.regex.which_overlapping_matches(&Input::new(text), &mut set);
            }
            for (pid, &r) in g.rules.iter().enumerate() {
                let found = !whole_ascii || set.contains(PatternID::new_unchecked(pid));
                out.at[r as usize] = if found { Where::Anywhere } else { Where::Nowhere };
            }
        }
        // Blocks: (rule, start, end, ascii) for each block where a rule may match.
        let mut hits: Vec<(u32, usize, usize, bool)> = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let end = block_end(text, at);
            let ascii = whole_ascii || text[at..end].is_ascii();
            for g in groups.iter().filter(|g| !g.multiline) {
                if ascii {
                    set.clear();
                    g.regex.which_overlapping_matches(&Input::new(text).range(at..end), &mut set);
                }
                for (pid, &r) in g.rules.iter().enumerate() {
                    if !ascii || set.contains(PatternID::new_unchecked(pid)) {
                        hits.push((r, at, end, ascii));
                    }
                }
            }
            at = end;
        }
        // Blocks are in text order; a stable sort by rule keeps them so.
        hits.sort_by_key(|h| h.0);
        let mut i = 0;
        while i < hits.len() {
            let r = hits[i].0;
            let from = out.spans.len();
            let mut last_ascii = false;
            while i < hits.len() && hits[i].0 == r {
                let (_, lo, hi, ascii) = hits[i];
                // Keep ASCII and non-ASCII blocks apart, so that a search of
                // an ASCII region stays on the fast form.
                let mine = out.spans.len() > from;
                match out.spans.last_mut() {
                    Some(last) if mine && last.1 == lo && ascii && last_ascii => last.1 = hi,
                    _ => out.spans.push((lo, hi)),
                }
                last_ascii = ascii;
                i += 1;
            }
            out.at[r as usize] = Where::Spans(from as u32, out.spans.len() as u32);
        }
    }
}

/// Compiles the patterns into multi-pattern automata: those that can match a
/// line break in one (searched once over a whole text), the others in
/// [`GROUPS`] (searched block by block). Kept apart, the block automata do
/// not carry the multi-line patterns' states, which they would build on every
/// block only to ignore their results.
fn compile_groups(patterns: &[(u32, Hir)]) -> Option<Vec<Group>> {
    if patterns.is_empty() {
        return None;
    }
    type Patterns<'a> = Vec<&'a (u32, Hir)>;
    let (multi, single): (Patterns, Patterns) = patterns.iter().partition(|(_, h)| matches_newline(h));
    let per = single.len().div_ceil(GROUPS).max(1);
    let mut groups = Vec::new();
    let chunks = single.chunks(per).map(|c| (c, false));
    for (chunk, multiline) in chunks.chain((!multi.is_empty()).then_some((&multi[..], true))) {
        let hirs: Vec<&Hir> = chunk.iter().map(|p| &p.1).collect();
        let regex = Regex::builder()
            .syntax(syntax::Config::new().utf8(false))
            .configure(
                Regex::config()
                    .match_kind(MatchKind::All)
                    .hybrid_cache_capacity(CACHE_BYTES)
                    .nfa_size_limit(Some(64 << 20))
                    .dfa(false)
                    .onepass(false)
                    .backtrack(false),
            )
            .build_many_from_hir(&hirs)
            .ok()?;
        groups.push(Group { regex, rules: chunk.iter().map(|p| p.0).collect(), multiline });
    }
    Some(groups)
}

/// The parts of the sorted, disjoint regions `a` that lie in the sorted,
/// disjoint regions `b`.
pub(crate) fn intersect(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if lo < hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
    }
    out
}

/// The end of the block starting at `at`: after the last line break within
/// [`BLOCK`] bytes, else after the first line break, else the end of text.
fn block_end(text: &[u8], at: usize) -> usize {
    let limit = (at + BLOCK).min(text.len());
    if limit == text.len() {
        return limit;
    }
    if let Some(i) = text[at..limit].iter().rposition(|&b| b == b'\n') {
        return at + i + 1;
    }
    text[limit..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| limit + i + 1)
}

/// Whether some match of `hir` can contain a line break (`\n`).
pub(crate) fn matches_newline(hir: &Hir) -> bool {
    most_newlines(hir) != Some(0)
}

/// The most line breaks (`\n`) a match of `hir` can contain; None: no limit.
pub(crate) fn most_newlines(hir: &Hir) -> Option<usize> {
    let has = |yes: bool| Some(usize::from(yes));
    match hir.kind() {
        HirKind::Literal(lit) => Some(lit.0.iter().filter(|&&b| b == b'\n').count()),
        // A class's ranges are sorted: only those starting at or before the
        // line break can hold it (a `\p{L}` has hundreds after it).
        HirKind::Class(Class::Unicode(c)) => {
            has(c.ranges().iter().take_while(|r| r.start() <= '\n').any(|r| '\n' <= r.end()))
        }
        HirKind::Class(Class::Bytes(c)) => {
            has(c.ranges().iter().take_while(|r| r.start() <= b'\n').any(|r| b'\n' <= r.end()))
        }
        HirKind::Concat(subs) => subs.iter().try_fold(0usize, |n, s| Some(n + most_newlines(s)?)),
        HirKind::Alternation(subs) => subs.iter().try_fold(0usize, |n, s| Some(n.max(most_newlines(s)?))),
        HirKind::Repetition(r) => match (r.max, most_newlines(&r.sub)?) {
            (Some(0), _) | (_, 0) => Some(0),
            (Some(max), n) => Some(max as usize * n),
            (None, _) => None,
        },
        HirKind::Capture(c) => most_newlines(&c.sub),
        HirKind::Empty | HirKind::Look(_) => Some(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::regexes;

    fn gate(patterns: &[&str]) -> Gate {
        let pairs: Vec<(u32, Hir)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u32, regexes::ascii_only(&regexes::parse(p).ok().unwrap())))
            .collect();
        Gate::new(pairs, patterns.len(), 0)
    }

    #[test]
    fn most_newlines_counts_the_line_breaks_a_match_can_hold() {
        let most = |p: &str| most_newlines(&regexes::parse(p).ok().unwrap());
        assert_eq!(most(r"mrn[ \t]*:[ \t]*\d+"), Some(0));
        assert_eq!(most(r"[^\n]*"), Some(0));
        assert_eq!(most(r"mrn:?(?:\r?\n[ \t]*)?\d+"), Some(1));
        assert_eq!(most(r"a\nb|c(?:\n){2}"), Some(2));
        assert_eq!(most(r"(?:x\n){0,3}"), Some(3));
        assert_eq!(most(r"mrn\s*\d+"), None);
        assert_eq!(most(r"(?s)a.*b"), None);
        assert!(!matches_newline(&regexes::parse(r"[^\n]+").ok().unwrap()));
    }

    #[test]
    fn rules_run_only_on_blocks_where_they_match() {
        let g = gate(&[r"\b\d{3}-\d{4}\b", r"[a-z]+@[a-z]+\.com", r"(?i)mrn\s+\d+", r"\b\p{Lu}\p{L}+\b"]);
        let filler = "no identifiers on this line at all\n".repeat(40);
        let text = format!("{filler}call 555-0199 now\n{filler}mrn\n42\n{filler}");
        let mut p = Possible::default();
        g.run(text.as_bytes(), &mut p);
        let phone = p.regions(0).unwrap();
        assert_eq!(phone.len(), 1);
        let (a, b) = phone[0];
        assert!(text[a..b].contains("555-0199") && b - a < text.len() / 2, "{:?}", &text[a..b]);
        assert!(!p.any(1), "no email anywhere");
        assert!(
            p.regions(2).is_none(),
            "\\s matches a line break: gated on the whole text, which has a match"
        );
        assert!(!p.any(3), "no capitalized word");
        // A non-ASCII block is not gated: the Unicode pattern may match there.
        let text = format!("{filler}Émile\n{filler}");
        g.run(text.as_bytes(), &mut p);
        let (a, b) = p.regions(3).unwrap()[0];
        assert!(text[a..b].contains("Émile"));
        assert!(p.regions(2).is_none(), "a multi-line pattern in non-ASCII text may match anywhere");
        // A text of one block is not gated.
        g.run(b"no match here", &mut p);
        assert!((0..4).all(|r| p.regions(r).is_none()));
    }

    #[test]
    fn texts_are_gated_once_enough_text_of_several_blocks_was_seen() {
        let pairs = vec![(0, regexes::ascii_only(&regexes::parse(r"\d{3}-\d{4}").ok().unwrap()))];
        let g = Gate::new(pairs, 1, 4000);
        let text = format!("{}call 555-0199\n", "a line without numbers\n".repeat(100));
        let mut p = Possible::default();
        g.run(b"555-0199 in one block", &mut p);
        assert!(p.regions(0).is_none());
        assert_eq!(g.seen.load(Ordering::Relaxed), 0, "texts of one block are not counted");
        g.run(text.as_bytes(), &mut p);
        g.run(text.as_bytes(), &mut p);
        assert!(p.regions(0).is_none(), "{} bytes seen: not gated yet", 2 * text.len());
        g.run(text.as_bytes(), &mut p);
        let blocks = p.regions(0).expect("gated from the third text");
        assert!(blocks.len() == 1 && blocks[0].1 - blocks[0].0 < text.len(), "{blocks:?}");
    }

    #[test]
    fn multi_line_patterns_have_an_automaton_of_their_own() {
        let patterns =
            [r"\d{3}-\d{4}", r"(?m)^[A-Z][a-z]+\n[0-9]+ Main", r"[a-z]+@[a-z]+", r"mrn\s+\d+", r"\bx\b"];
        let pairs: Vec<(u32, Hir)> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u32, regexes::ascii_only(&regexes::parse(p).ok().unwrap())))
            .collect();
        let groups = compile_groups(&pairs).expect("compiles");
        assert_eq!(groups.len(), GROUPS + 1);
        let multi: Vec<u32> = groups.iter().filter(|g| g.multiline).flat_map(|g| g.rules.clone()).collect();
        assert_eq!(multi, vec![1, 3]);
        let single: Vec<u32> = groups.iter().filter(|g| !g.multiline).flat_map(|g| g.rules.clone()).collect();
        assert_eq!(single, vec![0, 2, 4]);
        // Only single-line patterns: no multi-line automaton.
        assert_eq!(compile_groups(&pairs[..1]).expect("compiles").len(), 1);
    }

    #[test]
    fn intersects_region_lists() {
        assert_eq!(intersect(&[(0, 10), (20, 30)], &[(5, 25)]), vec![(5, 10), (20, 25)]);
        assert_eq!(intersect(&[(0, 10)], &[(10, 20)]), vec![]);
        assert_eq!(intersect(&[(0, 100)], &[(1, 2), (3, 4), (99, 200)]), vec![(1, 2), (3, 4), (99, 100)]);
        assert_eq!(intersect(&[], &[(0, 1)]), vec![]);
    }

    #[test]
    fn blocks_are_whole_lines() {
        let text = "a\n".repeat(2000);
        let mut at = 0;
        while at < text.len() {
            let end = block_end(text.as_bytes(), at);
            assert!(end > at && end - at <= BLOCK && text.as_bytes()[end - 1] == b'\n');
            at = end;
        }
        let long = "x".repeat(3000) + "\nshort\n";
        assert_eq!(block_end(long.as_bytes(), 0), 3001);
        assert_eq!(block_end(b"no newline", 0), 10);
    }
}
