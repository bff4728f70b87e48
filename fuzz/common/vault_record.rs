//! The code path of the `vault_record` fuzz target, shared with
//! `tests/fuzz_regressions.rs` so that a crash file replays exactly what the
//! fuzzer ran.

/// Decodes `data` as a vault record (sealed to a key pair, and sealed with a
/// data key) and as a key file. None of it may panic; a record that opens
/// must be one the encoder made, and the same record cut short or with one
/// byte changed must not open.
pub fn vault_record(data: &[u8]) {
    let (sealed_to, _sealed) = cloak::vault::fuzz_open_record(data);
    if let Some(value) = sealed_to {
        // Only a genuine record opens: check that a changed copy does not.
        let mut changed = data.to_vec();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(cloak::vault::fuzz_open_record(&changed).0.is_none(), "a changed record opened");
        assert!(cloak::vault::fuzz_open_record(&data[..last]).0.is_none(), "a cut record opened");
        let _ = value;
    }
    // The same bytes as a key file's text.
    let _ = cloak::vault::VaultKey::parse(&String::from_utf8_lossy(data), "fuzz.key");
    // Round trip of the data as a value.
    let record = cloak::vault::fuzz_seal_record(data);
    assert_eq!(
        cloak::vault::fuzz_open_record(&record).0.as_deref(),
        Some(data),
        "a sealed record opens to its value"
    );
}
