//! Scan throughput (bytes per second) with every built-in pack.
//!
//! Reads the documents of `../shared/corpus/faker_mixed.jsonl` (or the file in
//! `CLOAK_BENCH_CORPUS`). Each benchmark first checks its answer: the number of
//! findings must equal the figure recorded here, which changes only with the
//! packs (check such a change with `cloak eval` before updating it).

use std::path::PathBuf;

use cloak::{EngineBuilder, PackSet};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Findings on faker_mixed.jsonl with the built-in packs.
const EXPECTED_FINDINGS: usize = 41_986;

fn corpus() -> Vec<String> {
    let path = std::env::var_os("CLOAK_BENCH_CORPUS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/faker_mixed.jsonl")
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["text"].as_str().expect("a text field").to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let packs = PackSet::builtin().expect("built-in packs load");
    let engine = EngineBuilder::new().build(&packs).expect("built-in packs compile");

    let found: usize = docs.iter().map(|d| engine.scan(d).len()).sum();
    assert_eq!(
        found, EXPECTED_FINDINGS,
        "finding count changed: check with `cloak eval`, then update EXPECTED_FINDINGS"
    );

    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("faker_mixed/builtin", |b| {
        b.iter(|| docs.iter().map(|d| engine.scan(d).len()).sum::<usize>());
    });
    group.finish();

    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    group.bench_function("build/builtin", |b| b.iter(|| EngineBuilder::new().build(&packs).unwrap()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
