//! Every example of every built-in pack and fixture pack behaves as its pack says.

use cloak::{EngineBuilder, PackSet};

#[test]
fn builtin_pack_examples_pass() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let report = engine.test_examples(&[]);
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    let rules = engine.rules().len();
    assert!(report.checked >= rules * 2, "{} examples for {rules} rules", report.checked);
}

#[test]
fn every_builtin_rule_has_examples_both_ways() {
    let packs = PackSet::builtin().unwrap();
    let thin: Vec<&str> = packs
        .rules()
        .filter(|r| r.match_examples().len() < 3 || r.no_match_examples().len() < 3)
        .map(|r| r.id())
        .collect();
    assert!(thin.is_empty(), "rules with fewer than 3 match or 3 no_match examples: {thin:?}");
}

#[test]
fn fixture_pack_examples_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mut packs = PackSet::new();
        packs.add_file(&path).unwrap();
        let engine = EngineBuilder::new().build(&packs).unwrap();
        let report = engine.test_examples(&[]);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
    }
}

/// Whole-engine checks of the built-in packs that no single rule's examples
/// can make: what no rule at all may report, and what some rule must.
#[test]
fn builtin_packs_leave_well_known_places_and_nationalities_alone() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let persons = |text: &str| -> Vec<String> {
        engine
            .scan(text)
            .into_iter()
            .filter(|f| f.label == cloak::Label::Person)
            .map(|f| text[f.span.range()].to_string())
            .collect()
    };
    for text in [
        "Flew back from London to Canada in December.",
        "The Irish and Dutch teams both played in Germany.",
        "Follow-up in January; she is a Gemini, and visited Brazil and India.",
    ] {
        assert_eq!(persons(text), Vec::<String>::new(), "{text}");
    }
    // Next to another name or after name context they are still names.
    assert_eq!(persons("Seen with her daughter Mia London today."), ["Mia London"]);
    assert_eq!(persons("Patient: Jordan Ireland"), ["Jordan Ireland"]);
}

/// A synthetic note with no identifiers at all, written in the forms clinical
/// text takes (section headers, service lines, medication and problem lists,
/// eponyms, a nursing note in capitals): every finding in it is a false one.
#[test]
fn builtin_packs_find_nothing_in_a_note_without_identifiers() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/clinical_no_identifiers.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let found: Vec<String> = engine
        .scan(&text)
        .iter()
        .map(|f| format!("{} {:?} ({})", engine.rule(f.rule).id(), &text[f.span.range()], f.label))
        .collect();
    assert!(found.is_empty(), "{} false findings:\n{}", found.len(), found.join("\n"));
}

/// The opt-in packs under `packs/` (loaded with `--pack`) keep their
/// examples and have at least three each way per rule, as the built-ins do.
#[test]
fn optional_pack_examples_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mut packs = PackSet::builtin().unwrap();
        packs.add_file(&path).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let thin: Vec<&str> = packs
            .rules()
            .filter(|r| r.pack() == name && (r.match_examples().len() < 3 || r.no_match_examples().len() < 3))
            .map(|r| r.id())
            .collect();
        assert!(thin.is_empty(), "{}: rules with fewer than 3 examples each way: {thin:?}", path.display());
        let engine = EngineBuilder::new().build(&packs).unwrap();
        let report = engine.test_examples(&[name.as_str()]);
        assert!(report.checked >= 24, "{}: {} examples checked", path.display(), report.checked);
        assert!(report.failures.is_empty(), "{}: {:?}", path.display(), report.failures);
        seen += 1;
    }
    assert!(seen >= 1, "no pack under packs/");
}

/// The minimize pack masks what the built-in packs leave on purpose.
#[test]
fn minimize_pack_masks_ages_years_and_countries() {
    let text = "This 79 year old woman flew in from Canada in 1998.";
    let labels = |packs: &PackSet| -> Vec<String> {
        let engine = EngineBuilder::new().build(packs).unwrap();
        engine.scan(text).into_iter().map(|f| text[f.span.range()].to_string()).collect()
    };
    let builtin = PackSet::builtin().unwrap();
    assert!(labels(&builtin).is_empty(), "{:?}", labels(&builtin));
    let mut minimize = PackSet::builtin().unwrap();
    minimize.add_file(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/minimize.yaml")).unwrap();
    assert_eq!(labels(&minimize), ["79", "Canada", "1998"]);
}
