//! Overlap resolution: higher priority, then higher confidence, then the longer
//! span wins; ties go to the earlier span, then to the earlier rule.
//!
//! A candidate that loses only part of its span to winners no surer than itself
//! (it lost on priority) keeps the rest: the pieces not covered, trimmed to
//! letters and digits, stay findings of its rule. So "Mark Adams" as a name
//! that loses "Adams" to a higher-priority town of that name still masks
//! "Mark". A candidate that is less sure than what beat it is dropped whole:
//! a weak "Ross, MD" place loses to the name "Ross" without leaving "MD".

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::Candidate;
use super::text::{char_at, char_before};
use crate::finding::Span;

fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then(b.confidence.total_cmp(&a.confidence))
        .then(b.span.len().cmp(&a.span.len()))
        .then(a.span.start.cmp(&b.span.start))
        .then(a.rule.cmp(&b.rule))
}

/// `[start, end)` shrunk to begin and end on a letter or digit; `None` if it
/// holds none.
fn trim(text: &[u8], mut start: usize, mut end: usize) -> Option<Span> {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    while start < end && !alnum(char_at(text, start)) {
        start += char_at(text, start).map_or(1, char::len_utf8);
    }
    while end > start && !alnum(char_before(text, end)) {
        end -= char_before(text, end).map_or(1, char::len_utf8);
    }
    (start < end).then(|| Span::new(start, end))
}

/// Keeps the winners and the uncovered pieces of partial losers, sorted by
/// start; no two overlap. Returns the candidates dropped whole
/// although part of them was not covered (see `Engine::recover`).
pub(crate) fn resolve(text: &[u8], cands: &mut Vec<Candidate>) -> Vec<Candidate> {
    let mut dropped = Vec::new();
    if cands.len() < 2 {
        return dropped;
    }
    cands.sort_by(rank);
    // Accepted spans by start. They never overlap, so those overlapping a
    // candidate are the one starting before it (if it reaches in) and those
    // starting inside it.
    let mut taken: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
    let mut out = Vec::with_capacity(cands.len());
    for c in cands.drain(..) {
        let (s, e) = (c.span.start, c.span.end);
        let before = taken.range(..s).next_back().map(|(&a, &b)| (a, b)).filter(|&(_, (b, _))| b > s);
        let inside: Vec<(usize, (usize, f32))> = taken.range(s..e).map(|(&a, &b)| (a, b)).collect();
        if before.is_none() && inside.is_empty() {
            taken.insert(s, (e, c.confidence));
            out.push(c);
            continue;
        }
        let surest = before.iter().chain(&inside).map(|&(_, (_, conf))| conf).fold(0.0f32, f32::max);
        if c.confidence < surest {
            // Worth a second look only if what is not covered holds a word
            // character: spaces and punctuation alone are no identifier.
            let has_word = |bytes: &[u8]| bytes.iter().any(|&x| x.is_ascii_alphanumeric() || x >= 0x80);
            let mut at = s;
            let mut word_left = false;
            for &(a, (b, _)) in before.iter().chain(&inside) {
                word_left |= has_word(&text[at..a.max(at)]);
                at = at.max(b.min(e));
            }
            word_left |= has_word(&text[at..e]);
            if word_left {
                dropped.push(c);
            }
            continue;
        }
        let mut at = before.map_or(s, |(_, (b, _))| b);
        let mut pieces = Vec::new();
        for (a, (b, _)) in inside {
            if a > at {
                pieces.push((at, a));
            }
            at = at.max(b);
        }
        if at < e {
            pieces.push((at, e));
        }
        for (a, b) in pieces {
            if let Some(span) = trim(text, a, b) {
                taken.insert(span.start, (span.end, c.confidence));
                out.push(Candidate { span, ..c });
            }
        }
    }
    *cands = out;
    cands.sort_by_key(|c| (c.span.start, c.span.end));
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    fn c(start: usize, end: usize, rule: u32, priority: i32, confidence: f32) -> Candidate {
        Candidate { span: Span::new(start, end), rule, priority, confidence, marked: false }
    }

    #[test]
    fn order_of_precedence() {
        type Case = (Vec<Candidate>, Vec<(usize, usize, u32)>);
        let cases: Vec<Case> = vec![
            // priority beats confidence and length
            (vec![c(0, 10, 0, 0, 0.9), c(2, 5, 1, 1, 0.6)], vec![(0, 2, 0), (2, 5, 1), (5, 10, 0)]),
            // confidence beats length
            (vec![c(0, 10, 0, 0, 0.6), c(2, 5, 1, 0, 0.9)], vec![(2, 5, 1)]),
            // length breaks a confidence tie
            (vec![c(0, 4, 0, 0, 0.8), c(2, 9, 1, 0, 0.8)], vec![(0, 2, 0), (2, 9, 1)]),
            // earlier start, then earlier rule, break full ties
            (
                vec![c(3, 6, 0, 0, 0.8), c(0, 3, 1, 0, 0.8), c(1, 4, 2, 0, 0.8)],
                vec![(0, 3, 1), (3, 4, 2), (5, 6, 0)],
            ),
            (vec![c(0, 3, 5, 0, 0.8), c(0, 3, 2, 0, 0.8)], vec![(0, 3, 2)]),
            // touching spans both survive
            (vec![c(0, 3, 0, 0, 0.8), c(3, 6, 1, 0, 0.8)], vec![(0, 3, 0), (3, 6, 1)]),
            // a partial loser keeps its uncovered pieces, trimmed to letters and digits
            (vec![c(0, 10, 0, 0, 0.6), c(5, 10, 1, 1, 0.6)], vec![(0, 4, 0), (5, 10, 1)]),
            (vec![c(0, 16, 0, 0, 0.6), c(5, 10, 1, 1, 0.6)], vec![(0, 4, 0), (5, 10, 1), (12, 16, 0)]),
            // pieces without a letter or digit are dropped
            (vec![c(4, 11, 0, 0, 0.6), c(5, 10, 1, 1, 0.6)], vec![(5, 10, 1)]),
        ];
        let mut failures = Vec::new();
        let text = b"Mark Adams, Jane Roe";
        for (i, (mut input, want)) in cases.into_iter().enumerate() {
            resolve(text, &mut input);
            let got: Vec<_> = input.iter().map(|c| (c.span.start, c.span.end, c.rule)).collect();
            if got != want {
                failures.push(format!("case {i}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
