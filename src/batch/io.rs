//! Reading inputs (plain, gzip or zstd, told by their first bytes) and
//! writing outputs to a temporary file that takes the final name only once
//! complete.

use std::cell::Cell;
use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tempfile::TempPath;

/// How an input is compressed; its output is compressed the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`), possibly several members.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// Told by the first bytes of the stream.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// Counts the bytes read through it (before decompression), for progress.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Bytes put back in front of a reader (the ones read to tell its compression).
struct Prefixed<R> {
    head: Vec<u8>,
    at: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.head.len() {
            let n = (self.head.len() - self.at).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// An opened input: the decompressed bytes, the compression, and a counter
/// of the bytes read from the source.
pub(crate) struct Opened {
    pub reader: Box<dyn Read>,
    pub compression: Compression,
    pub read: Rc<Cell<u64>>,
}

/// Opens `source` (already a byte stream), telling its compression.
pub(crate) fn open(source: Box<dyn Read>) -> io::Result<Opened> {
    let read = Rc::new(Cell::new(0));
    let mut counted = Counting { inner: source, count: read.clone() };
    let mut head = Vec::with_capacity(4);
    while head.len() < 4 {
        let mut b = [0u8; 4];
        let n = match counted.read(&mut b[..4 - head.len()]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        head.extend_from_slice(&b[..n]);
    }
    let compression = Compression::sniff(&head);
    let raw = Prefixed { head, at: 0, inner: counted };
    let reader: Box<dyn Read> = match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => {
            Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 16, raw)))
        }
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(raw)?),
    };
    Ok(Opened { reader, compression, read })
}

/// The unread part of an input, read in blocks.
pub(crate) struct Feed {
    src: Box<dyn Read>,
    buf: Vec<u8>,
    /// Where the unconsumed bytes start in `buf`.
    pos: usize,
    /// The input offset of `buf[0]`.
    base: u64,
    eof: bool,
    block: usize,
    last_byte: Option<u8>,
}

impl Feed {
    pub(crate) fn new(src: Box<dyn Read>) -> Feed {
        Feed { src, buf: Vec::new(), pos: 0, base: 0, eof: false, block: 256 << 10, last_byte: None }
    }

    /// The bytes read and not consumed.
    pub(crate) fn avail(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// The input offset of the first unconsumed byte.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The bytes of input offsets `range` (still held).
    pub(crate) fn slice(&self, start: u64, end: u64) -> &[u8] {
        &self.buf[(start - self.base) as usize..(end - self.base) as usize]
    }

    pub(crate) fn eof(&self) -> bool {
        self.eof
    }

    /// The last byte of the input, once all of it was read.
    pub(crate) fn last_byte(&self) -> Option<u8> {
        self.last_byte
    }

    pub(crate) fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.buf.len() - self.pos);
        self.pos += n;
    }

    /// Reads more (as much again as is held, at least a block), dropping
    /// what comes before input offset `keep` (at most the current offset).
    pub(crate) fn more(&mut self, keep: u64) -> io::Result<()> {
        let keep = keep.clamp(self.base, self.offset());
        let drop = (keep - self.base) as usize;
        if drop > 0 {
            self.buf.drain(..drop);
            self.pos -= drop;
            self.base = keep;
        }
        let want = self.block.max(self.buf.len() - self.pos);
        let old = self.buf.len();
        self.buf.resize(old + want, 0);
        let mut got = 0;
        while got < want {
            match self.src.read(&mut self.buf[old + got..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old + got);
                    return Err(e);
                }
            }
        }
        self.buf.truncate(old + got);
        if let Some(&b) = self.buf.last() {
            self.last_byte = Some(b);
        }
        Ok(())
    }
}

enum Encoder {
    Plain(BufWriter<File>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

/// An output file being written under a temporary name in its final
/// directory. Dropped without [`finish`](Self::finish), it is deleted.
pub(crate) struct OutFile {
    encoder: Encoder,
    temp: TempPath,
    path: PathBuf,
    permissions: Option<Permissions>,
}

impl OutFile {
    /// Starts writing what will be `path`, compressed with `compression`, with
    /// `permissions` (the input's) once complete.
    pub(crate) fn create(
        path: &Path,
        compression: Compression,
        permissions: Option<Permissions>,
    ) -> io::Result<OutFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp =
            tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".cloak-tmp").tempfile_in(dir)?;
        let (file, temp) = temp.into_parts();
        let w = BufWriter::with_capacity(1 << 16, file);
        let encoder = match compression {
            Compression::None => Encoder::Plain(w),
            Compression::Gzip => {
                Encoder::Gzip(flate2::write::GzEncoder::new(w, flate2::Compression::default()))
            }
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(w, 3)?),
        };
        Ok(OutFile { encoder, temp, path: path.to_path_buf(), permissions })
    }

    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.encoder {
            Encoder::Plain(w) => w.write_all(bytes),
            Encoder::Gzip(w) => w.write_all(bytes),
            Encoder::Zstd(w) => w.write_all(bytes),
        }
    }

    /// Completes the file: flushes it to disk, gives it its permissions and
    /// renames it to its final name.
    pub(crate) fn finish(self) -> io::Result<()> {
        let w = match self.encoder {
            Encoder::Plain(w) => w,
            Encoder::Gzip(w) => w.finish()?,
            Encoder::Zstd(w) => w.finish()?,
        };
        let file = w.into_inner().map_err(|e| e.into_error())?;
        if let Some(p) = self.permissions {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        drop(file);
        self.temp.persist(&self.path).map_err(|e| e.error)?;
        // Make the rename itself durable.
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: Vec<u8>) -> (Vec<u8>, Compression) {
        let mut o = open(Box::new(io::Cursor::new(bytes))).unwrap();
        let mut out = Vec::new();
        o.reader.read_to_end(&mut out).unwrap();
        (out, o.compression)
    }

    #[test]
    fn compressed_and_plain_inputs_read_the_same() {
        let text = b"line one\nline two\n".repeat(100);
        assert_eq!(read_all(text.clone()), (text.clone(), Compression::None));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let mut two = gz.finish().unwrap();
        two.extend_from_within(..);
        let mut twice = text.clone();
        twice.extend_from_slice(&text);
        assert_eq!(read_all(two), (twice, Compression::Gzip));
        let zst = zstd::encode_all(&text[..], 1).unwrap();
        assert_eq!(read_all(zst), (text, Compression::Zstd));
        assert_eq!(read_all(b"ab".to_vec()), (b"ab".to_vec(), Compression::None));
    }

    #[test]
    fn output_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt.gz");
        let mut f = OutFile::create(&path, Compression::Gzip, None).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!path.exists());
        f.finish().unwrap();
        let (back, c) = read_all(std::fs::read(&path).unwrap());
        assert_eq!((back.as_slice(), c), (&b"hello"[..], Compression::Gzip));
        let other = dir.path().join("sub/dropped.txt");
        let mut f = OutFile::create(&other, Compression::None, None).unwrap();
        f.write_all(b"partial").unwrap();
        drop(f);
        assert!(!other.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
    }
}
