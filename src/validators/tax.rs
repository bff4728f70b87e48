//! Taxpayer numbers of other countries than the US.

use super::{checksum, grouped};

/// Australian Business Number: 11 digits, written together or as 2-3-3-3
/// with spaces; with 1 taken from the first digit, the digits weighted
/// 10, 1, 3, 5, ..., 19 sum to a multiple of 89.
pub(super) fn abn(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[2, 3, 3, 3], b" ") else { return false };
    let Some(mut d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    d[0] -= 1;
    const WEIGHTS: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    d.iter().zip(WEIGHTS).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 89 == 0
}

/// Indian Aadhaar number: 12 digits, written together or as 4-4-4 with
/// spaces or dashes; none starts with 0 or 1, and the last digit is the
/// Verhoeff check digit of the others.
pub(super) fn aadhaar(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[4, 4, 4], b" -") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    d.len() == 12 && d[0] >= 2 && checksum::verhoeff(&d)
}

/// German tax identification number (Steuer-ID, IdNr): 11 digits, written
/// together or as 2-3-3-3 with spaces, not starting with 0, the last an
/// ISO 7064 MOD 11,10 check digit of the others.
pub(super) fn steuer_id(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[2, 3, 3, 3], b" ") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut product = 10u32;
    for &x in &d[..10] {
        let sum = match (u32::from(x) + product) % 10 {
            0 => 10,
            n => n,
        };
        product = sum * 2 % 11;
    }
    (11 - product) % 10 == u32::from(d[10])
}

/// Singapore NRIC or FIN: S, T, F or G, 7 digits and a check letter; the
/// digits weighted 2, 7, 6, 5, 4, 3, 2 (plus 4 for the T and G series),
/// mod 11, pick the letter from the series' table.
pub(super) fn nric(value: &[u8]) -> bool {
    let [prefix, digits @ .., check] = value else { return false };
    if digits.len() != 7 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d - b'0') * w).sum();
    let (offset, table): (u32, &[u8; 11]) = match prefix {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        _ => return false,
    };
    table[((sum + offset) % 11) as usize] == *check
}

/// Canadian social insurance number: 9 digits, written together or as 3-3-3
/// with spaces or dashes, Luhn valid; none starts with 0 or 8.
pub(super) fn sin(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[3, 3, 3], b" -") else { return false };
    !matches!(s[0], b'0' | b'8') && checksum::luhn(&s)
}

/// Australian tax file number: 9 digits, written together or as 3-3-3 with
/// spaces or dashes; weighted 1, 4, 3, 7, 5, 8, 6, 9, 10 they sum to a
/// multiple of 11.
pub(super) fn tfn(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[3, 3, 3], b" -") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    const WEIGHTS: [u32; 9] = [1, 4, 3, 7, 5, 8, 6, 9, 10];
    d.len() == 9 && d.iter().zip(WEIGHTS).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 11 == 0
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn sin_table() {
        check_table(
            "sin",
            &[
                "114353139",
                "995 283 058",
                "707-438-594",
                "615692050",
                "441 517 133",
                "342-343-035",
                "759504533",
            ],
            &["114353138", "046 454 287", "814353139", "11435313", "114 353-139", "1143 53 139"],
        );
    }

    #[test]
    fn aadhaar_table() {
        check_table(
            "aadhaar",
            &[
                "726018159082",
                "5016 6131 8603",
                "3390-9960-3089",
                "446281948213",
                "5518 1909 3782",
                "857975432313",
            ],
            &[
                "726018159083",
                "5016 6131 8604",
                "126018159082",
                "72601815908",
                "7260 1815 9082 1",
                "7260 181 59082",
            ],
        );
    }

    #[test]
    fn nric_table() {
        check_table(
            "nric",
            &["S3982597Z", "T9190748D", "F3378876L", "G2328601M", "S2904047H", "T9666972G"],
            &["S3982597Y", "T9190748Z", "A3378876L", "G232860M", "s2904047H", "T96669720"],
        );
    }

    #[test]
    fn steuer_id_table() {
        check_table(
            "steuer_id",
            &["13137215903", "20 928 159 016", "49624595714", "27777412152", "57 280 385 285", "18414852535"],
            &["13137215904", "03137215903", "1313721590", "20-928-159-016", "2092815901 6", "4962459571a"],
        );
    }

    #[test]
    fn tfn_table() {
        check_table(
            "tfn",
            &[
                "400249236",
                "773 982 530",
                "176-125-273",
                "599204300",
                "400 636 042",
                "461-834-751",
                "561156254",
            ],
            &["400249237", "773 982 531", "40024923", "4002492360", "400 2492 36", "12345678a"],
        );
    }

    #[test]
    fn abn_table() {
        check_table(
            "abn",
            &[
                "51 824 753 556",
                "51824753556",
                "53 004 085 616",
                "99 589 344 282",
                "27 417 308 215",
                "30660291834",
                "83 120 958 377",
            ],
            &[
                "51 824 753 557",
                "5182475355",
                "518247535566",
                "51-824-753-556",
                "01 824 753 556",
                "51 8247 53556",
            ],
        );
    }
}
