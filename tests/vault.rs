//! The vault: reversible tokens, keys and roles, tampering, streaming, audit.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cloak::transforms::{Masker, Policy, Transform};
use cloak::vault::{Audit, KeySource, PassphraseText, Purge, Revealed, Role, Unmasker, Vault, VaultKey};
use cloak::{Engine, EngineBuilder, Label, PackSet};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| EngineBuilder::new().build(&PackSet::builtin().unwrap()).unwrap())
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    vault: Vault,
    mask: VaultKey,
    reveal: VaultKey,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    let (vault, mask, reveal) = Vault::create(&path, None).unwrap();
    Fixture { _dir: dir, path, vault, mask, reveal: reveal.unwrap() }
}

fn masker(vault: &Vault) -> Masker {
    Masker::new(engine().clone(), Policy::new(Transform::Token)).with_vault(vault.clone())
}

fn unmask(vault: &Vault, text: &[u8]) -> Vec<u8> {
    vault.unmask(text, &Audit::default()).unwrap().text
}

const NOTE: &str = "Patient Jane Roe, MRN 4481923, SSN 536-22-1234, card 4111 1111 1111 1111, \
                    email jane.roe@example.org, seen 07/22/2019 at 12 Elm Street, Springfield, IL 62704.";

#[test]
fn mask_then_unmask_restores_the_text() {
    let f = fixture();
    let masked = masker(&f.vault).mask(NOTE).unwrap();
    for value in ["Jane Roe", "4481923", "536-22-1234", "4111 1111 1111 1111", "jane.roe@example.org"] {
        assert!(!masked.contains(value), "{value} left in {masked}");
    }
    assert_eq!(unmask(&f.vault, masked.as_bytes()), NOTE.as_bytes());
    // The same value gets the same token, in another document and another run.
    let again = masker(&f.vault).mask("card 4111 1111 1111 1111").unwrap();
    let token = again.strip_prefix("card ").unwrap();
    assert!(masked.contains(token), "{token} not in {masked}");
}

#[test]
fn same_key_same_tokens_on_another_machine() {
    // Two vaults sharing one token key cannot be made from the public API;
    // what is shared is the vault itself. Masking twice into the same vault
    // from two handles gives identical text.
    let f = fixture();
    let other = Vault::open_with_key(&f.path, &f.mask).unwrap();
    assert_eq!(masker(&f.vault).mask(NOTE).unwrap(), masker(&other).mask(NOTE).unwrap());
}

#[test]
fn values_written_differently_keep_their_form() {
    let f = fixture();
    let text = "4111 1111 1111 1111 or 4111-1111-1111-1111 or 4111111111111111";
    let masked = masker(&f.vault).mask(text).unwrap();
    let tokens = f.vault.tokens_in(masked.as_bytes());
    assert_eq!(tokens.len(), 3);
    // One identity (the same id), three forms.
    let base = |t: &str| t.split('_').nth(2).unwrap().to_string();
    assert_eq!(base(&tokens[0]), base(&tokens[1]));
    assert_eq!(base(&tokens[1]), base(&tokens[2]));
    assert_eq!(unmask(&f.vault, masked.as_bytes()), text.as_bytes());
}

#[test]
fn the_raw_vault_file_holds_no_value() {
    let f = fixture();
    let values =
        ["Jane Roe", "4481923", "536-22-1234", "4111 1111 1111 1111", "jane.roe@example.org", "62704"];
    masker(&f.vault).mask(NOTE).unwrap();
    let mut raw = std::fs::read(&f.path).unwrap();
    for ext in ["-wal", "-shm"] {
        let mut p = f.path.clone().into_os_string();
        p.push(ext);
        if let Ok(b) = std::fs::read(&p) {
            raw.extend(b);
        }
    }
    for v in values {
        for form in [v.to_string(), v.replace([' ', '-'], "")] {
            assert!(raw.windows(form.len()).all(|w| w != form.as_bytes()), "{form} found in the vault file");
        }
    }
}

#[test]
fn a_mask_only_key_cannot_reveal() {
    let f = fixture();
    let masked = masker(&f.vault).mask(NOTE).unwrap();
    // A host with only the mask key and the whole vault file.
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("stolen.db");
    for ext in ["", "-wal", "-shm"] {
        let mut from = f.path.clone().into_os_string();
        from.push(ext);
        let mut to = copy.clone().into_os_string();
        to.push(ext);
        if Path::new(&from).exists() {
            std::fs::copy(&from, &to).unwrap();
        }
    }
    let mask_only = Vault::open_with_key(&copy, &f.mask).unwrap();
    assert_eq!(mask_only.role(), Role::Mask);
    let keys = mask_only.tokens_in(masked.as_bytes());
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let err = mask_only.reveal(&key_refs).unwrap_err().to_string();
    assert!(err.contains("can only mask"), "{err}");
    assert!(mask_only.unmask(masked.as_bytes(), &Audit::default()).is_err());
    // It can still mask, into the same tokens.
    assert_eq!(masker(&mask_only).mask(NOTE).unwrap(), masked);
    // And the reveal key still reveals what it stored.
    let new = masker(&mask_only).mask("call Ana Kowalski").unwrap();
    assert_eq!(
        unmask(&Vault::open_with_key(&copy, &f.reveal).unwrap(), new.as_bytes()),
        b"call Ana Kowalski"
    );
}

#[test]
fn bad_keys_and_bad_files_give_clear_errors() {
    let f = fixture();
    let g = fixture();
    let err = Vault::open_with_key(&f.path, &g.reveal).unwrap_err().to_string();
    assert!(err.contains("belongs to another vault"), "{err}");
    let mut line = f.reveal.to_line();
    let last = line.trim_end().len() - 1;
    let flipped = if &line[last..=last] == "0" { "1" } else { "0" };
    line.replace_range(last..=last, flipped);
    let wrong = VaultKey::parse(&line, "k").unwrap();
    let err = Vault::open_with_key(&f.path, &wrong).unwrap_err().to_string();
    assert!(err.contains("does not open this vault"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database at all, not even close............................")
        .unwrap();
    let err = Vault::open_with_key(&junk, &f.reveal).unwrap_err().to_string();
    assert!(err.contains("not a cloak vault"), "{err}");
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &std::fs::read(&f.path).unwrap()[..100]).unwrap();
    assert!(Vault::open_with_key(&truncated, &f.reveal).is_err());
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let err = Vault::open_with_key(&empty, &f.reveal).unwrap_err().to_string();
    assert!(err.contains("empty file"), "{err}");
    let missing = Vault::open_with_key(&dir.path().join("nope.db"), &f.reveal).unwrap_err().to_string();
    assert!(missing.contains("no such file"), "{missing}");
    // Nothing was created or changed by the failed opens.
    assert!(!dir.path().join("nope.db").exists());
    assert!(Vault::create(&f.path, None).is_err(), "an existing vault is never overwritten");
}

fn sqlite(path: &Path) -> rusqlite_free::Conn {
    rusqlite_free::Conn(path.to_path_buf())
}

/// Edits the vault file with Python's sqlite3, standing for an attacker or a
/// damaged disk; the test suite does not link SQLite twice.
mod rusqlite_free {
    pub struct Conn(pub std::path::PathBuf);
    impl Conn {
        pub fn exec(&self, sql: &str) {
            let out = std::process::Command::new("python3")
                .arg("-c")
                .arg("import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()")
                .arg(&self.0)
                .arg(sql)
                .output()
                .expect("python3 runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

#[test]
fn a_tampered_record_is_reported_and_the_others_still_revealed() {
    if std::process::Command::new("python3").arg("-V").output().is_err() {
        eprintln!("skipped: python3 is not available to edit the vault file");
        return;
    }
    let f = fixture();
    let masked = masker(&f.vault).mask("Jane Roe and Ana Kowalski").unwrap();
    let keys = f.vault.tokens_in(masked.as_bytes());
    assert_eq!(keys.len(), 2);
    // Flip one byte in the middle of the first record.
    sqlite(&f.path).exec(&format!(
        "UPDATE tokens SET record = CAST(substr(record, 1, 40) AS BLOB) || CAST(CASE WHEN substr(record, 41, 1) = x'00' THEN x'01' ELSE x'00' END AS BLOB) || CAST(substr(record, 42) AS BLOB) WHERE token = '{}';\nUPDATE tokens SET record = CAST(record AS BLOB);",
        keys[0]
    ));
    let reopened = Vault::open_with_key(&f.path, &f.reveal).unwrap();
    let out = reopened.unmask(masked.as_bytes(), &Audit::default()).unwrap();
    assert_eq!(out.damaged, 1);
    let text = String::from_utf8(out.text).unwrap();
    assert!(text.contains("Ana Kowalski") && !text.contains("Jane Roe"), "{text}");
    let report = reopened.verify().unwrap();
    assert_eq!(report.damaged, vec![keys[0].clone()]);
    // A record moved under another token fails too: the token is bound.
    sqlite(&f.path).exec(&format!(
        "UPDATE tokens SET record = (SELECT record FROM tokens WHERE token = '{}') WHERE token = '{}';",
        keys[0], keys[1]
    ));
    let out = reopened.unmask(masked.as_bytes(), &Audit::default()).unwrap();
    assert_eq!(out.damaged, 2);
}

#[test]
fn an_id_collision_gets_a_longer_id_and_never_merges() {
    if std::process::Command::new("python3").arg("-V").output().is_err() {
        eprintln!("skipped: python3 is not available to edit the vault file");
        return;
    }
    let f = fixture();
    let first = f.vault.tokens_for(&[(Label::Person, b"Jane Roe")]).unwrap().remove(0);
    let key = first.trim_matches(|c| c == '[' || c == ']').to_string();
    // Make the id belong to another value: change the row's fingerprint.
    sqlite(&f.path).exec(&format!("UPDATE tokens SET fingerprint = zeroblob(32) WHERE token = '{key}';"));
    let v = Vault::open_with_key(&f.path, &f.reveal).unwrap();
    let second = v.tokens_for(&[(Label::Person, b"Jane Roe")]).unwrap().remove(0);
    assert_ne!(first, second);
    assert!(
        second.starts_with(&first[..first.len() - 1]) && second.len() == first.len() + 4,
        "{first} {second}"
    );
    let second_key = second.trim_matches(|c| c == '[' || c == ']');
    assert_eq!(v.reveal(&[&key, second_key]).unwrap(), vec![Revealed::Value(b"Jane Roe".to_vec()); 2]);
}

#[test]
fn tokens_survive_what_language_models_do_to_them() {
    let f = fixture();
    let masked = masker(&f.vault).mask("Jane Roe").unwrap();
    let bare = masked.trim_matches(|c| c == '[' || c == ']').to_string();
    let cases = [
        (format!("{masked}'s chart."), "Jane Roe's chart."),
        (format!("({})", masked.to_uppercase()), "(Jane Roe)"),
        (format!("{} said", masked.to_lowercase()), "Jane Roe said"),
        (format!("Dear {bare},"), "Dear Jane Roe,"),
        (format!("[{masked}]!"), "Jane Roe!"),
        (bare.clone(), "Jane Roe"),
    ];
    for (reply, want) in cases {
        assert_eq!(String::from_utf8(unmask(&f.vault, reply.as_bytes())).unwrap(), want, "{reply}");
    }
    // Unknown tokens are left alone and counted.
    let out = f.vault.unmask(b"[PERSON_0000000000000000]", &Audit::default()).unwrap();
    assert_eq!((out.unknown, out.text.as_slice()), (1, &b"[PERSON_0000000000000000]"[..]));
}

#[test]
fn masking_masked_text_leaves_its_tokens_alone() {
    let f = fixture();
    let m = masker(&f.vault);
    let once = m.mask(NOTE).unwrap();
    assert_eq!(m.mask(&once).unwrap(), once);
    assert_eq!(f.vault.stats().unwrap().total, m.mask(NOTE).map(|_| f.vault.stats().unwrap().total).unwrap());
}

#[test]
fn streaming_unmask_equals_whole_unmask_one_byte_at_a_time() {
    let f = fixture();
    let masked = masker(&f.vault).mask(&format!("{NOTE}\n{NOTE} Jane Roe's [")).unwrap();
    let whole = unmask(&f.vault, masked.as_bytes());
    let mut u = Unmasker::new(&f.vault, Audit::default());
    let mut out = Vec::new();
    for b in masked.as_bytes() {
        out.extend(u.push(&[*b]).unwrap());
    }
    let (last, totals) = u.finish().unwrap();
    out.extend(last);
    assert_eq!(out, whole);
    assert!(totals.restored.values().sum::<usize>() >= 10);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn streaming_unmask_equals_whole_unmask_in_any_chunks(cuts in prop::collection::vec(1usize..40, 1..60)) {
        static F: OnceLock<(Vault, String)> = OnceLock::new();
        let (vault, masked) = F.get_or_init(|| {
            let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
            let (v, _, _) = Vault::create(&dir.path().join("v.db"), None).unwrap();
            let m = masker(&v).mask(&format!("{NOTE} then [[{NOTE}]] and {NOTE}")).unwrap();
            (v, m)
        });
        let whole = unmask(vault, masked.as_bytes());
        let mut u = Unmasker::new(vault, Audit::default());
        let (mut out, mut at) = (Vec::new(), 0);
        for c in cuts.iter().cycle() {
            if at >= masked.len() { break; }
            let end = (at + c).min(masked.len());
            out.extend(u.push(&masked.as_bytes()[at..end]).unwrap());
            at = end;
        }
        out.extend(u.finish().unwrap().0);
        prop_assert_eq!(out, whole);
    }

    #[test]
    fn unmask_of_mask_is_the_text(text in r"(Jane Roe|SSN 536-22-1234|4111 1111 1111 1111|a@example\.org|07/22/2019|Dr\. Kim Lee|[a-z ]{0,8}|[0-9 -]{0,12}|é|\n){0,12}") {
        static F: OnceLock<Vault> = OnceLock::new();
        let vault = F.get_or_init(|| {
            let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
            Vault::create(&dir.path().join("v.db"), None).unwrap().0
        });
        let masked = masker(vault).mask(&text).unwrap();
        prop_assert_eq!(unmask(vault, masked.as_bytes()), text.as_bytes());
    }
}

#[test]
fn round_trip_on_every_corpus_file() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        eprintln!("skipped: {} is not here", corpus.display());
        return;
    };
    let f = fixture();
    let m = masker(&f.vault);
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect();
    files.sort();
    for file in files {
        let docs: Vec<String> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_string()
            })
            .collect();
        for batch in docs.chunks(512) {
            let pieces: Vec<&[u8]> = batch.iter().map(|d| d.as_bytes()).collect();
            for (doc, masked) in batch.iter().zip(m.mask_batch(&pieces).unwrap()) {
                let back = unmask(&f.vault, &masked.bytes);
                assert!(back == doc.as_bytes(), "{}: round trip changed a document", file.display());
            }
        }
    }
}

#[test]
fn keys_rotate_without_rewriting_records() {
    let f = fixture();
    let masked = masker(&f.vault).mask(NOTE).unwrap();
    let new_reveal = f.vault.rotate(Role::Reveal).unwrap();
    let new_mask = f.vault.rotate(Role::Mask).unwrap();
    assert!(Vault::open_with_key(&f.path, &f.reveal).is_err(), "the old reveal key stops working");
    assert!(Vault::open_with_key(&f.path, &f.mask).is_err(), "the old mask key stops working");
    let v = Vault::open_with_key(&f.path, &new_reveal).unwrap();
    assert_eq!(unmask(&v, masked.as_bytes()), NOTE.as_bytes());
    let m = Vault::open_with_key(&f.path, &new_mask).unwrap();
    assert_eq!(masker(&m).mask(NOTE).unwrap(), masked, "tokens are the same after rotation");
}

#[test]
fn a_passphrase_can_stand_for_the_reveal_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let pass = PassphraseText::new("correct horse battery staple".into());
    let (_, mask, reveal) = Vault::create(&path, Some(&pass)).unwrap();
    assert!(reveal.is_none(), "no reveal key file with a passphrase");
    let masked = masker(&Vault::open_with_key(&path, &mask).unwrap()).mask(NOTE).unwrap();
    let v = Vault::open(&path, &KeySource::Passphrase(pass)).unwrap();
    assert_eq!(unmask(&v, masked.as_bytes()), NOTE.as_bytes());
    let wrong = Vault::open(&path, &KeySource::Passphrase(PassphraseText::new("wrong".into()))).unwrap_err();
    assert!(wrong.to_string().contains("does not open"), "{wrong}");
}

#[test]
fn stats_purge_and_the_right_to_be_forgotten() {
    let f = fixture();
    let masked = masker(&f.vault).mask(NOTE).unwrap();
    let before = f.vault.stats().unwrap();
    assert!(before.total >= 6 && before.per_label.get("PERSON") == Some(&1), "{before:?}");
    let n = f.vault.purge(&Purge::Keys(f.vault.tokens_in(b"nothing here"))).unwrap();
    assert_eq!(n, 0);
    let card = masker(&f.vault).mask("card 4111 1111 1111 1111").unwrap();
    let n = f.vault.purge(&Purge::Keys(f.vault.tokens_in(card.as_bytes()))).unwrap();
    assert_eq!(n, 1);
    assert!(!String::from_utf8(unmask(&f.vault, masked.as_bytes())).unwrap().contains("4111"));
    let n = f.vault.purge(&Purge::Label(Label::Person)).unwrap();
    assert_eq!(n, 1);
    assert_eq!(f.vault.stats().unwrap().per_label.get("PERSON"), None);
    assert_eq!(f.vault.purge(&Purge::OlderThan(i64::MAX)).unwrap() as u64, before.total - 2);
    assert_eq!(f.vault.stats().unwrap().total, 0);
}

#[test]
fn the_audit_log_records_reveals_and_detects_tampering() {
    if std::process::Command::new("python3").arg("-V").output().is_err() {
        eprintln!("skipped: python3 is not available to edit the vault file");
        return;
    }
    let f = fixture();
    let masked = masker(&f.vault).mask(NOTE).unwrap();
    let audit = Audit { actor: "dr.lee".into(), purpose: "treatment".into() };
    f.vault.unmask(masked.as_bytes(), &audit).unwrap();
    f.vault.unmask(masked.as_bytes(), &audit).unwrap();
    f.vault.unmask(b"no tokens here", &audit).unwrap();
    let log = f.vault.audit_log().unwrap();
    assert_eq!(log.len(), 2, "a reveal without tokens is not logged");
    assert_eq!((log[0].actor.as_str(), log[0].purpose.as_str()), ("dr.lee", "treatment"));
    assert!(log[0].counts.contains("PERSON=1"), "{}", log[0].counts);
    for r in &log {
        assert!(!format!("{r:?}").contains("Jane"), "values never enter the log");
    }
    assert!(f.vault.verify_audit().unwrap().is_empty());
    sqlite(&f.path).exec("UPDATE audit SET purpose = 'marketing' WHERE seq = 1;");
    assert!(!f.vault.verify_audit().unwrap().is_empty(), "a changed record is detected");
    sqlite(&f.path).exec("UPDATE audit SET purpose = 'treatment' WHERE seq = 1;");
    assert!(f.vault.verify_audit().unwrap().is_empty());
    sqlite(&f.path).exec("DELETE FROM audit WHERE seq = 2;");
    assert!(!f.vault.verify_audit().unwrap().is_empty(), "a removed last record is detected");
}

#[cfg(unix)]
#[test]
fn vault_and_key_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    assert_eq!(std::fs::metadata(&f.path).unwrap().permissions().mode() & 0o777, 0o600);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("reveal.key");
    f.reveal.write(&key).unwrap();
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(f.reveal.write(&key).is_err(), "a key file is never overwritten");
    assert!(!format!("{:?}", f.reveal).contains(&f.reveal.to_line()[40..]), "Debug shows the key");
}
