//! Healthcare identifiers: NPI, DEA registration number, Medicare MBI, NHS number,
//! Australian Medicare card number.

use super::{checksum, grouped};

/// NPI: 10 digits starting with 1 or 2 (the only ones issued), Luhn valid
/// once prefixed with 80840, the card issuer prefix the NPI standard uses.
pub(super) fn npi(value: &[u8]) -> bool {
    if value.len() != 10 || !matches!(value[0], b'1' | b'2') {
        return false;
    }
    match checksum::digits_with(value, b"") {
        Some(d) => checksum::luhn_digits(&[&[8, 0, 8, 4, 0], &d[..]].concat()),
        None => false,
    }
}

/// Registrant-type letters that start a DEA number.
const DEA_TYPES: &[u8] = b"ABCDEFGHJKLMPRSTUX";

/// DEA registration number: registrant-type letter, a letter (the
/// registrant's initial) or 9, then 7 digits where
/// `(d1 + d3 + d5) + 2 * (d2 + d4 + d6)` ends in `d7`. Either case.
pub(super) fn dea(value: &[u8]) -> bool {
    if value.len() != 9
        || !DEA_TYPES.contains(&value[0].to_ascii_uppercase())
        || !(value[1].is_ascii_alphabetic() || value[1] == b'9')
    {
        return false;
    }
    let Some(d) = checksum::digits_with(&value[2..], b"") else {
        return false;
    };
    let odd = d[0] + d[2] + d[4];
    let even = d[1] + d[3] + d[5];
    (odd + 2 * even) % 10 == d[6]
}

/// Medicare Beneficiary Identifier: 11 characters, optionally written 4-3-4
/// with dashes, in the CMS layout `C A AN N A AN N A A N N` where C is 1-9,
/// N a digit, A a letter other than S, L, O, I, B, Z and AN either. Either case.
pub(super) fn mbi(value: &[u8]) -> bool {
    const LAYOUT: &[u8; 11] = b"CAXNAXNAANN";
    let Some(s) = grouped(value, &[4, 3, 4], b"-") else {
        return false;
    };
    let alpha = |b: u8| b.is_ascii_uppercase() && !b"SLOIBZ".contains(&b);
    s.iter().zip(LAYOUT).all(|(&b, &kind)| {
        let b = b.to_ascii_uppercase();
        match kind {
            b'C' => (b'1'..=b'9').contains(&b),
            b'N' => b.is_ascii_digit(),
            b'A' => alpha(b),
            _ => b.is_ascii_digit() || alpha(b),
        }
    })
}

/// NHS number (England, Wales, Isle of Man): 10 digits, written together or
/// as 3-3-4 with spaces or dashes; the first nine weighted 10 down to 2 give
/// the tenth as 11 less their sum mod 11 (11 is 0; 10 is never issued).
pub(super) fn nhs(value: &[u8]) -> bool {
    let Some(s) = grouped(value, &[3, 3, 4], b" -") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(&x, w)| u32::from(x) * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        check => u32::from(d[9]) == check,
    }
}

/// Australian Medicare card number: 10 digits, the first 2 to 6, written
/// together or as 4-5-1 with spaces, perhaps followed by the card holder's
/// 1-digit reference number (IRN); the first eight weighted 1, 3, 7, 9, 1, 3,
/// 7, 9 give the ninth as their sum mod 10.
pub(super) fn au_medicare(value: &[u8]) -> bool {
    let card = |v: &[u8]| {
        let Some(s) = grouped(v, &[4, 5, 1], b" ") else { return false };
        let Some(d) = checksum::digits_with(&s, b"") else { return false };
        const WEIGHTS: [u32; 8] = [1, 3, 7, 9, 1, 3, 7, 9];
        d.len() == 10
            && (2..=6).contains(&d[0])
            && d[..8].iter().zip(WEIGHTS).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 10 == u32::from(d[8])
    };
    if card(value) {
        return true;
    }
    // With the reference number after it, apart or not.
    match value.split_last() {
        Some((irn, rest)) if irn.is_ascii_digit() => card(rest.strip_suffix(b" ").unwrap_or(rest)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn au_medicare_table() {
        check_table(
            "au_medicare",
            &["3942 58777 1", "3942587771", "4260181591", "6301 66132 2", "6609139087 2", "2308 24627 9 1"],
            &["3942 58778 1", "1942587771", "7260181591", "394258777", "3942-58777-1", "6301 66132 2 12"],
        );
    }

    #[test]
    fn nhs_table() {
        check_table(
            "nhs",
            &[
                "6869396043",
                "741 225 7226",
                "352-068-6686",
                "4542409856",
                "489 555 2810",
                "3484389850",
                "554-679-6987",
            ],
            &["6869396044", "741 225 722", "74122572260", "741 2257 226", "abcdefghij", "0000000001"],
        );
    }

    #[test]
    fn npi_table() {
        check_table(
            "npi",
            &["1234567893", "1999999992", "2345678900", "1000000004", "2987654326"],
            &[
                "1234567890",
                "3123456782",
                "0234567895",
                "123456789",
                "12345678931",
                "1234-567-893",
                "123456789X",
                "",
            ],
        );
    }

    #[test]
    fn dea_table() {
        check_table(
            "dea",
            &["AB1234563", "BJ7654329", "FX0000012", "M93141594", "xs2718281"],
            &[
                "AB1234564",
                "QB1234563",
                "IB1234563",
                "ZZ1111119",
                "A11234563",
                "AB123456",
                "AB12345630",
                "AB-1234563",
                "AB12345X3",
                "",
            ],
        );
    }

    #[test]
    fn mbi_table() {
        check_table(
            "mbi",
            &["1EG4TE5MK73", "1EG4-TE5-MK73", "1eg4-te5-mk73", "9AA0AA0AA00", "2K19C78XP45", "5C99A93TY12"],
            &[
                "0EG4TE5MK73",
                "1SG4TE5MK73",
                "1EG4TE5MK7A",
                "19G4TE5MK73",
                "1EGATE5MK73",
                "1EG4TE5MO73",
                "1EG4TE5MK7",
                "1EG4TE5MK733",
                "1EG-4TE5-MK73",
                "1EG4 TE5 MK73",
                "1EG4-TE5MK73",
                "",
            ],
        );
    }
}
