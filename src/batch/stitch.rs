//! Joining the pieces of a long line.
//!
//! Each piece of a long line is scanned (and masked) over its window: its core
//! plus up to a margin of the line on each side. Two neighbouring windows
//! overlap around the cut `a` between their cores, and the output switches
//! from the left window's to the right window's at a point `c` chosen in that
//! overlap, the first one at or after `a` where:
//! 1. no finding of either window spans `c` (so no identifier is cut);
//! 2. every finding of the right window that reaches into `[a, c)` was also
//!    found by the left window, since the bytes before `c` come from the left
//!    window's output (findings starting before `a` belong to the left piece,
//!    but one the right window saw and the left did not is not let through);
//! 3. when masking, the offset of `c` in each window's masked output is known
//!    for sure (see [`output_offset`]).
//!
//! `c` is looked for no further than half a margin past `a`, so that both
//! windows saw at least half a margin of context around it; when there is no
//! such point the input fails rather than risk an unmasked identifier.

use crate::finding::Span;

/// Where the masked output of `input` (whose findings, sorted and not
/// overlapping, are `findings`) holds input offset `at`, which must lie
/// outside every finding. `None` when the output does not tell for sure.
///
/// The output is the input with each finding replaced: the gaps between
/// findings are copied, the replacements are unknown. Placing each gap at its
/// earliest possible place, and separately at its latest, brackets every way
/// the output could have been made; where the two agree for the gap holding
/// `at`, that place is the only one.
pub(crate) fn output_offset(input: &[u8], findings: &[Span], output: &[u8], at: usize) -> Option<usize> {
    let j = findings.partition_point(|f| f.end <= at);
    debug_assert!(findings.get(j).is_none_or(|f| f.start >= at), "offset inside a finding");
    let n = findings.len();
    if j == 0 {
        return Some(at);
    }
    if j == n {
        return output.len().checked_sub(input.len() - at);
    }
    let gap = |k: usize| {
        let start = if k == 0 { 0 } else { findings[k - 1].end };
        let end = if k == n { input.len() } else { findings[k].start };
        &input[start..end]
    };
    // Earliest places of gaps 1..=j.
    let mut pos = gap(0).len();
    let mut earliest = 0;
    for k in 1..=j {
        let g = gap(k);
        let p = if g.is_empty() { pos } else { pos + memchr::memmem::find(output.get(pos..)?, g)? };
        earliest = p;
        pos = p + g.len();
    }
    // Latest places of gaps n-1..=j.
    let mut limit = output.len().checked_sub(gap(n).len())?;
    let mut latest = limit;
    for k in (j..n).rev() {
        let g = gap(k);
        let p = if g.is_empty() { limit } else { memchr::memmem::rfind(output.get(..limit)?, g)? };
        latest = p;
        limit = p;
    }
    let into_gap = at - findings[j - 1].end;
    (earliest == latest).then_some(earliest + into_gap)
}

/// One window as the cut search sees it, in input offsets.
pub(crate) struct Side<'a> {
    /// The input offset of the window's first byte.
    pub start: u64,
    /// The window's bytes.
    pub input: &'a [u8],
    /// Its findings, window-relative, sorted and not overlapping.
    pub findings: &'a [Span],
    /// Its masked output, when masking.
    pub output: Option<&'a [u8]>,
}

impl Side<'_> {
    fn end(&self) -> u64 {
        self.start + self.input.len() as u64
    }

    fn abs(&self, f: &Span) -> (u64, u64) {
        (self.start + f.start as u64, self.start + f.end as u64)
    }

    fn offset(&self, at: u64) -> Option<usize> {
        let rel = (at - self.start) as usize;
        match self.output {
            Some(out) => output_offset(self.input, self.findings, out, rel),
            None => Some(rel),
        }
    }
}

/// A cut between two windows: the input offset, and its offset in each side's
/// output (input-relative when scanning).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cut {
    pub at: u64,
    pub left: usize,
    pub right: usize,
}

/// The cut between `left` and `right`, whose cores meet at `a`; `reach` is how
/// far past `a` it may go. `None` when there is no safe cut.
pub(crate) fn find_cut(left: &Side<'_>, right: &Side<'_>, a: u64, reach: u64) -> Option<Cut> {
    let limit = (a + reach).min(left.end()).min(right.end());
    let mut c = a;
    'search: while c <= limit {
        for side in [left, right] {
            if let Some(f) = side.findings.iter().map(|f| side.abs(f)).find(|&(s, e)| s < c && c < e) {
                c = f.1;
                continue 'search;
            }
        }
        let all_masked_left = right
            .findings
            .iter()
            .map(|f| right.abs(f))
            .filter(|&(s, e)| e > a && s < c)
            .all(|f| left.findings.iter().any(|g| left.abs(g) == f));
        if !all_masked_left {
            return None;
        }
        if let (Some(l), Some(r)) = (left.offset(c), right.offset(c)) {
            return Some(Cut { at: c, left: l, right: r });
        }
        // Ambiguous here: try past the next finding of either side.
        let next = [left, right]
            .iter()
            .flat_map(|s| s.findings.iter().map(|f| s.abs(f)))
            .filter(|&(s, _)| s >= c)
            .map(|(_, e)| e)
            .min()?;
        c = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Masks `input` replacing each span with `[X]` or `r` repeated.
    fn mask(input: &[u8], findings: &[Span], repl: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = 0;
        for (f, r) in findings.iter().zip(repl) {
            out.extend_from_slice(&input[at..f.start]);
            out.extend_from_slice(r);
            at = f.end;
        }
        out.extend_from_slice(&input[at..]);
        out
    }

    #[test]
    fn offsets_in_masked_output() {
        let input = b"call 555-0101 or mail a@b.org today";
        let f = [Span::new(5, 13), Span::new(22, 29)];
        let out = mask(input, &f, &[b"[PHONE]", b"[EMAIL]"]);
        assert_eq!(out, b"call [PHONE] or mail [EMAIL] today");
        assert_eq!(output_offset(input, &f, &out, 2), Some(2));
        assert_eq!(output_offset(input, &f, &out, 13), Some(12));
        assert_eq!(output_offset(input, &f, &out, 16), Some(15));
        assert_eq!(output_offset(input, &f, &out, 29), Some(28));
        assert_eq!(output_offset(input, &f, &out, 35), Some(34));
    }

    #[test]
    fn ambiguous_offsets_are_refused() {
        // The first replacement contains the gap that follows it.
        let input = b"x AAA, BBB, y";
        let f = [Span::new(2, 5), Span::new(7, 10)];
        let out = mask(input, &f, &[b"Doe, J", b"Roe, K"]);
        assert_eq!(out, b"x Doe, J, Roe, K, y");
        assert_eq!(output_offset(input, &f, &out, 6), None);
        // Adjacent findings leave no gap to find.
        let f = [Span::new(2, 5), Span::new(5, 10)];
        let out = mask(input, &f, &[b"[A]", b"[B]"]);
        assert_eq!(output_offset(input, &f, &out, 5), None);
        assert_eq!(output_offset(input, &f, &out, 11), Some(9));
    }

    #[test]
    fn cuts_move_past_findings_and_need_agreement() {
        // Offsets 100.. in the input; both windows see "id 12345678 ok".
        let text = b"aaaa id 12345678 ok bbbb";
        let f = [Span::new(8, 16)];
        let out = mask(text, &f, &[b"[ID]"]);
        let left = Side { start: 100, input: text, findings: &f, output: Some(&out) };
        let right = Side { start: 100, input: text, findings: &f, output: Some(&out) };
        // The core boundary falls inside the finding: the cut moves to its end.
        let cut = find_cut(&left, &right, 110, 20).unwrap();
        assert_eq!(cut, Cut { at: 116, left: 12, right: 12 });
        // Not reachable within the limit.
        assert_eq!(find_cut(&left, &right, 110, 3), None);
        // The right window found something across `a` the left did not mask.
        let none: [Span; 0] = [];
        let left = Side { start: 100, input: text, findings: &none, output: Some(text) };
        assert_eq!(find_cut(&left, &right, 110, 20), None);
        // Before it, the right window's output covers it.
        assert_eq!(find_cut(&left, &right, 107, 20), Some(Cut { at: 107, left: 7, right: 7 }));
        // Scanning (no outputs): the cut is at the boundary when it is free.
        let left = Side { start: 100, input: text, findings: &f, output: None };
        let right = Side { start: 100, input: text, findings: &f, output: None };
        assert_eq!(find_cut(&left, &right, 104, 20), Some(Cut { at: 104, left: 4, right: 4 }));
    }
}
