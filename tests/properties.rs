//! Invariants over arbitrary text.

use cloak::{Engine, EngineBuilder, PackSet};
use proptest::prelude::*;
use rayon::prelude::*;
use std::sync::OnceLock;

fn engine(prefilter: bool) -> &'static Engine {
    static ON: OnceLock<Engine> = OnceLock::new();
    static OFF: OnceLock<Engine> = OnceLock::new();
    let cell = if prefilter { &ON } else { &OFF };
    cell.get_or_init(|| {
        let packs = PackSet::builtin().expect("built-in packs load");
        EngineBuilder::new()
            .keyword_prefilter(prefilter)
            .gate_after(0)
            .build(&packs)
            .expect("built-in packs compile")
    })
}

/// Text built from fragments that look like identifiers, keywords and noise,
/// including multi-byte characters.
fn texty() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("SSN ".to_string()),
        Just("routing ".to_string()),
        Just("4111 1111 1111 1111".to_string()),
        Just("021000021".to_string()),
        Just("536-22-1234".to_string()),
        Just("GB82 WEST 1234 5698 7654 32".to_string()),
        Just("zoë@example.com".to_string()),
        // Keywords that open the patterns of cue rules (searched by anchored
        // attempts at their hits), and one after which a line break may come.
        Just("patient: ".to_string()),
        Just("Pt ".to_string()),
        Just("Dr. ".to_string()),
        Just("member id ".to_string()),
        Just("MRN:\n".to_string()),
        Just("Okafor".to_string()),
        Just("@".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("\n".to_string()),
        "[0-9 -]{1,20}",
        "[a-zA-Z ]{1,12}",
        any::<String>(),
    ];
    prop::collection::vec(fragment, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_are_in_bounds_on_char_boundaries_and_disjoint(text in texty()) {
        let findings = engine(true).scan(&text);
        let mut last_end = 0;
        for f in &findings {
            prop_assert!(f.span.start < f.span.end);
            prop_assert!(f.span.end <= text.len());
            prop_assert!(text.is_char_boundary(f.span.start));
            prop_assert!(text.is_char_boundary(f.span.end));
            prop_assert!(f.span.start >= last_end, "overlap or disorder");
            prop_assert!((0.0..=1.0).contains(&f.confidence));
            last_end = f.span.end;
        }
    }

    #[test]
    fn keyword_prefilter_does_not_change_findings(text in texty()) {
        prop_assert_eq!(engine(true).scan(&text), engine(false).scan(&text));
    }

    /// Texts of many lines and over a kilobyte, so the gate works per block:
    /// ASCII and non-ASCII blocks, matches near block edges, lines joined by
    /// identifier-free filler.
    #[test]
    fn gate_does_not_change_findings_on_texts_of_many_blocks(
        parts in prop::collection::vec(texty(), 2..10),
        filler in prop::collection::vec(0usize..3, 2..10),
    ) {
        const FILLER: [&str; 3] = [
            "the request was processed and the queue depth remained stable during the window\n",
            "patient reported mild improvement since last visit, plan to continue current medication\n",
            "INFO worker-pool heartbeat ok\n",
        ];
        let mut text = String::new();
        for (i, p) in parts.iter().enumerate() {
            let start = text.len();
            while text.len() - start < 700 {
                text.push_str(FILLER[filler[i % filler.len()]]);
            }
            text.push_str(p);
            text.push('\n');
        }
        prop_assert!(text.len() > 1024);
        prop_assert_eq!(engine(true).scan(&text), engine(false).scan(&text));
    }

    #[test]
    fn bytes_entry_point_agrees_and_survives_invalid_utf8(text in texty(), junk in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(engine(true).scan(&text), engine(true).scan_bytes(text.as_bytes()));
        let mut bytes = junk.clone();
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(&junk);
        for f in engine(true).scan_bytes(&bytes) {
            prop_assert!(f.span.end <= bytes.len());
            prop_assert!(std::str::from_utf8(&bytes[f.span.range()]).is_ok());
        }
    }
}

/// The gate on real text: 600 documents of faker_mixed as one text of many
/// blocks, with every prefilter on and off.
#[test]
fn gate_does_not_change_findings_on_the_corpus_as_one_text() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/faker_mixed.jsonl");
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let text: String = raw
        .lines()
        .take(600)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold line");
            format!("{}\n", v["text"].as_str().expect("text"))
        })
        .collect();
    let on = engine(true).scan(&text);
    assert!(on.len() > 1000, "{} findings", on.len());
    assert_eq!(on, engine(false).scan(&text));
}

#[test]
fn same_findings_whatever_the_thread_count() {
    let docs: Vec<String> = (0..400)
        .map(|i| {
            format!(
                "doc {i}: SSN 536-22-{:04} card 4111 1111 1111 1111 mail u{i}@example.com routing 021000021",
                1000 + i
            )
        })
        .collect();
    let one: Vec<_> = docs.iter().map(|d| engine(true).scan(d)).collect();
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let many: Vec<_> = pool.install(|| docs.par_iter().map(|d| engine(true).scan(d)).collect());
        assert_eq!(one, many, "{threads} threads");
    }
}
