//! The subcommands: each turns flags into library settings and calls the library.

pub(crate) mod args;
mod eval;
mod packs;
mod scan;
mod vault;

use std::process::ExitCode;

use cloak::{Engine, EngineBuilder, Error, ErrorKind, PackSet};

use self::args::{Cli, Command, RuleArgs};

/// How a run ended, as an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Everything done.
    Success,
    /// The run worked and found what the user asked to be told about
    /// (a failing pack example).
    Failed,
    /// Bad flags or configuration.
    Usage,
    /// Some inputs could not be processed.
    InputFailed,
    /// Stopped by Ctrl-C.
    Interrupted,
}

impl Outcome {
    pub(crate) fn from_error(err: &Error) -> Outcome {
        match err.kind() {
            ErrorKind::Io => Outcome::InputFailed,
            _ => Outcome::Usage,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::Usage => 2,
            Outcome::InputFailed => 3,
            Outcome::Interrupted => 130,
        })
    }
}

pub(crate) fn run(cli: Cli) -> Result<Outcome, Error> {
    // Vault commands need no rules.
    let cli = match cli.command {
        Command::Unmask(a) if a.policy.is_none() => return vault::unmask(&a, None),
        Command::Keys(c) => return vault::keys(c),
        Command::Vault(c) => return vault::vault(c),
        _ => cli,
    };
    let mut packs = load_packs(&cli.rules)?;
    let engine = engine(&cli.rules, &packs)?;
    // The engine has what it needs of the patterns; what is freed here is
    // reused by the scan instead of adding to the run's peak memory.
    packs.release_parsed();
    let outcome = match cli.command {
        Command::Scan(a) => scan::scan(&engine, &a),
        Command::Mask(a) => scan::mask(engine, &a),
        Command::Packs(c) => packs::run(&packs, &engine, c),
        Command::Eval(a) => eval::run(&engine, &a),
        Command::Unmask(a) => vault::unmask(&a, Some(engine)),
        Command::Keys(_) | Command::Vault(_) => unreachable!("handled above"),
    };
    // The process ends with the command: freeing the packs' word lists one
    // by one would only delay the exit.
    std::mem::forget(packs);
    outcome
}

fn load_packs(args: &RuleArgs) -> Result<PackSet, Error> {
    let mut packs = PackSet::new();
    if !args.no_builtin {
        packs.add_all_builtin()?;
    }
    for path in &args.pack_files {
        packs.add_file(path)?;
    }
    if packs.rules().next().is_none() {
        return Err(Error::config("no rules loaded: give --pack FILE or drop --no-builtin"));
    }
    Ok(packs)
}

fn engine(args: &RuleArgs, packs: &PackSet) -> Result<Engine, Error> {
    let engine = EngineBuilder::new().min_confidence(args.min_confidence).build(packs)?;
    // Likewise the engine's dictionaries and automata (about 0.1 s to free):
    // one reference is never dropped, so the engine outlives the command.
    std::mem::forget(engine.clone());
    Ok(engine)
}
