//! Device cookies (OWASP, "Slow down online guessing attacks with device cookies",
//! <https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies>):
//! a browser that signed in successfully gets a random token in a long-lived cookie; the
//! database keeps only its hash. Sign-in attempts from that browser, for that user, are
//! counted on their own, so guesses from elsewhere never lock the rightful user out.

use sha2::{Digest, Sha256};

pub const COOKIE: &str = "bsp_device";
/// A year: a browser unseen for that long is forgotten (housekeeping).
const MAX_AGE_SECS: u64 = 365 * 24 * 3600;

/// A fresh token (256 random bits, hex) and the hash that is stored.
pub fn new_token() -> (String, String) {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The device token in a request's `Cookie` headers, if well formed.
pub fn from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}

/// The `Set-Cookie` value that gives a browser its token.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_read_back_from_the_cookie_header_among_others() {
        let (token, hash) = new_token();
        assert_eq!(token_hash(&token), hash);
        let mut h = http::HeaderMap::new();
        let line = format!("bsp_session=abc; {COOKIE}={token}; other=1");
        h.insert(http::header::COOKIE, line.parse().expect("header"));
        assert_eq!(from_headers(&h), Some(token));
    }

    #[test]
    fn a_malformed_token_is_no_token() {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            format!("{COOKIE}=../../etc").parse().expect("header"),
        );
        assert_eq!(from_headers(&h), None);
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        let c = set_cookie("ab", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(!set_cookie("ab", false).contains("Secure"));
    }
}
