//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  `packs test`: some example failed
  2  usage or configuration error (bad flag, bad pack, bad gold file)
  3  some input could not be read (the others were processed)";

/// Finds personal identifiers in healthcare and finance text and masks them.
///
/// Rules come from YAML rule packs: the built-in packs (hipaa, finance, pii) and
/// any given with --pack. Findings and reports never print the identifiers
/// themselves unless --show-values is given.
#[derive(Debug, Parser)]
#[command(name = "cloak", version, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Which rules to load.
#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// Add the rule pack in FILE (repeatable); it may extend built-in packs.
    #[arg(long = "pack", id = "pack_files", value_name = "FILE", global = true)]
    pub pack_files: Vec<PathBuf>,
    /// Do not load the built-in packs (only those given with --pack).
    #[arg(long, global = true)]
    pub no_builtin: bool,
    /// Report only findings with at least this confidence (0 to 1).
    #[arg(long, value_name = "X", default_value_t = 0.5, global = true)]
    pub min_confidence: f32,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the identifiers found, as JSON Lines (one finding per line).
    ///
    /// Each line: file, rule, label, byte start/end, char start/end, confidence.
    /// Values are printed only with --show-values.
    Scan(ScanArgs),
    /// Print the text with each identifier replaced by [LABEL].
    Mask(MaskArgs),
    /// List, show and test rule packs.
    #[command(subcommand)]
    Packs(PacksCommand),
    /// Score the rules on a gold file (EVAL.md): recall, masked recall, precision, F2.
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files to scan; `-` or none reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Include each finding's text (the identifier itself) in the output.
    #[arg(long)]
    pub show_values: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MaskArgs {
    /// Files to mask, written in order to standard output; `-` or none reads
    /// standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Replace findings of LABEL (or of the rule with id LABEL) with TRANSFORM:
    /// label, redact or keep. Repeatable; e.g. --transform EMAIL=redact.
    #[arg(long = "transform", value_name = "LABEL=TRANSFORM")]
    pub transforms: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PacksCommand {
    /// List the loaded packs and their rules.
    List,
    /// Show one pack (by name) or one rule (by id) in full.
    Show {
        /// A pack name or a rule id.
        id: String,
    },
    /// Check every example of the loaded packs (or only of the named packs).
    Test {
        /// Pack names; all loaded packs when none is given.
        packs: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// A gold file in the EVAL.md format (JSON Lines: id, text, spans).
    #[arg(value_name = "GOLD.jsonl")]
    pub gold: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also write the predicted spans, in the gold format, to FILE.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
}

pub(crate) fn parse() -> Cli {
    Cli::parse()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
