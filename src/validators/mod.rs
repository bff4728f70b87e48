//! Named checksum and structure checks that rules apply to candidate values.
//!
//! A validator receives the matched bytes exactly as they appear in the text
//! (separators included) and answers whether the value is plausible. Each one
//! ignores the separators its identifier is commonly written with and rejects
//! anything else. No validator panics, whatever the bytes.
//!
//! The algorithms live in submodules by family: `checksum` holds the shared
//! check-digit arithmetic, the others one family of identifiers each.

mod banking;
mod checksum;
mod crypto;
pub(crate) mod date;
mod health;
mod network;
mod securities;
mod serials;
mod tax;
mod us;

/// A named check applied to a candidate value.
#[derive(Clone, Copy)]
pub struct Validator {
    name: &'static str,
    description: &'static str,
    check: fn(&[u8]) -> bool,
}

impl Validator {
    /// The name rules use to refer to it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// One line on what it checks.
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// Whether `value` passes.
    pub fn check(&self, value: &[u8]) -> bool {
        (self.check)(value)
    }
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator").field("name", &self.name).finish()
    }
}

/// Shorthand for one table row.
const fn v(name: &'static str, description: &'static str, check: fn(&[u8]) -> bool) -> Validator {
    Validator { name, description, check }
}

/// Sorted by name; a test keeps it so.
const ALL: &[Validator] = &[
    v("aadhaar", "Indian Aadhaar number: 12 digits, not starting 0 or 1, Verhoeff check digit", tax::aadhaar),
    v("aba", "US ABA bank routing number: 9 digits, 3-7-1 checksum, Federal Reserve prefix", banking::aba),
    v("abn", "Australian business number: 11 digits, weighted mod 89 check", tax::abn),
    v(
        "au_medicare",
        "Australian Medicare card number: 10 digits, weighted mod 10 check digit, optional IRN",
        health::au_medicare,
    ),
    v("bic", "SWIFT/BIC code: bank, ISO 3166 country, location, optional branch; upper case", banking::bic),
    v("bsn", "Dutch citizen service number (BSN): 9 digits, eleven test", tax::bsn),
    v("btc", "Bitcoin mainnet address: base58check P2PKH/P2SH or bech32/bech32m segwit", crypto::btc),
    v("card", "payment card number: 12-19 digits, Luhn, known issuer range", banking::card),
    v(
        "clabe",
        "Mexican CLABE interbank account number: 18 digits, 3-7-1 weighted mod 10 check",
        banking::clabe,
    ),
    v(
        "codice_fiscale",
        "Italian codice fiscale of a person: 16 characters in its layout, check letter",
        tax::codice_fiscale,
    ),
    v("cpf", "Brazilian CPF: 11 digits, two mod 11 check digits", tax::cpf),
    v("cusip", "CUSIP security identifier: 9 characters with check digit", securities::cusip),
    v("date", "real calendar date, numeric or with a month name, optional time of day", date::date),
    v("dea", "DEA registration number: registrant type, letter, 7 digits with check digit", health::dea),
    v("ein", "US employer identification number: 9 digits with an IRS campus prefix", us::ein),
    v("es_nif", "Spanish DNI/NIF or NIE: 8 digits, or X/Y/Z and 7, mod 23 check letter", tax::es_nif),
    v("eth", "Ethereum address: 0x and 40 hex digits, EIP-55 checksum when mixed case", crypto::eth),
    v("iban", "IBAN: registered country, its length, ISO 7064 mod 97 check", banking::iban),
    v("imei", "IMEI: 15 digits with Luhn check digit", serials::imei),
    v("ipv4", "IPv4 address in dotted-quad form", network::ipv4),
    v("ipv6", "IPv6 address in text form, with :: and embedded IPv4", network::ipv6),
    v("isin", "ISIN: country letters, 9 characters, Luhn check digit", securities::isin),
    v("itin", "US individual taxpayer identification number: 9XX-XX-XXXX, assigned group", us::itin),
    v("lei", "legal entity identifier (ISO 17442): 20 characters, mod 97 check", securities::lei),
    v("luhn", "Luhn (mod 10) check digit over the digits, separators ignored", checksum::luhn),
    v("mac", "MAC address: 6 hex octets, not all zero nor broadcast", network::mac),
    v("mbi", "Medicare beneficiary identifier: 11 characters in the CMS layout", health::mbi),
    v("nanp", "North American phone number: 10 digits with valid area code and exchange", us::nanp),
    v("nhs", "NHS number: 10 digits, weighted mod 11 check digit", health::nhs),
    v("nir", "French social security number (NIR): 15 characters, mod 97 key", tax::nir),
    v("npi", "US national provider identifier: 10 digits, Luhn with the 80840 prefix", health::npi),
    v("nric", "Singapore NRIC or FIN: S, T, F or G, 7 digits, weighted mod 11 check letter", tax::nric),
    v("pesel", "Polish PESEL: 11 digits, a date of birth, weighted mod 10 check digit", tax::pesel),
    v("sedol", "SEDOL: 7 characters without vowels, weighted mod 10 check", securities::sedol),
    v("sin", "Canadian social insurance number: 9 digits, Luhn, not starting 0 or 8", tax::sin),
    v("siren", "French SIREN (9 digits) or SIRET (14 digits): Luhn check", tax::siren),
    v("ssn", "US social security number: 9 digits, area, group and serial not unassigned", us::ssn),
    v(
        "steuer_id",
        "German tax identification number: 11 digits, ISO 7064 MOD 11,10 check digit",
        tax::steuer_id,
    ),
    v("tfn", "Australian tax file number: 9 digits, weighted mod 11 check", tax::tfn),
    v("vin", "vehicle identification number: 17 characters, check digit at position 9", serials::vin),
    v("zip", "US ZIP or ZIP+4 code in the assigned range", us::zip),
];

/// Every validator, in name order.
pub fn all() -> &'static [Validator] {
    ALL
}

/// The validator called `name`, if there is one.
pub fn by_name(name: &str) -> Option<&'static Validator> {
    ALL.binary_search_by(|v| v.name.cmp(name)).ok().map(|i| &ALL[i])
}

/// The bytes of `value` split into groups of the given lengths, joined.
///
/// The groups are either written together or separated by one byte from
/// `seps`, the same byte at every boundary. Only the layout is checked here;
/// the caller checks what the groups hold.
fn grouped(value: &[u8], groups: &[usize], seps: &[u8]) -> Option<Vec<u8>> {
    let total: usize = groups.iter().sum();
    if value.len() == total {
        return Some(value.to_vec());
    }
    if value.len() != total + groups.len() - 1 {
        return None;
    }
    let sep = value[groups[0]];
    if !seps.contains(&sep) {
        return None;
    }
    let mut out = Vec::with_capacity(total);
    for (i, part) in value.split(|&b| b == sep).enumerate() {
        if groups.get(i) != Some(&part.len()) {
            return None;
        }
        out.extend_from_slice(part);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one validator over its table, gathering every failure before asserting.
    pub(super) fn check_table(name: &str, valid: &[&str], invalid: &[&str]) {
        let v = by_name(name).unwrap_or_else(|| panic!("no validator named {name}"));
        let mut failures = Vec::new();
        for case in valid {
            if !v.check(case.as_bytes()) {
                failures.push(format!("{name}: should accept {case:?}"));
            }
        }
        for case in invalid {
            if v.check(case.as_bytes()) {
                failures.push(format!("{name}: should reject {case:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(valid.len() >= 5 && invalid.len() >= 5, "{name}: table too small");
    }

    #[test]
    fn table_is_sorted_and_names_unique() {
        for pair in ALL.windows(2) {
            assert!(pair[0].name < pair[1].name, "{} before {}", pair[0].name, pair[1].name);
        }
        for v in all() {
            assert_eq!(by_name(v.name).map(Validator::name), Some(v.name));
            assert!(!v.description.is_empty());
        }
        assert!(by_name("nope").is_none());
    }

    #[test]
    fn grouping() {
        let g = |s: &str| grouped(s.as_bytes(), &[3, 2, 4], b"- ").map(|v| String::from_utf8(v).unwrap());
        assert_eq!(g("123456789").as_deref(), Some("123456789"));
        assert_eq!(g("123-45-6789").as_deref(), Some("123456789"));
        assert_eq!(g("123 45 6789").as_deref(), Some("123456789"));
        for bad in ["123-45 6789", "12-345-6789", "123.45.6789", "123-4567-89", "1234-5-6789", ""] {
            assert_eq!(g(bad), None, "{bad:?}");
        }
    }

    /// Inputs no validator may panic on, and none should accept.
    #[test]
    fn hostile_inputs_are_rejected_without_panic() {
        let mut inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            vec![b'7'; 1 << 20],
            vec![b'A'; 1 << 20],
            b"12/".repeat(1 << 18),
            b"ff:".repeat(1 << 18),
            vec![0xff, 0xfe, 0x80, 0x00],
            b"\xc3\x28\xa0\xa1".to_vec(),
            "０１２３４５６７８９".as_bytes().to_vec(),
        ];
        for sep in [&b" "[..], b"-", b".", b"/", b":", b"()", b" -./:()+x#"] {
            inputs.push(sep.repeat(20));
        }
        for v in all() {
            for input in &inputs {
                let prefix = &input[..input.len().min(12)];
                assert!(!v.check(input), "{} accepted {:?}...", v.name, prefix);
            }
        }
    }

    /// Random short strings over the characters identifiers are made of: no panic.
    #[test]
    fn random_inputs_do_not_panic() {
        const ALPHABET: &[u8] = b"0123456789abcfxzABFQSXZ :-./()+,#T\xff";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 48) as usize;
            let input: Vec<u8> =
                (0..len).map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize]).collect();
            for v in all() {
                v.check(&input);
            }
        }
    }
}
