//! Token syntax: how a reversible token is written, and how to find tokens
//! again in text an LLM has handled.
//!
//! A token is `[LABEL_id]` by default: the canonical label, an underscore and
//! a lower-case base32 id of 16 or more characters, sometimes followed by `_`
//! and a 4-character form id (the same value written another way). The prefix
//! and suffix are configurable.
//!
//! Finding tokens tolerates what language models do to them: any letter case,
//! the prefix and suffix dropped or doubled (`PERSON_…`, `[[PERSON_…]]`), and
//! any text right after (punctuation, a possessive `'s`). Without its prefix
//! and suffix a token must stand as a whole word.

use regex_automata::meta::Regex;
use regex_automata::{Input, PatternID};

use crate::label::Label;

/// How tokens are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSyntax {
    prefix: String,
    suffix: String,
}

impl Default for TokenSyntax {
    fn default() -> Self {
        TokenSyntax { prefix: "[".into(), suffix: "]".into() }
    }
}

/// The characters of token ids (Crockford's base32, lower case).
const ID_CLASS: &str = "[0-9a-hjkmnp-tv-zA-HJKMNP-TV-Z]";

impl TokenSyntax {
    /// A syntax with this prefix and suffix (each non-empty, without letters,
    /// digits, `_` or whitespace).
    pub fn new(prefix: &str, suffix: &str) -> crate::Result<TokenSyntax> {
        let ok = |s: &str| {
            !s.is_empty() && !s.chars().any(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace())
        };
        if !ok(prefix) || !ok(suffix) {
            return Err(crate::Error::config(
                "token prefix and suffix must be non-empty and hold no letter, digit, '_' or space",
            ));
        }
        Ok(TokenSyntax { prefix: prefix.into(), suffix: suffix.into() })
    }

    /// The token for `key` (`LABEL_id`).
    pub fn render(&self, key: &str) -> String {
        format!("{}{key}{}", self.prefix, self.suffix)
    }

    /// A finder of tokens written in this syntax.
    pub fn finder(&self) -> TokenFinder {
        let labels: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
        let p = regex_syntax::escape(&self.prefix);
        let s = regex_syntax::escape(&self.suffix);
        let key =
            format!("(?i:(?P<label>{})_(?P<id>{ID_CLASS}{{16,51}}(?:_{ID_CLASS}{{4}})?))", labels.join("|"));
        // Two patterns: with the prefix (then the suffix is optional), and bare
        // (then it must stand as a whole word).
        let with = format!("(?:{p}){{1,2}}{key}(?:{s}){{0,2}}");
        let bare = format!("(?-u:\\b){key}(?-u:\\b)(?:{s}){{0,2}}");
        let regex = Regex::new_many(&[with, bare]).expect("token patterns compile");
        TokenFinder { regex }
    }
}

/// A token found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundToken {
    /// Byte span of the token as written, prefix and suffix included.
    pub span: crate::Span,
    /// The canonical key, `LABEL_id` with the label upper case and the id lower case.
    pub key: String,
    /// The label.
    pub label: Label,
}

/// Finds tokens in text.
#[derive(Clone, Debug)]
pub struct TokenFinder {
    regex: Regex,
}

impl TokenFinder {
    /// Every token in `text`, in order.
    pub fn find_all(&self, text: &[u8]) -> Vec<FoundToken> {
        let mut out = Vec::new();
        let mut caps = self.regex.create_captures();
        let mut at = 0;
        while at < text.len() {
            self.regex.search_captures(&Input::new(text).range(at..), &mut caps);
            let Some(m) = caps.get_match() else { break };
            let pid = m.pattern();
            let label_span = caps.get_group_by_name("label").expect("label group");
            let id_span = caps.get_group_by_name("id").expect("id group");
            let label_text = String::from_utf8_lossy(&text[label_span.range()]).to_ascii_uppercase();
            let id = String::from_utf8_lossy(&text[id_span.range()]).to_ascii_lowercase();
            if let Ok(label) = label_text.parse::<Label>() {
                let _ = pid == PatternID::ZERO;
                out.push(FoundToken {
                    span: crate::Span::new(m.start(), m.end()),
                    key: format!("{label}_{id}"),
                    label,
                });
            }
            at = m.end().max(at + 1);
        }
        out
    }

    /// The longest suffix of `text` that could be the start of a token still
    /// being written (a stream may have cut it); its start, or `text.len()`.
    pub fn partial_start(&self, text: &[u8], prefix: &str) -> usize {
        // A token is at most prefix*2 + label + '_' + 51 + '_' + 4 + suffix*2.
        const LONGEST: usize = 96;
        let from = text.len().saturating_sub(LONGEST);
        let tail = &text[from..];
        // The earliest position in the tail from which the rest could still
        // grow into a token: a prefix character, or a run of token characters.
        let token_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut start = text.len();
        for (i, &b) in tail.iter().enumerate().rev() {
            if token_char(b) || prefix.as_bytes().contains(&b) {
                start = from + i;
            } else {
                break;
            }
        }
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tokens_as_llms_mangle_them() {
        let f = TokenSyntax::default().finder();
        let id = "k7q2x9mab3h4c5d6";
        let cases = [
            (format!("[PERSON_{id}]"), format!("PERSON_{id}"), 0, 25),
            (format!("see [person_{}]'s chart", id.to_uppercase()), format!("PERSON_{id}"), 4, 29),
            (format!("[[EMAIL_{id}]]."), format!("EMAIL_{id}"), 0, 26),
            (format!("PERSON_{id} called"), format!("PERSON_{id}"), 0, 23),
            (format!("[CREDIT_CARD_{id}_ab3d]"), format!("CREDIT_CARD_{id}_ab3d"), 0, 35),
        ];
        for (text, key, s, e) in cases {
            let found = f.find_all(text.as_bytes());
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].key, key, "{text}");
            assert_eq!((found[0].span.start, found[0].span.end), (s, e), "{text}");
        }
        assert!(f.find_all(format!("XPERSON_{id}").as_bytes()).is_empty());
        assert!(f.find_all(b"[PERSON_short]").is_empty());
        assert!(f.find_all(format!("[NOTALABEL_{id}]").as_bytes()).is_empty());
    }

    #[test]
    fn custom_syntax_and_partials() {
        let syn = TokenSyntax::new("<<", ">>").unwrap();
        assert_eq!(syn.render("PERSON_k7q2x9mab3h4c5d6"), "<<PERSON_k7q2x9mab3h4c5d6>>");
        let f = syn.finder();
        assert_eq!(f.find_all(b"hi <<PERSON_k7q2x9mab3h4c5d6>>!")[0].span.start, 3);
        assert!(TokenSyntax::new("a", "]").is_err());
        let d = TokenSyntax::default().finder();
        assert_eq!(d.partial_start(b"hello [PERS", "["), 6);
        assert_eq!(d.partial_start(b"hello wor", "["), 6);
        assert_eq!(d.partial_start(b"done. ", "["), 6);
    }
}
