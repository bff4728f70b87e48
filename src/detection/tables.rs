//! Tables inside a text: rows of delimited cells under a header line (CSV,
//! tab- and semicolon-separated exports, Markdown and other pipe tables),
//! SQL `INSERT` statements, the `"key": value` pairs of JSON objects (log
//! lines, payloads pasted into a prompt), the text of XML elements and of
//! SGML elements without end tags (OFX), and the fields of forms printed
//! with leader dots.
//!
//! A cell is often an identifier only by its column: "20044781553" under
//! `account`, "E10442" under `emp_id`, "Will" under `first_name`. The engine
//! scans each cell once more as `header: value`, the way it scans a CSV
//! file's fields in batch mode, so that the column's name is the value's
//! context. The table must be in the text scanned: a header line in an
//! earlier unit of a long plain-text input is not seen.
//!
//! What counts as a table is kept narrow, so that prose with commas is not
//! read as one: a header line of at least three comma- or semicolon-separated
//! names (two for tabs and pipes), each a short name such as `first_name`,
//! `Date of Birth` or `acct #`, followed by at least one line with exactly as
//! many cells.

use std::ops::Range;

use memchr::memmem;

/// One cell of a table: the byte ranges of its column's name and of its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub header: Range<usize>,
    pub value: Range<usize>,
}

/// The cells of every table in `text`, table by table. Empty cells and SQL
/// `NULL`s are left out.
pub(crate) fn cells(text: &[u8]) -> Vec<Cell> {
    let mut out = Vec::new();
    // A delimited or fixed-width table is two lines or more (a CSV field
    // scanned alone is one); both readers walk the same lines.
    if memchr::memchr(b'\n', text).is_some() {
        let lines = lines(text);
        delimited(text, &lines, &mut out);
        fixed_width(text, &lines, &mut out);
    }
    sql_inserts(text, &mut out);
    json_pairs(text, &mut out);
    xml_elements(text, &mut out);
    sgml_elements(text, &mut out);
    dot_leaders(text, &mut out);
    out
}

/// The fields of forms printed with leader dots, one to a line
/// (`Client ID (CIF) ...... 00418823`, `EMPLOYER ......... Salon Nordique`):
/// the words before the dots name the value after them. The name is a few
/// words at the line's start; the value runs to the line's end.
fn dot_leaders(text: &[u8], out: &mut Vec<Cell>) {
    let mut after = 0;
    for dots in memmem::find_iter(text, b"....") {
        if dots < after {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &text[..dots]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &text[dots..]).map_or(text.len(), |i| dots + i);
        after = line_end;
        let name = strip(text, line_start..dots, b" \t:");
        let run =
            text[dots..line_end].iter().take_while(|&&b| matches!(b, b'.' | b' ' | b'\t' | b':')).count();
        let value = strip(text, dots + run..line_end, b" \t\r");
        let words = text[name.clone()].split(|&b| b == b' ').filter(|w| !w.is_empty()).count();
        // Leader dots stand apart from the name or run long; an ellipsis
        // follows its word ("wait.... what").
        let leader = name.end < dots || text[dots..line_end].iter().take_while(|&&b| b == b'.').count() >= 6;
        if !leader
            || name.is_empty()
            || name.len() > 48
            || words > 6
            || !text[name.start].is_ascii_alphanumeric()
            || value.is_empty()
            || value.len() > 200
            || memmem::find(&text[value.clone()], b"....").is_some()
        {
            continue;
        }
        out.push(Cell { header: name, value });
    }
}

/// The text of XML elements that hold only text on one line
/// (`<ePatient.17>1948-06-21</ePatient.17>`, `<AccountNumber>...`): the
/// element's name is the value's column, as a JSON key is.
fn xml_elements(text: &[u8], out: &mut Vec<Cell>) {
    let name_byte = |b: &u8| b.is_ascii_alphanumeric() || b"_.:-".contains(b);
    for close in memmem::find_iter(text, b"</") {
        let name_start = close + 2;
        let name_len = text[name_start..].iter().take_while(|b| name_byte(b)).count();
        if name_len == 0 || name_len > 60 || text.get(name_start + name_len) != Some(&b'>') {
            continue;
        }
        let name = &text[name_start..name_start + name_len];
        // The value: from the `>` that ends the opening tag to here, one
        // line of text with no markup in it.
        let Some(gt) = memchr::memrchr(b'>', &text[..close]) else { continue };
        let value = gt + 1..close;
        if value.is_empty()
            || value.len() > 200
            || text[value.clone()].iter().any(|&b| matches!(b, b'<' | b'\n'))
        {
            continue;
        }
        // The opening tag is this element's: `<name` then `>` or attributes.
        let Some(lt) = memchr::memrchr(b'<', &text[..gt]) else { continue };
        let tag = &text[lt + 1..gt];
        let opens = tag.starts_with(name) && tag.get(name.len()).is_none_or(|b| b.is_ascii_whitespace());
        if opens && !text[name_start].is_ascii_digit() {
            out.push(Cell { header: lt + 1..lt + 1 + name_len, value });
        }
    }
}

/// The values of SGML elements whose end tags are left out, as OFX bank
/// statements (QFX, Quicken and Money downloads) write them:
/// `<BANKID>301081508<ACCTID>0001182264-S01`. The tag, in capitals, is the
/// value's column; the value runs to the next tag or the line's end.
fn sgml_elements(text: &[u8], out: &mut Vec<Cell>) {
    let name_byte = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'.' || *b == b'_';
    for lt in memchr::memchr_iter(b'<', text) {
        let name_start = lt + 1;
        let name_len = text[name_start..].iter().take_while(|b| name_byte(b)).count();
        if name_len == 0
            || name_len > 40
            || !text[name_start].is_ascii_uppercase()
            || text.get(name_start + name_len) != Some(&b'>')
        {
            continue;
        }
        let from = name_start + name_len + 1;
        let len = text[from..].iter().take_while(|&&b| !matches!(b, b'<' | b'\n' | b'\r')).count();
        let value = trim(text, from..from + len);
        // An element closed by its end tag is XML's (see `xml_elements`).
        let closed = text[from + len..].starts_with(b"</")
            && text[from + len + 2..].starts_with(&text[name_start..name_start + name_len]);
        if !value.is_empty() && value.len() <= 200 && !closed {
            out.push(Cell { header: name_start..name_start + name_len, value });
        }
    }
}

/// The `"key": "value"` and `"key": 123` pairs of JSON text: the key is the
/// value's column. Keys are short names; values are strings of one line (up
/// to 200 bytes, escapes left as written) or numbers.
fn json_pairs(text: &[u8], out: &mut Vec<Cell>) {
    let is_key = |b: u8| b.is_ascii_alphanumeric() || b"_.-$@ ".contains(&b);
    for colon in memchr::memchr_iter(b':', text) {
        // The key: `"name"` right before the colon, spaces aside.
        let mut k = colon;
        while k > 0 && text[k - 1] == b' ' {
            k -= 1;
        }
        if k == 0 || text[k - 1] != b'"' {
            continue;
        }
        let key_end = k - 1;
        let key_start = key_end - text[..key_end].iter().rev().take_while(|&&b| is_key(b)).count();
        if key_start == 0
            || text[key_start - 1] != b'"'
            || key_start == key_end
            || key_end - key_start > 40
            || !text[key_start].is_ascii_alphabetic()
        {
            continue;
        }
        // The value: a string of one line, or a number.
        let v = space(text, colon + 1);
        match text.get(v) {
            Some(b'"') => {
                let start = v + 1;
                let mut i = start;
                while i < text.len() && i - start <= 200 && !matches!(text[i], b'"' | b'\n') {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
                if i < text.len() && text[i] == b'"' && i > start {
                    out.push(Cell { header: key_start..key_end, value: start..i });
                }
            }
            Some(b) if b.is_ascii_digit() => {
                let end = v + text[v..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
                out.push(Cell { header: key_start..key_end, value: v..end });
            }
            _ => {}
        }
    }
}

/// Whether a column's name says its cells may hold people's names: a name
/// column ("first_name", "Full Name", "lname"), or one named for a role a
/// person has (patient, customer, payee, guardian...). Columns named for a
/// thing's name ("product_name", "bank name", "hostname") are not, nor any
/// other column: a colour, a season or a product line that is also a given
/// name ("Rose", "Summer", "Will") is not a person there.
pub(crate) fn holds_people(header: &[u8]) -> bool {
    const THINGS: &[&str] = &[
        "file",
        "host",
        "product",
        "item",
        "bank",
        "company",
        "business",
        "org",
        "organization",
        "organisation",
        "street",
        "city",
        "town",
        "county",
        "state",
        "country",
        "brand",
        "server",
        "domain",
        "app",
        "device",
        "service",
        "plan",
        "group",
        "team",
        "project",
        "user",
        "merchant",
        "vendor",
        "store",
        "shop",
        "school",
        "hospital",
        "facility",
        "clinic",
        "drug",
        "medication",
        "test",
        "field",
        "column",
        "table",
        "key",
        "class",
        "type",
        "event",
        "job",
        "task",
        "queue",
        "bucket",
        "branch",
        "sku",
        "model",
        "color",
        "colour",
        "style",
    ];
    const PEOPLE: &[&str] = &[
        "first",
        "last",
        "given",
        "family",
        "surname",
        "middle",
        "maiden",
        "fname",
        "lname",
        "mname",
        "fullname",
        "firstname",
        "lastname",
        "givenname",
        "familyname",
        "patient",
        "pt",
        "customer",
        "cust",
        "client",
        "employee",
        "emp",
        "member",
        "contact",
        "holder",
        "cardholder",
        "guest",
        "passenger",
        "applicant",
        "beneficiary",
        "payee",
        "payer",
        "owner",
        "tenant",
        "landlord",
        "student",
        "parent",
        "guardian",
        "physician",
        "provider",
        "doctor",
        "dr",
        "nurse",
        "agent",
        "rep",
        "assignee",
        "reporter",
        "author",
        "signer",
        "signatory",
        "witness",
        "spouse",
        "insured",
        "subscriber",
        "borrower",
        "cosigner",
        "driver",
        "recipient",
        "attendee",
        "participant",
        "resident",
        "caller",
        "buyer",
        "seller",
        "requester",
        "approver",
        "manager",
        "supervisor",
        "teacher",
        "volunteer",
        "person",
        "kin",
        "relative",
        "mother",
        "father",
        "emergency",
        "referrer",
        "attending",
        "surgeon",
        "prescriber",
        "technician",
        "officer",
        "candidate",
        "initials",
        "init",
        "inits",
        // Who did something: "By", "Given by", "Reviewed By" columns, and
        // the staff who initial a record's rows ("RN", "Tech").
        "by",
        "rn",
        "lpn",
        "cna",
        "staff",
        "tech",
        "clinician",
        "pharmacist",
        "rph",
        "collector",
        "reviewer",
        "verifier",
    ];
    let lower = header.to_ascii_lowercase();
    let words: Vec<&[u8]> = lower.split(|b| !b.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let is = |set: &[&str], w: &[u8]| set.iter().any(|s| s.as_bytes() == w);
    if words.iter().any(|w| is(PEOPLE, w)) {
        return true;
    }
    // "name" alone or with words other than a thing's: "Name", "display name".
    let named = words.iter().any(|w| *w == b"name" || *w == b"names" || w.ends_with(b"name") && w.len() > 4);
    named
        && !words.iter().any(|w| {
            is(THINGS, w) || THINGS.iter().any(|t| w.starts_with(t.as_bytes()) && w.ends_with(b"name"))
        })
}

/// Whether a cell reads as a person's name as a whole: no digits, and its
/// words all capitalized (name particles aside: "van der Berg") or all in
/// lower case. "Canvas tote", "Kettle 1.7 L" and "Sweet William seed packet"
/// under a column called "name" are products.
pub(crate) fn name_shaped(cell: &[u8]) -> bool {
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "de", "del", "della", "la", "le", "da", "di", "du", "dos", "das", "bin",
        "binti", "al", "el", "st", "y", "e", "ter", "ten", "zu", "af",
    ];
    let Ok(text) = std::str::from_utf8(cell) else { return false };
    if text.chars().any(|c| c.is_numeric()) {
        return false;
    }
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let first_letter = |w: &str| w.chars().find(|c| c.is_alphabetic());
    let all_lower = words.iter().all(|w| first_letter(w).is_none_or(char::is_lowercase));
    let capitalized = words.iter().all(|w| {
        first_letter(w).is_none_or(char::is_uppercase) || PARTICLES.contains(&w.to_lowercase().as_str())
    });
    !words.is_empty() && (all_lower || capitalized)
}

/// The lines of `text` as ranges without their line break (and `\r`).
fn lines(text: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
        let stop = if end > start && text[end - 1] == b'\r' { end - 1 } else { end };
        out.push(start..stop);
        start = end + 1;
        if start > text.len() {
            break;
        }
    }
    out
}

const DELIMITERS: [u8; 4] = [b'\t', b'|', b',', b';'];

/// The fields of a line split at `delim` outside double quotes, as ranges
/// into `text`, each trimmed of spaces. A pipe table's outer pipes are not
/// field separators. `None` when a quote is left open.
fn split(text: &[u8], line: Range<usize>, delim: u8) -> Option<Vec<Range<usize>>> {
    split_with(text, line, delim, false)
}

/// [`split`], where with `tight` a delimiter followed by a space or a tab is
/// part of its field: a CSV file whose header's commas have no space after
/// them, with a name typed unquoted as "Mbeki, Fikile" in a row.
fn split_with(text: &[u8], line: Range<usize>, delim: u8, tight: bool) -> Option<Vec<Range<usize>>> {
    let mut line = line;
    if delim == b'|' {
        let t = trim(text, line.clone());
        if text.get(t.start) == Some(&b'|') && t.end > t.start + 1 && text[t.end - 1] == b'|' {
            line = t.start + 1..t.end - 1;
        }
    }
    let mut fields = Vec::new();
    let (mut start, mut quoted) = (line.start, false);
    for i in line.clone() {
        match text[i] {
            b'"' => quoted = !quoted,
            b if b == delim && !quoted && !(tight && matches!(text.get(i + 1), Some(b' ' | b'\t'))) => {
                fields.push(trim(text, start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return None;
    }
    fields.push(trim(text, start..line.end));
    Some(fields)
}

/// `r` without spaces and tabs at either end.
fn trim(text: &[u8], r: Range<usize>) -> Range<usize> {
    strip(text, r, b" \t")
}

/// A field without its surrounding double quotes.
fn unquote(text: &[u8], r: Range<usize>) -> Range<usize> {
    if r.len() >= 2 && text[r.start] == b'"' && text[r.end - 1] == b'"' {
        trim(text, r.start + 1..r.end - 1)
    } else {
        r
    }
}

/// Whether a header field is a column's name: 1 to 40 bytes, starting with a
/// letter, of letters, digits, spaces and `_ - . # / ( )`, at most four words.
fn is_name(f: &[u8], spaced: bool) -> bool {
    let ok = !f.is_empty()
        && f.len() <= 40
        && f[0].is_ascii_alphabetic()
        && f.iter().all(|&b| b.is_ascii_alphanumeric() || b" _-.#/()".contains(&b))
        && f.split(|&b| b == b' ').filter(|w| !w.is_empty()).count() <= 4;
    // After ", " a name with spaces in it is more likely a phrase of prose.
    ok && !(spaced && f.contains(&b' '))
}

/// The header's fields, if `line` is a header for `delim`.
fn header(text: &[u8], line: Range<usize>, delim: u8) -> Option<Vec<Range<usize>>> {
    let min = if matches!(delim, b'\t' | b'|') { 2 } else { 3 };
    // A name is at most 40 bytes: the first delimiter comes early (after a
    // pipe table's leading pipe and a name's quotes). Most lines of prose and
    // logs are ruled out here, without a pass over the whole line.
    let start = trim(text, line.clone()).start;
    let head = &text[start..line.end.min(start + 48)];
    let skip = usize::from(delim == b'|' && head.first() == Some(&b'|'));
    let first = memchr::memchr(delim, &head[skip..])?;
    if !is_name(&text[unquote(text, trim(text, start + skip..start + skip + first))], false) {
        return None;
    }
    let fields = split(text, line, delim)?;
    // Markdown tables set their pipes between spaces, and their column names
    // have spaces in them ("Date of Birth"): only a comma or semicolon
    // followed by a space reads as prose.
    let spaced = matches!(delim, b',' | b';')
        && fields.iter().skip(1).any(|f| f.start > 0 && text[f.start - 1] == b' ');
    let names: Vec<Range<usize>> = fields.into_iter().map(|f| unquote(text, f)).collect();
    (names.len() >= min && names.iter().all(|f| is_name(&text[f.clone()], spaced))).then_some(names)
}

/// Whether a line is a Markdown table's rule under its header (`|---|:--:|`).
fn is_rule_line(text: &[u8], line: Range<usize>) -> bool {
    let l = &text[line];
    l.contains(&b'-') && l.iter().all(|&b| b"|-:+ \t".contains(&b))
}

fn delimited(text: &[u8], lines: &[Range<usize>], out: &mut Vec<Cell>) {
    let mut i = 0;
    'lines: while i + 1 < lines.len() {
        for delim in DELIMITERS {
            let Some(names) = header(text, lines[i].clone(), delim) else { continue };
            let mut j = i + 1;
            if delim == b'|' && j < lines.len() && is_rule_line(text, lines[j].clone()) {
                j += 1;
            }
            let first = out.len();
            // Commas without a space after them in the header: a row with
            // one field too many may hold an unquoted "Last, First".
            let tight = delim == b',' && !text[lines[i].clone()].windows(2).any(|w| w == b", ");
            while j < lines.len() {
                let line = lines[j].clone();
                let fields = split(text, line.clone(), delim).and_then(|f| {
                    if tight && f.len() > names.len() {
                        split_with(text, line.clone(), delim, true)
                    } else {
                        Some(f)
                    }
                });
                match fields {
                    Some(fields) if fields.len() == names.len() && !trim(text, line).is_empty() => {
                        for (h, f) in names.iter().zip(fields) {
                            let v = unquote(text, f);
                            if !v.is_empty() && !text[v.clone()].eq_ignore_ascii_case(b"null") {
                                out.push(Cell { header: h.clone(), value: v });
                            }
                        }
                    }
                    _ => break,
                }
                j += 1;
            }
            if out.len() > first || j > i + 1 {
                i = j;
                continue 'lines;
            }
        }
        i += 1;
    }
}

/// The fields of a line of a fixed-width table: runs of text set apart by two
/// spaces or more (or a tab, in a row), as ranges into `text`.
fn spaced_fields(text: &[u8], line: Range<usize>) -> Vec<Range<usize>> {
    let mut fields = Vec::new();
    let mut i = line.start;
    while i < line.end {
        while i < line.end && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        let start = i;
        while i < line.end {
            let gap = text[i] == b'\t'
                || (text[i] == b' ' && i + 1 < line.end && matches!(text[i + 1], b' ' | b'\t'));
            if gap {
                break;
            }
            i += 1;
        }
        if i > start {
            fields.push(trim(text, start..i));
        }
    }
    fields
}

/// Tables printed in fixed-width columns, as registries, lab systems, claim
/// and screening logs print them: a header line of at least three column
/// names set apart by two spaces or more, an optional rule line of dashes,
/// then rows whose every field starts where a column's name starts or ends
/// where it ends (two columns of slack either way: numbers are often set to
/// the right). Fields are placed by where they stand, so a row may leave
/// columns empty; the first row that does not line up ends the table. Prose
/// with two spaces after its sentences does not line up under a header.
fn fixed_width(text: &[u8], lines: &[Range<usize>], out: &mut Vec<Cell>) {
    const SLACK: usize = 2;
    if memmem::find(text, b"  ").is_none() {
        return;
    }
    let mut i = 0;
    while i + 1 < lines.len() {
        let line = lines[i].clone();
        // Most lines are ruled out before they are split: a header's first
        // gap comes within a column name's length. A header with tabs is a
        // tab-separated table's, read as such (`delimited`).
        let start = trim(text, line.clone()).start;
        let head = &text[start..line.end.min(start + 48)];
        if memmem::find(head, b"  ").is_none() || memchr::memchr(b'\t', &text[line.clone()]).is_some() {
            i += 1;
            continue;
        }
        let names = spaced_fields(text, line.clone());
        // Sentences set apart by two spaces end with full stops; column names
        // seldom do (a few abbreviations: "Init.", "ICF ver.").
        let stops = names.iter().filter(|f| text[f.end - 1] == b'.').count();
        if names.len() < 3
            || 2 * stops > names.len()
            || !names.iter().all(|f| is_name(&text[f.clone()], false))
        {
            i += 1;
            continue;
        }
        let columns: Vec<(usize, usize)> =
            names.iter().map(|f| (f.start - line.start, f.end - line.start)).collect();
        // The names' words, each a column of its own: headers often set two
        // narrow columns one space apart ("SX ADMITTED"), and a row that
        // does not line up under the names may line up under their words.
        let words: Vec<Range<usize>> = names
            .iter()
            .flat_map(|f| {
                let mut at = f.start;
                text[f.clone()].split(|&b| b == b' ').map(move |w| {
                    let r = at..at + w.len();
                    at += w.len() + 1;
                    r
                })
            })
            .filter(|r| !r.is_empty())
            .collect();
        let word_columns: Vec<(usize, usize)> =
            words.iter().map(|f| (f.start - line.start, f.end - line.start)).collect();
        let mut j = i + 1;
        if j < lines.len() {
            let l = &text[lines[j].clone()];
            if l.contains(&b'-') && l.iter().all(|&b| b"-=+| \t".contains(&b)) {
                j += 1;
            }
        }
        let first = out.len();
        while j < lines.len() {
            let row = lines[j].clone();
            let fields = spaced_fields(text, row.clone());
            if fields.len() < 2 {
                break;
            }
            // The column each field stands in, in order, each field within
            // its column but for the row's last one; None when a field
            // stands in none.
            let place =
                |columns: &[(usize, usize)]| -> Option<Vec<usize>> {
                    let placed: Vec<usize> = fields
                        .iter()
                        .map(|f| {
                            let (a, b) = (f.start - row.start, f.end - row.start);
                            columns
                                .iter()
                                .position(|&(ca, cb)| a.abs_diff(ca) <= SLACK || b.abs_diff(cb) <= SLACK)
                        })
                        .collect::<Option<_>>()?;
                    if placed.windows(2).any(|w| w[0] >= w[1]) {
                        return None;
                    }
                    let within =
                        placed.iter().zip(&fields).rev().skip(1).all(|(&k, f)| {
                            columns.get(k + 1).is_none_or(|&(next, _)| f.end - row.start <= next)
                        });
                    within.then_some(placed)
                };
            // A field longer than its column's name pushes the ones after it
            // to the right ("Rev. Thos. Okonjo (for mother Grace Okonjo)"):
            // each field in the last column starting at or before it, in
            // order, so long as most fields line up.
            let contained = || -> Option<Vec<usize>> {
                let mut aligned = 0;
                let placed: Vec<usize> = fields
                    .iter()
                    .map(|f| {
                        let (a, b) = (f.start - row.start, f.end - row.start);
                        if columns.iter().any(|&(ca, cb)| a.abs_diff(ca) <= SLACK || b.abs_diff(cb) <= SLACK)
                        {
                            aligned += 1;
                        }
                        columns.iter().rposition(|&(ca, _)| ca <= a + SLACK)
                    })
                    .collect::<Option<_>>()?;
                let ordered = placed.windows(2).all(|w| w[0] < w[1]);
                (ordered && 2 * aligned > fields.len()).then_some(placed)
            };
            let placed = place(&columns)
                .map(|p| (p, &names))
                .or_else(|| {
                    (words.len() > names.len()).then(|| place(&word_columns)).flatten().map(|p| (p, &words))
                })
                .or_else(|| contained().map(|p| (p, &names)));
            let Some((placed, heads)) = placed else { break };
            for (k, f) in placed.into_iter().zip(fields) {
                out.push(Cell { header: heads[k].clone(), value: f });
            }
            j += 1;
        }
        i = if out.len() > first { j } else { i + 1 };
    }
}

/// `INSERT INTO name (col, ...) VALUES (v, ...), (v, ...)`: each value under
/// its column. A row whose count of values differs from the columns' is
/// skipped; the statement ends at the first thing that is not a row.
fn sql_inserts(text: &[u8], out: &mut Vec<Cell>) {
    // Statements are written "INSERT", "insert" and now and then "Insert".
    let lower = memmem::find_iter(text, b"nsert");
    let upper = memmem::find_iter(text, b"NSERT");
    let mut starts: Vec<usize> = lower.chain(upper).collect();
    starts.sort_unstable();
    let mut created: Created = None;
    for at in starts {
        let Some(start) = at.checked_sub(1) else { continue };
        if !text[start].eq_ignore_ascii_case(&b'i') || !text[start..at + 5].eq_ignore_ascii_case(b"insert") {
            continue;
        }
        let _ = insert(text, at + 5, &mut created, out);
    }
}

/// The tables a text's `CREATE TABLE` statements define, by name, with their
/// columns: read once, when the first row without a column list needs them.
type Created = Option<Vec<(Range<usize>, Vec<Range<usize>>)>>;

/// Parses one statement after its `INSERT`; `None` where it does not fit.
fn insert(text: &[u8], mut p: usize, created: &mut Created, out: &mut Vec<Cell>) -> Option<()> {
    p = space(text, p);
    p = word(text, p, b"into")?;
    p = space(text, p);
    // The table's name, perhaps quoted or qualified.
    let name_end =
        p + text[p..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"_.`\"[]".contains(&b)).count();
    if name_end == p {
        return None;
    }
    let name = p..name_end;
    p = space(text, name_end);
    let columns = if text.get(p) == Some(&b'(') {
        let close = p + memchr::memchr(b')', &text[p..])?;
        let mut columns = Vec::new();
        let commas = memchr::memchr_iter(b',', &text[p + 1..close]).map(|i| p + 1 + i);
        let mut from = p + 1;
        for to in commas.chain(std::iter::once(close)) {
            let r = strip(text, trim_sql(text, from..to), b"`\"[]");
            from = to + 1;
            if r.is_empty() || !column_name(&text[r.clone()]) {
                return None;
            }
            columns.push(r);
        }
        p = space(text, close + 1);
        columns
    } else {
        // No column list, as database dumps write their rows: the columns
        // are those of the table's `CREATE TABLE` in the same text.
        let name = &text[table_name(text, name)];
        let tables = created.get_or_insert_with(|| created_tables(text));
        tables.iter().find(|(t, _)| text[t.clone()].eq_ignore_ascii_case(name))?.1.clone()
    };
    p = word(text, p, b"values")?;
    loop {
        p = space(text, p);
        if text.get(p) != Some(&b'(') {
            return Some(());
        }
        let (values, end) = row(text, p + 1)?;
        if values.len() == columns.len() {
            for (h, v) in columns.iter().zip(values).filter_map(|(h, v)| v.map(|v| (h, v))) {
                out.push(Cell { header: h.clone(), value: v });
            }
        }
        p = space(text, end);
        if text.get(p) != Some(&b',') {
            return Some(());
        }
        p += 1;
    }
}

/// Whether `name` is a column's name as a column list writes it.
fn column_name(name: &[u8]) -> bool {
    name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b' ')
}

/// A table's name without its quotes and its schema (`db`.`t` is `t`).
fn table_name(text: &[u8], r: Range<usize>) -> Range<usize> {
    let r = strip(text, r, b"`\"[]");
    let last = text[r.clone()].iter().rposition(|&b| b == b'.').map_or(r.start, |i| r.start + i + 1);
    strip(text, last..r.end, b"`\"[]")
}

/// The tables the `CREATE TABLE` statements of `text` define: each one's
/// name and its columns, the first word of each definition, keys, indexes
/// and constraints left out.
fn created_tables(text: &[u8]) -> Vec<(Range<usize>, Vec<Range<usize>>)> {
    let lower = memmem::find_iter(text, b"create table");
    let upper = memmem::find_iter(text, b"CREATE TABLE");
    let mut starts: Vec<usize> = lower.chain(upper).collect();
    starts.sort_unstable();
    starts.into_iter().filter_map(|at| create_table(text, at + 12)).collect()
}

/// One `CREATE TABLE` statement from just after those words.
fn create_table(text: &[u8], mut p: usize) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    const CONSTRAINTS: [&[u8]; 9] = [
        b"primary",
        b"key",
        b"unique",
        b"index",
        b"constraint",
        b"foreign",
        b"check",
        b"fulltext",
        b"spatial",
    ];
    p = space(text, p);
    if let Some(q) = word(text, p, b"if") {
        p = space(text, word(text, space(text, word(text, space(text, q), b"not")?), b"exists")?);
    }
    let end =
        p + text[p..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"_.`\"[]".contains(&b)).count();
    if end == p {
        return None;
    }
    let name = table_name(text, p..end);
    p = space(text, end);
    if text.get(p) != Some(&b'(') {
        return None;
    }
    // Definitions are split at commas outside parentheses (`DECIMAL(10,2)`);
    // the body ends at its closing parenthesis.
    let mut columns = Vec::new();
    let (mut depth, mut from) = (0usize, p + 1);
    for i in p + 1..text.len().min(p + 16_384) {
        match text[i] {
            b'(' => depth += 1,
            b @ (b')' | b',') if depth == 0 => {
                let def = trim_sql(text, from..i);
                let first =
                    def.start + text[def.clone()].iter().take_while(|c| !c.is_ascii_whitespace()).count();
                let column = strip(text, def.start..first, b"`\"[]");
                let constraint = CONSTRAINTS.iter().any(|w| text[def.start..first].eq_ignore_ascii_case(w));
                if !column.is_empty() && !constraint {
                    if !column_name(&text[column.clone()]) {
                        return None;
                    }
                    columns.push(column);
                }
                if b == b')' {
                    return (!columns.is_empty()).then_some((name, columns));
                }
                from = i + 1;
            }
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The values of one row from just after its `(`, and the offset after its
/// `)`. A quoted string's value is what is between its quotes; `NULL` and
/// empty strings are `None`.
fn row(text: &[u8], mut p: usize) -> Option<(Vec<Option<Range<usize>>>, usize)> {
    let mut values = Vec::new();
    loop {
        p = space(text, p);
        let q = *text.get(p)?;
        let value = if q == b'\'' || q == b'"' {
            let start = p + 1;
            let mut i = start;
            loop {
                if i - start > 4096 {
                    return None;
                }
                match *text.get(i)? {
                    b'\\' => i += 2,
                    b if b == q && text.get(i + 1) == Some(&q) => i += 2,
                    b if b == q => break,
                    _ => i += 1,
                }
            }
            p = i + 1;
            (i > start).then_some(start..i)
        } else {
            // A bare value (a number, NULL, a function call) runs to the next
            // comma or closing parenthesis outside parentheses.
            let start = p;
            let mut depth = 0usize;
            while let Some(&b) = text.get(p) {
                match b {
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    b',' if depth == 0 => break,
                    b'\n' | b';' | b'\'' | b'"' => return None,
                    _ => {}
                }
                p += 1;
            }
            let r = trim_sql(text, start..p);
            (!r.is_empty() && !text[r.clone()].eq_ignore_ascii_case(b"null")).then_some(r)
        };
        values.push(value);
        p = space(text, p);
        match text.get(p)? {
            b',' => p += 1,
            b')' => return Some((values, p + 1)),
            _ => return None,
        }
    }
}

fn space(text: &[u8], p: usize) -> usize {
    p + text.get(p..).map_or(0, |t| t.iter().take_while(|b| b.is_ascii_whitespace()).count())
}

/// The offset after `w` (any case) at `p`, if it is there as a word.
fn word(text: &[u8], p: usize, w: &[u8]) -> Option<usize> {
    let end = p + w.len();
    let fits = text.get(p..end)?.eq_ignore_ascii_case(w);
    (fits && !text.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')).then_some(end)
}

/// `r` without ASCII white space at either end (SQL runs over lines).
fn trim_sql(text: &[u8], r: Range<usize>) -> Range<usize> {
    strip(text, r, b" \t\r\n\x0b\x0c")
}

/// `r` without the bytes of `set` at either end.
fn strip(text: &[u8], r: Range<usize>, set: &[u8]) -> Range<usize> {
    let (mut s, mut e) = (r.start, r.end);
    while s < e && set.contains(&text[s]) {
        s += 1;
    }
    while e > s && set.contains(&text[e - 1]) {
        e -= 1;
    }
    s..e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(&str, &str)> {
        cells(text.as_bytes()).into_iter().map(|c| (&text[c.header], &text[c.value])).collect()
    }

    #[test]
    fn csv_under_a_header() {
        let t =
            "export:\nemp_id,name,account\nE10442,\"Okonkwo, Will\",20044781553\r\nE10451,Demir,NULL\n\nbye";
        assert_eq!(
            pairs(t),
            [
                ("emp_id", "E10442"),
                ("name", "Okonkwo, Will"),
                ("account", "20044781553"),
                ("emp_id", "E10451"),
                ("name", "Demir")
            ]
        );
    }

    #[test]
    fn an_unquoted_last_first_name_in_a_csv_row() {
        let text = "Device name,UPN,Display name,Serial number\n\
                    NUR-022,fmbeki@example.org,Mbeki, Fikile,F4GXK2L9PQ\n\
                    ED-113,jthorsen@example.org,Jacob Thorsen,9653A2204119\n";
        let got = pairs(text);
        assert!(got.contains(&("Display name", "Mbeki, Fikile")), "{got:?}");
        assert!(got.contains(&("Serial number", "F4GXK2L9PQ")), "{got:?}");
        assert!(got.contains(&("Serial number", "9653A2204119")), "{got:?}");
        // A header written with spaces after its commas keeps every comma.
        let spaced = "Name, Serial, Note\nAlex, X1, Kept\nBo, Y2, a, b\n";
        assert!(!pairs(spaced).iter().any(|(_, v)| v.contains(',')));
    }

    #[test]
    fn tabs_semicolons_and_pipes() {
        assert_eq!(pairs("first\tlast\nRose\tKing\n"), [("first", "Rose"), ("last", "King")]);
        assert_eq!(pairs("id;city;zip\n7;Tampa;33131"), [("id", "7"), ("city", "Tampa"), ("zip", "33131")]);
        let md = "| Name | DOB |\n|------|:---:|\n| Ana Ruiz | 1990-02-03 |\ntext after";
        assert_eq!(pairs(md), [("Name", "Ana Ruiz"), ("DOB", "1990-02-03")]);
        let indented = "  | Name | DOB |\n  |---|---|\n  | Ana Ruiz | 1990-02-03 |";
        assert_eq!(pairs(indented), [("Name", "Ana Ruiz"), ("DOB", "1990-02-03")]);
        // A Markdown table's names have spaces in them, and its pipes spaces
        // around them.
        let mar = "| Medication / Order | Given | By |\n|---|---|---|\n| enoxaparin 40 mg SC | 0912 | MLW |";
        assert_eq!(
            pairs(mar),
            [("Medication / Order", "enoxaparin 40 mg SC"), ("Given", "0912"), ("By", "MLW")]
        );
    }

    #[test]
    fn sgml_elements_without_end_tags() {
        let t = "<BANKACCTFROM><BANKID>301081508<ACCTID>0001182264-S01\r\n<NAME>KAW VALLEY ELECTRIC</NAME><MEMO>ACH 88";
        // NAME is read by the XML reader, once.
        let want = [
            ("NAME", "KAW VALLEY ELECTRIC"),
            ("BANKID", "301081508"),
            ("ACCTID", "0001182264-S01"),
            ("MEMO", "ACH 88"),
        ];
        assert_eq!(pairs(t), want);
        // Lower-case tags and elements with their end tag are XML's.
        assert_eq!(pairs("<acct>12</acct><p>hi"), [("acct", "12")]);
    }

    #[test]
    fn fields_after_leader_dots() {
        let t = "APPLICANT ........ LAKSHMI RAO\n  Client ID (CIF) ...... 00418823\r\nEmployer:..... Salon Nordique\n";
        assert_eq!(
            pairs(t),
            [("APPLICANT", "LAKSHMI RAO"), ("Client ID (CIF)", "00418823"), ("Employer", "Salon Nordique")]
        );
        // An ellipsis in prose, a sentence before the dots, dots with nothing after.
        assert!(
            pairs("wait.... what\nand then we all went over there.... again\nTotal ........\n").is_empty()
        );
    }

    #[test]
    fn prose_is_not_a_table() {
        assert!(pairs("We met Tom, Ann, and Bob there.\nThen, later, we left, all of us.").is_empty());
        assert!(pairs("Tampa, FL, 33131\nMiami, FL, 33101").is_empty());
        assert!(pairs("a=1,b=2,c=3\nd,e,f").is_empty());
        // A header with no row under it.
        assert!(pairs("first_name,last_name,email\n\nRose").is_empty());
        // A row with another count of cells ends the table.
        assert_eq!(pairs("a,b,c\n1,2,3\n4,5\n"), [("a", "1"), ("b", "2"), ("c", "3")]);
    }

    #[test]
    fn fixed_width_columns() {
        let t = "IMMUNIZATIONS\n\
VACCINE              DATE GIVEN     DOSE  LOT           GIVEN BY\n\
Hep B (ped)          06/10/2019     1     R018472       ACROTEAU\n\
MMR                  06/22/2020      1    S009152\n\
\n\
Printed by jrowlette";
        assert_eq!(
            pairs(t),
            [
                ("VACCINE", "Hep B (ped)"),
                ("DATE GIVEN", "06/10/2019"),
                ("DOSE", "1"),
                ("LOT", "R018472"),
                ("GIVEN BY", "ACROTEAU"),
                ("VACCINE", "MMR"),
                ("DATE GIVEN", "06/22/2020"),
                ("DOSE", "1"),
                ("LOT", "S009152"),
            ]
        );
        // A rule line under the header, and a row that does not line up ends the table.
        let t = "Screen #   Init.  Outcome\n--------   -----  -------\n014-0027   R.G.   Randomized\nNotes: two screen failures this month, see log.";
        assert_eq!(pairs(t), [("Screen #", "014-0027"), ("Init.", "R.G."), ("Outcome", "Randomized")]);
        // A name longer than its column pushes the fields after it right.
        let t = "SEQ  ABA        ACCOUNT     REMITTER        STUB
001  043318092  6030118849  EDNA PFEIFFER   AHH-20117
002  243374218  710092215   Rev. Thos. Okonjo (for Grace)   AHH-21003
";
        assert_eq!(
            pairs(t)[5..],
            [
                ("SEQ", "002"),
                ("ABA", "243374218"),
                ("ACCOUNT", "710092215"),
                ("REMITTER", "Rev. Thos. Okonjo (for Grace)"),
                ("STUB", "AHH-21003"),
            ]
        );
    }

    #[test]
    fn fixed_width_header_words_one_space_apart() {
        // "SX ADMITTED" names two columns: the row's fields line up under
        // its words.
        let t = "BED    PATIENT            MRN         AGE  SX ADMITTED        STATUS\n\
                 5N-01  PENDLETON, DOLLIE  M00731884   92   F  06/10/25 1422   DC PEND\n";
        assert_eq!(
            pairs(t),
            [
                ("BED", "5N-01"),
                ("PATIENT", "PENDLETON, DOLLIE"),
                ("MRN", "M00731884"),
                ("AGE", "92"),
                ("SX", "F"),
                ("ADMITTED", "06/10/25 1422"),
                ("STATUS", "DC PEND")
            ]
        );
    }

    #[test]
    fn prose_with_wide_gaps_is_not_a_fixed_width_table() {
        let t = "Pt seen today.  Doing well.  Plan as above.\nWill call back.  No new issues since Monday, and labs pending.";
        assert!(pairs(t).is_empty());
        // Two names are not a header.
        assert!(pairs("Name  Dose\nAspirin  81 mg").is_empty());
        // A tab-separated table is read once, as such.
        assert_eq!(pairs("first\tlast\tcity\nRose\tKing\tTampa\n").len(), 3);
    }

    #[test]
    fn people_columns() {
        for h in [
            "first_name",
            "Last Name",
            "lname",
            "name",
            "Patient",
            "emergency_contact",
            "payee",
            "displayName",
            "Init.",
            "Initials",
            "By",
            "Reviewed By",
            "rn",
            "NURSE 2 (witness)",
            "Tech",
        ] {
            assert!(holds_people(h.as_bytes()), "{h}");
        }
        for h in [
            "color",
            "season",
            "product_name",
            "Bank Name",
            "hostname",
            "username",
            "sku",
            "price_usd",
            "city",
        ] {
            assert!(!holds_people(h.as_bytes()), "{h}");
        }
    }

    #[test]
    fn name_shaped_cells() {
        for c in ["Okonkwo, Will", "van der Berg", "jess patel", "O'Donnell-Bari", "Ramírez Soto"] {
            assert!(name_shaped(c.as_bytes()), "{c}");
        }
        for c in ["Canvas tote", "Kettle 1.7 L", "Sweet William seed packet", "Hanging planter \"Joy\""] {
            assert!(!name_shaped(c.as_bytes()), "{c}");
        }
    }

    #[test]
    fn xml_element_text() {
        let t = "<eRecord>\n  <eRecord.01>PCR-2025-01-004417</eRecord.01>\n  <Nm lang=\"en\">Ana Roe</Nm>\n  <Empty/>\n  <a><b>x</b> y</a>\n  <Note>two\nlines</Note>\n</eRecord>";
        assert_eq!(pairs(t), [("eRecord.01", "PCR-2025-01-004417"), ("Nm", "Ana Roe"), ("b", "x")]);
        assert!(pairs("a < b and c > d </p>").is_empty());
    }

    #[test]
    fn json_pairs_in_text() {
        let t = r#"log: {"city": "Lakeshore Heights", "postal_code":"60640", "n": 7, "x": "a\"b", "k":{"given":"Bo-ra"}}"#;
        assert_eq!(
            pairs(t),
            [
                ("city", "Lakeshore Heights"),
                ("postal_code", "60640"),
                ("n", "7"),
                ("x", r#"a\"b"#),
                ("given", "Bo-ra")
            ]
        );
        assert!(
            pairs(r#"she said "hi": then left; a "long key of more than forty bytes in all here": "v""#)
                .is_empty()
        );
    }

    #[test]
    fn sql_insert_rows() {
        let t = "INSERT INTO kyc (id, full_name, dob, note) VALUES\n (50001, 'Ana O''Neil', '1993-08-12', NULL),\n (50002, 'Li Wei', '', f(1, 2));";
        assert_eq!(
            pairs(t),
            [
                ("id", "50001"),
                ("full_name", "Ana O''Neil"),
                ("dob", "1993-08-12"),
                ("id", "50002"),
                ("full_name", "Li Wei"),
                ("note", "f(1, 2)")
            ]
        );
        assert_eq!(pairs("insert into `t` (`a`,\"b\") values ('x','y')"), [("a", "x"), ("b", "y")]);
        assert!(pairs("please insert into the form (see page 2) values you know").is_empty());
        assert!(pairs("INSERT INTO t (a, b) VALUES ('unterminated, 1").is_empty());
        // A dump's rows without a column list take the columns of the
        // table's CREATE TABLE, keys and constraints left out.
        let dump = "CREATE TABLE `payees` (\n  `id` int NOT NULL,\n  `routing_number` char(9),\n  `amount` decimal(10,2) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `ix` (`routing_number`,`amount`)\n) ENGINE=InnoDB;\nINSERT INTO `payees` VALUES (1,'015010661',2.50),(2,NULL,3);\nINSERT INTO `other` VALUES (1,'x');\nINSERT INTO db.`payees` VALUES (3,'035709499',1)";
        assert_eq!(
            pairs(dump),
            [
                ("id", "1"),
                ("routing_number", "015010661"),
                ("amount", "2.50"),
                ("id", "2"),
                ("amount", "3"),
                ("id", "3"),
                ("routing_number", "035709499"),
                ("amount", "1")
            ]
        );
    }
}
