//! Compiling pack patterns.
//!
//! A Unicode word boundary (`\b`) stops the fast lazy DFA at the first
//! non-ASCII byte and sends the search to the much slower PikeVM, and Unicode
//! classes (`\p{L}`, `\w`) make automata of many states that the lazy DFA
//! keeps building. On ASCII text a pattern matches exactly as its ASCII form
//! does (classes cut to their ASCII members, ASCII word boundaries), so each
//! pattern that differs is compiled twice: in its ASCII form, used when the
//! searched region (and the bytes around it) is ASCII, and as written, used
//! otherwise. Results are the same; ASCII text, the common case, stays on a
//! small DFA.
//!
//! Measured on faker_mixed.jsonl with the starter packs: 7.5 MB/s with the
//! Unicode forms only, PikeVM at 52% of the profile. ASCII forms of the
//! classes as well as the boundaries: see benches/README.md.

use std::sync::OnceLock;

use regex_automata::meta::{BuildError, Regex};
use regex_automata::util::syntax;
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

/// A pattern in its ASCII-boundary form and, where different, as written.
/// The form as written is compiled on first use: most text is ASCII, and
/// compiling both forms of every rule up front doubled the engine's build
/// time and memory.
#[derive(Debug)]
pub(crate) struct Pattern {
    ascii: Regex,
    unicode: Option<Lazy>,
}

/// The form as written, compiled when first needed.
#[derive(Debug)]
struct Lazy {
    hirs: Vec<Hir>,
    regex: OnceLock<Regex>,
}

impl Lazy {
    /// The compiled form; should it fail to compile (it compiled in its ASCII
    /// form, so only a size limit could stop it), the ASCII form stands in.
    fn get<'a>(&'a self, ascii: &'a Regex) -> &'a Regex {
        self.regex.get_or_init(|| build(&self.hirs).unwrap_or_else(|_| ascii.clone()))
    }
}

impl Pattern {
    /// The regex to search `text[lo..hi]` with.
    pub(crate) fn for_region(&self, text: &[u8], lo: usize, hi: usize) -> &Regex {
        match &self.unicode {
            None => &self.ascii,
            Some(unicode) => {
                let from = lo.saturating_sub(1);
                let to = (hi + 1).min(text.len());
                if text[from..to].is_ascii() { &self.ascii } else { unicode.get(&self.ascii) }
            }
        }
    }

    /// Calls `f(regex, lo, hi)` for each piece of `text[lo..hi]` to search,
    /// with the form to search it in. A pattern that cannot match a line
    /// break (`one_line`) is searched line by line where the region holds
    /// non-ASCII bytes: runs of ASCII lines in the ASCII form, the other lines
    /// as written, so that one accented name no longer sends a whole text to
    /// the slow form (on 3.4 MB of prose with a non-ASCII character every
    /// kilobyte, the form as written was most of the scan). No match of such
    /// a pattern spans two lines, so the pieces' matches are the region's.
    pub(crate) fn for_each_piece(
        &self,
        text: &[u8],
        lo: usize,
        hi: usize,
        one_line: bool,
        mut f: impl FnMut(&Regex, usize, usize),
    ) {
        let Some(unicode) = &self.unicode else { return f(&self.ascii, lo, hi) };
        let around = &text[lo.saturating_sub(1)..(hi + 1).min(text.len())];
        if around.is_ascii() {
            return f(&self.ascii, lo, hi);
        }
        if !one_line {
            return f(unicode.get(&self.ascii), lo, hi);
        }
        // Each line's class: ASCII if it and the bytes a search of it looks
        // at around it are (a piece starting after a line break sees that
        // break; one ending at `hi` mid-line sees the byte after).
        let ascii_line = |s: usize, e: usize| {
            text[s..e].is_ascii()
                && (s > lo || s == 0 || text[s - 1].is_ascii())
                && (text[e - 1] == b'\n' || e == text.len() || text[e].is_ascii())
        };
        let mut piece = lo;
        let mut piece_ascii = None;
        let mut s = lo;
        while s < hi {
            let e = memchr::memchr(b'\n', &text[s..hi]).map_or(hi, |k| s + k + 1);
            let a = ascii_line(s, e);
            if piece_ascii.is_some_and(|p| p != a) {
                f(if piece_ascii == Some(true) { &self.ascii } else { unicode.get(&self.ascii) }, piece, s);
                piece = s;
            }
            piece_ascii = Some(a);
            s = e;
        }
        if let Some(a) = piece_ascii {
            f(if a { &self.ascii } else { unicode.get(&self.ascii) }, piece, hi);
        }
    }

    /// Any form, for questions about groups (both forms have the same ones).
    pub(crate) fn regex(&self) -> &Regex {
        &self.ascii
    }
}

/// Why a pattern did not compile.
pub(crate) enum CompileError {
    Syntax(String),
    Build(Box<BuildError>),
}

pub(crate) fn parse(pattern: &str) -> Result<Hir, CompileError> {
    regex_syntax::ParserBuilder::new().build().parse(pattern).map_err(|e| CompileError::Syntax(e.to_string()))
}

/// Compiles `hirs` as one regex. Without literal prefilters: extracting the
/// literals of the packs' word alternations and building their prefilters was
/// 14% of a small run's instructions (engine build), and the searches run on
/// short texts and keyword windows, where a prefilter does not pay for
/// itself (scan instructions on dense and sparse text unchanged without them;
/// see benches/README.md).
fn build(hirs: &[Hir]) -> Result<Regex, CompileError> {
    Regex::builder()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .configure(Regex::config().nfa_size_limit(Some(64 << 20)).auto_prefilter(false))
        .build_many_from_hir(hirs)
        .map_err(|e| CompileError::Build(Box::new(e)))
}

/// Compiles `patterns` as one regex (one pattern id each).
pub(crate) fn compile(patterns: &[&str]) -> Result<Pattern, CompileError> {
    let hirs: Vec<Hir> = patterns.iter().map(|p| parse(p)).collect::<Result<_, _>>()?;
    compile_hirs(hirs)
}

/// Compiles parsed patterns as one regex (one pattern id each).
pub(crate) fn compile_hirs(hirs: Vec<Hir>) -> Result<Pattern, CompileError> {
    let ascii_hirs: Vec<Hir> = hirs.iter().map(ascii_only).collect();
    compile_forms(ascii_hirs, hirs)
}

/// Like [`compile_hirs`], given the ASCII forms too (`ascii_hirs[i]` is
/// [`ascii_only`] of `hirs[i]`), for a caller that needs them as well.
pub(crate) fn compile_forms(ascii_hirs: Vec<Hir>, hirs: Vec<Hir>) -> Result<Pattern, CompileError> {
    let changed = ascii_hirs != hirs;
    let ascii = build(&ascii_hirs)?;
    let unicode = changed.then(|| Lazy { hirs, regex: OnceLock::new() });
    Ok(Pattern { ascii, unicode })
}

/// `hir` with every Unicode word-boundary assertion replaced by its ASCII form.
fn ascii_boundaries(hir: &Hir, changed: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Look(look) => {
            let ascii = match look {
                Look::WordUnicode => Look::WordAscii,
                Look::WordUnicodeNegate => Look::WordAsciiNegate,
                Look::WordStartUnicode => Look::WordStartAscii,
                Look::WordEndUnicode => Look::WordEndAscii,
                Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
                Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
                other => *other,
            };
            if ascii != *look {
                *changed = true;
            }
            Hir::look(ascii)
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|s| ascii_boundaries(s, changed)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|s| ascii_boundaries(s, changed)).collect())
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(ascii_boundaries(&r.sub, changed)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(ascii_boundaries(&c.sub, changed)),
        }),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
    }
}

/// `hir` as it behaves on ASCII text: classes keep only their ASCII members
/// (a class with none can never match there) and word boundaries are ASCII.
/// On an ASCII haystack it matches exactly where `hir` does, and compiles to
/// a far smaller automaton than Unicode classes need.
pub(crate) fn ascii_only(hir: &Hir) -> Hir {
    use regex_syntax::hir::{ClassBytes, ClassBytesRange};
    // The ASCII part of a class given as (start, end) code ranges.
    let ascii_class = |ranges: &mut dyn Iterator<Item = (u32, u32)>| {
        let ascii: Vec<ClassBytesRange> = ranges
            .filter(|&(start, _)| start <= 0x7f)
            .map(|(start, end)| ClassBytesRange::new(start as u8, end.min(0x7f) as u8))
            .collect();
        if ascii.is_empty() { Hir::fail() } else { Hir::class(Class::Bytes(ClassBytes::new(ascii))) }
    };
    match hir.kind() {
        // A class all ASCII stays as it is (so an ASCII pattern is its own
        // ASCII form, and is compiled once).
        HirKind::Class(Class::Unicode(cls)) if cls.ranges().iter().all(|r| r.end().is_ascii()) => hir.clone(),
        HirKind::Class(Class::Bytes(cls)) if cls.ranges().iter().all(|r| r.end().is_ascii()) => hir.clone(),
        HirKind::Class(Class::Unicode(cls)) => {
            ascii_class(&mut cls.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))))
        }
        HirKind::Class(Class::Bytes(cls)) => {
            ascii_class(&mut cls.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))))
        }
        HirKind::Literal(lit) => {
            if lit.0.is_ascii() {
                hir.clone()
            } else {
                Hir::fail()
            }
        }
        HirKind::Look(_) => ascii_boundaries(hir, &mut false),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(ascii_only).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(ascii_only).collect()),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(ascii_only(&r.sub)),
        }),
        HirKind::Capture(c) => {
            Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(ascii_only(&c.sub)) })
        }
        HirKind::Empty => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prop_assert_eq;
    use proptest::prop_assume;
    use regex_automata::Input;

    fn spans(re: &Regex, text: &str) -> Vec<(usize, usize)> {
        re.find_iter(Input::new(text)).map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn both_forms_agree_on_ascii_and_unicode_form_is_used_elsewhere() {
        let Ok(p) = compile(&[r"\b\p{Lu}\p{L}+\b"]) else { panic!("compiles") };
        assert!(p.unicode.is_some());
        let ascii = "Ann met Bob at 5";
        assert_eq!(spans(p.for_region(ascii.as_bytes(), 0, ascii.len()), ascii), vec![(0, 3), (8, 11)]);
        let text = "José met Émile";
        let re = p.for_region(text.as_bytes(), 0, text.len());
        let found: Vec<&str> = spans(re, text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(found, ["José", "Émile"]);
        let Ok(plain) = compile(&[r"[0-9]{3}"]) else { panic!("compiles") };
        assert!(plain.unicode.is_none());
    }

    #[test]
    fn ascii_form_keeps_the_value_group() {
        let Ok(p) = compile(&[r"MRN:?[ \t]*(?P<value>\p{Lu}?\d{6})\b"]) else { panic!("compiles") };
        let text = "MRN: A123456 seen";
        let re = p.for_region(text.as_bytes(), 0, text.len());
        let group =
            re.group_info().to_index(regex_automata::PatternID::ZERO, "value").expect("a value group");
        let caps: Vec<_> = re
            .captures_iter(Input::new(text))
            .filter_map(|c| c.get_group(group))
            .map(|s| (s.start, s.end))
            .collect();
        assert_eq!(caps, vec![(5, 12)]);
    }

    #[test]
    fn ascii_only_form_matches_as_written_on_ascii_text() {
        let patterns = [r"\b\p{Lu}\p{L}+\b", r"(?i)straße|\d{2}", r"\w+@\w+", r"(?P<value>\d+)é?", r"é"];
        let texts = ["Ann met Bob at 5", "STRASSE 12, x@y", "no match here", "id 42é 7"];
        for p in patterns {
            let hir = parse(p).ok().unwrap();
            let Ok(full) = build(std::slice::from_ref(&hir)) else { panic!("compiles") };
            let ascii = Regex::builder()
                .syntax(syntax::Config::new().utf8(false))
                .build_from_hir(&ascii_only(&hir))
                .unwrap();
            for t in texts.iter().filter(|t| t.is_ascii()) {
                assert_eq!(spans(&ascii, t), spans(&full, t), "{p} on {t}");
            }
        }
    }

    #[test]
    fn one_line_patterns_are_searched_line_by_line_in_the_form_each_line_needs() {
        let Ok(p) = compile(&[r"\b\p{Lu}\p{L}+\b"]) else { panic!("compiles") };
        let text = "Ann met Bob\nthen José\nand Zoë, Eve\nlast Tom";
        let (lo, hi) = (4, text.len() - 2);
        let mut pieces = Vec::new();
        let mut found = Vec::new();
        p.for_each_piece(text.as_bytes(), lo, hi, true, |re, a, b| {
            pieces.push((a, b, std::ptr::eq(re, &p.ascii)));
            found.extend(re.find_iter(Input::new(text).range(a..b)).map(|m| (m.start(), m.end())));
        });
        let line2 = text.find("then").unwrap();
        let line4 = text.find("last").unwrap();
        assert_eq!(pieces, vec![(lo, line2, true), (line2, line4, false), (line4, hi, true)]);
        // The same matches as one search of the region in the form as written.
        let whole = p.unicode.as_ref().unwrap().get(&p.ascii);
        let expected: Vec<_> =
            whole.find_iter(Input::new(text).range(lo..hi)).map(|m| (m.start(), m.end())).collect();
        assert_eq!(found, expected);
        // A pattern that can match a line break is searched whole.
        let mut whole_pieces = Vec::new();
        p.for_each_piece(text.as_bytes(), lo, hi, false, |_, a, b| whole_pieces.push((a, b)));
        assert_eq!(whole_pieces, vec![(lo, hi)]);
        // A region ending mid-line before a non-ASCII byte needs the form as written.
        let t = "Ann Émile";
        let mut last = Vec::new();
        p.for_each_piece(t.as_bytes(), 0, 4, true, |re, a, b| last.push((a, b, std::ptr::eq(re, &p.ascii))));
        assert_eq!(last, vec![(0, 4, false)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn pieces_find_what_one_search_finds(
            text in "[A-Za-z0-9 ,.éÉüΩ\n-]{0,80}",
            lo in 0usize..80,
            len in 0usize..80,
        ) {
            let patterns = [r"\b\p{Lu}\p{L}+\b", r"(?i)\bstra(ß|ss)e\b|\d{2,}", r"\w+\b[ \t]+\p{Lu}", r"[^\n]\b"];
            let (lo, hi) = (lo.min(text.len()), (lo + len).min(text.len()));
            prop_assume!(text.is_char_boundary(lo) && text.is_char_boundary(hi));
            for pat in patterns {
                let Ok(p) = compile(&[pat]) else { panic!("compiles") };
                let whole = match &p.unicode { Some(u) => u.get(&p.ascii), None => &p.ascii };
                let expected: Vec<_> = whole.find_iter(Input::new(&text).range(lo..hi)).map(|m| (m.start(), m.end())).collect();
                let mut found = Vec::new();
                p.for_each_piece(text.as_bytes(), lo, hi, true, |re, a, b| {
                    found.extend(re.find_iter(Input::new(&text).range(a..b)).map(|m| (m.start(), m.end())));
                });
                prop_assert_eq!(found, expected, "{} on {:?}[{}..{}]", pat, text, lo, hi);
            }
        }
    }
}
