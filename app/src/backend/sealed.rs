//! Secrets the console must read back (two-factor secrets) are stored sealed: encrypted and
//! authenticated with ChaCha20-Poly1305 (RFC 8439, ring's implementation) under the instance's
//! `SECRETS_KEY`, bound to what they belong to (`context`, e.g. the user id), so a sealed value
//! copied to another row does not open.

use super::error::internal;
use crate::contract::AppError;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use secrecy::{ExposeSecret, SecretString};

const VERSION: &str = "v1";

fn key(key_hex: &SecretString) -> Result<LessSafeKey, AppError> {
    let bytes = hex::decode(key_hex.expose_secret().trim()).map_err(|e| internal(&e))?;
    let unbound = UnboundKey::new(&CHACHA20_POLY1305, &bytes)
        .map_err(|_| internal(&"SECRETS_KEY must be 32 bytes (64 hex digits)"))?;
    Ok(LessSafeKey::new(unbound))
}

/// Whether `raw` is a usable key: 64 hex digits.
pub fn valid_key(raw: &str) -> bool {
    let raw = raw.trim();
    raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A fresh random key, hex.
pub fn generate_key() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// Seals `plain` for `context`: `v1:<nonce hex>:<ciphertext and tag hex>`.
pub fn seal(key_hex: &SecretString, plain: &[u8], context: &[u8]) -> Result<String, AppError> {
    let nonce_bytes = rand::random::<[u8; NONCE_LEN]>();
    let mut in_out = plain.to_vec();
    key(key_hex)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(context),
            &mut in_out,
        )
        .map_err(|_| internal(&"sealing failed"))?;
    Ok(format!(
        "{VERSION}:{}:{}",
        hex::encode(nonce_bytes),
        hex::encode(in_out)
    ))
}

/// Opens what `seal` made for the same `context` (an error otherwise: wrong key, another
/// row's value, or tampered).
pub fn open(key_hex: &SecretString, sealed: &str, context: &[u8]) -> Result<Vec<u8>, AppError> {
    let mut parts = sealed.split(':');
    let (Some(VERSION), Some(nonce), Some(body), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(internal(&"sealed value: unknown format"));
    };
    let nonce = hex::decode(nonce).map_err(|e| internal(&e))?;
    let nonce = Nonce::try_assume_unique_for_key(&nonce).map_err(|_| internal(&"sealed nonce"))?;
    let mut in_out = hex::decode(body).map_err(|e| internal(&e))?;
    let plain = key(key_hex)?
        .open_in_place(nonce, Aad::from(context), &mut in_out)
        .map_err(|_| internal(&"sealed value does not open"))?;
    Ok(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let k: SecretString = generate_key().into();
        let sealed = seal(&k, b"JBSWY3DPEHPK3PXP", b"user-1").expect("seal");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            open(&k, &sealed, b"user-1").expect("open"),
            b"JBSWY3DPEHPK3PXP"
        );
        assert!(
            open(&k, &sealed, b"user-2").is_err(),
            "another row's context"
        );
        let other: SecretString = generate_key().into();
        assert!(open(&other, &sealed, b"user-1").is_err(), "another key");
        let mut tampered = sealed.clone();
        let last = tampered.pop();
        tampered.push(if last == Some('0') { '1' } else { '0' });
        assert!(open(&k, &tampered, b"user-1").is_err(), "tampered");
        assert_ne!(
            seal(&k, b"x", b"c").ok(),
            seal(&k, b"x", b"c").ok(),
            "fresh nonce each time"
        );
        assert!(valid_key(&generate_key()) && !valid_key("abc"));
    }
}
