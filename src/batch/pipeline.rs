//! The run: inputs read in order on the calling thread, cut into chunks,
//! chunks processed on a rayon pool, results written in input order.
//!
//! The calling thread reads, submits and writes. A chunk counts as in flight
//! from its submission until its result is written; at most
//! [`Batch::in_flight`] chunks are in flight, so memory stays bounded
//! whatever the input size (see `docs/batch.md` for the figure).

use std::collections::{HashMap, VecDeque};
use std::fs::Permissions;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::finding::{RuleIndex, Span};
use crate::label::Label;

use super::csv::RecordSplitter;
use super::format::{Column, Format, Selection};
use super::io::{Compression, Feed, OutFile};
use super::pos::Position;
use super::report::{FileReport, Report, Status};
use super::stitch::{Side, find_cut};
use super::text::{Limits, Splitter, Step};
use super::walk::Skip;
use super::work::{self, Action, ChunkOut, CsvPlan, Ctx, Job, JsonPlan, LongPart, Part};
use super::{DEFAULT_CHUNK_BYTES, MARGIN, MAX_RECORD_BYTES, UNIT_BYTES};

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file (or anything that opens as one).
    File(PathBuf),
}

/// Where an input's output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Standard output, uncompressed, after the outputs of earlier inputs.
    Stdout,
    /// This file, written under a temporary name and renamed when complete;
    /// compressed like the input.
    File(PathBuf),
    /// The input file itself, replaced when its output is complete.
    InPlace,
    /// Nowhere.
    Discard,
}

/// One input of a run.
#[derive(Clone, Debug)]
pub struct Input {
    /// What to read.
    pub source: Source,
    /// The name shown in findings and reports.
    pub name: String,
    /// Where the output goes.
    pub target: Target,
    /// The format, overriding the run's and the one its name suggests.
    pub format: Option<Format>,
    /// Set when the input is reported without being read.
    pub skip: Option<Skip>,
}

impl Input {
    /// An input read from `path`.
    pub fn file(path: impl Into<PathBuf>, target: Target) -> Input {
        let path = path.into();
        Input {
            name: path.display().to_string(),
            source: Source::File(path),
            target,
            format: None,
            skip: None,
        }
    }

    /// Standard input.
    pub fn stdin(target: Target) -> Input {
        Input { source: Source::Stdin, name: "-".into(), target, format: None, skip: None }
    }
}

/// A finding of a scan, located in its input.
#[derive(Clone, Debug)]
pub struct Located {
    /// The rule that found it.
    pub rule: RuleIndex,
    /// Its canonical label.
    pub label: Label,
    /// Its confidence.
    pub confidence: f32,
    /// Where it starts in the input (decompressed); for a JSON string with
    /// escapes or a quoted CSV cell, in the raw bytes.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// Its text (decoded), when asked for.
    pub value: Option<Vec<u8>>,
}

/// What a caller hears during a run, always on the calling thread.
pub trait Events {
    /// `bytes` more bytes were read from the inputs (before decompression).
    fn progress(&mut self, _bytes: u64) {}
    /// The input at `index` starts being read.
    fn started(&mut self, _index: usize, _input: &Input) {}
    /// Findings of a scan, in input order. An error stops the run.
    fn findings(&mut self, _input: &Input, _found: &[Located]) -> io::Result<()> {
        Ok(())
    }
    /// An input is finished (done, failed or skipped).
    fn finished(&mut self, _input: &Input, _report: &FileReport) {}
}

/// Events that nobody listens to.
pub struct NoEvents;

impl Events for NoEvents {}

/// Configures a [`Batch`].
#[derive(Clone, Debug)]
pub struct BatchBuilder {
    selection: Selection,
    format: Option<Format>,
    threads: usize,
    chunk_bytes: usize,
    limits: Limits,
    values: bool,
    cancel: Option<Arc<AtomicBool>>,
}

impl Default for BatchBuilder {
    fn default() -> Self {
        BatchBuilder::new()
    }
}

impl BatchBuilder {
    /// Every string value and every cell, formats told by names, all cores.
    pub fn new() -> BatchBuilder {
        BatchBuilder {
            selection: Selection::default(),
            format: None,
            threads: 0,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
            limits: Limits { unit: UNIT_BYTES, margin: MARGIN },
            values: false,
            cancel: None,
        }
    }

    /// What to scan in JSON Lines and CSV.
    pub fn selection(&mut self, selection: Selection) -> &mut BatchBuilder {
        self.selection = selection;
        self
    }

    /// Reads every input as `format` instead of telling it by its name.
    pub fn format(&mut self, format: Option<Format>) -> &mut BatchBuilder {
        self.format = format;
        self
    }

    /// Worker threads; 0 (the default) for one per core.
    pub fn threads(&mut self, n: usize) -> &mut BatchBuilder {
        self.threads = n;
        self
    }

    /// About how many bytes of input go into one chunk of work. It changes
    /// neither the findings nor the output, only memory and load balance.
    pub fn chunk_bytes(&mut self, n: usize) -> &mut BatchBuilder {
        self.chunk_bytes = n.max(1);
        self
    }

    /// The unit size and margin of plain text (fixed for reproducible
    /// outputs; smaller values make long-line handling testable on small
    /// inputs).
    #[doc(hidden)]
    pub fn unit_bytes(&mut self, unit: usize, margin: usize) -> &mut BatchBuilder {
        self.limits = Limits { unit, margin };
        self
    }

    /// Scanning: report the text of each finding.
    pub fn values(&mut self, yes: bool) -> &mut BatchBuilder {
        self.values = yes;
        self
    }

    /// Stops the run soon after `flag` is set (by a Ctrl-C handler): outputs
    /// not complete are removed, and the report says it was interrupted.
    pub fn cancel_flag(&mut self, flag: Arc<AtomicBool>) -> &mut BatchBuilder {
        self.cancel = Some(flag);
        self
    }

    /// A batch doing `action`.
    pub fn build(&self, action: Action) -> Result<Batch, Error> {
        self.selection.check()?;
        if self.limits.unit < 8 || self.limits.margin >= self.limits.unit {
            return Err(Error::config("unit size out of range"));
        }
        let threads = if self.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.threads
        };
        Ok(Batch {
            ctx: Arc::new(Ctx { action, values: self.values }),
            selection: self.selection.clone(),
            format: self.format,
            threads,
            chunk_bytes: self.chunk_bytes,
            limits: self.limits,
            cancel: self.cancel.clone(),
        })
    }
}

/// A configured batch: scans or masks many inputs on all cores.
///
/// ```
/// use cloak::batch::{Action, BatchBuilder, Input, NoEvents, Target};
/// use cloak::transforms::{Masker, Policy};
/// use cloak::{EngineBuilder, PackSet};
///
/// let dir = tempfile::tempdir().unwrap();
/// let log = dir.path().join("app.jsonl");
/// std::fs::write(&log, "{\"msg\": \"mail jane.roe@example.org\", \"n\": 1}\n").unwrap();
///
/// let engine = EngineBuilder::new().build(&PackSet::builtin()?)?;
/// let batch = BatchBuilder::new().threads(2).build(Action::Mask(Masker::new(engine, Policy::default())))?;
/// let mut out = Vec::new();
/// let report = batch.run(&[Input::file(&log, Target::Stdout)], &mut out, &mut NoEvents)?;
/// assert_eq!(out, b"{\"msg\": \"mail [EMAIL]\", \"n\": 1}\n");
/// assert_eq!(report.totals.counts.labels["EMAIL"], 1);
/// # Ok::<(), cloak::Error>(())
/// ```
#[derive(Clone)]
pub struct Batch {
    ctx: Arc<Ctx>,
    selection: Selection,
    format: Option<Format>,
    threads: usize,
    chunk_bytes: usize,
    limits: Limits,
    cancel: Option<Arc<AtomicBool>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("threads", &self.threads)
            .field("chunk_bytes", &self.chunk_bytes)
            .finish()
    }
}

impl Batch {
    /// Worker threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The most chunks in flight (submitted and not yet written).
    pub fn in_flight(&self) -> usize {
        2 * self.threads + 2
    }

    /// Processes `inputs` in order: outputs for [`Target::Stdout`] go to
    /// `stdout`. Failures of single inputs are in the report; the error is
    /// for a run that could not start.
    pub fn run(
        &self,
        inputs: &[Input],
        stdout: &mut dyn Write,
        events: &mut dyn Events,
    ) -> Result<Report, Error> {
        let started = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|i| format!("cloak-batch-{i}"))
            .build()
            .map_err(|e| Error::config(format!("cannot start worker threads: {e}")))?;
        let (tx, rx) = std::sync::mpsc::channel();
        let command = if self.ctx.masking() { "mask" } else { "scan" };
        let mut run = Run {
            batch: self,
            inputs,
            pool,
            tx,
            rx,
            order: VecDeque::new(),
            done: HashMap::new(),
            next_seq: 0,
            in_flight: 0,
            open: None,
            abort: None,
            halt: None,
            report: Report::new(command, self.threads),
            stdout,
            events,
        };
        for index in 0..inputs.len() {
            if run.halted() {
                break;
            }
            run.read_input(index);
            run.pump(false);
        }
        while run.in_flight > 0 && !run.halted() {
            run.pump(true);
        }
        run.pump(false);
        run.close(started)
    }
}

/// The writer's view of the input being written.
struct Open {
    index: usize,
    sink: Sink,
    report: FileReport,
    /// Scanning: the position reached (for long lines: at the carried
    /// piece's core start).
    pos: Position,
    carry: Option<Carry>,
    failed: bool,
}

enum Sink {
    Stdout,
    Discard,
    File(Box<OutFile>),
}

/// A long-line piece waiting for its right neighbour.
struct Carry {
    part: LongPart,
    /// Where its output not yet written starts.
    out_from: usize,
    /// The input offset from which its findings count.
    from: u64,
}

/// What the writer does next, in input order.
enum Slot {
    Start { index: usize, format: Format, compression: Compression, permissions: Option<Permissions> },
    Chunk(u64),
    End { index: usize, bytes: u64, last_byte: Option<u8> },
    Fail(usize, String),
    Skip(usize, String, Status),
}

type Done = (u64, Result<ChunkOut, Error>);

struct Run<'a> {
    batch: &'a Batch,
    inputs: &'a [Input],
    pool: rayon::ThreadPool,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    order: VecDeque<Slot>,
    done: HashMap<u64, Result<ChunkOut, Error>>,
    next_seq: u64,
    in_flight: usize,
    open: Option<Open>,
    /// The input the reader should stop reading (the writer failed it).
    abort: Option<usize>,
    /// Why the run stops early (interrupted, output closed).
    halt: Option<String>,
    report: Report,
    stdout: &'a mut dyn Write,
    events: &'a mut dyn Events,
}

/// An error message that names the file it is about.
fn describe(name: &str, e: &Error) -> String {
    if e.file().is_some() { e.to_string() } else { format!("{name}: {e}") }
}

fn io_error(name: &str, message: impl Into<String>) -> Error {
    Error::io(Path::new(name), io::Error::other(message.into()))
}

impl Run<'_> {
    fn halted(&mut self) -> bool {
        if self.halt.is_none() && self.batch.cancel.as_ref().is_some_and(|c| c.load(Ordering::SeqCst)) {
            self.halt = Some("interrupted".into());
        }
        self.halt.is_some()
    }

    fn read_input(&mut self, index: usize) {
        let input = &self.inputs[index];
        match &input.skip {
            Some(Skip::Reason(r)) => {
                return self.order.push_back(Slot::Skip(index, r.clone(), Status::Skipped));
            }
            Some(Skip::Error(e)) => {
                return self.order.push_back(Slot::Skip(index, e.clone(), Status::Failed));
            }
            None => {}
        }
        self.events.started(index, input);
        let name = &input.name;
        let (source, permissions): (Box<dyn Read>, _) = match &input.source {
            Source::Stdin => (Box::new(io::stdin().lock()), None),
            Source::File(p) => match std::fs::File::open(p) {
                Ok(f) => {
                    let perms = f.metadata().ok().map(|m| m.permissions());
                    (Box::new(f), perms)
                }
                Err(e) => return self.order.push_back(Slot::Fail(index, Error::io(p, e).to_string())),
            },
        };
        let path = match &input.source {
            Source::File(p) => p.clone(),
            Source::Stdin => PathBuf::from("<stdin>"),
        };
        let fail = |e: io::Error| Slot::Fail(index, Error::io(&path, e).to_string());
        let opened = match super::io::open(source) {
            Ok(o) => o,
            Err(e) => return self.order.push_back(fail(e)),
        };
        let mut feed = Feed::new(opened.reader);
        while feed.avail().len() < super::BINARY_SNIFF && !feed.eof() {
            if let Err(e) = feed.more(feed.offset()) {
                return self.order.push_back(fail(e));
            }
        }
        let head = &feed.avail()[..feed.avail().len().min(super::BINARY_SNIFF)];
        if memchr::memchr(0, head).is_some() {
            let why = "binary file (a NUL byte in its first 8 KiB), skipped".to_string();
            return self.order.push_back(Slot::Skip(index, why, Status::Skipped));
        }
        let format = input.format.or(self.batch.format).unwrap_or_else(|| Format::from_path(Path::new(name)));
        self.order.push_back(Slot::Start { index, format, compression: opened.compression, permissions });
        let mut chunker = Chunker::new(format, &self.batch.selection, self.batch.limits);
        let mut reported = 0;
        loop {
            let read = opened.read.get();
            self.events.progress(read - reported);
            reported = read;
            if self.halted() {
                let why = self.halt.clone().unwrap_or_default();
                return self.order.push_back(Slot::Fail(index, format!("{name}: {why}")));
            }
            if self.abort == Some(index) {
                return self.order.push_back(Slot::End { index, bytes: feed.offset(), last_byte: None });
            }
            match chunker.next(&mut feed, self.batch.chunk_bytes, name) {
                Ok(Some(job)) => self.submit(job),
                Ok(None) => {
                    let (bytes, last_byte) = (feed.offset(), feed.last_byte());
                    return self.order.push_back(Slot::End { index, bytes, last_byte });
                }
                Err(e) => return self.order.push_back(Slot::Fail(index, describe(name, &e))),
            }
        }
    }

    fn submit(&mut self, job: Job) {
        while self.in_flight >= self.batch.in_flight() && !self.halted() {
            self.pump(true);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.order.push_back(Slot::Chunk(seq));
        self.in_flight += 1;
        let tx = self.tx.clone();
        let ctx = self.batch.ctx.clone();
        self.pool.spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work::process(&ctx, job)))
                .unwrap_or_else(|_| Err(Error::config("internal error while processing a chunk")));
            let _ = tx.send((seq, r));
        });
        self.pump(false);
    }

    /// Writes what is ready, in order; with `wait`, first waits for one more
    /// result (or for the run to be interrupted).
    fn pump(&mut self, mut wait: bool) {
        loop {
            while let Ok((seq, r)) = self.rx.try_recv() {
                self.done.insert(seq, r);
                wait = false;
            }
            while let Some(slot) = self.order.front() {
                if let Slot::Chunk(seq) = slot {
                    let Some(r) = self.done.remove(seq) else { break };
                    self.order.pop_front();
                    self.in_flight -= 1;
                    self.apply_chunk(r);
                } else {
                    let slot = self.order.pop_front().expect("a front slot");
                    self.apply(slot);
                }
            }
            if !wait || self.in_flight == 0 || self.halted() {
                return;
            }
            match self.rx.recv_timeout(Duration::from_millis(100)) {
                Ok((seq, r)) => {
                    self.done.insert(seq, r);
                    wait = false;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn apply(&mut self, slot: Slot) {
        match slot {
            Slot::Start { index, format, compression, permissions } => {
                let input = &self.inputs[index];
                let mut report = FileReport::new(&input.name);
                report.format = format.as_str().into();
                report.compression = compression.as_str().into();
                let target = match (&input.target, &input.source) {
                    (Target::InPlace, Source::File(p)) => Some(p.clone()),
                    (Target::File(p), _) => Some(p.clone()),
                    _ => None,
                };
                let sink = match (&input.target, target) {
                    (_, Some(path)) => {
                        report.output = Some(path.display().to_string());
                        match OutFile::create(&path, compression, permissions) {
                            Ok(f) => Ok(Sink::File(Box::new(f))),
                            Err(e) => Err(Error::io(&path, e).to_string()),
                        }
                    }
                    (Target::Stdout, None) => Ok(Sink::Stdout),
                    _ => Ok(Sink::Discard),
                };
                let (sink, failed) = match sink {
                    Ok(s) => (s, None),
                    Err(e) => (Sink::Discard, Some(e)),
                };
                self.open =
                    Some(Open { index, sink, report, pos: Position::default(), carry: None, failed: false });
                if let Some(e) = failed {
                    self.fail(e);
                }
            }
            Slot::Chunk(_) => unreachable!("chunks are applied with their results"),
            Slot::End { index, bytes, last_byte } => {
                let Some(mut open) = self.open.take().filter(|o| o.index == index) else {
                    return;
                };
                if !open.failed {
                    open.report.bytes_in = bytes;
                    if open.report.format == "text" && bytes > 0 && last_byte.is_some_and(|b| b != b'\n') {
                        open.report.records += 1;
                    }
                    let result = match std::mem::replace(&mut open.sink, Sink::Discard) {
                        Sink::File(f) => {
                            let out = open.report.output.clone().unwrap_or_default();
                            f.finish().map_err(|e| Error::io(Path::new(&out), e).to_string())
                        }
                        Sink::Stdout => {
                            self.stdout.flush().map_err(|e| Error::io(Path::new("<stdout>"), e).to_string())
                        }
                        Sink::Discard => Ok(()),
                    };
                    if open.carry.is_some() {
                        open.failed = true;
                        open.report.error =
                            Some(format!("{}: internal error: a long line was left open", open.report.path));
                    }
                    if let Err(e) = result {
                        open.failed = true;
                        open.report.error = Some(e);
                    }
                }
                self.finish_file(open);
            }
            Slot::Fail(index, message) => {
                let open = match self.open.take() {
                    Some(o) if o.index == index => Some(o),
                    other => {
                        self.open = other;
                        None
                    }
                };
                let mut open = open.unwrap_or_else(|| Open {
                    index,
                    sink: Sink::Discard,
                    report: FileReport::new(&self.inputs[index].name),
                    pos: Position::default(),
                    carry: None,
                    failed: true,
                });
                if open.report.error.is_none() {
                    open.report.error = Some(message);
                }
                open.failed = true;
                self.finish_file(open);
            }
            Slot::Skip(index, why, status) => {
                let mut report = FileReport::new(&self.inputs[index].name);
                report.status = status;
                report.error = Some(why);
                self.events.finished(&self.inputs[index], &report);
                self.report.push(report);
            }
        }
    }

    fn finish_file(&mut self, mut open: Open) {
        if open.failed {
            // Dropping an unfinished output file removes it.
            open.sink = Sink::Discard;
            open.report.status = Status::Failed;
            open.report.bytes_out = 0;
        }
        if self.abort == Some(open.index) {
            self.abort = None;
        }
        self.events.finished(&self.inputs[open.index], &open.report);
        self.report.push(open.report);
    }

    /// Fails the open input: no output, the reader stops reading it.
    fn fail(&mut self, message: String) {
        if let Some(open) = &mut self.open {
            if !open.failed {
                open.failed = true;
                open.report.error = Some(message);
                open.sink = Sink::Discard;
                open.carry = None;
                self.abort = Some(open.index);
            }
        }
    }

    fn apply_chunk(&mut self, result: Result<ChunkOut, Error>) {
        let Some(open) = &mut self.open else { return };
        if open.failed {
            return;
        }
        let out = match result {
            Ok(out) => out,
            Err(e) => {
                let msg = describe(&open.report.path, &e);
                return self.fail(msg);
            }
        };
        open.report.records += out.records;
        open.report.malformed_records += out.malformed;
        for part in out.parts {
            let r = match part {
                Part::Done(d) => self.done_part(d),
                Part::Long(p) => self.long_part(p),
            };
            if let Err(msg) = r {
                return self.fail(msg);
            }
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let open = self.open.as_mut().expect("an open input");
        open.report.bytes_out += bytes.len() as u64;
        match &mut open.sink {
            Sink::Discard => Ok(()),
            Sink::File(f) => f.write_all(bytes).map_err(|e| {
                Error::io(Path::new(open.report.output.as_deref().unwrap_or_default()), e).to_string()
            }),
            Sink::Stdout => self.stdout.write_all(bytes).map_err(|e| {
                let msg = Error::io(Path::new("<stdout>"), e).to_string();
                self.halt = Some(format!("not processed: {msg}"));
                msg
            }),
        }
    }

    fn emit(&mut self, found: Vec<Located>) -> Result<(), String> {
        if found.is_empty() {
            return Ok(());
        }
        let open = self.open.as_ref().expect("an open input");
        self.events.findings(&self.inputs[open.index], &found).map_err(|e| {
            let msg = Error::io(Path::new("<stdout>"), e).to_string();
            self.halt = Some(format!("not processed: {msg}"));
            msg
        })
    }

    fn done_part(&mut self, d: work::Done) -> Result<(), String> {
        self.write(&d.out)?;
        let open = self.open.as_mut().expect("an open input");
        open.report.counts.merge(&d.counts);
        let base = open.pos;
        open.pos = base.then(d.tally);
        let found = d
            .found
            .into_iter()
            .map(|r| Located {
                rule: r.rule,
                label: r.label,
                confidence: r.confidence,
                start: base.then(r.start),
                end: base.then(r.end),
                value: r.value,
            })
            .collect();
        self.emit(found)
    }

    fn long_part(&mut self, p: LongPart) -> Result<(), String> {
        let masking = self.batch.ctx.masking();
        let open = self.open.as_mut().expect("an open input");
        if p.piece.first {
            open.carry = Some(Carry { out_from: 0, from: p.core.start, part: p });
            return Ok(());
        }
        let Some(prev) = open.carry.take() else {
            return Err(format!("{}: internal error: a long line piece without its start", open.report.path));
        };
        let spans = |part: &LongPart| part.findings.iter().map(|f| f.span).collect::<Vec<Span>>();
        let (ls, rs) = (spans(&prev.part), spans(&p));
        fn side<'a>(part: &'a LongPart, spans: &'a [Span], masking: bool) -> Side<'a> {
            Side {
                start: part.window_start,
                input: &part.input,
                findings: spans,
                output: masking.then_some(&part.output[..]),
            }
        }
        let reach = (self.batch.limits.margin / 2) as u64;
        let Some(cut) =
            find_cut(&side(&prev.part, &ls, masking), &side(&p, &rs, masking), p.core.start, reach)
        else {
            return Err(format!(
                "{}: no safe place to join the pieces of a long line near byte {}; not written",
                open.report.path, p.core.start
            ));
        };
        self.emit_long(&prev, cut.left, cut.at)?;
        let cur = Carry { out_from: cut.right, from: cut.at, part: p };
        if cur.part.piece.last {
            let (out_to, to) = (cur.part.output.len(), cur.part.window_start + cur.part.input.len() as u64);
            self.emit_long(&cur, out_to, to)
        } else {
            self.open.as_mut().expect("an open input").carry = Some(cur);
            Ok(())
        }
    }

    /// Writes a long-line piece's output up to `out_to` and reports its
    /// findings in `[c.from, to)`; then moves past its core.
    fn emit_long(&mut self, c: &Carry, out_to: usize, to: u64) -> Result<(), String> {
        let part = &c.part;
        if self.batch.ctx.masking() {
            self.write(&part.output[c.out_from..out_to])?;
        }
        let ctx = self.batch.ctx.clone();
        let open = self.open.as_mut().expect("an open input");
        let core_rel = (part.core.start - part.window_start) as usize;
        let core_len = (part.core.end - part.core.start) as usize;
        let mut kept = Vec::new();
        for f in &part.findings {
            let (s, e) = (part.window_start + f.span.start as u64, part.window_start + f.span.end as u64);
            if s >= c.from && e <= to {
                ctx.count(f, &mut open.report.counts);
                kept.push(f);
            }
        }
        let mut found = Vec::new();
        if !ctx.masking() {
            let from_core = &part.input[core_rel..];
            let offsets: Vec<usize> =
                kept.iter().flat_map(|f| [f.span.start - core_rel, f.span.end - core_rel]).collect();
            let pos = Position::of_offsets(from_core, &offsets);
            let base = open.pos;
            for (k, f) in kept.iter().enumerate() {
                found.push(Located {
                    rule: f.rule,
                    label: f.label,
                    confidence: f.confidence,
                    start: base.then(pos[2 * k]),
                    end: base.then(pos[2 * k + 1]),
                    value: ctx.values.then(|| part.input[f.span.range()].to_vec()),
                });
            }
            open.pos.advance(&from_core[..core_len]);
        }
        self.emit(found)
    }

    fn close(mut self, started: Instant) -> Result<Report, Error> {
        // Whatever is still open was cut short: its output is dropped.
        if let Some(mut open) = self.open.take() {
            open.failed = true;
            if open.report.error.is_none() {
                let why = self.halt.clone().unwrap_or_else(|| "interrupted".into());
                open.report.error = Some(format!("{}: {why}", open.report.path));
            }
            self.finish_file(open);
        }
        let seen = self.report.files.len();
        for input in &self.inputs[seen.min(self.inputs.len())..] {
            let mut r = FileReport::new(&input.name);
            r.status = Status::Skipped;
            r.error = Some(self.halt.clone().unwrap_or_else(|| "not processed".into()));
            self.events.finished(input, &r);
            self.report.push(r);
        }
        self.report.interrupted = self.halt.as_deref() == Some("interrupted");
        let _ = self.stdout.flush();
        self.report.elapsed_seconds = started.elapsed().as_secs_f64();
        Ok(self.report)
    }
}

/// Cuts an input into jobs, on the reading thread.
enum Chunker {
    Text(Splitter, usize),
    Json(Arc<JsonPlan>),
    Csv {
        splitter: RecordSplitter,
        plan: Option<Arc<CsvPlan>>,
        delim: u8,
        header: bool,
        columns: Vec<Column>,
    },
}

impl Chunker {
    fn new(format: Format, sel: &Selection, limits: Limits) -> Chunker {
        match format {
            Format::Text => Chunker::Text(Splitter::new(limits), limits.margin),
            Format::JsonLines => Chunker::Json(Arc::new(JsonPlan {
                fields: sel.field_paths(),
                numbers: sel.numbers,
                subject: sel.subject_path(),
            })),
            Format::Csv | Format::Tsv => {
                let delim = sel.delimiter.unwrap_or(if format == Format::Csv { b',' } else { b'\t' });
                Chunker::Csv {
                    splitter: RecordSplitter::new(delim),
                    plan: None,
                    delim,
                    header: sel.header,
                    columns: sel.columns.clone(),
                }
            }
        }
    }

    /// The next job, or `None` at the end of the input.
    fn next(&mut self, feed: &mut Feed, chunk_bytes: usize, name: &str) -> Result<Option<Job>, Error> {
        let io = |e: io::Error| Error::io(Path::new(name), e);
        match self {
            Chunker::Text(splitter, margin) => {
                let mut units = Vec::new();
                let mut bytes = 0;
                loop {
                    let at = feed.offset();
                    match splitter.next(feed.avail(), at, feed.eof()) {
                        Step::Unit(u) => {
                            let len = (u.core.end - u.core.start) as usize;
                            feed.consume(len);
                            bytes += len;
                            units.push(u);
                            if bytes >= chunk_bytes {
                                break;
                            }
                        }
                        Step::NeedMore => {
                            let keep = units
                                .first()
                                .map_or(at.saturating_sub(*margin as u64), |u: &super::text::TextUnit| {
                                    u.window.start
                                });
                            feed.more(keep).map_err(io)?;
                        }
                        Step::Done => break,
                    }
                }
                if units.is_empty() {
                    return Ok(None);
                }
                let lo = units[0].window.start;
                let hi = units.iter().map(|u| u.window.end).max().expect("a unit");
                Ok(Some(Job::Text { buf: feed.slice(lo, hi).to_vec(), base: lo, units }))
            }
            Chunker::Json(plan) => {
                let mut scanned = 0;
                let split = |data: &[u8], eof: bool| {
                    let from = scanned.min(data.len());
                    match memchr::memchr(b'\n', &data[from..]) {
                        Some(i) => {
                            scanned = 0;
                            Some(from + i + 1)
                        }
                        None => {
                            scanned = data.len();
                            (eof && !data.is_empty()).then(|| {
                                scanned = 0;
                                data.len()
                            })
                        }
                    }
                };
                let Some((buf, _)) = records(feed, chunk_bytes, split).map_err(io)? else {
                    return Ok(None);
                };
                Ok(Some(Job::Json { buf, plan: plan.clone() }))
            }
            Chunker::Csv { splitter, plan, delim, header, columns } => {
                let first = plan.is_none();
                let Some((buf, ends)) =
                    records(feed, chunk_bytes, |d, eof| splitter.next(d, eof)).map_err(io)?
                else {
                    return Ok(None);
                };
                if first {
                    let head = if *header { Some(&buf[..ends[0]]) } else { None };
                    *plan = Some(Arc::new(csv_plan(head, *delim, columns).map_err(|m| io_error(name, m))?));
                }
                let plan = plan.clone().expect("a plan");
                Ok(Some(Job::Csv { buf, ends, header: first && *header, plan }))
            }
        }
    }
}

/// Whole records from `feed`, about `chunk_bytes` of them: the bytes and
/// where each record ends. `split` gives the length of the record at the
/// start of its input, or `None` when it needs more.
fn records(
    feed: &mut Feed,
    chunk_bytes: usize,
    mut split: impl FnMut(&[u8], bool) -> Option<usize>,
) -> io::Result<Option<(Vec<u8>, Vec<usize>)>> {
    let mut ends = Vec::new();
    let mut len = 0;
    while len < chunk_bytes {
        let data = &feed.avail()[len..];
        if data.is_empty() && feed.eof() {
            break;
        }
        match split(data, feed.eof()) {
            Some(n) => {
                len += n;
                ends.push(len);
            }
            None => {
                if data.len() > MAX_RECORD_BYTES {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "a record longer than {} MiB at byte {}",
                            MAX_RECORD_BYTES >> 20,
                            feed.offset() + len as u64
                        ),
                    ));
                }
                let keep = feed.offset();
                feed.more(keep)?;
            }
        }
    }
    if ends.is_empty() {
        return Ok(None);
    }
    let buf = feed.avail()[..len].to_vec();
    feed.consume(len);
    Ok(Some((buf, ends)))
}

/// Which columns to scan and their names, from the header record (when there is one).
fn csv_plan(header: Option<&[u8]>, delim: u8, columns: &[Column]) -> Result<CsvPlan, String> {
    let names: Vec<Vec<u8>> = match header {
        Some(h) => {
            let body = super::csv::body(h);
            let mut cells = Vec::new();
            super::csv::cells(body, delim, &mut cells);
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let v = super::csv::value(body, c).bytes.into_owned();
                    if i == 0 { v.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(v) } else { v }
                })
                .collect()
        }
        None => Vec::new(),
    };
    if columns.is_empty() {
        return Ok(CsvPlan { delim, columns: None, names });
    }
    let mut wanted = Vec::new();
    for c in columns {
        let i = match c {
            Column::Index(n) => n - 1,
            Column::Name(name) => names
                .iter()
                .position(|h| h == name.as_bytes())
                .ok_or_else(|| format!("column {c} is not in the header"))?,
        };
        if wanted.len() <= i {
            wanted.resize(i + 1, false);
        }
        wanted[i] = true;
    }
    Ok(CsvPlan { delim, columns: Some(wanted), names })
}
