//! Checking every rule against the examples its pack gives.

use std::fmt;

use super::Engine;

/// What went wrong with one example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExampleFailureKind {
    /// A `match` example gave no finding with the expected value; the values
    /// the rule did find are listed.
    Missed {
        /// The value the example expects.
        expected: String,
        /// What the rule found instead.
        found: Vec<String>,
    },
    /// A `no_match` example gave findings.
    Unexpected {
        /// What the rule found.
        found: Vec<String>,
    },
}

/// One example that did not behave as its pack says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The pack that defines the rule.
    pub pack: String,
    /// Where the pack came from.
    pub origin: String,
    /// The rule id.
    pub rule: String,
    /// The example's line in the pack file.
    pub line: u64,
    /// The example text.
    pub text: String,
    /// What happened.
    pub kind: ExampleFailureKind,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: pack '{}' rule '{}': ", self.origin, self.line, self.pack, self.rule)?;
        match &self.kind {
            ExampleFailureKind::Missed { expected, found } => {
                write!(f, "match example {:?} should find {:?}, found {:?}", self.text, expected, found)
            }
            ExampleFailureKind::Unexpected { found } => {
                write!(f, "no_match example {:?} found {:?}", self.text, found)
            }
        }
    }
}

/// The outcome of checking examples.
#[derive(Clone, Debug, Default)]
pub struct ExampleReport {
    /// How many examples were checked.
    pub checked: usize,
    /// The ones that failed.
    pub failures: Vec<ExampleFailure>,
}

impl Engine {
    /// Checks every `match` and `no_match` example of the rules whose pack is in
    /// `packs` (all rules when `packs` is empty). A rule's findings for an
    /// example are the candidates it contributed to, alone or joined with
    /// neighbours of other rules, after checks and the threshold and before
    /// overlaps with other rules are resolved.
    pub fn test_examples(&self, packs: &[&str]) -> ExampleReport {
        let mut report = ExampleReport::default();
        for (i, rule) in self.rules().iter().enumerate() {
            if !packs.is_empty() && !packs.contains(&rule.pack()) {
                continue;
            }
            let found = |text: &str| {
                let mut cands = Vec::new();
                self.candidates(text.as_bytes(), Some(i as u32), &mut cands);
                cands
                    .iter()
                    .filter(|c| c.marked)
                    .map(|c| text[c.span.range()].to_string())
                    .collect::<Vec<_>>()
            };
            let failure = |line, text: &str, kind| ExampleFailure {
                pack: rule.pack().to_string(),
                origin: rule.origin().to_string(),
                rule: rule.id().to_string(),
                line,
                text: text.to_string(),
                kind,
            };
            for ex in rule.match_examples() {
                report.checked += 1;
                let got = found(&ex.text);
                if !got.contains(&ex.value) {
                    report.failures.push(failure(
                        ex.line,
                        &ex.text,
                        ExampleFailureKind::Missed { expected: ex.value.clone(), found: got },
                    ));
                }
            }
            for ex in rule.no_match_examples() {
                report.checked += 1;
                let got = found(&ex.text);
                if !got.is_empty() {
                    report.failures.push(failure(
                        ex.line,
                        &ex.text,
                        ExampleFailureKind::Unexpected { found: got },
                    ));
                }
            }
        }
        report
    }
}
