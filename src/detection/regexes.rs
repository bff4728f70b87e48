//! Compiling pack patterns.
//!
//! A Unicode word boundary (`\b`) stops the fast lazy DFA at the first
//! non-ASCII byte and sends the search to the much slower PikeVM, and Unicode
//! classes (`\p{L}`, `\w`) make automata of many states that take long to
//! compile and that the lazy DFA keeps building. On ASCII text a pattern
//! matches exactly as its ASCII form does (classes cut to their ASCII
//! members, ASCII word boundaries), so each pattern that differs is compiled
//! in that form, used when the searched region (and the bytes around it) is
//! ASCII. Text that is not ASCII is searched in a wider form, compiled when
//! first needed: the Latin form (classes cut to the Latin set: Latin letters
//! and marks, punctuation, symbols, emoji; boundaries as written) where every
//! character is in that set, which is the text of European languages and of
//! chat; the alphabets' form (the Latin set and the alphabets written in two
//! UTF-8 bytes: Greek, Cyrillic, Armenian, Hebrew, Arabic) where every
//! character is in that wider set; and the form as written elsewhere (CJK,
//! Indic scripts...).
//! Results are the same in every form; most text stays on small automata.
//!
//! Measured on faker_mixed.jsonl with the starter packs: 7.5 MB/s with the
//! Unicode forms only, PikeVM at 52% of the profile. ASCII forms of the
//! classes as well as the boundaries, and the Latin form: see
//! benches/README.md.

use std::borrow::Borrow;
use std::sync::OnceLock;

use regex_automata::meta::{BuildError, Regex};
use regex_automata::util::syntax;
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

/// A pattern in its ASCII form and, where different, in its Latin form, its
/// alphabets' form and as written. Every form is compiled on first use:
/// most text is ASCII, and compiling both forms of every rule up front
/// doubled the engine's build time and memory; and most rules never run in
/// a small run (a keyword rule runs only where its keywords are), so the
/// ASCII forms' compilation, a third of the build, is paid rule by rule as
/// texts need them.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// The patterns as written, parsed again when a form is first needed:
    /// their parsed forms (a Unicode class's ranges are kilobytes) were 12 MB
    /// of a small run's memory.
    sources: Box<[Box<str>]>,
    ascii: OnceLock<Regex>,
    wider: Option<Box<Wider>>,
}

/// The forms for text that is not all ASCII, each compiled when first
/// needed (each cut form made from the pattern then, too).
#[derive(Debug)]
struct Wider {
    /// The Latin form (classes and literals cut to [`LATIN`]); `None` when
    /// it is the form as written.
    latin: OnceLock<Option<Regex>>,
    /// The alphabets' form (cut to [`ALPHABETS`]); `None` when it is the
    /// form as written.
    alphabets: OnceLock<Option<Regex>>,
    unicode: OnceLock<Regex>,
}

/// The form a piece of text is searched in: the smallest that is exact on it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Form {
    Ascii,
    Latin,
    Alphabets,
    Unicode,
}

/// The patterns parsed (they parsed when the pattern was compiled, so
/// `None` is not expected).
fn hirs(sources: &[Box<str>]) -> Option<Vec<Hir>> {
    sources.iter().map(|p| parse(p).ok()).collect()
}

impl Pattern {
    /// The ASCII form, compiled on first use. Should it fail (a pattern whose
    /// ASCII form is heavy enough to meet the size limit is compiled when the
    /// engine is built, see [`compile_forms`], so this is not expected), a
    /// form that never matches stands in.
    fn ascii(&self) -> &Regex {
        self.ascii.get_or_init(|| {
            hirs(&self.sources)
                .and_then(|h| build(&h.iter().map(ascii_only).collect::<Vec<_>>()).ok())
                .or_else(|| build(&[Hir::fail()]).ok())
                .expect("a pattern that cannot match compiles")
        })
    }

    /// The form as written; should it fail to compile (a narrower form
    /// compiled, so only a size limit could stop it), the ASCII form stands in.
    fn unicode<'a>(&'a self, w: &'a Wider) -> &'a Regex {
        w.unicode.get_or_init(|| {
            hirs(&self.sources).and_then(|h| build(&h).ok()).unwrap_or_else(|| self.ascii().clone())
        })
    }

    /// The form cut to `set`, made and compiled into `cell` on first use; the
    /// form as written where they are the same (or the cut form fails to
    /// compile).
    fn cut_form<'a>(
        &'a self,
        w: &'a Wider,
        cell: &'a OnceLock<Option<Regex>>,
        set: &[(char, char)],
    ) -> &'a Regex {
        let form = cell.get_or_init(|| {
            let whole = hirs(&self.sources)?;
            let cuts: Vec<Option<Hir>> = whole.iter().map(|h| cut_changed(h, set)).collect();
            if cuts.iter().all(Option::is_none) {
                return None;
            }
            let hirs: Vec<Hir> = cuts.into_iter().zip(whole).map(|(c, h)| c.unwrap_or(h)).collect();
            build(&hirs).ok()
        });
        form.as_ref().unwrap_or_else(|| self.unicode(w))
    }
}

/// Whether `c` is in the Latin set: the code points the Latin form of a
/// pattern keeps (Latin letters and their marks, punctuation, symbols and
/// emoji), where the text of European languages and of chat lives.
fn in_latin(c: char) -> bool {
    in_set(&LATIN, c)
}

fn in_set(set: &[(char, char)], c: char) -> bool {
    set.iter().any(|&(a, b)| a <= c && c <= b)
}

/// The ASCII set, which the ASCII form of a pattern is cut to.
const ASCII: [(char, char); 1] = [('\u{0}', '\u{7F}')];

/// The Latin set's ranges (see [`in_latin`]).
const LATIN: [(char, char); 5] = [
    // Basic Latin, Latin-1, Latin Extended-A and -B, IPA, spacing modifiers, combining marks
    ('\u{0}', '\u{36F}'),
    // Latin Extended Additional (Vietnamese, Welsh)
    ('\u{1E00}', '\u{1EFF}'),
    // General punctuation (’ “ ” – … and the zero-width joiner) through dingbats and arrows
    ('\u{2000}', '\u{2BFF}'),
    // Variation selectors (emoji presentation)
    ('\u{FE00}', '\u{FE0F}'),
    // Emoji and pictographs
    ('\u{1F000}', '\u{1FAFF}'),
];

/// The alphabets' set: the Latin set and the alphabets written in two UTF-8
/// bytes (Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana), with
/// polytonic Greek. A class such as `\p{L}` cut to it compiles to a small
/// part of its Unicode automaton (no three- and four-byte letters): a short
/// text in Greek compiled the form as written of every rule it met, and a
/// small run's peak memory went over 100 MB.
const ALPHABETS: [(char, char); 6] = [
    ('\u{0}', '\u{7FF}'),
    ('\u{1E00}', '\u{1EFF}'),
    // Greek Extended
    ('\u{1F00}', '\u{1FFF}'),
    ('\u{2000}', '\u{2BFF}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{1F000}', '\u{1FAFF}'),
];

/// The narrowest form that is exact on `bytes`: ASCII, Latin when every
/// character is in the Latin set, the alphabets' form when every one is in
/// that set, else the form as written (also for bytes that are not UTF-8).
/// Only the characters outside ASCII are decoded: this runs before each
/// search of a region that holds some.
fn form_of(bytes: &[u8]) -> Form {
    let mut form = Form::Ascii;
    let mut rest = bytes;
    while let Some(k) = first_non_ascii(rest) {
        rest = &rest[k..];
        let len = match rest[0] {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return Form::Unicode,
        };
        let c = rest.get(..len).and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| s.chars().next());
        match c {
            Some(c) if in_latin(c) => form = form.max(Form::Latin),
            Some(c) if in_set(&ALPHABETS, c) => form = Form::Alphabets,
            _ => return Form::Unicode,
        }
        rest = &rest[len..];
    }
    form
}

/// The first byte outside ASCII, found a word at a time (`is_ascii` on
/// slices reads whole words; a byte loop over the ASCII text around a few
/// accented names cost 3% of a sparse scan).
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    if bytes.is_ascii() {
        return None;
    }
    let mut at = 0;
    while at + 32 <= bytes.len() && bytes[at..at + 32].is_ascii() {
        at += 32;
    }
    bytes[at..].iter().position(|b| !b.is_ascii()).map(|k| at + k)
}

impl Pattern {
    /// The compiled form `form` (the nearest wider one where it is the same).
    fn form(&self, form: Form) -> &Regex {
        match (&self.wider, form) {
            (None, _) | (_, Form::Ascii) => self.ascii(),
            (Some(w), Form::Latin) => self.cut_form(w, &w.latin, &LATIN),
            (Some(w), Form::Alphabets) => self.cut_form(w, &w.alphabets, &ALPHABETS),
            (Some(w), Form::Unicode) => self.unicode(w),
        }
    }

    /// The form for a whole region: ASCII if it and the bytes around it are
    /// (the ASCII form's word boundaries look at them), else the narrowest
    /// that is exact on the region (the Latin and written forms keep the
    /// pattern's boundaries, so the bytes around do not matter to them).
    fn region_form(&self, text: &[u8], lo: usize, hi: usize) -> Form {
        if self.ascii_will_do(text, lo, hi) {
            return Form::Ascii;
        }
        match form_of(&text[lo..hi]) {
            Form::Ascii => Form::Latin,
            form => form,
        }
    }

    /// Whether the ASCII form searches `text[lo..hi]` exactly: the pattern
    /// has no other, or the region and the bytes around it are ASCII.
    fn ascii_will_do(&self, text: &[u8], lo: usize, hi: usize) -> bool {
        self.wider.is_none() || text[lo.saturating_sub(1)..(hi + 1).min(text.len())].is_ascii()
    }

    /// The regex to search `text[lo..hi]` with.
    pub(crate) fn for_region(&self, text: &[u8], lo: usize, hi: usize) -> &Regex {
        self.form(self.region_form(text, lo, hi))
    }

    /// Calls `f(regex, lo, hi)` for each piece of `text[lo..hi]` to search,
    /// with the form to search it in. A pattern that cannot match a line
    /// break (`one_line`) is searched line by line where the region holds
    /// non-ASCII bytes: runs of lines of one form in that form, so that one
    /// accented name no longer sends a whole text to a wider form (on 3.4 MB
    /// of prose with a non-ASCII character every kilobyte, the form as
    /// written was most of the scan). No match of such a pattern spans two
    /// lines, so the pieces' matches are the region's.
    pub(crate) fn for_each_piece(
        &self,
        text: &[u8],
        lo: usize,
        hi: usize,
        one_line: bool,
        mut f: impl FnMut(&Regex, usize, usize),
    ) {
        if self.ascii_will_do(text, lo, hi) {
            return f(self.ascii(), lo, hi);
        }
        if !one_line {
            return f(self.form(self.region_form(text, lo, hi)), lo, hi);
        }
        // Each line's form: ASCII if it and the bytes a search of it looks at
        // around it are (a piece starting after a line break sees that break;
        // one ending at `hi` mid-line sees the byte after).
        let line_form = |s: usize, e: usize| match form_of(&text[s..e]) {
            Form::Ascii
                if !((s > lo || s == 0 || text[s - 1].is_ascii())
                    && (text[e - 1] == b'\n' || e == text.len() || text[e].is_ascii())) =>
            {
                Form::Latin
            }
            form => form,
        };
        let mut piece = lo;
        let mut piece_form = None;
        let mut s = lo;
        while s < hi {
            let e = memchr::memchr(b'\n', &text[s..hi]).map_or(hi, |k| s + k + 1);
            let form = line_form(s, e);
            if let Some(p) = piece_form.filter(|&p| p != form) {
                f(self.form(p), piece, s);
                piece = s;
            }
            piece_form = Some(form);
            s = e;
        }
        if let Some(p) = piece_form {
            f(self.form(p), piece, hi);
        }
    }
}

/// The index of the capture group named `name` in `hir`, as the compiled
/// regex numbers it (group 0 is the whole match), without compiling it.
pub(crate) fn group_index(hir: &Hir, name: &str) -> Option<usize> {
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => usize::try_from(c.index).ok(),
        HirKind::Capture(c) => group_index(&c.sub, name),
        HirKind::Repetition(r) => group_index(&r.sub, name),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().find_map(|s| group_index(s, name)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => None,
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
fn build<H: Borrow<Hir>>(hirs: &[H]) -> Result<Regex, CompileError> {
    Regex::builder()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .configure(Regex::config().nfa_size_limit(Some(64 << 20)).auto_prefilter(false))
        .build_many_from_hir(hirs)
        .map_err(|e| CompileError::Build(Box::new(e)))
}

/// Compiles `patterns` as one regex (one pattern id each).
pub(crate) fn compile(patterns: &[&str]) -> Result<Pattern, CompileError> {
    let hirs: Vec<Hir> = patterns.iter().map(|p| parse(p)).collect::<Result<_, _>>()?;
    let ascii_hirs: Vec<Hir> = hirs.iter().map(ascii_only).collect();
    compile_forms(&ascii_hirs, &hirs, patterns)
}

/// An automaton this heavy (see [`weight`]) or heavier is compiled when the
/// engine is built, so that a pattern too large for the size limit is an
/// error there, with its rule's name, and not a rule that silently never
/// runs. A unit is under 100 bytes of automaton (`[a-z]{700}{1000}`, 700,000
/// units, compiles within the 64 MB limit; `[a-z]{1000}{1000}` does not), so
/// a pattern lighter than this stays far under the limit; the heaviest
/// built-in pattern weighs 49,637.
const EAGER_WEIGHT: u64 = 200_000;

/// A bound on the size of `hir`'s automaton, in units of a few NFA states:
/// each literal byte, class range and assertion one, repeats counted out.
fn weight(hir: &Hir) -> u64 {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(l) => l.0.len() as u64,
        // A Unicode range can take several UTF-8 byte sequences.
        HirKind::Class(Class::Unicode(c)) => 4 * c.ranges().len() as u64,
        HirKind::Class(Class::Bytes(c)) => c.ranges().len() as u64,
        HirKind::Repetition(r) => {
            let times = r.max.unwrap_or(r.min).max(r.min).saturating_add(1);
            weight(&r.sub).saturating_mul(u64::from(times))
        }
        HirKind::Capture(c) => weight(&c.sub).saturating_add(2),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().fold(1u64, |n, s| n.saturating_add(weight(s)))
        }
    }
}

/// Prepares `patterns`, given them parsed (`hirs`) and in their ASCII forms
/// (`ascii_hirs[i]` is [`ascii_only`] of `hirs[i]`), for a caller that needs
/// those as well. Every form is made from `patterns` when first needed; a
/// heavy ASCII form is compiled now (see [`EAGER_WEIGHT`]).
pub(crate) fn compile_forms<H: Borrow<Hir>>(
    ascii_hirs: &[Hir],
    hirs: &[H],
    patterns: &[&str],
) -> Result<Pattern, CompileError> {
    let changed = ascii_hirs.iter().zip(hirs).any(|(a, b)| a != b.borrow());
    let ascii = OnceLock::new();
    if ascii_hirs.iter().fold(0u64, |n, h| n.saturating_add(weight(h))) >= EAGER_WEIGHT {
        let _ = ascii.set(build(ascii_hirs)?);
    }
    let wider = changed.then(|| {
        Box::new(Wider { latin: OnceLock::new(), alphabets: OnceLock::new(), unicode: OnceLock::new() })
    });
    Ok(Pattern { sources: patterns.iter().map(|&p| p.into()).collect(), ascii, wider })
}

/// The ASCII form of a word-boundary assertion (other assertions as they are).
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// `hir` as it behaves on ASCII text: classes keep only their ASCII members
/// (a class with none can never match there) and word boundaries are ASCII.
/// On an ASCII haystack it matches exactly where `hir` does, and compiles to
/// a far smaller automaton than Unicode classes need.
pub(crate) fn ascii_only(hir: &Hir) -> Hir {
    cut(hir, &ASCII)
}

/// `hir` with classes and literals cut to the characters of `set`: the rest
/// of a class is dropped (a class with nothing left never matches), a
/// literal with a character outside never matches. When `set` is ASCII,
/// byte classes are cut to their ASCII part and word boundaries made ASCII;
/// else both are kept. On a haystack whose characters are all in `set` the
/// cut form matches exactly where `hir` does (a match consumes only the
/// haystack's characters, and the boundaries look at the same ones), and a
/// class such as `\p{L}` compiles to a small part of its Unicode automaton.
fn cut(hir: &Hir, set: &[(char, char)]) -> Hir {
    cut_changed(hir, set).unwrap_or_else(|| hir.clone())
}

/// [`cut`], or `None` where the cut form is `hir` itself. Only the nodes on
/// the way to a change are built again: most of a pattern (its literals, its
/// ASCII classes) is the same in every form, and rebuilding every node of
/// every rule, with a comparison to learn whether anything changed, was a
/// tenth of the engine's build.
fn cut_changed(hir: &Hir, set: &[(char, char)]) -> Option<Hir> {
    use regex_syntax::hir::{ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
    let keep = |c: char| in_set(set, c);
    let keeps_non_ascii = keep('\u{80}');
    match hir.kind() {
        HirKind::Class(Class::Unicode(cls)) => {
            if cls.ranges().iter().all(|r| r.end().is_ascii()) {
                // An ASCII class stays as it is (so an ASCII pattern is its
                // own cut form, and is compiled once).
                return None;
            }
            let kept = ClassUnicode::new(cls.ranges().iter().flat_map(|r| {
                set.iter().filter_map(move |&(a, b)| {
                    let (start, end) = (r.start().max(a), r.end().min(b));
                    (start <= end).then(|| ClassUnicodeRange::new(start, end))
                })
            }));
            if kept.ranges().is_empty() {
                Some(Hir::fail())
            } else if kept == *cls {
                None
            } else {
                Some(Hir::class(Class::Unicode(kept)))
            }
        }
        HirKind::Class(Class::Bytes(cls)) => {
            if keeps_non_ascii || cls.ranges().iter().all(|r| r.end().is_ascii()) {
                return None;
            }
            let ascii: Vec<ClassBytesRange> = cls
                .ranges()
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| ClassBytesRange::new(r.start(), r.end().min(0x7f)))
                .collect();
            Some(if ascii.is_empty() {
                Hir::fail()
            } else {
                Hir::class(Class::Bytes(ClassBytes::new(ascii)))
            })
        }
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) if s.chars().all(keep) => None,
            Ok(_) => Some(Hir::fail()),
            // A byte literal outside UTF-8 ((?-u:\xFF)): only the ASCII cut drops it.
            Err(_) if keeps_non_ascii => None,
            Err(_) => Some(Hir::fail()),
        },
        HirKind::Look(look) if !keeps_non_ascii => {
            let ascii = ascii_look(*look);
            (ascii != *look).then(|| Hir::look(ascii))
        }
        HirKind::Look(_) | HirKind::Empty => None,
        HirKind::Concat(subs) => cut_each(subs, set).map(Hir::concat),
        HirKind::Alternation(subs) => cut_each(subs, set).map(Hir::alternation),
        HirKind::Repetition(r) => cut_changed(&r.sub, set).map(|sub| {
            Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub: Box::new(sub) })
        }),
        HirKind::Capture(c) => cut_changed(&c.sub, set)
            .map(|sub| Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(sub) })),
    }
}

/// The cut forms of `subs`, or `None` where none changes.
fn cut_each(subs: &[Hir], set: &[(char, char)]) -> Option<Vec<Hir>> {
    let (first, changed) = subs.iter().enumerate().find_map(|(i, s)| cut_changed(s, set).map(|c| (i, c)))?;
    let mut out = Vec::with_capacity(subs.len());
    out.extend(subs[..first].iter().cloned());
    out.push(changed);
    out.extend(subs[first + 1..].iter().map(|s| cut(s, set)));
    Some(out)
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
    fn group_indices_are_the_compiled_regexs() {
        use regex_automata::PatternID;
        let patterns = [
            r"MRN:? (?P<value>\d{6})",
            r"(a)(?:b(?P<value>c)|(?P<value2>d))+",
            r"(?i)x(?P<pre>y)(z(?P<value>w))*(?:q)",
            r"no groups",
        ];
        for pattern in patterns {
            let Ok(hir) = parse(pattern) else { panic!("parses") };
            let Ok(re) = build(&[&hir]) else { panic!("compiles") };
            for name in ["value", "value2", "pre", "absent"] {
                assert_eq!(
                    group_index(&hir, name),
                    re.group_info().to_index(PatternID::ZERO, name),
                    "{pattern}: {name}"
                );
            }
        }
    }

    #[test]
    fn forms_compile_when_first_needed_and_heavy_ones_at_once() {
        let Ok(p) = compile(&[r"\bMRN (?P<value>\d{6})\b"]) else { panic!("compiles") };
        assert!(p.ascii.get().is_none(), "not compiled before a search needs it");
        assert_eq!(spans(p.for_region(b"see MRN 123456", 0, 14), "see MRN 123456"), vec![(4, 14)]);
        assert!(p.ascii.get().is_some());
        // Heavy enough to be compiled at once, so that a size limit is met
        // when the engine is built.
        let Ok(heavy) = compile(&[r"[a-z]{300}{200}"]) else { panic!("compiles") };
        assert!(heavy.ascii.get().is_some());
    }

    #[test]
    fn both_forms_agree_on_ascii_and_unicode_form_is_used_elsewhere() {
        let Ok(p) = compile(&[r"\b\p{Lu}\p{L}+\b"]) else { panic!("compiles") };
        assert!(p.wider.is_some());
        let ascii = "Ann met Bob at 5";
        assert_eq!(spans(p.for_region(ascii.as_bytes(), 0, ascii.len()), ascii), vec![(0, 3), (8, 11)]);
        let text = "José met Émile";
        let re = p.for_region(text.as_bytes(), 0, text.len());
        let found: Vec<&str> = spans(re, text).into_iter().map(|(a, b)| &text[a..b]).collect();
        assert_eq!(found, ["José", "Émile"]);
        let Ok(plain) = compile(&[r"[0-9]{3}"]) else { panic!("compiles") };
        assert!(plain.wider.is_none());
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
            pieces.push((a, b, std::ptr::eq(re, p.ascii())));
            found.extend(re.find_iter(Input::new(text).range(a..b)).map(|m| (m.start(), m.end())));
        });
        let line2 = text.find("then").unwrap();
        let line4 = text.find("last").unwrap();
        assert_eq!(pieces, vec![(lo, line2, true), (line2, line4, false), (line4, hi, true)]);
        // The same matches as one search of the region in the form as written.
        let whole = p.form(Form::Unicode);
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
        p.for_each_piece(t.as_bytes(), 0, 4, true, |re, a, b| last.push((a, b, std::ptr::eq(re, p.ascii()))));
        assert_eq!(last, vec![(0, 4, false)]);
    }

    #[test]
    fn each_text_gets_the_narrowest_form_of_the_scripts_it_holds() {
        let Ok(p) = compile(&[r"(?:(?m:^)|[^\p{L}\n])(?P<value>\p{Lu}\p{Ll}+)"]) else { panic!("compiles") };
        let w = p.wider.as_ref().expect("wider forms");
        let names = |text: &str| -> Vec<String> {
            let mut found = Vec::new();
            p.for_each_piece(text.as_bytes(), 0, text.len(), true, |re, a, b| {
                let group = re.group_info().to_index(regex_automata::PatternID::ZERO, "value").unwrap();
                for c in re.captures_iter(Input::new(text).range(a..b)) {
                    let s = c.get_group(group).unwrap();
                    found.push(text[s.start..s.end].to_string());
                }
            });
            found
        };
        assert_eq!(names("Łukasz met Émile 😂 at Ørsted"), ["Łukasz", "Émile", "Ørsted"]);
        // Latin text compiles the Latin form only.
        assert!(matches!(w.latin.get(), Some(Some(_))) && w.unicode.get().is_none());
        // Greek (an alphabet of two-byte letters) compiles the alphabets' form.
        assert_eq!(names("Łukasz\nΣωκράτης"), ["Łukasz", "Σωκράτης"]);
        assert!(matches!(w.alphabets.get(), Some(Some(_))) && w.unicode.get().is_none());
        // Other scripts, the form as written.
        assert_eq!(names("Σωκράτης 東京 Ἀθῆναι Женя"), ["Σωκράτης", "Ἀθῆναι", "Женя"]);
        assert!(w.unicode.get().is_some());
        assert_eq!(form_of("Ωmega Ἀθῆναι".as_bytes()), Form::Alphabets);
        assert_eq!(form_of("Ωmega 東".as_bytes()), Form::Unicode);
        assert_eq!(form_of("東 Zoë".as_bytes()), Form::Unicode);
        assert_eq!(form_of("Zoë – “ok” 👍🏽".as_bytes()), Form::Latin);
        assert_eq!(form_of(b"\xff\xfe"), Form::Unicode);
        // An ASCII region next to a non-ASCII byte needs a form with the
        // pattern's own boundaries.
        assert_eq!(p.region_form("é Ann".as_bytes(), 2, 6), Form::Latin);
        assert_eq!(p.region_form("é Ann".as_bytes(), 3, 6), Form::Ascii);
    }

    #[test]
    fn first_non_ascii_finds_the_first_byte_outside_ascii() {
        let long = format!("{}é{}", "a".repeat(70), "b".repeat(40));
        let plain = "x".repeat(64);
        let cases =
            [("", None), ("abc", None), ("é", Some(0)), ("ab é", Some(3)), (&long, Some(70)), (&plain, None)];
        for (text, want) in cases {
            assert_eq!(first_non_ascii(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn a_pattern_without_classes_outside_the_latin_set_has_no_latin_form_of_its_own() {
        let Ok(p) = compile(&[r"\bé[a-z]+\b"]) else { panic!("compiles") };
        let w = p.wider.as_ref().expect("a form as written");
        let text = "un élan";
        assert!(p.for_region(text.as_bytes(), 0, text.len()).is_match(Input::new(text)));
        assert!(matches!(w.latin.get(), Some(None)) && w.unicode.get().is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn pieces_find_what_one_search_finds(
            text in "[A-Za-z0-9 ,.éÉüłŁ’ΩαΣЖж東😂\n-]{0,80}",
            lo in 0usize..80,
            len in 0usize..80,
        ) {
            let patterns = [
                r"\b\p{Lu}\p{L}+\b",
                r"(?i)\bstra(ß|ss)e\b|\d{2,}",
                r"\w+\b[ \t]+\p{Lu}",
                r"[^\n]\b",
                r"(?:(?m:^)|[^\p{L}\p{M}\p{N}_\n])(?P<value>\p{Lu}[\p{Ll}’-]+)",
                r"[^\p{L}\n]{2,}|Ωα|ł",
            ];
            let (lo, hi) = (lo.min(text.len()), (lo + len).min(text.len()));
            prop_assume!(text.is_char_boundary(lo) && text.is_char_boundary(hi));
            for pat in patterns {
                let Ok(p) = compile(&[pat]) else { panic!("compiles") };
                let whole = p.form(Form::Unicode);
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
