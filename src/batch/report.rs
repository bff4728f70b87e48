//! What a run did, per input and in total: bytes, records, findings per label,
//! transforms applied, errors. Never a value.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// Findings counted by label and by transform.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// All findings.
    pub findings: u64,
    /// Findings per canonical label.
    pub labels: BTreeMap<String, u64>,
    /// Findings per transform applied (`label`, `redact`, ...); empty when
    /// scanning.
    pub transforms: BTreeMap<String, u64>,
}

impl Counts {
    /// Counts one finding.
    pub(crate) fn add(&mut self, label: &str, transform: Option<&str>) {
        self.findings += 1;
        *self.labels.entry(label.to_string()).or_default() += 1;
        if let Some(t) = transform {
            *self.transforms.entry(t.to_string()).or_default() += 1;
        }
    }

    /// Adds `other` to these counts.
    pub fn merge(&mut self, other: &Counts) {
        self.findings += other.findings;
        for (k, v) in &other.labels {
            *self.labels.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.transforms {
            *self.transforms.entry(k.clone()).or_default() += v;
        }
    }
}

/// How an input ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Processed whole; its output (if any) is in place.
    Done,
    /// Could not be processed; it has no output.
    Failed,
    /// Not processed on purpose (a binary file, a link, an interrupted run);
    /// it has no output.
    Skipped,
}

/// One input's figures.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The input as named on the command line or found in a directory.
    pub path: String,
    /// Where its output went, for outputs written to files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The format it was read as.
    pub format: String,
    /// Its compression (`none`, `gzip`, `zstd`).
    pub compression: String,
    /// How it ended.
    pub status: Status,
    /// Why it failed or was skipped (never quoting the input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Bytes read (decompressed).
    pub bytes_in: u64,
    /// Bytes written (before compression).
    pub bytes_out: u64,
    /// Lines of text, JSON Lines records, or CSV records (the header excepted).
    pub records: u64,
    /// JSON Lines records that were not JSON, scanned whole as text.
    pub malformed_records: u64,
    /// What was found and done.
    #[serde(flatten)]
    pub counts: Counts,
}

impl FileReport {
    pub(crate) fn new(path: &str) -> FileReport {
        FileReport {
            path: path.to_string(),
            output: None,
            format: String::new(),
            compression: "none".into(),
            status: Status::Done,
            error: None,
            bytes_in: 0,
            bytes_out: 0,
            records: 0,
            malformed_records: 0,
            counts: Counts::default(),
        }
    }
}

/// Figures over all inputs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    /// Inputs seen.
    pub files: u64,
    /// Inputs processed whole.
    pub done: u64,
    /// Inputs that failed.
    pub failed: u64,
    /// Inputs skipped.
    pub skipped: u64,
    /// Bytes read (decompressed).
    pub bytes_in: u64,
    /// Bytes written (before compression).
    pub bytes_out: u64,
    /// Records (see [`FileReport::records`]).
    pub records: u64,
    /// Malformed JSON Lines records.
    pub malformed_records: u64,
    /// What was found and done.
    #[serde(flatten)]
    pub counts: Counts,
}

/// A whole run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The report format's version.
    pub version: u32,
    /// `mask` or `scan`.
    pub command: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock time of the run.
    pub elapsed_seconds: f64,
    /// Whether the run was interrupted before the end.
    pub interrupted: bool,
    /// Figures over all inputs.
    pub totals: Totals,
    /// Figures per input, in input order.
    pub files: Vec<FileReport>,
}

impl Report {
    pub(crate) fn new(command: &str, threads: usize) -> Report {
        Report {
            version: 1,
            command: command.to_string(),
            threads,
            elapsed_seconds: 0.0,
            interrupted: false,
            totals: Totals::default(),
            files: Vec::new(),
        }
    }

    /// Adds one input's figures.
    pub(crate) fn push(&mut self, f: FileReport) {
        let t = &mut self.totals;
        t.files += 1;
        match f.status {
            Status::Done => t.done += 1,
            Status::Failed => t.failed += 1,
            Status::Skipped => t.skipped += 1,
        }
        t.bytes_in += f.bytes_in;
        t.bytes_out += f.bytes_out;
        t.records += f.records;
        t.malformed_records += f.malformed_records;
        t.counts.merge(&f.counts);
        self.files.push(f);
    }

    /// A summary that fits on one screen: totals, findings per label,
    /// transforms, then up to 10 inputs with their figures, failures first.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        let rate = if self.elapsed_seconds > 0.0 { t.bytes_in as f64 / self.elapsed_seconds } else { 0.0 };
        let _ = writeln!(
            s,
            "cloak {}: {} file{} ({} done, {} failed, {} skipped), {} in, {} out, {} records, {:.1} s ({}/s, {} thread{}){}",
            self.command,
            t.files,
            plural(t.files),
            t.done,
            t.failed,
            t.skipped,
            bytes(t.bytes_in),
            bytes(t.bytes_out),
            t.records,
            self.elapsed_seconds,
            bytes(rate as u64),
            self.threads,
            plural(self.threads as u64),
            if self.interrupted { ", INTERRUPTED" } else { "" },
        );
        let _ = writeln!(s, "  findings: {}{}", t.counts.findings, list(&t.counts.labels));
        if !t.counts.transforms.is_empty() {
            let _ = writeln!(s, "  transforms: {}", items(&t.counts.transforms));
        }
        if t.malformed_records > 0 {
            let _ = writeln!(s, "  malformed JSON records scanned as text: {}", t.malformed_records);
        }
        let mut shown: Vec<&FileReport> = self.files.iter().filter(|f| f.status != Status::Done).collect();
        shown.extend(self.files.iter().filter(|f| f.status == Status::Done));
        for f in shown.iter().take(10) {
            let what = match (&f.status, &f.error) {
                (Status::Done, _) => format!("{} findings", f.counts.findings),
                (_, Some(e)) => e.clone(),
                (_, None) => String::new(),
            };
            let status = match f.status {
                Status::Done => "done",
                Status::Failed => "FAILED",
                Status::Skipped => "skipped",
            };
            let _ = writeln!(s, "  {status:<7} {}  {}  {what}", f.path, bytes(f.bytes_in));
        }
        if shown.len() > 10 {
            let _ = writeln!(s, "  ... and {} more (--report FILE lists every one)", shown.len() - 10);
        }
        s
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `NAME n, ...`, most frequent first.
fn items(m: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}

fn list(m: &BTreeMap<String, u64>) -> String {
    if m.is_empty() { String::new() } else { format!(" ({})", items(m)) }
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[u]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_summary() {
        let mut r = Report::new("mask", 2);
        let mut a = FileReport::new("a.txt");
        a.bytes_in = 1500;
        a.counts.add("EMAIL", Some("label"));
        a.counts.add("EMAIL", Some("label"));
        a.counts.add("SSN", Some("redact"));
        r.push(a);
        let mut b = FileReport::new("b.bin");
        b.status = Status::Skipped;
        b.error = Some("binary file".into());
        r.push(b);
        assert_eq!(r.totals.counts.findings, 3);
        assert_eq!(r.totals.skipped, 1);
        let s = r.summary();
        assert!(s.contains("2 files (1 done, 0 failed, 1 skipped), 1.5 KB in"), "{s}");
        assert!(s.contains("findings: 3 (EMAIL 2, SSN 1)"), "{s}");
        assert!(s.contains("transforms: label 2, redact 1\n"), "{s}");
        let first = s.lines().nth(3).unwrap();
        assert!(first.contains("skipped") && first.contains("b.bin"), "{s}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["files"][0]["labels"]["EMAIL"], 2);
        assert_eq!(json["totals"]["transforms"]["redact"], 1);
    }
}
