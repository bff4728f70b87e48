//! The code path of the `pack_load` fuzz target, shared with `tests/fuzz_regressions.rs`
//! so that a crash file replays exactly what the fuzzer ran.

/// Scanned by every engine built from a fuzzed pack: ASCII and multi-byte text, digits,
/// punctuation and words that built-in keywords and context lists use.
pub const SAMPLE: &str = "Patient Zoë Ñúñez, DOB 1984-03-07, SSN 474-07-9575, MRN# 00123456, \
     employee E-204511, card 4111 1111 1111 1111, mail zoe.nunez@example.com, \
     tel +1 (555) 010-0000 — 東京都 ✓ 😀\tend";

/// Loads `data` as a rule pack; when it loads, builds an engine, scans [`SAMPLE`] and
/// checks the pack's own examples. Panics only where the library broke a promise:
/// loading, building and scanning must return, and findings must be sorted,
/// non-overlapping, inside the text and on character boundaries.
pub fn pack_load(data: &[u8]) {
    // Lossy so that invalid UTF-8 still reaches the YAML parser as replacement characters.
    let text = String::from_utf8_lossy(data);
    let mut set = cloak::PackSet::new();
    if set.add_yaml("fuzz.yaml", &text).is_err() {
        return;
    }
    let Ok(engine) = cloak::EngineBuilder::new().build(&set) else {
        return;
    };
    let findings = engine.scan(SAMPLE);
    let mut end = 0;
    for f in &findings {
        assert!(end <= f.span.start, "findings overlap or are out of order: {findings:?}");
        assert!(f.span.start <= f.span.end && f.span.end <= SAMPLE.len(), "span out of bounds: {f:?}");
        assert!(
            SAMPLE.is_char_boundary(f.span.start) && SAMPLE.is_char_boundary(f.span.end),
            "span not on char boundaries: {f:?}"
        );
        assert!((0.0..=1.0).contains(&f.confidence), "confidence out of [0, 1]: {f:?}");
        end = f.span.end;
    }
    // Example texts come from the pack, so this scans fuzzed text with fuzzed rules.
    let _ = engine.test_examples(&[]);
}
