//! The rule-pack reference documents every validator and every label, and
//! the coverage table names every built-in rule.

use std::path::Path;

fn doc() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rule-packs.md")).unwrap()
}

#[test]
fn every_validator_is_documented() {
    let doc = doc();
    let missing: Vec<&str> = cloak::validators::all()
        .iter()
        .map(|v| v.name())
        .filter(|n| !doc.contains(&format!("| `{n}` |")))
        .collect();
    assert!(missing.is_empty(), "validators missing from docs/rule-packs.md: {missing:?}");
}

#[test]
fn every_label_is_documented() {
    let doc = doc();
    let missing: Vec<&str> =
        cloak::Label::ALL.iter().map(|l| l.as_str()).filter(|n| !doc.contains(&format!("`{n}`"))).collect();
    assert!(missing.is_empty(), "labels missing from docs/rule-packs.md: {missing:?}");
}

#[test]
fn every_built_in_rule_is_in_the_coverage_table() {
    let coverage =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/coverage.md")).unwrap();
    let packs = cloak::PackSet::builtin().unwrap();
    let missing: Vec<&str> =
        packs.rules().map(|r| r.id()).filter(|id| !coverage.contains(&format!("`{id}`"))).collect();
    assert!(missing.is_empty(), "rules missing from docs/coverage.md: {missing:?}");
}
