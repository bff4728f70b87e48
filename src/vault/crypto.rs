//! The cryptography of the vault: secrets, key wrapping, sealed records and
//! keyed token ids. Built on RustCrypto (AES-256-GCM, HKDF-SHA-256,
//! HMAC-SHA-256, Argon2id) and X25519.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// 32 secret bytes that zero themselves on drop and never print.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Secret {
    /// Fresh random bytes from the operating system.
    pub(crate) fn random() -> Secret {
        let mut b = [0u8; 32];
        fill_random(&mut b);
        Secret(b)
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Secret {
        Secret(bytes)
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random source is available");
}

const NONCE_LEN: usize = 12;

/// Encrypts `plain` under `key` with a fresh random nonce, binding `aad`;
/// returns nonce || ciphertext || tag.
pub(crate) fn seal(key: &[u8; 32], plain: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce);
    let ct = cipher
        .encrypt(&Nonce::from(nonce), Payload { msg: plain, aad })
        .expect("AES-GCM encryption of a bounded message does not fail");
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// Decrypts what [`seal`] produced; `None` if the key, the data or the
/// associated data do not match (tampering is detected here).
pub(crate) fn open(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN + 16 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher.decrypt(&Nonce::from(nonce), Payload { msg: ct, aad }).ok()
}

/// Seals records to the vault's public key. One ephemeral X25519 key serves
/// a run of records (each with a fresh nonce and its token as associated
/// data), so sealing a record costs an AES-GCM encryption, not two scalar
/// multiplications; a new ephemeral key is drawn after [`Sealer::RECORDS`]
/// records, far below the 2^32 random nonces one AES-GCM key allows.
pub(crate) struct Sealer {
    public: PublicKey,
    eph_pub: [u8; 32],
    key: Secret,
    used: u32,
}

impl Sealer {
    /// Records sealed under one ephemeral key before another is drawn.
    pub(crate) const RECORDS: u32 = 1 << 20;

    pub(crate) fn new(public: &PublicKey) -> Sealer {
        let mut eph = [0u8; 32];
        fill_random(&mut eph);
        let eph = StaticSecret::from(eph);
        let eph_pub = PublicKey::from(&eph);
        let shared = eph.diffie_hellman(public);
        let key = record_key(shared.as_bytes(), eph_pub.as_bytes(), public.as_bytes());
        Sealer { public: *public, eph_pub: eph_pub.to_bytes(), key, used: 0 }
    }

    /// `plain` sealed: the ephemeral public key, then nonce || ciphertext || tag.
    pub(crate) fn seal(&mut self, plain: &[u8], aad: &[u8]) -> Vec<u8> {
        if self.used >= Self::RECORDS {
            *self = Sealer::new(&self.public);
        }
        self.used += 1;
        let mut out = Vec::with_capacity(32 + NONCE_LEN + plain.len() + 16);
        out.extend_from_slice(&self.eph_pub);
        out.extend_from_slice(&seal(self.key.expose(), plain, aad));
        out
    }
}

/// A record encrypted to the vault's public key with an ephemeral key of its
/// own (a [`Sealer`] used once).
pub(crate) fn seal_to(public: &PublicKey, plain: &[u8], aad: &[u8]) -> Vec<u8> {
    Sealer::new(public).seal(plain, aad)
}

/// Opens records sealed to the vault's public key. The key derived for each
/// ephemeral key is kept (at most [`Opener::KEYS`] of them), so the records
/// of one sealing run cost one scalar multiplication between them.
pub(crate) struct Opener<'a> {
    private: &'a StaticSecret,
    public: [u8; 32],
    keys: std::collections::HashMap<[u8; 32], Secret>,
}

impl<'a> Opener<'a> {
    /// Derived keys kept before the cache starts over.
    const KEYS: usize = 4096;

    pub(crate) fn new(private: &'a StaticSecret) -> Opener<'a> {
        Opener { private, public: PublicKey::from(private).to_bytes(), keys: Default::default() }
    }

    /// The value of a record sealed by a [`Sealer`], or `None` if it does not
    /// open (another vault, damaged, moved under another token).
    pub(crate) fn open(&mut self, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 32 {
            return None;
        }
        let (eph_pub, rest) = sealed.split_at(32);
        let eph_pub: [u8; 32] = eph_pub.try_into().ok()?;
        if !self.keys.contains_key(&eph_pub) {
            if self.keys.len() >= Self::KEYS {
                self.keys.clear();
            }
            let shared = self.private.diffie_hellman(&PublicKey::from(eph_pub));
            self.keys.insert(eph_pub, record_key(shared.as_bytes(), &eph_pub, &self.public));
        }
        open(self.keys[&eph_pub].expose(), rest, aad)
    }
}

/// Opens one record sealed with [`seal_to`] or a [`Sealer`].
pub(crate) fn open_with(private: &StaticSecret, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    Opener::new(private).open(sealed, aad)
}

fn record_key(shared: &[u8; 32], eph_pub: &[u8; 32], public: &[u8; 32]) -> Secret {
    let mut salt = Vec::with_capacity(64);
    salt.extend_from_slice(eph_pub);
    salt.extend_from_slice(public);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut okm = [0u8; 32];
    hk.expand(b"cloak vault record v1", &mut okm).expect("32 bytes is a valid HKDF output length");
    Secret(okm)
}

/// HMAC-SHA-256 of the parts, each length-prefixed so that no two different
/// part lists hash alike.
pub(crate) fn keyed_hash(key: &Secret, parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.expose()).expect("HMAC takes any key length");
    for p in parts {
        mac.update(&(p.len() as u64).to_le_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// SHA-256 of `bytes` (for hashes of non-secret data: masked input, audit chain).
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A master key from a passphrase: Argon2id with the vault's salt.
pub(crate) fn passphrase_key(passphrase: &str, salt: &[u8]) -> Option<Secret> {
    let mut out = [0u8; 32];
    argon2::Argon2::default().hash_password_into(passphrase.as_bytes(), salt, &mut out).ok()?;
    Some(Secret(out))
}

/// Lower-case base32 without the letters easily misread (Crockford's set).
const BASE32: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The first `chars` base32 characters (5 bits each) of `bytes`.
pub(crate) fn base32(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(BASE32[((acc >> bits) & 31) as usize] as char);
        }
        if out.len() == chars {
            break;
        }
    }
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lower- or upper-case hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let k = Secret::random();
        let sealed = seal(k.expose(), b"hello", b"aad");
        assert_eq!(open(k.expose(), &sealed, b"aad").as_deref(), Some(&b"hello"[..]));
        assert!(open(k.expose(), &sealed, b"other").is_none());
        let mut bad = sealed.clone();
        bad[20] ^= 1;
        assert!(open(k.expose(), &bad, b"aad").is_none());
        assert!(open(Secret::random().expose(), &sealed, b"aad").is_none());
        assert_ne!(seal(k.expose(), b"hello", b"aad"), sealed, "fresh nonce each time");
    }

    #[test]
    fn sealed_to_public_key() {
        let private = StaticSecret::from(*Secret::random().expose());
        let public = PublicKey::from(&private);
        let sealed = seal_to(&public, b"4111 1111 1111 1111", b"tok");
        assert_eq!(open_with(&private, &sealed, b"tok").as_deref(), Some(&b"4111 1111 1111 1111"[..]));
        assert!(open_with(&private, &sealed, b"tok2").is_none());
        let other = StaticSecret::from(*Secret::random().expose());
        assert!(open_with(&other, &sealed, b"tok").is_none());
    }

    #[test]
    fn one_sealer_many_records() {
        let private = StaticSecret::from(*Secret::random().expose());
        let public = PublicKey::from(&private);
        let mut sealer = Sealer::new(&public);
        let a = sealer.seal(b"first", b"tok-a");
        let b = sealer.seal(b"second", b"tok-b");
        assert_eq!(a[..32], b[..32], "one ephemeral key for the run");
        assert_ne!(a[32..44], b[32..44], "a fresh nonce per record");
        let mut opener = Opener::new(&private);
        assert_eq!(opener.open(&a, b"tok-a").as_deref(), Some(&b"first"[..]));
        assert_eq!(opener.open(&b, b"tok-b").as_deref(), Some(&b"second"[..]));
        assert_eq!(opener.keys.len(), 1, "one derived key for both records");
        assert!(opener.open(&a, b"tok-b").is_none(), "a record moved under another token does not open");
        let c = seal_to(&public, b"third", b"tok-c");
        assert_ne!(a[..32], c[..32]);
        assert_eq!(opener.open(&c, b"tok-c").as_deref(), Some(&b"third"[..]));
        assert_eq!(open_with(&private, &b, b"tok-b").as_deref(), Some(&b"second"[..]));
        let other = StaticSecret::from(*Secret::random().expose());
        assert!(Opener::new(&other).open(&a, b"tok-a").is_none());
    }

    #[test]
    fn a_sealer_draws_a_new_key_after_its_records() {
        let private = StaticSecret::from(*Secret::random().expose());
        let public = PublicKey::from(&private);
        let mut sealer = Sealer::new(&public);
        let first = sealer.seal(b"v", b"t");
        sealer.used = Sealer::RECORDS;
        let next = sealer.seal(b"v", b"t");
        assert_ne!(first[..32], next[..32]);
        assert_eq!(sealer.used, 1);
        assert_eq!(open_with(&private, &next, b"t").as_deref(), Some(&b"v"[..]));
    }

    #[test]
    fn encodings_and_redaction() {
        assert_eq!(base32(&[0xff, 0xff], 3), "zzz");
        assert_eq!(base32(&[0, 0, 0], 4), "0000");
        assert_eq!(unhex(&hex(&[1, 0xab, 255])), Some(vec![1, 0xab, 255]));
        assert_eq!(unhex("zz"), None);
        assert_eq!(format!("{:?}", Secret::random()), "[redacted]");
        let k = Secret::random();
        assert_ne!(keyed_hash(&k, &[b"ab", b"c"]), keyed_hash(&k, &[b"a", b"bc"]));
    }
}
