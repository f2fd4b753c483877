//! API key secrets: `bspc_` + 30 random base62 characters (≈178 bits) + a 6-character base62
//! CRC32 of them, after GitHub's token format
//! (<https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/>): the
//! prefix lets secret scanners find leaked keys, the checksum refuses a mistyped or made-up key
//! without a database lookup. Only the SHA-256 digest of a key is stored: a random key of that
//! length cannot be guessed offline, so a slow password hash would only turn every API call into
//! work an attacker can ask for.

use rand::{rngs::OsRng, Rng};
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "bspc_";
const RANDOM_LEN: usize = 30;
const CHECK_LEN: usize = 6;
/// The whole key's length.
pub const KEY_LEN: usize = PREFIX.len() + RANDOM_LEN + CHECK_LEN;
/// How much of a key the lists show (not secret: 8 of its 30 random characters).
const SHOWN_LEN: usize = PREFIX.len() + 8;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new key: the secret (shown once), what lists show of it, and the digest that is stored.
pub struct NewKey {
    pub secret: String,
    pub shown: String,
    pub digest: String,
}

pub fn generate() -> NewKey {
    let mut rng = OsRng;
    let random: String = (0..RANDOM_LEN)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    let secret = format!("{PREFIX}{random}{}", checksum(&random));
    NewKey {
        shown: secret[..SHOWN_LEN].to_owned(),
        digest: digest(&secret),
        secret,
    }
}

/// The stored digest of a well-formed key; `None` for anything that is not one (wrong prefix,
/// length, alphabet or checksum), refused before any lookup.
pub fn digest_of(candidate: &str) -> Option<String> {
    let rest = candidate.strip_prefix(PREFIX)?;
    if candidate.len() != KEY_LEN || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (random, check) = rest.split_at(RANDOM_LEN);
    (checksum(random) == check).then(|| digest(candidate))
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// CRC32 of the random part, in base62, zero-padded to 6 characters.
fn checksum(random: &str) -> String {
    let mut n = u64::from(crc32fast::hash(random.as_bytes()));
    let mut out = [b'0'; CHECK_LEN];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_recognised_and_a_changed_one_is_not() {
        let k = generate();
        assert_eq!(k.secret.len(), KEY_LEN);
        assert!(k.secret.starts_with(&k.shown));
        assert_eq!(digest_of(&k.secret), Some(k.digest.clone()));
        assert_eq!(k.digest.len(), 64);
        // One character changed in the random part: the checksum no longer matches.
        let mut bytes = k.secret.clone().into_bytes();
        bytes[10] = if bytes[10] == b'a' { b'b' } else { b'a' };
        let typo = String::from_utf8(bytes).expect("ascii");
        assert_eq!(digest_of(&typo), None);
        for bad in [
            "",
            "bspc_",
            &k.secret[..KEY_LEN - 1],
            &format!("{}x", k.secret),
            &k.secret.replacen("bspc_", "bspk_", 1),
            &format!("bspc_{}{}", "é".repeat(15), &k.secret[35..]),
        ] {
            assert_eq!(digest_of(bad), None, "{bad}");
        }
        assert_ne!(generate().secret, k.secret);
    }

    #[test]
    fn the_checksum_is_six_base62_characters_of_the_crc32() {
        // CRC32("") = 0, CRC32("a") = 0xe8b7be43.
        assert_eq!(checksum(""), "000000");
        let c = checksum("a");
        assert_eq!(c.len(), 6);
        let value = c.bytes().fold(0u64, |n, b| {
            n * 62
                + ALPHABET
                    .iter()
                    .position(|&x| x == b)
                    .map_or(0, |p| p as u64)
        });
        assert_eq!(value, 0xe8b7_be43);
    }
}
