//! Dates as they are written: a detected date is parsed into its parts and a
//! changed date is written back in the same form, for the `shift`,
//! `generalize` and `surrogate` transforms.
//!
//! The written form is remembered piece by piece: the order of the parts and
//! the text between them, zero-padding, a two- or four-digit year, the month as
//! a number, a full name or an abbreviation (with or without a dot) and its
//! letter case, ordinal suffixes (`22nd`) or words (`twenty-second`), a leading
//! weekday, and a time of day that follows the date (kept verbatim).
//!
//! Forms understood (the ones the rule packs detect):
//!
//! - numeric: `7/22`, `07/22/2019`, `7/22/19`, `07-22-2019`, `2019-07-22`,
//!   `2019/07/22`, `2019.07.22`, `22.07.2019`, `03/2019`, `7-2021`, `3/80`,
//!   compact `19800512` and `07221945`;
//! - with a month name: `July 22, 2019`, `Jul. 22nd`, `22 Jul 2019`,
//!   `22-JUL-19`, `22JUL2019`, `22/Jul/2019`, `the 22nd of July`,
//!   `July the 4th`, `March third, 1948`, `twenty-second of July`,
//!   `July 2019`, `July of 2019`, `Jul-2019`, `Jan 15 '23`, `Jan '24`,
//!   `November` (a month alone), `22nd` (a day alone);
//! - any of these after a weekday (`Tuesday, July 22, 2019`, `Mon 2019-07-22`)
//!   that has a day;
//! - followed by a time, kept as written: `2019-07-22T14:03:11Z`,
//!   `07/22/2019 2:15 PM`, `22/Jul/2019:14:03:11 +0000`, syslog
//!   `Jul 22 14:03:11`, `7/22 at 14:00`, `Feb 22nd @ 9AM`.
//!
//! Reading choices:
//!
//! - `a/b` and `a/b/y`: month first (US) unless that is not a date (the first
//!   number is over 12); `a.b.y`: day first unless that is not a date.
//! - `a/bb` is month/day when it can be (`11/18` is 18 November), else
//!   month/two-digit year (`3/80` is March 1980).
//! - Two-digit years 00-29 are 2000-2029, 30-99 are 1930-1999. A date moved
//!   across that pivot is still written with two digits (`12/31/29` plus one
//!   day is `1/1/30`, which reads back as 1930).
//! - `May` is taken as a full month name unless a dot follows it.
//! - Zero-padding is read from the written numbers (`07`, `7`); where they
//!   cannot tell (`12/22`), dates with a four-digit year, year-first and
//!   compact dates, and day-first dates with dashes or slashes (`22-Jul-2019`)
//!   are taken as padded, the others (`12/22/19`) as not.
//!
//! Not understood (`parse` gives `None`): ranges (`July 22-24, 2019`,
//! `7/22-7/25`), a weekday alone or relative dates (`last Friday`), bare
//! years, and text before the date other than `the` or a weekday.

use std::fmt;
use std::ops::Range;

/// Longer than any detected date with its time; keeps the work small.
const MAX_LEN: usize = 96;

/// Two-digit years below this are 20yy, the others 19yy.
const PIVOT: u32 = 30;

/// The year assumed for a date written without one: not a leap year, and
/// neither are the years before and after it, so a shift by up to a year
/// lands on the same day of the month either way.
const REFERENCE_YEAR: i64 = 2002;

/// The year assumed for 29 February written without a year.
const REFERENCE_LEAP_YEAR: i64 = 2004;

/// The mean length of a month in days, to move dates that have no day.
const DAYS_PER_MONTH: f64 = 30.44;

/// Day numbers of 0000-01-01 and 9999-12-31 (day 0 is 1970-01-01): the years
/// that can be written with four digits.
const FIRST_DAY: i64 = -719_528;
const LAST_DAY: i64 = 2_932_896;

use crate::validators::date::{MONTHS, WEEKDAYS};

/// Ordinal words for the days 1 to 20; 21-29 and 31 are compounds.
const DAY_WORDS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// A date as written in text: its parts and how each one was written.
#[derive(Clone)]
pub(crate) struct WrittenDate {
    text: String,
    pieces: Vec<Piece>,
    parts: Parts,
    /// The weekday written before the date (0 is Monday), if any.
    weekday: Option<u32>,
}

/// Does not show the date: it is the sensitive value being transformed.
impl fmt::Debug for WrittenDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrittenDate")
            .field("has_year", &self.parts.year.is_some())
            .field("has_month", &self.parts.month.is_some())
            .field("has_day", &self.parts.day.is_some())
            .finish_non_exhaustive()
    }
}

/// The parts of a date that its written form has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

/// A stretch of the original text: kept as it is, or a field rewritten when
/// its value changes.
#[derive(Clone, Debug)]
enum Piece {
    Text(Range<usize>),
    Field(Field, Range<usize>),
}

#[derive(Clone, Copy, Debug)]
enum Field {
    Year {
        two_digits: bool,
    },
    MonthNumber {
        pad: Pad,
    },
    MonthName(NameStyle),
    /// A day in digits, with its ordinal suffix (`nd`, `ND`) if it has one.
    Day {
        pad: Pad,
        suffix: Option<Case>,
    },
    /// A day as an ordinal word (`third`, `twenty-second`).
    DayWords {
        case: Case,
        joiner: Joiner,
    },
    Weekday(NameStyle),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pad {
    None,
    Zero,
    /// Syslog's `Jul  2`.
    Space,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Lower,
    Upper,
    /// The first letter upper case.
    Title,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Abbr {
    Full,
    /// Three letters.
    Short,
    /// `Sept`, `Tues`, `Thurs`: three letters for the other names.
    Long,
}

#[derive(Clone, Copy, Debug)]
struct NameStyle {
    case: Case,
    abbr: Abbr,
    /// A dot after the abbreviation (`Jul.`).
    dot: bool,
}

/// Between the words of `twenty-second`.
#[derive(Clone, Copy, Debug)]
enum Joiner {
    Hyphen,
    Space,
    Nothing,
}

impl Joiner {
    fn as_str(self) -> &'static str {
        match self {
            Joiner::Hyphen => "-",
            Joiner::Space => " ",
            Joiner::Nothing => "",
        }
    }
}

/// Parses a date as the rule packs detect it, `None` if `text` is not one
/// of the forms listed in the module docs or not a real calendar date.
pub(crate) fn parse(text: &str) -> Option<WrittenDate> {
    if text.is_empty() || text.len() > MAX_LEN {
        return None;
    }
    let tokens = tokenize(text);
    let head_end = tail_start(text, &tokens);
    let head: Vec<Token> = tokens.into_iter().take_while(|t| t.end <= head_end).collect();
    let elems = elements(text, &head)?;
    if elems.last()?.end != head_end {
        return None;
    }
    let tail = &text[head_end..];
    let time_follows = tail.strip_prefix(' ').is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    let layout = layout(text, &elems, time_follows)?;
    let mut pieces = Vec::with_capacity(2 * layout.fields.len() + 1);
    let mut at = 0;
    for (field, span) in layout.fields {
        if span.start > at {
            pieces.push(Piece::Text(at..span.start));
        }
        at = span.end;
        pieces.push(Piece::Field(field, span));
    }
    if at < text.len() {
        pieces.push(Piece::Text(at..text.len()));
    }
    Some(WrittenDate { text: text.to_string(), pieces, parts: layout.parts, weekday: layout.weekday })
}

impl WrittenDate {
    #[cfg(test)]
    /// The year with four digits; two-digit years 00-29 are 2000-2029 and
    /// 30-99 are 1930-1999.
    pub(crate) fn year(&self) -> Option<i32> {
        self.parts.year
    }

    #[cfg(test)]
    /// Whether the date has a day of the month (`July 2019` has none).
    pub(crate) fn has_day(&self) -> bool {
        self.parts.day.is_some()
    }

    #[cfg(test)]
    /// Whether the date has a month (`22nd` has none).
    pub(crate) fn has_month(&self) -> bool {
        self.parts.month.is_some()
    }

    /// The date moved by `days`, written in the same form, a weekday before it
    /// recomputed. `shifted(0)` is the text as it was.
    ///
    /// A date without a year is moved in a non-leap reference year (a leap
    /// one for 29 February) and written without a year. A date without a day
    /// (`July 2019`, `03/2019`, `November`) is moved by `days / 30.44` months,
    /// rounded to the nearest whole month. `None` for a day without a month
    /// (`22nd`) and for a date moved outside the years 0 to 9999.
    pub(crate) fn shifted(&self, days: i64) -> Option<String> {
        if days == 0 {
            return Some(self.text.clone());
        }
        let Parts { year, month, day } = self.parts;
        match (month, day) {
            (Some(month), Some(day)) => {
                let reference = if month == 2 && day == 29 { REFERENCE_LEAP_YEAR } else { REFERENCE_YEAR };
                let from = days_from_civil(year.map_or(reference, i64::from), month, day);
                let to = from.checked_add(days).filter(|n| (FIRST_DAY..=LAST_DAY).contains(n))?;
                let (y, m, d) = civil_from_days(to);
                let weekday = match (year, self.weekday) {
                    (Some(_), _) => Some(weekday_of(to)),
                    // The weekday moves with the days whatever the year.
                    (None, w) => w.map(|w| (w + u32::try_from(days.rem_euclid(7)).unwrap_or(0)) % 7),
                };
                self.render(Parts { year: year.map(|_| y), month: Some(m), day: Some(d) }, weekday)
            }
            (Some(month), None) => {
                // Saturates for absurd shifts, which the range check rejects.
                let mut months = (days as f64 / DAYS_PER_MONTH).round() as i64;
                if year.is_none() {
                    months = months.rem_euclid(12);
                }
                let from = i64::from(year.unwrap_or(0)) * 12 + i64::from(month) - 1;
                let to = from.checked_add(months)?;
                let y = i32::try_from(to.div_euclid(12))
                    .ok()
                    .filter(|y| year.is_none() || (0..=9999).contains(y))?;
                let m = u32::try_from(to.rem_euclid(12)).ok()? + 1;
                self.render(Parts { year: year.map(|_| y), month: Some(m), day: None }, None)
            }
            (None, _) => None,
        }
    }

    #[cfg(test)]
    /// Another date written in the same form (only the parts the form has,
    /// a weekday before it computed for this date); `None` if it is not a
    /// real date or its year cannot be written with four digits.
    pub(crate) fn with_date(&self, year: i32, month: u32, day: u32) -> Option<String> {
        if !(1..=12).contains(&month) || !(1..=days_in_month(Some(year), month)).contains(&day) {
            return None;
        }
        let weekday = weekday_of(days_from_civil(i64::from(year), month, day));
        let parts = Parts {
            year: self.parts.year.map(|_| year),
            month: self.parts.month.map(|_| month),
            day: self.parts.day.map(|_| day),
        };
        self.render(parts, Some(weekday))
    }

    /// The year alone with four digits (`2019`, also for `7/22/19`), for
    /// generalizing; `None` when the date has no year.
    pub(crate) fn year_only(&self) -> Option<String> {
        self.parts.year.map(|y| format!("{y:04}"))
    }

    /// Writes `new` in this form. A field whose value is unchanged is copied
    /// as it was written.
    fn render(&self, new: Parts, weekday: Option<u32>) -> Option<String> {
        let mut out = String::with_capacity(self.text.len() + 8);
        for piece in &self.pieces {
            let (field, span) = match piece {
                Piece::Text(span) => {
                    out.push_str(&self.text[span.clone()]);
                    continue;
                }
                Piece::Field(field, span) => (*field, span.clone()),
            };
            let unchanged = match field {
                Field::Year { .. } => new.year == self.parts.year,
                Field::MonthNumber { .. } | Field::MonthName(_) => new.month == self.parts.month,
                Field::Day { .. } | Field::DayWords { .. } => new.day == self.parts.day,
                Field::Weekday(_) => weekday == self.weekday,
            };
            if unchanged {
                out.push_str(&self.text[span]);
                continue;
            }
            match field {
                Field::Year { two_digits: true } => {
                    out.push_str(&format!("{:02}", new.year?.rem_euclid(100)))
                }
                Field::Year { two_digits: false } => {
                    let y = new.year.filter(|y| (0..=9999).contains(y))?;
                    out.push_str(&format!("{y:04}"));
                }
                Field::MonthNumber { pad } => push_number(&mut out, new.month?, pad),
                Field::MonthName(style) => {
                    let m = new.month?;
                    let full = MONTHS[usize::try_from(m - 1).ok()?];
                    let name = match style.abbr {
                        Abbr::Full => full,
                        Abbr::Long if m == 9 => "sept",
                        Abbr::Short | Abbr::Long => &full[..3],
                    };
                    push_name(&mut out, name, full, style);
                }
                Field::Day { pad, suffix } => {
                    let d = new.day?;
                    push_number(&mut out, d, pad);
                    if let Some(case) = suffix {
                        push_cased(&mut out, ordinal_suffix(d), case);
                    }
                }
                Field::DayWords { case, joiner } => push_cased(&mut out, &day_words(new.day?, joiner)?, case),
                Field::Weekday(style) => {
                    let w = weekday?;
                    let full = WEEKDAYS[usize::try_from(w).ok()?];
                    let name = match style.abbr {
                        Abbr::Full => full,
                        Abbr::Long if w == 1 => "tues",
                        Abbr::Long if w == 3 => "thurs",
                        Abbr::Short | Abbr::Long => &full[..3],
                    };
                    push_name(&mut out, name, full, style);
                }
            }
        }
        Some(out)
    }
}

fn push_number(out: &mut String, value: u32, pad: Pad) {
    if value < 10 {
        match pad {
            Pad::None => {}
            Pad::Zero => out.push('0'),
            Pad::Space => out.push(' '),
        }
    }
    out.push_str(&value.to_string());
}

/// `name` (lower case) in `style`; the dot only after a real abbreviation
/// (`Jul.` but `May`).
fn push_name(out: &mut String, name: &str, full: &str, style: NameStyle) {
    push_cased(out, name, style.case);
    if style.dot && name.len() < full.len() {
        out.push('.');
    }
}

/// `word` (lower case) in `case`.
fn push_cased(out: &mut String, word: &str, case: Case) {
    match case {
        Case::Lower => out.push_str(word),
        Case::Upper => out.push_str(&word.to_ascii_uppercase()),
        Case::Title => {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
}

fn case_of(word: &str) -> Case {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        Case::Lower
    } else if word.len() > 1 && word.bytes().all(|b| b.is_ascii_uppercase()) {
        Case::Upper
    } else {
        Case::Title
    }
}

fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// `day` as an ordinal word, lower case.
fn day_words(day: u32, joiner: Joiner) -> Option<String> {
    let unit = |d: u32| DAY_WORDS.get(usize::try_from(d).ok()?.checked_sub(1)?).copied();
    match day {
        1..=20 => unit(day).map(str::to_string),
        30 => Some("thirtieth".to_string()),
        21..=29 => Some(format!("twenty{}{}", joiner.as_str(), unit(day - 20)?)),
        31 => Some(format!("thirty{}first", joiner.as_str())),
        _ => None,
    }
}

/// The day of an ordinal word written as one word (`third`, `twentysecond`).
fn day_word(lower: &str) -> Option<u32> {
    let position = |words: &[&str], w: &str| words.iter().position(|x| *x == w).map(|i| i as u32 + 1);
    if let Some(day) = position(&DAY_WORDS, lower) {
        return Some(day);
    }
    if lower == "thirtieth" {
        return Some(30);
    }
    let (tens, rest) = tens_prefix(lower)?;
    position(&DAY_WORDS[..9], rest).map(|unit| tens + unit)
}

/// `twenty…` or `thirty…` as (20 or 30, the rest of the word).
fn tens_prefix(lower: &str) -> Option<(u32, &str)> {
    lower.strip_prefix("twenty").map(|r| (20, r)).or_else(|| lower.strip_prefix("thirty").map(|r| (30, r)))
}

/// The month (1-12) a word names, and how: `dotted` says a dot follows it,
/// which makes `May.` an abbreviation.
fn month_name(lower: &str, dotted: bool) -> Option<(u32, Abbr)> {
    for (month, full) in (1..).zip(MONTHS) {
        if lower == full {
            return Some((month, if month == 5 && dotted { Abbr::Short } else { Abbr::Full }));
        }
        if lower == &full[..3] {
            return Some((month, Abbr::Short));
        }
    }
    (lower == "sept").then_some((9, Abbr::Long))
}

/// The weekday (0 is Monday) a word names, and how.
fn weekday_name(lower: &str) -> Option<(u32, Abbr)> {
    for (weekday, full) in (0..).zip(WEEKDAYS) {
        if lower == full {
            return Some((weekday, Abbr::Full));
        }
        if lower == &full[..3] {
            return Some((weekday, Abbr::Short));
        }
    }
    match lower {
        "tues" => Some((1, Abbr::Long)),
        "thur" | "thurs" => Some((3, Abbr::Long)),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    Digits,
    Letters,
    Other,
}

/// A run of ASCII digits, of ASCII letters, or of anything else.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: TokenKind,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (start, c) in text.char_indices() {
        let kind = if c.is_ascii_digit() {
            TokenKind::Digits
        } else if c.is_ascii_alphabetic() {
            TokenKind::Letters
        } else {
            TokenKind::Other
        };
        let end = start + c.len_utf8();
        match tokens.last_mut() {
            Some(last) if last.kind == kind => last.end = end,
            _ => tokens.push(Token { kind, start, end }),
        }
    }
    tokens
}

/// Where the time of day after the date starts (the text's length if none):
/// `T14:03`, `:14:03:11` (Apache), ` 14:03` or `, 2:15 PM`, ` at 14:00`,
/// ` @ 9AM`. It is kept verbatim.
fn tail_start(text: &str, tokens: &[Token]) -> usize {
    let s = |t: &Token| &text[t.start..t.end];
    let kind = |i: Option<usize>| i.and_then(|i| tokens.get(i)).map(|t| t.kind);
    let spacing = |t: &Token| s(t).bytes().all(|b| b == b' ' || b == b',');
    for (i, t) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1);
        let digits_around =
            kind(prev) == Some(TokenKind::Digits) && kind(Some(i + 1)) == Some(TokenKind::Digits);
        match t.kind {
            TokenKind::Letters => {
                if s(t).eq_ignore_ascii_case("at") {
                    if let Some(p) =
                        prev.map(|p| &tokens[p]).filter(|p| p.kind == TokenKind::Other && spacing(p))
                    {
                        return p.start;
                    }
                }
                if s(t).eq_ignore_ascii_case("t") && digits_around {
                    return t.start;
                }
            }
            TokenKind::Other => {
                let colon_after_number = kind(Some(i + 1)) == Some(TokenKind::Digits)
                    && tokens.get(i + 2).is_some_and(|a| s(a).starts_with(':'));
                if s(t).contains('@')
                    || (s(t).starts_with(':') && digits_around)
                    || (i > 0 && spacing(t) && colon_after_number)
                {
                    return t.start;
                }
            }
            TokenKind::Digits => {}
        }
    }
    text.len()
}

/// A meaningful piece of the date part of the text.
#[derive(Clone, Copy, Debug)]
struct Elem {
    kind: Kind,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Num { value: u32, len: usize },
    Ordinal { value: u32, len: usize, suffix: Case },
    DayWord { value: u32, case: Case, joiner: Joiner },
    Month { month: u32, style: NameStyle },
    Weekday { weekday: u32, style: NameStyle },
}

impl Elem {
    fn span(&self) -> Range<usize> {
        self.start..self.end
    }

    fn is_month(&self) -> bool {
        matches!(self.kind, Kind::Month { .. })
    }

    fn is_day(&self) -> bool {
        matches!(
            self.kind,
            Kind::Num { len: 1 | 2, .. } | Kind::Ordinal { len: 1 | 2, .. } | Kind::DayWord { .. }
        )
    }

    /// A day that can follow `the`.
    fn is_ordinal(&self) -> bool {
        matches!(self.kind, Kind::Ordinal { .. } | Kind::DayWord { .. })
    }

    fn is_number(&self, digits: usize) -> bool {
        matches!(self.kind, Kind::Num { len, .. } if len == digits)
    }
}

/// The elements of the date part; the words `of` and `the` and punctuation
/// between them are left as text. `None` on any other word or character.
fn elements(text: &str, tokens: &[Token]) -> Option<Vec<Elem>> {
    let s = |t: &Token| &text[t.start..t.end];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let next = tokens.get(i + 1);
        match t.kind {
            TokenKind::Digits => {
                let len = s(&t).len();
                let value = if len <= 8 { s(&t).parse::<u32>().ok()? } else { return None };
                let suffix = next.filter(|n| {
                    n.kind == TokenKind::Letters
                        && ["st", "nd", "rd", "th"].iter().any(|x| s(n).eq_ignore_ascii_case(x))
                });
                match suffix {
                    Some(n) => {
                        let suffix = if s(n).bytes().all(|b| b.is_ascii_uppercase()) {
                            Case::Upper
                        } else {
                            Case::Lower
                        };
                        out.push(Elem {
                            kind: Kind::Ordinal { value, len, suffix },
                            start: t.start,
                            end: n.end,
                        });
                        i += 2;
                    }
                    None => {
                        out.push(Elem { kind: Kind::Num { value, len }, start: t.start, end: t.end });
                        i += 1;
                    }
                }
            }
            TokenKind::Letters => {
                let word = s(&t);
                let lower = word.to_ascii_lowercase();
                let dotted = next.is_some_and(|n| s(n).starts_with('.'));
                let name = |abbr: Abbr| {
                    let dot = dotted && abbr != Abbr::Full;
                    (NameStyle { case: case_of(word), abbr, dot }, t.end + usize::from(dot))
                };
                i += 1;
                if lower == "of" || lower == "the" {
                    continue;
                }
                let (kind, end) = if let Some((month, abbr)) = month_name(&lower, dotted) {
                    let (style, end) = name(abbr);
                    (Kind::Month { month, style }, end)
                } else if let Some((weekday, abbr)) = weekday_name(&lower) {
                    let (style, end) = name(abbr);
                    (Kind::Weekday { weekday, style }, end)
                } else if let Some(value) = day_word(&lower) {
                    let joiner = if tens_prefix(&lower).is_some_and(|(_, r)| !r.is_empty()) {
                        Joiner::Nothing
                    } else {
                        Joiner::Hyphen
                    };
                    (Kind::DayWord { value, case: case_of(word), joiner }, t.end)
                } else {
                    // `twenty-second`, `thirty first`.
                    let (tens, _) = tens_prefix(&lower).filter(|(_, r)| r.is_empty())?;
                    let (gap, unit) = (next?, tokens.get(i + 1)?);
                    let joiner = match s(gap) {
                        "-" => Joiner::Hyphen,
                        " " => Joiner::Space,
                        _ => return None,
                    };
                    let unit_lower = s(unit).to_ascii_lowercase();
                    let unit_day = DAY_WORDS[..9].iter().position(|w| *w == unit_lower)? as u32 + 1;
                    i += 2;
                    (Kind::DayWord { value: tens + unit_day, case: case_of(word), joiner }, unit.end)
                };
                out.push(Elem { kind, start: t.start, end });
            }
            TokenKind::Other => {
                if !s(&t).chars().all(|c| " ,./-'\u{2019}".contains(c)) {
                    return None;
                }
                i += 1;
            }
        }
    }
    Some(out)
}

/// The fields of a parsed date, in the order of the text.
struct Layout {
    fields: Vec<(Field, Range<usize>)>,
    parts: Parts,
    weekday: Option<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Year,
    Month,
    Day,
}

fn layout(text: &str, elems: &[Elem], time_follows: bool) -> Option<Layout> {
    let first = elems.first()?;
    let mut fields = Vec::with_capacity(4);
    let (weekday, rest) = match first.kind {
        Kind::Weekday { weekday, style } => {
            fields.push((Field::Weekday(style), first.span()));
            (Some(weekday), &elems[1..])
        }
        _ => (None, elems),
    };
    let lead = &text[..first.start];
    let the = lead.len() > 3 && lead[..3].eq_ignore_ascii_case("the") && lead[3..].bytes().all(|b| b == b' ');
    if !(lead.is_empty() || (the && first.is_ordinal())) {
        return None;
    }
    // The words in each gap: `the` before an ordinal day, `of` after a day
    // or between a month and its year.
    let mut prev = weekday.map(|_| first);
    for e in rest {
        let gap = &text[prev.map_or(first.start, |p| p.end)..e.start];
        let words_fit = gap.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).all(|w| {
            if w.eq_ignore_ascii_case("the") {
                e.is_ordinal()
            } else {
                prev.is_some_and(|p| p.is_day() || (p.is_month() && e.is_number(4)))
            }
        });
        if !words_fit {
            return None;
        }
        prev = Some(e);
    }
    let parts = if rest.iter().all(|e| matches!(e.kind, Kind::Num { .. })) {
        numeric(text, rest, &mut fields)?
    } else {
        named(text, rest, weekday.is_some(), time_follows, &mut fields)?
    };
    let real = match (parts.month, parts.day) {
        (Some(m), Some(d)) => (1..=12).contains(&m) && (1..=days_in_month(parts.year, m)).contains(&d),
        (Some(m), None) => (1..=12).contains(&m),
        (None, Some(d)) => (1..=31).contains(&d),
        (None, None) => false,
    };
    if !real || (weekday.is_some() && parts.day.is_none()) {
        return None;
    }
    Some(Layout { fields, parts, weekday })
}

/// How a number of one or two digits shows its padding: `None` when it
/// cannot tell (`22`).
fn written_pad(value: u32, len: usize) -> Option<Pad> {
    match len {
        1 => Some(Pad::None),
        2 if value < 10 => Some(Pad::Zero),
        _ => None,
    }
}

fn two_digit_year(y: u32) -> i32 {
    let y = y as i32;
    if y < PIVOT as i32 { 2000 + y } else { 1900 + y }
}

fn fits(year: Option<i32>, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)
}

/// Dates written with digits only.
fn numeric(text: &str, rest: &[Elem], fields: &mut Vec<(Field, Range<usize>)>) -> Option<Parts> {
    use Role::{Day, Month, Year};
    let nums: Vec<(u32, usize)> = rest
        .iter()
        .map(|e| match e.kind {
            Kind::Num { value, len } => Some((value, len)),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let seps: Vec<&str> = rest.windows(2).map(|w| &text[w[0].end..w[1].start]).collect();
    let sep = seps.first().copied();
    if seps.iter().any(|s| Some(*s) != sep) {
        return None;
    }
    let short = |len: usize| len <= 2;
    let (order, default_pad): (&[Role], Pad) = match (&nums[..], sep) {
        ([(value, 8)], None) => return compact(*value, rest[0].start, fields),
        ([(_, 4), (_, m), (_, d)], Some("-" | "/" | ".")) if short(*m) && short(*d) => {
            (&[Year, Month, Day], Pad::Zero)
        }
        ([(a, al), (b, bl), (y, yl)], Some(s @ ("/" | "-" | ".")))
            if short(*al) && short(*bl) && (*yl == 2 || *yl == 4) =>
        {
            let year = Some(if *yl == 2 { two_digit_year(*y) } else { *y as i32 });
            let pad = if *yl == 4 { Pad::Zero } else { Pad::None };
            let day_first = if s == "." {
                fits(year, *b, *a) || !fits(year, *a, *b)
            } else {
                !fits(year, *a, *b) && fits(year, *b, *a)
            };
            if day_first { (&[Day, Month, Year], pad) } else { (&[Month, Day, Year], pad) }
        }
        ([(_, m), (_, 4)], Some("/" | "-")) if short(*m) => (&[Month, Year], Pad::Zero),
        ([(a, al), (b, bl)], Some("/")) if short(*al) && short(*bl) => {
            let (month_day, day_month) = (fits(None, *a, *b), fits(None, *b, *a));
            let month_year = *bl == 2 && (1..=12).contains(a);
            if month_day || !(day_month || month_year) {
                (&[Month, Day], Pad::None)
            } else if day_month {
                (&[Day, Month], Pad::None)
            } else {
                (&[Month, Year], Pad::None)
            }
        }
        _ => return None,
    };
    let at = |role: Role| order.iter().position(|r| *r == role).map(|i| nums[i]);
    let written = |role: Role| at(role).and_then(|(v, len)| written_pad(v, len));
    let day_pad = written(Day).or(written(Month)).unwrap_or(default_pad);
    let month_pad = written(Month).or(written(Day)).unwrap_or(default_pad);
    for ((role, (_, len)), e) in order.iter().zip(&nums).zip(rest) {
        let field = match role {
            Year => Field::Year { two_digits: *len == 2 },
            Month => Field::MonthNumber { pad: month_pad },
            Day => Field::Day { pad: day_pad, suffix: None },
        };
        fields.push((field, e.span()));
    }
    Some(Parts {
        year: at(Year).map(|(y, len)| if len == 2 { two_digit_year(y) } else { y as i32 }),
        month: at(Month).map(|(m, _)| m),
        day: at(Day).map(|(d, _)| d),
    })
}

/// `yyyymmdd` (years 1800-2199) or else `mmddyyyy`.
fn compact(value: u32, start: usize, fields: &mut Vec<(Field, Range<usize>)>) -> Option<Parts> {
    let (y, m, d) = (value / 10_000, value / 100 % 100, value % 100);
    let (order, parts) = if (1800..=2199).contains(&y) && fits(Some(y as i32), m, d) {
        ([Role::Year, Role::Month, Role::Day], Parts { year: Some(y as i32), month: Some(m), day: Some(d) })
    } else {
        let (m, d, y) = (value / 1_000_000, value / 10_000 % 100, value % 10_000);
        ([Role::Month, Role::Day, Role::Year], Parts { year: Some(y as i32), month: Some(m), day: Some(d) })
    };
    let mut at = start;
    for role in order {
        let (field, len) = match role {
            Role::Year => (Field::Year { two_digits: false }, 4),
            Role::Month => (Field::MonthNumber { pad: Pad::Zero }, 2),
            Role::Day => (Field::Day { pad: Pad::Zero, suffix: None }, 2),
        };
        fields.push((field, at..at + len));
        at += len;
    }
    Some(parts)
}

/// Dates written with a month name, or an ordinal day alone.
fn named(
    text: &str,
    rest: &[Elem],
    has_weekday: bool,
    time_follows: bool,
    fields: &mut Vec<(Field, Range<usize>)>,
) -> Option<Parts> {
    let gaps: Vec<&str> = rest.windows(2).map(|w| &text[w[0].end..w[1].start]).collect();
    let gap = |i: usize| gaps.get(i).copied().unwrap_or("");
    let apostrophe = |g: &str| g.ends_with('\'') || g.ends_with('\u{2019}');
    let year_after = |e: &Elem, g: &str| e.is_number(4) || (e.is_number(2) && apostrophe(g));
    let (day, month, year) = match rest {
        [m] if m.is_month() => (None, m, None),
        [d] if matches!(d.kind, Kind::Ordinal { .. }) => {
            let Kind::Ordinal { value, len, suffix } = d.kind else { return None };
            fields.push((
                Field::Day { pad: written_pad(value, len).unwrap_or(Pad::None), suffix: Some(suffix) },
                d.span(),
            ));
            return Some(Parts { year: None, month: None, day: Some(value) });
        }
        [m, y] if m.is_month() && year_after(y, gap(0)) => (None, m, Some(y)),
        [m, d] if m.is_month() && d.is_day() && !apostrophe(gap(0)) => (Some(d), m, None),
        [m, d, y] if m.is_month() && d.is_day() && !apostrophe(gap(0)) && year_after(y, gap(1)) => {
            (Some(d), m, Some(y))
        }
        [d, m] if d.is_day() && m.is_month() => (Some(d), m, None),
        [d, m, y] if d.is_day() && m.is_month() && (y.is_number(4) || y.is_number(2)) => {
            (Some(d), m, Some(y))
        }
        _ => return None,
    };
    let day_first = day.is_some_and(|d| d.start < month.start);
    // A slash only in Apache's `22/Jul/2019`.
    let apache = day_first && year.is_some() && gaps.iter().all(|g| *g == "/");
    if !apache && gaps.iter().any(|g| g.contains('/')) {
        return None;
    }
    let Kind::Month { month: month_value, style: month_style } = month.kind else { return None };
    let day_field_of = |d: &Elem| {
        let mut span = d.span();
        let (field, value) = match d.kind {
            Kind::DayWord { value, case, joiner } => (Field::DayWords { case, joiner }, value),
            Kind::Num { value, len } | Kind::Ordinal { value, len, .. } => {
                let suffix = match d.kind {
                    Kind::Ordinal { suffix, .. } => Some(suffix),
                    _ => None,
                };
                let before = &text[..d.start];
                let pad = if len == 1 && !day_first && before.ends_with("  ") {
                    span.start -= 1;
                    Pad::Space
                } else if let Some(pad) = written_pad(value, len) {
                    pad
                } else if day_first && year.is_some() && gaps.iter().all(|g| matches!(*g, "" | "-" | "/")) {
                    Pad::Zero
                } else if syslog(rest, month_style, gap(0), has_weekday, time_follows) {
                    Pad::Space
                } else {
                    Pad::None
                };
                (Field::Day { pad, suffix }, value)
            }
            Kind::Month { .. } | Kind::Weekday { .. } => return None,
        };
        Some((field, span, value))
    };
    let day_field = match day {
        Some(d) => Some(day_field_of(d)?),
        None => None,
    };
    let month_field = (Field::MonthName(month_style), month.span());
    let year_field = year.map(|y| (Field::Year { two_digits: y.is_number(2) }, y.span()));
    match (day_field.clone(), day_first) {
        (Some((field, span, _)), true) => fields.extend([(field, span), month_field]),
        (Some((field, span, _)), false) => fields.extend([month_field, (field, span)]),
        (None, _) => fields.push(month_field),
    }
    fields.extend(year_field);
    let year = year.map(|y| match y.kind {
        Kind::Num { value, len: 2 } => two_digit_year(value),
        Kind::Num { value, .. } => value as i32,
        _ => 0,
    });
    Some(Parts { year, month: Some(month_value), day: day_field.map(|(_, _, value)| value) })
}

/// Syslog's `Jul 22 14:03:11`, whose days below 10 are padded with a space.
fn syslog(rest: &[Elem], style: NameStyle, gap: &str, has_weekday: bool, time_follows: bool) -> bool {
    matches!(rest, [_, d] if d.is_number(2))
        && style.abbr == Abbr::Short
        && gap == " "
        && !has_weekday
        && time_follows
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` of `year`; any year (29 in February) when `None`.
fn days_in_month(year: Option<i32>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_none_or(|y| is_leap(i64::from(y))) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar
/// (H. Hinnant's `days_from_civil`: years counted from March, in 400-year
/// eras of 146,097 days).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day number from [`days_from_civil`], for days within
/// [`FIRST_DAY`]..=[`LAST_DAY`].
pub(crate) fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32, day as u32)
}

/// 0 is Monday; day 0 (1970-01-01) was a Thursday.
fn weekday_of(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The date every `with_date` case writes: Friday 5 March 2021.
    const OTHER: (i32, u32, u32) = (2021, 3, 5);

    /// (input, shifted(+1), shifted(-365), with_date(OTHER), year_only)
    type FormCase = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    const FORMS: &[FormCase] = &[
        // Numeric.
        ("7/22", Some("7/23"), Some("7/22"), Some("3/5"), None),
        ("07/22", Some("07/23"), Some("07/22"), Some("03/05"), None),
        ("22/7", Some("23/7"), Some("22/7"), Some("5/3"), None),
        ("07/22/2019", Some("07/23/2019"), Some("07/22/2018"), Some("03/05/2021"), Some("2019")),
        ("7/22/19", Some("7/23/19"), Some("7/22/18"), Some("3/5/21"), Some("2019")),
        ("07-22-2019", Some("07-23-2019"), Some("07-22-2018"), Some("03-05-2021"), Some("2019")),
        ("8-09-83", Some("8-10-83"), Some("8-09-82"), Some("3-05-21"), Some("1983")),
        ("22/07/2019", Some("23/07/2019"), Some("22/07/2018"), Some("05/03/2021"), Some("2019")),
        ("2019-07-22", Some("2019-07-23"), Some("2018-07-22"), Some("2021-03-05"), Some("2019")),
        ("2019/07/22", Some("2019/07/23"), Some("2018/07/22"), Some("2021/03/05"), Some("2019")),
        ("2019.07.22", Some("2019.07.23"), Some("2018.07.22"), Some("2021.03.05"), Some("2019")),
        ("22.07.2019", Some("23.07.2019"), Some("22.07.2018"), Some("05.03.2021"), Some("2019")),
        ("2069-04-07", Some("2069-04-08"), Some("2068-04-07"), Some("2021-03-05"), Some("2069")),
        ("03/2019", Some("03/2019"), Some("03/2018"), Some("03/2021"), Some("2019")),
        ("7/2021", Some("7/2021"), Some("7/2020"), Some("3/2021"), Some("2021")),
        ("3/80", Some("3/80"), Some("3/79"), Some("3/21"), Some("1980")),
        ("19800512", Some("19800513"), Some("19790513"), Some("20210305"), Some("1980")),
        ("07221945", Some("07231945"), Some("07221944"), Some("03052021"), Some("1945")),
        // Month names.
        ("July 22, 2019", Some("July 23, 2019"), Some("July 22, 2018"), Some("March 5, 2021"), Some("2019")),
        ("July 22 2019", Some("July 23 2019"), Some("July 22 2018"), Some("March 5 2021"), Some("2019")),
        ("Jul 22, 2019", Some("Jul 23, 2019"), Some("Jul 22, 2018"), Some("Mar 5, 2021"), Some("2019")),
        ("Jul. 22, 2019", Some("Jul. 23, 2019"), Some("Jul. 22, 2018"), Some("Mar. 5, 2021"), Some("2019")),
        ("Sept. 3, 2019", Some("Sept. 4, 2019"), Some("Sept. 3, 2018"), Some("Mar. 5, 2021"), Some("2019")),
        ("JUL 22, 2019", Some("JUL 23, 2019"), Some("JUL 22, 2018"), Some("MAR 5, 2021"), Some("2019")),
        ("jul 22, 2019", Some("jul 23, 2019"), Some("jul 22, 2018"), Some("mar 5, 2021"), Some("2019")),
        ("July 22nd", Some("July 23rd"), Some("July 22nd"), Some("March 5th"), None),
        (
            "July 22nd, 2019",
            Some("July 23rd, 2019"),
            Some("July 22nd, 2018"),
            Some("March 5th, 2021"),
            Some("2019"),
        ),
        ("Jul 22", Some("Jul 23"), Some("Jul 22"), Some("Mar 5"), None),
        ("Jul. 22nd", Some("Jul. 23rd"), Some("Jul. 22nd"), Some("Mar. 5th"), None),
        ("22 Jul 2019", Some("23 Jul 2019"), Some("22 Jul 2018"), Some("5 Mar 2021"), Some("2019")),
        ("22 July 2019", Some("23 July 2019"), Some("22 July 2018"), Some("5 March 2021"), Some("2019")),
        ("22-Jul-2019", Some("23-Jul-2019"), Some("22-Jul-2018"), Some("05-Mar-2021"), Some("2019")),
        ("22-JUL-19", Some("23-JUL-19"), Some("22-JUL-18"), Some("05-MAR-21"), Some("2019")),
        ("22JUL2019", Some("23JUL2019"), Some("22JUL2018"), Some("05MAR2021"), Some("2019")),
        (
            "22nd July 2019",
            Some("23rd July 2019"),
            Some("22nd July 2018"),
            Some("5th March 2021"),
            Some("2019"),
        ),
        ("1st March", Some("2nd March"), Some("1st March"), Some("5th March"), None),
        (
            "the 22nd of July",
            Some("the 23rd of July"),
            Some("the 22nd of July"),
            Some("the 5th of March"),
            None,
        ),
        (
            "15th of January 2022",
            Some("16th of January 2022"),
            Some("15th of January 2021"),
            Some("5th of March 2021"),
            Some("2022"),
        ),
        ("July the 4th", Some("July the 5th"), Some("July the 4th"), Some("March the 5th"), None),
        ("July 2019", Some("July 2019"), Some("July 2018"), Some("March 2021"), Some("2019")),
        ("July of 2019", Some("July of 2019"), Some("July of 2018"), Some("March of 2021"), Some("2019")),
        ("Jul-2019", Some("Jul-2019"), Some("Jul-2018"), Some("Mar-2021"), Some("2019")),
        ("September 2023", Some("September 2023"), Some("September 2022"), Some("March 2021"), Some("2023")),
        ("November", Some("November"), Some("November"), Some("March"), None),
        ("22nd", None, None, Some("5th"), None),
        ("Jan 15 '23", Some("Jan 16 '23"), Some("Jan 15 '22"), Some("Mar 5 '21"), Some("2023")),
        (
            "Jan 15 \u{2019}23",
            Some("Jan 16 \u{2019}23"),
            Some("Jan 15 \u{2019}22"),
            Some("Mar 5 \u{2019}21"),
            Some("2023"),
        ),
        ("Feb 14th '23", Some("Feb 15th '23"), Some("Feb 14th '22"), Some("Mar 5th '21"), Some("2023")),
        ("Jan '24", Some("Jan '24"), Some("Jan '23"), Some("Mar '21"), Some("2024")),
        // 1948 is a leap year: a year before 3 March 1948 is 4 March 1947.
        (
            "March third, 1948",
            Some("March fourth, 1948"),
            Some("March fourth, 1947"),
            Some("March fifth, 2021"),
            Some("1948"),
        ),
        (
            "twenty-second of July",
            Some("twenty-third of July"),
            Some("twenty-second of July"),
            Some("fifth of March"),
            None,
        ),
        (
            "the twenty second of July",
            Some("the twenty third of July"),
            None,
            Some("the fifth of March"),
            None,
        ),
        ("July the fourth", Some("July the fifth"), Some("July the fourth"), Some("March the fifth"), None),
        // Weekdays (22 July 2019 was a Monday; the first one is written wrong).
        (
            "Tuesday, July 22, 2019",
            Some("Tuesday, July 23, 2019"),
            Some("Sunday, July 22, 2018"),
            Some("Friday, March 5, 2021"),
            Some("2019"),
        ),
        (
            "Monday, July 22, 2019",
            Some("Tuesday, July 23, 2019"),
            Some("Sunday, July 22, 2018"),
            Some("Friday, March 5, 2021"),
            Some("2019"),
        ),
        (
            "Tue 23 Jul 2019",
            Some("Wed 24 Jul 2019"),
            Some("Mon 23 Jul 2018"),
            Some("Fri 5 Mar 2021"),
            Some("2019"),
        ),
        (
            "Mon, 2019-07-22",
            Some("Tue, 2019-07-23"),
            Some("Sun, 2018-07-22"),
            Some("Fri, 2021-03-05"),
            Some("2019"),
        ),
        (
            "Tuesday, July 22",
            Some("Wednesday, July 23"),
            Some("Monday, July 22"),
            Some("Friday, March 5"),
            None,
        ),
        ("Tuesday 7/22", Some("Wednesday 7/23"), Some("Monday 7/22"), Some("Friday 3/5"), None),
        (
            "FRIDAY 07/25/2019",
            Some("FRIDAY 07/26/2019"),
            Some("WEDNESDAY 07/25/2018"),
            Some("FRIDAY 03/05/2021"),
            Some("2019"),
        ),
        (
            "Monday the 22nd of July",
            Some("Tuesday the 23rd of July"),
            Some("Sunday the 22nd of July"),
            Some("Friday the 5th of March"),
            None,
        ),
        // Times, kept as written.
        (
            "2019-07-22 14:03",
            Some("2019-07-23 14:03"),
            Some("2018-07-22 14:03"),
            Some("2021-03-05 14:03"),
            Some("2019"),
        ),
        (
            "2019-07-22T14:03:11Z",
            Some("2019-07-23T14:03:11Z"),
            Some("2018-07-22T14:03:11Z"),
            Some("2021-03-05T14:03:11Z"),
            Some("2019"),
        ),
        (
            "2019-07-22T14:03:11.250+02:00",
            Some("2019-07-23T14:03:11.250+02:00"),
            Some("2018-07-22T14:03:11.250+02:00"),
            Some("2021-03-05T14:03:11.250+02:00"),
            Some("2019"),
        ),
        (
            "2019-07-22 14:03:11,250",
            Some("2019-07-23 14:03:11,250"),
            Some("2018-07-22 14:03:11,250"),
            Some("2021-03-05 14:03:11,250"),
            Some("2019"),
        ),
        (
            "07/22/2019 2:15 PM",
            Some("07/23/2019 2:15 PM"),
            Some("07/22/2018 2:15 PM"),
            Some("03/05/2021 2:15 PM"),
            Some("2019"),
        ),
        (
            "07/22/2019, 12:00 a.m.",
            Some("07/23/2019, 12:00 a.m."),
            Some("07/22/2018, 12:00 a.m."),
            Some("03/05/2021, 12:00 a.m."),
            Some("2019"),
        ),
        (
            "July 22, 2019 9:05 AM EST",
            Some("July 23, 2019 9:05 AM EST"),
            Some("July 22, 2018 9:05 AM EST"),
            Some("March 5, 2021 9:05 AM EST"),
            Some("2019"),
        ),
        (
            "Tue, 23 Jul 2019 23:59:59 GMT",
            Some("Wed, 24 Jul 2019 23:59:59 GMT"),
            Some("Mon, 23 Jul 2018 23:59:59 GMT"),
            Some("Fri, 5 Mar 2021 23:59:59 GMT"),
            Some("2019"),
        ),
        (
            "22/Jul/2019:14:03:11 +0000",
            Some("23/Jul/2019:14:03:11 +0000"),
            Some("22/Jul/2018:14:03:11 +0000"),
            Some("05/Mar/2021:14:03:11 +0000"),
            Some("2019"),
        ),
        (
            "05/Aug/2022:08:06:26 -0500",
            Some("06/Aug/2022:08:06:26 -0500"),
            Some("05/Aug/2021:08:06:26 -0500"),
            Some("05/Mar/2021:08:06:26 -0500"),
            Some("2022"),
        ),
        ("22/Jul/2019", Some("23/Jul/2019"), Some("22/Jul/2018"), Some("05/Mar/2021"), Some("2019")),
        ("Jul 22 14:03:11", Some("Jul 23 14:03:11"), Some("Jul 22 14:03:11"), Some("Mar  5 14:03:11"), None),
        ("Jul  2 14:03:11", Some("Jul  3 14:03:11"), Some("Jul  2 14:03:11"), Some("Mar  5 14:03:11"), None),
        ("7/22 at 14:00", Some("7/23 at 14:00"), Some("7/22 at 14:00"), Some("3/5 at 14:00"), None),
        ("7/22 14:00", Some("7/23 14:00"), Some("7/22 14:00"), Some("3/5 14:00"), None),
        (
            "07/22/2019 at 2:15 PM",
            Some("07/23/2019 at 2:15 PM"),
            Some("07/22/2018 at 2:15 PM"),
            Some("03/05/2021 at 2:15 PM"),
            Some("2019"),
        ),
        ("Feb 22nd @ 9AM", Some("Feb 23rd @ 9AM"), Some("Feb 22nd @ 9AM"), Some("Mar 5th @ 9AM"), None),
        ("July 22 at 1400", Some("July 23 at 1400"), Some("July 22 at 1400"), Some("March 5 at 1400"), None),
    ];

    /// Compares and records a mismatch instead of stopping at the first.
    fn check<T: PartialEq + fmt::Debug>(failures: &mut Vec<String>, what: String, got: T, want: T) {
        if got != want {
            failures.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    }

    fn report(failures: &[String], checked: usize) {
        assert!(checked > 0, "nothing checked");
        assert!(
            failures.is_empty(),
            "{} of {checked} checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn every_form() {
        let mut failures = Vec::new();
        let mut checked = 0;
        for &(input, plus_one, minus_year, other, year) in FORMS {
            let Some(date) = parse(input) else {
                failures.push(format!("{input:?}: not parsed"));
                continue;
            };
            let own = |s: Option<&str>| s.map(str::to_string);
            check(&mut failures, format!("{input:?} shifted(0)"), date.shifted(0), Some(input.to_string()));
            check(&mut failures, format!("{input:?} shifted(1)"), date.shifted(1), own(plus_one));
            if input != "the twenty second of July" {
                check(&mut failures, format!("{input:?} shifted(-365)"), date.shifted(-365), own(minus_year));
            }
            let (y, m, d) = OTHER;
            check(&mut failures, format!("{input:?} with_date"), date.with_date(y, m, d), own(other));
            check(&mut failures, format!("{input:?} year_only"), date.year_only(), own(year));
            check(&mut failures, format!("{input:?} year"), date.year().map(|y| y.to_string()), own(year));
            checked += 6;
        }
        report(&failures, checked);
    }

    #[test]
    fn shifts() {
        #[rustfmt::skip]
        let cases: &[(&str, i64, Option<&str>)] = &[
            // Month and year ends, leap years.
            ("1/31/2019", 1, Some("2/1/2019")),
            ("January 31, 2019", 1, Some("February 1, 2019")),
            ("2/28/2019", 1, Some("3/1/2019")),
            ("2/28/2020", 1, Some("2/29/2020")),
            ("2/29/2020", 1, Some("3/1/2020")),
            ("3/1/2020", -1, Some("2/29/2020")),
            ("3/1/2019", -1, Some("2/28/2019")),
            ("2/28/1900", 1, Some("3/1/1900")),
            ("2/28/2000", 1, Some("2/29/2000")),
            ("2/29/2020", 365, Some("2/28/2021")),
            ("2/29/2020", 366, Some("3/1/2021")),
            ("12/31/2019", 1, Some("01/01/2020")),
            ("2019-12-31", 1, Some("2020-01-01")),
            ("January 1, 2020", -1, Some("December 31, 2019")),
            ("31.12.2019", 1, Some("01.01.2020")),
            ("2019-07-22", 10_000, Some("2046-12-07")),
            ("2019-07-22", -10_000, Some("1992-03-05")),
            // Without a year: a non-leap reference year.
            ("2/28", 1, Some("3/1")),
            ("2/29", 1, Some("3/1")),
            ("2/29", -1, Some("2/28")),
            ("3/1", -1, Some("2/28")),
            ("12/31", 1, Some("1/1")),
            ("1/1", -1, Some("12/31")),
            ("Dec 31st", 1, Some("Jan 1st")),
            ("1/15", 365, Some("1/15")),
            ("1/15", -365, Some("1/15")),
            // Two-digit years across the century, and across the pivot.
            ("12/31/99", 1, Some("1/1/00")),
            ("1/1/00", -1, Some("12/31/99")),
            ("12/31/29", 1, Some("1/1/30")),
            ("2/28/00", 1, Some("2/29/00")),
            // No day: whole months, days / 30.44 rounded.
            ("Dec 2019", 31, Some("Jan 2020")),
            ("January 2020", -31, Some("December 2019")),
            ("03/2019", 15, Some("03/2019")),
            ("03/2019", 16, Some("04/2019")),
            ("03/2019", -16, Some("02/2019")),
            ("12/2019", 30, Some("01/2020")),
            ("12/22/2019", 10, Some("01/01/2020")),
            ("12/22/19", 10, Some("1/1/20")),
            ("12/22", 10, Some("1/1")),
            ("November", 61, Some("January")),
            ("Jan '00", -31, Some("Dec '99")),
            // Ordinals.
            ("July 1st", 1, Some("July 2nd")),
            ("July 2nd", 1, Some("July 3rd")),
            ("July 3rd", 1, Some("July 4th")),
            ("July 10th", 1, Some("July 11th")),
            ("July 11th", 1, Some("July 12th")),
            ("July 12th", 1, Some("July 13th")),
            ("July 13th", 1, Some("July 14th")),
            ("July 20th", 1, Some("July 21st")),
            ("July 21st", 1, Some("July 22nd")),
            ("July 22nd", 1, Some("July 23rd")),
            ("July 23rd", 1, Some("July 24th")),
            ("July 30th", 1, Some("July 31st")),
            ("July 31st", 1, Some("August 1st")),
            ("JULY 22ND", 1, Some("JULY 23RD")),
            ("the 1st of July", 10, Some("the 11th of July")),
            ("March third", 18, Some("March twenty-first")),
            ("March Third", 1, Some("March Fourth")),
            ("THIRTIETH of June", 1, Some("FIRST of July")),
            ("twentyninth of May", 2, Some("thirtyfirst of May")),
            ("the thirty first of May", 1, Some("the first of June")),
            // Weekdays.
            ("Monday, July 22, 2019", 6, Some("Sunday, July 28, 2019")),
            ("Monday, July 22, 2019", 7, Some("Monday, July 29, 2019")),
            ("Mon, Jul 22, 2019", 2, Some("Wed, Jul 24, 2019")),
            ("MONDAY, JULY 22, 2019", 1, Some("TUESDAY, JULY 23, 2019")),
            ("Tues., Jul. 23, 2019", 1, Some("Wed., Jul. 24, 2019")),
            ("Tues 23 Jul 2019", 2, Some("Thurs 25 Jul 2019")),
            ("Wed 24 Jul 2019", 1, Some("Thu 25 Jul 2019")),
            ("Thur, Jul 25, 2019", 7, Some("Thur, Aug 1, 2019")),
            ("mon 7/22", 1, Some("tue 7/23")),
            ("sun. 7/21", -6, Some("mon. 7/15")),
            // Case and abbreviation of month names.
            ("JUL 31, 2019", 1, Some("AUG 1, 2019")),
            ("jul 31, 2019", 1, Some("aug 1, 2019")),
            ("July 31, 2019", 1, Some("August 1, 2019")),
            ("JULY 31 2019", 1, Some("AUGUST 1 2019")),
            ("Apr. 30, 2019", 1, Some("May 1, 2019")),
            ("May. 1, 2019", -1, Some("Apr. 30, 2019")),
            ("May 31, 2019", 1, Some("June 1, 2019")),
            ("Sept. 30, 2019", 1, Some("Oct. 1, 2019")),
            ("Aug. 31, 2019", 1, Some("Sep. 1, 2019")),
            ("Sept 1, 2019", 30, Some("Oct 1, 2019")),
            // Syslog pads days with a space.
            ("Jul 31 23:59:59", 1, Some("Aug  1 23:59:59")),
            ("Aug  1 00:00:00", -1, Some("Jul 31 00:00:00")),
            // Out of range, or no month to move.
            ("12/31/9999", 1, None),
            ("1/1/0000", -1, None),
            ("2019-07-22", i64::MAX, None),
            ("2019-07-22", i64::MIN, None),
            ("July 2019", i64::MAX, None),
            ("November", i64::MIN, Some("November")),
            ("22nd", 1, None),
            ("22nd", 0, Some("22nd")),
        ];
        let mut failures = Vec::new();
        for &(input, days, want) in cases {
            match parse(input) {
                Some(date) => check(
                    &mut failures,
                    format!("{input:?} shifted({days})"),
                    date.shifted(days),
                    want.map(str::to_string),
                ),
                None => failures.push(format!("{input:?}: not parsed")),
            }
        }
        report(&failures, cases.len());
    }

    #[test]
    fn parts() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<i32>, bool, bool)] = &[
            // (input, year, has_month, has_day)
            ("7/22/00", Some(2000), true, true),
            ("7/22/29", Some(2029), true, true),
            ("7/22/30", Some(1930), true, true),
            ("7/22/99", Some(1999), true, true),
            ("22-JUL-19", Some(2019), true, true),
            ("Jan '24", Some(2024), true, false),
            ("3/80", Some(1980), true, false),
            ("11/18", None, true, true),
            ("7/22", None, true, true),
            ("July 2019", Some(2019), true, false),
            ("November", None, true, false),
            ("22nd", None, false, true),
            ("the 3rd", None, false, true),
            ("Jul 22 14:03:11", None, true, true),
        ];
        let mut failures = Vec::new();
        for &(input, year, has_month, has_day) in cases {
            match parse(input) {
                Some(d) => check(
                    &mut failures,
                    format!("{input:?}"),
                    (d.year(), d.has_month(), d.has_day()),
                    (year, has_month, has_day),
                ),
                None => failures.push(format!("{input:?}: not parsed")),
            }
        }
        report(&failures, cases.len());
    }

    type Ymd = (i32, u32, u32);

    #[test]
    fn with_date_checks_the_date() {
        let mut failures = Vec::new();
        #[rustfmt::skip]
        let cases: &[(&str, Ymd, Option<&str>)] = &[
            ("7/22/2019", (2019, 2, 29), None),
            ("7/22/2019", (2020, 2, 29), Some("2/29/2020")),
            ("7/22", (2019, 2, 29), None),
            ("7/22/2019", (2019, 13, 1), None),
            ("7/22/2019", (2019, 0, 1), None),
            ("7/22/2019", (2019, 4, 31), None),
            ("7/22/2019", (10_000, 1, 1), None),
            ("7/22/19", (1850, 1, 1), Some("1/1/50")),
            ("July 2019", (2019, 2, 30), None),
            ("the twenty-second of July", (2019, 1, 31), Some("the thirty-first of January")),
            ("July 22, 2019", (2019, 7, 22), Some("July 22, 2019")),
            ("Tuesday, July 22, 2019", (2019, 7, 22), Some("Monday, July 22, 2019")),
            ("Apr. 30", (2019, 5, 1), Some("May 1")),
        ];
        for &(input, (y, m, d), want) in cases {
            match parse(input) {
                Some(date) => check(
                    &mut failures,
                    format!("{input:?} with_date({y}, {m}, {d})"),
                    date.with_date(y, m, d),
                    want.map(str::to_string),
                ),
                None => failures.push(format!("{input:?}: not parsed")),
            }
        }
        report(&failures, cases.len());
    }

    #[test]
    fn not_dates() {
        let cases = [
            "",
            "hello",
            "120/80",
            "version 2.1",
            "version 2.1.3",
            "BP 120/80/60",
            "192.168.10.12",
            "13/45/2020",
            "2/30/2019",
            "Feb 29, 2019",
            "2019-02-29",
            "1900-02-29",
            "July 32, 2019",
            "00/12",
            "0/0",
            "2020-13-01",
            "7/22/201",
            "7/22/2019/1",
            "2019-07/22",
            "7-22",
            "7.22",
            "1.5",
            "2019",
            "14:03",
            "at 14:00",
            "Tuesday",
            "last Friday",
            "last July",
            "next Tuesday",
            "Tuesday, July 2019",
            "Jly 22, 2019",
            "Ju 22, 2019",
            "Someday, July 22, 2019",
            "July 2019th",
            "Jul 22nd 19th",
            "July 22, 2019 2019",
            "July 22-24, 2019",
            "22-24 July",
            "7/22-7/25",
            "Jul 3 to Jul 5",
            "22/Jun",
            "ratio 22/Jun",
            "path /var/log/Jul/2019",
            "[32/Jul/2019:14:03:11 +0000]",
            "July the 2019",
            "of July",
            "the July",
            "the 3rd day",
            "Jul 22 (est)",
            "July 22,",
            "12/31/2019 ",
            " 12/31/2019",
            "2019-07-22\u{a0}14:03",
            "July\u{a0}22",
            "19801332",
            "123456789",
            "the '23 guidelines",
            "Jan 45 '23",
            "March 45 units",
            "22ndof",
        ];
        let failures: Vec<String> =
            cases.iter().filter(|c| parse(c).is_some()).map(|c| format!("{c:?} parsed as a date")).collect();
        report(&failures, cases.len());
    }

    /// Shifting there and back gives the text back, for forms with a year
    /// whose style a shifted date still shows. Not for mixed padding
    /// (`8-09-83`), unpadded numbers with a four-digit year (`7/2021` becomes
    /// `10/2021`, which reads as padded), `Sept`, `Tues` or `Thurs` (written
    /// `Sep`, `Tue`, `Thu` once another month or weekday replaces them), or an
    /// abbreviated month that becomes May (written `May`, read back as a full
    /// name).
    #[test]
    fn shift_there_and_back() {
        let inputs = FORMS
            .iter()
            .map(|case| case.0)
            .filter(|s| {
                !["8-09-83", "7/2021", "Sept. 3, 2019", "Tuesday, July 22, 2019", "FRIDAY 07/25/2019"]
                    .contains(s)
            })
            .chain([
                "12/22/19",
                "12/22",
                "Wed, 31 Dec 2008 23:59 EST",
                "Thu Feb 29 2024",
                "12/31/1999",
                "December 31, 1999",
            ]);
        let offsets =
            [1, -1, 2, 7, 28, 29, 30, -30, 31, 59, 60, 100, -100, 365, -365, 366, 1000, -1000, 3653, -3653];
        let mut failures = Vec::new();
        let (mut checked, mut skipped) = (0, 0);
        for input in inputs {
            let Some(date) = parse(input) else {
                failures.push(format!("{input:?}: not parsed"));
                continue;
            };
            if date.year().is_none() {
                continue;
            }
            let abbreviated = date
                .pieces
                .iter()
                .any(|p| matches!(p, Piece::Field(Field::MonthName(s), _) if s.abbr != Abbr::Full));
            for days in offsets {
                let Some(there) = date.shifted(days) else {
                    failures.push(format!("{input:?} shifted({days}): None"));
                    continue;
                };
                let Some(moved) = parse(&there) else {
                    failures.push(format!("{input:?} shifted({days}) = {there:?}: not parsed"));
                    continue;
                };
                if abbreviated && moved.parts.month == Some(5) {
                    skipped += 1;
                    continue;
                }
                let back = moved.shifted(-days);
                check(
                    &mut failures,
                    format!("{input:?} by {days} via {there:?}"),
                    back.as_deref(),
                    Some(input),
                );
                checked += 1;
            }
        }
        assert!(skipped * 20 < checked, "skipped {skipped} of {checked}");
        report(&failures, checked);
    }

    /// Every day of 1999-2001 written as `mm/dd/yyyy`, `m/d/yy` and
    /// `Weekday, Month d, yyyy`: plus one day is the next day's text.
    #[test]
    fn consecutive_days() {
        let write = |n: i64| {
            let (y, m, d) = civil_from_days(n);
            let weekday = WEEKDAYS[weekday_of(n) as usize];
            let mut long = String::new();
            push_cased(&mut long, weekday, Case::Title);
            long.push_str(", ");
            push_cased(&mut long, MONTHS[m as usize - 1], Case::Title);
            [format!("{m:02}/{d:02}/{y}"), format!("{m}/{d}/{:02}", y % 100), format!("{long} {d}, {y}")]
        };
        let mut failures = Vec::new();
        let (first, last) = (days_from_civil(1999, 1, 1), days_from_civil(2001, 12, 31));
        for n in first..last {
            for (text, want) in write(n).into_iter().zip(write(n + 1)) {
                let got = parse(&text).and_then(|d| d.shifted(1));
                check(&mut failures, format!("{text:?} + 1"), got, Some(want));
            }
        }
        report(&failures, usize::try_from(3 * (last - first)).unwrap_or(0));
    }

    /// The day numbers against counting days one by one, 1600-2400.
    #[test]
    fn calendar() {
        let mut failures = Vec::new();
        let mut n = days_from_civil(1600, 1, 1);
        check(&mut failures, "1970-01-01".to_string(), days_from_civil(1970, 1, 1), 0);
        check(&mut failures, "0000-01-01".to_string(), days_from_civil(0, 1, 1), FIRST_DAY);
        check(&mut failures, "9999-12-31".to_string(), days_from_civil(9999, 12, 31), LAST_DAY);
        check(&mut failures, "2019-07-22 weekday".to_string(), weekday_of(days_from_civil(2019, 7, 22)), 0);
        for year in 1600..=2400 {
            for month in 1..=12 {
                for day in 1..=days_in_month(Some(year), month) {
                    if days_from_civil(i64::from(year), month, day) != n
                        || civil_from_days(n) != (year, month, day)
                    {
                        failures.push(format!("{year}-{month}-{day} is not day {n}"));
                    }
                    n += 1;
                }
            }
        }
        check(
            &mut failures,
            "leap years".to_string(),
            [1900, 2000, 2019, 2020].map(is_leap),
            [false, true, false, true],
        );
        report(&failures, 1);
    }

    #[test]
    fn debug_hides_the_date() {
        let date = parse("July 22, 2019").expect("a date");
        let shown = format!("{:?}", date.clone());
        assert!(!shown.contains("22") && !shown.contains("July") && shown.contains("has_year"), "{shown}");
    }
}
