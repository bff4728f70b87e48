//! Malformed packs: each error names the file, the line and the rule, and says
//! what is wrong. Loading never panics.

use std::path::Path;

use cloak::{EngineBuilder, ErrorKind, PackSet};

struct Case {
    name: &'static str,
    /// Files written next to the pack under test (name, contents).
    others: &'static [(&'static str, &'static str)],
    yaml: &'static str,
    line: u64,
    rule: Option<&'static str>,
    /// A phrase the message must contain.
    says: &'static str,
    /// The file named in the error, when not the pack under test.
    file: Option<&'static str>,
}

const HEADER: &str = "format: 1\nname: test\nversion: 1.0.0\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unknown rule field",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    patern: 'x'\n",
            line: 7,
            rule: Some("a"),
            says: "unknown field `patern`",
            file: None,
        },
        Case {
            name: "wrong type",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n    priority: high\n",
            line: 8,
            rule: Some("a"),
            says: "invalid",
            file: None,
        },
        Case {
            name: "regex does not compile",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: '(abc'\n",
            line: 7,
            rule: Some("a"),
            says: "pattern does not compile",
            file: None,
        },
        Case {
            name: "caps penalty out of range",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    dictionary:\n      words: [hall]\n      caps_lower_by: 1.5\n",
            line: 9,
            rule: Some("a"),
            says: "dictionary.caps_lower_by must be between 0 and 1, not 1.5",
            file: None,
        },
        Case {
            name: "allow word file missing from a list",
            others: &[("common.txt", "hall\n")],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    allow:\n      words_file: [common.txt, missing.txt]\n",
            line: 9,
            rule: Some("a"),
            says: "missing.txt",
            file: None,
        },
        Case {
            name: "allow word file missing, named alone",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    allow:\n      words_file: missing.txt\n",
            line: 9,
            rule: Some("a"),
            says: "missing.txt",
            file: None,
        },
        Case {
            name: "allow word files: an empty list",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    allow:\n      words_file: []\n",
            line: 9,
            rule: Some("a"),
            says: "file name",
            file: None,
        },
        Case {
            name: "edge word file missing",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    allow:\n      edge_words_file: missing.txt\n",
            line: 9,
            rule: Some("a"),
            says: "missing.txt",
            file: None,
        },
        Case {
            name: "edge words at an end that does not exist",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    allow:\n      edge_words_at: middle\n",
            line: 9,
            rule: Some("a"),
            says: "expected one of both, start, end",
            file: None,
        },
        Case {
            name: "unknown validator",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n    validators: [luhn, nope]\n",
            line: 8,
            rule: Some("a"),
            says: "unknown validator 'nope'",
            file: None,
        },
        Case {
            name: "duplicate rule id in one pack",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n  - id: a\n    label: EMAIL\n    pattern: 'y'\n",
            line: 8,
            rule: Some("a"),
            says: "duplicate rule id",
            file: None,
        },
        Case {
            name: "duplicate rule id across packs",
            others: &[(
                "base.yaml",
                "format: 1\nname: base\nversion: 1.0.0\nrules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n",
            )],
            yaml: "extends: [./base.yaml]\nrules:\n  - id: a\n    label: EMAIL\n    pattern: 'y'\n",
            line: 6,
            rule: Some("a"),
            says: "duplicate rule id: already defined in",
            file: None,
        },
        Case {
            name: "extends cycle",
            others: &[("b.yaml", "format: 1\nname: b\nversion: 1.0.0\nextends: [./pack.yaml]\n")],
            yaml: "extends: [./b.yaml]\nrules: []\n",
            line: 4,
            rule: None,
            says: "extends cycle",
            file: Some("b.yaml"),
        },
        Case {
            name: "missing dictionary file",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    dictionary:\n      file: names.txt\n",
            line: 8,
            rule: Some("a"),
            says: "dictionary file",
            file: None,
        },
        Case {
            name: "unknown label",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: NAME\n    pattern: 'x'\n",
            line: 6,
            rule: Some("a"),
            says: "unknown label 'NAME'",
            file: None,
        },
        Case {
            name: "unsupported format",
            others: &[],
            yaml: "rules: []\n",
            line: 1,
            rule: None,
            says: "unsupported pack format 2",
            file: None,
        },
        Case {
            name: "version not semver",
            others: &[],
            yaml: "rules: []\n",
            line: 3,
            rule: None,
            says: "not a semantic version",
            file: None,
        },
        Case {
            name: "pattern and dictionary",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    pattern: 'x'\n    dictionary:\n      words: [x]\n",
            line: 9,
            rule: Some("a"),
            says: "not both",
            file: None,
        },
        Case {
            name: "no detector",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n",
            line: 5,
            rule: Some("a"),
            says: "needs a `pattern` or a `dictionary`",
            file: None,
        },
        Case {
            name: "confidence out of range",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n    confidence: 1.5\n",
            line: 8,
            rule: Some("a"),
            says: "confidence must be between 0 and 1",
            file: None,
        },
        Case {
            name: "keywords on a dictionary rule",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    dictionary: {words: [x]}\n    keywords: [dr]\n",
            line: 5,
            rule: Some("a"),
            says: "`keywords` apply to pattern rules",
            file: None,
        },
        Case {
            name: "example value not in its text",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n    examples:\n      match:\n        - {text: 'abc', value: 'x'}\n",
            line: 10,
            rule: Some("a"),
            says: "must occur in its text",
            file: None,
        },
        Case {
            name: "disable an unknown rule",
            others: &[],
            yaml: "disable:\n  - nope\nrules: []\n",
            line: 5,
            rule: None,
            says: "disable names unknown rule 'nope'",
            file: None,
        },
        Case {
            name: "unknown top-level field",
            others: &[],
            yaml: "rulez: []\n",
            line: 4,
            rule: None,
            says: "unknown field `rulez`",
            file: None,
        },
        Case {
            name: "invalid YAML",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: [EMAIL\n",
            line: 6,
            rule: None,
            says: "",
            file: None,
        },
        Case {
            name: "allow pattern does not compile",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: EMAIL\n    pattern: 'x'\n    allow:\n      patterns: ['[z-a]']\n",
            line: 9,
            rule: Some("a"),
            says: "allow pattern does not compile",
            file: None,
        },
        Case {
            name: "join follows a counting part",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: LOCATION\n    pattern: 'x'\n    join: {follows: true}\n",
            line: 5,
            rule: Some("a"),
            says: "join.follows needs counts: false",
            file: None,
        },
        Case {
            name: "rule id with upper case",
            others: &[],
            yaml: "rules:\n  - id: Email\n    label: EMAIL\n    pattern: 'x'\n",
            line: 5,
            rule: Some("Email"),
            says: "rule id 'Email' must",
            file: None,
        },
        Case {
            name: "missing rule id",
            others: &[],
            yaml: "rules:\n  - label: EMAIL\n    pattern: 'x'\n",
            line: 5,
            rule: None,
            says: "missing field `id`",
            file: None,
        },
        Case {
            name: "extends a missing file",
            others: &[],
            yaml: "extends: [./gone.yaml]\nrules: []\n",
            line: 4,
            rule: None,
            says: "no such file",
            file: None,
        },
        Case {
            name: "fine label mapped to a non-canonical label",
            others: &[],
            yaml: "labels:\n  DOB: BIRTHDAY\nrules: []\n",
            line: 5,
            rule: None,
            says: "not a canonical label",
            file: None,
        },
        Case {
            name: "dictionary file that never ends",
            others: &[],
            yaml: "rules:\n  - id: a\n    label: PERSON\n    dictionary:\n      file: /dev/zero\n",
            line: 8,
            rule: Some("a"),
            says: "larger than 64 MiB",
            file: None,
        },
        Case {
            name: "unknown built-in pack",
            others: &[],
            yaml: "extends: [nosuchpack]\nrules: []\n",
            line: 4,
            rule: None,
            says: "no built-in pack named 'nosuchpack'",
            file: None,
        },
    ]
}

fn header_for(case: &Case) -> String {
    match case.name {
        "unsupported format" => HEADER.replace("format: 1", "format: 2"),
        "version not semver" => HEADER.replace("1.0.0", "one"),
        _ => HEADER.to_string(),
    }
}

#[test]
fn malformed_packs_name_file_line_and_rule() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in case.others {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let path = dir.path().join("pack.yaml");
        std::fs::write(&path, format!("{}{}", header_for(&case), case.yaml)).unwrap();
        let mut set = PackSet::new();
        let err = match set.add_file(&path) {
            Ok(()) => {
                failures.push(format!("{}: loaded without error", case.name));
                continue;
            }
            Err(e) => e,
        };
        let shown = err.to_string();
        let want_file = case.file.map_or(path.clone(), |f| dir.path().join(f));
        let mut problems = Vec::new();
        if err.kind() != ErrorKind::Pack {
            problems.push(format!("kind {:?}", err.kind()));
        }
        if err.file().map(Path::file_name) != Some(want_file.file_name()) {
            problems.push(format!("file {:?}", err.file()));
        }
        if err.line() != Some(case.line) {
            problems.push(format!("line {:?}, want {}", err.line(), case.line));
        }
        if err.rule() != case.rule {
            problems.push(format!("rule {:?}, want {:?}", err.rule(), case.rule));
        }
        if !err.message().contains(case.says) {
            problems.push(format!("message lacks {:?}", case.says));
        }
        if !shown.contains(&format!(":{}", case.line)) {
            problems.push("display lacks the line".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {} (error: {shown})", case.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

/// A pattern that parses but is too large to compile is an error when the
/// engine is built (rules compile lazily, but not one this heavy), naming the
/// file, line and rule, and not a rule that never runs.
#[test]
fn a_pattern_too_large_to_compile_fails_the_build_with_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.yaml");
    let yaml = "rules:\n  - id: huge\n    label: ID\n    pattern: '[a-z]{1000}{1000}'\n";
    std::fs::write(&path, format!("{HEADER}{yaml}")).unwrap();
    let mut set = PackSet::new();
    set.add_file(&path).unwrap();
    let Err(err) = EngineBuilder::new().build(&set) else {
        panic!("built an engine with a pattern over the size limit")
    };
    assert_eq!(err.kind(), ErrorKind::Pack);
    assert_eq!(err.rule(), Some("huge"));
    assert_eq!(err.line(), Some(7));
    assert_eq!(err.file().and_then(Path::file_name), path.file_name());
    assert!(err.message().contains("exceeds the size limit"), "{err}");
}

#[test]
fn loading_arbitrary_bytes_never_panics() {
    let samples: Vec<Vec<u8>> = vec![
        vec![],
        b"\xff\xfe\x00".to_vec(),
        b"- - - -".to_vec(),
        b"format: 1\nname: x\nversion: 1.0.0\nrules: {a: b}\n".to_vec(),
        b"&a [*a]".to_vec(),
        "format: 1\nname: x\nversion: 1.0.0\nrules:\n  - id: a\n    label: EMAIL\n    pattern: '\\p{Nope}'\n"
            .as_bytes()
            .to_vec(),
        b"format: 99999999999999999999\n".to_vec(),
        "a: b\n".repeat(10_000).into_bytes(),
    ];
    for bytes in samples {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, &bytes).unwrap();
        assert!(PackSet::new().add_file(&path).is_err());
    }
}
