//! Calendar dates as written in text, with an optional time of day.
//!
//! Numeric forms: `m/d/yyyy`, `m/d/yy`, `m/d`, `mm-dd-yyyy`, `dd.mm.yyyy`,
//! `mm dd yyyy` (claim and adverse-event forms)
//! (day and month accepted in either order), `yyyy-mm-dd`, `yyyy/mm/dd`.
//! Month-name forms: `July 22, 2019`, `22 Jul 2019`, `22-Jul-19`, `14/Mar/24`,
//! `02FEB24`, `Jul 22nd`,
//! `22nd of July`, `July 2019`, optionally after a weekday. A time may follow
//! after a space or `T`: `14:03`, `14:03:11.250Z`, `2:15 PM EST`, `+02:00`.

/// Longer than any date with a time and zone; the bound keeps the work small.
const MAX_LEN: usize = 64;

/// A real calendar date (day within its month, 29 February only in leap
/// years when the year is written), with an optional valid time of day.
/// Four-digit years must lie in 1800..=2199.
pub(super) fn date(value: &[u8]) -> bool {
    if value.len() > MAX_LEN || !value.is_ascii() {
        return false;
    }
    match split_time(value) {
        Some((day, time)) => time_of_day(time) && calendar_date(day) || year_after_time(day, time),
        None => calendar_date(value),
    }
}

/// The form of `ctime`, `date` and `git log`, with the year after the time
/// and a zone before or after it: "Tue Oct 8 16:42:11 2024 -0300", "Tue Oct
/// 8 16:42:11 UTC 2024". `day` is what comes before the time.
fn year_after_time(day: &[u8], time: &[u8]) -> bool {
    let mut parts = time.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let Some(clock) = parts.next() else { return false };
    let rest: Vec<&[u8]> = parts.collect();
    let is_year = |p: &[u8]| p.len() == 4 && p.iter().all(u8::is_ascii_digit);
    let (year, zone) = match rest[..] {
        [y] if is_year(y) => (y, None),
        [y, z] if is_year(y) => (y, Some(z)),
        [z, y] if is_year(y) => (y, Some(z)),
        _ => return false,
    };
    let timed = match zone {
        Some(z) => time_of_day(&[clock, b" ", z].concat()),
        None => time_of_day(clock),
    };
    timed && day.iter().any(u8::is_ascii_digit) && calendar_date(&[day, b" ", year].concat())
}

/// Splits `value` at the last space or `T` before its first colon, if it has
/// one, dropping a comma that ends the date (`July 22, 2019, 2:15 PM`); a
/// time without minutes must end in AM or PM (`7/17 3pm`) and is split
/// before its hour.
fn split_time(value: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = match value.iter().position(|&b| b == b':') {
        Some(colon) => value[..colon].iter().rposition(|&b| matches!(b, b' ' | b'T' | b't'))?,
        None => {
            let lower = value.to_ascii_lowercase();
            let suffix = [&b"a.m."[..], b"p.m.", b"am", b"pm"].into_iter().find(|s| lower.ends_with(s))?;
            let rest = value[..value.len() - suffix.len()].trim_ascii_end();
            let digits = rest.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            let hour = rest.len() - digits;
            if digits == 0 || hour == 0 || value[hour - 1] != b' ' {
                return None;
            }
            hour - 1
        }
    };
    let day = value[..at].trim_ascii_end();
    Some((day.strip_suffix(b",").unwrap_or(day), &value[at + 1..]))
}

fn calendar_date(s: &[u8]) -> bool {
    let numeric = s.iter().all(|b| b.is_ascii_digit() || b"/-. ".contains(b));
    if numeric { numeric_date(s) } else { named_date(s) }
}

/// The value of 1 to `max_len` ASCII digits.
fn number(p: &[u8], max_len: usize) -> Option<u32> {
    if p.is_empty() || p.len() > max_len || !p.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(p.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0')))
}

/// A written year: four digits in 1800..=2199, or two digits (taken as 20yy,
/// which is a leap year exactly when 19yy is, but for 00).
fn year(p: &[u8]) -> Option<u32> {
    match p.len() {
        2 => number(p, 2).map(|y| 2000 + y),
        4 => number(p, 4).filter(|y| (1800..=2199).contains(y)),
        _ => None,
    }
}

/// Whether `day` exists in `month` of `year` (any year when `None`).
fn real(year: Option<u32>, month: u32, day: u32) -> bool {
    let leap = |y: u32| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_none_or(leap) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Day and month in either order: numeric dates are written both ways.
fn real_either_way(year: Option<u32>, a: u32, b: u32) -> bool {
    real(year, a, b) || real(year, b, a)
}

fn numeric_date(s: &[u8]) -> bool {
    let Some(&sep) = s.iter().find(|b| !b.is_ascii_digit()) else {
        return false;
    };
    // A second kind of separator stays inside a part and fails `number`.
    let parts: Vec<&[u8]> = s.split(|&b| b == sep).collect();
    let short = |p: &[u8]| number(p, 2);
    match parts[..] {
        [y, m, d] if y.len() == 4 => match (year(y), short(m), short(d)) {
            (Some(y), Some(m), Some(d)) => real(Some(y), m, d),
            _ => false,
        },
        [a, b, y] => match (short(a), short(b), year(y)) {
            (Some(a), Some(b), Some(y)) => real_either_way(Some(y), a, b),
            _ => false,
        },
        [a, b] if sep == b'/' => match (short(a), short(b)) {
            (Some(a), Some(b)) => real_either_way(None, a, b),
            _ => false,
        },
        _ => false,
    }
}

/// A piece of a date written with a month name.
#[derive(Clone, Copy)]
enum Token<'a> {
    /// A run of digits.
    Num(&'a [u8]),
    /// A run of digits with `st`, `nd`, `rd` or `th` attached.
    Ordinal(&'a [u8]),
    /// A run of letters.
    Word(&'a [u8]),
}

/// Splits `s` into digit and letter runs, skipping spaces, commas, dots,
/// dashes and slashes (`14/Mar/24`); `None` on any other byte.
fn tokens(s: &[u8]) -> Option<Vec<Token<'_>>> {
    let run = |from: usize, f: fn(&u8) -> bool| from + s[from..].iter().take_while(|&b| f(b)).count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b" ,.-/".contains(&b) {
            i += 1;
        } else if b.is_ascii_digit() {
            let end = run(i, u8::is_ascii_digit);
            let suffix_end = run(end, u8::is_ascii_alphabetic);
            let suffix = s[end..suffix_end].to_ascii_lowercase();
            if matches!(&suffix[..], b"st" | b"nd" | b"rd" | b"th") {
                out.push(Token::Ordinal(&s[i..end]));
                i = suffix_end;
            } else {
                out.push(Token::Num(&s[i..end]));
                i = end;
            }
        } else if b.is_ascii_alphabetic() {
            let end = run(i, u8::is_ascii_alphabetic);
            out.push(Token::Word(&s[i..end]));
            i = end;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Index (0-based) of the name in `names` that `word` spells in full or
/// abbreviates to at least three letters, ignoring case.
fn name_index(names: &[&str], word: &[u8]) -> Option<usize> {
    let word = word.to_ascii_lowercase();
    names.iter().position(|name| word.len() >= 3 && name.as_bytes().starts_with(&word))
}

/// Month names, lower case (shared with the date transforms).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Weekday names from Monday, lower case.
pub(crate) const WEEKDAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn named_date(s: &[u8]) -> bool {
    use Token::{Num, Ordinal, Word};
    let Some(mut tokens) = tokens(s) else {
        return false;
    };
    // "22nd of July", "July of 2019".
    tokens.retain(|t| !matches!(t, Word(w) if w.eq_ignore_ascii_case(b"of")));
    let t = match tokens.split_first() {
        Some((Word(w), rest)) if name_index(&WEEKDAYS, w).is_some() => rest,
        _ => &tokens[..],
    };
    match *t {
        [Word(m), Num(y)] if y.len() == 4 => month_day_year(m, None, Some(y)),
        [Word(m), Num(d) | Ordinal(d)] | [Num(d) | Ordinal(d), Word(m)] => month_day_year(m, Some(d), None),
        [Word(m), Num(d) | Ordinal(d), Num(y)] | [Num(d) | Ordinal(d), Word(m), Num(y)] => {
            month_day_year(m, Some(d), Some(y))
        }
        _ => false,
    }
}

/// A month name with a day, a year or both.
fn month_day_year(month: &[u8], day: Option<&[u8]>, y: Option<&[u8]>) -> bool {
    let Some(month) = name_index(&MONTHS, month) else {
        return false;
    };
    let y = match y.map(year) {
        Some(None) => return false,
        Some(y) => y,
        None => None,
    };
    match day {
        Some(d) => number(d, 2).is_some_and(|d| real(y, month as u32 + 1, d)),
        None => y.is_some(),
    }
}

/// A time of day: `h:mm` (or an hour alone before AM/PM), optional `:ss` and fraction, optional AM/PM (then
/// the hour is 1-12, else 0-23), optional zone (`Z`, `UTC`, `GMT`, an
/// abbreviation such as `EST` or `CEST`, or an offset such as `+02:00`).
fn time_of_day(t: &[u8]) -> bool {
    let mut c = Cursor(t);
    let Some(hour) = c.number(1, 2) else {
        return false;
    };
    let minutes = c.eat(b':');
    if minutes && c.number(2, 2).is_none_or(|m| m > 59) {
        return false;
    }
    if minutes && c.eat(b':') {
        if c.number(2, 2).is_none_or(|s| s > 59) {
            return false;
        }
        if (c.eat(b'.') || c.eat(b',')) && c.number(1, 9).is_none() {
            return false;
        }
    }
    c.skip_spaces();
    let half_day = c.word(&["a.m.", "p.m.", "am", "pm"]);
    // An hour alone is a time only with AM or PM ("3pm").
    if !minutes && !half_day {
        return false;
    }
    let hour_ok = if half_day { (1..=12).contains(&hour) } else { hour <= 23 };
    c.skip_spaces();
    hour_ok && c.zone() && c.0.is_empty()
}

/// A reading position in a time of day.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// Consumes `b` if it comes next.
    fn eat(&mut self, b: u8) -> bool {
        match self.0.split_first() {
            Some((&first, rest)) if first == b => {
                self.0 = rest;
                true
            }
            _ => false,
        }
    }

    /// Consumes up to `max` digits, `None` if fewer than `min` come next.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let len = self.0.iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        if len < min {
            return None;
        }
        let (digits, rest) = self.0.split_at(len);
        self.0 = rest;
        number(digits, max)
    }

    /// Consumes the first of `words` (lower case) that comes next, ignoring case.
    fn word(&mut self, words: &[&str]) -> bool {
        for w in words {
            let n = w.len();
            if self.0.len() >= n && self.0[..n].eq_ignore_ascii_case(w.as_bytes()) {
                self.0 = &self.0[n..];
                return true;
            }
        }
        false
    }

    fn skip_spaces(&mut self) {
        self.0 = self.0.trim_ascii_start();
    }

    /// Consumes an optional time zone; false if one starts but is malformed.
    fn zone(&mut self) -> bool {
        if self.eat(b'+') || self.eat(b'-') {
            // +hh, +hhmm, +hh:mm
            if self.number(2, 2).is_none_or(|h| h > 14) {
                return false;
            }
            let colon = self.eat(b':');
            return match self.number(2, 2) {
                Some(m) => m <= 59,
                None => !colon,
            };
        }
        let letters = self.0.iter().take_while(|b| b.is_ascii_uppercase()).count();
        let abbreviation = &self.0[..letters];
        // "EST", "CEST", and the short US forms "ET", "CT", "MT", "PT".
        let known = matches!(abbreviation, b"Z" | b"UTC" | b"GMT" | b"ET" | b"CT" | b"MT" | b"PT")
            || ((3..=4).contains(&letters) && abbreviation.ends_with(b"T"));
        if known {
            self.0 = &self.0[letters..];
        }
        known || letters == 0
    }
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn date_table() {
        check_table(
            "date",
            &[
                "7/22/2019",
                "07/22/19",
                "7/22",
                "22/7",
                "07-22-2019",
                "2019-07-22",
                "2019/7/22",
                "2019.07.22",
                "22.07.2019",
                "22/07/2019",
                "2/29/2020",
                "29.02.2000",
                "02/29/24",
                "2/29",
                "12/31/1800",
                "1/1/2199",
                "July 22, 2019",
                "july 22 2019",
                "22 Jul 2019",
                "22-Jul-2019",
                "22-JUL-19",
                "22JUL2019",
                "02FEB24",
                "14/Mar/24 9:41 AM",
                "Jul 22nd",
                "Jul. 22nd, 2019",
                "Sept. 3, 2019",
                "3rd of March 2020",
                "1st March",
                "July 2019",
                "Monday, July 22, 2019",
                "Tue 23 Jul 2019",
                "Feb 29, 2020",
                "2019-07-22 14:03",
                "2019-07-22T14:03:11Z",
                "2019-07-22T14:03:11.250+02:00",
                "2019-07-22T14:03:11-0500",
                "2019-07-22 00:00:00",
                "07/22/2019 2:15 PM",
                "07/22/2019 2:15pm",
                "07/22/2019, 12:00 a.m.",
                "July 19",
                "July 22, 2019 9:05 AM EST",
                "22 Jul 2019 23:59:59 GMT",
                "04/12/2024 10:47:31 ET",
                "04 19 1977",
                "21 08 2024",
                "Mar 22 2024 10:00 PT",
                "7/17 3pm",
                "7/17 11 a.m.",
                "Tue Oct 8 16:42:11 2024 -0300",
                "Mon Feb 5 23:07:55 2024 +0000",
                "Tue Oct  8 16:42:11 UTC 2024",
                "Thu Feb 29 09:00:02 2024",
            ],
            &[
                "13/45/2020",
                "7/17 13pm",
                "7/17 3",
                "00/12",
                "0/0",
                "2020-13-01",
                "2020-00-10",
                "2020-01-00",
                "9/31/2019",
                "31/9/2019",
                "2/29/2019",
                "2019-02-29",
                "1900-02-29",
                "Feb 29, 2019",
                "7/22/1799",
                "7/22/2200",
                "7/22/201",
                "7/22/2019/1",
                "Thu Feb 29 09:00:02 2023",
                "Tue Oct 8 16:42:11 24 -0300",
                "Tue Oct 8 25:42:11 2024",
                "Tue Oct 8 16:42:11 2024 -0300 extra",
                "7-22",
                "7.22",
                "1.5",
                "7/22-2019",
                "2019-07/22",
                "20190722",
                "July 32, 2019",
                "31/Feb/24",
                "13 45 2020",
                "04 19",
                "Jly 22, 2019",
                "Ju 22, 2019",
                "July 22, 2019 2019",
                "July",
                "22",
                "22 July 1799",
                "Jul 22nd 19th",
                "July 2019th",
                "Someday, July 22, 2019",
                "07/22/2019 25:00",
                "07/22/2019 13:15 PM",
                "07/22/2019 0:15 AM",
                "2019-07-22T14:60",
                "2019-07-22T14:03:60",
                "2019-07-22T14:3",
                "2019-07-22T14:035",
                "2019-07-22T123:03",
                "2019-07-22 14:03 extra",
                "2019-07-22T14:03+25:00",
                "2019-07-22T14:03+02:",
                "2019-07-22:14:03",
                "07/22/2019 2:15 PM EXTRA",
                "",
                "/",
                "July 22, 2019; 2:15",
                "2019-07-22\u{a0}14:03",
            ],
        );
    }
}
