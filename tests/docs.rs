//! The rule-pack reference documents every validator and every label.

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
