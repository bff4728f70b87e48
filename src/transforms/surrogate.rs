//! Surrogates: realistic replacement values of the same kind and shape.
//!
//! A surrogate is drawn from a generator seeded by a keyed hash of the label
//! and the normalized original, so one value always gets the same surrogate
//! under one key. Names come from the built-in name lists (keeping case and
//! initials), phone numbers from the NANP's fictional 555-01xx range, emails
//! from the reserved example domains, SSNs from the never-issued 666 area,
//! card numbers pass Luhn, IBANs and routing numbers pass their checks, IP
//! addresses come from the documentation ranges, and places are real US
//! cities with one of their ZIP codes. Other identifiers keep their shape
//! (digits stay digits, letters letters, separators stay). A surrogate is
//! never equal to its original: the caller draws again when it is.

use std::sync::OnceLock;

use crate::label::Label;

/// SplitMix64: small, fast and good enough to pick list entries.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.below(list.len() as u64) as usize]
    }
}

fn lines(path: &str) -> Vec<&'static str> {
    let bytes = crate::packs::builtin_file(path).unwrap_or_default();
    std::str::from_utf8(bytes)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn first_names() -> &'static [&'static str] {
    static L: OnceLock<Vec<&'static str>> = OnceLock::new();
    L.get_or_init(|| lines("dict/first-names.txt"))
}

fn surnames() -> &'static [&'static str] {
    static L: OnceLock<Vec<&'static str>> = OnceLock::new();
    L.get_or_init(|| lines("dict/surnames.txt"))
}

/// (city, state, ZIP)
fn places() -> &'static [(&'static str, &'static str, &'static str)] {
    static L: OnceLock<Vec<(&'static str, &'static str, &'static str)>> = OnceLock::new();
    L.get_or_init(|| {
        lines("dict/us-places.tsv")
            .into_iter()
            .filter_map(|l| {
                let mut it = l.split('\t');
                Some((it.next()?, it.next()?, it.next()?))
            })
            .collect()
    })
}

const STREETS: &[&str] = &[
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Elm",
    "Walnut",
    "Willow",
    "Lake",
    "Hill",
    "Park",
    "River",
    "Sunset",
    "Meadow",
    "Forest",
    "Spring",
    "Highland",
    "Jackson",
    "Lincoln",
    "Madison",
    "Franklin",
    "Washington",
    "Jefferson",
    "Church",
    "Mill",
    "Center",
    "Ridge",
    "Valley",
    "Garden",
    "Orchard",
    "Harbor",
];
const SUFFIXES: &[&str] =
    &["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Place", "Way", "Boulevard", "Terrace"];

/// Writes `word` in the letter case of `like` (Title, UPPER or lower).
fn in_case_of(word: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        word.to_uppercase()
    } else if letters.iter().all(|c| c.is_lowercase()) {
        word.to_lowercase()
    } else {
        let mut c = word.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
            None => String::new(),
        }
    }
}

const TITLES: &[&str] = &["dr", "mr", "mrs", "ms", "mx", "miss", "prof", "doctor", "nurse", "sister"];

/// A name with each part replaced by another of its kind; initials stay
/// initials, titles stay, separators stay.
fn person(value: &str, rng: &mut Rng) -> String {
    // Words (letters, apostrophes, hyphens) and what lies between them.
    let mut parts: Vec<(bool, String)> = Vec::new();
    for c in value.chars() {
        let word_char = c.is_alphabetic() || c == '\'' || c == '’' || c == '-';
        match parts.last_mut() {
            Some((w, s)) if *w == word_char => s.push(c),
            _ => parts.push((word_char, c.to_string())),
        }
    }
    let words: Vec<usize> = parts.iter().enumerate().filter(|(_, (w, _))| *w).map(|(i, _)| i).collect();
    let comma_form = value.contains(',');
    let n = words.len();
    for (k, &i) in words.iter().enumerate() {
        let original = parts[i].1.clone();
        let lower = original.to_lowercase();
        if TITLES.contains(&lower.trim_end_matches('.')) {
            continue;
        }
        let replacement = if original.chars().count() == 1 {
            // An initial stays an initial.
            let letter = char::from(b'A' + rng.below(26) as u8);
            in_case_of(&letter.to_string(), &original)
        } else {
            let is_surname = if comma_form { k == 0 } else { k + 1 == n && n > 1 };
            let list = if is_surname { surnames() } else { first_names() };
            let pick = if list.is_empty() { "Alex" } else { rng.pick(list) };
            in_case_of(pick, &original)
        };
        parts[i].1 = replacement;
    }
    parts.into_iter().map(|(_, s)| s).collect()
}

/// `value` with every ASCII digit replaced in turn by the digits of `digits`.
fn put_digits(value: &str, digits: &[u8]) -> String {
    let mut it = digits.iter();
    value
        .chars()
        .map(|c| if c.is_ascii_digit() { it.next().map_or(c, |d| char::from(b'0' + d)) } else { c })
        .collect()
}

fn digits_of(value: &str) -> Vec<u8> {
    value.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect()
}

fn luhn_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn card(value: &str, rng: &mut Rng) -> String {
    let n = digits_of(value).len();
    let prefix: &[u8] = match n {
        15 => &[3, 7],
        14 => &[3, 6],
        _ => &[4],
    };
    let mut d: Vec<u8> = prefix.to_vec();
    while d.len() + 1 < n {
        d.push(rng.below(10) as u8);
    }
    d.push(luhn_digit(&d));
    put_digits(value, &d)
}

fn phone(value: &str, rng: &mut Rng) -> String {
    let d = digits_of(value);
    if d.len() < 10 {
        let r: Vec<u8> = d.iter().map(|_| rng.below(10) as u8).collect();
        return put_digits(value, &r);
    }
    // The ten NANP digits: the first ten after a leading country code 1.
    let start = if d.len() >= 11 && d[0] == 1 { 1 } else { 0 };
    let mut out = d.clone();
    let area = [2 + rng.below(8) as u8, rng.below(10) as u8, 1 + rng.below(9) as u8];
    let nanp = [area[0], area[1], area[2], 5, 5, 5, 0, 1, rng.below(10) as u8, rng.below(10) as u8];
    out[start..start + 10].copy_from_slice(&nanp);
    for x in out.iter_mut().skip(start + 10) {
        *x = rng.below(10) as u8;
    }
    put_digits(value, &out)
}

fn ssn(value: &str, rng: &mut Rng) -> String {
    let mut d = vec![6, 6, 6, 0, 1 + rng.below(9) as u8];
    d.extend((0..3).map(|_| rng.below(10) as u8));
    d.push(1 + rng.below(9) as u8);
    put_digits(value, &d)
}

fn routing(value: &str, rng: &mut Rng) -> String {
    let mut d = vec![0, 1 + rng.below(9) as u8];
    d.extend((0..6).map(|_| rng.below(10) as u8));
    let s = 3 * (u32::from(d[0]) + u32::from(d[3]) + u32::from(d[6]))
        + 7 * (u32::from(d[1]) + u32::from(d[4]) + u32::from(d[7]))
        + (u32::from(d[2]) + u32::from(d[5]));
    d.push(((10 - s % 10) % 10) as u8);
    put_digits(value, &d)
}

/// Keeps the shape: digits stay digits, letters stay letters of the same case.
fn same_shape(value: &str, rng: &mut Rng) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                rng.digit()
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + rng.below(26) as u8)
            } else if c.is_ascii_lowercase() {
                char::from(b'a' + rng.below(26) as u8)
            } else {
                c
            }
        })
        .collect()
}

fn iban(value: &str, rng: &mut Rng) -> String {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 5 {
        return same_shape(value, rng);
    }
    let country = compact[..2].to_ascii_uppercase();
    let bban = same_shape(&compact[4..], rng).to_ascii_uppercase();
    // Check digits: 98 - (BBAN + country + "00" as a number mod 97).
    let rearranged = format!("{bban}{country}00");
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    let check = 98 - rem;
    let full = format!("{country}{check:02}{bban}");
    // Put it back in the original grouping.
    let mut it = full.chars();
    value.chars().map(|c| if c.is_whitespace() { c } else { it.next().unwrap_or(c) }).collect()
}

fn email(value: &str, rng: &mut Rng) -> String {
    let first = first_names().get(rng.below(first_names().len() as u64) as usize).copied().unwrap_or("alex");
    let last = surnames().get(rng.below(surnames().len() as u64) as usize).copied().unwrap_or("doe");
    let domain = rng.pick(&["example.com", "example.org", "example.net"]);
    let _ = value;
    format!("{}.{}{}@{domain}", first.to_lowercase(), last.to_lowercase(), rng.below(100))
}

fn ip(value: &str, rng: &mut Rng) -> String {
    if value.contains(':') {
        format!("2001:db8::{:x}:{:x}", rng.below(0x10000), 1 + rng.below(0xfffe))
    } else {
        let net = rng.pick(&["192.0.2", "198.51.100", "203.0.113"]);
        format!("{net}.{}", 1 + rng.below(254))
    }
}

fn mac(value: &str, rng: &mut Rng) -> String {
    let sep = if value.contains('-') { "-" } else { ":" };
    let s = format!("00{sep}00{sep}5e{sep}00{sep}53{sep}{:02x}", rng.below(256));
    if value.chars().any(|c| c.is_ascii_uppercase()) { s.to_uppercase() } else { s }
}

fn url(value: &str, rng: &mut Rng) -> String {
    let scheme = if value.starts_with("http://") { "http://" } else { "https://" };
    let domain = rng.pick(&["example.com", "example.org", "example.net"]);
    let path_len = value.len().saturating_sub(scheme.len() + domain.len()).clamp(0, 24);
    let path: String = (0..path_len).map(|_| char::from(b'a' + rng.below(26) as u8)).collect();
    if path.is_empty() { format!("{scheme}{domain}") } else { format!("{scheme}{domain}/{path}") }
}

fn hospitals() -> &'static [&'static str] {
    static L: OnceLock<Vec<&'static str>> = OnceLock::new();
    L.get_or_init(|| {
        // Names the facility rule finds again by their kind word.
        let kinds = [" Hospital", " Medical Center", " Clinic", " Health Center"];
        lines("dict/hospitals.txt").into_iter().filter(|h| kinds.iter().any(|k| h.ends_with(k))).collect()
    })
}

/// Whether a place is a care facility by its wording.
fn is_facility(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    [
        "hospital",
        "medical",
        "clinic",
        "health",
        "infirmary",
        "hospice",
        "rehab",
        "nursing",
        "care",
        "center",
        "centre",
    ]
    .iter()
    .any(|k| v.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == *k))
}

fn location(value: &str, rng: &mut Rng) -> String {
    if is_facility(value) && !hospitals().is_empty() {
        return in_case_of_text(rng.pick(hospitals()), value);
    }
    let all = places();
    let (city, state, zip) = if all.is_empty() {
        ("Springfield", "IL", "62701")
    } else {
        all[rng.below(all.len() as u64) as usize]
    };
    let has_zip = value.split(|c: char| !c.is_ascii_digit()).any(|d| d.len() == 5);
    let street_first = value.trim_start().starts_with(|c: char| c.is_ascii_digit());
    let street = format!("{} {} {}", 1 + rng.below(9999), rng.pick(STREETS), rng.pick(SUFFIXES));
    let out = match (street_first, has_zip) {
        (true, true) => format!("{street}, {city}, {state} {zip}"),
        (true, false) => street,
        (false, true) => format!("{city}, {state} {zip}"),
        (false, false) => city.to_string(),
    };
    in_case_of_text(&out, value)
}

/// `text` in ALL CAPS when `like` is, else as it is.
fn in_case_of_text(text: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        text.to_uppercase()
    } else {
        text.to_string()
    }
}

fn age(value: &str, rng: &mut Rng) -> String {
    let d = digits_of(value);
    if d.is_empty() {
        return "ninety".to_string();
    }
    let n: u32 = d.iter().fold(0, |a, &x| a * 10 + u32::from(x));
    let new = if n >= 90 { 90 + rng.below(16) as u32 } else { 18 + rng.below(70) as u32 };
    let old = d.iter().map(|x| char::from(b'0' + x)).collect::<String>();
    value.replacen(&old, &new.to_string(), 1)
}

/// A surrogate for a value of `label`; `date` handles dates (it needs the
/// date module), `None` keeps the shape instead.
pub(crate) fn surrogate(
    label: Label,
    value: &str,
    seed: u64,
    date: impl Fn(&str, &mut Rng) -> Option<String>,
) -> String {
    let mut rng = Rng::new(seed);
    match label {
        Label::Person => person(value, &mut rng),
        Label::Email => email(value, &mut rng),
        Label::Phone => phone(value, &mut rng),
        Label::Ssn => ssn(value, &mut rng),
        Label::CreditCard => card(value, &mut rng),
        Label::Iban => iban(value, &mut rng),
        Label::RoutingNumber => routing(value, &mut rng),
        Label::IpAddress => ip(value, &mut rng),
        Label::MacAddress => mac(value, &mut rng),
        Label::Url => url(value, &mut rng),
        Label::Location => location(value, &mut rng),
        Label::Age => age(value, &mut rng),
        Label::Date => date(value, &mut rng).unwrap_or_else(|| same_shape(value, &mut rng)),
        _ => same_shape(value, &mut rng),
    }
}
