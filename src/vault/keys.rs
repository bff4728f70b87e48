//! Key files and where keys come from.
//!
//! A vault has two master keys, one per role. The **mask** key opens the
//! vault's token key (to derive token ids) and lets a host store values,
//! encrypted to the vault's public key; it cannot read them back. The
//! **reveal** key also opens the vault's private key, so it can reveal
//! values. Both master keys only wrap the vault's own keys, so rotating a
//! master key rewraps two small blobs and leaves every record as it is.
//!
//! A key file is one line: `cloak-key 1 <role> <vault id, hex> <key, hex>`,
//! written with permissions 0600. The same line may come from an environment
//! variable (`CLOAK_KEY` by default). A reveal key may instead come from a
//! passphrase (Argon2id with the vault's salt).

use std::fmt;
use std::path::Path;

use super::crypto::{Secret, hex, unhex};
use crate::error::{Error, Result};

/// What a key allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Create tokens and store values; never read values.
    Mask,
    /// Everything a mask key does, and reveal values.
    Reveal,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Mask => "mask",
            Role::Reveal => "reveal",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A master key with its role and the vault it belongs to. Prints as
/// `[redacted]` and zeroes itself on drop.
#[derive(Clone)]
pub struct VaultKey {
    pub(crate) role: Role,
    pub(crate) vault_id: [u8; 16],
    pub(crate) master: Secret,
}

impl fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VaultKey")
            .field("role", &self.role)
            .field("vault", &hex(&self.vault_id))
            .finish_non_exhaustive()
    }
}

impl VaultKey {
    /// The key's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The id of the vault it opens, in hex.
    pub fn vault_id(&self) -> String {
        hex(&self.vault_id)
    }

    /// The key as one line of text (the key file's contents). Handle with care:
    /// it is the secret.
    pub fn to_line(&self) -> String {
        format!("cloak-key 1 {} {} {}\n", self.role, hex(&self.vault_id), hex(self.master.expose()))
    }

    /// Parses a key line; `origin` names its source in errors (never the key).
    pub fn parse(text: &str, origin: &str) -> Result<VaultKey> {
        let bad = |what: &str| Error::config(format!("{origin}: not a cloak key ({what})"));
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.len() != 5 || fields[0] != "cloak-key" {
            return Err(bad("expected `cloak-key 1 ROLE VAULT KEY`"));
        }
        if fields[1] != "1" {
            return Err(bad("unsupported key format version"));
        }
        let role = match fields[2] {
            "mask" => Role::Mask,
            "reveal" => Role::Reveal,
            _ => return Err(bad("the role must be mask or reveal")),
        };
        let vault_id: [u8; 16] = unhex(fields[3])
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("the vault id is not 32 hex digits"))?;
        let master: [u8; 32] = unhex(fields[4])
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| bad("the key is not 64 hex digits"))?;
        Ok(VaultKey { role, vault_id, master: Secret::from_bytes(master) })
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> Result<VaultKey> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        VaultKey::parse(&text, &path.display().to_string())
    }

    /// Reads the key line in environment variable `var`, if set.
    pub fn from_env(var: &str) -> Result<Option<VaultKey>> {
        match std::env::var(var) {
            Ok(text) => VaultKey::parse(&text, &format!("environment variable {var}")).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(Error::config(format!("environment variable {var}: not a cloak key (not UTF-8)")))
            }
        }
    }

    /// Writes the key file with permissions 0600, refusing to overwrite one.
    pub fn write(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
        file.write_all(self.to_line().as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(path, e))
    }
}

/// Where to find the key that opens a vault.
#[derive(Clone, Debug)]
pub enum KeySource {
    /// A key file.
    File(std::path::PathBuf),
    /// A key line in this environment variable.
    Env(String),
    /// A reveal passphrase (the vault must have been created with one).
    Passphrase(PassphraseText),
}

/// A passphrase; prints as `[redacted]`.
#[derive(Clone)]
pub struct PassphraseText(pub(crate) String);

impl PassphraseText {
    /// Wraps a passphrase.
    pub fn new(text: String) -> PassphraseText {
        PassphraseText(text)
    }
}

impl fmt::Debug for PassphraseText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for PassphraseText {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_round_trip_and_errors_never_show_the_key() {
        let key = VaultKey { role: Role::Reveal, vault_id: [7; 16], master: Secret::random() };
        let back = VaultKey::parse(&key.to_line(), "test").unwrap();
        assert_eq!(back.role, Role::Reveal);
        assert_eq!(back.master, key.master);
        assert!(!format!("{key:?}").contains(&hex(key.master.expose())));
        let secret_hex = hex(key.master.expose());
        for bad in [
            format!("cloak-key 2 reveal {} {secret_hex}", hex(&[7; 16])),
            format!("cloak-key 1 admin {} {secret_hex}", hex(&[7; 16])),
            format!("cloak-key 1 mask zz {secret_hex}"),
            format!("cloak-key 1 mask {} {}", hex(&[7; 16]), &secret_hex[..10]),
            "hello".to_string(),
        ] {
            let err = VaultKey::parse(&bad, "k.key").unwrap_err().to_string();
            assert!(err.starts_with("k.key: not a cloak key"), "{err}");
            assert!(!err.contains(&secret_hex[..16]), "error shows the key: {err}");
        }
        assert_eq!(format!("{:?}", PassphraseText::new("hunter2".into())), "[redacted]");
    }
}
