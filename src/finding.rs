//! The vocabulary every module speaks: spans, rule indices and findings.

use std::ops::Range;

use crate::label::Label;

/// A half-open byte range `[start, end)` into the scanned input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// The number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span as a range, for slicing.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// The index of a compiled rule inside one [`Engine`](crate::Engine).
///
/// Resolve it to the rule's stable string id, pack and label with
/// [`Engine::rule`](crate::Engine::rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleIndex(pub(crate) u32);

impl RuleIndex {
    /// The index as a `usize`.
    pub fn as_usize(self) -> usize {
        self.0 as usize
    }
}

/// One identifier found in the input: which rule, which label, where, how sure.
///
/// A finding points into the scanned input; it never copies the text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finding {
    /// The byte span of the identifier.
    pub span: Span,
    /// The rule that found it.
    pub rule: RuleIndex,
    /// The canonical label the rule reports.
    pub label: Label,
    /// Confidence in `[0, 1]`, after context adjustments.
    pub confidence: f32,
}
