//! The batch pipeline through the library: the same bytes out whatever the
//! thread count or chunk size, formats kept byte for byte outside what is
//! masked, compressed files, binary and failing inputs, atomic outputs.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use cloak::batch::{
    Action, BatchBuilder, Column, Format, Input, NoEvents, Outputs, Report, Selection, Status, Target,
};
use cloak::transforms::{Masker, Policy, Transform};
use cloak::{Engine, EngineBuilder, PackSet};
use proptest::prelude::*;

fn engine() -> Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| EngineBuilder::new().build(&PackSet::builtin().unwrap()).unwrap()).clone()
}

fn labels() -> Action {
    Action::Mask(Masker::new(engine(), Policy::new(Transform::Label)))
}

/// Masks `text` read as `format` with these settings; the output and report.
fn mask_with(text: &[u8], format: Format, b: &mut BatchBuilder) -> (Vec<u8>, Report) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in");
    std::fs::write(&path, text).unwrap();
    let batch = b.format(Some(format)).build(labels()).unwrap();
    let mut out = Vec::new();
    let report = batch.run(&[Input::file(&path, Target::Stdout)], &mut out, &mut NoEvents).unwrap();
    (out, report)
}

fn mask(text: &[u8], format: Format) -> Vec<u8> {
    mask_with(text, format, BatchBuilder::new().threads(2)).0
}

/// A log of `lines` lines, some very long, with identifiers everywhere
/// (also across any cut point), from a seed.
fn log(seed: u64, lines: usize) -> (String, usize) {
    let mut x = seed | 1;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let ids = ["mail jane.roe@example.org", "SSN 536-22-1234", "card 4111 1111 1111 1111", "ip 203.0.113.7"];
    let words = ["the", "payment", "was", "captured", "retry", "ok", "status", "queue", "worker", "done"];
    let (mut text, mut planted) = (String::new(), 0);
    for _ in 0..lines {
        let long = next(8) == 0;
        let n = if long { 400 + next(1200) } else { next(20) };
        for _ in 0..n {
            if next(12) == 0 {
                text.push_str(ids[next(4) as usize]);
                planted += 1;
            } else {
                text.push_str(words[next(10) as usize]);
            }
            text.push(if next(30) == 0 { '\t' } else { ' ' });
        }
        text.push('\n');
        if next(6) == 0 {
            text.push('\n');
        }
    }
    (text, planted)
}

fn count_masks(out: &[u8]) -> usize {
    let s = String::from_utf8_lossy(out);
    ["[EMAIL]", "[SSN]", "[CREDIT_CARD]", "[IP_ADDRESS]"].iter().map(|m| s.matches(m).count()).sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Threads and chunk sizes change nothing; small units cut long lines
    /// into pieces and no identifier is lost or cut at a seam.
    #[test]
    fn same_bytes_for_any_threads_and_chunk_size(seed in 1u64.., chunk in 1usize..20_000, unit in 256usize..4096) {
        let (text, planted) = log(seed, 60);
        let reference = mask_with(text.as_bytes(), Format::Text, BatchBuilder::new().threads(1).unit_bytes(unit, 128)).0;
        prop_assert_eq!(count_masks(&reference), planted);
        for threads in [2, 3] {
            let (out, _) = mask_with(
                text.as_bytes(),
                Format::Text,
                BatchBuilder::new().threads(threads).chunk_bytes(chunk).unit_bytes(unit, 128),
            );
            prop_assert!(out == reference, "threads {} chunk {} unit {}", threads, chunk, unit);
        }
    }
}

#[test]
fn default_units_match_masking_the_whole_text() {
    let (text, planted) = log(7, 300);
    let whole = Masker::new(engine(), Policy::new(Transform::Label));
    let mut want = Vec::new();
    whole.mask_bytes(text.as_bytes(), &mut want).unwrap();
    for chunk in [1, 4096, 1 << 20] {
        let (out, report) =
            mask_with(text.as_bytes(), Format::Text, BatchBuilder::new().threads(2).chunk_bytes(chunk));
        assert!(out == want, "chunk {chunk}");
        assert_eq!(report.totals.counts.findings as usize, planted);
        assert_eq!(report.totals.records as usize, text.lines().count());
    }
}

#[test]
fn jsonl_keeps_everything_but_the_masked_strings() {
    let text = concat!(
        "{\"id\" : 7, \"msg\":\"mail jane.roe@example.org\\u0021 \\\"quoted\\\"\" ,\"user\":{\"ssn\":\"536-22-1234\",\"tags\":[\"SSN 536-22-1234\"]},\"n\":4111111111111111}\n",
        "  not json: SSN 536-22-1234\n",
        "{\"plain\": \"nothing here\", \"x\": [1, 2.50, null, true]}\r\n",
        "{\"last\":\"no newline, ip 203.0.113.7\"}"
    );
    let out = String::from_utf8(mask(text.as_bytes(), Format::JsonLines)).unwrap();
    let want = concat!(
        "{\"id\" : 7, \"msg\":\"mail [EMAIL]! \\\"quoted\\\"\" ,\"user\":{\"ssn\":\"[SSN]\",\"tags\":[\"SSN [SSN]\"]},\"n\":4111111111111111}\n",
        "  not json: SSN [SSN]\n",
        "{\"plain\": \"nothing here\", \"x\": [1, 2.50, null, true]}\r\n",
        "{\"last\":\"no newline, ip [IP_ADDRESS]\"}"
    );
    assert_eq!(out, want);

    // Only the chosen fields; numbers when asked.
    let sel =
        Selection { fields: vec!["user.ssn".into(), "n".into()], numbers: true, ..Selection::default() };
    let (out, report) = mask_with(text.as_bytes(), Format::JsonLines, BatchBuilder::new().selection(sel));
    let first = String::from_utf8(out).unwrap().lines().next().unwrap().to_string();
    assert_eq!(
        first,
        "{\"id\" : 7, \"msg\":\"mail jane.roe@example.org\\u0021 \\\"quoted\\\"\" ,\"user\":{\"ssn\":\"[SSN]\",\"tags\":[\"SSN 536-22-1234\"]},\"n\":\"[CREDIT_CARD]\"}"
    );
    assert_eq!(report.totals.malformed_records, 1);
}

#[test]
fn csv_and_tsv_keep_quoting_header_and_line_ends() {
    let text = "name,\"e-mail\",note\r\nJane Roe,jane@example.org,\"card 4111 1111 1111 1111, \"\"ok\"\"\"\r\n\"Roe, Jane\",x@example.com,\"multi\nline SSN 536-22-1234\"\r\n";
    let out = String::from_utf8(mask(text.as_bytes(), Format::Csv)).unwrap();
    assert_eq!(
        out,
        "name,\"e-mail\",note\r\n[PERSON],[EMAIL],\"card [CREDIT_CARD], \"\"ok\"\"\"\r\n\"[PERSON]\",[EMAIL],\"multi\nline SSN [SSN]\"\r\n"
    );
    let sel = Selection { columns: vec!["e-mail".parse::<Column>().unwrap()], ..Selection::default() };
    let (out, _) = mask_with(text.as_bytes(), Format::Csv, BatchBuilder::new().selection(sel));
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "name,\"e-mail\",note\r\nJane Roe,[EMAIL],\"card 4111 1111 1111 1111, \"\"ok\"\"\"\r\n\"Roe, Jane\",[EMAIL],\"multi\nline SSN 536-22-1234\"\r\n"
    );
    let tsv = "id\tnote\n1\tSSN 536-22-1234, seen\n";
    let sel = Selection { columns: vec![Column::Index(2)], ..Selection::default() };
    let (out, _) = mask_with(tsv.as_bytes(), Format::Tsv, BatchBuilder::new().selection(sel));
    assert_eq!(String::from_utf8(out).unwrap(), "id\tnote\n1\tSSN [SSN], seen\n");
}

#[test]
fn a_value_is_scanned_with_its_key_or_column_name_as_context() {
    // Alone, these numbers say nothing: nine or twelve digits, a date-like
    // string of digits. Under their names they are identifiers, as they are
    // in the same record read as plain text.
    let line = r#"{"acct":"000123456789","routing":"021000021","mrn":"00482913","member_id":"XJH884412093","n":[{"zip":"20782"}],"note":"nothing"}"#;
    let want = r#"{"acct":"[ACCOUNT_NUMBER]","routing":"[ROUTING_NUMBER]","mrn":"[MRN]","member_id":"[HEALTH_PLAN_ID]","n":[{"zip":"[LOCATION]"}],"note":"nothing"}"#;
    assert_eq!(String::from_utf8(mask(line.as_bytes(), Format::JsonLines)).unwrap(), want);
    assert_eq!(String::from_utf8(mask(line.as_bytes(), Format::Text)).unwrap(), want, "as plain text");
    // A key with escapes is decoded; a value in an array is under the array's key.
    let line = r#"{"ac\u0063t":["000123456789"]}"#;
    assert_eq!(
        String::from_utf8(mask(line.as_bytes(), Format::JsonLines)).unwrap(),
        r#"{"ac\u0063t":["[ACCOUNT_NUMBER]"]}"#
    );
    // The name is never masked, and a value without one is scanned alone.
    let line = r#"["000123456789", {"Jane Roe": "000123456789"}]"#;
    assert_eq!(String::from_utf8(mask(line.as_bytes(), Format::JsonLines)).unwrap(), line);

    let csv = "name,acct,mrn,note\nJane Roe,000123456789,00482913,nothing\n";
    assert_eq!(
        String::from_utf8(mask(csv.as_bytes(), Format::Csv)).unwrap(),
        "name,acct,mrn,note\n[PERSON],[ACCOUNT_NUMBER],[MRN],nothing\n"
    );
    // Without a header there is no name.
    let sel = Selection { header: false, ..Selection::default() };
    let (out, _) = mask_with(b"000123456789,00482913\n", Format::Csv, BatchBuilder::new().selection(sel));
    assert_eq!(out, b"000123456789,00482913\n");

    // Scanning reports the findings at the values' places in the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    std::fs::write(&path, csv).unwrap();
    struct Spans(Vec<(u64, u64)>);
    impl cloak::batch::Events for Spans {
        fn findings(&mut self, _: &Input, found: &[cloak::batch::Located]) -> std::io::Result<()> {
            self.0.extend(found.iter().map(|f| (f.start.byte, f.end.byte)));
            Ok(())
        }
    }
    let batch = BatchBuilder::new().format(Some(Format::Csv)).build(Action::Scan(engine())).unwrap();
    let mut spans = Spans(Vec::new());
    batch.run(&[Input::file(&path, Target::Stdout)], &mut Vec::new(), &mut spans).unwrap();
    let at = |v: &str| csv.find(v).unwrap() as u64;
    let want = [(at("Jane"), at("Jane") + 8), (at("0001"), at("0001") + 12), (at("0048"), at("0048") + 8)];
    assert_eq!(spans.0, want);
}

#[test]
fn a_field_named_for_a_person_or_employer_is_masked_in_any_case() {
    // Exported records carry names in lower case and in capitals, and names
    // that are also English words ("hope", "PENNY"); the field's name says
    // what the value is. A bare "name" also names services, so there a
    // single word, or words that are all common, stay.
    let csv = "first_name,last_name,employer,name\nhope,PENNY,capitol counsel,checkout\n";
    assert_eq!(
        String::from_utf8(mask(csv.as_bytes(), Format::Csv)).unwrap(),
        "first_name,last_name,employer,name\n[PERSON],[PERSON],[ORGANIZATION],checkout\n"
    );
    let line = r#"{"patientName":"amelia pray","company":"eye see 360","service":{"name":"payments api"},"employer":"retired"}"#;
    let want = r#"{"patientName":"[PERSON]","company":"[ORGANIZATION]","service":{"name":"payments api"},"employer":"retired"}"#;
    assert_eq!(String::from_utf8(mask(line.as_bytes(), Format::JsonLines)).unwrap(), want);
    let text = "Name: ernest (bucky) wood\nEmergency contact name: wife\n";
    assert_eq!(
        String::from_utf8(mask(text.as_bytes(), Format::Text)).unwrap(),
        "Name: [PERSON]\nEmergency contact name: wife\n"
    );
}

#[test]
fn invalid_utf8_is_kept_byte_for_byte() {
    let text = b"caf\xe9 \xff SSN 536-22-1234 \xc3\x28 end\n";
    assert_eq!(mask(text, Format::Text), b"caf\xe9 \xff SSN [SSN] \xc3\x28 end\n".to_vec());
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { all.extend(files_under(&p)) } else { all.push(p) }
    }
    all.sort();
    all
}

#[test]
fn a_tree_with_compressed_binary_and_unreadable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("logs");
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    std::fs::write(root.join("a/plain.txt"), "SSN 536-22-1234\n").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"m\":\"mail jane.roe@example.org\"}\n").unwrap();
    std::fs::write(root.join("a/b/app.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(root.join("a/b/c.txt.zst"), zstd::encode_all(&b"ip 203.0.113.7\n"[..], 3).unwrap())
        .unwrap();
    std::fs::write(root.join("blob.bin"), b"ELF\0\0 SSN 536-22-1234").unwrap();
    let out = dir.path().join("out");
    let mut inputs =
        cloak::batch::expand(&[root.clone(), dir.path().join("missing.txt")], &Outputs::Dir(out.clone()))
            .unwrap();
    inputs.sort_by(|a, b| a.name.cmp(&b.name));
    let batch = BatchBuilder::new().threads(2).build(labels()).unwrap();
    let report = batch.run(&inputs, &mut Vec::new(), &mut NoEvents).unwrap();

    let got: Vec<String> =
        files_under(&out).iter().map(|p| p.strip_prefix(&out).unwrap().display().to_string()).collect();
    // A directory given as input is the root of its mirrored tree.
    assert_eq!(got, ["a/b/app.jsonl.gz", "a/b/c.txt.zst", "a/plain.txt"]);
    let mut s = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(out.join("a/b/app.jsonl.gz")).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    assert_eq!(s, "{\"m\":\"mail [EMAIL]\"}\n");
    let z = zstd::decode_all(std::fs::File::open(out.join("a/b/c.txt.zst")).unwrap()).unwrap();
    assert_eq!(z, b"ip [IP_ADDRESS]\n");
    assert_eq!(std::fs::read_to_string(out.join("a/plain.txt")).unwrap(), "SSN [SSN]\n");

    let status = |name: &str| report.files.iter().find(|f| f.path.ends_with(name)).unwrap().status;
    assert_eq!(status("blob.bin"), Status::Skipped);
    assert_eq!(status("missing.txt"), Status::Failed);
    assert_eq!((report.totals.done, report.totals.failed, report.totals.skipped), (3, 1, 1));
    let json = serde_json::to_string(&report).unwrap();
    for value in ["536-22-1234", "jane.roe", "203.0.113.7"] {
        assert!(!json.contains(value), "the report holds {value}");
    }
}

#[cfg(unix)]
#[test]
fn in_place_keeps_permissions_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    std::fs::write(&file, "email\njane@example.org\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let batch = BatchBuilder::new().build(labels()).unwrap();
    let report = batch.run(&[Input::file(&file, Target::InPlace)], &mut Vec::new(), &mut NoEvents).unwrap();
    assert_eq!(report.totals.done, 1);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "email\n[EMAIL]\n");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o640);
    assert_eq!(files_under(dir.path()), [file]);
}

#[test]
fn an_interrupted_run_leaves_nothing_under_a_final_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    let (text, _) = log(3, 3000);
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("out");
    let flag = Arc::new(AtomicBool::new(true));
    let batch = BatchBuilder::new().cancel_flag(flag).build(labels()).unwrap();
    let report = batch
        .run(&[Input::file(&input, Target::File(out.join("big.txt")))], &mut Vec::new(), &mut NoEvents)
        .unwrap();
    assert!(report.interrupted);
    assert!(!out.exists() || files_under(&out).is_empty(), "{:?}", files_under(&out));
}

/// Peak memory stays bounded on a large file with multi-megabyte lines.
/// Run by `benches/batch.sh` (about 1 GB; CLOAK_BIG_MB sets the size).
#[test]
#[ignore = "writes and masks a 1 GB file; run by benches/batch.sh"]
fn large_file_in_bounded_memory() {
    let mb: usize = std::env::var("CLOAK_BIG_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.log");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        let (block, _) = log(11, 400);
        let line = block.replace('\n', " ");
        let mut written = 0;
        let mut i = 0usize;
        while written < mb << 20 {
            // Every fourth line runs to several megabytes.
            let reps = if i % 4 == 0 { (4 << 20) / line.len() + 1 } else { 1 };
            for _ in 0..reps {
                w.write_all(line.as_bytes()).unwrap();
                written += line.len();
            }
            w.write_all(b"\n").unwrap();
            i += 1;
        }
    }
    let size = std::fs::metadata(&input).unwrap().len();
    let batch = BatchBuilder::new().build(labels()).unwrap();
    let start = std::time::Instant::now();
    let report =
        batch.run(&[Input::file(&input, Target::Discard)], &mut std::io::sink(), &mut NoEvents).unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(report.totals.done, 1);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0);
    eprintln!(
        "large file: {} MB in {secs:.1} s ({:.1} MB/s, {} threads), {} findings, peak RSS {} MB",
        size >> 20,
        size as f64 / 1e6 / secs,
        batch.threads(),
        report.totals.counts.findings,
        peak_kb >> 10
    );
    assert!(peak_kb < 600 << 10, "peak RSS {} MB", peak_kb >> 10);
}

#[test]
fn subject_field_shifts_each_subjects_dates_together() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _, _) = cloak::vault::Vault::create(&dir.path().join("vault.db"), None).unwrap();
    let mut policy = Policy::new(Transform::Label);
    policy.set_label(cloak::Label::Date, Transform::Shift { max_days: 365 });
    let masker = Masker::new(engine(), policy).with_vault(vault);
    let text = concat!(
        "{\"patient\":{\"id\":\"p-1\"},\"note\":\"admitted 2024-03-01\"}\n",
        "{\"patient\":{\"id\":\"p-2\"},\"note\":\"admitted 2024-03-01\"}\n",
        "{\"patient\":{\"id\":\"p-1\"},\"note\":\"discharged 2024-03-11\"}\n",
        "{\"note\":\"no subject: 2024-03-01\"}\n",
    );
    let sel = Selection {
        fields: vec!["note".into()],
        subject_field: Some("patient.id".into()),
        ..Selection::default()
    };
    let path = dir.path().join("visits.jsonl");
    std::fs::write(&path, text).unwrap();
    let batch =
        BatchBuilder::new().selection(sel).threads(2).chunk_bytes(1).build(Action::Mask(masker)).unwrap();
    let mut out = Vec::new();
    batch.run(&[Input::file(&path, Target::Stdout)], &mut out, &mut NoEvents).unwrap();
    let out = String::from_utf8(out).unwrap();
    let dates: Vec<i64> = out
        .lines()
        .take(3)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let note = v["note"].as_str().unwrap().to_string();
            let d = note.rsplit(' ').next().unwrap();
            let p: Vec<i64> = d.split('-').map(|x| x.parse().unwrap()).collect();
            days(p[0], p[1], p[2])
        })
        .collect();
    assert_ne!(dates[0], days(2024, 3, 1), "{out}");
    assert_eq!(dates[2] - dates[0], 10, "one subject's interval is kept: {out}");
    assert_ne!(dates[1], dates[0], "another subject moves by another offset: {out}");
    assert!(out.lines().nth(3).unwrap().contains("[DATE]"), "{out}");
    assert!(out.contains("\"id\":\"p-1\""), "the subject field itself is not scanned: {out}");
}

fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy
}
