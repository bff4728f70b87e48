//! `cloak packs list | show | test`.

use std::fmt::Write as _;

use cloak::packs::Rule;
use cloak::{Engine, Error, PackSet};

use super::Outcome;
use super::args::PacksCommand;

pub(crate) fn run(packs: &PackSet, engine: &Engine, cmd: PacksCommand) -> Result<Outcome, Error> {
    match cmd {
        PacksCommand::List => {
            print!("{}", list(packs));
            Ok(Outcome::Success)
        }
        PacksCommand::Show { id } => {
            if let Some(pack) = packs.pack(&id) {
                let mut s = format!(
                    "pack {} {}\norigin: {}\ndescription: {}\n",
                    pack.name(),
                    pack.version(),
                    pack.origin(),
                    pack.description()
                );
                if !pack.extends().is_empty() {
                    let _ = writeln!(s, "extends: {}", pack.extends().join(", "));
                }
                if !pack.disable().is_empty() {
                    let _ = writeln!(s, "disables: {}", pack.disable().join(", "));
                }
                let _ = writeln!(s, "rules: {}", pack.rule_ids().join(", "));
                print!("{s}");
                Ok(Outcome::Success)
            } else if let Some(rule) = packs.rule(&id) {
                print!("{}", show_rule(rule));
                Ok(Outcome::Success)
            } else {
                Err(Error::config(format!(
                    "no loaded pack or rule is called '{id}' (see `cloak packs list`)"
                )))
            }
        }
        PacksCommand::Test { packs: names } => {
            for name in &names {
                if packs.pack(name).is_none() {
                    return Err(Error::config(format!("no loaded pack is called '{name}'")));
                }
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let report = engine.test_examples(&names);
            for f in &report.failures {
                println!("FAIL {f}");
            }
            println!("{} examples checked, {} failed", report.checked, report.failures.len());
            Ok(if report.failures.is_empty() { Outcome::Success } else { Outcome::Failed })
        }
    }
}

fn list(packs: &PackSet) -> String {
    let mut s = String::new();
    for pack in packs.packs() {
        let _ = writeln!(s, "{} {} ({}): {}", pack.name(), pack.version(), pack.origin(), pack.description());
        for id in pack.rule_ids() {
            match packs.rule(id) {
                Some(rule) => {
                    let _ = writeln!(
                        s,
                        "  {:<28} {:<16} {}",
                        rule.id(),
                        rule.label_name(),
                        first_line(rule.description())
                    );
                }
                None => {
                    let _ = writeln!(s, "  {id:<28} (disabled)");
                }
            }
        }
    }
    s
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn show_rule(rule: &Rule) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "rule {}", rule.id());
    let _ = writeln!(s, "pack: {} ({} line {})", rule.pack(), rule.origin(), rule.line());
    let _ = writeln!(s, "label: {} ({})", rule.label_name(), rule.label());
    let _ = writeln!(s, "description: {}", rule.description());
    if let Some(p) = rule.pattern() {
        let _ = writeln!(s, "pattern: {p}");
    }
    if !rule.keywords().is_empty() {
        let w = rule.keyword_window();
        let _ = writeln!(
            s,
            "keywords: {} (window: {} before, {} after)",
            rule.keywords().join(", "),
            w.before,
            w.after
        );
    }
    if let Some(d) = rule.dictionary() {
        let _ = writeln!(
            s,
            "dictionary: {} entries, case {:?}, whole words {}",
            d.entries().len(),
            d.case(),
            d.whole_word()
        );
    }
    let validators: Vec<&str> = rule.validators().map(|v| v.name()).collect();
    if !validators.is_empty() {
        let _ = writeln!(s, "validators: {}", validators.join(", "));
    }
    let c = rule.context();
    if !c.is_empty() {
        let w = c.window();
        let _ = writeln!(s, "context (window: {} before, {} after):", w.before, w.after);
        for (name, words) in
            [("boost", c.boost()), ("require", c.require()), ("lower", c.lower()), ("veto", c.veto())]
        {
            if !words.is_empty() {
                let _ = writeln!(s, "  {name}: {}", words.join(", "));
            }
        }
    }
    if !rule.allow_values().is_empty() || !rule.allow_patterns().is_empty() {
        let _ = writeln!(
            s,
            "allow: {} values, {} patterns",
            rule.allow_values().len(),
            rule.allow_patterns().len()
        );
    }
    let _ = writeln!(s, "priority: {}, confidence: {}", rule.priority(), rule.confidence());
    let _ = writeln!(
        s,
        "examples: {} match, {} no_match",
        rule.match_examples().len(),
        rule.no_match_examples().len()
    );
    s
}
