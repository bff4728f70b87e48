//! Taxpayer and national identity numbers of other countries than the US.

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

/// Spanish DNI/NIF or NIE: 8 digits, or X, Y or Z and 7 digits (X, Y, Z
/// standing for 0, 1, 2), then the check letter of the number mod 23, upper
/// case, alone or after a dash or space.
pub(super) fn es_nif(value: &[u8]) -> bool {
    let (body, check) = match value {
        [body @ .., b'-' | b' ', check] | [body @ .., check] => (body, *check),
        [] => return false,
    };
    let (lead, digits) = match body {
        [p @ (b'X' | b'Y' | b'Z'), rest @ ..] if rest.len() == 7 => (u32::from(p - b'X'), rest),
        _ if body.len() == 8 => (0, body),
        _ => return false,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = digits.iter().fold(lead, |n, &d| (n * 10 + u32::from(d - b'0')) % 23);
    b"TRWAGMYFPDXBNJZSQVHLCKE"[n as usize] == check
}

/// Italian codice fiscale of a person: 16 characters, the surname's and
/// name's letters, year, month letter, day (plus 40 for women), the
/// birthplace's letter and three digits (a digit may be a letter from
/// L-V where codes collide), and a check letter: characters in odd places
/// take the odd-place table's values, the others their own (0-9, A=0..),
/// the sum mod 26 picks it.
pub(super) fn codice_fiscale(value: &[u8]) -> bool {
    let Ok(v) = <&[u8; 16]>::try_from(value) else { return false };
    let digit_like = |b: u8| b.is_ascii_digit() || b"LMNPQRSTUV".contains(&b);
    let letters = [0, 1, 2, 3, 4, 5, 11, 15];
    let digits = [6, 7, 9, 10, 12, 13, 14];
    if !letters.iter().all(|&i| v[i].is_ascii_uppercase())
        || !digits.iter().all(|&i| digit_like(v[i]))
        || !b"ABCDEHLMPRST".contains(&v[8])
    {
        return false;
    }
    const ODD: [u8; 26] =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let sum: u32 = v[..15]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let k = if b.is_ascii_digit() { b - b'0' } else { b - b'A' };
            u32::from(if i % 2 == 0 { ODD[usize::from(k)] } else { k })
        })
        .sum();
    u32::from(v[15] - b'A') == sum % 26
}

/// Dutch citizen service number (BSN): 9 digits, written together or as
/// 4-2-3 with dots or spaces; weighted 9, 8, ..., 2 and the last -1 they sum
/// to a multiple of 11 (the "eleven test"); not all zeros.
pub(super) fn bsn(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[4, 2, 3], b". ") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 = d[..8].iter().zip((2..=9).rev()).map(|(&x, w)| i32::from(x) * w).sum();
    (sum - i32::from(d[8])) % 11 == 0
}

/// French social security number (NIR): sex, year, month, département (2A
/// and 2B for Corsica, counted as 19 and 18), commune, order number and a
/// two-digit key, 97 less the first 13 digits mod 97; written together or
/// as 1-2-2-2-3-3-2 with spaces.
pub(super) fn nir(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[1, 2, 2, 2, 3, 3, 2], b" ") else { return false };
    let (body, key) = s.split_at(13);
    if !matches!(body[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    let mut n: u64 = 0;
    for (i, &b) in body.iter().enumerate() {
        let d = match (i, b) {
            (_, b'0'..=b'9') => u64::from(b - b'0'),
            // Corsica: 2A is 19, 2B is 18, for the key.
            (6, b'A') if body[5] == b'2' => {
                n -= 1;
                9
            }
            (6, b'B') if body[5] == b'2' => {
                n -= 1;
                8
            }
            _ => return false,
        };
        n = n * 10 + d;
    }
    let Some(key) = checksum::digits_with(key, b"") else { return false };
    97 - n % 97 == u64::from(key[0]) * 10 + u64::from(key[1])
}

/// French company numbers: SIREN (9 digits, 3-3-3) or SIRET (the SIREN and a
/// 5-digit establishment number, 3-3-3-5), with spaces or together, Luhn
/// valid (La Poste's establishments, SIREN 356000000, sum their digits to a
/// multiple of 5 instead).
pub(super) fn siren(value: &[u8]) -> bool {
    let s = grouped(value, &[3, 3, 3], b" ").or_else(|| grouped(value, &[3, 3, 3, 5], b" "));
    let Some(d) = s.as_deref().and_then(|s| checksum::digits_with(s, b"")) else { return false };
    if d.iter().all(|&x| x == 0) {
        return false;
    }
    if d.len() == 14 && d[..9] == [3, 5, 6, 0, 0, 0, 0, 0, 0] {
        return d.iter().map(|&x| u32::from(x)).sum::<u32>() % 5 == 0;
    }
    checksum::luhn_digits(&d)
}

/// Polish PESEL: 11 digits, a date of birth (the month carries the century)
/// first; weighted 1, 3, 7, 9, ... the first ten and the check digit sum to
/// a multiple of 10.
pub(super) fn pesel(value: &[u8]) -> bool {
    let Some(d) = checksum::digits_with(value, b"") else { return false };
    if d.len() != 11 {
        return false;
    }
    let month = d[2] % 2 * 10 + d[3];
    let day = d[4] * 10 + d[5];
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d.iter().zip(WEIGHTS).map(|(&x, w)| u32::from(x) * w).sum();
    (10 - sum % 10) % 10 == u32::from(d[10])
}

/// Brazilian CPF: 11 digits, written together or as 3.3.3-2, the last two
/// mod 11 check digits of the ones before; not one digit repeated.
pub(super) fn cpf(value: &[u8]) -> bool {
    let s: Vec<u8> = match value {
        [a @ .., b'-', x, y] if a.len() == 11 && a[3] == b'.' && a[7] == b'.' => {
            a.iter().chain([x, y]).copied().filter(|&b| b != b'.').collect()
        }
        _ => value.to_vec(),
    };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| {
        let sum: usize = d[..n].iter().zip((2..=n + 1).rev()).map(|(&x, w)| usize::from(x) * w).sum();
        (sum * 10 % 11 % 10) as u8
    };
    check(9) == d[9] && check(10) == d[10]
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
    fn es_nif_table() {
        check_table(
            "es_nif",
            &["44464097Z", "21246633S", "53992312-L", "88366946 A", "X1215279M", "Z1579240L", "Y9777560K"],
            &["44464097A", "X1215279N", "4446409Z", "W1215279M", "44464097z", "4446-4097Z", "44464097"],
        );
    }

    #[test]
    fn codice_fiscale_table() {
        check_table(
            "codice_fiscale",
            &[
                "BZNFBC67L09D093P",
                "NLBVPC54S08M600D",
                "LBFBNV48E54C554Z",
                "CPGNVR51B25F100G",
                "BNCGPP77H12F205I",
            ],
            &[
                "BZNFBC67L09D093Q",
                "BZNFBC67F09D093P",
                "BZNFBC67L09D093",
                "bznfbc67l09d093p",
                "BZN4BC67L09D093P",
            ],
        );
    }

    #[test]
    fn bsn_table() {
        check_table(
            "bsn",
            &["688136138", "864623112", "3211.46.487", "1878 91 151", "205635155"],
            &["688136139", "000000000", "68813613", "6881.36 138", "6881361380", "68813613a"],
        );
    }

    #[test]
    fn nir_table() {
        check_table(
            "nir",
            &[
                "2 67 08 44 747 460 41",
                "277021652542915",
                "1 96 06 20 956 501 56",
                "2 71 06 75 189 971 73",
                "1 85 05 2A 123 456 33",
            ],
            &[
                "2 67 08 44 747 460 42",
                "577021652542915",
                "2 67 08 44 747 46041",
                "27702165254291",
                "1 85 05 2C 123 456 33",
                "1 85 05 2A 123 456 34",
            ],
        );
    }

    #[test]
    fn siren_table() {
        check_table(
            "siren",
            &[
                "869102392",
                "521 104 786",
                "556504504",
                "577 449 671 00012",
                "86910239257386",
                "35600000000001",
            ],
            &[
                "869102393",
                "000000000",
                "5211 04 786",
                "577 449 671 00013",
                "8691023925738",
                "52110478697399",
                "35600000000002",
            ],
        );
    }

    #[test]
    fn pesel_table() {
        check_table(
            "pesel",
            &["77080315337", "57082310646", "43122350723", "81102273015", "02270803624"],
            &["77080315338", "77130315335", "7708031533", "770803153370", "77080015336"],
        );
    }

    #[test]
    fn cpf_table() {
        check_table(
            "cpf",
            &["465.075.291-41", "703.423.667-42", "12768426865", "465.632.122-20", "46507529141"],
            &[
                "465.075.291-42",
                "111.111.111-11",
                "465075291-41",
                "465.075291-41",
                "4650752914",
                "465.075.291/41",
            ],
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
                // A 6, 7 or 8 five places from the right goes through the
                // fifth permutation row (p^4), which a wrong row accepted
                // or rejected in turn.
                "234567861233",
                "5823 9526 8545",
            ],
            &[
                "234567861231",
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
