//! The transforms that need no key: masking characters and generalizing
//! (Safe Harbor).

use crate::label::Label;

/// Masks the letters and digits of `value` with `with`, keeping the first
/// `keep_first` and the last `keep_last` of them and every other character
/// (separators) as it is: `4111 1111 1111 1111` keeping the last 4 gives
/// `**** **** **** 1111`.
pub(crate) fn mask(value: &str, keep_first: usize, keep_last: usize, with: char) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= keep_first || seen > total.saturating_sub(keep_last) { c } else { with }
        })
        .collect()
}

/// Three-digit ZIP areas of 20,000 people or fewer (2000 Census, as listed in
/// HHS guidance on Safe Harbor): their ZIP codes generalize to 000.
pub(crate) const RESTRICTED_ZIP3: &[&str] = &[
    "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884",
    "890", "893",
];

/// US state, territory and military post abbreviations (USPS).
const US_STATE_CODES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
    "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    "AS", "GU", "MP", "PR", "VI", "UM", "FM", "MH", "PW", "AA", "AE", "AP",
];

/// US state and territory names.
const US_STATE_NAMES: &[&str] = &[
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "District of Columbia",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
    "Puerto Rico",
    "Guam",
];

/// The Safe Harbor form of a ZIP code: its first three digits, or 000.
pub(crate) fn zip3(zip: &str) -> String {
    let three: String = zip.chars().take(3).collect();
    if RESTRICTED_ZIP3.contains(&three.as_str()) { "000".to_string() } else { three }
}

/// The last five-digit ZIP code in `value` (with an optional +4), as
/// (start, end, digits).
fn find_zip(value: &str) -> Option<(usize, usize, String)> {
    let b = value.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j - i == 5 {
                let mut end = j;
                if b.get(j) == Some(&b'-')
                    && b.len() >= j + 5
                    && b[j + 1..j + 5].iter().all(u8::is_ascii_digit)
                {
                    end = j + 5;
                }
                if end == b.len() || !b[end].is_ascii_alphanumeric() {
                    found = Some((i, end, value[i..i + 5].to_string()));
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Safe Harbor generalization of one finding's value, for the labels where it
/// keeps something (ages, dates given `year`, ZIP codes); `None` where the
/// label must simply go (the caller writes `[LABEL]`). A year 90 or more years
/// before `this_year` goes too: Safe Harbor counts it as a date "indicative
/// of an age over 89" (a birth year of 1931 tells a 93-year-old).
pub(crate) fn generalize(label: Label, value: &str, year: Option<String>, this_year: i32) -> Option<String> {
    match label {
        Label::Age => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            match digits.parse::<u32>() {
                Ok(n) if n >= 90 => Some(value.replacen(&digits, "90+", 1)),
                Ok(_) => Some(value.to_string()),
                // Spelled-out ages are only found when over 89.
                Err(_) => Some("90+".to_string()),
            }
        }
        Label::Date => year.filter(|y| y.parse::<i32>().is_ok_and(|y| this_year - y < 90)),
        Label::Location => {
            let (start, _, zip) = find_zip(value)?;
            // A US ZIP code keeps its first three digits: alone, after a ZIP
            // label, or after a state, which may stay (states are not
            // identifying under Safe Harbor). A postal code of another
            // country is no ZIP code: that place goes whole.
            let before = value[..start].trim_end_matches(|c: char| c.is_whitespace() || ",:#".contains(c));
            let word_ends = |s: &str| {
                let (b, n) = (before.as_bytes(), s.len());
                b.len() >= n
                    && b[b.len() - n..].eq_ignore_ascii_case(s.as_bytes())
                    && !before[..b.len() - n].ends_with(char::is_alphanumeric)
            };
            if before.is_empty() || ["zip", "zip code", "zipcode"].iter().any(|k| word_ends(k)) {
                Some(zip3(&zip))
            } else if let Some(st) = US_STATE_CODES.iter().find(|st| before.ends_with(**st) && word_ends(st))
            {
                Some(format!("{st} {}", zip3(&zip)))
            } else if US_STATE_NAMES.iter().any(|name| word_ends(name)) {
                Some(zip3(&zip))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The current year (UTC), from the system clock.
pub(crate) fn this_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    super::dates::civil_from_days((secs / 86_400) as i64).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_separators_and_ends() {
        let cases = [
            ("4111 1111 1111 1111", 0, 4, '*', "**** **** **** 1111"),
            ("4111-1111-1111-1111", 6, 4, '#', "4111-11##-####-1111"),
            ("536-22-1234", 0, 4, 'X', "XXX-XX-1234"),
            ("GB82 WEST 1234", 2, 0, '*', "GB** **** ****"),
            ("12", 0, 4, '*', "12"),
        ];
        let mut failures = Vec::new();
        for (v, f, l, w, want) in cases.iter() {
            let got = mask(v, *f, *l, *w);
            if got != *want {
                failures.push(format!("{v}: {got} != {want}"));
            }
        }
        assert!(failures.is_empty(), "{failures:?}");
        assert_eq!(mask("jane@example.org", 1, 0, '*'), "j***@*******.***");
    }

    #[test]
    fn safe_harbor_generalizations() {
        let cases: Vec<(Label, &str, Option<&str>, Option<&str>)> = vec![
            (Label::Age, "92", None, Some("90+")),
            (Label::Age, "95 y/o", None, Some("90+ y/o")),
            (Label::Age, "ninety-one", None, Some("90+")),
            (Label::Age, "45", None, Some("45")),
            (Label::Date, "07/22/2019", Some("2019"), Some("2019")),
            (Label::Date, "03/14/1936", Some("1936"), Some("1936")),
            (Label::Date, "03/14/1935", Some("1935"), None),
            (Label::Date, "1931-03-14", Some("1931"), None),
            (Label::Date, "July 22nd", None, None),
            (Label::Location, "02139", None, Some("021")),
            (Label::Location, "Boston, MA 02114-2696", None, Some("MA 021")),
            (Label::Location, "Wheatland, WY 82201", None, Some("WY 822")),
            (Label::Location, "Lander, WY 82001", None, Some("WY 820")),
            (Label::Location, "zip 03601", None, Some("000")),
            (Label::Location, "Cheyenne, WY 82101", None, Some("WY 000")),
            (Label::Location, "Springfield", None, None),
            (Label::Location, "Springfield, Illinois 62704", None, Some("627")),
            (Label::Location, "ZIP: 02139", None, Some("021")),
            // Not US ZIP codes: the place goes whole.
            (Label::Location, "Suite 932\n Põlluküla\n SA\n 93318", None, None),
            (Label::Location, "Pietersburg\n South Africa 89082", None, None),
            (Label::Location, "Soto del Barco, Spain 61709", None, None),
            (Label::Person, "Jane Roe", None, None),
        ];
        let mut failures = Vec::new();
        for (label, v, year, want) in cases {
            let got = generalize(label, v, year.map(String::from), 2025);
            if got.as_deref() != want {
                failures.push(format!("{label} {v}: {got:?} != {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        assert!((2026..2200).contains(&this_year()), "{}", this_year());
        assert_eq!(zip3("82301"), "000");
        assert_eq!(zip3("89012"), "000");
    }
}
