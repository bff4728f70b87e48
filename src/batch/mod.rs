//! Batch scrubbing: many inputs (files, directories, globs, standard input) in
//! plain text, JSON Lines or CSV, scanned or masked on all cores, written in
//! input order, with a report of what was found (never the values).
//!
//! # Units, chunks and memory
//! An input is cut into *units*, each scanned on its own; the cuts depend only
//! on the input's bytes, so the output is the same whatever the thread count
//! or the chunk size:
//! - plain text: a block of lines ending after a run of blank lines, at most
//!   [`UNIT_BYTES`]; a longer block ends after its last line break within that
//!   size; a longer line is cut into pieces at whitespace, each scanned with up
//!   to [`MARGIN`] bytes of the line on each side (see `stitch` for how the
//!   pieces are joined without losing or cutting an identifier);
//! - JSON Lines: each selected string value (decoded), the rest of the record
//!   copied byte for byte; a line that is not JSON is scanned whole as text;
//! - CSV/TSV: each selected cell (unquoted), the header row kept as it is.
//!
//! Units are grouped into *chunks* of about `chunk_bytes` (whole records),
//! processed on a rayon pool and written in order. At most
//! [`Batch::in_flight`] chunks (2 per thread, plus 2) are held at once, each
//! holding its input, its decoded values and its output: memory is about
//! `in_flight × 3 × max(chunk_bytes, longest record)` plus the reader's
//! buffer, whatever the size of the input. Plain text has no "longest record"
//! term: its units are at most [`UNIT_BYTES`] however long the lines.
//!
//! # Outputs
//! An output file is written under a temporary name in its final directory,
//! flushed to disk and renamed only when complete, with the input's
//! permissions; an input that fails or a run that is interrupted leaves
//! nothing under a final name. Masked outputs are compressed like their
//! inputs (gzip, zstd; told by the first bytes), except on standard output.
//! Binary inputs (a NUL byte in the first 8 KiB) are skipped, never copied.

mod csv;
mod format;
mod io;
mod jsonl;
mod pipeline;
mod pos;
mod report;
mod sarif;
mod stitch;
mod text;
mod value;
mod walk;
mod work;

pub use self::format::{Column, Format, Selection};
pub use self::io::Compression;
pub use self::pipeline::{Batch, BatchBuilder, Events, Input, Located, NoEvents, Source, Target};
pub use self::pos::Position;
pub use self::report::{Counts, FileReport, Report, Status, Totals};
pub use self::sarif::SarifWriter;
pub use self::walk::{Outputs, Skip, expand};
pub use self::work::Action;

/// The most bytes in a plain-text unit.
pub const UNIT_BYTES: usize = 64 << 10;

/// The context scanned on each side of a piece of a long line.
pub const MARGIN: usize = 1 << 10;

/// The default size of a chunk of work.
pub const DEFAULT_CHUNK_BYTES: usize = 1 << 20;

/// The longest JSON Lines or CSV record accepted; a longer one fails its input.
pub const MAX_RECORD_BYTES: usize = 256 << 20;

/// How much of an input's start is looked at for NUL bytes.
const BINARY_SNIFF: usize = 8 << 10;
