//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  `packs test`: some example failed
  1  `scan`/`mask --fail-on-findings`: something was found
  2  usage or configuration error (bad flag, bad pack, bad gold file)
  3  some input could not be read (the others were processed)
  130 interrupted (Ctrl-C); no partial output is left under a final name";

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
    /// Print the text with each identifier replaced by a reversible token.
    ///
    /// By default each finding becomes a token such as [PERSON_k7q2x9mab3h4c5d6],
    /// its value kept encrypted in the vault; `cloak unmask` puts values back.
    /// On first use the vault and its keys are created at their default places
    /// (see `cloak keys init --help`). --transform picks other replacements.
    Mask(MaskArgs),
    /// Put the values back in place of the tokens in a text (an LLM's reply).
    ///
    /// Needs the vault's reveal key. Tokens are found in any letter case, with
    /// their brackets dropped or doubled, and followed by any punctuation or
    /// 's; unknown or damaged tokens are left as they are and counted. Standard
    /// input is restored as it streams. Every run is recorded in the vault's
    /// audit log (time, actor, purpose, counts per label; never values).
    Unmask(UnmaskArgs),
    /// Create and rotate vault keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Inspect and maintain the vault: stats, purge, verify, audit.
    #[command(subcommand)]
    Vault(VaultCommand),
    /// List, show and test rule packs.
    #[command(subcommand)]
    Packs(PacksCommand),
    /// Score the rules on a gold file (EVAL.md): recall, masked recall, precision, F2.
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files, directories (walked recursively) or globs to scan; `-` or none
    /// reads standard input.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Include each finding's text (the identifier itself) in the output.
    #[arg(long)]
    pub show_values: bool,
    /// How findings are printed: jsonl (one finding per line) or sarif (one
    /// SARIF 2.1.0 log, for code-scanning dashboards).
    #[arg(long, value_name = "FORMAT", default_value = "jsonl", alias = "findings-format")]
    pub output_format: FindingsFormat,
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// How `cloak scan` prints findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FindingsFormat {
    /// One JSON object per finding.
    Jsonl,
    /// A SARIF 2.1.0 log.
    Sarif,
}

/// How inputs are read and the run is carried out (scan and mask).
#[derive(Debug, Args)]
#[command(next_help_heading = "Inputs and the run")]
pub(crate) struct BatchArgs {
    /// Read inputs as FORMAT: text, jsonl, csv or tsv. Default: by extension
    /// (.jsonl/.ndjson, .csv, .tsv, else text), after any .gz or .zst, which
    /// are decompressed (and their outputs compressed) by their content.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// JSON Lines: scan only the value at this dotted path (message,
    /// user.email) and the strings inside it. Repeatable. Default: every
    /// string value, each with its key as context ("acct": an account
    /// number). The rest of each record is kept byte for byte.
    #[arg(long = "field", value_name = "PATH")]
    pub fields: Vec<String>,
    /// JSON Lines: scan numbers too (a masked number is written as a string).
    #[arg(long)]
    pub numbers: bool,
    /// CSV/TSV: scan only this column, by header name or 1-based position.
    /// Repeatable. Default: every column. Each cell is scanned with its
    /// column's name as context; the header row is kept.
    #[arg(long = "column", value_name = "NAME|N")]
    pub columns: Vec<String>,
    /// CSV/TSV: the delimiter (default: `,` for CSV, tab for TSV).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// CSV/TSV: the first row is data, not a header.
    #[arg(long)]
    pub no_header: bool,
    /// Worker threads (default: every core). Output is the same for any count.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Bytes of input per unit of parallel work (default 1 MiB).
    #[arg(long, value_name = "BYTES", hide = true)]
    pub chunk_bytes: Option<usize>,
    /// Write a JSON report to FILE: per input and in total, bytes, records,
    /// findings per label, transforms, errors; never a value.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Exit with code 1 when anything is found (a CI gate).
    #[arg(long)]
    pub fail_on_findings: bool,
    /// No progress bar and no summary on standard error (errors still show).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MaskArgs {
    /// Files, directories (walked recursively) or globs to mask; `-` or none
    /// reads standard input. Without -o or --in-place, outputs go to standard
    /// output in input order.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Write each output under DIR, mirroring the inputs' paths (a directory
    /// given as input is the root of its tree). Each file appears only when
    /// complete.
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,
    /// Replace each input by its output, atomically (written beside it, then
    /// renamed), keeping its permissions.
    #[arg(long)]
    pub in_place: bool,
    /// Apply a policy: a built-in one (safe-harbor, pci, llm) or a policy file
    /// (docs/policies.md). Default: every finding becomes a token.
    #[arg(long, value_name = "NAME|FILE")]
    pub policy: Option<String>,
    /// Replace findings of LABEL (or of the rule with id LABEL, or of all with
    /// `*`) with TRANSFORM, over the policy: token, label, redact, keep, mask
    /// (keeps the last 4), hash, fpe, surrogate, shift, generalize. Repeatable;
    /// e.g. --transform EMAIL=redact, or --transform '*=label' for [LABEL] masks.
    #[arg(long = "transform", value_name = "LABEL=TRANSFORM")]
    pub transforms: Vec<String>,
    /// The subject (patient or customer id) whose dates `shift` moves together.
    #[arg(long, value_name = "ID")]
    pub subject: Option<String>,
    /// JSON Lines: read each record's subject from this field (dotted path,
    /// e.g. patient.id); its dates shift together. Records without it use
    /// --subject.
    #[arg(long, value_name = "PATH")]
    pub subject_field: Option<String>,
    #[command(flatten)]
    pub vault: VaultArgs,
    // Last: the heading it sets applies to the flags after it too.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Which vault, and which key opens it.
#[derive(Debug, Args, Clone)]
pub(crate) struct VaultArgs {
    /// The vault file (default: $CLOAK_VAULT, else $XDG_DATA_HOME/cloak/vault.db,
    /// else ~/.local/share/cloak/vault.db).
    #[arg(long, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// The key file (default: the key in $CLOAK_KEY, else mask.key or reveal.key
    /// in $XDG_CONFIG_HOME/cloak or ~/.config/cloak).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Take the reveal passphrase from this environment variable (for vaults
    /// created with `keys init --passphrase-env`).
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct UnmaskArgs {
    /// Files to restore, written in order to standard output; `-` or none
    /// reads standard input as a stream.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub vault: VaultArgs,
    /// Who is revealing, for the audit log (default: the OS user).
    #[arg(long)]
    pub actor: Option<String>,
    /// Why, for the audit log.
    #[arg(long, default_value = "")]
    pub purpose: String,
    /// The policy the text was masked with, to also restore its surrogates and
    /// format-preserving encryptions (found again by scanning; not streamed).
    #[arg(long, value_name = "NAME|FILE")]
    pub policy: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeysCommand {
    /// Create a vault and its two keys: mask.key (can create tokens, cannot
    /// reveal) and reveal.key (can reveal), written with permissions 0600.
    ///
    /// Give mask.key to hosts that only mask (an LLM gateway); keep reveal.key
    /// where values may be revealed. With --passphrase-env the reveal key is
    /// derived from a passphrase (Argon2id) instead of written to a file.
    Init {
        #[command(flatten)]
        vault: VaultArgs,
        /// Where to write the key files (default: $XDG_CONFIG_HOME/cloak or
        /// ~/.config/cloak).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Replace a master key; the vault's records are not rewritten.
    ///
    /// The new key is written to --out (0600); the old one stops working.
    /// Rotating the reveal key needs the reveal key (or passphrase).
    Rotate {
        #[command(flatten)]
        vault: VaultArgs,
        /// Which key to replace: mask or reveal.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// Where to write the new key.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum VaultCommand {
    /// Token counts per label (no values).
    Stats {
        #[command(flatten)]
        vault: VaultArgs,
    },
    /// Delete tokens: by label, by age, or those in a text (the right to be
    /// forgotten). Their tokens can no longer be revealed.
    Purge {
        #[command(flatten)]
        vault: VaultArgs,
        /// Delete every token of this label.
        #[arg(long, value_name = "LABEL")]
        label: Option<String>,
        /// Delete tokens created more than DAYS days ago.
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u64>,
        /// Delete the tokens that appear in FILE (`-` for standard input).
        #[arg(long, value_name = "FILE")]
        tokens_from: Option<PathBuf>,
    },
    /// Check the vault file and every record (with the reveal key, that each
    /// record decrypts); names problem tokens, never values.
    Verify {
        #[command(flatten)]
        vault: VaultArgs,
    },
    /// List the audit log of reveals; --verify checks its hash chain.
    Audit {
        #[command(flatten)]
        vault: VaultArgs,
        /// Check that no record was changed or removed.
        #[arg(long)]
        verify: bool,
    },
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
