//! Overlap resolution: higher priority, then higher confidence, then the longer
//! span wins; ties go to the earlier span, then to the earlier rule.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::Candidate;

fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then(b.confidence.total_cmp(&a.confidence))
        .then(b.span.len().cmp(&a.span.len()))
        .then(a.span.start.cmp(&b.span.start))
        .then(a.rule.cmp(&b.rule))
}

/// Keeps the winners, sorted by start; no two overlap.
pub(crate) fn resolve(cands: &mut Vec<Candidate>) {
    if cands.len() < 2 {
        return;
    }
    cands.sort_by(rank);
    // Accepted spans by start; they never overlap, so the one starting just
    // before a candidate's end is the only one that can overlap it.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    cands.retain(|c| {
        let clash = taken.range(..c.span.end).next_back().is_some_and(|(_, &end)| end > c.span.start);
        if !clash {
            taken.insert(c.span.start, c.span.end);
        }
        !clash
    });
    cands.sort_by_key(|c| (c.span.start, c.span.end));
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
            (vec![c(0, 10, 0, 0, 0.9), c(2, 5, 1, 1, 0.6)], vec![(2, 5, 1)]),
            // confidence beats length
            (vec![c(0, 10, 0, 0, 0.6), c(2, 5, 1, 0, 0.9)], vec![(2, 5, 1)]),
            // length breaks a confidence tie
            (vec![c(0, 4, 0, 0, 0.8), c(2, 9, 1, 0, 0.8)], vec![(2, 9, 1)]),
            // earlier start, then earlier rule, break full ties
            (vec![c(3, 6, 0, 0, 0.8), c(0, 3, 1, 0, 0.8), c(1, 4, 2, 0, 0.8)], vec![(0, 3, 1), (3, 6, 0)]),
            (vec![c(0, 3, 5, 0, 0.8), c(0, 3, 2, 0, 0.8)], vec![(0, 3, 2)]),
            // touching spans both survive
            (vec![c(0, 3, 0, 0, 0.8), c(3, 6, 1, 0, 0.8)], vec![(0, 3, 0), (3, 6, 1)]),
        ];
        let mut failures = Vec::new();
        for (i, (mut input, want)) in cases.into_iter().enumerate() {
            resolve(&mut input);
            let got: Vec<_> = input.iter().map(|c| (c.span.start, c.span.end, c.rule)).collect();
            if got != want {
                failures.push(format!("case {i}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
