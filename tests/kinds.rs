//! The hand-written gold files of `fixtures/kinds/` (texts of the kinds users
//! have: clinical, call, chat, log, payment-file, HL7 and form text) keep the
//! accuracy the built-in packs reach on them. Each floor is a little under
//! the figure measured when the file was added to the project, so that a
//! change of the packs that gives back what those rules found fails here.

use cloak::eval::{self, PredSpan};
use cloak::{EngineBuilder, PackSet};

/// File, and floors of recall, masked recall and precision.
const FLOORS: [(&str, f64, f64, f64); 41] = [
    ("health.jsonl", 0.91, 0.88, 0.93),
    ("finance.jsonl", 0.92, 0.90, 0.93),
    ("health2.jsonl", 0.85, 0.80, 0.90),
    ("finance2.jsonl", 0.79, 0.76, 0.92),
    ("mixed3.jsonl", 0.86, 0.83, 0.93),
    ("health4.jsonl", 0.91, 0.89, 0.90),
    ("finance4.jsonl", 0.84, 0.81, 0.92),
    ("mixed4.jsonl", 0.87, 0.85, 0.92),
    ("mixed5.jsonl", 0.87, 0.85, 0.93),
    ("mixed6.jsonl", 0.91, 0.87, 0.92),
    ("health6.jsonl", 0.90, 0.89, 0.92),
    ("mixed7.jsonl", 0.87, 0.84, 0.91),
    ("mixed8.jsonl", 0.92, 0.90, 0.95),
    ("mixed9.jsonl", 0.88, 0.87, 0.94),
    ("health7.jsonl", 0.91, 0.90, 0.92),
    ("mixed10.jsonl", 0.81, 0.79, 0.93),
    ("health8.jsonl", 0.89, 0.89, 0.91),
    ("mixed11.jsonl", 0.85, 0.83, 0.95),
    ("finance6.jsonl", 0.75, 0.73, 0.92),
    ("health9.jsonl", 0.89, 0.87, 0.93),
    ("mixed12.jsonl", 0.86, 0.85, 0.95),
    ("health10.jsonl", 0.93, 0.92, 0.93),
    ("finance7.jsonl", 0.88, 0.85, 0.95),
    ("health11.jsonl", 0.92, 0.90, 0.93),
    ("mixed13.jsonl", 0.83, 0.80, 0.93),
    ("mixed14.jsonl", 0.89, 0.86, 0.93),
    ("health12.jsonl", 0.84, 0.81, 0.92),
    ("finance8.jsonl", 0.90, 0.86, 0.93),
    ("health13.jsonl", 0.90, 0.87, 0.93),
    ("mixed15.jsonl", 0.89, 0.85, 0.95),
    ("health14.jsonl", 0.86, 0.84, 0.90),
    ("health15.jsonl", 0.85, 0.81, 0.90),
    ("finance9.jsonl", 0.81, 0.78, 0.91),
    ("mixed16.jsonl", 0.86, 0.82, 0.92),
    ("finance10.jsonl", 0.83, 0.80, 0.91),
    ("health16.jsonl", 0.85, 0.81, 0.93),
    ("mixed17.jsonl", 0.86, 0.84, 0.92),
    ("finance11.jsonl", 0.83, 0.79, 0.92),
    ("health17.jsonl", 0.85, 0.81, 0.91),
    ("finance12.jsonl", 0.83, 0.79, 0.88),
    ("mixed18.jsonl", 0.79, 0.76, 0.89),
];

#[test]
fn built_in_packs_keep_their_accuracy_on_the_kinds_of_text_users_have() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kinds");
    let mut failures = Vec::new();
    for (file, recall, masked, precision) in FLOORS {
        let gold = eval::read_gold(&dir.join(file)).unwrap();
        let predictions: Vec<Vec<PredSpan>> = gold
            .iter()
            .map(|doc| {
                let found = engine.scan(&doc.text);
                let mut spans: Vec<(usize, usize)> =
                    found.iter().map(|f| (f.span.start, f.span.end)).collect();
                eval::byte_to_char_spans(&doc.text, &mut spans);
                spans.into_iter().map(|(s, e)| PredSpan::new(s, e, None)).collect()
            })
            .collect();
        let report = eval::score(&gold, &predictions);
        let got = (
            report.overall.recall().unwrap(),
            report.overall.masked_recall().unwrap(),
            report.pred_correct as f64 / report.predicted.max(1) as f64,
        );
        if got.0 < recall || got.1 < masked || got.2 < precision {
            failures.push(format!(
                "{file}: recall {:.3} (floor {recall}), masked {:.3} (floor {masked}), precision {:.3} (floor {precision})",
                got.0, got.1, got.2
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
