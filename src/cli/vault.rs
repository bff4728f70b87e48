//! `cloak unmask`, `cloak keys ...`, `cloak vault ...`, and the vault behind
//! `cloak mask`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use cloak::transforms::{Masker, Policy, Transform};
use cloak::vault::{Audit, KeySource, PassphraseText, Purge, Role, Unmasker, Vault, VaultKey};
use cloak::{Engine, Error, Label};

use super::Outcome;
use super::args::{KeysCommand, MaskArgs, UnmaskArgs, VaultArgs, VaultCommand};

/// Environment variable holding a key line.
const KEY_ENV: &str = "CLOAK_KEY";

/// Where key files go by default: `$XDG_CONFIG_HOME/cloak` or `~/.config/cloak`.
fn default_key_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("XDG_CONFIG_HOME")
        .unwrap_or_else(|| var("HOME").unwrap_or_else(|| PathBuf::from(".")).join(".config"))
        .join("cloak")
}

fn vault_path(args: &VaultArgs) -> PathBuf {
    args.vault.clone().unwrap_or_else(Vault::default_path)
}

fn passphrase(var: &str) -> Result<PassphraseText, Error> {
    std::env::var(var)
        .map(PassphraseText::new)
        .map_err(|_| Error::config(format!("environment variable {var} holds no passphrase")))
}

/// The key to open the vault with: --key, --passphrase-env, $CLOAK_KEY, then
/// the default key file of the preferred role (falling back to the other).
fn key_source(args: &VaultArgs, prefer: Role) -> Result<KeySource, Error> {
    if let Some(f) = &args.key {
        return Ok(KeySource::File(f.clone()));
    }
    if let Some(var) = &args.passphrase_env {
        return Ok(KeySource::Passphrase(passphrase(var)?));
    }
    if std::env::var_os(KEY_ENV).is_some() {
        return Ok(KeySource::Env(KEY_ENV.into()));
    }
    let dir = default_key_dir();
    let (first, second) = match prefer {
        Role::Mask => ("mask.key", "reveal.key"),
        Role::Reveal => ("reveal.key", "mask.key"),
    };
    for name in [first, second] {
        let p = dir.join(name);
        if p.exists() {
            return Ok(KeySource::File(p));
        }
    }
    Err(Error::config(format!(
        "no key: give --key FILE, set {KEY_ENV}, or create keys with `cloak keys init` (they go to {})",
        dir.display()
    )))
}

fn open(args: &VaultArgs, prefer: Role) -> Result<Vault, Error> {
    let path = vault_path(args);
    Vault::open(&path, &key_source(args, prefer)?)
}

/// Creates a vault and writes its keys into `dir`; returns the vault and the
/// paths written.
fn init(args: &VaultArgs, dir: &Path) -> Result<(Vault, Vec<PathBuf>), Error> {
    let path = vault_path(args);
    let pass = args.passphrase_env.as_deref().map(passphrase).transpose()?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mask_path = dir.join("mask.key");
    let reveal_path = dir.join("reveal.key");
    for p in [&mask_path, &reveal_path] {
        if p.exists() {
            return Err(Error::config("a key file is already there; keys are never overwritten").in_file(p));
        }
    }
    let (vault, mask, reveal) = Vault::create(&path, pass.as_ref())?;
    mask.write(&mask_path)?;
    let mut written = vec![mask_path];
    if let Some(reveal) = reveal {
        reveal.write(&reveal_path)?;
        written.push(reveal_path);
    }
    Ok((vault, written))
}

/// Builds the masker for `cloak mask`: the policy from --transform (token by
/// default) and, when a token transform is in play, the vault (created with
/// its keys on first use at the default places).
pub(crate) fn masker_for(engine: Engine, args: &MaskArgs) -> Result<Masker, Error> {
    let mut policy = match &args.policy {
        Some(p) => Policy::load(p)?,
        None => Policy::new(Transform::Token),
    };
    for flag in &args.transforms {
        let Some((target, name)) = flag.split_once('=') else {
            return Err(Error::config(format!(
                "--transform '{flag}': expected LABEL=TRANSFORM, e.g. EMAIL=redact"
            )));
        };
        let t: Transform = name.trim().parse()?;
        let target = target.trim();
        if target == "*" {
            policy.set_default(t);
        } else if let Ok(label) = target.parse::<Label>() {
            policy.set_label(label, t);
        } else if engine.rule_index(target).is_some() {
            policy.set_rule(target, t);
        } else {
            return Err(Error::config(format!(
                "--transform '{flag}': '{target}' is neither a canonical label, a loaded rule id, nor *"
            )));
        }
    }
    let shifts = policy.transforms().iter().any(|t| matches!(t, Transform::Shift { .. }));
    if shifts && args.subject.is_none() && args.subject_field.is_none() {
        eprintln!(
            "cloak: note: dates under `shift` need --subject ID or --subject-field PATH; without one they become [DATE]"
        );
    }
    let needs_vault = policy.needs_vault();
    let mut masker = Masker::new(engine, policy);
    if let Some(subject) = &args.subject {
        masker = masker.with_subject(subject.clone());
    }
    if !needs_vault {
        return Ok(masker);
    }
    let path = vault_path(&args.vault);
    let explicit_key = args.vault.key.is_some()
        || args.vault.passphrase_env.is_some()
        || std::env::var_os(KEY_ENV).is_some();
    let vault = if !path.exists() && !explicit_key {
        let dir = default_key_dir();
        let (vault, written) = init(&args.vault, &dir)?;
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "cloak: created the vault {} and its keys {} (reveal.key can reveal values: keep it safe)",
            path.display(),
            names.join(", ")
        );
        vault
    } else {
        open(&args.vault, Role::Mask)?
    };
    Ok(masker.with_vault(vault))
}

fn audit(args: &UnmaskArgs) -> Audit {
    let mut a = Audit::default();
    if let Some(actor) = &args.actor {
        a.actor = actor.clone();
    }
    a.purpose = args.purpose.clone();
    a
}

fn report(
    restored: usize,
    per_label: &std::collections::BTreeMap<Label, usize>,
    unknown: usize,
    damaged: usize,
) {
    let labels: Vec<String> = per_label.iter().map(|(l, n)| format!("{l}={n}")).collect();
    eprintln!(
        "cloak: restored {restored} token(s){}; {unknown} unknown, {damaged} damaged left as they were",
        if labels.is_empty() { String::new() } else { format!(" ({})", labels.join(", ")) }
    );
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io(Path::new("<stdout>"), e)
}

pub(crate) fn unmask(args: &UnmaskArgs, engine: Option<Engine>) -> Result<Outcome, Error> {
    let vault = open(&args.vault, Role::Reveal)?;
    if vault.role() != Role::Reveal {
        return Err(Error::config("this key can only mask: unmasking needs the vault's reveal key"));
    }
    if let (Some(engine), Some(policy)) = (engine, &args.policy) {
        return unmask_with_policy(args, engine, Policy::load(policy)?, vault);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let files: Vec<PathBuf> =
        if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files.clone() };
    let mut outcome = Outcome::Success;
    let (mut total, mut per_label, mut unknown, mut damaged) = (0, std::collections::BTreeMap::new(), 0, 0);
    for file in files {
        let mut unmasker = Unmasker::new(&vault, audit(args));
        let result: Result<(), Error> = (|| {
            if file == Path::new("-") {
                let mut stdin = std::io::stdin().lock();
                let mut buf = vec![0u8; 8192];
                loop {
                    let n = stdin.read(&mut buf).map_err(|e| Error::io(Path::new("<stdin>"), e))?;
                    if n == 0 {
                        break;
                    }
                    let ready = unmasker.push(&buf[..n])?;
                    out.write_all(&ready).and_then(|()| out.flush()).map_err(stdout_error)?;
                }
            } else {
                let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
                let ready = unmasker.push(&bytes)?;
                out.write_all(&ready).map_err(stdout_error)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            eprintln!("cloak: error: {e}");
            outcome = Outcome::InputFailed;
            continue;
        }
        let (last, totals) = unmasker.finish()?;
        out.write_all(&last).and_then(|()| out.flush()).map_err(stdout_error)?;
        for (l, n) in totals.restored {
            total += n;
            *per_label.entry(l).or_insert(0) += n;
        }
        unknown += totals.unknown;
        damaged += totals.damaged;
    }
    report(total, &per_label, unknown, damaged);
    Ok(outcome)
}

/// Unmasking with a policy: whole inputs (surrogates are found by scanning).
fn unmask_with_policy(
    args: &UnmaskArgs,
    engine: Engine,
    policy: Policy,
    vault: Vault,
) -> Result<Outcome, Error> {
    let masker = Masker::new(engine, policy).with_vault(vault);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let files: Vec<PathBuf> =
        if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files.clone() };
    let mut outcome = Outcome::Success;
    let (mut total, mut per_label, mut unknown, mut damaged) = (0, std::collections::BTreeMap::new(), 0, 0);
    for file in files {
        let bytes = if file == Path::new("-") {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b).map_err(|e| Error::io(Path::new("<stdin>"), e))
        } else {
            std::fs::read(&file).map_err(|e| Error::io(&file, e))
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                eprintln!("cloak: error: {e}");
                outcome = Outcome::InputFailed;
                continue;
            }
        };
        let u = masker.unmask(&bytes, &audit(args))?;
        out.write_all(&u.text).and_then(|()| out.flush()).map_err(stdout_error)?;
        for (l, n) in u.restored {
            total += n;
            *per_label.entry(l).or_insert(0) += n;
        }
        unknown += u.unknown;
        damaged += u.damaged;
    }
    report(total, &per_label, unknown, damaged);
    Ok(outcome)
}

pub(crate) fn keys(cmd: KeysCommand) -> Result<Outcome, Error> {
    match cmd {
        KeysCommand::Init { vault, dir } => {
            let dir = dir.unwrap_or_else(default_key_dir);
            let (v, written) = init(&vault, &dir)?;
            println!("vault: {}", v.path().display());
            for p in written {
                println!("key: {}", p.display());
            }
            if vault.passphrase_env.is_some() {
                println!("reveal: with the passphrase (no reveal key file)");
            }
            Ok(Outcome::Success)
        }
        KeysCommand::Rotate { vault, role, out } => {
            let role = match role.as_str() {
                "mask" => Role::Mask,
                "reveal" => Role::Reveal,
                other => return Err(Error::config(format!("--role '{other}': expected mask or reveal"))),
            };
            let v = open(&vault, Role::Reveal)?;
            if role == Role::Reveal && v.role() != Role::Reveal {
                return Err(Error::config("rotating the reveal key needs the reveal key"));
            }
            if out.exists() {
                return Err(
                    Error::config("a file is already there; keys are never overwritten").in_file(&out)
                );
            }
            // Write the new key first: if that fails, the old key still works.
            let new: VaultKey = v.rotate(role)?;
            new.write(&out)?;
            println!("new {role} key: {}", out.display());
            Ok(Outcome::Success)
        }
    }
}

pub(crate) fn vault(cmd: VaultCommand) -> Result<Outcome, Error> {
    match cmd {
        VaultCommand::Stats { vault } => {
            let s = open(&vault, Role::Mask)?.stats()?;
            for (label, n) in &s.per_label {
                println!("{label:<16} {n}");
            }
            println!("{:<16} {}", "total", s.total);
            Ok(Outcome::Success)
        }
        VaultCommand::Purge { vault, label, older_than, tokens_from } => {
            let v = open(&vault, Role::Mask)?;
            let what = match (label, older_than, tokens_from) {
                (Some(l), None, None) => Purge::Label(
                    l.parse::<Label>()
                        .map_err(|_| Error::config(format!("--label '{l}' is not a canonical label")))?,
                ),
                (None, Some(days), None) => {
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64);
                    Purge::OlderThan(now - (days as i64) * 86_400)
                }
                (None, None, Some(file)) => {
                    let mut text = Vec::new();
                    if file == Path::new("-") {
                        std::io::stdin()
                            .read_to_end(&mut text)
                            .map_err(|e| Error::io(Path::new("<stdin>"), e))?;
                    } else {
                        text = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
                    }
                    Purge::Keys(v.tokens_in(&text))
                }
                _ => return Err(Error::config("give exactly one of --label, --older-than, --tokens-from")),
            };
            let n = v.purge(&what)?;
            println!("purged {n} token(s)");
            Ok(Outcome::Success)
        }
        VaultCommand::Verify { vault } => {
            let r = open(&vault, Role::Reveal)?.verify()?;
            println!(
                "{} record(s) checked{}",
                r.records,
                if r.decrypted {
                    ", each decrypted"
                } else {
                    " (structure only: a reveal key also decrypts each)"
                }
            );
            for t in &r.malformed {
                println!("malformed: {t}");
            }
            for t in &r.damaged {
                println!("damaged: {t}");
            }
            Ok(if r.malformed.is_empty() && r.damaged.is_empty() {
                Outcome::Success
            } else {
                Outcome::Failed
            })
        }
        VaultCommand::Audit { vault, verify } => {
            let v = open(&vault, Role::Reveal)?;
            for r in v.audit_log()? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    r.seq,
                    r.time,
                    r.actor,
                    if r.purpose.is_empty() { "-" } else { &r.purpose },
                    if r.counts.is_empty() { "-" } else { &r.counts },
                    r.input_hash
                );
            }
            if verify {
                let problems = v.verify_audit()?;
                if problems.is_empty() {
                    println!("audit log intact");
                } else {
                    for p in &problems {
                        println!("audit log: {p}");
                    }
                    return Ok(Outcome::Failed);
                }
            }
            Ok(Outcome::Success)
        }
    }
}
