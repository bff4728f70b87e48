//! The vault: reversible tokens and their values, encrypted at rest.
//!
//! One SQLite file (WAL mode, safe for several processes at once) holds, per
//! token, its label, a keyed fingerprint of its value (HMAC-SHA-256 with the
//! vault's token key: never a hash an attacker could compute) and the value
//! encrypted to the vault's public key (X25519 + HKDF + AES-256-GCM, a fresh
//! key and nonce per record, the vault id and the token bound as associated
//! data). See `keys.rs` for the two roles and how master keys wrap the
//! vault's own keys.
//!
//! Token ids come from a keyed HMAC of (label, normalized value): the same
//! value gets the same token in every document, on every machine holding the
//! same key, with no coordination. A value written differently from its
//! normalized form (a card with spaces) gets the same id plus a 4-character
//! form id, so it is restored exactly as it was written. A collision of ids
//! is detected (another fingerprint holds the id) and resolved with a longer
//! id; values are never merged.

mod crypto;
mod keys;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use x25519_dalek::{PublicKey, StaticSecret};

pub use self::crypto::Secret;
use self::crypto::{Opener, Sealer, hex, open, open_with, seal, seal_to, sha256};
pub(crate) use self::crypto::{base32, keyed_hash};
pub use self::keys::{KeySource, PassphraseText, Role, VaultKey};
use crate::error::{Error, Result};
use crate::label::Label;
use crate::tokens::{TokenFinder, TokenSyntax};

/// The schema version this code writes and reads.
const FORMAT: &str = "1";
/// Characters of a token id: 80 bits, so that among 10 million values of one
/// label the chance of any two sharing an id is about 4 in 10^11.
pub const ID_CHARS: usize = 16;
/// Characters of a form id.
const FORM_CHARS: usize = 4;

/// A vault opened with a key.
#[derive(Clone, Debug)]
pub struct Vault {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    conn: Mutex<Connection>,
    id: [u8; 16],
    role: Role,
    token_key: Secret,
    public: PublicKey,
    private: Option<StaticSecret>,
    /// Seals the new tokens' records of this handle (drawn on first use).
    sealer: Mutex<Option<Sealer>>,
    syntax: TokenSyntax,
    finder: TokenFinder,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("path", &self.path).field("role", &self.role).finish_non_exhaustive()
    }
}

/// What revealing one token gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revealed {
    /// The value.
    Value(Vec<u8>),
    /// No such token in this vault.
    Unknown,
    /// The record is there but does not decrypt: damaged or tampered with.
    Damaged,
}

/// The outcome of unmasking a text.
#[derive(Clone, Debug, Default)]
pub struct Unmasked {
    /// The text with every known token replaced by its value.
    pub text: Vec<u8>,
    /// Tokens restored, per label.
    pub restored: BTreeMap<Label, usize>,
    /// Tokens left as they were because the vault does not know them.
    pub unknown: usize,
    /// Tokens left as they were because their record is damaged.
    pub damaged: usize,
}

/// Who reveals, and why: recorded in the audit log.
#[derive(Clone, Debug)]
pub struct Audit {
    /// The person or service revealing (default: the OS user).
    pub actor: String,
    /// Why.
    pub purpose: String,
}

impl Default for Audit {
    fn default() -> Audit {
        let actor =
            std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
        Audit { actor, purpose: String::new() }
    }
}

/// One record of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the log, from 1.
    pub seq: i64,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// Who revealed.
    pub actor: String,
    /// Why.
    pub purpose: String,
    /// Tokens revealed per label, as `LABEL=n` pairs.
    pub counts: String,
    /// SHA-256 (hex) of the masked input that was unmasked.
    pub input_hash: String,
}

/// Per-label counts and totals, without any value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Tokens per label.
    pub per_label: BTreeMap<String, u64>,
    /// All tokens.
    pub total: u64,
}

/// What `verify` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Records checked.
    pub records: u64,
    /// Records whose structure is wrong (bad token, fingerprint or record size).
    pub malformed: Vec<String>,
    /// Records that do not decrypt (reveal key only).
    pub damaged: Vec<String>,
    /// Whether values were decrypted (only with a reveal key).
    pub decrypted: bool,
}

/// Which tokens to purge.
#[derive(Clone, Debug)]
pub enum Purge {
    /// Every token of this label.
    Label(Label),
    /// Tokens created before this Unix time.
    OlderThan(i64),
    /// These token keys (`LABEL_id`), e.g. found in a text.
    Keys(Vec<String>),
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    let msg = match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            rusqlite::ErrorCode::NotADatabase => "not a cloak vault (not a database, or damaged)".to_string(),
            rusqlite::ErrorCode::DatabaseCorrupt => "the vault file is damaged".to_string(),
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                "the vault is locked by another process; try again".to_string()
            }
            rusqlite::ErrorCode::CannotOpen => "cannot open the vault file".to_string(),
            rusqlite::ErrorCode::ReadOnly => "the vault file is read-only".to_string(),
            _ => format!("vault error: {e}"),
        },
        _ => format!("vault error: {e}"),
    };
    Error::config(msg).in_file(path)
}

/// Normalizes a value for its token id: separators dropped from numbers and
/// codes, case folded where it carries no meaning, whitespace collapsed.
pub fn normalize(label: Label, value: &[u8]) -> Vec<u8> {
    use Label::*;
    match label {
        CreditCard | Ssn | Phone | Iban | AccountNumber | RoutingNumber | TaxId | Mrn | HealthPlanId | Id
        | LicenseNumber | DeviceId | VehicleId | SwiftBic | SecurityId | MacAddress | CardSecurity => value
            .iter()
            .filter(|b| !matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'/' | b'\t' | b':'))
            .map(u8::to_ascii_uppercase)
            .collect(),
        Email => value.to_ascii_lowercase(),
        _ => {
            let text = String::from_utf8_lossy(value);
            text.split_whitespace().collect::<Vec<_>>().join(" ").into_bytes()
        }
    }
}

fn set_private_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn configure(conn: &Connection, path: &Path) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(|e| db_error(path, e))?;
    // WAL and shared-memory files hold encrypted records too; keep them private.
    for ext in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        set_private_permissions(Path::new(&p));
    }
    Ok(())
}

fn meta(conn: &Connection, path: &Path, name: &str) -> Result<Vec<u8>> {
    conn.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| r.get::<_, Vec<u8>>(0))
        .optional()
        .map_err(|e| db_error(path, e))?
        .ok_or_else(|| Error::config(format!("not a cloak vault (no {name})")).in_file(path))
}

/// The record decoder as `reveal` runs it, with a fixed key: for the
/// `vault_record` fuzz target and its regression test. `record` is opened as a
/// record sealed to the fixed key's public half (X25519, then AES-GCM) and as
/// one sealed with the fixed data key; it must never panic, and only a
/// record made by [`fuzz_seal_record`] opens.
#[doc(hidden)]
pub fn fuzz_open_record(record: &[u8]) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let id = [7u8; 16];
    let private = StaticSecret::from([9u8; 32]);
    let sealed_to = open_with(&private, record, &aad(&id, "[EMAIL_fuzz]"));
    let sealed = open(&[11u8; 32], record, &aad(&id, "surrogate"));
    (sealed_to, sealed)
}

/// A valid record for [`fuzz_open_record`]: `value` sealed to the fixed key.
#[doc(hidden)]
pub fn fuzz_seal_record(value: &[u8]) -> Vec<u8> {
    let public = PublicKey::from(&StaticSecret::from([9u8; 32]));
    seal_to(&public, value, &aad(&[7u8; 16], "[EMAIL_fuzz]"))
}

fn aad(id: &[u8; 16], what: &str) -> Vec<u8> {
    let mut a = id.to_vec();
    a.extend_from_slice(what.as_bytes());
    a
}

impl Vault {
    /// The vault used when none is named: `$CLOAK_VAULT`, else
    /// `$XDG_DATA_HOME/cloak/vault.db`, else `~/.local/share/cloak/vault.db`.
    pub fn default_path() -> PathBuf {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        if let Some(p) = var("CLOAK_VAULT") {
            return p;
        }
        let base = var("XDG_DATA_HOME")
            .unwrap_or_else(|| var("HOME").unwrap_or_else(|| PathBuf::from(".")).join(".local/share"));
        base.join("cloak").join("vault.db")
    }

    /// Creates a new vault at `path` (which must not exist) with fresh keys.
    /// Returns the vault opened with the reveal role, the mask key and the
    /// reveal key. With a passphrase, the reveal key is derived from it
    /// (Argon2id) and not returned: it cannot be stolen from a file.
    pub fn create(
        path: &Path,
        passphrase: Option<&PassphraseText>,
    ) -> Result<(Vault, VaultKey, Option<VaultKey>)> {
        if path.exists() {
            return Err(
                Error::config("a file already exists there; a vault is never overwritten").in_file(path)
            );
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            options.open(path).map_err(|e| Error::io(path, e))?;
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| db_error(path, e))?;
        configure(&conn, path)?;
        let mut id = [0u8; 16];
        crypto::fill_random(&mut id);
        let token_key = Secret::random();
        let private = StaticSecret::from(*Secret::random().expose());
        let public = PublicKey::from(&private);
        let mask = VaultKey { role: Role::Mask, vault_id: id, master: Secret::random() };
        let mut salt = [0u8; 16];
        crypto::fill_random(&mut salt);
        let (reveal_master, reveal_key) = match passphrase {
            Some(p) => (
                crypto::passphrase_key(&p.0, &salt)
                    .ok_or_else(|| Error::config("cannot derive a key from this passphrase"))?,
                None,
            ),
            None => {
                let k = Secret::random();
                (k.clone(), Some(VaultKey { role: Role::Reveal, vault_id: id, master: k }))
            }
        };
        let private_bytes = Secret::from_bytes(private.to_bytes());
        conn.execute_batch(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
             CREATE TABLE tokens (token TEXT PRIMARY KEY, fingerprint BLOB NOT NULL UNIQUE,
                                  label TEXT NOT NULL, created INTEGER NOT NULL, record BLOB NOT NULL);
             CREATE INDEX tokens_label ON tokens(label);
             CREATE TABLE surrogates (fingerprint BLOB PRIMARY KEY, token TEXT NOT NULL);
             CREATE TABLE audit (seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL,
                                 purpose TEXT NOT NULL, counts TEXT NOT NULL, input_hash TEXT NOT NULL,
                                 mac TEXT NOT NULL);",
        )
        .map_err(|e| db_error(path, e))?;
        let rows: Vec<(&str, Vec<u8>)> = vec![
            ("format", FORMAT.as_bytes().to_vec()),
            ("vault_id", id.to_vec()),
            ("public_key", public.to_bytes().to_vec()),
            ("salt", salt.to_vec()),
            ("passphrase", vec![u8::from(passphrase.is_some())]),
            ("token_key.mask", seal(mask.master.expose(), token_key.expose(), &aad(&id, "token_key"))),
            ("token_key.reveal", seal(reveal_master.expose(), token_key.expose(), &aad(&id, "token_key"))),
            (
                "private_key.reveal",
                seal(reveal_master.expose(), private_bytes.expose(), &aad(&id, "private_key")),
            ),
        ];
        for (name, value) in rows {
            conn.execute("INSERT INTO meta (name, value) VALUES (?1, ?2)", params![name, value])
                .map_err(|e| db_error(path, e))?;
        }
        set_private_permissions(path);
        let vault = Vault::from_parts(path, conn, id, Role::Reveal, token_key, public, Some(private));
        Ok((vault, mask, reveal_key))
    }

    fn from_parts(
        path: &Path,
        conn: Connection,
        id: [u8; 16],
        role: Role,
        token_key: Secret,
        public: PublicKey,
        private: Option<StaticSecret>,
    ) -> Vault {
        let syntax = TokenSyntax::default();
        let finder = syntax.finder();
        Vault {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                conn: Mutex::new(conn),
                id,
                role,
                token_key,
                public,
                private,
                sealer: Mutex::new(None),
                syntax,
                finder,
            }),
        }
    }

    fn open_conn(path: &Path) -> Result<Connection> {
        match std::fs::metadata(path) {
            Err(e) => return Err(Error::io(path, e)),
            Ok(m) if m.len() == 0 => {
                return Err(Error::config("not a cloak vault (empty file)").in_file(path));
            }
            Ok(_) => {}
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| db_error(path, e))?;
        configure(&conn, path)?;
        Ok(conn)
    }

    /// Opens the vault at `path` with the key from `source`.
    pub fn open(path: &Path, source: &KeySource) -> Result<Vault> {
        match source {
            KeySource::File(f) => Vault::open_with_key(path, &VaultKey::read(f)?),
            KeySource::Env(var) => match VaultKey::from_env(var)? {
                Some(k) => Vault::open_with_key(path, &k),
                None => Err(Error::config(format!("environment variable {var} holds no key"))),
            },
            KeySource::Passphrase(p) => {
                let conn = Vault::open_conn(path)?;
                let salt = meta(&conn, path, "salt")?;
                if meta(&conn, path, "passphrase")? != [1] {
                    return Err(Error::config(
                        "this vault was created without a passphrase; use its reveal key file",
                    )
                    .in_file(path));
                }
                let id: [u8; 16] = meta(&conn, path, "vault_id")?
                    .try_into()
                    .map_err(|_| Error::config("not a cloak vault (bad vault id)").in_file(path))?;
                let master = crypto::passphrase_key(&p.0, &salt)
                    .ok_or_else(|| Error::config("cannot derive a key from this passphrase"))?;
                Vault::unlock(path, conn, &VaultKey { role: Role::Reveal, vault_id: id, master })
            }
        }
    }

    /// Opens the vault at `path` with `key`.
    pub fn open_with_key(path: &Path, key: &VaultKey) -> Result<Vault> {
        let conn = Vault::open_conn(path)?;
        Vault::unlock(path, conn, key)
    }

    fn unlock(path: &Path, conn: Connection, key: &VaultKey) -> Result<Vault> {
        let format = meta(&conn, path, "format")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS surrogates (fingerprint BLOB PRIMARY KEY, token TEXT NOT NULL);",
        )
        .map_err(|e| db_error(path, e))?;
        if format != FORMAT.as_bytes() {
            return Err(Error::config("unsupported vault format").in_file(path));
        }
        let id: [u8; 16] = meta(&conn, path, "vault_id")?
            .try_into()
            .map_err(|_| Error::config("not a cloak vault (bad vault id)").in_file(path))?;
        if id != key.vault_id {
            return Err(Error::config(format!(
                "the key belongs to another vault ({}, this vault is {})",
                hex(&key.vault_id),
                hex(&id)
            ))
            .in_file(path));
        }
        let public: [u8; 32] = meta(&conn, path, "public_key")?
            .try_into()
            .map_err(|_| Error::config("not a cloak vault (bad public key)").in_file(path))?;
        let wrong = || Error::config(format!("the {} key does not open this vault", key.role)).in_file(path);
        let token_name = match key.role {
            Role::Mask => "token_key.mask",
            Role::Reveal => "token_key.reveal",
        };
        let token_key: [u8; 32] =
            open(key.master.expose(), &meta(&conn, path, token_name)?, &aad(&id, "token_key"))
                .and_then(|v| v.try_into().ok())
                .ok_or_else(wrong)?;
        let private = match key.role {
            Role::Mask => None,
            Role::Reveal => {
                let bytes: [u8; 32] = open(
                    key.master.expose(),
                    &meta(&conn, path, "private_key.reveal")?,
                    &aad(&id, "private_key"),
                )
                .and_then(|v| v.try_into().ok())
                .ok_or_else(wrong)?;
                Some(StaticSecret::from(bytes))
            }
        };
        Ok(Vault::from_parts(
            path,
            conn,
            id,
            key.role,
            Secret::from_bytes(token_key),
            PublicKey::from(public),
            private,
        ))
    }

    /// The role of the key this vault was opened with.
    pub fn role(&self) -> Role {
        self.inner.role
    }

    /// The vault's file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// How tokens are written.
    pub fn syntax(&self) -> &TokenSyntax {
        &self.inner.syntax
    }

    /// Uses another token syntax (prefix and suffix).
    pub fn with_syntax(self, syntax: TokenSyntax) -> Vault {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|arc| {
            // Shared: reopen a connection for this handle.
            let conn = Vault::open_conn(&arc.path).expect("the vault was open a moment ago");
            Inner {
                path: arc.path.clone(),
                conn: Mutex::new(conn),
                id: arc.id,
                role: arc.role,
                token_key: arc.token_key.clone(),
                public: arc.public,
                private: arc.private.clone(),
                sealer: Mutex::new(None),
                syntax: arc.syntax.clone(),
                finder: arc.finder.clone(),
            }
        });
        let finder = syntax.finder();
        Vault { inner: Arc::new(Inner { syntax, finder, ..inner }) }
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.inner.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The token for each (label, value), creating those the vault lacks, in
    /// one transaction: when this returns, every token is stored.
    pub fn tokens_for(&self, items: &[(Label, &[u8])]) -> Result<Vec<String>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let path = &self.inner.path;
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(path, e))?;
        let keys = self.token_keys(&tx, items)?;
        tx.commit().map_err(|e| db_error(path, e))?;
        Ok(keys.iter().map(|k| self.inner.syntax.render(k)).collect())
    }

    /// The token keys (`LABEL_id`) for `items`, created inside `tx` if missing.
    fn token_keys(&self, tx: &rusqlite::Transaction<'_>, items: &[(Label, &[u8])]) -> Result<Vec<String>> {
        let inner = &*self.inner;
        let path = &inner.path;
        let mut out = Vec::with_capacity(items.len());
        let mut cache: HashMap<[u8; 32], String> = HashMap::new();
        let created = now();
        for &(label, value) in items {
            let name = label.as_str().as_bytes();
            let fp = keyed_hash(&inner.token_key, &[b"fingerprint", name, value]);
            if let Some(key) = cache.get(&fp) {
                out.push(key.clone());
                continue;
            }
            let existing: Option<String> = tx
                .query_row("SELECT token FROM tokens WHERE fingerprint = ?1", [&fp[..]], |r| r.get(0))
                .optional()
                .map_err(|e| db_error(path, e))?;
            let key = match existing {
                Some(k) => k,
                None => {
                    let normalized = normalize(label, value);
                    let id_bytes = keyed_hash(&inner.token_key, &[b"id", name, &normalized]);
                    let form = (normalized != value)
                        .then(|| base32(&keyed_hash(&inner.token_key, &[b"form", name, value]), FORM_CHARS));
                    let mut chars = ID_CHARS;
                    let key = loop {
                        let mut k = format!("{label}_{}", base32(&id_bytes, chars));
                        if let Some(f) = &form {
                            k.push('_');
                            k.push_str(f);
                        }
                        let taken: bool = tx
                            .query_row("SELECT 1 FROM tokens WHERE token = ?1", [&k], |_| Ok(true))
                            .optional()
                            .map_err(|e| db_error(path, e))?
                            .unwrap_or(false);
                        if !taken {
                            break k;
                        }
                        // Another value holds this id: a collision, resolved
                        // with a longer id (never merged).
                        chars += 4;
                        if chars > 51 {
                            return Err(Error::config(
                                "token ids exhausted (an id collision could not be resolved)",
                            ));
                        }
                    };
                    let record = {
                        let mut sealer =
                            inner.sealer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        sealer
                            .get_or_insert_with(|| Sealer::new(&inner.public))
                            .seal(value, &aad(&inner.id, &key))
                    };
                    tx.execute(
                        "INSERT INTO tokens (token, fingerprint, label, created, record) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![key, &fp[..], label.as_str(), created, record],
                    )
                    .map_err(|e| db_error(path, e))?;
                    key
                }
            };
            cache.insert(fp, key.clone());
            out.push(key);
        }
        Ok(out)
    }

    /// A key for a keyed transform (`hash`, `fpe`, `surrogate`, `shift`),
    /// derived from the vault's token key: the same under every key role.
    pub(crate) fn transform_key(&self, purpose: &str) -> Secret {
        Secret::from_bytes(keyed_hash(&self.inner.token_key, &[b"transform", purpose.as_bytes()]))
    }

    /// A surrogate for each (label, value), stored so that it can be revealed:
    /// `make(label, value, attempt)` proposes one; a proposal already standing
    /// for another value is refused and the next attempt drawn. The original
    /// gets a token (its encrypted record), and the surrogate's keyed
    /// fingerprint points to it. One transaction.
    pub(crate) fn surrogates_for(
        &self,
        items: &[(Label, &[u8])],
        make: impl Fn(Label, &[u8], u32) -> Vec<u8>,
    ) -> Result<Vec<Vec<u8>>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let inner = &*self.inner;
        let path = &inner.path;
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(path, e))?;
        let keys = self.token_keys(&tx, items)?;
        let mut out = Vec::with_capacity(items.len());
        for (&(label, value), key) in items.iter().zip(&keys) {
            let mut chosen = None;
            for attempt in 0..64 {
                let candidate = make(label, value, attempt);
                if candidate == value {
                    continue;
                }
                let fp = self.surrogate_fingerprint(label, &candidate);
                let holder: Option<String> = tx
                    .query_row("SELECT token FROM surrogates WHERE fingerprint = ?1", [&fp[..]], |r| r.get(0))
                    .optional()
                    .map_err(|e| db_error(path, e))?;
                match holder {
                    Some(h) if h == *key => {
                        chosen = Some(candidate);
                        break;
                    }
                    Some(_) => continue,
                    None => {
                        tx.execute(
                            "INSERT INTO surrogates (fingerprint, token) VALUES (?1, ?2)",
                            params![&fp[..], key],
                        )
                        .map_err(|e| db_error(path, e))?;
                        chosen = Some(candidate);
                        break;
                    }
                }
            }
            out.push(
                chosen.ok_or_else(|| Error::config("no free surrogate found for a value (64 attempts)"))?,
            );
        }
        tx.commit().map_err(|e| db_error(path, e))?;
        Ok(out)
    }

    fn surrogate_fingerprint(&self, label: Label, surrogate: &[u8]) -> [u8; 32] {
        keyed_hash(
            &self.inner.token_key,
            &[b"surrogate", label.as_str().as_bytes(), &normalize(label, surrogate)],
        )
    }

    /// The originals behind surrogates found in a text, by their keyed
    /// fingerprints (`None` for a value that is no surrogate of this vault).
    /// Needs the reveal role.
    pub(crate) fn reveal_surrogates(&self, items: &[(Label, &[u8])]) -> Result<Vec<Option<Vec<u8>>>> {
        let keys: Vec<Option<String>> = {
            let path = &self.inner.path;
            let conn = self.conn();
            let mut stmt = conn
                .prepare_cached("SELECT token FROM surrogates WHERE fingerprint = ?1")
                .map_err(|e| db_error(path, e))?;
            items
                .iter()
                .map(|&(label, s)| {
                    stmt.query_row([&self.surrogate_fingerprint(label, s)[..]], |r| r.get(0))
                        .optional()
                        .map_err(|e| db_error(path, e))
                })
                .collect::<Result<_>>()?
        };
        let known: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
        let mut values = self.reveal(&known)?.into_iter();
        Ok(keys
            .iter()
            .map(|k| {
                k.as_ref().and_then(|_| match values.next() {
                    Some(Revealed::Value(v)) => Some(v),
                    _ => None,
                })
            })
            .collect())
    }

    /// Reveals the values of token keys (`LABEL_id`). Needs the reveal role.
    pub fn reveal(&self, keys: &[&str]) -> Result<Vec<Revealed>> {
        let inner = &*self.inner;
        let private = inner.private.as_ref().ok_or_else(|| {
            Error::config("this key can only mask: revealing needs the vault's reveal key")
                .in_file(&inner.path)
        })?;
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT record FROM tokens WHERE token = ?1")
            .map_err(|e| db_error(&inner.path, e))?;
        let mut opener = Opener::new(private);
        keys.iter()
            .map(|&k| {
                let record: Option<Vec<u8>> =
                    stmt.query_row([k], |r| r.get(0)).optional().map_err(|e| db_error(&inner.path, e))?;
                Ok(match record {
                    None => Revealed::Unknown,
                    Some(rec) => match opener.open(&rec, &aad(&inner.id, k)) {
                        Some(v) => Revealed::Value(v),
                        None => Revealed::Damaged,
                    },
                })
            })
            .collect()
    }

    /// Replaces every known token in `text` with its value, leaving unknown
    /// and damaged tokens as they are, and records the reveal in the audit log.
    pub fn unmask(&self, text: &[u8], audit: &Audit) -> Result<Unmasked> {
        let found = self.inner.finder.find_all(text);
        let keys: Vec<&str> = found.iter().map(|t| t.key.as_str()).collect();
        let values = self.reveal(&keys)?;
        let mut out = Unmasked { text: Vec::with_capacity(text.len()), ..Unmasked::default() };
        let mut at = 0;
        for (t, v) in found.iter().zip(values) {
            out.text.extend_from_slice(&text[at..t.span.start]);
            match v {
                Revealed::Value(value) => {
                    out.text.extend_from_slice(&value);
                    *out.restored.entry(t.label).or_default() += 1;
                }
                Revealed::Unknown => {
                    out.unknown += 1;
                    out.text.extend_from_slice(&text[t.span.range()]);
                }
                Revealed::Damaged => {
                    out.damaged += 1;
                    out.text.extend_from_slice(&text[t.span.range()]);
                }
            }
            at = t.span.end;
        }
        out.text.extend_from_slice(&text[at..]);
        if !found.is_empty() {
            self.record_reveal(audit, &out.restored, text)?;
        }
        Ok(out)
    }

    /// The tokens in `text` (keys), for purging.
    pub fn tokens_in(&self, text: &[u8]) -> Vec<String> {
        self.inner.finder.find_all(text).into_iter().map(|t| t.key).collect()
    }

    /// The finder of this vault's tokens.
    pub fn finder(&self) -> &TokenFinder {
        &self.inner.finder
    }

    fn audit_key(&self) -> Secret {
        Secret::from_bytes(keyed_hash(&self.inner.token_key, &[b"audit"]))
    }

    /// Appends an audit record (hash-chained: each record's MAC covers the one
    /// before, and the vault's metadata holds the last MAC and the count).
    /// [`unmask`](Self::unmask) and [`Unmasker`] call it; other ways of
    /// revealing (surrogates) call it too.
    pub fn record_reveal(&self, audit: &Audit, counts: &BTreeMap<Label, usize>, input: &[u8]) -> Result<()> {
        let path = &self.inner.path;
        let counts: String = counts.iter().map(|(l, n)| format!("{l}={n}")).collect::<Vec<_>>().join(",");
        let input_hash = hex(&sha256(input));
        let key = self.audit_key();
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(path, e))?;
        let head: Vec<u8> = tx
            .query_row("SELECT value FROM meta WHERE name = 'audit_head'", [], |r| r.get(0))
            .optional()
            .map_err(|e| db_error(path, e))?
            .unwrap_or_default();
        let seq: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit", [], |r| r.get(0))
            .map_err(|e| db_error(path, e))?;
        let time = now();
        let mac = audit_mac(&key, &head, seq, time, &audit.actor, &audit.purpose, &counts, &input_hash);
        tx.execute(
            "INSERT INTO audit (seq, time, actor, purpose, counts, input_hash, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![seq, time, audit.actor, audit.purpose, counts, input_hash, hex(&mac)],
        )
        .map_err(|e| db_error(path, e))?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('audit_head', ?1)",
            params![mac.to_vec()],
        )
        .map_err(|e| db_error(path, e))?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('audit_count', ?1)",
            params![seq.to_string().into_bytes()],
        )
        .map_err(|e| db_error(path, e))?;
        tx.commit().map_err(|e| db_error(path, e))
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditRecord>> {
        let path = &self.inner.path;
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT seq, time, actor, purpose, counts, input_hash FROM audit ORDER BY seq")
            .map_err(|e| db_error(path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AuditRecord {
                    seq: r.get(0)?,
                    time: r.get(1)?,
                    actor: r.get(2)?,
                    purpose: r.get(3)?,
                    counts: r.get(4)?,
                    input_hash: r.get(5)?,
                })
            })
            .map_err(|e| db_error(path, e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>().map_err(|e| db_error(path, e))
    }

    /// Checks the audit chain: returns the problems found (empty if intact).
    pub fn verify_audit(&self) -> Result<Vec<String>> {
        let path = &self.inner.path;
        let key = self.audit_key();
        let conn = self.conn();
        let mut problems = Vec::new();
        let mut stmt = conn
            .prepare("SELECT seq, time, actor, purpose, counts, input_hash, mac FROM audit ORDER BY seq")
            .map_err(|e| db_error(path, e))?;
        let rows: Vec<(i64, i64, String, String, String, String, String)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })
            .map_err(|e| db_error(path, e))?
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| db_error(path, e))?;
        let mut prev: Vec<u8> = Vec::new();
        for (i, (seq, time, actor, purpose, counts, input_hash, mac)) in rows.iter().enumerate() {
            if *seq != i as i64 + 1 {
                problems.push(format!("record {} is missing (found {seq} in its place)", i + 1));
            }
            let want = audit_mac(&key, &prev, *seq, *time, actor, purpose, counts, input_hash);
            if hex(&want) != *mac {
                problems.push(format!("record {seq} was changed, or a record before it was removed"));
            }
            prev = crypto::unhex(mac).unwrap_or_default();
        }
        let head: Vec<u8> = conn
            .query_row("SELECT value FROM meta WHERE name = 'audit_head'", [], |r| r.get(0))
            .optional()
            .map_err(|e| db_error(path, e))?
            .unwrap_or_default();
        if head != prev {
            problems.push("the last records of the log were removed".to_string());
        }
        let count: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE name = 'audit_count'", [], |r| r.get::<_, Vec<u8>>(0))
            .optional()
            .map_err(|e| db_error(path, e))?
            .map(|v| String::from_utf8_lossy(&v).into_owned());
        if count.unwrap_or_else(|| "0".into()) != rows.len().to_string() {
            problems.push(format!("the log should hold more records than its {}", rows.len()));
        }
        Ok(problems)
    }

    /// Token counts per label; no value is read.
    pub fn stats(&self) -> Result<Stats> {
        let path = &self.inner.path;
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT label, COUNT(*) FROM tokens GROUP BY label ORDER BY label")
            .map_err(|e| db_error(path, e))?;
        let mut stats = Stats::default();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| db_error(path, e))?;
        for row in rows {
            let (label, n) = row.map_err(|e| db_error(path, e))?;
            stats.total += n as u64;
            stats.per_label.insert(label, n as u64);
        }
        Ok(stats)
    }

    /// Deletes tokens (the right to be forgotten); returns how many.
    pub fn purge(&self, what: &Purge) -> Result<usize> {
        let path = &self.inner.path;
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(path, e))?;
        let n = match what {
            Purge::Label(l) => tx.execute("DELETE FROM tokens WHERE label = ?1", [l.as_str()]),
            Purge::OlderThan(t) => tx.execute("DELETE FROM tokens WHERE created < ?1", [t]),
            Purge::Keys(keys) => {
                let mut n = 0;
                for k in keys {
                    n += tx
                        .execute("DELETE FROM tokens WHERE token = ?1", [k])
                        .map_err(|e| db_error(path, e))?;
                }
                Ok(n)
            }
        }
        .map_err(|e| db_error(path, e))?;
        // Surrogates of purged values go with them.
        tx.execute("DELETE FROM surrogates WHERE token NOT IN (SELECT token FROM tokens)", [])
            .map_err(|e| db_error(path, e))?;
        tx.commit().map_err(|e| db_error(path, e))?;
        Ok(n)
    }

    /// Checks every record: structure always; with a reveal key, that it
    /// decrypts. Names problem tokens, never values.
    pub fn verify(&self) -> Result<VerifyReport> {
        let inner = &*self.inner;
        let path = &inner.path;
        let conn = self.conn();
        let integrity: String =
            conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| db_error(path, e))?;
        if integrity != "ok" {
            return Err(Error::config(format!("the vault file is damaged: {integrity}")).in_file(path));
        }
        let mut report = VerifyReport { decrypted: inner.private.is_some(), ..VerifyReport::default() };
        let mut stmt = conn
            .prepare("SELECT token, fingerprint, label, record FROM tokens")
            .map_err(|e| db_error(path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(|e| db_error(path, e))?;
        let mut opener = inner.private.as_ref().map(Opener::new);
        for row in rows {
            let (token, fp, label, record) = row.map_err(|e| db_error(path, e))?;
            report.records += 1;
            let shape_ok = fp.len() == 32
                && record.len() >= 32 + 12 + 16
                && label.parse::<Label>().is_ok()
                && token.starts_with(&format!("{label}_"));
            if !shape_ok {
                report.malformed.push(token);
                continue;
            }
            if let Some(opener) = &mut opener {
                if opener.open(&record, &aad(&inner.id, &token)).is_none() {
                    report.damaged.push(token);
                }
            }
        }
        Ok(report)
    }

    /// Replaces the master key of `role` with a fresh one and returns it. The
    /// vault's own keys are rewrapped; records are untouched. Rotating the
    /// reveal key needs a vault opened with the reveal key.
    pub fn rotate(&self, role: Role) -> Result<VaultKey> {
        let inner = &*self.inner;
        let path = &inner.path;
        let new = VaultKey { role, vault_id: inner.id, master: Secret::random() };
        let mut rows: Vec<(&str, Vec<u8>)> = Vec::new();
        match role {
            Role::Mask => {
                rows.push((
                    "token_key.mask",
                    seal(new.master.expose(), inner.token_key.expose(), &aad(&inner.id, "token_key")),
                ));
            }
            Role::Reveal => {
                let private = inner.private.as_ref().ok_or_else(|| {
                    Error::config("rotating the reveal key needs the reveal key").in_file(path)
                })?;
                let private_bytes = Secret::from_bytes(private.to_bytes());
                rows.push((
                    "token_key.reveal",
                    seal(new.master.expose(), inner.token_key.expose(), &aad(&inner.id, "token_key")),
                ));
                rows.push((
                    "private_key.reveal",
                    seal(new.master.expose(), private_bytes.expose(), &aad(&inner.id, "private_key")),
                ));
                rows.push(("passphrase", vec![0]));
            }
        }
        let mut conn = self.conn();
        let tx =
            conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| db_error(path, e))?;
        for (name, value) in rows {
            tx.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)", params![name, value])
                .map_err(|e| db_error(path, e))?;
        }
        tx.commit().map_err(|e| db_error(path, e))?;
        Ok(new)
    }
}

#[allow(clippy::too_many_arguments)]
fn audit_mac(
    key: &Secret,
    prev: &[u8],
    seq: i64,
    time: i64,
    actor: &str,
    purpose: &str,
    counts: &str,
    input_hash: &str,
) -> [u8; 32] {
    keyed_hash(
        key,
        &[
            prev,
            &seq.to_le_bytes(),
            &time.to_le_bytes(),
            actor.as_bytes(),
            purpose.as_bytes(),
            counts.as_bytes(),
            input_hash.as_bytes(),
        ],
    )
}

/// Unmasks a reply that arrives in chunks (as a language model streams it),
/// emitting text as soon as no token can still be in the making.
///
/// Only a possible partial token at the end of what has arrived is held back;
/// everything before it is restored and returned at once. The output equals
/// [`Vault::unmask`] of the whole text, however the text is cut. One audit
/// record covers the whole stream, written by [`finish`](Unmasker::finish).
#[derive(Debug)]
pub struct Unmasker {
    vault: Vault,
    audit: Audit,
    pending: Vec<u8>,
    seen: Vec<u8>,
    restored: BTreeMap<Label, usize>,
    unknown: usize,
    damaged: usize,
    tokens: usize,
}

impl Unmasker {
    /// An unmasker revealing from `vault` (opened with the reveal key).
    pub fn new(vault: &Vault, audit: Audit) -> Unmasker {
        Unmasker {
            vault: vault.clone(),
            audit,
            pending: Vec::new(),
            seen: Vec::new(),
            restored: BTreeMap::new(),
            unknown: 0,
            damaged: 0,
            tokens: 0,
        }
    }

    /// Takes the next chunk; returns the restored text that is ready.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.pending.extend_from_slice(chunk);
        self.seen.extend_from_slice(chunk);
        let finder = self.vault.finder();
        let prefix = self.vault.syntax().render("").chars().next().map(String::from).unwrap_or_default();
        let mut safe = finder.partial_start(&self.pending, &prefix);
        // A token reaching the end could still grow (a longer id, a suffix).
        let found = finder.find_all(&self.pending);
        let tail_margin = self.vault.syntax().render("").len();
        if let Some(t) = found.iter().rev().find(|t| t.span.end + tail_margin >= self.pending.len()) {
            safe = safe.min(t.span.start);
        }
        let ready: Vec<u8> = self.pending.drain(..safe).collect();
        self.restore(&ready)
    }

    fn restore(&mut self, text: &[u8]) -> Result<Vec<u8>> {
        let found = self.vault.finder().find_all(text);
        if found.is_empty() {
            return Ok(text.to_vec());
        }
        let keys: Vec<&str> = found.iter().map(|t| t.key.as_str()).collect();
        let values = self.vault.reveal(&keys)?;
        let mut out = Vec::with_capacity(text.len());
        let mut at = 0;
        for (t, v) in found.iter().zip(values) {
            out.extend_from_slice(&text[at..t.span.start]);
            self.tokens += 1;
            match v {
                Revealed::Value(value) => {
                    out.extend_from_slice(&value);
                    *self.restored.entry(t.label).or_default() += 1;
                }
                Revealed::Unknown => {
                    self.unknown += 1;
                    out.extend_from_slice(&text[t.span.range()]);
                }
                Revealed::Damaged => {
                    self.damaged += 1;
                    out.extend_from_slice(&text[t.span.range()]);
                }
            }
            at = t.span.end;
        }
        out.extend_from_slice(&text[at..]);
        Ok(out)
    }

    /// Restores what is left and records the reveal in the audit log.
    /// Returns the last text and the totals of the stream.
    pub fn finish(mut self) -> Result<(Vec<u8>, Unmasked)> {
        let rest = std::mem::take(&mut self.pending);
        let last = self.restore(&rest)?;
        if self.tokens > 0 {
            self.vault.record_reveal(&self.audit, &self.restored, &self.seen)?;
        }
        let totals = Unmasked {
            text: Vec::new(),
            restored: self.restored,
            unknown: self.unknown,
            damaged: self.damaged,
        };
        Ok((last, totals))
    }
}
