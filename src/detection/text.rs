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

/// Whether a letter or digit touches `pos` from the left.
pub(crate) fn word_before(text: &[u8], pos: usize) -> bool {
    char_before(text, pos).is_some_and(char::is_alphanumeric)
}

/// Whether a letter or digit touches `pos` from the right.
pub(crate) fn word_after(text: &[u8], pos: usize) -> bool {
    char_at(text, pos).is_some_and(char::is_alphanumeric)
}

/// Whether `text[start..end]` stands as whole words: where its first (last)
/// character is a letter or digit, the character before (after) it is not.
pub(crate) fn is_whole_word(text: &[u8], start: usize, end: usize) -> bool {
    if start >= end {
        return false;
    }
    let first_alnum = char_at(text, start).is_some_and(char::is_alphanumeric);
    let last_alnum = char_before(text, end).is_some_and(char::is_alphanumeric);
    !(first_alnum && word_before(text, start) || last_alnum && word_after(text, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words() {
        let t = "Dr. Ann Ånnå, MRN#12".as_bytes();
        let find = |s: &str| {
            let i = t.windows(s.len()).position(|w| w == s.as_bytes()).unwrap();
            (i, i + s.len())
        };
        let cases = [
            ("Dr", true),
            ("Ann", true),
            ("An", false),
            ("Ånnå", true),
            ("nn", false),
            ("MRN", true),
            ("MRN#", true),
            ("R", false),
        ];
        let mut failures = Vec::new();
        for (s, want) in cases {
            let (a, b) = find(s);
            if is_whole_word(t, a, b) != want {
                failures.push(s);
            }
        }
        assert!(failures.is_empty(), "{failures:?}");
        assert_eq!(char_before(t, t.len()), Some('2'));
        assert_eq!(char_before(&[0xff, b'a'], 1), None);
        assert_eq!(char_at(&[0xc3], 0), None);
    }
}
