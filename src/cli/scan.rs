//! `cloak scan` and `cloak mask`: flags into a batch run, findings and
//! progress out, a summary and a report at the end.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cloak::batch::{
    Action, Batch, BatchBuilder, Column, Events, FileReport, Format, Input, Located, Outputs, Report,
    SarifWriter, Selection, Status, Target, expand,
};
use cloak::{Engine, Error};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::Outcome;
use super::args::{BatchArgs, FindingsFormat, MaskArgs, ScanArgs};

fn stdout_error(e: std::io::Error) -> Error {
    Error::io(Path::new("<stdout>"), e)
}

/// One line of `cloak scan` output.
#[derive(Serialize)]
struct FindingLine<'a> {
    file: &'a str,
    rule: &'a str,
    label: &'a str,
    start: u64,
    end: u64,
    char_start: u64,
    char_end: u64,
    /// 1-based line and column (in characters) of the start.
    line: u64,
    column: u64,
    confidence: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<std::borrow::Cow<'a, str>>,
}

/// Where findings go.
enum Findings<'a> {
    None,
    Lines(Box<dyn Write + 'a>),
    Sarif(SarifWriter<Box<dyn Write + 'a>>),
}

/// What the user sees during a run: a progress bar on a terminal, findings
/// on standard output, failures as they happen.
struct Ui<'a> {
    engine: &'a Engine,
    bar: Option<ProgressBar>,
    files: usize,
    files_done: usize,
    findings: Findings<'a>,
    found: u64,
}

impl Events for Ui<'_> {
    fn progress(&mut self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn findings(&mut self, input: &Input, found: &[Located]) -> std::io::Result<()> {
        self.found += found.len() as u64;
        match &mut self.findings {
            Findings::None => {}
            Findings::Lines(out) => {
                for f in found {
                    let line = FindingLine {
                        file: &input.name,
                        rule: self.engine.rule(f.rule).id(),
                        label: f.label.as_str(),
                        start: f.start.byte,
                        end: f.end.byte,
                        char_start: f.start.char,
                        char_end: f.end.char,
                        line: f.start.line + 1,
                        column: f.start.column + 1,
                        confidence: (f64::from(f.confidence) * 1000.0).round() / 1000.0,
                        value: f.value.as_deref().map(String::from_utf8_lossy),
                    };
                    serde_json::to_writer(&mut *out, &line)?;
                    out.write_all(b"\n")?;
                }
            }
            Findings::Sarif(w) => {
                for f in found {
                    w.result(self.engine, &input.name, f)?;
                }
            }
        }
        Ok(())
    }

    fn finished(&mut self, input: &Input, report: &FileReport) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}/{} files", self.files_done, self.files));
        }
        let say = |line: String| match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        };
        match (&report.status, &report.error) {
            (Status::Failed, Some(why)) => say(format!("cloak: error: {why}")),
            (Status::Skipped, Some(why)) => say(format!("cloak: {}: {why}", input.name)),
            _ => {}
        }
    }
}

fn selection(args: &BatchArgs) -> Result<Selection, Error> {
    let delimiter = match args.delimiter {
        None => None,
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => return Err(Error::config(format!("--delimiter '{c}': must be one ASCII character"))),
    };
    let columns = args.columns.iter().map(|c| c.parse::<Column>()).collect::<Result<Vec<_>, _>>()?;
    Ok(Selection {
        fields: args.fields.clone(),
        numbers: args.numbers,
        subject_field: None,
        columns,
        delimiter,
        header: !args.no_header,
    })
}

fn builder(
    args: &BatchArgs,
    cancel: &Arc<AtomicBool>,
    subject_field: Option<&str>,
) -> Result<BatchBuilder, Error> {
    let mut b = BatchBuilder::new();
    let mut sel = selection(args)?;
    sel.subject_field = subject_field.map(str::to_string);
    b.selection(sel)
        .format(args.format.as_deref().map(str::parse::<Format>).transpose()?)
        .threads(args.threads)
        .cancel_flag(cancel.clone());
    if let Some(n) = args.chunk_bytes {
        b.chunk_bytes(n);
    }
    Ok(b)
}

/// Sets a flag on Ctrl-C, so the run stops and removes its partial outputs.
fn on_interrupt() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    // A handler already set (a second run in one process) keeps working.
    let _ = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst));
    flag
}

fn progress_bar(args: &BatchArgs, inputs: &[Input]) -> Option<ProgressBar> {
    if args.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = inputs
        .iter()
        .filter_map(|i| match &i.source {
            cloak::batch::Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            cloak::batch::Source::Stdin => None,
        })
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(4));
    let style = ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} {wide_bar} {binary_bytes_per_sec} ETA {eta} {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("0/{} files", inputs.len()));
    bar.enable_steady_tick(Duration::from_millis(250));
    Some(bar)
}

/// Runs `batch` and ends the way the flags say: report file, summary, exit code.
fn finish(
    batch: &Batch,
    args: &BatchArgs,
    inputs: &[Input],
    stdout: &mut dyn Write,
    ui: &mut Ui<'_>,
    summary_wanted: bool,
) -> Result<Outcome, Error> {
    let report = batch.run(inputs, stdout, ui);
    if let Some(bar) = ui.bar.take() {
        bar.finish_and_clear();
    }
    let report = report?;
    if let Some(path) = &args.report {
        write_report(path, &report)?;
    }
    if summary_wanted && !args.quiet {
        eprint!("{}", report.summary());
    }
    Ok(outcome(&report, args.fail_on_findings))
}

fn outcome(report: &Report, fail_on_findings: bool) -> Outcome {
    if report.interrupted {
        Outcome::Interrupted
    } else if report.totals.failed > 0 {
        Outcome::InputFailed
    } else if fail_on_findings && report.totals.counts.findings > 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    }
}

fn write_report(path: &Path, report: &Report) -> Result<(), Error> {
    let mut text = serde_json::to_vec_pretty(report).map_err(|e| Error::io(path, e.into()))?;
    text.push(b'\n');
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

pub(crate) fn scan(engine: &Engine, args: &ScanArgs) -> Result<Outcome, Error> {
    let cancel = on_interrupt();
    let mut b = builder(&args.batch, &cancel, None)?;
    b.values(args.show_values);
    let batch = b.build(Action::Scan(engine.clone()))?;
    let inputs = expand(&args.files, &Outputs::Discard)?;
    let stdout = std::io::stdout();
    let out: Box<dyn Write> = Box::new(std::io::BufWriter::new(stdout.lock()));
    let findings = match args.output_format {
        FindingsFormat::Jsonl => Findings::Lines(out),
        FindingsFormat::Sarif => Findings::Sarif(SarifWriter::new(out).map_err(stdout_error)?),
    };
    let bar = progress_bar(&args.batch, &inputs);
    let mut ui = Ui { engine, bar, files: inputs.len(), files_done: 0, findings, found: 0 };
    let summary = std::io::stderr().is_terminal();
    let outcome = finish(&batch, &args.batch, &inputs, &mut std::io::sink(), &mut ui, summary)?;
    match std::mem::replace(&mut ui.findings, Findings::None) {
        Findings::Lines(mut out) => out.flush().map_err(stdout_error)?,
        Findings::Sarif(w) => {
            w.finish(engine).map_err(stdout_error)?;
        }
        Findings::None => {}
    }
    Ok(outcome)
}

pub(crate) fn mask(engine: Engine, args: &MaskArgs) -> Result<Outcome, Error> {
    let cancel = on_interrupt();
    let outputs = match (&args.output, args.in_place) {
        (Some(dir), _) => Outputs::Dir(dir.clone()),
        (None, true) => Outputs::InPlace,
        (None, false) => Outputs::Stdout,
    };
    let inputs = expand(&args.files, &outputs)?;
    let masker = super::vault::masker_for(engine.clone(), args)?;
    let batch = builder(&args.batch, &cancel, args.subject_field.as_deref())?.build(Action::Mask(masker))?;
    let bar = progress_bar(&args.batch, &inputs);
    let mut ui =
        Ui { engine: &engine, bar, files: inputs.len(), files_done: 0, findings: Findings::None, found: 0 };
    // A summary when outputs go to files, or when someone watches.
    let summary = outputs != Outputs::Stdout || std::io::stderr().is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let outcome = finish(&batch, &args.batch, &inputs, &mut out, &mut ui, summary)?;
    out.flush().map_err(stdout_error)?;
    debug_assert!(inputs.iter().all(|i| i.target != Target::Discard));
    Ok(outcome)
}
