//! The figures of EVAL.md, counted as `score.py`'s `score()` counts them.

use std::collections::{BTreeMap, HashMap};

use super::GoldDoc;
use super::alnum::is_alnum;

/// Appended to a gold span's label when it is a bare year (`score.py`'s
/// `YEAR_SUFFIX`).
const YEAR_SUFFIX: &str = "[year]";

/// A span a tool predicted, in `char` offsets (see [`byte_to_char_spans`]).
///
/// Spans need not be sorted, may overlap, and may reach past the end of the
/// text: like `score.py`, scoring clips them to the text (counting them in
/// [`Report::pred_spans_clipped`]) and ignores those left empty.
///
/// [`byte_to_char_spans`]: super::byte_to_char_spans
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PredSpan {
    /// Offset of the first character.
    pub start: usize,
    /// Offset one past the last character.
    pub end: usize,
    /// The canonical label the tool gave, if any; only typed figures use it.
    pub label: Option<String>,
}

impl PredSpan {
    /// A span over the characters `start..end`, with an optional label.
    pub fn new(start: usize, end: usize, label: Option<&str>) -> PredSpan {
        PredSpan { start, end, label: label.map(str::to_string) }
    }
}

/// Counts for the gold spans of one label row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LabelCounts {
    /// Gold spans.
    pub gold: usize,
    /// Gold spans overlapped by some predicted span.
    pub found: usize,
    /// Gold spans whose letters and digits are all inside predicted spans.
    pub masked: usize,
    /// Gold spans overlapped by a predicted span of the same label.
    pub typed_found: usize,
    /// Gold spans typed-found whose letters and digits are all inside
    /// predicted spans of the same label.
    pub typed_masked: usize,
}

impl LabelCounts {
    /// `found / gold`.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.found, self.gold)
    }

    /// `masked / gold`.
    pub fn masked_recall(&self) -> Option<f64> {
        ratio(self.masked, self.gold)
    }

    /// `typed_found / gold`.
    pub fn typed_recall(&self) -> Option<f64> {
        ratio(self.typed_found, self.gold)
    }

    /// `typed_masked / gold`.
    pub fn typed_masked_recall(&self) -> Option<f64> {
        ratio(self.typed_masked, self.gold)
    }

    fn add(&mut self, other: &LabelCounts) {
        self.gold += other.gold;
        self.found += other.found;
        self.masked += other.masked;
        self.typed_found += other.typed_found;
        self.typed_masked += other.typed_masked;
    }
}

/// The counts behind every figure, summed over documents, and the figures.
///
/// Ratios are computed from the counts on demand and are `None` where the
/// denominator is zero. Its `Display` is `score.py`'s table; [`to_json`]
/// gives the figures as JSON.
///
/// [`to_json`]: Report::to_json
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Documents scored.
    pub docs: usize,
    /// All gold spans, the sum of the label rows.
    pub overall: LabelCounts,
    /// Per label row: the gold label, or the label followed by `[year]` for
    /// bare years. Sorted by code point, as Python's `sorted`.
    pub labels: BTreeMap<String, LabelCounts>,
    /// Predicted spans left after clipping to the text.
    pub predicted: usize,
    /// Predicted spans overlapping some gold span, whatever its label.
    pub pred_correct: usize,
    /// Predicted spans overlapping some gold span of the same label.
    pub pred_typed_correct: usize,
    /// Documents without gold spans.
    pub negative_docs: usize,
    /// Documents without gold spans that got at least one predicted span.
    pub negative_docs_flagged: usize,
    /// Predicted spans that reached past the end of their text (counted
    /// whether or not anything was left after clipping).
    pub pred_spans_clipped: usize,
    /// Non-empty prediction lists given beyond the last gold document, which
    /// [`score`] ignores (`score.py`'s predictions for unknown ids).
    pub pred_unknown_docs: usize,
    /// Whether any predicted span had a label; the table only shows typed
    /// figures then.
    pub pred_has_labels: bool,
}

/// Scores predictions against gold documents; `predictions[i]` belongs to
/// `gold[i]`.
///
/// A document without a prediction list has no predictions. Lists beyond
/// `gold.len()` are ignored, and counted in [`Report::pred_unknown_docs`] when
/// not empty.
pub fn score(gold: &[GoldDoc], predictions: &[Vec<PredSpan>]) -> Report {
    let mut report = Report::new();
    for (i, doc) in gold.iter().enumerate() {
        report.add_doc(doc, predictions.get(i).map_or(&[][..], Vec::as_slice));
    }
    for extra in predictions.iter().skip(gold.len()) {
        report.pred_has_labels |= extra.iter().any(|p| p.label.is_some());
        report.pred_unknown_docs += usize::from(!extra.is_empty());
    }
    report
}

impl Report {
    /// An empty report, to feed with [`add_doc`](Report::add_doc).
    pub fn new() -> Report {
        Report::default()
    }

    /// Adds one document and the spans predicted for it.
    ///
    /// Gold spans are expected in range and non-empty, as [`parse_gold`]
    /// guarantees; others are clipped to the text rather than panicking.
    ///
    /// [`parse_gold`]: super::parse_gold
    pub fn add_doc(&mut self, doc: &GoldDoc, predictions: &[PredSpan]) {
        self.docs += 1;
        let n = doc.text.chars().count();

        // Like score.py: clip to the text, drop what is left empty.
        let mut preds: Vec<(usize, usize, Option<&str>)> = Vec::with_capacity(predictions.len());
        for p in predictions {
            self.pred_has_labels |= p.label.is_some();
            let end = p.end.min(n);
            self.pred_spans_clipped += usize::from(end != p.end);
            if end > p.start {
                preds.push((p.start, end, p.label.as_deref()));
            }
        }
        self.predicted += preds.len();
        if doc.spans.is_empty() {
            self.negative_docs += 1;
            self.negative_docs_flagged += usize::from(!preds.is_empty());
            return;
        }

        let alnum_before = prefix_counts(doc.text.chars().map(is_alnum));
        let clip = |start: usize, end: usize| (start.min(n), end.min(n));
        let all = Coverage::new(preds.iter().map(|&(a, b, _)| (a, b)));
        // Coverage by the predictions of one label, built on first use; None
        // when no prediction has that label.
        let mut by_label: HashMap<&str, Option<Coverage>> = HashMap::new();
        for g in &doc.spans {
            let (a, b) = clip(g.start, g.end);
            let mut row = LabelCounts { gold: 1, ..LabelCounts::default() };
            if all.overlaps(a, b) {
                row.found = 1;
            }
            if all.masks(a, b, &alnum_before) {
                row.masked = 1;
            }
            let same = by_label.entry(g.label.as_str()).or_insert_with(|| {
                let mut spans = preds.iter().filter(|p| p.2 == Some(g.label.as_str())).peekable();
                spans.peek().is_some().then(|| Coverage::new(spans.map(|&(a, b, _)| (a, b))))
            });
            if let Some(same) = same
                && same.overlaps(a, b)
            {
                row.typed_found = 1;
                if same.masks(a, b, &alnum_before) {
                    row.typed_masked = 1;
                }
            }
            self.overall.add(&row);
            let key = if g.year { format!("{}{YEAR_SUFFIX}", g.label) } else { g.label.clone() };
            self.labels.entry(key).or_default().add(&row);
        }

        // Precision: does a predicted span overlap some gold span (of its label)?
        let gold_all = Coverage::new(gold_ranges(doc, n, None));
        let mut gold_by_label: HashMap<&str, Coverage> = HashMap::new();
        for &(a, b, label) in &preds {
            if !gold_all.overlaps(a, b) {
                continue;
            }
            self.pred_correct += 1;
            if let Some(label) = label {
                let same = gold_by_label
                    .entry(label)
                    .or_insert_with(|| Coverage::new(gold_ranges(doc, n, Some(label))));
                if same.overlaps(a, b) {
                    self.pred_typed_correct += 1;
                }
            }
        }
    }

    /// Overlap recall over all gold spans.
    pub fn recall(&self) -> Option<f64> {
        self.overall.recall()
    }

    /// Masked (leak-free) recall over all gold spans.
    pub fn masked_recall(&self) -> Option<f64> {
        self.overall.masked_recall()
    }

    /// Label-blind overlap precision.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.pred_correct, self.predicted)
    }

    /// F2 of [`precision`](Report::precision) and [`recall`](Report::recall).
    pub fn f2(&self) -> Option<f64> {
        f2(self.precision(), self.recall())
    }

    /// F2 of [`precision`](Report::precision) and
    /// [`masked_recall`](Report::masked_recall).
    pub fn f2_masked(&self) -> Option<f64> {
        f2(self.precision(), self.masked_recall())
    }

    /// Typed overlap recall over all gold spans.
    pub fn typed_recall(&self) -> Option<f64> {
        self.overall.typed_recall()
    }

    /// Typed masked recall over all gold spans.
    pub fn typed_masked_recall(&self) -> Option<f64> {
        self.overall.typed_masked_recall()
    }

    /// Typed precision: predicted spans overlapping a gold span of their label.
    pub fn typed_precision(&self) -> Option<f64> {
        ratio(self.pred_typed_correct, self.predicted)
    }

    /// F2 of the typed precision and the typed recall.
    pub fn typed_f2(&self) -> Option<f64> {
        f2(self.typed_precision(), self.typed_recall())
    }

    /// The share of negative documents that were flagged.
    pub fn negative_flag_rate(&self) -> Option<f64> {
        ratio(self.negative_docs_flagged, self.negative_docs)
    }
}

/// The gold spans of `doc` (of one label, if given), clipped to its `n` chars,
/// non-empty.
fn gold_ranges<'a>(
    doc: &'a GoldDoc,
    n: usize,
    label: Option<&'a str>,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    doc.spans
        .iter()
        .filter(move |g| label.is_none_or(|l| g.label == l))
        .map(move |g| (g.start.min(n), g.end.min(n)))
        .filter(|&(a, b)| a < b)
}

/// `score.py`'s `safe_div`.
fn ratio(x: usize, y: usize) -> Option<f64> {
    (y != 0).then(|| x as f64 / y as f64)
}

/// `score.py`'s `f_beta` with beta 2, operation for operation so that the
/// rounding is the same: no recall gives none, no precision counts as 0.
fn f2(p: Option<f64>, r: Option<f64>) -> Option<f64> {
    let r = r?;
    let p = p.unwrap_or(0.0);
    let b2 = 2.0 * 2.0;
    let d = b2 * p + r;
    Some(if d != 0.0 { (1.0 + b2) * p * r / d } else { 0.0 })
}

/// `out[i]` = how many of the first `i` flags are set.
fn prefix_counts(flags: impl Iterator<Item = bool>) -> Vec<usize> {
    let mut out = Vec::with_capacity(flags.size_hint().0 + 1);
    let mut sum = 0;
    out.push(0);
    for f in flags {
        sum += usize::from(f);
        out.push(sum);
    }
    out
}

/// The union of some spans, as `score.py`'s `merge` makes it: sorted,
/// disjoint intervals, touching ones joined.
///
/// Its cost follows the number of spans, not the length of the text: a first
/// version kept per-char prefix counts for each label and took 330 ms to score
/// `faker_mixed.jsonl` (5,316 docs, 41,383 spans, release build, shared 2-core
/// machine), mostly clearing memory; this one takes 43 ms.
struct Coverage {
    merged: Vec<(usize, usize)>,
}

impl Coverage {
    /// Spans must satisfy `a < b`.
    fn new(spans: impl Iterator<Item = (usize, usize)>) -> Coverage {
        let mut spans: Vec<(usize, usize)> = spans.collect();
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Coverage { merged }
    }

    /// The parts of the union inside `a..b`, in order.
    fn within(&self, a: usize, b: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let first = self.merged.partition_point(|&(_, e)| e <= a);
        self.merged[first..].iter().take_while(move |&&(s, _)| s < b).map(move |&(s, e)| (s.max(a), e.min(b)))
    }

    /// `score.py`'s `overlaps`: some span shares a char with `a..b`.
    fn overlaps(&self, a: usize, b: usize) -> bool {
        self.within(a, b).next().is_some()
    }

    /// `score.py`'s `fully_masked`: every letter and digit in `a..b` is
    /// covered, or, without any, every char. `alnum_before[i]` counts the
    /// letters and digits before char `i`.
    fn masks(&self, a: usize, b: usize, alnum_before: &[usize]) -> bool {
        let letters = alnum_before[b] - alnum_before[a];
        if letters > 0 {
            let covered: usize = self.within(a, b).map(|(s, e)| alnum_before[e] - alnum_before[s]).sum();
            covered == letters
        } else {
            let covered: usize = self.within(a, b).map(|(s, e)| e - s).sum();
            covered == b - a
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::GoldSpan;

    fn doc(id: &str, text: &str, spans: &[(usize, usize, &str)]) -> GoldDoc {
        GoldDoc {
            id: id.to_string(),
            text: text.to_string(),
            spans: spans
                .iter()
                .map(|&(start, end, label)| {
                    let (label, year) = match label.strip_suffix(YEAR_SUFFIX) {
                        Some(l) => (l, true),
                        None => (label, false),
                    };
                    GoldSpan { start, end, label: label.to_string(), year }
                })
                .collect(),
        }
    }

    fn p(start: usize, end: usize, label: Option<&str>) -> PredSpan {
        PredSpan::new(start, end, label)
    }

    /// The counts of one gold span, or of the whole report.
    #[derive(Debug, PartialEq)]
    struct Want {
        found: usize,
        masked: usize,
        typed_found: usize,
        typed_masked: usize,
        correct: usize,
        typed_correct: usize,
    }

    fn want(found: usize, masked: usize, tf: usize, tm: usize, correct: usize, tc: usize) -> Want {
        Want { found, masked, typed_found: tf, typed_masked: tm, correct, typed_correct: tc }
    }

    fn got(r: &Report) -> Want {
        let o = &r.overall;
        want(o.found, o.masked, o.typed_found, o.typed_masked, r.pred_correct, r.pred_typed_correct)
    }

    #[test]
    fn one_document_cases() {
        // (name, text, gold spans, predictions, counts)
        type Case<'a> = (&'a str, &'a str, Vec<(usize, usize, &'a str)>, Vec<PredSpan>, Want);
        let per = Some("PERSON");
        let cases: Vec<Case> = vec![
            ("exact", "Dr. Smith", vec![(4, 9, "PERSON")], vec![p(4, 9, per)], want(1, 1, 1, 1, 1, 1)),
            ("missed", "Dr. Smith", vec![(4, 9, "PERSON")], vec![], want(0, 0, 0, 0, 0, 0)),
            (
                "partial overlap leaks",
                "Dr. Smith",
                vec![(4, 9, "PERSON")],
                vec![p(4, 7, per)],
                want(1, 0, 1, 0, 1, 1),
            ),
            (
                "touching is no overlap",
                "Dr. Smith",
                vec![(4, 9, "PERSON")],
                vec![p(0, 4, per)],
                want(0, 0, 0, 0, 0, 0),
            ),
            ("wider span", "Dr. Smith", vec![(4, 9, "PERSON")], vec![p(0, 9, per)], want(1, 1, 1, 1, 1, 1)),
            (
                "punctuation may stay in clear",
                "call 555-123-4567 now",
                vec![(5, 17, "PHONE")],
                vec![p(5, 8, None), p(9, 12, None), p(13, 17, None)],
                want(1, 1, 0, 0, 3, 0),
            ),
            (
                "a digit left in clear leaks",
                "call 555-123-4567 now",
                vec![(5, 17, "PHONE")],
                vec![p(5, 8, None), p(9, 12, None), p(13, 16, None)],
                want(1, 0, 0, 0, 3, 0),
            ),
            (
                "no alnum: every char must be covered",
                "a -- b",
                vec![(2, 4, "ID")],
                vec![p(2, 3, None)],
                want(1, 0, 0, 0, 1, 0),
            ),
            (
                "no alnum, covered",
                "a -- b",
                vec![(2, 4, "ID")],
                vec![p(1, 5, Some("ID"))],
                want(1, 1, 1, 1, 1, 1),
            ),
            (
                "union of adjacent spans masks",
                "John Q. Public",
                vec![(0, 14, "PERSON")],
                vec![p(0, 4, Some("PER")), p(5, 14, Some("PER"))],
                want(1, 1, 0, 0, 2, 0),
            ),
            (
                "typed masks use only spans of the label",
                "John Q. Public",
                vec![(0, 14, "PERSON")],
                vec![p(0, 4, per), p(5, 14, Some("LOCATION"))],
                want(1, 1, 1, 0, 2, 1),
            ),
            (
                "wrong label: found, not typed",
                "Dr. Smith",
                vec![(4, 9, "PERSON")],
                vec![p(4, 9, Some("LOCATION"))],
                want(1, 1, 0, 0, 1, 0),
            ),
            (
                "typed precision needs an overlapped gold span of the label",
                "Smith in Paris",
                vec![(0, 5, "PERSON"), (9, 14, "LOCATION")],
                vec![p(0, 14, Some("LOCATION"))],
                want(2, 2, 1, 1, 1, 1),
            ),
            (
                "false positive",
                "Dr. Smith saw him",
                vec![(4, 9, "PERSON")],
                vec![p(4, 9, per), p(14, 17, per)],
                want(1, 1, 1, 1, 1, 1),
            ),
            (
                "non-ASCII offsets are chars",
                "Zoë Ångström, Zürich",
                vec![(0, 12, "PERSON"), (14, 20, "LOCATION")],
                vec![p(0, 3, per), p(4, 12, per), p(14, 20, Some("LOCATION"))],
                want(2, 2, 2, 2, 3, 3),
            ),
            (
                "combining vowel sign is not alnum (Python)",
                "श्री राम",
                vec![(5, 8, "PERSON")],
                // "राम" = र ा म: covering र and म masks it, as in Python.
                vec![p(5, 6, per), p(7, 8, per)],
                want(1, 1, 1, 1, 2, 2),
            ),
            (
                "clipped and empty predictions",
                "Dr. Smith",
                vec![(4, 9, "PERSON")],
                vec![p(7, 20, per), p(12, 30, per), p(6, 6, per), p(8, 5, per)],
                want(1, 0, 1, 0, 1, 1),
            ),
            (
                "unknown gold label '?' matches only a '?' prediction",
                "x 42",
                vec![(2, 4, "?")],
                vec![p(2, 4, None), p(2, 3, Some("?"))],
                want(1, 1, 1, 0, 2, 1),
            ),
        ];
        let mut failures = Vec::new();
        for (name, text, spans, preds, expected) in cases {
            let gold = [doc("d", text, &spans)];
            let r = score(&gold, std::slice::from_ref(&preds));
            if got(&r) != expected {
                failures.push(format!("{name}: got {:?}, want {expected:?}", got(&r)));
            }
            assert_eq!(r.overall.gold, spans.len(), "{name}");
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn clipping_and_empty_predictions_are_counted_like_score_py() {
        let gold = [doc("d", "Dr. Smith", &[(4, 9, "PERSON")])];
        let preds = vec![vec![p(7, 20, None), p(12, 30, None), p(6, 6, None), p(8, 5, None)]];
        let r = score(&gold, &preds);
        // Both spans past the end are clipped; only the first keeps a char.
        assert_eq!((r.pred_spans_clipped, r.predicted), (2, 1));
        assert!(!r.pred_has_labels);
    }

    /// score.py's own hand-checked cases (shared/peers/test_score.py), without --map.
    fn score_py_example() -> (Vec<GoldDoc>, Vec<Vec<PredSpan>>) {
        let gold = vec![
            doc("a", "Pt seen by Dr. Smith on 7/22.", &[(15, 20, "PERSON"), (24, 28, "DATE")]),
            doc("b", "John Q. Public called 555-123-4567.", &[(0, 14, "PERSON"), (22, 34, "PHONE")]),
            doc("c", "No identifiers here.", &[]),
            doc("d", "Born in 1950.", &[(8, 12, "DATE[year]")]),
        ];
        let per = Some("PER");
        let preds = vec![
            vec![p(15, 18, Some("PERSON")), p(24, 28, Some("DATE"))],
            vec![p(0, 4, per), p(5, 14, per), p(15, 21, per)],
            vec![p(0, 2, per)],
            vec![],
            vec![p(0, 1, None)], // score.py's unknown id "zzz"
        ];
        (gold, preds)
    }

    #[test]
    fn score_py_hand_checked_example() {
        let (gold, preds) = score_py_example();
        let r = score(&gold, &preds);
        assert_eq!((r.overall.gold, r.overall.found, r.overall.masked), (5, 3, 2));
        assert_eq!((r.predicted, r.pred_correct), (6, 4));
        assert_eq!(r.recall(), Some(0.6));
        assert_eq!(r.masked_recall(), Some(0.4));
        assert_eq!(r.precision(), Some(4.0 / 6.0));
        let (p, rec) = (4.0 / 6.0, 0.6);
        assert_eq!(r.f2(), Some(5.0 * p * rec / (4.0 * p + rec)));
        assert_eq!((r.negative_docs, r.negative_docs_flagged, r.pred_unknown_docs), (1, 1, 1));
        assert_eq!(r.negative_flag_rate(), Some(1.0));
        let l = |k: &str| {
            let c = &r.labels[k];
            (c.gold, c.found, c.masked)
        };
        assert_eq!(l("PERSON"), (2, 2, 1));
        assert_eq!(l("DATE"), (1, 1, 1));
        assert_eq!(l("DATE[year]"), (1, 0, 0));
        assert_eq!(l("PHONE"), (1, 0, 0));
        assert_eq!(r.labels.keys().collect::<Vec<_>>(), ["DATE", "DATE[year]", "PERSON", "PHONE"]);
        // "PER" never equals "PERSON".
        assert_eq!(r.typed_recall(), Some(2.0 / 5.0));
        assert_eq!(r.typed_precision(), Some(2.0 / 6.0));
        assert!(r.pred_has_labels);
    }

    #[test]
    fn edge_figures() {
        // Nothing at all: every ratio is None.
        let r = score(&[], &[]);
        assert_eq!((r.recall(), r.precision(), r.f2(), r.f2_masked()), (None, None, None, None));
        assert_eq!(r.negative_flag_rate(), None);

        // Gold but no predictions: precision None, F2 0 (score.py's p = 0.0).
        let gold = [doc("d", "Dr. Smith", &[(4, 9, "PERSON")])];
        let r = score(&gold, &[]);
        assert_eq!((r.recall(), r.precision(), r.f2()), (Some(0.0), None, Some(0.0)));

        // Predictions but no gold span: recall None, so F2 None; precision 0.
        let gold = [doc("d", "", &[]), doc("e", "abc", &[])];
        let r = score(&gold, &[vec![p(0, 1, None)], vec![p(0, 1, None), p(1, 2, None)]]);
        assert_eq!((r.recall(), r.precision(), r.f2()), (None, Some(0.0), None));
        assert_eq!(
            (r.predicted, r.pred_spans_clipped, r.negative_docs, r.negative_docs_flagged),
            (2, 1, 2, 1)
        );
        assert_eq!(r.negative_flag_rate(), Some(0.5));

        // All found, nothing typed: typed precision and recall 0 give typed F2 0.
        let gold = [doc("d", "ab", &[(0, 2, "ID")])];
        let r = score(&gold, &[vec![p(0, 2, None)]]);
        assert_eq!((r.f2(), r.typed_f2()), (Some(1.0), Some(0.0)));
    }

    #[test]
    fn f2_matches_the_formula() {
        let cases = [(0.5, 0.25), (1.0, 1.0), (0.1, 0.9), (2.0 / 3.0, 0.6)];
        for (pr, rc) in cases {
            let want = 5.0 * pr * rc / (4.0 * pr + rc);
            assert_eq!(f2(Some(pr), Some(rc)), Some(want));
        }
        assert_eq!(f2(Some(0.0), Some(0.0)), Some(0.0));
        assert_eq!(f2(None, Some(0.5)), Some(0.0));
        assert_eq!(f2(Some(0.5), None), None);
    }

    #[test]
    fn add_doc_is_score() {
        let (gold, preds) = score_py_example();
        let mut r = Report::new();
        for (d, ps) in gold.iter().zip(&preds) {
            r.add_doc(d, ps);
        }
        let mut whole = score(&gold, &preds[..gold.len()]);
        assert_eq!(r, whole);
        whole.pred_unknown_docs = 1;
        assert_eq!(score(&gold, &preds), whole);
    }

    #[test]
    fn out_of_range_gold_spans_do_not_panic() {
        let gold = [doc("d", "abc", &[(2, 9, "ID"), (5, 7, "ID")])];
        let r = score(&gold, &[vec![p(0, 3, None)]]);
        assert_eq!((r.overall.gold, r.overall.found), (2, 1));
    }
}
