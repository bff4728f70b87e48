//! Reading pack files and checking what they mean.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::format::{
    DictionarySpec, FileList, LenientPack, MatchExampleSpec, PackFile, RuleSpec, WindowSpec,
};
use super::{
    Context, Dictionary, Join, MatchExample, NoMatchExample, Origin, Pack, PackSet, Rule, Window, WordList,
    builtin,
};
use crate::error::{Error, Result};
use crate::label::Label;
use crate::validators;

/// The largest pack or list file read (bytes): a path to a device or a
/// runaway file fails instead of filling memory.
const MAX_FILE: u64 = 64 << 20;

/// Reads a whole file of at most [`MAX_FILE`] bytes.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(std::io::Error::other(format!("larger than {} MiB", MAX_FILE >> 20)));
    }
    Ok(bytes)
}

/// The only pack format this version reads.
pub(crate) const FORMAT: u32 = 1;

/// Where a pack's bytes and its relative files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    Builtin(String),
    File(PathBuf),
}

impl Source {
    fn origin(&self) -> Origin {
        match self {
            Source::Builtin(name) => Origin::Builtin(name.clone()),
            Source::File(path) => Origin::File(path.clone()),
        }
    }

    /// The path shown in errors.
    fn display_path(&self) -> PathBuf {
        match self {
            Source::Builtin(name) => PathBuf::from(format!("builtin:{name}.yaml")),
            Source::File(path) => path.clone(),
        }
    }
}

pub(super) struct Loader<'a> {
    set: &'a mut PackSet,
    /// Packs being loaded, outermost first, to detect `extends` cycles.
    stack: Vec<Source>,
    /// Sources already in the set.
    loaded: Vec<Source>,
    /// List files already read, shared by every rule that names them.
    lists: Lists,
}

/// List files read so far (dictionary and allow lists), by where they were
/// read from: several rules name the same list (the common-word list is the
/// allow list of eight built-in rules), and each gets the one copy.
#[derive(Default)]
struct Lists {
    files: HashMap<ListKey, WordList>,
    /// Lists made of several files, by the files' keys in order.
    unions: HashMap<Vec<ListKey>, WordList>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum ListKey {
    Builtin(String),
    File(PathBuf),
}

impl<'a> Loader<'a> {
    pub(super) fn new(set: &'a mut PackSet) -> Loader<'a> {
        let loaded = set
            .packs
            .iter()
            .map(|p| match &p.origin {
                Origin::Builtin(n) => Source::Builtin(n.clone()),
                Origin::File(f) => Source::File(f.clone()),
            })
            .collect();
        Loader { set, stack: Vec::new(), loaded, lists: Lists::default() }
    }

    pub(super) fn load_builtin(&mut self, name: &str, from: Option<(&Path, u64, u64)>) -> Result<()> {
        let source = Source::Builtin(name.to_string());
        let Some(bytes) = builtin::file(&format!("{name}.yaml")) else {
            let names = builtin::pack_names().join(", ");
            let err = Error::pack(format!("no built-in pack named '{name}' (built-in packs: {names})"));
            return Err(match from {
                Some((file, line, col)) => err.in_file(file).at(line, col),
                None => err,
            });
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Error::pack("pack is not valid UTF-8").in_file(source.display_path()))?;
        self.load_source(source, text, from)
    }

    pub(super) fn load_file(&mut self, path: &Path, from: Option<(&Path, u64, u64)>) -> Result<()> {
        let bytes = read_limited(path).map_err(|e| {
            let err = Error::io(path, e);
            match from {
                // The file is missing: point at the `extends` line that named it.
                Some((file, line, col)) => {
                    Error::pack(format!("extends '{}': {}", path.display(), err.message()))
                        .in_file(file)
                        .at(line, col)
                }
                None => err.in_file(path),
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line =
                1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            Error::pack("pack is not valid UTF-8").in_file(path).at_line(line as u64)
        })?;
        self.load_source(Source::File(normalize(path)), &text, from)
    }

    pub(super) fn load_text(&mut self, path: &Path, text: &str) -> Result<()> {
        self.load_source(Source::File(normalize(path)), text, None)
    }

    fn load_source(&mut self, source: Source, text: &str, from: Option<(&Path, u64, u64)>) -> Result<()> {
        if self.loaded.contains(&source) {
            return Ok(());
        }
        let path = source.display_path();
        if let Some(pos) = self.stack.iter().position(|s| *s == source) {
            let chain: Vec<String> = self.stack[pos..]
                .iter()
                .chain([&source])
                .map(|s| s.display_path().display().to_string())
                .collect();
            let err = Error::pack(format!("extends cycle: {}", chain.join(" -> ")));
            return Err(match from {
                Some((file, line, col)) => err.in_file(file).at(line, col),
                None => err.in_file(&path),
            });
        }
        let file = parse(text, &path)?;
        self.check_header(&file, &path)?;

        self.stack.push(source.clone());
        for ext in &file.extends {
            let (line, col) = (ext.referenced.line(), ext.referenced.column());
            let target = ext.value.trim();
            let result = if is_builtin_name(target) {
                self.load_builtin(target, Some((&path, line, col)))
            } else {
                match &source {
                    Source::Builtin(_) => Err(Error::pack(format!(
                        "a built-in pack may only extend built-in packs, not '{target}'"
                    ))
                    .in_file(&path)
                    .at(line, col)),
                    Source::File(p) => {
                        let base = p.parent().unwrap_or(Path::new(""));
                        self.load_file(&base.join(target), Some((&path, line, col)))
                    }
                }
            };
            if let Err(e) = result {
                self.stack.pop();
                return Err(e);
            }
        }
        self.stack.pop();

        let labels = fine_labels(&file, &path)?;
        let mut rules = Vec::with_capacity(file.rules.len());
        let mut ids = BTreeMap::new();
        for spec in &file.rules {
            let rule = convert_rule(spec, &file.name.value, &source, &path, &labels, &mut self.lists)?;
            if let Some(other) = self.set.rules.iter().find(|r| r.id == rule.id) {
                return Err(Error::pack(format!(
                    "duplicate rule id: already defined in {} line {}",
                    other.origin, other.line
                ))
                .in_file(&path)
                .at(spec.value.id.referenced.line(), spec.value.id.referenced.column())
                .for_rule(&rule.id));
            }
            if let Some(line) = ids.insert(rule.id.clone(), rule.line) {
                return Err(Error::pack(format!("duplicate rule id: already defined at line {line}"))
                    .in_file(&path)
                    .at(spec.value.id.referenced.line(), spec.value.id.referenced.column())
                    .for_rule(&rule.id));
            }
            rules.push(rule);
        }

        let mut disable = Vec::new();
        for d in &file.disable {
            let id = d.value.trim();
            let known = self.set.rules.iter().any(|r| r.id == id) || ids.contains_key(id);
            if !known {
                return Err(Error::pack(format!("disable names unknown rule '{id}'"))
                    .in_file(&path)
                    .at(d.referenced.line(), d.referenced.column()));
            }
            disable.push(id.to_string());
        }

        if let Some(other) = self.set.packs.iter().find(|p| p.name == file.name.value) {
            return Err(Error::pack(format!(
                "a pack named '{}' is already loaded from {}",
                other.name, other.origin
            ))
            .in_file(&path)
            .at(file.name.referenced.line(), file.name.referenced.column()));
        }

        let version = semver::Version::parse(file.version.value.trim()).expect("checked in check_header");
        self.set.disabled.extend(disable.iter().cloned());
        self.set.packs.push(Pack {
            name: file.name.value.clone(),
            version,
            description: file.description.trim().to_string(),
            origin: source.origin(),
            extends: file.extends.iter().map(|e| e.value.trim().to_string()).collect(),
            disable,
            rule_ids: rules.iter().map(|r| r.id.clone()).collect(),
        });
        self.set.rules.extend(rules);
        self.loaded.push(source);
        Ok(())
    }

    fn check_header(&self, file: &PackFile, path: &Path) -> Result<()> {
        if file.format.value != FORMAT {
            return Err(Error::pack(format!(
                "unsupported pack format {} (this version reads format {FORMAT})",
                file.format.value
            ))
            .in_file(path)
            .at(file.format.referenced.line(), file.format.referenced.column()));
        }
        let name = &file.name;
        if !is_builtin_name(&name.value) {
            return Err(Error::pack(format!(
                "pack name '{}' must be lower-case letters, digits, '-' or '_'",
                name.value
            ))
            .in_file(path)
            .at(name.referenced.line(), name.referenced.column()));
        }
        if let Err(e) = semver::Version::parse(file.version.value.trim()) {
            return Err(Error::pack(format!(
                "version '{}' is not a semantic version such as 1.2.0 ({e})",
                file.version.value
            ))
            .in_file(path)
            .at(file.version.referenced.line(), file.version.referenced.column()));
        }
        Ok(())
    }
}

/// Resolves `.` and `..` without touching the file system, so one file reached
/// by two relative paths is recognised as one pack.
fn normalize(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let canon = std::fs::canonicalize(&abs).ok();
    canon.unwrap_or_else(|| {
        let mut out = PathBuf::new();
        for c in abs.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    })
}

fn is_builtin_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn is_rule_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

/// The YAML options for packs: no source snippet in errors (the loader
/// reports file, line and column itself), and the parser's limits on input
/// size, nodes and alias expansion as they are, except that a pack may use
/// each anchor 50 times rather than 10. Packs share a few anchors (the join
/// gaps of names and places, allow lists) among their many rules; the limits
/// on nodes and events still stop an alias bomb.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.alias_anchor_ratio_multiplier = 50;
    serde_saphyr::options! { with_snippet: false, budget: Some(budget) }
}

/// Parses the YAML strictly; on failure, names the rule the error falls in.
fn parse(text: &str, path: &Path) -> Result<PackFile> {
    let options = yaml_options();
    serde_saphyr::from_str_with_options::<PackFile>(text, options).map_err(|e| {
        let loc = e.location();
        let mut msg = e.to_string();
        // serde-saphyr appends " at line L, column C"; the location is reported apart.
        if let Some(i) = msg.rfind(" at line ") {
            msg.truncate(i);
        }
        // Name the accepted shapes instead of serde's internal enum names.
        for (internal, shapes) in [
            (
                "untagged enum MatchExampleSpec",
                "a match example is a string or a map with `text` and `value`",
            ),
            ("untagged enum WindowSpec", "a window is a number or a map with `before` and `after`"),
        ] {
            if msg.contains(internal) {
                msg = shapes.to_string();
            }
        }
        let missing_field = msg.starts_with("missing field");
        let mut err = Error::pack(msg).in_file(path);
        if let Some(loc) = loc {
            let (mut line, mut column) = (loc.line(), loc.column());
            if let Some((id, start)) = rule_at_line(text, line) {
                // A missing field is reported where its mapping ends; point at
                // the rule that lacks it instead.
                if missing_field {
                    (line, column) = start;
                }
                if let Some(id) = id {
                    err = err.for_rule(id);
                }
            }
            err = err.at(line, column);
        }
        err
    })
}

/// The id (if readable) and start of the rule whose YAML holds `line`, read leniently.
fn rule_at_line(text: &str, line: u64) -> Option<(Option<String>, (u64, u64))> {
    let options = yaml_options();
    let lenient: LenientPack = serde_saphyr::from_str_with_options(text, options).ok()?;
    let rule = lenient.rules.iter().rev().find(|r| r.referenced.line() <= line)?;
    // Stop at the next top-level key: the line is then outside the rules list.
    let start = rule.referenced.line();
    let outside = text
        .lines()
        .enumerate()
        .skip(start as usize)
        .take_while(|(i, _)| (*i as u64) < line)
        .any(|(_, l)| l.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
    if outside { None } else { Some((rule.value.id.clone(), (start, rule.referenced.column()))) }
}

fn fine_labels(file: &PackFile, path: &Path) -> Result<BTreeMap<String, Label>> {
    let mut out = BTreeMap::new();
    for (fine, canonical) in &file.labels {
        let at = |e: Error| e.in_file(path).at(canonical.referenced.line(), canonical.referenced.column());
        if fine.parse::<Label>().is_ok() {
            return Err(at(Error::pack(format!("label '{fine}' is canonical and cannot be redefined"))));
        }
        if fine.is_empty() || !fine.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(at(Error::pack(format!(
                "label '{fine}' must be upper-case letters, digits and '_'"
            ))));
        }
        let label = canonical.value.parse::<Label>().map_err(|_| {
            at(Error::pack(format!(
                "label '{fine}' maps to '{}', which is not a canonical label",
                canonical.value
            )))
        })?;
        out.insert(fine.clone(), label);
    }
    Ok(out)
}

fn window(spec: Option<WindowSpec>, default: Window) -> Window {
    match spec {
        None => default,
        Some(WindowSpec::Both(n)) => Window { before: n, after: n },
        Some(WindowSpec::Sides(s)) => Window { before: s.before, after: s.after },
    }
}

fn fraction(
    value: &Option<Spanned<f32>>,
    what: &str,
    default: f32,
) -> std::result::Result<f32, (String, u64, u64)> {
    match value {
        None => Ok(default),
        Some(v) if (0.0..=1.0).contains(&v.value) => Ok(v.value),
        Some(v) => Err((
            format!("{what} must be between 0 and 1, not {}", v.value),
            v.referenced.line(),
            v.referenced.column(),
        )),
    }
}

fn words(list: &[String], what: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(list.len());
    for w in list {
        let w = w.trim();
        if w.is_empty() {
            return Err(format!("{what} holds an empty string"));
        }
        out.push(w.to_string());
    }
    Ok(out)
}

/// Parses a regular expression, which checks its syntax, without compiling it.
fn check_regex(pattern: &str) -> std::result::Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new().build().parse(pattern).map_err(|e| {
        // regex-syntax prints the pattern with a caret over several lines; keep
        // the last line, which says what is wrong.
        let text = e.to_string();
        let what = text
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .unwrap_or(&text)
            .trim_start_matches("error: ");
        format!("pattern does not compile: {what}")
    })
}

fn convert_rule(
    spec: &Spanned<RuleSpec>,
    pack: &str,
    source: &Source,
    path: &Path,
    labels: &BTreeMap<String, Label>,
    lists: &mut Lists,
) -> Result<Rule> {
    let r = &spec.value;
    let (line, column) = (spec.referenced.line(), spec.referenced.column());
    let id = r.id.value.trim().to_string();
    let fail = |msg: String, l: u64, c: u64| Error::pack(msg).in_file(path).at(l, c).for_rule(&id);
    if !is_rule_id(&id) {
        return Err(fail(
            format!(
                "rule id '{id}' must start with a lower-case letter or digit and hold only a-z, 0-9, '-', '_', '.'"
            ),
            r.id.referenced.line(),
            r.id.referenced.column(),
        ));
    }
    let label_name = r.label.value.trim().to_string();
    let label = match label_name.parse::<Label>().ok().or_else(|| labels.get(&label_name).copied()) {
        Some(l) => l,
        None => {
            return Err(fail(
                format!(
                    "unknown label '{label_name}': use a canonical label (PERSON, DATE, ...) or declare it under `labels`"
                ),
                r.label.referenced.line(),
                r.label.referenced.column(),
            ));
        }
    };

    match (&r.pattern, &r.dictionary) {
        (None, None) => return Err(fail("a rule needs a `pattern` or a `dictionary`".into(), line, column)),
        (Some(_), Some(d)) => {
            return Err(fail(
                "a rule has either a `pattern` or a `dictionary`, not both".into(),
                d.referenced.line(),
                d.referenced.column(),
            ));
        }
        _ => {}
    }
    let mut pattern_line = line;
    let mut parsed = None;
    if let Some(p) = &r.pattern {
        pattern_line = p.referenced.line();
        if p.value.is_empty() {
            return Err(fail("pattern is empty".into(), p.referenced.line(), p.referenced.column()));
        }
        match check_regex(&p.value) {
            Ok(hir) => parsed = Some(Arc::new(hir)),
            Err(msg) => return Err(fail(msg, p.referenced.line(), p.referenced.column())),
        }
    }
    if r.exclude && r.join.is_some() {
        return Err(fail("an `exclude` rule cannot `join`".into(), line, column));
    }
    if !r.keywords.is_empty() && r.pattern.is_none() {
        return Err(fail(
            "`keywords` apply to pattern rules; use `context.require` for a dictionary".into(),
            line,
            column,
        ));
    }
    let keywords = words(&r.keywords, "keywords").map_err(|m| fail(m, line, column))?;

    let dictionary = match &r.dictionary {
        None => None,
        Some(d) => Some(load_dictionary(d, source, path, lists).map_err(|e| e.for_rule(&id))?),
    };

    let mut validators = Vec::new();
    for v in &r.validators {
        match validators::by_name(v.value.trim()) {
            Some(found) => validators.push(found),
            None => {
                let known: Vec<&str> = validators::all().iter().map(|v| v.name()).collect();
                return Err(fail(
                    format!("unknown validator '{}' (known: {})", v.value, known.join(", ")),
                    v.referenced.line(),
                    v.referenced.column(),
                ));
            }
        }
    }

    let mut context = Context {
        boost_by: Context::DEFAULT_BOOST_BY,
        lower_by: Context::DEFAULT_LOWER_BY,
        ..Context::default()
    };
    if let Some(c) = &r.context {
        let sides = |w| window(Some(w), Context::DEFAULT_WINDOW);
        context.window = c.window.map(sides);
        context.list_windows = [
            c.boost_window.map(sides),
            c.require_window.map(sides),
            c.lower_window.map(sides),
            c.veto_window.map(sides),
        ];
        context.boost = words(&c.boost, "context.boost").map_err(|m| fail(m, line, column))?;
        context.require = words(&c.require, "context.require").map_err(|m| fail(m, line, column))?;
        context.lower = words(&c.lower, "context.lower").map_err(|m| fail(m, line, column))?;
        context.veto = words(&c.veto, "context.veto").map_err(|m| fail(m, line, column))?;
        context.boost_by = fraction(&c.boost_by, "context.boost_by", Context::DEFAULT_BOOST_BY)
            .map_err(|(m, l, c)| fail(m, l, c))?;
        context.lower_by = fraction(&c.lower_by, "context.lower_by", Context::DEFAULT_LOWER_BY)
            .map_err(|(m, l, c)| fail(m, l, c))?;
        context.alone_by =
            fraction(&c.alone_by, "context.alone_by", 0.0).map_err(|(m, l, c)| fail(m, l, c))?;
    }

    let (mut allow_values, mut allow_patterns) = (Vec::new(), Vec::new());
    let mut allow_words = WordList::default();
    let mut edge_words = WordList::default();
    let edge_words_at = r.allow.as_ref().and_then(|a| a.edge_words_at).unwrap_or_default();
    if let Some(a) = &r.allow {
        allow_values = words(&a.values, "allow.values").map_err(|m| fail(m, line, column))?;
        if let Some(file) = &a.file {
            let list = lists.read(file, "allow", source, path).map_err(|e| e.for_rule(&id))?;
            allow_values.extend(list.iter().map(str::to_string));
        }
        // Each file of a list is named at the field's location.
        let mut union = |files: &Spanned<FileList>| {
            let files: Vec<Spanned<String>> = files
                .value
                .0
                .iter()
                .map(|f| Spanned::new(f.clone(), files.referenced, files.defined))
                .collect();
            lists.union(&files, "allow", source, path).map_err(|e| e.for_rule(&id))
        };
        if let Some(files) = &a.words_file {
            allow_words = union(files)?;
        }
        if let Some(files) = &a.edge_words_file {
            edge_words = union(files)?;
        }
        for p in &a.patterns {
            if let Err(msg) = check_regex(&p.value) {
                return Err(fail(format!("allow {msg}"), p.referenced.line(), p.referenced.column()));
            }
            allow_patterns.push(p.value.clone());
        }
    }

    let confidence =
        fraction(&r.confidence, "confidence", Rule::DEFAULT_CONFIDENCE).map_err(|(m, l, c)| fail(m, l, c))?;

    let (mut matches, mut no_matches) = (Vec::new(), Vec::new());
    if let Some(ex) = &r.examples {
        for m in &ex.matches {
            let (text, value) = match &m.value {
                MatchExampleSpec::Whole(t) => (t.clone(), t.clone()),
                MatchExampleSpec::WithValue(v) => (v.text.clone(), v.value.clone()),
            };
            if value.is_empty() || !text.contains(&value) {
                return Err(fail(
                    "a match example's value must occur in its text".into(),
                    m.referenced.line(),
                    m.referenced.column(),
                ));
            }
            matches.push(MatchExample { text, value, line: m.referenced.line() });
        }
        for n in &ex.no_match {
            no_matches.push(NoMatchExample { text: n.value.clone(), line: n.referenced.line() });
        }
    }

    let join = match &r.join {
        None => None,
        Some(j) => {
            let gap = match &j.gap {
                None => Join::DEFAULT_GAP.to_string(),
                Some(g) => {
                    if let Err(msg) = check_regex(&g.value) {
                        return Err(fail(
                            format!("join gap {msg}"),
                            g.referenced.line(),
                            g.referenced.column(),
                        ));
                    }
                    g.value.clone()
                }
            };
            let boost_by = fraction(&j.boost_by, "join.boost_by", Join::DEFAULT_BOOST_BY)
                .map_err(|(m, l, c)| fail(m, l, c))?;
            if j.follows && j.counts {
                return Err(fail(
                    "join.follows needs counts: false (only parts that do not count follow a candidate)"
                        .into(),
                    line,
                    column,
                ));
            }
            Some(Join { gap, boost_by, counts: j.counts, follows: j.follows })
        }
    };

    Ok(Rule {
        id,
        pack: pack.to_string(),
        origin: source.origin(),
        line,
        column,
        label_name,
        label,
        description: r.description.trim().to_string(),
        pattern: r.pattern.as_ref().map(|p| p.value.clone()),
        parsed,
        pattern_line,
        keywords,
        keyword_window: window(r.keyword_window, Rule::DEFAULT_KEYWORD_WINDOW),
        dictionary,
        validators,
        context,
        allow_values,
        allow_words,
        edge_words,
        edge_words_at,
        allow_patterns,
        priority: r.priority,
        confidence,
        matches,
        no_matches,
        join,
        exclude: r.exclude,
    })
}

fn load_dictionary(
    spec: &Spanned<DictionarySpec>,
    source: &Source,
    path: &Path,
    lists: &mut Lists,
) -> Result<Dictionary> {
    let d = &spec.value;
    let mut words: Vec<String> = Vec::new();
    for w in &d.words {
        let w = w.trim();
        if w.is_empty() {
            return Err(Error::pack("dictionary.words holds an empty string")
                .in_file(path)
                .at(spec.referenced.line(), spec.referenced.column()));
        }
        words.push(w.to_string());
    }
    let file = match &d.file {
        Some(file) => lists.read(file, "dictionary", source, path)?,
        None => WordList::default(),
    };
    if words.is_empty() && file.is_empty() {
        return Err(Error::pack("dictionary has no entries: give `words` or a `file`")
            .in_file(path)
            .at(spec.referenced.line(), spec.referenced.column()));
    }
    // A list file alone is shared as read (its duplicates are already gone);
    // words of the pack come first, then the file's entries not among them.
    let entries = if words.is_empty() {
        file
    } else {
        let mut seen = HashSet::with_capacity(words.len() + file.len());
        words.iter().map(String::as_str).chain(file.iter()).filter(|e| seen.insert(*e)).collect()
    };
    let lower_by = |field: &Option<Spanned<f32>>, name: &str| match field {
        None => Ok(0.0),
        Some(v) if (0.0..=1.0).contains(&v.value) => Ok(v.value),
        Some(v) => Err(Error::pack(format!("dictionary.{name} must be between 0 and 1, not {}", v.value))
            .in_file(path)
            .at(v.referenced.line(), v.referenced.column())),
    };
    let acronym_lower_by = lower_by(&d.acronym_lower_by, "acronym_lower_by")?;
    let caps_lower_by = lower_by(&d.caps_lower_by, "caps_lower_by")?;
    Ok(Dictionary { entries, case: d.case, whole_word: d.whole_word, acronym_lower_by, caps_lower_by })
}

impl Lists {
    /// The entries of a list file named in a pack (relative to the pack;
    /// built-in packs name built-in files): one per line, the first
    /// tab-separated column, trimmed, first occurrences only; blank lines and
    /// lines starting with `#` skipped. Each file is read once.
    fn read(&mut self, file: &Spanned<String>, what: &str, source: &Source, path: &Path) -> Result<WordList> {
        let at = |e: Error| e.in_file(path).at(file.referenced.line(), file.referenced.column());
        let rel = file.value.trim();
        let key = ListKey::new(rel, source);
        if let Some(list) = self.files.get(&key) {
            return Ok(list.clone());
        }
        let owned;
        let bytes: &[u8] = match &key {
            ListKey::Builtin(rel) => builtin::file(rel)
                .ok_or_else(|| at(Error::pack(format!("{what} file '{rel}' is not a built-in file"))))?,
            ListKey::File(full) => {
                owned = read_limited(full).map_err(|e| {
                    at(Error::pack(format!(
                        "{what} file '{}': {}",
                        full.display(),
                        Error::io(full, e).message()
                    )))
                })?;
                &owned
            }
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|_| at(Error::pack(format!("{what} file '{rel}' is not valid UTF-8"))))?;
        let mut seen = HashSet::new();
        let list: WordList = text
            .lines()
            .map(|l| l.split('\t').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty() && !l.starts_with('#') && seen.insert(*l))
            .collect();
        self.files.insert(key, list.clone());
        Ok(list)
    }

    /// The entries of one or more list files, as [`read`](Self::read) gives
    /// them, in the files' order without duplicates. One file gives that
    /// file's list itself; the same files in the same order give one shared list.
    fn union(
        &mut self,
        files: &[Spanned<String>],
        what: &str,
        source: &Source,
        path: &Path,
    ) -> Result<WordList> {
        let mut parts = Vec::with_capacity(files.len());
        for file in files {
            parts.push(self.read(file, what, source, path)?);
        }
        if parts.len() == 1 {
            return Ok(parts.pop().expect("one part"));
        }
        let keys: Vec<ListKey> = files.iter().map(|f| ListKey::new(f.value.trim(), source)).collect();
        if let Some(list) = self.unions.get(&keys) {
            return Ok(list.clone());
        }
        let mut seen = HashSet::new();
        let list: WordList = parts.iter().flat_map(|p| p.iter()).filter(|w| seen.insert(*w)).collect();
        self.unions.insert(keys, list.clone());
        Ok(list)
    }
}

impl ListKey {
    /// A list file named `rel` in a pack from `source`.
    fn new(rel: &str, source: &Source) -> ListKey {
        match source {
            Source::Builtin(_) => ListKey::Builtin(rel.to_string()),
            Source::File(p) => ListKey::File(p.parent().unwrap_or(Path::new("")).join(rel)),
        }
    }
}
