//! The vault through the real binary: several processes at once, runs killed
//! part way, keys and maintenance commands.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let s = Setup { dir: tempfile::tempdir().unwrap() };
        let o = s
            .cloak()
            .args(["keys", "init", "--vault"])
            .arg(s.vault())
            .arg("--dir")
            .arg(s.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        s
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn vault(&self) -> PathBuf {
        self.path().join("vault.db")
    }
    fn key(&self, role: &str) -> PathBuf {
        self.path().join(format!("{role}.key"))
    }
    fn cloak(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cloak"));
        c.env("HOME", self.path()).env_remove("XDG_CONFIG_HOME").env_remove("XDG_DATA_HOME");
        c.env_remove("CLOAK_VAULT").env_remove("CLOAK_KEY");
        c
    }
    fn with_vault(&self, args: &[&str], role: &str) -> Command {
        let mut c = self.cloak();
        c.args(args).arg("--vault").arg(self.vault()).arg("--key").arg(self.key(role));
        c
    }
}

fn record(i: usize) -> String {
    format!(
        "Patient Jane Roe{} seen 07/22/2019, MRN {}, card 4111 1111 1111 1111, mail user{}@example.org\n",
        ["", " Jr"][i % 2],
        1_000_000 + i % 50,
        i % 70
    )
}

#[test]
fn four_processes_masking_into_one_vault_lose_nothing_and_duplicate_nothing() {
    let s = Setup::new();
    let inputs: Vec<PathBuf> = (0..4)
        .map(|p| {
            let path = s.path().join(format!("in{p}.txt"));
            std::fs::write(&path, (0..200).map(|i| record(i * 4 + p)).collect::<String>()).unwrap();
            path
        })
        .collect();
    let children: Vec<_> = inputs
        .iter()
        .map(|input| {
            s.with_vault(&["mask"], "mask")
                .arg(input)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Vec<u8>> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            o.stdout
        })
        .collect();
    let mut tokens = std::collections::BTreeSet::new();
    let re = regex_lite_tokens;
    for (input, out) in inputs.iter().zip(&outputs) {
        tokens.extend(re(out));
        let o =
            s.with_vault(&["unmask"], "reveal").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let o = feed(o, out);
        assert_eq!(o, std::fs::read(input).unwrap(), "a process's output does not restore");
    }
    let stats = s.with_vault(&["vault", "stats"], "mask").output().unwrap();
    let total: usize = String::from_utf8_lossy(&stats.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("total").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert_eq!(total, tokens.len(), "one token per value, none duplicated");
}

fn feed(child: std::process::Child, input: &[u8]) -> Vec<u8> {
    let o = common::feed_all(child, input.to_vec());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// The tokens (`[LABEL_id...]`) in a masked output. A token cut off at the end
/// (`[PERSON_ab`, what a run killed mid-write leaves) is no token: nothing in it
/// can be revealed.
fn regex_lite_tokens(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(text);
    text.split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(token, _)| token))
        .filter(|t| t.contains('_') && t.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_run_killed_at_any_point_leaves_no_token_the_vault_cannot_reveal() {
    let s = Setup::new();
    let input = s.path().join("big.txt");
    std::fs::write(&input, (0..6000).map(record).collect::<String>()).unwrap();
    for (i, delay_ms) in [30u64, 120, 300, 700].into_iter().enumerate() {
        let out_path = s.path().join(format!("out{i}.txt"));
        let out = std::fs::File::create(&out_path).unwrap();
        let mut child =
            s.with_vault(&["mask"], "mask").arg(&input).stdout(out).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let partial = std::fs::read(&out_path).unwrap();
        let mut o = s.with_vault(&["unmask"], "reveal");
        let child = o.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let restored = common::feed_all(child, partial);
        let report = String::from_utf8_lossy(&restored.stderr);
        assert!(report.contains(" 0 unknown, 0 damaged"), "after a kill at {delay_ms} ms: {report}");
        assert!(regex_lite_tokens(&restored.stdout).is_empty());
    }
}

#[test]
fn a_mask_key_cannot_unmask_and_keys_rotate() {
    let s = Setup::new();
    let masked = feed(
        s.with_vault(&["mask"], "mask")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
        b"call Jane Roe at 212-555-0199",
    );
    let o = s.with_vault(&["unmask"], "mask").stdin(Stdio::piped()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("reveal key"));
    let new_key = s.path().join("new-reveal.key");
    let o = s
        .with_vault(&["keys", "rotate", "--role", "reveal"], "reveal")
        .arg("--out")
        .arg(&new_key)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let old = s.with_vault(&["unmask"], "reveal").stdin(Stdio::null()).output().unwrap();
    assert_eq!(old.status.code(), Some(2), "the old reveal key no longer opens the vault");
    let mut c = s.cloak();
    c.args(["unmask", "--vault"]).arg(s.vault()).arg("--key").arg(&new_key);
    let restored =
        feed(c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap(), &masked);
    assert_eq!(restored, b"call Jane Roe at 212-555-0199");
    let v = s.with_vault(&["vault", "verify"], "mask").output().unwrap();
    assert!(String::from_utf8_lossy(&v.stdout).contains("structure only"));
    let audit = {
        let mut c = s.cloak();
        c.args(["vault", "audit", "--verify", "--vault"]).arg(s.vault()).arg("--key").arg(&new_key);
        c.output().unwrap()
    };
    assert!(
        String::from_utf8_lossy(&audit.stdout).contains("audit log intact"),
        "{}",
        String::from_utf8_lossy(&audit.stdout)
    );
}
