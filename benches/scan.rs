//! Throughput (bytes per second) with every built-in pack: engine build, scan
//! of dense and sparse text, mask with `[LABEL]`, mask with tokens and the
//! vault, unmask, streaming unmask.
//!
//! Dense text is the documents of `../shared/corpus/faker_mixed.jsonl` (or the
//! file in `CLOAK_BENCH_CORPUS`). Sparse text is made from it: every 40th
//! document, each followed by identifier-free prose and log lines generated
//! here, to about one identifier per 2 KB. Each benchmark first checks its
//! answer: the number of findings (or restored tokens) must equal the figure
//! recorded here, which changes only with the packs (check such a change with
//! `cloak eval` before updating it).

use std::path::PathBuf;

use cloak::transforms::{Masker, Policy, Transform};
use cloak::vault::{Audit, Unmasker, Vault};
use cloak::{EngineBuilder, PackSet};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Findings on faker_mixed.jsonl with the built-in packs.
const EXPECTED_FINDINGS: usize = 42_222;
/// Findings on the sparse text made from it.
const EXPECTED_SPARSE_FINDINGS: usize = 1_057;

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

/// Prose and log lines without identifiers, from a fixed generator.
fn filler(seed: u64, bytes: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "request",
        "was",
        "processed",
        "and",
        "returned",
        "status",
        "ok",
        "after",
        "retry",
        "queue",
        "worker",
        "completed",
        "batch",
        "of",
        "records",
        "with",
        "no",
        "errors",
        "latency",
        "within",
        "budget",
        "cache",
        "hit",
        "ratio",
        "remained",
        "stable",
        "during",
        "the",
        "window",
        "service",
        "health",
        "check",
        "passed",
        "for",
        "all",
        "nodes",
        "in",
        "cluster",
        "patient",
        "reported",
        "mild",
        "improvement",
        "since",
        "last",
        "visit",
        "blood",
        "pressure",
        "controlled",
        "on",
        "current",
        "medication",
        "plan",
        "continue",
    ];
    let mut x = seed | 1;
    let mut s = String::with_capacity(bytes + 64);
    while s.len() < bytes {
        if x % 9 == 0 {
            s.push_str("INFO worker-pool: heartbeat ok, queue depth ");
            s.push_str(&(x % 50).to_string());
            s.push('\n');
        }
        for _ in 0..12 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(WORDS[(x % WORDS.len() as u64) as usize]);
            s.push(' ');
        }
        s.push_str(".\n");
    }
    s
}

fn sparse(docs: &[String]) -> Vec<String> {
    docs.iter()
        .step_by(40)
        .enumerate()
        .map(|(i, d)| {
            // About 8 identifiers per faker document, so about 16 KB of filler.
            format!("{}\n{}", filler(i as u64 + 1, 16 << 10), d)
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
    let noise = filler(1, 256 << 10);
    assert!(engine.scan(&noise).is_empty(), "the filler holds no identifier");
    let thin = sparse(&docs);
    let thin_bytes: usize = thin.iter().map(String::len).sum();
    let thin_found: usize = thin.iter().map(|d| engine.scan(d).len()).sum();
    assert_eq!(thin_found, EXPECTED_SPARSE_FINDINGS, "sparse finding count changed ({thin_bytes} bytes)");

    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.bench_function("build/builtin", |b| b.iter(|| EngineBuilder::new().build(&packs).unwrap()));
    group.finish();

    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("dense/faker_mixed", |b| {
        b.iter(|| docs.iter().map(|d| engine.scan(d).len()).sum::<usize>())
    });
    group.throughput(Throughput::Bytes(thin_bytes as u64));
    group.bench_function("sparse/faker_diluted", |b| {
        b.iter(|| thin.iter().map(|d| engine.scan(d).len()).sum::<usize>())
    });
    group.finish();

    // Masking: [LABEL], then tokens kept in a vault (steady state: the tokens
    // exist after the first pass, as for a log masked day after day).
    let labels = Masker::new(engine.clone(), Policy::new(Transform::Label));
    let dir = tempfile::tempdir().unwrap();
    let (vault, _, _) = Vault::create(&dir.path().join("vault.db"), None).unwrap();
    let tokens = Masker::new(engine.clone(), Policy::new(Transform::Token)).with_vault(vault.clone());
    let pieces: Vec<&[u8]> = docs.iter().map(|d| d.as_bytes()).collect();
    let masked = tokens.mask_batch(&pieces).unwrap();
    assert_eq!(masked.iter().map(|m| m.findings.len()).sum::<usize>(), EXPECTED_FINDINGS);
    let masked_text: Vec<u8> = masked.iter().flat_map(|m| m.bytes.iter().copied().chain(*b"\n")).collect();

    let mut group = c.benchmark_group("mask");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("label/faker_mixed", |b| b.iter(|| labels.mask_batch(&pieces).unwrap().len()));
    group.bench_function("token_vault/faker_mixed", |b| b.iter(|| tokens.mask_batch(&pieces).unwrap().len()));
    group.finish();

    let audit = Audit { actor: "bench".into(), purpose: "benchmark".into() };
    let restored = vault.unmask(&masked_text, &audit).unwrap();
    let tokens_restored: usize = restored.restored.values().sum();
    assert_eq!(tokens_restored, EXPECTED_FINDINGS, "every token restored");
    let mut group = c.benchmark_group("unmask");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(masked_text.len() as u64));
    group.bench_function("whole/faker_mixed", |b| {
        b.iter(|| vault.unmask(&masked_text, &audit).unwrap().text.len())
    });
    group.bench_function("streaming_4k/faker_mixed", |b| {
        b.iter(|| {
            let mut u = Unmasker::new(&vault, audit.clone());
            let mut n = 0;
            for chunk in masked_text.chunks(4096) {
                n += u.push(chunk).unwrap().len();
            }
            n + u.finish().unwrap().0.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
