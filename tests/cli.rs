//! The real binary on real files in a temporary directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A home of its own for the test run, so the default vault and keys never
/// land in the real one.
fn home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn cloak() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cloak"));
    c.env("HOME", home()).env_remove("XDG_CONFIG_HOME").env_remove("XDG_DATA_HOME").env_remove("CLOAK_VAULT");
    c.env_remove("CLOAK_KEY");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let child = cloak()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    common::feed_all(child, stdin.unwrap_or(b"").to_vec())
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn scan_reports_findings_without_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::copy(fixture("clinical_note.txt"), &file).unwrap();
    let o = run(&["scan", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    let labels: Vec<&str> = lines.iter().map(|l| l["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["EMAIL", "SSN", "CREDIT_CARD", "IBAN", "ROUTING_NUMBER"]);
    let text = std::fs::read_to_string(&file).unwrap();
    for l in &lines {
        for key in ["file", "rule", "label", "start", "end", "char_start", "char_end", "confidence"] {
            assert!(l.get(key).is_some(), "missing {key} in {l}");
        }
        assert!(l.get("value").is_none());
        let (s, e) = (l["start"].as_u64().unwrap() as usize, l["end"].as_u64().unwrap() as usize);
        // No identifier text anywhere in the output.
        assert!(!stdout(&o).contains(&text[s..e]));
    }
    assert_eq!(lines[0]["file"], file.to_str().unwrap());
}

#[test]
fn scan_shows_values_on_request_and_counts_chars() {
    let input = "Café: zoë@example.com";
    let o = run(&["scan", "--show-values", "-"], Some(input.as_bytes()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["value"], "zoë@example.com");
    assert_eq!(lines[0]["file"], "-");
    assert_eq!(lines[0]["start"], 7);
    assert_eq!(lines[0]["char_start"], 6);
    assert_eq!(lines[0]["end"], 23);
    assert_eq!(lines[0]["char_end"], 21);
}

#[test]
fn mask_replaces_with_labels_from_stdin() {
    let o = run(
        &["mask", "--transform", "*=label"],
        Some(b"mail jane.roe@example.org, card 4111-1111-1111-1111.\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "mail [EMAIL], card [CREDIT_CARD].\n");
}

#[test]
fn mask_applies_transform_overrides() {
    let o = run(
        &["mask", "--transform", "EMAIL=redact", "--transform", "card-pan=keep", "-"],
        Some(b"a@example.com 4111111111111111"),
    );
    assert_eq!(stdout(&o), "[REDACTED] 4111111111111111");
    let bad = run(&["mask", "--transform", "EMAIL=shred"], Some(b""));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown transform 'shred'"), "{}", stderr(&bad));
}

#[test]
fn mask_applies_builtin_policies() {
    let line = b"2026-11-02T10:14:07Z INFO charge ok card=4111 1111 1111 1111 exp=09/28 cvv=123\n";
    let o = run(&["mask", "--policy", "pci", "-"], Some(line));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "2026-11-02T10:14:07Z INFO charge ok card=**** **** **** 1111 exp=[REDACTED] cvv=[REDACTED]\n"
    );

    let o =
        run(&["mask", "--policy", "safe-harbor", fixture("discharge_summary.txt").to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for kept in ["DOB: [DATE]", "Admitted 2024", "a 90+ y/o woman", "IL 627", "phone [PHONE]"] {
        assert!(out.contains(kept), "{kept:?} not in {out}");
    }
    for gone in ["Gonzalez", "Whitfield", "Birch", "62704", "0142", "1931", "July", "07/22"] {
        assert!(!out.contains(gone), "{gone:?} left in {out}");
    }

    let bad = run(&["mask", "--policy", "no-such-policy", "-"], Some(b""));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("no-such-policy"), "{}", stderr(&bad));
}

#[test]
fn mask_keeps_invalid_utf8_bytes() {
    let mut input = b"\xff\xfe caf\xe9 ".to_vec();
    input.extend_from_slice(b"jane.roe@example.org \x80end");
    let o = run(&["mask", "--transform", "*=label", "-"], Some(&input));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout, b"\xff\xfe caf\xe9 [EMAIL] \x80end".to_vec());
}

#[test]
fn mask_files_in_order_and_report_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "first a@example.com\n").unwrap();
    std::fs::write(&b, "second 536-22-1234\n").unwrap();
    let gone = dir.path().join("gone.txt");
    let o = run(
        &["mask", "--transform", "*=label", a.to_str().unwrap(), gone.to_str().unwrap(), b.to_str().unwrap()],
        None,
    );
    assert_eq!(stdout(&o), "first [EMAIL]\nsecond [SSN]\n");
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("gone.txt: no such file or directory"), "{}", stderr(&o));
}

#[test]
fn user_pack_extends_and_disables() {
    let pack = fixture("packs/employee.yaml");
    let o = run(
        &["--no-builtin", "--pack", pack.to_str().unwrap(), "mask", "--transform", "*=label"],
        Some(b"employee E-204511, ssn 536221234, 536-22-1234"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "employee [ID], ssn 536221234, [SSN]");
}

#[test]
fn bad_pack_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.yaml");
    std::fs::write(
        &pack,
        "format: 1\nname: bad\nversion: 1.0.0\nrules:\n  - id: x\n    label: EMAIL\n    pattern: '(['\n",
    )
    .unwrap();
    let o = run(&["--pack", pack.to_str().unwrap(), "scan"], Some(b""));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.yaml:7:"), "{err}");
    assert!(err.contains("rule 'x'"), "{err}");
    let none = run(&["--no-builtin", "scan"], Some(b""));
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no rules loaded"));
}

#[test]
fn packs_list_show_and_test() {
    let o = run(&["packs", "list"], None);
    assert_eq!(o.status.code(), Some(0));
    for needle in ["pii ", "finance ", "email", "card-pan"] {
        assert!(stdout(&o).contains(needle), "list lacks {needle}");
    }
    let o = run(&["packs", "show", "card-pan"], None);
    assert!(stdout(&o).contains("validators: card"), "{}", stdout(&o));
    let o = run(&["packs", "show", "nope"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["packs", "test"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(", 0 failed"));
}

#[test]
fn packs_test_reports_each_failure_with_pack_rule_and_example() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("p.yaml");
    std::fs::write(
        &pack,
        "format: 1\nname: p\nversion: 1.0.0\nrules:\n  - id: zip\n    label: LOCATION\n    pattern: '\\b\\d{5}\\b'\n    examples:\n      match:\n        - {text: 'ZIP 1234', value: '1234'}\n      no_match:\n        - 'order 12345'\n",
    )
    .unwrap();
    let o = run(&["--no-builtin", "--pack", pack.to_str().unwrap(), "packs", "test"], None);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("p.yaml:10: pack 'p' rule 'zip': match example"), "{out}");
    assert!(out.contains("p.yaml:12: pack 'p' rule 'zip': no_match example"), "{out}");
    assert!(out.contains("2 examples checked, 2 failed"), "{out}");
}

#[test]
fn eval_prints_metrics_and_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    let basic = fixture("packs/basic.yaml");
    let o = run(
        &[
            "--no-builtin",
            "--pack",
            basic.to_str().unwrap(),
            "eval",
            fixture("gold_small.jsonl").to_str().unwrap(),
            "--json",
            "--predictions",
            pred.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let overall = &v["overall"];
    // 6 gold spans; the basic pack finds the two emails and the SSN.
    assert_eq!(overall["gold"], 6);
    assert_eq!(overall["predicted"], 3);
    assert_eq!(overall["negative_docs"], 1);
    assert_eq!(overall["negative_docs_flagged"], 0);
    assert!((overall["recall"].as_f64().unwrap() - 3.0 / 6.0).abs() < 1e-9);
    assert_eq!(overall["precision"], 1.0);
    assert_eq!(v["labels"]["EMAIL"]["count"], 2);
    assert_eq!(v["labels"]["EMAIL"]["recall"], 1.0);
    let preds = std::fs::read_to_string(&pred).unwrap();
    assert_eq!(preds.lines().count(), 5);
    assert!(preds.contains(r#""start":19,"end":34"#), "{preds}");
    assert!(!preds.contains("example.org"), "predictions must not carry values");

    let table = run(&["eval", fixture("gold_small.jsonl").to_str().unwrap()], None);
    assert!(stdout(&table).contains("EMAIL"));
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\": \"a\", \"text\": \"x\", \"spans\": []}\nnot json\n").unwrap();
    let o = run(&["eval", bad.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.jsonl:2"), "{}", stderr(&o));
}

#[test]
fn help_documents_exit_codes() {
    let o = run(&["--help"], None);
    let out = stdout(&o);
    assert!(out.contains("Exit codes:"), "{out}");
    assert!(out.contains("2  usage or configuration error"));
}
