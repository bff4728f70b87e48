//! `cloak scan` and `cloak mask` over trees: outputs, reports, SARIF and exit
//! codes, with the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn cloak(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cloak"));
    c.env("HOME", home).env_remove("XDG_CONFIG_HOME").env_remove("XDG_DATA_HOME").env_remove("CLOAK_VAULT");
    c.env_remove("CLOAK_KEY");
    c
}

fn run(home: &Path, dir: &Path, args: &[&str]) -> Output {
    cloak(home).current_dir(dir).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A small tree of exports, with one file of each kind.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("exports/2026")).unwrap();
    std::fs::write(d.join("exports/2026/app.jsonl"), "{\"msg\":\"mail jane.roe@example.org\",\"n\":1}\n")
        .unwrap();
    std::fs::write(d.join("exports/2026/people.csv"), "name,ssn\nJane Roe,536-22-1234\n").unwrap();
    std::fs::write(d.join("exports/notes.txt"), "nothing to see\n").unwrap();
    dir
}

#[test]
fn mask_mirrors_a_tree_and_reports_without_values() {
    let dir = tree();
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        dir.path(),
        &["mask", "--transform", "*=label", "-o", "out", "exports", "--report", "r.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert_eq!(read("out/2026/app.jsonl"), "{\"msg\":\"mail [EMAIL]\",\"n\":1}\n");
    assert_eq!(read("out/2026/people.csv"), "name,ssn\n[PERSON],[SSN]\n");
    assert_eq!(read("out/notes.txt"), "nothing to see\n");
    let report: serde_json::Value = serde_json::from_str(&read("r.json")).unwrap();
    assert_eq!(report["totals"]["files"], 3);
    assert_eq!(report["totals"]["labels"]["SSN"], 1);
    assert_eq!(report["totals"]["transforms"]["label"], 3);
    let all = read("r.json") + &text(&o.stderr);
    for value in ["jane.roe", "536-22-1234", "Jane Roe"] {
        assert!(!all.contains(value), "{value} in the report or on stderr");
    }
    // A summary when outputs go to files; no progress bar off a terminal.
    assert!(text(&o.stderr).contains("3 files (3 done, 0 failed, 0 skipped)"), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("ETA"));
    let quiet =
        run(home.path(), dir.path(), &["mask", "--transform", "*=label", "-q", "-o", "out2", "exports"]);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
}

#[test]
fn in_place_and_globs() {
    let dir = tree();
    let home = tempfile::tempdir().unwrap();
    let o =
        run(home.path(), dir.path(), &["mask", "--transform", "*=redact", "--in-place", "exports/**/*.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(dir.path().join("exports/2026/people.csv")).unwrap();
    assert_eq!(csv, "name,ssn\n[REDACTED],[REDACTED]\n");
    let jsonl = std::fs::read_to_string(dir.path().join("exports/2026/app.jsonl")).unwrap();
    assert!(jsonl.contains("jane.roe@example.org"), "a file the glob does not match is left alone");
}

#[test]
fn scan_a_tree_as_json_lines_and_sarif() {
    let dir = tree();
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), dir.path(), &["scan", "exports"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let lines: Vec<serde_json::Value> =
        text(&o.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let seen: Vec<(String, String, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["file"].as_str().unwrap().to_string(),
                l["label"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("exports/2026/app.jsonl".into(), "EMAIL".into(), 1),
            ("exports/2026/people.csv".into(), "PERSON".into(), 2),
            ("exports/2026/people.csv".into(), "SSN".into(), 2),
        ]
    );
    assert!(!text(&o.stdout).contains("jane.roe"));
    let o = run(home.path(), dir.path(), &["scan", "--output-format", "sarif", "exports"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
}

#[test]
fn exit_codes_tell_what_happened() {
    let dir = tree();
    let home = tempfile::tempdir().unwrap();
    let code = |args: &[&str]| run(home.path(), dir.path(), args).status.code();
    assert_eq!(code(&["scan", "exports/notes.txt", "--fail-on-findings"]), Some(0));
    assert_eq!(code(&["scan", "exports", "--fail-on-findings"]), Some(1));
    assert_eq!(code(&["scan", "exports", "no-such-file.txt"]), Some(3));
    assert_eq!(code(&["scan", "--format", "yaml", "exports"]), Some(2));
    assert_eq!(code(&["mask", "exports"]), Some(2), "a directory needs -o or --in-place");
    let o = run(home.path(), dir.path(), &["scan", "exports", "no-such-file.txt"]);
    assert!(text(&o.stderr).contains("no-such-file.txt"), "{}", text(&o.stderr));
    // The other inputs were still scanned.
    assert_eq!(text(&o.stdout).lines().count(), 3);
}

#[test]
fn same_output_with_one_thread_and_many() {
    let dir = tree();
    let home = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for i in 0..3000 {
        log.push_str(&format!(
            "{{\"i\":{i},\"msg\":\"user{i}@example.org paid with 4111 1111 1111 1111 from 10.0.{}.{}\"}}\n",
            i % 250,
            i % 200
        ));
    }
    std::fs::write(dir.path().join("big.jsonl"), &log).unwrap();
    let one = run(
        home.path(),
        dir.path(),
        &["mask", "--transform", "*=label", "-j", "1", "--chunk-bytes", "5000", "big.jsonl"],
    );
    let four = run(
        home.path(),
        dir.path(),
        &["mask", "--transform", "*=label", "-j", "4", "--chunk-bytes", "777", "big.jsonl"],
    );
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    assert!(one.stdout == four.stdout);
    assert_eq!(text(&one.stdout).matches("[EMAIL]").count(), 3000);
}
