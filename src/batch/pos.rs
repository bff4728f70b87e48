//! Positions in an input: byte and character offsets, lines and columns,
//! counted in pieces and added up in input order.

/// A place in an input, or (relative) how far a run of bytes moves one.
///
/// Characters are counted the way a UTF-8 decoder counts them: every byte
/// that is not a continuation byte starts one (exact on valid UTF-8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// Byte offset from the input's start.
    pub byte: u64,
    /// Character offset from the input's start.
    pub char: u64,
    /// Line breaks before this place (the 0-based line).
    pub line: u64,
    /// Characters since the last line break (the 0-based column).
    pub column: u64,
}

impl Position {
    /// Moves past `bytes`.
    pub(crate) fn advance(&mut self, bytes: &[u8]) {
        let chars = count_chars(bytes);
        self.byte += bytes.len() as u64;
        self.char += chars;
        match memchr::memrchr(b'\n', bytes) {
            None => self.column += chars,
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                self.column = count_chars(&bytes[last + 1..]);
            }
        }
    }

    /// Where `rel`, measured from this place, ends up.
    pub(crate) fn then(self, rel: Position) -> Position {
        Position {
            byte: self.byte + rel.byte,
            char: self.char + rel.char,
            line: self.line + rel.line,
            column: if rel.line == 0 { self.column + rel.column } else { rel.column },
        }
    }

    /// The relative positions of sorted-or-not `offsets` into `bytes`.
    pub(crate) fn of_offsets(bytes: &[u8], offsets: &[usize]) -> Vec<Position> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets[i]);
        let mut out = vec![Position::default(); offsets.len()];
        let mut at = 0;
        let mut pos = Position::default();
        for i in order {
            let to = offsets[i].min(bytes.len());
            if to > at {
                pos.advance(&bytes[at..to]);
                at = to;
            }
            out[i] = pos;
        }
        out
    }
}

fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_add_up_in_pieces() {
        let text = "héllo\nwörld\n\nend".as_bytes();
        let mut whole = Position::default();
        whole.advance(text);
        assert_eq!(whole, Position { byte: 18, char: 16, line: 3, column: 3 });
        for cut in 0..text.len() {
            let mut a = Position::default();
            a.advance(&text[..cut]);
            let mut b = Position::default();
            b.advance(&text[cut..]);
            assert_eq!(a.then(b), whole, "cut at {cut}");
        }
        let p = Position::of_offsets(text, &[9, 0, 7]);
        assert_eq!(p[1], Position::default());
        assert_eq!(p[2], Position { byte: 7, char: 6, line: 1, column: 0 });
        assert_eq!(p[0], Position { byte: 9, char: 8, line: 1, column: 2 });
    }
}
