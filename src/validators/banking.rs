//! Bank and card identifiers: payment cards, IBAN, ABA routing numbers, BIC.

use super::checksum;

/// An issuer range over the first six digits of a card number, and the card
/// lengths issued in it.
struct IinRange {
    first: u32,
    last: u32,
    min_len: usize,
    max_len: usize,
}

const fn iin(first: u32, last: u32, min_len: usize, max_len: usize) -> IinRange {
    IinRange { first, last, min_len, max_len }
}

/// Issuer ranges by network. Overlaps are harmless: any match will do.
const CARD_RANGES: &[IinRange] = &[
    iin(400_000, 499_999, 13, 19), // Visa
    iin(510_000, 559_999, 16, 16), // Mastercard
    iin(222_100, 272_099, 16, 16), // Mastercard 2-series
    iin(340_000, 349_999, 15, 15), // American Express
    iin(370_000, 379_999, 15, 15), // American Express
    iin(601_100, 601_199, 16, 19), // Discover
    iin(644_000, 659_999, 16, 19), // Discover
    iin(622_126, 622_925, 16, 19), // Discover co-branded UnionPay
    iin(352_800, 358_999, 16, 19), // JCB
    iin(300_000, 305_999, 14, 19), // Diners Club
    iin(309_500, 309_599, 14, 19), // Diners Club
    iin(360_000, 369_999, 14, 19), // Diners Club
    iin(380_000, 399_999, 14, 19), // Diners Club
    iin(620_000, 629_999, 16, 19), // UnionPay
    iin(500_000, 509_999, 12, 19), // Maestro
    iin(560_000, 699_999, 12, 19), // Maestro
    iin(220_000, 220_499, 16, 19), // Mir
];

/// Payment card number: 12-19 digits (spaces and dashes ignored), Luhn valid,
/// in a known issuer range, and not one digit repeated.
pub(super) fn card(value: &[u8]) -> bool {
    let Some(d) = checksum::digits(value) else {
        return false;
    };
    if !(12..=19).contains(&d.len()) || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let prefix = d[..6].iter().fold(0, |acc, &x| acc * 10 + u32::from(x));
    let in_range = CARD_RANGES
        .iter()
        .any(|r| (r.first..=r.last).contains(&prefix) && (r.min_len..=r.max_len).contains(&d.len()));
    in_range && checksum::luhn_digits(&d)
}

/// IBAN lengths by country code, from the SWIFT IBAN registry.
const IBAN_LENGTHS: &[([u8; 2], usize)] = &[
    (*b"AD", 24),
    (*b"AE", 23),
    (*b"AL", 28),
    (*b"AT", 20),
    (*b"AZ", 28),
    (*b"BA", 20),
    (*b"BE", 16),
    (*b"BG", 22),
    (*b"BH", 22),
    (*b"BI", 27),
    (*b"BR", 29),
    (*b"BY", 28),
    (*b"CH", 21),
    (*b"CR", 22),
    (*b"CY", 28),
    (*b"CZ", 24),
    (*b"DE", 22),
    (*b"DJ", 27),
    (*b"DK", 18),
    (*b"DO", 28),
    (*b"EE", 20),
    (*b"EG", 29),
    (*b"ES", 24),
    (*b"FI", 18),
    (*b"FK", 18),
    (*b"FO", 18),
    (*b"FR", 27),
    (*b"GB", 22),
    (*b"GE", 22),
    (*b"GI", 23),
    (*b"GL", 18),
    (*b"GR", 27),
    (*b"GT", 28),
    (*b"HN", 28),
    (*b"HR", 21),
    (*b"HU", 28),
    (*b"IE", 22),
    (*b"IL", 23),
    (*b"IQ", 23),
    (*b"IS", 26),
    (*b"IT", 27),
    (*b"JO", 30),
    (*b"KW", 30),
    (*b"KZ", 20),
    (*b"LB", 28),
    (*b"LC", 32),
    (*b"LI", 21),
    (*b"LT", 20),
    (*b"LU", 20),
    (*b"LV", 21),
    (*b"LY", 25),
    (*b"MC", 27),
    (*b"MD", 24),
    (*b"ME", 22),
    (*b"MK", 19),
    (*b"MN", 20),
    (*b"MR", 27),
    (*b"MT", 31),
    (*b"MU", 30),
    (*b"NI", 28),
    (*b"NL", 18),
    (*b"NO", 15),
    (*b"OM", 23),
    (*b"PK", 24),
    (*b"PL", 28),
    (*b"PS", 29),
    (*b"PT", 25),
    (*b"QA", 29),
    (*b"RO", 24),
    (*b"RS", 22),
    (*b"RU", 33),
    (*b"SA", 24),
    (*b"SC", 31),
    (*b"SD", 18),
    (*b"SE", 24),
    (*b"SI", 19),
    (*b"SK", 24),
    (*b"SM", 27),
    (*b"SO", 23),
    (*b"ST", 25),
    (*b"SV", 28),
    (*b"TL", 23),
    (*b"TN", 24),
    (*b"TR", 26),
    (*b"UA", 29),
    (*b"VA", 22),
    (*b"VG", 24),
    (*b"XK", 20),
    (*b"YE", 30),
];

/// Longest IBAN in the registry.
const IBAN_MAX: usize = 34;

/// IBAN (ISO 13616): registered country, its length, two check digits and an
/// alphanumeric BBAN with mod 97 == 1. Spaces are ignored, letters of either
/// case accepted.
pub(super) fn iban(value: &[u8]) -> bool {
    // A bound before copying: at most one space per character.
    if value.len() > 2 * IBAN_MAX {
        return false;
    }
    let s: Vec<u8> = value.iter().filter(|&&b| b != b' ').map(u8::to_ascii_uppercase).collect();
    if s.len() < 5 {
        return false;
    }
    let (head, bban) = s.split_at(4);
    let country = [head[0], head[1]];
    let Ok(i) = IBAN_LENGTHS.binary_search_by(|(c, _)| c.cmp(&country)) else {
        return false;
    };
    s.len() == IBAN_LENGTHS[i].1
        && head[2..].iter().all(u8::is_ascii_digit)
        && checksum::mod97(bban.iter().chain(head)) == Some(1)
}

/// Mexican CLABE (interbank account number): 18 digits, written together or
/// as bank, branch, account and check digit (3-3-11-1) with spaces; the
/// digits weighted 3, 7, 1 in turn, each product taken mod 10, sum with the
/// check digit to a multiple of 10.
pub(super) fn clabe(value: &[u8]) -> bool {
    let Some(s) = super::grouped(value, &[3, 3, 11, 1], b" ") else { return false };
    let Some(d) = checksum::digits_with(&s, b"") else { return false };
    if d.len() != 18 {
        return false;
    }
    let sum: u32 =
        d[..17].iter().zip([3u32, 7, 1].iter().cycle()).map(|(&x, &w)| u32::from(x) * w % 10).sum();
    (10 - sum % 10) % 10 == u32::from(d[17])
}

/// US ABA routing number: 9 digits (spaces and dashes ignored), a Federal
/// Reserve prefix, and the 3-7-1 weighted checksum.
pub(super) fn aba(value: &[u8]) -> bool {
    let Some(d) = checksum::digits(value) else {
        return false;
    };
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    // 00 government, 01-12 Federal Reserve districts, 21-32 thrifts,
    // 61-72 electronic transactions, 80 traveller's cheques.
    let prefix = d[0] * 10 + d[1];
    let weighted: u32 = d.iter().zip([3, 7, 1].iter().cycle()).map(|(&x, &w)| u32::from(x) * w).sum();
    matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80) && weighted % 10 == 0
}

/// ISO 3166-1 alpha-2 country codes, plus XK (Kosovo), which SWIFT uses.
const COUNTRIES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV \
CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD \
GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM \
IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK \
LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW \
MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR \
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS \
ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY \
UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

fn is_country(code: &[u8]) -> bool {
    COUNTRIES.split(' ').any(|c| c.as_bytes() == code)
}

/// SWIFT/BIC (ISO 9362): 4-letter bank code, an existing country code,
/// 2-character location and an optional 3-character branch, upper case only
/// (a mixed-case run of letters is more likely a word).
pub(super) fn bic(value: &[u8]) -> bool {
    let upper_alnum = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    (value.len() == 8 || value.len() == 11)
        && value[..4].iter().all(u8::is_ascii_uppercase)
        && is_country(&value[4..6])
        && value[6..].iter().all(upper_alnum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validators::tests::check_table;

    #[test]
    fn clabe_table() {
        check_table(
            "clabe",
            &[
                "032180000118359719",
                "948757491186252767",
                "018 955 59797114710 5",
                "497465075291703425",
                "366712768426846565",
                "321223307924402684",
            ],
            &[
                "032180000118359718",
                "03218000011835971",
                "0321800001183597190",
                "032-180-00011835971-9",
                "03218000011835971a",
                "948 757491186252767",
            ],
        );
    }

    #[test]
    fn card_table() {
        check_table(
            "card",
            &[
                "4526018159083012",
                "4526 0181 5908 3012",
                "4526-0181-5908-3012",
                "4661318609133",
                "4909960308246281946",
                "5182199351819098",
                "5537865797543235",
                "2221194875749111",
                "2720862527601890",
                "3455 597971 14716",
                "370497465075299",
                "6011170342366718",
                "6442768426846569",
                "6532122330792447",
                "6221260268599529",
                "6229258907866661766",
                "3528031372159014",
                "3589092815901392",
                "30062459571174",
                "30577741215470",
                "36280385280843",
                "3814852538885397",
                "62336338750047432",
                "509575513130",
                "6973537990751163722",
                "2200651676122207",
            ],
            &[
                "4526018159083013",
                "5182199351819099",
                "370497465075290",
                "1297299752882009",
                "7182633043483950",
                "2721486205798684",
                "3428288072902223",
                "517918058887182",
                "4444444444444444",
                // One digit repeated, yet Luhn valid and in the Visa and Maestro ranges.
                "44444444444444444",
                "6666666666666",
                "0000000000000000",
                "4526.0181.5908.3012",
                "4526018159083012 ",
                "45260181590830120000",
                "",
            ],
        );
    }

    #[test]
    fn iban_table() {
        check_table(
            "iban",
            &[
                "GB82 WEST 1234 5698 7654 32",
                "GB82WEST12345698765432",
                "gb82 west 1234 5698 7654 32",
                "DE89 3704 0044 0532 0130 00",
                "NO9386011117947",
                "LC55HEMM000100010012001200023015",
                "RU340445252250000000000000000000N",
                "FR14 2004 1010 0505 0001 3M02 606",
                "XK051212012345678906",
                "MT84MALT011000012345MTLCAST001S",
                "BE68539007547034",
            ],
            &[
                "GB83 WEST 1234 5698 7654 32",
                // Mod 97 holds, but the length is not the country's.
                "GB88WEST1234569876543",
                "DE543704004405320130001",
                "NO37860111179470",
                "GB82 WEST 1234 5698 7654 3",
                "GB82-WEST-1234-5698-7654-32",
                "DE89 3704 0044 0532 0130 000",
                "US82WEST12345698765432",
                "ZZ82WEST12345698765432",
                "BEAB539007547034",
                "BE68539007547034!",
                "GB",
                "",
            ],
        );
    }

    #[test]
    fn iban_table_is_sorted_and_uses_country_codes() {
        for pair in IBAN_LENGTHS.windows(2) {
            assert!(pair[0].0 < pair[1].0);
        }
        for (code, len) in IBAN_LENGTHS {
            assert!(is_country(code) && (15..=IBAN_MAX).contains(len));
        }
    }

    #[test]
    fn country_list_is_complete_and_sorted() {
        let codes: Vec<&str> = COUNTRIES.split(' ').collect();
        // 249 ISO 3166-1 codes plus XK.
        assert_eq!(codes.len(), 250);
        assert!(codes.windows(2).all(|p| p[0] < p[1]));
        assert!(codes.iter().all(|c| c.len() == 2));
    }

    #[test]
    fn aba_table() {
        check_table(
            "aba",
            &[
                "011000015",
                "121000358",
                "021000021",
                "322270181",
                "261073973",
                "610000102",
                "800000006",
                "720000005",
                "000000107",
                "0210-0002-1",
            ],
            &[
                "000000000",
                "130000006",
                "990000000",
                "011000016",
                "01100001",
                "0110000150",
                "021000021x",
                "021.000.021",
                "",
                "---------",
            ],
        );
    }

    #[test]
    fn bic_table() {
        check_table(
            "bic",
            &["DEUTDEFF", "DEUTDEFF500", "NWBKGB2L", "BNPAFRPPXXX", "CHASUS33", "RZOOAT2L303", "TESTXK22"],
            &[
                "DeutDEFF",
                "DEUTDEFF50",
                "DEUTZZFF",
                "DEUTDEff",
                "DEU1DEFF",
                "DEUTDEFF5000",
                "DEUT DEFF",
                "",
                "deutdeff",
            ],
        );
    }
}
