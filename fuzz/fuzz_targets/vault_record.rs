//! Feeds arbitrary bytes to the vault's record decoder and key-file parser.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/vault_record.rs"]
mod vault_record;

fuzz_target!(|data: &[u8]| vault_record::vault_record(data));
