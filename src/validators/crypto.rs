//! Cryptocurrency addresses: Bitcoin (base58check, bech32, bech32m) and Ethereum (EIP-55).

use sha2::{Digest, Sha256};
use sha3::Keccak256;

/// Bitcoin mainnet address: legacy base58check (P2PKH or P2SH) or segwit
/// (bech32 for version 0, bech32m for versions 1-16).
pub(super) fn btc(value: &[u8]) -> bool {
    base58check(value) || segwit(value)
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// A 25-byte base58check payload: version 0x00 (P2PKH) or 0x05 (P2SH),
/// a 20-byte hash and the first 4 bytes of its double SHA-256.
fn base58check(value: &[u8]) -> bool {
    // 25 bytes, leading zero bytes written as '1', take 26 to 35 digits.
    if !(26..=35).contains(&value.len()) {
        return false;
    }
    let mut bytes = [0u8; 25];
    for &c in value {
        let Some(digit) = BASE58.iter().position(|&a| a == c) else {
            return false;
        };
        // bytes = bytes * 58 + digit, big-endian.
        let mut carry = digit as u32;
        for b in bytes.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = carry as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    // Each leading '1' stands for one leading zero byte, and only those do.
    let ones = value.iter().take_while(|&&c| c == b'1').count();
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let (payload, check) = bytes.split_at(21);
    ones == zeros
        && matches!(payload[0], 0x00 | 0x05)
        && Sha256::digest(Sha256::digest(payload))[..4] == *check
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// BIP-173 checksum state over 5-bit values.
fn polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    values.iter().fold(1, |chk, &v| {
        let top = chk >> 25;
        let chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        (0..5).filter(|i| (top >> i) & 1 == 1).fold(chk, |c, i| c ^ GEN[i])
    })
}

/// Segwit address with human-readable part "bc": BIP-173 for witness version
/// 0 (20- or 32-byte program), BIP-350 bech32m for versions 1-16 (2-40 bytes).
fn segwit(value: &[u8]) -> bool {
    if !(14..=90).contains(&value.len())
        || (value.iter().any(u8::is_ascii_lowercase) && value.iter().any(u8::is_ascii_uppercase))
    {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let Some(data) = lower.strip_prefix(b"bc1") else {
        return false;
    };
    // The expanded "bc" prefix, then the data part as 5-bit values.
    let mut values = vec![3, 3, 0, 2, 3];
    for &c in data {
        match BECH32.iter().position(|&a| a == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let data = &values[5..];
    let version = data[0];
    let constant = if version == 0 { 1 } else { 0x2bc8_30a3 };
    if version > 16 || polymod(&values) != constant {
        return false;
    }
    let Some(program) = from_5_bits(&data[1..data.len() - 6]) else {
        return false;
    };
    (2..=40).contains(&program.len()) && (version != 0 || matches!(program.len(), 20 | 32))
}

/// Regroups 5-bit values as bytes; `None` when more than 4 bits are left
/// over or the leftover padding is not zero.
fn from_5_bits(values: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(values.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0);
    for &v in values {
        acc = ((acc << 5) | u32::from(v)) & 0xfff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    (bits < 5 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// Ethereum address: `0x` and 40 hex digits. All-lower or all-upper case
/// carries no checksum; mixed case must follow EIP-55 (a letter is upper case
/// exactly when the matching nibble of Keccak-256 of the lower-case hex is 8
/// or more).
pub(super) fn eth(value: &[u8]) -> bool {
    let Some(hex) = value.strip_prefix(b"0x") else {
        return false;
    };
    if hex.len() != 40 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let has_lower = hex.iter().any(u8::is_ascii_lowercase);
    let has_upper = hex.iter().any(u8::is_ascii_uppercase);
    if !(has_lower && has_upper) {
        return true;
    }
    let hash = Keccak256::digest(hex.to_ascii_lowercase());
    hex.iter().enumerate().all(|(i, &c)| {
        let nibble = if i % 2 == 0 { hash[i / 2] >> 4 } else { hash[i / 2] & 0xf };
        !c.is_ascii_alphabetic() || c.is_ascii_uppercase() == (nibble >= 8)
    })
}

#[cfg(test)]
mod tests {
    use crate::validators::tests::check_table;

    #[test]
    fn btc_table() {
        check_table(
            "btc",
            &[
                // The genesis block's address.
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "1N9MHeENoUigTjAHeNbB23jayhPTr4yneg",
                "3AaStfUp9YhcC5MjbCQnYiPfSf7CLa9c93",
                "12P3KsBkkQD9V5nC4DJrQGwb3H42BWpjmT",
                "3HPPc3fgapTpHRGyKwxqdDLxc97Kd9VrQW",
                "1148pAwCpiem3Md4sXkymom51HW1xN4rRF",
                "112D2adLM3UKy4Z4giRbReR6gjWuvHUqB",
                "bc1q0as4zexx7u5dwxp4xufcy7kgs0tlh9jeh8ccl6",
                "bc1qydq8faf93akxszpr38fwglc7zadfp0zr97u5de4fgugsnuahnugsxwuqld",
                "bc1ppgn0vg5l5dzj2fh8hsty9t4590ez04g0luru8ssxys5juwur6k5sqv3kuu",
                "bc1scm4q64m533",
                "BC1QU8KZ5RU79NMQKAFELMUGYPDUNFYKW440W2CGF8",
            ],
            &[
                // Testnet version byte.
                "myQYN6e9AX4UdUth7BhvVvHQRBARpVySX3",
                "112D2adLM3UKy4Z4giRbReR6gjWuvHUq2",
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN",
                "11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a",
                "bc1qutlhhf70spjacendc3c2y669gnltx9pq8kjqzu",
                "bc1p34trneh333ka8slu58n6gfss3c2cldv7p9zul6rppjy8jjqc80jq6tut6q",
                "bc1qx77zwetx7wp4kp03zfdh8za328yhytxjcepwd6ryz504f6",
                "tb1qq0q2lmd8dqer7mtucukfafyxpzez5ylp8sajur",
                "bc1p4ltce7gwdusdky2c4drlqn8plsk8rcy52jpelsm2ndyghlnx6gaq9sgwzmxna7e025qwjpzc",
                "bc13y84d8n5f0me0csddmme6ydmz6c8c2sst3308vv",
                "bc1Q0as4zexx7u5dwxp4xufcy7kgs0tlh9jeh8ccl6",
                "bc1q0as4zexx7u5dwxp4xufcy7kgs0tlh9jeh8ccl7",
                "bc1",
                "",
            ],
        );
    }

    #[test]
    fn eth_table() {
        check_table(
            "eth",
            &[
                // The example from EIP-55.
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
                "0x12634f740691A4B57dFF35fF3e8065dF0Bc0d351",
                "0x686f6E4577B15cA1a1636f6331447A432D84C631",
                "0xDEd74066ce093166B7B83bAf6024f6360c13f64b",
                "0x615e3A68585090301F44Ec2731a7C8efDab5DC6B",
            ],
            &[
                "0xbF0614665cD0E8b8bdCF63543007a52bcf61aE84",
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0",
                "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg",
                "0x",
                "",
            ],
        );
    }
}
