//! Security and legal-entity identifiers: ISIN, CUSIP, SEDOL, LEI.
//!
//! All are written without separators; letters of either case are accepted.

use super::checksum;

/// ISIN (ISO 6166): 2 letters, 9 alphanumerics, 1 check digit; letters become
/// two digits (A=10 .. Z=35) and the Luhn check runs over the digit string.
pub(super) fn isin(value: &[u8]) -> bool {
    if value.len() != 12 || !value[..2].iter().all(u8::is_ascii_alphabetic) || !value[11].is_ascii_digit() {
        return false;
    }
    let mut digits = Vec::with_capacity(24);
    for &b in value {
        match checksum::alnum_value(b) {
            Some(v) if v >= 10 => digits.extend([(v / 10) as u8, (v % 10) as u8]),
            Some(v) => digits.push(v as u8),
            None => return false,
        }
    }
    checksum::luhn_digits(&digits)
}

/// CUSIP: 8 characters (digits, letters, `*`, `@`, `#`) and a check digit:
/// values doubled at even positions, digit sums added, tens complement.
pub(super) fn cusip(value: &[u8]) -> bool {
    if value.len() != 9 {
        return false;
    }
    let mut sum = 0;
    for (i, &b) in value[..8].iter().enumerate() {
        let v = match b {
            b'*' => 36,
            b'@' => 37,
            b'#' => 38,
            _ => match checksum::alnum_value(b) {
                Some(v) => v,
                None => return false,
            },
        };
        let v = if i % 2 == 1 { v * 2 } else { v };
        sum += v / 10 + v % 10;
    }
    value[8].is_ascii_digit() && u32::from(value[8] - b'0') == (10 - sum % 10) % 10
}

/// SEDOL: 6 digits or consonants and a check digit, weights 1,3,1,7,3,9,1,
/// weighted sum divisible by 10.
pub(super) fn sedol(value: &[u8]) -> bool {
    const WEIGHTS: [u32; 7] = [1, 3, 1, 7, 3, 9, 1];
    if value.len() != 7 || !value[6].is_ascii_digit() {
        return false;
    }
    let mut sum = 0;
    for (&b, w) in value.iter().zip(WEIGHTS) {
        if b"AEIOUaeiou".contains(&b) {
            return false;
        }
        match checksum::alnum_value(b) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    sum % 10 == 0
}

/// LEI (ISO 17442): 18 alphanumerics and 2 check digits, mod 97 == 1 as in
/// ISO 7064.
pub(super) fn lei(value: &[u8]) -> bool {
    value.len() == 20 && value[18..].iter().all(u8::is_ascii_digit) && checksum::mod97(value) == Some(1)
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn isin_table() {
        check_table(
            "isin",
            &[
                "US0378331005",
                "us0378331005",
                "US5949181045",
                "GB0002634946",
                "DE000BAY0017",
                "XS1234567896",
                "CH0012345671",
                "JP3633400001",
            ],
            &[
                "US0378331006",
                "US037833100",
                "US03783310055",
                "1S0378331005",
                "US037833100X",
                "US 0378331005",
                "US-0378331005",
                "US03783*1005",
                "",
                "DE000BAY0071",
            ],
        );
    }

    #[test]
    fn cusip_table() {
        check_table(
            "cusip",
            &["037833100", "594918104", "38259P508", "38259p508", "68389X105", "9ABCDE*16", "12345@#72"],
            &[
                "037833101",
                "03783310",
                "0378331000",
                "38259P50X",
                "38259P5-8",
                "037 833 100",
                "",
                "9ABCDE*17",
                "12345$#72",
            ],
        );
    }

    #[test]
    fn sedol_table() {
        check_table(
            "sedol",
            &["0263494", "B0YBKJ7", "b0ybkj7", "B0YBLH2", "2282765", "BCDFGH4", "4008914"],
            &[
                "0263495", "B0YBKJ8", "B0YBKA7", "E0YBKJ7", "E0YBKJ4", "B0YAKJ4", "026349", "02634940",
                "026349X", "026-3494", "",
            ],
        );
    }

    #[test]
    fn lei_table() {
        check_table(
            "lei",
            &[
                "5493001KJTIIGC8Y1R12",
                "529900T8BM49AURSDO55",
                "529900t8bm49aursdo55",
                "HWUPKR0MPOU8FGXBT394",
                "7LTWFZYICNSX8D621K86",
                "213800ABCDEFGHIJKL82",
            ],
            &[
                "5493001KJTIIGC8Y1R13",
                "5493001KJTIIGC8Y1R1",
                "5493001KJTIIGC8Y1R121",
                "5493001KJTIIGC8Y1R1X",
                "5493 001K JTII GC8Y 1R12",
                "5493001KJTIIGC8Y-R12",
                "",
                "529900T8BM49AURSDO56",
            ],
        );
    }
}
