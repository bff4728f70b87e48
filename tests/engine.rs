//! Engine behaviour on small packs: each case is a pack, a text and the
//! findings expected (value and label), checked with the keyword prefilter on
//! and off; all failures are gathered before asserting.

use cloak::{EngineBuilder, PackSet};

const HEADER: &str = "format: 1\nname: t\nversion: 1.0.0\nrules:\n";

struct Case {
    name: &'static str,
    rules: &'static str,
    text: &'static str,
    want: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "value group narrows the finding",
            rules: "  - id: mrn\n    label: MRN\n    pattern: 'MRN:? (?P<value>[0-9]{6,})'\n",
            text: "MRN: 4625596 and MRN 12",
            want: &["4625596"],
        },
        Case {
            name: "each value group that takes part in a match is a finding",
            rules: "  - id: pair\n    label: PERSON\n    pattern: '(?m)^(?P<value>[A-Z][a-z]+): [a-z ]+\\n(?P<value2>[A-Z][a-z]+): [a-z ]+(?:\\n(?P<value3>[A-Z][a-z]+): [a-z ]+)?'\n",
            text: "Ubul: hello there\nVinka: hi you\nnote: none",
            want: &["Ubul", "Vinka"],
        },
        Case {
            name: "a line rule is tried at each line start of text of long lines",
            rules: "  - id: who\n    label: PERSON\n    pattern: '(?m)^(?P<value>[A-Z][a-z]+): '\n",
            text: "Ubul: what a wife, and what a long line this is, long enough to be searched line start by line start, which it is, once past ninety-six bytes a line on average, as records are\nnot: here\nVinka: remember me? this line is long as well, long enough for the anchored search, and it goes on for a while longer so that the text as a whole is long enough\nZed:no",
            want: &["Ubul", "Vinka"],
        },
        Case {
            name: "a line rule over text of short lines, and a match that ends where the next line starts",
            rules: "  - id: pair\n    label: PERSON\n    pattern: '(?m)^[A-Z][a-z]+\\n[A-Z][a-z]+\\n'\n",
            text: "Ann\nBob\nCid\nDee\nx\nEve\nFay\n",
            want: &["Ann\nBob\n", "Cid\nDee\n", "Eve\nFay\n"],
        },
        Case {
            name: "matches of a line rule over long lines end where the next line starts",
            rules: "  - id: line\n    label: PERSON\n    pattern: '(?m)^[A-Z][a-z]+[ a-z]*\\n'\n",
            text: "Ann and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on \nBob more words more words more words more words more words more words more words more words more words more words \nlower case line that does not count\nCid last ones here last ones here last ones here last ones here last ones here last ones here last ones here \n",
            want: &[
                "Ann and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on and so on \n",
                "Bob more words more words more words more words more words more words more words more words more words more words \n",
                "Cid last ones here last ones here last ones here last ones here last ones here last ones here last ones here \n",
            ],
        },
        Case {
            name: "a rule anchored at the start of the text matches there only",
            rules: "  - id: head\n    label: ID\n    pattern: '\\A(?P<value>[A-Z]{3}[0-9]{3})'\n",
            text: "ABC123 then\nDEF456 later",
            want: &["ABC123"],
        },
        Case {
            name: "a longer entry whose rule wants another case hides no shorter one",
            rules: "  - id: long\n    label: LOCATION\n    dictionary: {words: [The Bronx], case: capitalized}\n  - id: short\n    label: LOCATION\n    dictionary: {words: [Bronx], case: capitalized}\n",
            text: "lives in the Bronx; The Bronx is north",
            want: &["Bronx", "The Bronx"],
        },
        Case {
            name: "keyword window before the finding",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 10, after: 0}\n",
            text: "acct 12345678; far away ........................ 87654321 acct",
            want: &["12345678"],
        },
        Case {
            name: "keywords are whole words, any ASCII case",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: 8\n",
            text: "ACCT# 11112222 but xacct 33334444",
            want: &["11112222"],
        },
        Case {
            name: "context require and veto",
            rules: "  - id: zip\n    label: LOCATION\n    pattern: '\\b[0-9]{5}\\b'\n    context:\n      require: [zip]\n      veto: [order]\n      window: {before: 10, after: 0}\n",
            text: "zip 02139. order zip 12345. 99999 alone",
            want: &["02139"],
        },
        Case {
            name: "a list's own window",
            rules: "  - id: frac\n    label: DATE\n    pattern: '\\b[0-9]{1,2}/[0-9]{1,2}\\b'\n    context:\n      window: 20\n      veto: [dose, cultures]\n      veto_window: {before: 0, after: 10}\n",
            text: "dose on 7/22, then 2/4 cultures",
            want: &["7/22"],
        },
        Case {
            name: "boost lifts a weak rule over the threshold",
            rules: "  - id: id\n    label: ID\n    pattern: '\\b[A-Z]{2}[0-9]{4}\\b'\n    confidence: 0.4\n    context:\n      boost: [badge]\n      boost_by: 0.2\n      window: 8\n",
            text: "badge AB1234, room CD5678",
            want: &["AB1234"],
        },
        Case {
            name: "allow values ignore case and separators",
            rules: "  - id: ph\n    label: PHONE\n    pattern: '\\b[0-9]{3}-[0-9]{4}\\b'\n    allow:\n      values: ['555 0100']\n",
            text: "call 555-0100 or 555-0199",
            want: &["555-0199"],
        },
        Case {
            name: "overlap: priority beats length, the loser keeps its uncovered rest",
            rules: "  - id: long\n    label: ID\n    pattern: '[0-9]{4}-[0-9]{4}'\n  - id: short\n    label: PHONE\n    pattern: '[0-9]{4}-[0-9]{2}'\n    priority: 5\n",
            text: "1234-5678",
            want: &["1234-56", "78"],
        },
        Case {
            name: "dictionary case modes",
            rules: "  - id: t\n    label: PERSON\n    dictionary: {words: [hope], case: title}\n  - id: u\n    label: PERSON\n    dictionary: {words: [ada], case: upper}\n",
            text: "hope Hope HOPE ada Ada ADA",
            want: &["Hope", "ADA"],
        },
        Case {
            name: "acronym penalty among lower-case words only",
            rules: "  - id: n\n    label: PERSON\n    dictionary: {words: [ada], case: capitalized, acronym_lower_by: 0.3}\n    confidence: 0.6\n",
            text: "per ADA guidance.\nADA LOVELACE\nAda came",
            want: &["ADA", "Ada"],
        },
        Case {
            name: "caps penalty among ALL-CAPS words only, not alone or among lower-case words",
            rules: "  - id: n\n    label: PERSON\n    dictionary: {words: [hall], case: capitalized, caps_lower_by: 0.3}\n    confidence: 0.6\n",
            text: "AMBULATED IN HALL TODAY\nHALL\nseen by HALL today",
            want: &["HALL", "HALL"],
        },
        Case {
            name: "join: weak parts join a confident name, alone they are dropped",
            rules: "  - id: first\n    label: PERSON\n    dictionary: {words: [anna], case: capitalized}\n    confidence: 0.6\n    join: {gap: '[ \\t]'}\n  - id: initial\n    label: PERSON\n    pattern: '\\b[A-Z]\\.'\n    confidence: 0.05\n    join: {gap: '[ \\t]', counts: false}\n",
            text: "Anna S. met B. there",
            want: &["Anna S."],
        },
        Case {
            name: "join: two weak members reach the threshold together",
            rules: "  - id: w\n    label: PERSON\n    dictionary: {words: [hope, brown], case: capitalized}\n    confidence: 0.45\n    join: {gap: '[ \\t]', boost_by: 0.1}\n",
            text: "Hope Brown came. Hope was high.",
            want: &["Hope Brown"],
        },
        Case {
            name: "join: weak members inside a part that does not count still count toward the boost",
            rules: "  - id: w\n    label: PERSON\n    dictionary: {words: [hope, brown], case: capitalized}\n    confidence: 0.45\n    join: {gap: '[ \\t]', boost_by: 0.1}\n  - id: list\n    label: PERSON\n    pattern: '[A-Z][a-z]+ and [A-Z][a-z]+'\n    confidence: 0.05\n    join: {gap: '[ \\t]', counts: false}\n",
            text: "Hope and Brown came. Hope and Glory.",
            want: &["Hope and Brown"],
        },
        Case {
            name: "join: the gap must match, labels must agree",
            rules: "  - id: a\n    label: PERSON\n    dictionary: {words: [ann, lee]}\n    join: {gap: ' '}\n  - id: b\n    label: LOCATION\n    dictionary: {words: [boston]}\n    join: {gap: ' '}\n",
            text: "Ann  Lee Boston",
            want: &["Ann", "Lee", "Boston"],
        },
        Case {
            name: "join: a part that follows joins the candidate before it, not the one after",
            rules: "  - id: street\n    label: LOCATION\n    pattern: '\\b[0-9]+ [A-Z][a-z]+ Street'\n    confidence: 0.8\n    join: {gap: '\\n'}\n  - id: line\n    label: LOCATION\n    pattern: '(?m)^[A-Z][a-z]+$'\n    confidence: 0.05\n    join: {gap: '\\n', counts: false, follows: true}\n",
            text: "Boston\n12 Oak Street\nSpringfield",
            want: &["12 Oak Street\nSpringfield"],
        },
        Case {
            name: "join: parts that follow give way to a candidate within them",
            rules: "  - id: city\n    label: LOCATION\n    dictionary: {words: [tampere], case: upper}\n    confidence: 0.6\n    join: {gap: '\\n'}\n  - id: line\n    label: LOCATION\n    pattern: '(?m)^[A-Z ]+$'\n    confidence: 0.05\n    join: {gap: '\\n', counts: false, follows: true}\n",
            text: "LIVES IN TAMPERE\nNOW",
            want: &["TAMPERE\nNOW"],
        },
        Case {
            name: "join: a part that follows does not stretch a candidate it starts inside of",
            rules: "  - id: place\n    label: LOCATION\n    pattern: 'Mt\\. Summit Medical Center'\n    confidence: 0.8\n    join: {gap: ' '}\n  - id: tail\n    label: LOCATION\n    pattern: '(?m) (?P<value>[A-Z][a-z]+(?: (?:[A-Z][a-z]+|on)){0,5})$'\n    confidence: 0.05\n    join: {gap: ' ', counts: false, follows: true}\n",
            text: "seen at Mt. Summit Medical Center on Monday",
            want: &["Mt. Summit Medical Center"],
        },
        Case {
            name: "join: a chain of parts is found whole, however far it reaches",
            rules: "  - id: street\n    label: LOCATION\n    pattern: '\\b[0-9]+ [A-Z][a-z]+ Street'\n    confidence: 0.8\n    join: {gap: '\\n'}\n  - id: line\n    label: LOCATION\n    pattern: '(?m)^[A-Z][a-z]{0,40}$'\n    confidence: 0.05\n    join: {gap: '\\n', counts: false, follows: true}\n",
            text: "12 Oak Street\nAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nCccccccccccccccccccccccccccccccccccccccc\nDdddddddddddddddddddddddddddddddddddddddd\n\nEeee",
            want: &[
                "12 Oak Street\nAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nCccccccccccccccccccccccccccccccccccccccc\nDdddddddddddddddddddddddddddddddddddddddd",
            ],
        },
        Case {
            name: "join: a group with a member that counts (joined by overlapping) does not give way",
            rules: "  - id: pre\n    label: LOCATION\n    pattern: '\\b[0-9]{3} [0-9]{2}\\b'\n    confidence: 0.05\n    join: {gap: ' ', counts: false}\n  - id: street\n    label: LOCATION\n    pattern: '\\b[0-9]+ [A-Z][a-z]+ Street'\n    confidence: 0.8\n    join: {gap: ' '}\n  - id: line\n    label: LOCATION\n    pattern: '(?m) (?P<value>[A-Z][a-z]+ Street)$'\n    confidence: 0.05\n    join: {gap: ' ', counts: false, follows: true}\n  - id: word\n    label: LOCATION\n    dictionary: {words: [street], case: capitalized}\n    confidence: 0.5\n    join: {gap: ' '}\n",
            text: "935 69 Oak Street",
            want: &["935 69 Oak Street"],
        },
        Case {
            name: "join: two parts end the group at one place; the gap after either lets the next join",
            rules: "  - id: street\n    label: LOCATION\n    pattern: '\\b[0-9]+ [A-Z][a-z]+ Street'\n    confidence: 0.8\n    join: {gap: '\\n,? ?'}\n  - id: town\n    label: LOCATION\n    pattern: '(?m), (?P<value>[A-Z]+)$'\n    confidence: 0.05\n    join: {gap: ', ', counts: false, follows: true}\n  - id: line\n    label: LOCATION\n    pattern: '(?m)^(?:, )?(?P<value>[A-Z][A-Za-z]*(?: [0-9]+)?)$'\n    confidence: 0.05\n    join: {gap: '\\n,? ?', counts: false, follows: true}\n",
            text: "12 Oak Street\n, RS\nBrazil 95828",
            want: &["12 Oak Street\n, RS\nBrazil 95828"],
        },
        Case {
            name: "context alone_by: a name alone on its line, after joining",
            rules: "  - id: n\n    label: PERSON\n    dictionary: {words: [shah, lam], case: capitalized}\n    confidence: 0.45\n    join: {gap: ' ', boost_by: 0.0}\n    context: {alone_by: 0.15}\n",
            text: "Shah\nmet Shah today\n - Lam Shah.\nLam and Shah",
            want: &["Shah", "Lam Shah"],
        },
        Case {
            name: "exclude drops overlapping candidates of every label",
            rules: "  - id: name\n    label: PERSON\n    dictionary: {words: [parkinson, wells]}\n  - id: city\n    label: LOCATION\n    dictionary: {words: [wells]}\n    priority: -1\n  - id: eponym\n    label: PERSON\n    exclude: true\n    pattern: '\\b[A-Z][a-z]+(?:''s)? (?:disease|score)'\n",
            text: "Parkinson's disease; Wells score; Dr Parkinson; Wells",
            want: &["Parkinson", "Wells"],
        },
        Case {
            name: "a candidate dropped for a surer overlap is looked at again without it",
            rules: "  - id: name\n    label: PERSON\n    pattern: '[A-Z][a-z]+ [A-Z][a-z]+(?:,[A-Z][a-z]+)?'\n    confidence: 0.6\n  - id: date\n    label: DATE\n    pattern: '[A-Z][a-z]{2} [0-9]{1,2}, [0-9]{4}'\n    confidence: 0.9\n",
            text: "row: Patricia Davila,Apr 5, 1945, paid",
            want: &["Patricia Davila", "Apr 5, 1945"],
        },
        Case {
            name: "a table's column name is its cells' context",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 16, after: 0}\n",
            text: "payroll export\nemp,acct,net\n7,12345678,99999999\n8,87654321,11111111\n\n22222222 outside",
            want: &["12345678", "87654321"],
        },
        Case {
            name: "a column's name is no context for the cell of the next column",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 40, after: 0}\n",
            text: "acct,net,employee_full_name_col\n12345678,99999999,Ana\n87654321,11111111,Bo\n",
            want: &["12345678", "87654321"],
        },
        Case {
            name: "a form's field after leader dots is read under its name, the name's parentheses left out",
            rules: "  - id: client\n    label: ID\n    pattern: '(?i)\\bclient id cif: (?P<value>[0-9]{8})'\n",
            text: "FX CONFIRMATION\n  Client ID (CIF) ...... 00418823\n  Settlement ........... USD\n",
            want: &["00418823"],
        },
        Case {
            name: "parts of one date or name found by different rules, one space apart, are one finding",
            rules: concat!(
                "  - id: weekday\n    label: DATE\n    pattern: '\\b(?:Mon|Tue)\\b'\n",
                "  - id: date\n    label: DATE\n    pattern: '\\b[0-9]{2}/[0-9]{2}/[0-9]{4}\\b'\n",
                "  - id: given\n    label: PERSON\n    pattern: '\\bMargaret L\\.'\n",
                "  - id: family\n    label: PERSON\n    pattern: '\\bVan der Linden\\b'\n",
            ),
            text: "seen Tue 01/14/2025 and Mon, 01/20/2025 by Margaret L. Van der Linden; cc @Tue @Mon",
            want: &["Tue 01/14/2025", "Mon", "01/20/2025", "Margaret L. Van der Linden", "Tue", "Mon"],
        },
        Case {
            name: "a name found in a cell counts only under a column for people and when the cell reads as a name",
            rules: "  - id: cell\n    label: PERSON\n    pattern: '(?:first|color|name): (?P<value>[A-Z][a-z]+)'\n",
            text: "first,color,size\nAna,Rose,M\n\nsku,name,price\nK1,Canvas tote,24.00\nK2,Lena Ruiz,9.00\n",
            want: &["Ana", "Lena"],
        },
        Case {
            name: "a JSON value's key is its context",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 6, after: 0}\n",
            text: "{\"acct\" :    \"12345678\", \"note\": \"87654321\"}",
            want: &["12345678"],
        },
        Case {
            name: "an SQL row's values under their columns, and prose with commas is not a table",
            rules: "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 16, after: 0}\n",
            text: "INSERT INTO t (id, acct) VALUES (2, '12345678'), (3, NULL);\nWe paid, then, 33333333\nand, so, 44444444",
            want: &["12345678"],
        },
        Case {
            name: "a finding grows over a less sure reading of its label that goes on with more of the name",
            rules: concat!(
                "  - id: known\n    label: ORGANIZATION\n    pattern: '\\bNorthgate Mutual\\b'\n    priority: 10\n    confidence: 0.8\n",
                "  - id: kind\n    label: ORGANIZATION\n    pattern: '\\b[A-Z][a-z]+ [A-Z][a-z]+(?:,? +[A-Z][a-z]+)'\n    confidence: 0.6\n",
                "  - id: who\n    label: PERSON\n    pattern: '\\bBank Roe\\b'\n    priority: 10\n    confidence: 0.9\n",
            ),
            // A column's gap, a comma, or a finding of another label in the
            // way: the surer finding stays as it was.
            text: "paid Northgate Mutual Bank today\nNorthgate Mutual   Phone\nNorthgate Mutual, Payroll\nNorthgate Mutual Bank Roe",
            want: &[
                "Northgate Mutual Bank",
                "Northgate Mutual",
                "Northgate Mutual",
                "Northgate Mutual",
                "Bank Roe",
            ],
        },
        Case {
            name: "an organization named after a place takes in the place found in it, under its own label",
            rules: concat!(
                "  - id: place\n    label: LOCATION\n    pattern: '\\bCalder County\\b'\n    priority: 10\n    confidence: 0.8\n",
                "  - id: authority\n    label: ORGANIZATION\n    pattern: '\\b[A-Z][a-z]+(?: +[A-Z][a-z]+)* +Authority\\b'\n    confidence: 0.6\n",
            ),
            text: "paid Calder County Water Authority\nCalder County   Housing Authority",
            want: &["Calder County Water Authority", "Calder County", "Housing Authority"],
        },
    ]
}

#[test]
fn engine_cases() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut packs = PackSet::new();
        if let Err(e) = packs.add_yaml("t.yaml", &format!("{HEADER}{}", case.rules)) {
            failures.push(format!("{}: pack does not load: {e}", case.name));
            continue;
        }
        for prefilter in [true, false] {
            let engine =
                EngineBuilder::new().keyword_prefilter(prefilter).gate_after(0).build(&packs).unwrap();
            let got: Vec<&str> = engine.scan(case.text).iter().map(|f| &case.text[f.span.range()]).collect();
            if got != case.want {
                failures.push(format!(
                    "{} (prefilter {prefilter}): got {got:?}, want {:?}",
                    case.name, case.want
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_field_name_is_context_for_its_value_and_never_found() {
    let rules = concat!(
        "  - id: acct\n    label: ACCOUNT_NUMBER\n    pattern: '\\b[0-9]{8}\\b'\n    keywords: [acct]\n    keyword_window: {before: 16, after: 0}\n",
        "  - id: kv\n    label: ID\n    pattern: '\\bref: [0-9]+'\n",
        "  - id: word\n    label: PERSON\n    pattern: '\\bRoe\\b'\n",
    );
    let mut packs = PackSet::new();
    packs.add_yaml("t.yaml", &format!("{HEADER}{rules}")).unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let spans = |field: &str, text: &str| -> Vec<(usize, usize)> {
        engine
            .scan_field(field.as_bytes(), text.as_bytes())
            .iter()
            .map(|f| (f.span.start, f.span.end))
            .collect()
    };
    assert_eq!(spans("", "12345678"), vec![], "no keyword, no finding");
    assert_eq!(spans("acct", "12345678"), vec![(0, 8)], "the name is the keyword");
    assert_eq!(spans("acct\nnote", "12345678"), vec![(0, 8)], "a name is one line");
    // A finding reaching into the name is cut at the value's start; one in
    // the name alone is not reported.
    assert_eq!(spans("ref", "4711 x"), vec![(0, 4)]);
    assert_eq!(spans("Roe", "nothing"), vec![]);
    assert_eq!(spans("name", "Jane Roe"), vec![(5, 8)]);
}

#[test]
fn an_engine_built_after_the_packs_release_their_parsed_patterns_finds_the_same() {
    // The engine parses the patterns again for text outside ASCII (Polish,
    // Spanish, Greek here), where the packs' parsed forms were used before.
    let mut packs = PackSet::builtin().unwrap();
    let before = EngineBuilder::new().build(&packs).unwrap();
    packs.release_parsed();
    let after = EngineBuilder::new().build(&packs).unwrap();
    let text = "Pt Łukasz Żółkiewski seen by Dr. José García at Calle Mayor 12, Madrid.\n\
                Σύζυγος: Ελένη Παπαδοπούλου, τηλ 210 555 1234. Patient Name: SANG";
    let spans = |e: &cloak::Engine| -> Vec<(usize, usize, String)> {
        e.scan(text).iter().map(|f| (f.span.start, f.span.end, f.label.to_string())).collect()
    };
    let found = spans(&before);
    assert!(found.len() >= 5, "{found:?}");
    assert_eq!(spans(&after), found);
    // The engine built before keeps working once its packs let go.
    assert_eq!(spans(&before), found);
}

#[test]
fn an_hl7_message_is_read_the_same_with_either_segment_separator() {
    // HL7 v2 ends segments with a carriage return; files and logs often hold
    // them as lines. The rules that read a segment by its fields find the
    // same in both.
    let engine = EngineBuilder::new().build(&PackSet::builtin().unwrap()).unwrap();
    let message = "MSH|^~\\&|EPICADT|PASSAVANT AREA HOSP|CLOVERLEAF|LABSYS|20240315083212||ADT^A04|MSG1|P|2.5.1\n\
                   EVN|A04|20240315083200|||JSMALLEY^SMALLEY^JOANNE\n\
                   PID|1|M88104276|4471029^^^EPI^MR~311408827^^^SSA^SS||SPURLOCK^DELORES^ANN||19310905|F|||||||||||311-40-8827\n\
                   NK1|1|SPURLOCK^VENITA|DAU|22 CRESTVIEW DR^^JACKSONVILLE^IL^62650\n\
                   PV1|1|O|LAB^^^OP||||1061677567^KAUFMAN^ROD^T|||||||||||V20240315\n\
                   ORC|RE|ORD77120|LAB91822||CM\n";
    let found = |text: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = engine
            .scan(text)
            .iter()
            .map(|f| (engine.rule(f.rule).id().to_string(), text[f.span.start..f.span.end].to_string()))
            .collect();
        v.sort();
        v
    };
    let lines = found(message);
    let rules: Vec<&str> = lines.iter().map(|(r, _)| r.as_str()).collect();
    for rule in [
        "location-hl7-sending-facility",
        "username-hl7-operator",
        "mrn-hl7-pid2",
        "ssn-hl7",
        "ssn-hl7-pid",
        "id-hl7-order",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {lines:?}");
    }
    assert!(!lines.iter().any(|(_, v)| v == "DAU"), "a relationship code is no name: {lines:?}");
    assert_eq!(found(&message.replace('\n', "\r")), lines);
}

#[test]
fn the_built_in_packs_read_bank_downloads_and_leader_dot_forms_field_by_field() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let found = |text: &str| -> Vec<(String, String)> {
        engine
            .scan(text)
            .iter()
            .map(|f| (format!("{:?}", f.label), text[f.span.range()].to_string()))
            .collect()
    };
    // An OFX download: no end tags, the tag names the value.
    let ofx =
        "<STMTRS><CURDEF>USD\n<BANKACCTFROM><BANKID>301081508<ACCTID>0001182264-S01<ACCTTYPE>CHECKING\n";
    let got = found(ofx);
    for value in ["301081508", "0001182264-S01"] {
        assert!(got.iter().any(|(_, v)| v == value), "{value} in {got:?}");
    }
    // A form printed with leader dots, its field name in parentheses.
    let form = "FX CONFIRMATION\n  Client ID (CIF) ...... 00418823\n  Settlement ........... USD\n";
    let got = found(form);
    assert!(got.iter().any(|(_, v)| v == "00418823"), "{got:?}");
}

#[test]
fn the_built_in_packs_mask_staff_initials_in_the_columns_named_for_them() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    let people = |text: &str| -> Vec<String> {
        engine
            .scan(text)
            .iter()
            .filter(|f| format!("{:?}", f.label) == "Person")
            .map(|f| text[f.span.range()].to_string())
            .collect()
    };
    // A medication administration record as a Markdown table.
    let mar = "| Medication / Order | Sched | Given | By | Site |\n\
               |---|---|---|---|---|\n\
               | enoxaparin 40 mg SC daily | 0900 | 0912 | MLW | L abd |\n\
               | metoprolol 25 mg PO q12h | 2100 | 2106 | JAC | HR 68 |\n";
    let got = people(mar);
    for initials in ["MLW", "JAC"] {
        assert!(got.iter().any(|v| v == initials), "{initials} in {got:?}");
    }
    // A worklist export with the nurse's initials in its last column.
    let csv = "patient_name,dob,action,rn\n\"Eberhardt, Luise\",1930-02-19,routine,NB\n\"Tuscola, Amos\",1941-12-07,call pt,JL\n";
    let got = people(csv);
    for initials in ["NB", "JL"] {
        assert!(got.iter().any(|v| v == initials), "{initials} in {got:?}");
    }
    // Abbreviations in such a column are not people.
    let shipped = "item,qty,by\ncharger,2,UPS\ncable,1,ICU\n";
    assert!(people(shipped).is_empty(), "{:?}", people(shipped));
}

#[test]
fn the_built_in_packs_read_digits_misread_by_ocr() {
    let packs = PackSet::builtin().unwrap();
    let engine = EngineBuilder::new().build(&packs).unwrap();
    // A fax read by OCR: O for zero, l for one.
    let fax = "FR0M: Gallatin Valley Ortho   FAX: (4O6) 555-O172   O3/O7/2O24  O9:14\n\
               Patient Name: Calowell, Desmond   D0B: O8/l9/l962\n";
    let found: Vec<(String, &str)> =
        engine.scan(fax).iter().map(|f| (format!("{:?}", f.label), &fax[f.span.range()])).collect();
    for (label, value) in [("Phone", "(4O6) 555-O172"), ("Date", "O8/l9/l962")] {
        assert!(found.iter().any(|(l, v)| l == label && v.contains(value)), "{label} {value} in {found:?}");
    }
    assert!(found.iter().any(|(l, v)| l == "Date" && v.contains("O3/O7/2O24")), "{found:?}");
}
