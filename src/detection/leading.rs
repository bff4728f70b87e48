//! Patterns whose every match starts on one of their rule's keywords.
//!
//! A keyword rule is searched in windows around its keyword hits (see
//! `keyword_regions`): a window reaches the pattern's longest match to each
//! side of a hit, so in text where a keyword is common ("patient", "member",
//! "name") the windows cover most of it, and each is scanned byte by byte.
//! Most cue rules are written keyword first ("patient: …", "member id …"):
//! every match then starts where the literal pass reports a hit of one of the
//! keywords, and an anchored search at each hit finds what the scan finds,
//! stopping a few bytes after a keyword that starts no match.
//!
//! [`keyword_led`] proves that property from the pattern's ASCII form, for
//! ASCII text (the engine uses it only on ASCII regions): a match must begin
//! after a word boundary with one of a finite set of strings, each of which
//! starts with a keyword that ends where the literal pass ends a word.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The most distinct lower-cased strings a pattern's head is spelled out to.
const MOST_HEADS: usize = 256;

/// The most characters (lower-cased) of a class spelled out.
const MOST_CLASS: usize = 16;

/// How deep alternatives at a pattern's start are followed one by one.
const MOST_DEPTH: usize = 3;

/// Whether every match of `ascii` (a pattern's ASCII form, see
/// [`ascii_only`](super::regexes::ascii_only)) in ASCII text starts where the
/// literal pass reports a hit of one of `keywords`: at the start of a word,
/// with the keyword in any case, the keyword ending at the end of a word if
/// its last character is a letter or digit. Keywords that do not start with
/// a letter are not used (the literal pass finds them another way).
pub(crate) fn keyword_led(ascii: &Hir, keywords: &[String]) -> bool {
    let keywords: Vec<Vec<u8>> = keywords
        .iter()
        .filter(|k| k.is_ascii() && k.as_bytes().first().is_some_and(u8::is_ascii_alphabetic))
        .map(|k| k.to_ascii_lowercase().into_bytes())
        .collect();
    if keywords.is_empty() {
        return false;
    }
    let mut items = Vec::new();
    sequence(ascii, &mut items);
    led(&items, false, &keywords, 0)
}

/// `items` (a pattern as the sequence it matches) is keyword led; `bounded`:
/// a word boundary or line start has been asserted before them.
fn led(items: &[&Hir], mut bounded: bool, keywords: &[Vec<u8>], depth: usize) -> bool {
    let mut k = 0;
    while let Some(h) = items.get(k) {
        match h.kind() {
            HirKind::Look(look) => bounded |= starts_word(*look),
            HirKind::Alternation(alts) if depth < MOST_DEPTH && (!bounded || heads_of(h).is_none()) => {
                return alts.iter().all(|a| {
                    let mut v = Vec::new();
                    sequence(a, &mut v);
                    v.extend_from_slice(&items[k + 1..]);
                    led(&v, bounded, keywords, depth + 1)
                });
            }
            _ => break,
        }
        k += 1;
    }
    if !bounded {
        return false;
    }
    let mut heads: Vec<Vec<u8>> = vec![Vec::new()];
    while let Some(next) = items.get(k).and_then(|h| heads_of(h)).and_then(|s| product(&heads, &s)) {
        heads = next;
        k += 1;
    }
    let then_non_word = follows_non_word(&items[k..]);
    heads.iter().all(|w| keywords.iter().any(|kw| starts_with_keyword(w, kw, then_non_word)))
}

/// Whether a match beginning with `head` (lower case) starts with the whole
/// keyword `kw`: `then_non_word` says whether what follows the head starts
/// with a byte that is not a letter or digit.
fn starts_with_keyword(head: &[u8], kw: &[u8], then_non_word: bool) -> bool {
    if !head.starts_with(kw) {
        return false;
    }
    if !kw.last().is_some_and(u8::is_ascii_alphanumeric) {
        return true;
    }
    match head.get(kw.len()) {
        Some(b) => !b.is_ascii_alphanumeric(),
        None => then_non_word,
    }
}

/// Whether the assertion, before a letter, means the byte before is not a
/// letter or digit (or there is none).
fn starts_word(look: Look) -> bool {
    matches!(
        look,
        Look::Start
            | Look::StartLF
            | Look::StartCRLF
            | Look::WordAscii
            | Look::WordUnicode
            | Look::WordStartAscii
            | Look::WordStartUnicode
            | Look::WordStartHalfAscii
            | Look::WordStartHalfUnicode
    )
}

/// Whether the assertion, after a letter or digit, means the next byte is not
/// one (or there is none).
fn ends_word(look: Look) -> bool {
    matches!(
        look,
        Look::WordAscii
            | Look::WordUnicode
            | Look::WordEndAscii
            | Look::WordEndUnicode
            | Look::WordEndHalfAscii
            | Look::WordEndHalfUnicode
    )
}

/// `hir` as the sequence of parts it matches one after another (groups opened).
fn sequence<'h>(hir: &'h Hir, out: &mut Vec<&'h Hir>) {
    match hir.kind() {
        HirKind::Concat(parts) => parts.iter().for_each(|p| sequence(p, out)),
        HirKind::Capture(c) => sequence(&c.sub, out),
        _ => out.push(hir),
    }
}

/// Every string (ASCII, lower-cased, deduplicated) that `hir` matches, if
/// they are few.
fn heads_of(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = match hir.kind() {
        HirKind::Empty => vec![Vec::new()],
        HirKind::Literal(lit) => {
            if !lit.0.is_ascii() {
                return None;
            }
            vec![lit.0.to_ascii_lowercase()]
        }
        HirKind::Class(class) => {
            let mut bytes: Vec<u8> = Vec::new();
            let mut add = |lo: u32, hi: u32| -> Option<()> {
                if hi >= 0x80 || hi - lo >= MOST_CLASS as u32 * 2 {
                    return None;
                }
                bytes.extend((lo..=hi).map(|b| (b as u8).to_ascii_lowercase()));
                Some(())
            };
            match class {
                Class::Unicode(c) => {
                    c.ranges().iter().try_for_each(|r| add(u32::from(r.start()), u32::from(r.end())))?
                }
                Class::Bytes(c) => {
                    c.ranges().iter().try_for_each(|r| add(u32::from(r.start()), u32::from(r.end())))?
                }
            }
            bytes.sort_unstable();
            bytes.dedup();
            if bytes.len() > MOST_CLASS {
                return None;
            }
            bytes.into_iter().map(|b| vec![b]).collect()
        }
        HirKind::Capture(c) => heads_of(&c.sub)?,
        HirKind::Concat(parts) => {
            let mut acc = vec![Vec::new()];
            for p in parts {
                acc = product(&acc, &heads_of(p)?)?;
            }
            acc
        }
        HirKind::Alternation(alts) => {
            let mut acc = Vec::new();
            for a in alts {
                acc.extend(heads_of(a)?);
                if acc.len() > MOST_HEADS * 4 {
                    return None;
                }
            }
            acc
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.filter(|&m| m <= 2)?;
            let one = heads_of(&rep.sub)?;
            let mut acc = Vec::new();
            let mut power = vec![Vec::new()];
            for n in 0..=max {
                if n >= rep.min {
                    acc.extend(power.iter().cloned());
                }
                power = product(&power, &one)?;
            }
            acc
        }
        HirKind::Look(_) => return None,
    };
    out.sort_unstable();
    out.dedup();
    (out.len() <= MOST_HEADS).then_some(out)
}

/// Each of `a` followed by each of `b`, if not too many.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MOST_HEADS {
        return None;
    }
    let mut out: Vec<Vec<u8>> =
        a.iter().flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat())).collect();
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The bytes a match of `hir` can begin with (ASCII as a mask, and whether
/// any other), and whether it can be empty. Assertions inside count as
/// matching nothing: the set is then larger than need be, never smaller.
fn first(hir: &Hir) -> (u128, bool, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (0, false, true),
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) if b < 0x80 => (1u128 << b, false, false),
            Some(_) => (0, true, false),
            None => (0, false, true),
        },
        HirKind::Class(class) => {
            let mut mask = 0u128;
            let mut other = false;
            let mut add = |lo: u32, hi: u32| {
                for b in lo..=hi.min(0x7f) {
                    mask |= 1u128 << b;
                }
                other |= hi >= 0x80;
            };
            match class {
                Class::Unicode(c) => {
                    c.ranges().iter().for_each(|r| add(u32::from(r.start()), u32::from(r.end())))
                }
                Class::Bytes(c) => {
                    c.ranges().iter().for_each(|r| add(u32::from(r.start()), u32::from(r.end())))
                }
            }
            (mask, other, false)
        }
        HirKind::Capture(c) => first(&c.sub),
        HirKind::Repetition(rep) => {
            let (mask, other, empty) = first(&rep.sub);
            (mask, other, empty || rep.min == 0)
        }
        HirKind::Concat(parts) => {
            let (mut mask, mut other) = (0u128, false);
            for p in parts {
                let (m, o, empty) = first(p);
                mask |= m;
                other |= o;
                if !empty {
                    return (mask, other, false);
                }
            }
            (mask, other, true)
        }
        HirKind::Alternation(alts) => alts
            .iter()
            .map(first)
            .fold((0, false, false), |(m, o, e), (m2, o2, e2)| (m | m2, o || o2, e || e2)),
    }
}

/// Whether what `rest` matches begins with a byte that is not an ASCII letter
/// or digit, or sits after an assertion that the word has ended.
fn follows_non_word(rest: &[&Hir]) -> bool {
    const ALNUM: u128 =
        (((1u128 << 10) - 1) << b'0') | (((1u128 << 26) - 1) << b'A') | (((1u128 << 26) - 1) << b'a');
    for h in rest {
        if let HirKind::Look(look) = h.kind() {
            if ends_word(*look) {
                return true;
            }
            continue;
        }
        let (mask, other, empty) = first(h);
        if mask & ALNUM != 0 || other {
            return false;
        }
        if !empty {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::regexes::{ascii_only, parse};

    fn led(pattern: &str, keywords: &[&str]) -> bool {
        let hir = ascii_only(&parse(pattern).ok().expect("pattern parses"));
        keyword_led(&hir, &keywords.iter().map(|k| k.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_pattern_that_opens_with_a_whole_keyword_is_led() {
        assert!(led(r"(?i:(?-u:\b)(?:pt|patient)[ \t]*:?[ \t]+)(?P<value>\p{Ll}+)", &["pt", "patient"]));
        assert!(led(r"(?i)\bmember[ \t]+(?:id|no\.?)[ \t]*[0-9]+", &["member"]));
        // A keyword of two words, and one of letters and dots.
        assert!(led(r"(?i)\bmedical record[ \t]*[:#][ \t]*[0-9]+", &["medical record"]));
        assert!(led(r"(?i)\bm\.r\.n\.?[ \t]*:[ \t]*[0-9]+", &["m.r.n"]));
        // A line start, and alternatives that each open with a boundary.
        assert!(led(r"(?m)^(?:Name|Patient):[ \t]*\w+", &["name", "patient"]));
        assert!(led(r"(?i:\bmember[ \t]+id\b|\bpolicy\b[^\n]{0,9}plan)[ \t]+[0-9]+", &["member", "policy"]));
        // The keyword ends on a boundary the pattern asserts.
        assert!(led(r"\b(?:seen|signed)\b.{0,9}", &["seen", "signed"]));
    }

    #[test]
    fn a_pattern_that_can_start_elsewhere_is_not() {
        // Not every alternative opens with a keyword ("card holder" opens with "card").
        assert!(!led(r"(?i)\b(?:holder|card[ \t]+holder):[ \t]*\w+", &["holder"]));
        // No boundary before: "pt" inside "adapt".
        assert!(!led(r"(?i)(?:pt|patient)[ \t]+\w+", &["pt", "patient"]));
        // The keyword may go on as a longer word ("patients"), which the literal pass does not report.
        assert!(!led(r"(?i)\bpatient\w*[ \t]+\w+", &["patient"]));
        assert!(!led(r"(?i)\bpatients?[ \t]+\w+", &["patient"]));
        // The keyword is not at the start.
        assert!(!led(r"\b[A-Z]\w+[ \t]+hospital\b", &["hospital"]));
        // The match may end right after the keyword, before a letter.
        assert!(!led(r"\bmember", &["member"]));
        // Digits may follow the keyword at once ("MRN12345" is one word).
        assert!(!led(r"(?i)\bmrn[ \t]*:?[0-9]+", &["mrn"]));
        // A keyword that does not start with a letter.
        assert!(!led(r"#[ \t]*[0-9]+", &["#"]));
    }
}
