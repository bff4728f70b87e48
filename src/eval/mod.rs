//! Scoring predicted spans against gold files, as `shared/EVAL.md` defines it.
//!
//! This module is a port of the reference scorer `shared/peers/score.py`: on the
//! same gold file and the same predictions it gives the same figures, to the last
//! printed digit (the test `tests/eval_matches_score_py.rs` checks this against
//! the script itself).
//!
//! # A tour
//!
//! 1. Read a gold file with [`read_gold`] (or [`parse_gold`] for text already in
//!    memory). Each [`GoldDoc`] has an id, a text and the [`GoldSpan`]s of the
//!    identifiers in it. Offsets count Unicode scalar values (`char`s), as Python
//!    string indices do.
//! 2. Run a tool over each document's text and turn what it found into
//!    [`PredSpan`]s, in `char` offsets too. The engine reports byte offsets;
//!    [`byte_to_char_spans`] converts them in one pass over the text.
//! 3. Call [`score`] with the documents and one list of predictions per document
//!    (or feed documents one at a time to [`Report::add_doc`]).
//! 4. Print the [`Report`] (its `Display` is `score.py`'s table), or serialize
//!    [`Report::to_json`]. [`write_predictions`] saves the predictions in the gold
//!    format, without any text, so that `score.py GOLD PRED` can check them.
//!
//! ```
//! use std::path::Path;
//! use cloak::eval::{byte_to_char_spans, parse_gold, score, PredSpan};
//!
//! let gold = parse_gold(
//!     r#"{"id": "a", "text": "Née à Zürich, Anna B.", "spans": [{"start": 14, "end": 21, "label": "PERSON"}]}"#,
//!     Path::new("inline.jsonl"),
//! )?;
//! // A tool reported the byte span of "Anna" only.
//! let text = &gold[0].text;
//! let start = text.find("Anna").unwrap();
//! let mut spans = [(start, start + "Anna".len())];
//! byte_to_char_spans(text, &mut spans);
//! assert_eq!(spans, [(14, 18)]);
//!
//! let predictions = vec![vec![PredSpan::new(14, 18, Some("PERSON"))]];
//! let report = score(&gold, &predictions);
//! assert_eq!(report.recall(), Some(1.0));
//! // The "B" is left in clear: found, but not fully masked.
//! assert_eq!(report.masked_recall(), Some(0.0));
//! assert_eq!(report.to_json()["overall"]["precision"], 1.0);
//! # Ok::<(), cloak::Error>(())
//! ```
//!
//! # The figures
//!
//! Per document, then summed over documents:
//!
//! - **recall**: a gold span is found when a predicted span overlaps it by at
//!   least one character.
//! - **masked recall**: a gold span is masked when every letter and digit in it
//!   (Python's `str.isalnum`) lies inside the union of the predicted spans; a gold
//!   span without any letter or digit must be covered entirely.
//! - **precision**: a predicted span is correct when it overlaps some gold span,
//!   whatever the labels.
//! - **F2** = 5PR / (4P + R), with R the overlap recall; "F2 masked" uses the
//!   masked recall.
//! - **typed** figures require the label to match: a predicted span only counts
//!   for gold spans of its own label, and an unlabelled one never counts.
//! - **negative docs** have no gold span; a negative doc is flagged when it got
//!   at least one prediction.
//!
//! Gold spans marked `"year": true` are reported on their own label row
//! `DATE[year]` (the label followed by `[year]`). A ratio whose denominator is
//! zero is `None` (`null` in JSON, `-` in the table), as in `score.py`.
//!
//! # Differences from `score.py`
//!
//! - The gold reader is stricter about types: `id`, `text` and `label` must be
//!   JSON strings, `start`/`end` JSON integers, `year` a boolean, and `spans` must
//!   be present and be a list (`score.py` stringifies ids, calls `int()` on
//!   offsets and takes a missing `spans` as empty). Files that both accept score
//!   the same. JSON that only Python accepts (`NaN`, lone surrogate escapes) is an
//!   error here.
//! - Letters and digits follow Python's `str.isalnum` exactly for every character
//!   assigned in Unicode 14.0 (Python 3.11); characters assigned later follow the
//!   Unicode version of Rust's standard library, except that later combining marks
//!   count as letters here (see `alnum.rs`).
//! - `score.py`'s options `--map`, `--peer-spans`, `--min-score`, `--exclude-year`
//!   and `--by-orig` are not here: map labels and drop gold spans before scoring.

mod alnum;
mod gold;
mod offsets;
mod report;
mod score;

pub use gold::{GoldDoc, GoldSpan, parse_gold, read_gold, write_predictions};
pub use offsets::byte_to_char_spans;
pub use score::{LabelCounts, PredSpan, Report, score};
