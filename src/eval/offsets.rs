//! Byte offsets (what the engine reports) to char offsets (what gold files use).

/// Rewrites byte spans `(start, end)` into `text` as `char` spans, in place.
///
/// The spans may come in any order and overlap; the cost is one pass over the
/// text plus sorting the offsets (none at all when the text is ASCII, where
/// both counts agree).
///
/// An offset inside a multi-byte character is rounded outward, so the span
/// still covers that character: a start to the character's own index, an end
/// to the index after it. An offset past the end of the text keeps its excess,
/// `chars + (offset - len)`, so that scoring still sees the span as out of
/// range (and counts it as clipped) rather than quietly fixing it.
///
/// ```
/// use cloak::eval::byte_to_char_spans;
///
/// let text = "Zoë → Zürich";
/// let mut spans = [(9, 16), (0, 4), (3, 3)];
/// byte_to_char_spans(text, &mut spans);
/// assert_eq!(spans, [(6, 12), (0, 3), (2, 3)]);
/// ```
pub fn byte_to_char_spans(text: &str, spans: &mut [(usize, usize)]) {
    if text.is_ascii() {
        return;
    }
    // Every offset with its place: span index * 2, plus 1 for an end.
    let mut offsets: Vec<(usize, usize)> = Vec::with_capacity(spans.len() * 2);
    for (i, &(start, end)) in spans.iter().enumerate() {
        offsets.push((start, 2 * i));
        offsets.push((end, 2 * i + 1));
    }
    offsets.sort_unstable();

    let bytes = text.as_bytes();
    // Chars whose first byte is before `pos`, for the offsets seen so far.
    let (mut pos, mut chars) = (0usize, 0usize);
    for (offset, slot) in offsets {
        let target = offset.min(text.len());
        // Count the char starts in pos..target (UTF-8 continuation bytes are
        // 0b10xx_xxxx).
        chars += bytes[pos..target].iter().filter(|&&b| (b as i8) >= -0x40).count();
        pos = target;
        let is_end = slot % 2 == 1;
        let converted = if offset > text.len() {
            chars + (offset - text.len())
        } else if !is_end && !text.is_char_boundary(offset) {
            // The char holding this byte started before it: count it out.
            chars - 1
        } else {
            chars
        };
        let span = &mut spans[slot / 2];
        if is_end {
            span.1 = converted;
        } else {
            span.0 = converted;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char offset of a byte offset on a char boundary, the slow way.
    fn slow(text: &str, b: usize) -> usize {
        text[..b].chars().count()
    }

    #[test]
    fn table() {
        // (text, byte spans, char spans)
        type Case = (&'static str, Vec<(usize, usize)>, Vec<(usize, usize)>);
        let cases: Vec<Case> = vec![
            ("", vec![], vec![]),
            ("", vec![(0, 0)], vec![(0, 0)]),
            ("plain ascii", vec![(6, 11), (0, 5), (20, 30)], vec![(6, 11), (0, 5), (20, 30)]),
            ("Née", vec![(0, 4), (1, 3), (3, 4)], vec![(0, 3), (1, 2), (2, 3)]),
            // Unsorted and overlapping; a 4-byte char (emoji) and a 3-byte one.
            (
                "a😀b€c",
                vec![(9, 10), (0, 1), (1, 5), (0, 10), (5, 6)],
                vec![(4, 5), (0, 1), (1, 2), (0, 5), (2, 3)],
            ),
            // Inside a char: rounded outward.
            ("a😀b", vec![(2, 3), (1, 2), (3, 6)], vec![(1, 2), (1, 2), (1, 3)]),
            // Past the end keeps the excess (len 5 bytes, 4 chars).
            ("añbc", vec![(3, 7), (8, 9)], vec![(2, 6), (7, 8)]),
        ];
        let mut failures = Vec::new();
        for (text, mut spans, want) in cases {
            let before = spans.clone();
            byte_to_char_spans(text, &mut spans);
            if spans != want {
                failures.push(format!("{text:?} {before:?}: got {spans:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_boundary_pair_matches_counting_chars() {
        let text = "Zoë Ångström → 東京, 😀 ok";
        let bounds: Vec<usize> = (0..=text.len()).filter(|&b| text.is_char_boundary(b)).collect();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for &a in &bounds {
            for &b in bounds.iter().rev() {
                spans.push((a, b));
            }
        }
        let want: Vec<_> = spans.iter().map(|&(a, b)| (slow(text, a), slow(text, b))).collect();
        byte_to_char_spans(text, &mut spans);
        assert_eq!(spans, want);
    }
}
