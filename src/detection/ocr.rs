//! Digits misread by OCR. Scanned faxes, labels and statements read by OCR
//! come with the letter O for a zero and l or I for a one ("O3/l4/2O24",
//! "(4O6) 555-Ol2l", "FIN 9OO44l7732"): no pattern for a date, a phone
//! number or a record number matches them as written.
//!
//! A token (a run of bytes between spaces, line breaks and the delimiters
//! of fields) made only of digits, those letters and the punctuation numbers
//! are written with, holding two digits or more, is read with the letters as
//! the digits they stand for, unless its one such letter starts or ends it.
//! Words are left alone (a token with any other letter, or fewer than two
//! digits: "SpO2", "O2", "IV-4471", "lol"). The copy is as long as the text,
//! byte for byte, so what is found in it is found at the same place in the
//! text.

use std::borrow::Cow;

/// `text` with the digits in its number-shaped tokens read as digits, or
/// `text` itself when it has none to read.
pub(crate) fn digits_read(text: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < text.len() {
        if splits(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut digits, mut misread, mut other) = (0usize, 0usize, false);
        while i < text.len() && !splits(text[i]) {
            match text[i] {
                b'0'..=b'9' => digits += 1,
                // A letter read as a digit stands in a run of digits: it
                // touches a digit or another such letter ("Ol2l"; the I of
                // "I-95" touches neither).
                b'O' | b'o' | b'l' | b'I' => {
                    let in_number = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_digit() || is_misread(b));
                    if in_number(text.get(i + 1)) || (i > start && in_number(text.get(i - 1))) {
                        misread += 1;
                    } else {
                        other = true;
                    }
                }
                b'/' | b'.' | b':' | b'-' | b'(' | b')' | b'+' | b'#' => {}
                _ => other = true,
            }
            i += 1;
        }
        // One such letter at the token's edge is as often a code's own letter
        // (ICD-10 "I48.91", a licence "O412-5589-2210", a MICR line's on-us
        // symbol "0017729304O") as a misread digit.
        if other || digits < 2 || misread == 0 {
            continue;
        }
        let token = &text[start..i];
        let edge = |b: Option<&u8>| b.is_some_and(|&b| is_misread(b));
        let lone_at_edge = misread == 1
            && (edge(token.iter().find(|b| b.is_ascii_alphanumeric()))
                || edge(token.iter().rfind(|b| b.is_ascii_alphanumeric())));
        if !lone_at_edge {
            let copy = out.get_or_insert_with(|| text.to_vec());
            for b in &mut copy[start..i] {
                *b = match *b {
                    b'O' | b'o' => b'0',
                    b'l' | b'I' => b'1',
                    b => b,
                };
            }
        }
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Whether `b` is a letter OCR reads for a digit.
fn is_misread(b: u8) -> bool {
    matches!(b, b'O' | b'o' | b'l' | b'I')
}

/// Whether `b` ends a token: white space and the delimiters of fields.
fn splits(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b','
            | b';'
            | b'"'
            | b'\''
            | b'|'
            | b'='
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        String::from_utf8(digits_read(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn number_shaped_tokens_read_as_digits() {
        assert_eq!(read("D0B: O8/l9/l962  FAX (4O6) 555-Ol2l"), "D0B: 08/19/1962  FAX (406) 555-0121");
        assert_eq!(read("rec'd O2/O2/2024 l6:O3 from 2535550l05"), "rec'd 02/02/2024 16:03 from 2535550105");
        assert_eq!(read("FIN 9OO44l7732|MRN 2l-448-9O7"), "FIN 9004417732|MRN 21-448-907");
        // The same length, byte for byte, whatever the script around.
        let t = "Größe l2O cm, Datum O3.O7.2O24";
        assert_eq!(read(t), "Größe l2O cm, Datum 03.07.2024");
        assert_eq!(read(t).len(), t.len());
    }

    #[test]
    fn words_and_short_codes_are_left_alone() {
        for t in [
            "SpO2 94% on RA",
            "O2 2L NC",
            "IV-4471 occluded",
            "lol 12",
            "Oslo 2024",
            "I-95 exit 12",
            "l-12 (l)",
            "AF (I48.91)",
            "DL O412-5589-2210",
            "T319853919T 0017729304O",
            "10 l of fluid",
        ] {
            assert_eq!(read(t), t);
            assert!(matches!(digits_read(t.as_bytes()), Cow::Borrowed(_)), "{t}");
        }
    }
}
