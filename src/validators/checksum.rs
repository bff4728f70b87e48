//! Check-digit arithmetic shared by several validators.

/// Digits of `value`, or `None` when it holds anything but digits, spaces and
/// dashes, or starts or ends with a separator.
pub(super) fn digits(value: &[u8]) -> Option<Vec<u8>> {
    digits_with(value, b" -")
}

/// Digits of `value`, or `None` when it holds anything but digits and `seps`,
/// or starts or ends with a separator.
pub(super) fn digits_with(value: &[u8], seps: &[u8]) -> Option<Vec<u8>> {
    let edge_is_digit = |b: Option<&u8>| b.is_none_or(u8::is_ascii_digit);
    if !edge_is_digit(value.first()) || !edge_is_digit(value.last()) {
        return None;
    }
    let mut out = Vec::with_capacity(value.len());
    for &b in value {
        match b {
            b'0'..=b'9' => out.push(b - b'0'),
            _ if seps.contains(&b) => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Whether `d` (digit values, check digit last) passes the Verhoeff check:
/// the dihedral group D5's products of the digits, each permuted by its
/// place from the right, come to 0.
pub(super) fn verhoeff(d: &[u8]) -> bool {
    const MUL: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const PERM: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    !d.is_empty()
        && d.iter().all(|&x| x < 10)
        && d.iter()
            .rev()
            .enumerate()
            .fold(0u8, |c, (i, &x)| MUL[c as usize][PERM[i % 8][x as usize] as usize])
            == 0
}

/// Luhn mod 10 over all digits, spaces and dashes ignored.
pub(super) fn luhn(value: &[u8]) -> bool {
    match digits(value) {
        Some(d) if d.len() >= 2 => luhn_digits(&d),
        _ => false,
    }
}

/// Luhn mod 10 over digit values (0-9), the last one being the check digit.
pub(super) fn luhn_digits(d: &[u8]) -> bool {
    // Reduced as it goes, so no length of input overflows the sum.
    let sum = d.iter().rev().enumerate().fold(0, |sum, (i, &x)| {
        let x = if i % 2 == 1 { x * 2 - if x > 4 { 9 } else { 0 } } else { x };
        (sum + x) % 10
    });
    sum == 0
}

/// Value of an ASCII digit (0-9) or letter of either case (A=10 .. Z=35).
pub(super) fn alnum_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 10),
        _ => None,
    }
}

/// ISO 7064 MOD 97-10 remainder of the number spelled by `chars`, letters
/// standing for two digits (A=10 .. Z=35), as IBAN and LEI define it.
/// `None` when a byte is not a digit or letter.
pub(super) fn mod97<'a>(chars: impl IntoIterator<Item = &'a u8>) -> Option<u32> {
    chars.into_iter().try_fold(0, |rem, &b| {
        let v = alnum_value(b)?;
        let shift = if v < 10 { 10 } else { 100 };
        Some((rem * shift + v) % 97)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validators::tests::check_table;

    #[test]
    fn verhoeff_every_permutation_row() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        // Check digits from the published tables; the long one sends its
        // digits through all eight permutation rows.
        for valid in ["2363", "123451", "234567861233", "582395268545", "0123456789012345678902"] {
            assert!(verhoeff(&digits(valid)), "{valid}");
        }
        for invalid in ["2364", "123450", "234567861231", "582395268546"] {
            assert!(!verhoeff(&digits(invalid)), "{invalid}");
        }
    }

    #[test]
    fn luhn_table() {
        check_table(
            "luhn",
            &["79927398713", "4111 1111 1111 1111", "4111-1111-1111-1111", "00", "18", "0000 0000 0000 0000"],
            &[
                "79927398710",
                "4111111111111112",
                "",
                "5",
                "4111.1111.1111.1111",
                "1234567812345678",
                "12a3",
                "-79927398713",
                "79927398713 ",
            ],
        );
    }

    #[test]
    fn mod97_remainders() {
        assert_eq!(mod97(b"3214282912345698765432161182"), Some(1));
        assert_eq!(mod97(b"WEST12345698765432GB82"), Some(1));
        assert_eq!(mod97(b"96"), Some(96));
        assert_eq!(mod97(b"97"), Some(0));
        assert_eq!(mod97(b""), Some(0));
        assert_eq!(mod97(b"1-2"), None);
    }
}
