//! Vehicle and device serial numbers: VIN, IMEI.

use super::checksum;

/// VIN value of a character (ISO 3779 transliteration), `None` for I, O, Q
/// and anything not alphanumeric.
fn vin_value(b: u8) -> Option<u32> {
    let v = match b.to_ascii_uppercase() {
        b @ b'0'..=b'9' => b - b'0',
        b @ b'A'..=b'H' => b - b'A' + 1,
        b @ b'J'..=b'N' => b - b'J' + 1,
        b'P' => 7,
        b'R' => 9,
        b @ b'S'..=b'Z' => b - b'S' + 2,
        _ => return None,
    };
    Some(u32::from(v))
}

/// VIN: 17 characters without I, O, Q, either case; the weighted sum of the
/// transliterated values mod 11 is the check digit at position 9 (10 is X).
pub(super) fn vin(value: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    if value.len() != 17 {
        return false;
    }
    let mut sum = 0;
    for (&b, w) in value.iter().zip(WEIGHTS) {
        match vin_value(b) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = match value[8] {
        b'x' | b'X' => 10,
        b @ b'0'..=b'9' => u32::from(b - b'0'),
        _ => return false,
    };
    sum % 11 == check
}

/// IMEI: 15 digits, optionally grouped with spaces, dashes or slashes, Luhn valid.
pub(super) fn imei(value: &[u8]) -> bool {
    match checksum::digits_with(value, b" -/") {
        Some(d) => d.len() == 15 && checksum::luhn_digits(&d),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn vin_table() {
        check_table(
            "vin",
            &[
                "1M8GDM9AXKP042788",
                "1m8gdm9axkp042788",
                "1FTFW1ET9DFC10312",
                "JH4KA3240HC002301",
                "5YJSA1E27HF000337",
                "2T1BURHE9JC074123",
                "WVWZZZ1J93W386752",
                "1GNEK13ZX3R298984",
            ],
            &[
                "1M8GDM9A1KP042788",
                "1FTFW1ET5DFC10312",
                "1M8GDM9AXKP04278",
                "1M8GDM9AXKP0427880",
                "1M8GDM9AXKP0427O8",
                "IM8GDM9AXKP042788",
                "1M8GDM9AXKQ042788",
                "1M8GDM9AXKP-42788",
                "1M8GDM9AYKP042788",
                "",
            ],
        );
    }

    #[test]
    fn imei_table() {
        check_table(
            "imei",
            &[
                "490154203237518",
                "49 015420 323751 8",
                "35-209900-176148-1",
                "35/209900/176148/1",
                "012345678901237",
                "860123456789014",
            ],
            &[
                "490154203237519",
                "49015420323751",
                "4901542032375180",
                "49.015420.323751.8",
                "49015420323751X",
                "490154203237518-",
                "",
            ],
        );
    }
}
