//! Scan time of inputs built to make a scanner superlinear, beside ordinary
//! text of the same size: long runs of digits, of spaces, of one letter, of
//! digit groups, and one long line of corpus text without a line break. Each
//! should take a small multiple of the ordinary text's time at most
//! (figures in benches/README.md).

use std::path::PathBuf;

use cloak::{EngineBuilder, PackSet};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SIZE: usize = 1 << 20;

fn ordinary() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/faker_mixed.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = String::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
        s.push_str(v["text"].as_str().expect("text"));
        s.push('\n');
        if s.len() >= SIZE {
            break;
        }
    }
    let mut end = SIZE.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

fn bench(c: &mut Criterion) {
    let engine = EngineBuilder::new().build(&PackSet::builtin().unwrap()).unwrap();
    let ordinary = ordinary();
    let one_line = ordinary.replace('\n', " ");
    let inputs: Vec<(&str, String)> = vec![
        ("ordinary_text", ordinary),
        ("one_line_1mb", one_line),
        ("digits", "7".repeat(SIZE)),
        ("spaces", " ".repeat(SIZE)),
        ("one_letter", "a".repeat(SIZE)),
        ("capital_words", "Ab ".repeat(SIZE / 3)),
        ("digit_groups", "1234 ".repeat(SIZE / 5)),
        ("dashes_and_digits", "12-34-".repeat(SIZE / 6)),
    ];
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| b.iter(|| engine.scan(text).len()));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
