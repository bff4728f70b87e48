//! US government and postal numbers: SSN, ITIN, EIN, ZIP code, NANP phone number.

use super::{checksum, grouped};

/// Nine digits in the 3-2-4 layout (`123-45-6789`, `123 45 6789` or
/// `123456789`) as (area, group, serial).
fn nine_digits(value: &[u8]) -> Option<(u32, u32, u32)> {
    let s = grouped(value, &[3, 2, 4], b"- ")?;
    let d = checksum::digits_with(&s, b"")?;
    let num = |r: &[u8]| r.iter().fold(0, |acc, &x| acc * 10 + u32::from(x));
    Some((num(&d[..3]), num(&d[3..5]), num(&d[5..])))
}

/// SSN: area not 000, 666 or 900-999; group not 00; serial not 0000.
pub(super) fn ssn(value: &[u8]) -> bool {
    matches!(nine_digits(value), Some((area, group, serial))
        if area != 0 && area != 666 && area < 900 && group != 0 && serial != 0)
}

/// ITIN: 9 in first position and a group (digits 4-5) the IRS assigns:
/// 50-65, 70-88, 90-92, 94-99.
pub(super) fn itin(value: &[u8]) -> bool {
    matches!(nine_digits(value), Some((area, group, _))
        if area >= 900 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99))
}

/// EIN: 9 digits, written `12-3456789` or together, with a prefix the IRS
/// assigns to one of its campuses or to online applications.
pub(super) fn ein(value: &[u8]) -> bool {
    let Some(d) = grouped(value, &[2, 7], b"- ").and_then(|s| checksum::digits_with(&s, b"")) else {
        return false;
    };
    matches!(
        d[0] * 10 + d[1],
        1..=6 | 10..=16 | 20..=27 | 30..=48 | 50..=68 | 71..=77 | 80..=88 | 90..=95 | 98..=99
    )
}

/// ZIP code: 5 digits or ZIP+4 (`12345-6789`), the 5-digit part at least
/// 00501, the lowest one assigned.
pub(super) fn zip(value: &[u8]) -> bool {
    let base = match value.len() {
        5 => value,
        10 if value[5] == b'-' && value[6..].iter().all(u8::is_ascii_digit) => &value[..5],
        _ => return false,
    };
    base.iter().all(u8::is_ascii_digit)
        && base.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0')) >= 501
}

/// North American (NANP) phone number: after formatting (spaces, dashes,
/// dots, parentheses around the area code, a leading `+1` or `1`) exactly
/// 10 digits, area code and exchange both `NXX` (N is 2-9) and not `N11`.
/// A trailing extension (`x123`, `ext. 123`, `#123`) is ignored.
pub(super) fn nanp(value: &[u8]) -> bool {
    // Longest plausible form is about 40 bytes with an extension.
    if value.len() > 64 {
        return false;
    }
    let Some(number) = strip_extension(value) else {
        return false;
    };
    let number = match number {
        [b'+', b'1', rest @ ..] => rest,
        [b'+', ..] => return false,
        [b'1', rest @ ..] if rest.iter().filter(|b| b.is_ascii_digit()).count() == 10 => rest,
        _ => number,
    };
    let mut d = Vec::with_capacity(10);
    let mut open = false;
    for &b in number {
        match b {
            b'0'..=b'9' => d.push(b - b'0'),
            b'(' if d.is_empty() && !open => open = true,
            b')' if d.len() == 3 && open => open = false,
            b' ' | b'-' | b'.' => {}
            _ => return false,
        }
    }
    let nxx = |x: &[u8]| x[0] >= 2 && !(x[1] == 1 && x[2] == 1);
    // A '(' that was opened but never closed leaves `open` set.
    d.len() == 10 && !open && nxx(&d[..3]) && nxx(&d[3..6])
}

/// The number before a trailing extension (`x12`, `ext. 12`, `extension 12`,
/// `#12`), or `None` if what trails is not a well-formed extension.
fn strip_extension(value: &[u8]) -> Option<&[u8]> {
    let Some(at) = value.iter().position(|b| b.is_ascii_alphabetic() || *b == b'#') else {
        return Some(value);
    };
    let lower = value[at..].to_ascii_lowercase();
    let rest =
        ["extension", "ext.", "ext", "x", "#"].iter().find_map(|word| lower.strip_prefix(word.as_bytes()))?;
    let rest = rest.trim_ascii_start();
    let digits = rest.strip_prefix(b":").unwrap_or(rest).trim_ascii_start();
    if !(1..=6).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = value[..at].trim_ascii_end();
    Some(number.strip_suffix(b",").unwrap_or(number).trim_ascii_end())
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn ssn_table() {
        check_table(
            "ssn",
            &["123-45-6789", "123 45 6789", "123456789", "001-01-0001", "899-99-9999", "665-12-3456"],
            &[
                "000-12-3456",
                "666-12-3456",
                "900-12-3456",
                "999-12-3456",
                "123-00-6789",
                "123-45-0000",
                "123-45 6789",
                "12-345-6789",
                "123-45-678",
                "123.45.6789",
                "12345678a",
                "",
            ],
        );
    }

    #[test]
    fn itin_table() {
        check_table(
            "itin",
            &[
                "900-70-0000",
                "912-50-1234",
                "999-88-1234",
                "965-65-1234",
                "900 92 1234",
                "987941234",
                "955-99-0001",
            ],
            &[
                "900-49-1234",
                "900-66-1234",
                "900-89-1234",
                "900-93-1234",
                "812-70-1234",
                "900-70-123",
                "900/70/1234",
                "",
            ],
        );
    }

    #[test]
    fn ein_table() {
        check_table(
            "ein",
            &["12-3456789", "123456789", "01-0000001", "99-1234567", "45 6789012", "68-0000000"],
            &[
                "00-1234567",
                "07-1234567",
                "19-1234567",
                "28-1234567",
                "49-1234567",
                "69-1234567",
                "70-1234567",
                "89-1234567",
                "96-1234567",
                "123-456789",
                "12-345678",
                "12.3456789",
                "",
            ],
        );
    }

    #[test]
    fn zip_table() {
        check_table(
            "zip",
            &["00501", "02134", "90210", "99950", "12345-6789", "10001-0000"],
            &[
                "00000",
                "00500",
                "00100",
                "1234",
                "123456",
                "123456789",
                "12345 6789",
                "12345-678",
                "00000-1234",
                "9021O",
                "",
            ],
        );
    }

    #[test]
    fn nanp_table() {
        check_table(
            "nanp",
            &[
                "(212) 555-0134",
                "212-555-0134",
                "212.555.0134",
                "2125550134",
                "+1 212 555 0134",
                "+12125550134",
                "1-800-555-0199",
                "1 (800) 555-0199",
                "(415) 867-5309 x123",
                "415-867-5309 ext. 12",
                "415-867-5309, extension 4",
                "415-867-5309 #77",
            ],
            &[
                "112-555-0134",
                "211-555-0134",
                "212-155-0134",
                "212-411-0134",
                "+44 20 7946 0958",
                "212-555-013",
                "212-555-01345",
                "(212 555-0134",
                "((212) 555-0134",
                "212) 555-0134",
                "2(12) 555-0134",
                "212-555-0134 ext",
                "212-555-0134 x1234567",
                "212-555-0134 y12",
                "2-1-2-5-5-5-0-1-3-4/",
                "",
            ],
        );
    }
}
