//! `cloak::eval` must give the figures of the reference scorer
//! `shared/peers/score.py`, exactly: same numbers to the last bit in JSON, same
//! table text byte for byte.
//!
//! Pseudo-random predictions (fixed seeds) over real gold files are written with
//! `write_predictions`, scored by `python3 score.py GOLD PRED [--json]`, and
//! compared with our `Report`. The shared folder is `$CLOAK_SHARED`, else
//! `../shared` next to the crate; without it or without `python3` the test says
//! "skipped: ..." on stderr and passes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cloak::eval::{GoldDoc, PredSpan, Report, read_gold, score, write_predictions};
use serde_json::Value;

const GOLD_FILES: [&str; 2] = ["corpus/asq_phi.jsonl", "corpus/presidio_synth_v2.jsonl"];

/// Pieces of synthetic documents, for the cases the real files lack: spans
/// without letters or digits, combining marks Python does not count as letters
/// (U+093E in "राम", circled letters), decomposed accents, astral characters.
const PIECES: [&str; 18] = [
    "Dr.",
    "Zoë",
    "Ångström",
    "श्री",
    "राम",
    "東京",
    "😀",
    "--",
    "#/#",
    "555-12-3456",
    "ⒶⓑⒸ",
    "e\u{301}",
    "(",
    "1950",
    "N°",
    "x",
    "·",
    "a_b",
];

const LABELS: [&str; 8] = ["PERSON", "LOCATION", "DATE", "PHONE", "ID", "MRN", "ORGANIZATION", "AGE"];

/// Python: read score.py's JSON from stdin and turn each float into
/// {"float": its exact text}, which Rust parses exactly (serde_json's default
/// float parsing may be one ulp off).
const FLOATS_AS_TEXT: &str =
    "import json, sys; print(json.dumps(json.loads(sys.stdin.read(), parse_float=lambda s: {'float': s})))";

#[test]
fn eval_matches_score_py() {
    let shared = match std::env::var_os("CLOAK_SHARED") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    let scorer = shared.join("peers/score.py");
    if !scorer.is_file() {
        eprintln!("skipped: {} not found (set CLOAK_SHARED to the shared folder)", scorer.display());
        return;
    }
    if !Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 is not available");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let synthetic = tmp.path().join("synthetic.jsonl");
    write_synthetic_gold(&synthetic, 1500);
    let mut gold_paths = vec![(synthetic, "synthetic".to_string())];
    for name in GOLD_FILES {
        let path = shared.join(name);
        if !path.is_file() {
            eprintln!("skipped: {} not found", path.display());
            return;
        }
        gold_paths.push((path, name.to_string()));
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for (f, (gold_path, name)) in gold_paths.iter().enumerate() {
        let gold = read_gold(gold_path).unwrap();
        for (s, scenario) in Scenario::ALL.iter().enumerate() {
            let mut rng = Lcg(0x5eed_0000 + (f as u64) * 16 + s as u64);
            let preds: Vec<Vec<PredSpan>> = gold.iter().map(|d| scenario.predict(d, &mut rng)).collect();
            let report = score(&gold, &preds);
            scenario.check_nontrivial(&report, name);

            let pred_path = tmp.path().join(format!("pred-{f}-{s}.jsonl"));
            let mut out = std::io::BufWriter::new(std::fs::File::create(&pred_path).unwrap());
            write_predictions(&mut out, &gold, &preds).unwrap();
            drop(out);

            let what = format!("{name} {scenario:?}");
            let json = python_json(&scorer, gold_path, &pred_path);
            compared += compare(&report, &json, &what, &mut failures);
            let table = run_python(&[scorer.as_os_str(), gold_path.as_os_str(), pred_path.as_os_str()], None);
            if table != report.to_string() {
                failures.push(format!("{what}: table differs\n--- score.py\n{table}--- cloak\n{report}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
    // Three files, five scenarios, dozens of figures each.
    assert!(compared > 200, "only {compared} figures compared");
}

/// How predictions are made up for one run.
#[derive(Clone, Copy, Debug)]
enum Scenario {
    /// Near-misses of every kind around the gold spans, false positives,
    /// out-of-range spans, labels right, wrong or missing.
    Noisy,
    /// The same without any label: the table has no typed columns.
    NoisyUnlabelled,
    /// Exactly the gold spans and labels.
    Perfect,
    /// One span over each whole text.
    WholeText,
    /// Nothing predicted.
    Empty,
}

impl Scenario {
    const ALL: [Scenario; 5] =
        [Scenario::Noisy, Scenario::NoisyUnlabelled, Scenario::Perfect, Scenario::WholeText, Scenario::Empty];

    fn predict(self, doc: &GoldDoc, rng: &mut Lcg) -> Vec<PredSpan> {
        let n = doc.text.chars().count();
        let mut out = Vec::new();
        match self {
            Scenario::Empty => {}
            Scenario::WholeText => out.push(PredSpan::new(0, n, None)),
            Scenario::Perfect => {
                out.extend(doc.spans.iter().map(|g| PredSpan::new(g.start, g.end, Some(&g.label))));
            }
            Scenario::Noisy | Scenario::NoisyUnlabelled => {
                let labelled = matches!(self, Scenario::Noisy);
                let mut push = |rng: &mut Lcg, start: usize, end: usize, gold_label: Option<&str>| {
                    let label = match (labelled, rng.below(4)) {
                        (false, _) | (true, 0) => None,
                        (true, 1) => Some(LABELS[rng.below(LABELS.len())]),
                        (true, _) => gold_label.or(Some(LABELS[rng.below(LABELS.len())])),
                    };
                    out.push(PredSpan::new(start, end, label));
                };
                for g in &doc.spans {
                    let (a, b, l) = (g.start, g.end, Some(g.label.as_str()));
                    let len = b - a;
                    match rng.below(10) {
                        0 => {} // missed
                        1..=3 => push(rng, a, b, l),
                        4 => {
                            // inside: leaks unless the rest is punctuation
                            let s = a + rng.below(len);
                            let e = s + 1 + rng.below(b - s);
                            push(rng, s, e, l);
                        }
                        5 => {
                            // wider on both sides, maybe past the end
                            let (s, e) = (a - rng.below(a.min(3) + 1), b + rng.below(3));
                            push(rng, s, e, l);
                        }
                        6 => {
                            // two pieces with a gap of one char
                            let m = a + rng.below(len);
                            push(rng, a, m, l);
                            push(rng, m + 1, b, l);
                        }
                        7 => push(rng, a + len / 2, b + 2, l),
                        8 => {
                            let e = n + 1 + rng.below(3);
                            push(rng, a, e, l);
                        }
                        _ => push(rng, b, a, l), // start > end: dropped
                    }
                }
                for _ in 0..rng.below(3) {
                    let s = rng.below(n + 2);
                    let e = s + 1 + rng.below(8);
                    push(rng, s, e, None);
                }
            }
        }
        out
    }

    /// A run that could not catch a difference proves nothing.
    fn check_nontrivial(self, r: &Report, name: &str) {
        assert!(r.overall.gold > 1000, "{name}: {} gold spans", r.overall.gold);
        match self {
            Scenario::Noisy | Scenario::NoisyUnlabelled => {
                let o = &r.overall;
                assert!(o.found > o.masked && o.masked > 0, "{name} {self:?}: {o:?}");
                assert!(r.pred_correct < r.predicted && r.pred_spans_clipped > 0, "{name} {self:?}");
                assert!(r.negative_docs_flagged > 0, "{name} {self:?}");
                if matches!(self, Scenario::Noisy) {
                    assert!(o.typed_found > o.typed_masked && o.typed_masked > 0, "{name}: {o:?}");
                    assert!(0 < r.pred_typed_correct && r.pred_typed_correct < r.pred_correct, "{name}");
                } else {
                    assert!(!r.pred_has_labels);
                }
            }
            Scenario::Perfect => assert_eq!(r.typed_masked_recall(), Some(1.0), "{name}"),
            Scenario::WholeText => assert_eq!(r.masked_recall(), Some(1.0), "{name}"),
            Scenario::Empty => assert_eq!(r.precision(), None, "{name}"),
        }
    }
}

/// Writes `docs` documents made of [`PIECES`], a fifth of them negative.
fn write_synthetic_gold(path: &Path, docs: usize) {
    use std::io::Write;
    let mut rng = Lcg(0x901d);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..docs {
        let (mut text, mut spans) = (String::new(), Vec::new());
        let negative = rng.below(5) == 0;
        for k in 0..rng.below(7) {
            if k > 0 {
                text.push(' ');
            }
            let piece = PIECES[rng.below(PIECES.len())];
            let start = text.chars().count();
            text.push_str(piece);
            if !negative && rng.below(5) < 3 {
                let end = text.chars().count();
                let year = piece == "1950" && rng.below(2) == 0;
                let label = if year { "DATE" } else { LABELS[rng.below(LABELS.len())] };
                spans.push(serde_json::json!({"start": start, "end": end, "label": label, "year": year}));
            }
        }
        let line = serde_json::json!({"id": format!("syn-{i}"), "text": text, "spans": spans});
        writeln!(out, "{line}").unwrap();
    }
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn run_python(args: &[&std::ffi::OsStr], stdin: Option<&str>) -> String {
    let child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let out = common::feed_all(child, stdin.unwrap_or("").as_bytes().to_vec());
    assert!(out.status.success(), "python3 {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// score.py's `--json` output, floats as `{"float": text}`.
fn python_json(scorer: &Path, gold: &Path, pred: &Path) -> Value {
    let raw = run_python(&[scorer.as_os_str(), gold.as_os_str(), pred.as_os_str(), "--json".as_ref()], None);
    let exact = run_python(&["-c".as_ref(), FLOATS_AS_TEXT.as_ref()], Some(&raw));
    serde_json::from_str(&exact).unwrap()
}

/// Compares every figure of our JSON with score.py's; returns how many.
fn compare(report: &Report, py: &Value, what: &str, failures: &mut Vec<String>) -> usize {
    let ours = report.to_json();
    let mut n = 0;
    let mut check = |failures: &mut Vec<String>, path: String, a: &Value, b: Option<&Value>| {
        n += 1;
        if !same(a, b) {
            let b = b.map_or("absent".to_string(), Value::to_string);
            failures.push(format!("{what}: {path}: cloak {a}, score.py {b}"));
        }
    };
    // Overall figures: score.py keeps them at the top level.
    let mut py_keys_seen = vec!["labels"];
    for (k, v) in ours["overall"].as_object().unwrap() {
        let py_key = match k.as_str() {
            "gold" => "gold_spans",
            "predicted" => "pred_spans",
            k => k,
        };
        py_keys_seen.push(py_key);
        if k == "typed" {
            for (tk, tv) in v.as_object().unwrap() {
                check(failures, format!("typed.{tk}"), tv, py["typed"].get(tk));
            }
            let extra: Vec<_> =
                py["typed"].as_object().unwrap().keys().filter(|tk| v.get(tk.as_str()).is_none()).collect();
            if !extra.is_empty() {
                failures.push(format!("{what}: typed figures missing here: {extra:?}"));
            }
        } else {
            check(failures, k.clone(), v, py.get(py_key));
        }
    }
    for (k, v) in py.as_object().unwrap() {
        let unused_options = ["gold_year_spans_excluded", "pred_dropped_below_min_score"];
        let known = py_keys_seen.contains(&k.as_str()) || (unused_options.contains(&k.as_str()) && v == 0);
        if !known {
            failures.push(format!("{what}: score.py figure {k} = {v} has no counterpart"));
        }
    }
    // Label rows: the same labels, the same figures ("count" is score.py's "gold").
    let (ours_l, py_l) = (ours["labels"].as_object().unwrap(), py["labels"].as_object().unwrap());
    let (ok, pk): (Vec<_>, Vec<_>) = (ours_l.keys().collect(), py_l.keys().collect());
    if ok != pk {
        failures.push(format!("{what}: label rows differ: cloak {ok:?}, score.py {pk:?}"));
    }
    for (label, row) in ours_l {
        let py_row = &py_l.get(label).cloned().unwrap_or(Value::Null);
        for (k, v) in row.as_object().unwrap() {
            let py_key = if k == "count" { "gold" } else { k.as_str() };
            check(failures, format!("labels.{label}.{k}"), v, py_row.get(py_key));
        }
        if let Some(py_row) = py_row.as_object() {
            for k in py_row.keys() {
                if k != "gold" && row.get(k).is_none() {
                    failures.push(format!("{what}: labels.{label}.{k} missing here"));
                }
            }
        }
    }
    n
}

/// Exact equality: integers equal, floats bit for bit.
fn same(ours: &Value, py: Option<&Value>) -> bool {
    match (ours, py) {
        (Value::Null, Some(Value::Null)) => true,
        (Value::Bool(a), Some(Value::Bool(b))) => a == b,
        (Value::Number(a), Some(Value::Number(b))) => a.as_u64().is_some() && a.as_u64() == b.as_u64(),
        (Value::Number(a), Some(Value::Object(f))) => {
            let theirs = f.get("float").and_then(Value::as_str).and_then(|s| s.parse::<f64>().ok());
            a.is_f64() && theirs.is_some_and(|t| t.to_bits() == a.as_f64().unwrap().to_bits())
        }
        _ => false,
    }
}
