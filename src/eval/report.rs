//! A [`Report`] as JSON and as `score.py`'s text table.

use std::fmt;

use serde_json::{Map, Value, json};

use super::{LabelCounts, Report};

impl Report {
    /// The figures as JSON.
    ///
    /// ```text
    /// {"overall": {"recall", "masked_recall", "precision", "f2", "f2_masked",
    ///              "gold", "predicted", "found", "masked", "pred_correct", "docs",
    ///              "negative_docs", "negative_docs_flagged", "negative_flag_rate",
    ///              "pred_spans_clipped", "pred_unknown_ids", "pred_has_labels",
    ///              "typed": {"recall", "masked_recall", "precision", "f2", "pred_correct"}},
    ///  "labels": {"PERSON": {"count", "found", "masked", "recall", "masked_recall",
    ///                        "typed_recall", "typed_masked_recall"}, ...}}
    /// ```
    ///
    /// Names are `score.py --json`'s, except that its top-level figures sit
    /// under `overall`, `gold_spans` is `gold`, `pred_spans` is `predicted` and a
    /// label's `gold` is `count`. A ratio with a zero denominator is `null`.
    pub fn to_json(&self) -> Value {
        let labels: Map<String, Value> =
            self.labels.iter().map(|(k, c)| (k.clone(), label_json(c))).collect();
        json!({
            "overall": {
                "recall": self.recall(),
                "masked_recall": self.masked_recall(),
                "precision": self.precision(),
                "f2": self.f2(),
                "f2_masked": self.f2_masked(),
                "gold": self.overall.gold,
                "predicted": self.predicted,
                "found": self.overall.found,
                "masked": self.overall.masked,
                "pred_correct": self.pred_correct,
                "docs": self.docs,
                "negative_docs": self.negative_docs,
                "negative_docs_flagged": self.negative_docs_flagged,
                "negative_flag_rate": self.negative_flag_rate(),
                "pred_spans_clipped": self.pred_spans_clipped,
                "pred_unknown_ids": self.pred_unknown_docs,
                "pred_has_labels": self.pred_has_labels,
                "typed": {
                    "recall": self.typed_recall(),
                    "masked_recall": self.typed_masked_recall(),
                    "precision": self.typed_precision(),
                    "f2": self.typed_f2(),
                    "pred_correct": self.pred_typed_correct,
                },
            },
            "labels": labels,
        })
    }
}

fn label_json(c: &LabelCounts) -> Value {
    json!({
        "count": c.gold,
        "found": c.found,
        "masked": c.masked,
        "recall": c.recall(),
        "masked_recall": c.masked_recall(),
        "typed_recall": c.typed_recall(),
        "typed_masked_recall": c.typed_masked_recall(),
    })
}

/// `score.py`'s `fmt`: three decimals in `width` columns, `-` for none.
/// Rust rounds ties to even on the exact binary value, as Python does.
struct Fig(Option<f64>, usize);

impl fmt::Display for Fig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.1;
        match self.0 {
            Some(x) if !x.is_nan() => write!(f, "{x:w$.3}"),
            _ => write!(f, "{:>w$}", "-"),
        }
    }
}

/// The text table `score.py` prints without `--json`, byte for byte (each line
/// ends with a newline): per label row the gold count, recall and masked recall
/// (and typed ones when predictions had labels), the overall row, then
/// precision, F2 and the negative documents.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let typed = self.pred_has_labels;
        let lw = self.labels.keys().map(|k| k.chars().count()).fold(14, usize::max);
        write!(f, "{:<lw$} {:>6} {:>7} {:>7}", "label", "gold", "recall", "masked")?;
        if typed {
            write!(f, " {:>8} {:>8}", "t.recall", "t.masked")?;
        }
        writeln!(f)?;
        let rows = self.labels.iter().map(|(k, c)| (k.as_str(), c)).chain([("overall", &self.overall)]);
        for (k, c) in rows {
            write!(f, "{k:<lw$} {:6} {} {}", c.gold, Fig(c.recall(), 7), Fig(c.masked_recall(), 7))?;
            if typed {
                write!(f, " {} {}", Fig(c.typed_recall(), 8), Fig(c.typed_masked_recall(), 8))?;
            }
            writeln!(f)?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "docs {}  gold spans {}  predicted spans {}",
            self.docs, self.overall.gold, self.predicted
        )?;
        writeln!(
            f,
            "recall {}  masked recall {}  precision {} ({}/{})  F2 {}  F2 masked {}",
            Fig(self.recall(), 0),
            Fig(self.masked_recall(), 0),
            Fig(self.precision(), 0),
            self.pred_correct,
            self.predicted,
            Fig(self.f2(), 0),
            Fig(self.f2_masked(), 0),
        )?;
        if typed {
            writeln!(
                f,
                "typed: recall {}  masked recall {}  precision {} ({}/{})  F2 {}",
                Fig(self.typed_recall(), 0),
                Fig(self.typed_masked_recall(), 0),
                Fig(self.typed_precision(), 0),
                self.pred_typed_correct,
                self.predicted,
                Fig(self.typed_f2(), 0),
            )?;
        }
        if self.negative_docs > 0 {
            writeln!(
                f,
                "negative docs (no gold span) {}: flagged {} (rate {})",
                self.negative_docs,
                self.negative_docs_flagged,
                Fig(self.negative_flag_rate(), 0),
            )?;
        }
        let notes = [
            ("predictions for ids not in GOLD (ignored):", self.pred_unknown_docs),
            ("predicted spans clipped to the text:", self.pred_spans_clipped),
        ];
        for (what, n) in notes {
            if n > 0 {
                writeln!(f, "note: {what} {n}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{GoldDoc, GoldSpan, PredSpan, score};

    fn example() -> Report {
        let span = |start, end, label: &str, year| GoldSpan { start, end, label: label.to_string(), year };
        let gold = vec![
            GoldDoc {
                id: "a".into(),
                text: "Pt seen by Dr. Smith on 7/22.".into(),
                spans: vec![span(15, 20, "PERSON", false), span(24, 28, "DATE", false)],
            },
            GoldDoc {
                id: "b".into(),
                text: "John Q. Public called 555-123-4567.".into(),
                spans: vec![span(0, 14, "PERSON", false), span(22, 34, "PHONE", false)],
            },
            GoldDoc { id: "c".into(), text: "No identifiers here.".into(), spans: vec![] },
            GoldDoc { id: "d".into(), text: "Born in 1950.".into(), spans: vec![span(8, 12, "DATE", true)] },
        ];
        let per = Some("PER");
        let preds = vec![
            vec![PredSpan::new(15, 18, Some("PERSON")), PredSpan::new(24, 28, Some("DATE"))],
            vec![PredSpan::new(0, 4, per), PredSpan::new(5, 14, per), PredSpan::new(15, 21, per)],
            vec![PredSpan::new(0, 2, per)],
            vec![PredSpan::new(9, 40, None)],
            vec![PredSpan::new(0, 1, None)],
        ];
        score(&gold, &preds)
    }

    #[test]
    fn table_is_score_py_output() {
        // What `score.py` prints (Python 3.11) for the same gold and predictions:
        // test_score.py's example plus a span on "d" running past its end.
        let want = "\
label            gold  recall  masked t.recall t.masked
DATE                1   1.000   1.000    1.000    1.000
DATE[year]          1   1.000   0.000    0.000    0.000
PERSON              2   1.000   0.500    0.500    0.000
PHONE               1   0.000   0.000    0.000    0.000
overall             5   0.800   0.400    0.400    0.200

docs 4  gold spans 5  predicted spans 7
recall 0.800  masked recall 0.400  precision 0.714 (5/7)  F2 0.781  F2 masked 0.439
typed: recall 0.400  masked recall 0.200  precision 0.286 (2/7)  F2 0.370
negative docs (no gold span) 1: flagged 1 (rate 1.000)
note: predictions for ids not in GOLD (ignored): 1
note: predicted spans clipped to the text: 1
";
        assert_eq!(example().to_string(), want);
    }

    #[test]
    fn table_without_labels_or_figures() {
        let gold = vec![GoldDoc {
            id: "x".into(),
            text: "a".into(),
            spans: vec![GoldSpan { start: 0, end: 1, label: "A_VERY_LONG_LABEL_NAME".into(), year: false }],
        }];
        let want = "\
label                    gold  recall  masked
A_VERY_LONG_LABEL_NAME      1   0.000   0.000
overall                     1   0.000   0.000

docs 1  gold spans 1  predicted spans 0
recall 0.000  masked recall 0.000  precision - (0/0)  F2 0.000  F2 masked 0.000
";
        assert_eq!(score(&gold, &[]).to_string(), want);
        let empty = "\
label            gold  recall  masked
overall             0       -       -

docs 0  gold spans 0  predicted spans 0
recall -  masked recall -  precision - (0/0)  F2 -  F2 masked -
";
        assert_eq!(score(&[], &[]).to_string(), empty);
    }

    #[test]
    fn figures_round_half_to_even_like_python() {
        // 1/16 = 0.0625 exactly: Python's f"{0.0625:.3f}" is "0.062".
        let cases = [(0.0625, "0.062"), (0.1875, "0.188"), (2.0 / 3.0, "0.667"), (1.0, "1.000")];
        for (x, want) in cases {
            assert_eq!(Fig(Some(x), 0).to_string(), want);
            assert_eq!(Fig(Some(x), 7).to_string(), format!("{want:>7}"));
        }
        assert_eq!(Fig(None, 8).to_string(), "       -");
        assert_eq!(Fig(None, 0).to_string(), "-");
    }

    #[test]
    fn json_has_the_required_names() {
        let j = example().to_json();
        let o = &j["overall"];
        for k in ["recall", "masked_recall", "precision", "f2", "gold", "predicted", "negative_docs"] {
            assert!(o[k].is_number(), "{k}");
        }
        assert_eq!(o["negative_docs_flagged"], 1);
        assert_eq!(o["gold"], 5);
        assert_eq!(o["predicted"], 7);
        assert_eq!(o["recall"], 0.8);
        assert_eq!(o["typed"]["pred_correct"], 2);
        assert_eq!(o["pred_unknown_ids"], 1);
        assert_eq!(j["labels"]["PERSON"]["count"], 2);
        assert_eq!(j["labels"]["PERSON"]["masked_recall"], 0.5);
        assert_eq!(j["labels"]["DATE[year]"]["typed_recall"], 0.0);
        let none = score(&[], &[]).to_json();
        assert!(none["overall"]["recall"].is_null() && none["overall"]["f2"].is_null());
        assert_eq!(none["labels"], json!({}));
    }
}
