//! Replays every file in `fuzz/regressions/TARGET/` through that fuzz target's
//! code path: `pack_load` (each pack must load, fail to load, build or scan
//! without panicking) and `vault_record` (records and key files must decode
//! or be refused without panicking).

#[path = "../fuzz/common/pack_load.rs"]
mod pack_load;
#[path = "../fuzz/common/vault_record.rs"]
mod vault_record;

use std::panic;
use std::path::Path;

/// Runs `target` on every input kept for it and reports every panic, not just the first.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression inputs in {}", dir.display());
    let mut panicked = Vec::new();
    for path in &paths {
        let data = std::fs::read(path).unwrap();
        if panic::catch_unwind(|| run(&data)).is_err() {
            panicked.push(path.display().to_string());
        }
    }
    assert!(panicked.is_empty(), "{} of {} inputs panicked: {panicked:#?}", panicked.len(), paths.len());
}

#[test]
fn pack_load_regressions_do_not_panic() {
    replay("pack_load", pack_load::pack_load);
}

#[test]
fn vault_record_regressions_do_not_panic() {
    replay("vault_record", vault_record::vault_record);
}
