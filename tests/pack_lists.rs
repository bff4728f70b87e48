//! List files (dictionaries, allow lists) named in packs: read once however
//! many rules name them, without duplicates, and found in text the same.

use cloak::{EngineBuilder, PackSet, WordList};

const PACK: &str = "format: 1
name: lists
version: 1.0.0
rules:
  - id: names
    label: PERSON
    dictionary:
      file: names.txt
  - id: more-names
    label: PERSON
    dictionary:
      words: [Zelda, Ann]
      file: names.txt
  - id: capitals
    label: PERSON
    pattern: '\\b[A-Z][a-z]+ [A-Z][a-z]+\\b'
    allow:
      words_file: names.txt
";

/// The packs of `pack` loaded from a folder that holds the list `files`
/// (name, contents); the folder lives as long as the guard.
fn load(files: &[(&str, &str)], pack: &str) -> (PackSet, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let path = dir.path().join("pack.yaml");
    std::fs::write(&path, pack).unwrap();
    let mut packs = PackSet::new();
    packs.add_file(&path).unwrap();
    (packs, dir)
}

#[test]
fn a_list_file_is_read_once_and_shared_by_the_rules_that_name_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("names.txt"),
        "# given names\nAnn\nBea\t(tab-separated note)\n\nAnn\nCleo\n",
    )
    .unwrap();
    let path = dir.path().join("pack.yaml");
    std::fs::write(&path, PACK).unwrap();
    let mut packs = PackSet::new();
    packs.add_file(&path).unwrap();
    let rule = |id: &str| packs.rules().find(|r| r.id() == id).unwrap();

    let names = rule("names").dictionary().unwrap().entries();
    assert_eq!(*names, ["Ann", "Bea", "Cleo"], "first column, comments, blanks and duplicates left out");
    let allow = rule("capitals").allow_words();
    assert_eq!(allow, names);
    assert!(WordList::ptr_eq(allow, names), "one copy of the list for both rules");
    // The pack's own words come first; the file adds what they lack.
    assert_eq!(*rule("more-names").dictionary().unwrap().entries(), ["Zelda", "Ann", "Bea", "Cleo"]);

    let engine = EngineBuilder::new().build(&packs).unwrap();
    let text = "Bea met Zelda and Ann Cleo, then Dora Wells.";
    let found: Vec<(&str, &str)> = engine
        .scan(text)
        .iter()
        .map(|f| (engine.rule(f.rule).id(), &text[f.span.start..f.span.end]))
        .collect();
    // "Ann Cleo" is all allowed words for "capitals"; "Dora Wells" is not.
    // The two names the dictionary finds side by side are one finding.
    assert!(found.contains(&("capitals", "Dora Wells")), "{found:?}");
    assert!(!found.contains(&("capitals", "Ann Cleo")), "{found:?}");
    assert!(found.contains(&("names", "Ann Cleo")), "{found:?}");
    for name in ["Bea", "Zelda"] {
        assert!(found.iter().any(|(_, v)| *v == name), "{name} in {found:?}");
    }
}

#[test]
fn an_allow_list_of_several_word_files_allows_values_made_of_words_from_any_of_them() {
    let pack = "format: 1
name: union
version: 1.0.0
rules:
  - id: office
    label: ORGANIZATION
    pattern: '\\b[A-Z][a-z]+ Office\\b'
    allow:
      words_file: [common.txt, clinical.txt]
  - id: office-again
    label: ORGANIZATION
    pattern: '\\b[A-Z][a-z]+ Desk\\b'
    allow:
      words_file: [common.txt, clinical.txt]
  - id: office-plain
    label: ORGANIZATION
    pattern: '\\b[A-Z][a-z]+ Bureau\\b'
    allow:
      words_file: [common.txt]
";
    let (packs, _dir) = load(
        &[
            ("common.txt", "# plain words\nfollow\nup\noffice\n"),
            ("clinical.txt", "# clinical words\nneuro\northo\noffice\n"),
        ],
        pack,
    );
    let rule = |id: &str| packs.rules().find(|r| r.id() == id).unwrap();
    let union = rule("office").allow_words();
    assert_eq!(*union, ["follow", "up", "office", "neuro", "ortho"], "files in order, duplicates left out");
    assert!(WordList::ptr_eq(union, rule("office-again").allow_words()), "one copy per list of files");
    assert_eq!(*rule("office-plain").allow_words(), ["follow", "up", "office"]);

    let engine = EngineBuilder::new().build(&packs).unwrap();
    let text = "Neuro Office, Follow Office, Acme Office";
    let found: Vec<&str> = engine.scan(text).iter().map(|f| &text[f.span.start..f.span.end]).collect();
    assert_eq!(found, ["Acme Office"], "words of either file are allowed");
}

#[test]
fn edge_words_are_cut_off_the_ends_of_a_value_and_a_value_of_them_alone_is_dropped() {
    let pack = "format: 1
name: edges
version: 1.0.0
rules:
  - id: clinic
    label: LOCATION
    pattern: '(?:[A-Z][A-Za-z.'']* ){1,4}CLINIC'
    allow:
      edge_words_file: edge.txt
  - id: title
    label: PERSON
    pattern: 'DR\\. [A-Z]+(?: [A-Z]+)?'
    allow:
      edge_words_file: edge.txt
  - id: words
    label: PERSON
    pattern: '[A-Z]{2,}(?: [A-Z]{2,})*, JULIE M\\.(?: [A-Z]+)?'
    allow:
      edge_words_file: edge.txt
  - id: by
    label: PERSON
    pattern: 'BY [A-Z]+'
    allow:
      edge_words_file: edge.txt
  - id: cue
    label: PERSON
    pattern: 'PATIENT (?P<value>[A-Z]+(?: [A-Z]+){0,2})'
    allow:
      edge_words_file: edge.txt
      edge_words_at: end
";
    let (packs, _dir) = load(&[("edge.txt", "# not names\nseen\nat\nin\nby\nold\nmale\n")], pack);
    assert_eq!(
        *packs.rules().find(|r| r.id() == "clinic").unwrap().edge_words(),
        ["seen", "at", "in", "by", "old", "male"]
    );

    let engine = EngineBuilder::new().build(&packs).unwrap();
    let found = |text: &str| -> Vec<String> {
        engine.scan(text).iter().map(|f| text[f.span.start..f.span.end].to_string()).collect()
    };
    // Leading words cut off, with the space after them.
    // Only the ends: a word not in the list stops the cut ("PT").
    assert_eq!(found("PT SEEN AT MERCY CLINIC TODAY"), ["PT SEEN AT MERCY CLINIC"]);
    assert_eq!(found("SEEN AT MERCY CLINIC TODAY"), ["MERCY CLINIC"]);
    // Trailing words cut off; a period right after the last word kept stays.
    assert_eq!(found("SEEN BY DR. PATEL IN"), ["DR. PATEL"]);
    assert_eq!(found("OLD MALE, JULIE M. SEEN"), ["JULIE M."]);
    assert_eq!(found("AT MALE'S MERCY CLINIC"), ["MERCY CLINIC"], "a possessive is cut as its word");
    assert_eq!(found("SEEN AT CLINIC"), ["CLINIC"]);
    // Made only of edge words: dropped.
    assert_eq!(found("SEEN BY MALE"), Vec::<String>::new());
    assert_eq!(found("SEEN BY JONES"), ["JONES"]);
    // At the end only: the last words cut off, and a value whose first word
    // is one dropped (the name must follow its cue).
    assert_eq!(found("PATIENT JONES SEEN AT"), ["JONES"]);
    assert_eq!(found("PATIENT AT MERCY"), Vec::<String>::new());
}
