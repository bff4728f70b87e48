//! Replays every file in `fuzz/regressions/pack_load/` through the `pack_load` fuzz
//! target's code path: each must load, fail to load, build or scan without panicking.

#[path = "../fuzz/common/pack_load.rs"]
mod pack_load;

use std::panic;
use std::path::Path;

#[test]
fn pack_load_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/pack_load");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no regression inputs in {}", dir.display());

    // Run them all and report every panic, not just the first.
    let mut panicked = Vec::new();
    for path in &paths {
        let data = std::fs::read(path).unwrap();
        if panic::catch_unwind(|| pack_load::pack_load(&data)).is_err() {
            panicked.push(path.display().to_string());
        }
    }
    assert!(panicked.is_empty(), "{} of {} inputs panicked: {panicked:#?}", panicked.len(), paths.len());
}

#[path = "../fuzz/common/vault_record.rs"]
mod vault_record;

#[test]
fn vault_record_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/vault_record");
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
        if panic::catch_unwind(|| vault_record::vault_record(&data)).is_err() {
            panicked.push(path.display().to_string());
        }
    }
    assert!(panicked.is_empty(), "{} of {} inputs panicked: {panicked:#?}", panicked.len(), paths.len());
}
