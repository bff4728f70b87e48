//! Feeds arbitrary bytes to rule-pack loading, engine building and scanning.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/pack_load.rs"]
mod pack_load;

fuzz_target!(|data: &[u8]| pack_load::pack_load(data));
