//! Byte-level text helpers that work on input that may not be valid UTF-8.

/// The character ending at `pos`, if the bytes before `pos` end in valid UTF-8.
pub(crate) fn char_before(text: &[u8], pos: usize) -> Option<char> {
    if pos == 0 {
        return None;
    }
    let b = text[pos - 1];
    if b.is_ascii() {
        return Some(b as char);
    }
    let start = pos.saturating_sub(4);
    (start..pos - 1)
        .rev()
        .find_map(|i| std::str::from_utf8(&text[i..pos]).ok().and_then(|s| s.chars().next()))
}

/// The character starting at `pos`, if it is valid UTF-8.
pub(crate) fn char_at(text: &[u8], pos: usize) -> Option<char> {
    let b = *text.get(pos)?;
    if b.is_ascii() {
        return Some(b as char);
    }
    let end = (pos + 4).min(text.len());
    (pos + 2..=end).find_map(|j| std::str::from_utf8(&text[pos..j]).ok().and_then(|s| s.chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_around_positions() {
        let t = "Dr. Ånnå".as_bytes();
        assert_eq!(char_before(t, t.len()), Some('å'));
        assert_eq!(char_at(t, 4), Some('Å'));
        assert_eq!(char_before(&[0xff, b'a'], 1), None);
        assert_eq!(char_at(&[0xc3], 0), None);
        assert_eq!(char_at(t, t.len()), None);
    }
}
