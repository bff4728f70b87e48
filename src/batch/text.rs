//! Plain text: how a stream is cut into units.
//!
//! A unit is a block of lines ending after a run of blank lines, at most
//! `unit` bytes long. A longer block ends after its last line break within
//! `unit` bytes. A line longer than `unit` bytes is cut into pieces: each at
//! most `unit` bytes, ending after the last whitespace byte of its second half
//! (or, when that half has none, at `unit` bytes moved back to a UTF-8
//! character start). Each piece is scanned with up to `margin` bytes of the
//! same line on each side (its window), so that an identifier across a cut is
//! still seen whole; [`super::stitch`] decides which window's findings count.
//!
//! The cuts depend only on the bytes, never on how much was read at a time.

use std::ops::Range;

/// Sizes that define the units; fixed for a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The most bytes in a unit (a piece's core, for long lines).
    pub unit: usize,
    /// The context scanned on each side of a long line's piece.
    pub margin: usize,
}

/// One unit, in input offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TextUnit {
    /// The bytes this unit stands for in the output.
    pub core: Range<u64>,
    /// The bytes scanned: the core, and for long-line pieces the margins.
    pub window: Range<u64>,
    /// Set for the pieces of a line longer than the unit limit.
    pub piece: Option<Piece>,
}

/// Where a piece lies in its long line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The line's first piece (no left margin).
    pub first: bool,
    /// The line's last piece (ends at the line's end).
    pub last: bool,
}

/// What the splitter needs next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The next unit; the caller moves on to `core.end`.
    Unit(TextUnit),
    /// More input is needed to decide.
    NeedMore,
    /// The input is used up.
    Done,
}

/// Whitespace at which a long line may be cut, and of which blank lines are made.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Cuts text into units; keeps the state of a long line between calls.
#[derive(Debug)]
pub(crate) struct Splitter {
    limits: Limits,
    /// The start of the long line being cut, while in one.
    long_line: Option<u64>,
}

impl Splitter {
    pub(crate) fn new(limits: Limits) -> Splitter {
        assert!(limits.unit >= 8 && limits.margin < limits.unit, "unit limits out of range");
        Splitter { limits, long_line: None }
    }

    /// The unit starting at input offset `at`; `data` holds the input from `at`
    /// on as far as it was read, and `eof` tells whether that is all of it.
    /// A long-line piece's window reaches `margin` bytes before `at`: the
    /// caller keeps them.
    pub(crate) fn next(&mut self, data: &[u8], at: u64, eof: bool) -> Step {
        if let Some(line_start) = self.long_line {
            return self.piece(data, at, line_start, eof);
        }
        if data.is_empty() {
            return if eof { Step::Done } else { Step::NeedMore };
        }
        let limit = self.limits.unit;
        let whole = |end: usize| {
            let r = at..at + end as u64;
            Step::Unit(TextUnit { core: r.clone(), window: r, piece: None })
        };
        let mut p = 0;
        let mut seen_blank = false;
        loop {
            let (end, content) = match memchr::memchr(b'\n', &data[p..]) {
                Some(i) => (p + i + 1, p + i),
                None if !eof => {
                    // The line goes on past what was read.
                    if data.len() <= limit {
                        return Step::NeedMore;
                    }
                    (data.len() + 1, data.len())
                }
                None if p == data.len() => return whole(p),
                None => (data.len(), data.len()),
            };
            let blank = data[p..content].iter().all(|&b| is_space(b));
            if seen_blank && !blank {
                return whole(p);
            }
            if end > limit {
                if p == 0 {
                    self.long_line = Some(at);
                    return self.piece(data, at, at, eof);
                }
                return whole(p);
            }
            seen_blank |= blank;
            p = end;
            if p == data.len() {
                if eof {
                    return whole(p);
                }
                // Blank lines may follow; the unit may not end here yet.
                if data.len() < limit {
                    return Step::NeedMore;
                }
            }
        }
    }

    /// The piece of the long line starting at `line_start` that begins at `at`.
    fn piece(&mut self, data: &[u8], at: u64, line_start: u64, eof: bool) -> Step {
        let Limits { unit, margin } = self.limits;
        let first = at == line_start;
        let left = at.saturating_sub(margin as u64).max(line_start);
        let head = &data[..data.len().min(unit)];
        let last_end = match memchr::memchr(b'\n', head) {
            Some(i) => Some(i + 1),
            None if eof && data.len() <= unit => Some(data.len()),
            None => None,
        };
        if let Some(end) = last_end {
            self.long_line = None;
            let end = at + end as u64;
            return Step::Unit(TextUnit {
                core: at..end,
                window: left..end,
                piece: Some(Piece { first, last: true }),
            });
        }
        if data.len() < unit + margin && !eof {
            return Step::NeedMore;
        }
        let cut = match data[unit / 2..unit].iter().rposition(|&b| is_space(b)) {
            Some(i) => unit / 2 + i + 1,
            None => {
                let mut c = unit;
                while c > unit - 3 && is_continuation(data[c]) {
                    c -= 1;
                }
                c
            }
        };
        let tail = &data[cut..data.len().min(cut + margin)];
        let right = match memchr::memchr(b'\n', tail) {
            Some(i) => cut + i + 1,
            None => cut + tail.len(),
        };
        Step::Unit(TextUnit {
            core: at..at + cut as u64,
            window: left..at + right as u64,
            piece: Some(Piece { first, last: false }),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Splits `text` feeding it `step` bytes at a time, the way a reader does.
    pub(crate) fn split(text: &[u8], limits: Limits, step: usize) -> Vec<TextUnit> {
        let mut s = Splitter::new(limits);
        let mut units = Vec::new();
        let mut at = 0usize;
        let mut have = step.min(text.len());
        loop {
            let eof = have == text.len();
            match s.next(&text[at..have], at as u64, eof) {
                Step::Unit(u) => {
                    assert!(u.window.end as usize <= have, "window past what was read");
                    at = u.core.end as usize;
                    units.push(u);
                }
                Step::NeedMore => {
                    assert!(!eof);
                    have = (have + step).min(text.len());
                }
                Step::Done => break,
            }
        }
        units
    }

    fn check_cover(text: &[u8], units: &[TextUnit], limits: Limits) {
        let mut at = 0;
        for u in units {
            assert_eq!(u.core.start, at);
            assert!(u.core.end > u.core.start);
            assert!((u.core.end - u.core.start) as usize <= limits.unit, "{u:?}");
            assert!(u.window.start <= u.core.start && u.window.end >= u.core.end);
            at = u.core.end;
        }
        assert_eq!(at as usize, text.len());
    }

    fn cores<'a>(text: &'a [u8], units: &[TextUnit]) -> Vec<&'a str> {
        units
            .iter()
            .map(|u| std::str::from_utf8(&text[u.core.start as usize..u.core.end as usize]).unwrap())
            .collect()
    }

    #[test]
    fn blocks_end_after_blank_lines() {
        let limits = Limits { unit: 64, margin: 8 };
        let text = b"a b\nc d\n\n\nnext one\n  \nlast";
        let units = split(text, limits, 1000);
        assert_eq!(cores(text, &units), ["a b\nc d\n\n\n", "next one\n  \n", "last"]);
    }

    #[test]
    fn long_blocks_end_at_a_line_break() {
        let limits = Limits { unit: 16, margin: 4 };
        let text = b"0123456\n0123456\n0123\n";
        let units = split(text, limits, 1000);
        assert_eq!(cores(text, &units), ["0123456\n0123456\n", "0123\n"]);
        assert!(units.iter().all(|u| u.piece.is_none()));
    }

    #[test]
    fn long_lines_are_cut_at_spaces_with_margins() {
        let limits = Limits { unit: 16, margin: 4 };
        let text = b"short\naaaa bbbb cccc dddd eeee ffff\nend\n";
        let units = split(text, limits, 1000);
        check_cover(text, &units, limits);
        assert_eq!(cores(text, &units), ["short\n", "aaaa bbbb cccc ", "dddd eeee ffff\n", "end\n"]);
        let p1 = &units[1];
        assert_eq!(p1.piece, Some(Piece { first: true, last: false }));
        assert_eq!(p1.window, 6..25);
        let p2 = &units[2];
        assert_eq!(p2.piece, Some(Piece { first: false, last: true }));
        assert_eq!(p2.window, 17..36);
    }

    #[test]
    fn lines_without_spaces_are_cut_on_char_boundaries() {
        let limits = Limits { unit: 16, margin: 4 };
        let text = "ééééééééééééééééééé\n".as_bytes(); // 2-byte characters
        let units = split(text, limits, 1000);
        check_cover(text, &units, limits);
        for u in &units {
            assert!(std::str::from_utf8(&text[u.core.start as usize..u.core.end as usize]).is_ok());
        }
    }

    #[test]
    fn units_do_not_depend_on_read_sizes() {
        let limits = Limits { unit: 32, margin: 6 };
        let mut text = Vec::new();
        for i in 0..200u32 {
            let line = match i % 7 {
                0 => String::new(),
                1 => "x".repeat((i as usize * 13) % 90),
                2 => format!("word {i} ").repeat(i as usize % 11),
                3 => "  \r".into(),
                _ => format!("line {i} ünïcødé"),
            };
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
        }
        text.extend_from_slice(b"no newline at the end but long enough to be cut in pieces");
        let want = split(&text, limits, text.len());
        check_cover(&text, &want, limits);
        assert!(want.iter().any(|u| u.piece.is_some()));
        for step in [1, 2, 3, 7, 31, 32, 33, 39, 64, 100] {
            assert_eq!(split(&text, limits, step), want, "read size {step}");
        }
    }
}
