//! What a worker thread does with one chunk: cut it into units, scan or mask
//! them in one call, and put the output together.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use crate::detection::Engine;
use crate::error::Error;
use crate::finding::{Finding, RuleIndex};
use crate::label::Label;
use crate::transforms::{self, Masked, Masker};

use super::pos::Position;
use super::report::Counts;
use super::text::{Piece, TextUnit};
use super::value::Value;
use super::{csv, jsonl};

/// What a batch does to each unit.
// One per run, so its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Action {
    /// Replace findings per the masker's policy; outputs are written.
    Mask(Masker),
    /// Report findings; nothing is written but findings.
    Scan(Engine),
}

/// Shared by all workers of a run.
pub(crate) struct Ctx {
    pub action: Action,
    /// Scanning: report each finding's text too.
    pub values: bool,
}

impl Ctx {
    pub(crate) fn masking(&self) -> bool {
        matches!(self.action, Action::Mask(_))
    }

    /// Scans (and masks) each piece on its own.
    fn run(&self, pieces: &[&[u8]]) -> Result<Vec<Masked>, Error> {
        self.run_with(pieces, &[], &[])
    }

    /// Like `run`, piece `i` belonging to `subjects[i]` and found under the
    /// name `fields[i]` (its context) where given.
    fn run_with(
        &self,
        pieces: &[&[u8]],
        subjects: &[Option<String>],
        fields: &[Cow<'_, [u8]>],
    ) -> Result<Vec<Masked>, Error> {
        let field = |i: usize| fields.get(i).map(|f| &f[..]).filter(|f| !f.is_empty());
        match &self.action {
            Action::Mask(m) if !subjects.is_empty() || !fields.is_empty() => {
                let pieces: Vec<transforms::Piece<'_>> = pieces
                    .iter()
                    .enumerate()
                    .map(|(i, &text)| transforms::Piece {
                        text,
                        subject: subjects.get(i).and_then(Option::as_deref),
                        field: field(i),
                    })
                    .collect();
                m.mask_batch_with(&pieces)
            }
            Action::Mask(m) => m.mask_batch(pieces),
            Action::Scan(e) => Ok(pieces
                .iter()
                .enumerate()
                .map(|(i, p)| Masked {
                    bytes: Vec::new(),
                    findings: e.scan_field(field(i).unwrap_or_default(), p),
                })
                .collect()),
        }
    }

    /// Counts a finding, with the transform the policy gives it.
    pub(crate) fn count(&self, f: &Finding, counts: &mut Counts) {
        match &self.action {
            Action::Mask(m) => {
                let t = m.policy().transform_for(m.engine().rule(f.rule).id(), f.label);
                counts.add(f.label.as_str(), Some(&t.to_string()));
            }
            Action::Scan(_) => counts.add(f.label.as_str(), None),
        }
    }
}

/// A chunk of one input: whole units, in input order.
pub(crate) enum Job {
    Text { buf: Vec<u8>, base: u64, units: Vec<TextUnit> },
    Json { buf: Vec<u8>, plan: Arc<JsonPlan> },
    Csv { buf: Vec<u8>, ends: Vec<usize>, header: bool, plan: Arc<CsvPlan> },
}

/// What to scan in JSON Lines records.
pub(crate) struct JsonPlan {
    pub fields: Vec<Vec<Vec<u8>>>,
    pub numbers: bool,
    /// The path of the field naming each record's subject.
    pub subject: Option<Vec<Vec<u8>>>,
}

/// What to scan in CSV records.
pub(crate) struct CsvPlan {
    pub delim: u8,
    /// Which columns (0-based); `None` for all.
    pub columns: Option<Vec<bool>>,
    /// The header's names of the columns (none without a header): each
    /// cell is scanned with its column's name as context.
    pub names: Vec<Vec<u8>>,
}

impl CsvPlan {
    fn wants(&self, col: usize) -> bool {
        self.columns.as_ref().is_none_or(|c| c.get(col).copied().unwrap_or(false))
    }
}

/// A finding located relative to the start of its [`Done`] part.
#[derive(Debug)]
pub(crate) struct RelFound {
    pub rule: RuleIndex,
    pub label: Label,
    pub confidence: f32,
    pub start: Position,
    pub end: Position,
    pub value: Option<Vec<u8>>,
}

/// Output for a run of input bytes that needs nothing from its neighbours.
#[derive(Debug, Default)]
pub(crate) struct Done {
    pub out: Vec<u8>,
    pub counts: Counts,
    pub found: Vec<RelFound>,
    /// How far the input bytes move a position (scanning only).
    pub tally: Position,
}

/// A piece of a long line, joined to its neighbours by the writer.
#[derive(Debug)]
pub(crate) struct LongPart {
    pub window_start: u64,
    pub core: Range<u64>,
    pub piece: Piece,
    pub input: Vec<u8>,
    pub output: Vec<u8>,
    pub findings: Vec<Finding>,
}

pub(crate) enum Part {
    Done(Done),
    Long(LongPart),
}

/// The result of a chunk.
pub(crate) struct ChunkOut {
    pub parts: Vec<Part>,
    pub records: u64,
    pub malformed: u64,
}

pub(crate) fn process(ctx: &Ctx, job: Job) -> Result<ChunkOut, Error> {
    match job {
        Job::Text { buf, base, units } => text(ctx, &buf, base, &units),
        Job::Json { buf, plan } => json(ctx, &buf, &plan),
        Job::Csv { buf, ends, header, plan } => csv(ctx, &buf, &ends, header, &plan),
    }
}

/// Locates `findings` of values (offsets into `raw` through each value's
/// escapes) relative to the start of `raw`.
fn locate<'v>(
    ctx: &Ctx,
    raw: &[u8],
    found: impl Iterator<Item = (&'v Value<'v>, &'v Finding)>,
    out: &mut Vec<RelFound>,
) {
    let found: Vec<(&Value, &Finding)> = found.collect();
    let offsets: Vec<usize> = found
        .iter()
        .flat_map(|(v, f)| [v.raw_offset(f.span.start, false), v.raw_offset(f.span.end, true)])
        .collect();
    let pos = Position::of_offsets(raw, &offsets);
    for (k, (v, f)) in found.iter().enumerate() {
        out.push(RelFound {
            rule: f.rule,
            label: f.label,
            confidence: f.confidence,
            start: pos[2 * k],
            end: pos[2 * k + 1],
            value: ctx.values.then(|| v.bytes[f.span.range()].to_vec()),
        });
    }
}

fn text(ctx: &Ctx, buf: &[u8], base: u64, units: &[TextUnit]) -> Result<ChunkOut, Error> {
    let rel = |r: &Range<u64>| (r.start - base) as usize..(r.end - base) as usize;
    let pieces: Vec<&[u8]> = units.iter().map(|u| &buf[rel(&u.window)]).collect();
    let results = ctx.run(&pieces)?;
    let records = units.iter().map(|u| memchr::memchr_iter(b'\n', &buf[rel(&u.core)]).count() as u64).sum();
    let mut parts = Vec::new();
    // The current run of whole units: its input range in `buf` and findings.
    type Whole<'a> = (Range<usize>, Done, Vec<Value<'a>>, Vec<Finding>);
    let mut run: Option<Whole<'_>> = None;
    let flush = |run: &mut Option<Whole<'_>>, parts: &mut Vec<Part>| {
        if let Some((range, mut done, values, found)) = run.take() {
            if !ctx.masking() {
                let raw = &buf[range];
                locate(ctx, raw, values.iter().zip(&found), &mut done.found);
                done.tally.advance(raw);
            }
            parts.push(Part::Done(done));
        }
    };
    for ((u, m), piece) in units.iter().zip(results).zip(&pieces) {
        match u.piece {
            Some(p) => {
                flush(&mut run, &mut parts);
                parts.push(Part::Long(LongPart {
                    window_start: u.window.start,
                    core: u.core.clone(),
                    piece: p,
                    input: piece.to_vec(),
                    output: m.bytes,
                    findings: m.findings,
                }));
            }
            None => {
                let core = rel(&u.core);
                let (range, done, values, found) = run
                    .get_or_insert_with(|| (core.start..core.start, Done::default(), Vec::new(), Vec::new()));
                let offset = core.start - range.start;
                range.end = core.end;
                done.out.extend_from_slice(&m.bytes);
                for f in &m.findings {
                    ctx.count(f, &mut done.counts);
                }
                if !ctx.masking() && !m.findings.is_empty() {
                    // One value per finding keeps `locate` simple.
                    for f in m.findings {
                        values.push(Value::plain(piece, offset));
                        found.push(f);
                    }
                }
            }
        }
    }
    flush(&mut run, &mut parts);
    Ok(ChunkOut { parts, records, malformed: 0 })
}

/// A value's place in the chunk, and how to write it back.
enum Kind {
    Str,
    Number,
    /// A malformed JSON line, scanned whole.
    Line,
    /// A CSV cell; whether it was quoted.
    Cell(bool),
}

/// Scans or masks `values` (whose raw bytes are `raws` in `buf`, each found
/// under the name in `fields`, its context) and puts the chunk back together.
fn finish(
    ctx: &Ctx,
    buf: &[u8],
    raws: &[(Range<usize>, Kind)],
    values: &[Value],
    subjects: &[Option<String>],
    fields: &[Cow<'_, [u8]>],
    delim: u8,
) -> Result<Done, Error> {
    let pieces: Vec<&[u8]> = values.iter().map(|v| &v.bytes[..]).collect();
    let results = ctx.run_with(&pieces, subjects, fields)?;
    let mut done = Done::default();
    if ctx.masking() {
        done.out.reserve(buf.len() + buf.len() / 8);
        let mut at = 0;
        for (((raw, kind), v), m) in raws.iter().zip(values).zip(&results) {
            done.out.extend_from_slice(&buf[at..raw.start]);
            if m.bytes == *v.bytes {
                done.out.extend_from_slice(&buf[raw.clone()]);
            } else {
                match kind {
                    Kind::Str => jsonl::escape_into(&m.bytes, &mut done.out),
                    Kind::Number => {
                        done.out.push(b'"');
                        jsonl::escape_into(&m.bytes, &mut done.out);
                        done.out.push(b'"');
                    }
                    Kind::Line => done.out.extend_from_slice(&m.bytes),
                    Kind::Cell(quoted) => csv::write_cell(&m.bytes, *quoted, delim, &mut done.out),
                }
            }
            at = raw.end;
        }
        done.out.extend_from_slice(&buf[at..]);
    }
    for m in &results {
        for f in &m.findings {
            ctx.count(f, &mut done.counts);
        }
    }
    if !ctx.masking() {
        let found = values.iter().zip(&results).flat_map(|(v, m)| m.findings.iter().map(move |f| (v, f)));
        locate(ctx, buf, found, &mut done.found);
        done.tally.advance(buf);
    }
    Ok(done)
}

/// The lines of `buf`, each with its line break.
fn lines(buf: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= buf.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i + 1);
        let r = at..end;
        at = end;
        Some(r)
    })
}

fn json(ctx: &Ctx, buf: &[u8], plan: &JsonPlan) -> Result<ChunkOut, Error> {
    let mut raws = Vec::new();
    let mut values = Vec::new();
    let (mut records, mut malformed) = (0, 0);
    let mut found = Vec::new();
    let mut subjects: Vec<Option<String>> = Vec::new();
    let mut fields: Vec<Cow<'_, [u8]>> = Vec::new();
    let mut subject_found = Vec::new();
    for line in lines(buf) {
        let body_end = if buf[line.end - 1] == b'\n' { line.end - 1 } else { line.end };
        let body = &buf[line.start..body_end];
        if body.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        records += 1;
        found.clear();
        let subject = plan.subject.as_ref().and_then(|path| {
            subject_found.clear();
            jsonl::find_values(body, std::slice::from_ref(path), true, &mut subject_found).ok()?;
            let first = subject_found.iter().find(|f| !f.raw.is_empty())?;
            let v = jsonl::value(body, first).ok()?;
            Some(String::from_utf8_lossy(&v.bytes).into_owned())
        });
        let before = values.len();
        let parsed = jsonl::find_values(body, &plan.fields, plan.numbers, &mut found).and_then(|()| {
            found
                .iter()
                .filter(|f| !f.raw.is_empty())
                .map(|f| Ok((f, jsonl::value(body, f)?)))
                .collect::<Result<Vec<_>, _>>()
        });
        match parsed {
            Ok(vals) => {
                for (f, mut v) in vals {
                    v.raw_start += line.start;
                    let kind = if f.number { Kind::Number } else { Kind::Str };
                    raws.push((line.start + f.raw.start..line.start + f.raw.end, kind));
                    values.push(v);
                    fields.push(jsonl::key_name(body, f));
                }
            }
            Err(jsonl::Malformed) => {
                malformed += 1;
                raws.push((line.start..body_end, Kind::Line));
                values.push(Value::plain(body, line.start));
                fields.push(Cow::Borrowed(&[]));
            }
        }
        if plan.subject.is_some() {
            subjects.resize(before, None);
            subjects.resize(values.len(), subject);
        }
    }
    let done = finish(ctx, buf, &raws, &values, &subjects, &fields, b',')?;
    Ok(ChunkOut { parts: vec![Part::Done(done)], records, malformed })
}

fn csv(ctx: &Ctx, buf: &[u8], ends: &[usize], header: bool, plan: &CsvPlan) -> Result<ChunkOut, Error> {
    let mut raws = Vec::new();
    let mut values = Vec::new();
    let mut fields: Vec<Cow<'_, [u8]>> = Vec::new();
    let mut records = 0;
    let mut cells = Vec::new();
    let mut start = 0;
    for (k, &end) in ends.iter().enumerate() {
        let rec = start..end;
        start = end;
        if k == 0 && header {
            continue;
        }
        records += 1;
        let body = csv::body(&buf[rec.clone()]);
        csv::cells(body, plan.delim, &mut cells);
        for (col, cell) in cells.iter().enumerate() {
            if cell.is_empty() || !plan.wants(col) {
                continue;
            }
            let mut v = csv::value(body, cell);
            if v.bytes.is_empty() {
                continue;
            }
            v.raw_start += rec.start;
            let quoted = body[cell.start] == b'"';
            raws.push((rec.start + cell.start..rec.start + cell.end, Kind::Cell(quoted)));
            values.push(v);
            fields.push(Cow::Borrowed(plan.names.get(col).map_or(&[][..], |n| &n[..])));
        }
    }
    let done = finish(ctx, buf, &raws, &values, &[], &fields, plan.delim)?;
    Ok(ChunkOut { parts: vec![Part::Done(done)], records, malformed: 0 })
}
