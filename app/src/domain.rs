//! Pure business rules. No I/O, no clock (time is passed in), no leptos, sea-orm or axum:
//! this module compiles to wasm so the browser runs the same checks as the server.

pub mod alert;
pub mod api_keys;
pub mod device;
pub mod email;
pub mod ids;
pub mod locale;
pub mod messaging_tier;
pub mod password;
pub mod phone;
pub mod platform;
pub mod pricing;
pub mod profile;
pub mod roles;
pub mod session_window;
pub mod template;
pub mod tenant;
pub mod validation;

/// Whether `s` names stored content (a photo, a header sample): its SHA-256 digest as 64
/// lowercase hex digits, as the server writes it. Anything else is refused before a lookup.
pub fn is_content_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where to go after signing in: only a local path, never another site (open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        // Printable ASCII only: the value ends up in a `Location` header.
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.contains("://")
                && p.bytes().all(|b| (0x21..=0x7e).contains(&b)) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_ids_are_64_lowercase_hex_digits() {
        assert!(super::is_content_id(&"0a".repeat(32)));
        for bad in [
            "".to_owned(),
            "0a".repeat(31),
            "0a".repeat(33),
            "0A".repeat(32),
            format!("{}g", "0".repeat(63)),
            format!("{}é", "0".repeat(62)),
        ] {
            assert!(!super::is_content_id(&bad), "{bad}");
        }
    }

    #[test]
    fn safe_next_keeps_local_paths_and_drops_others() {
        assert_eq!(super::safe_next(Some("/tenants?page=2")), "/tenants?page=2");
        for bad in [
            None,
            Some(""),
            Some("https://evil.example"),
            Some("//evil.example"),
            Some("/\\evil.example"),
            Some("/a\r\nSet-Cookie: x=1"),
            Some("/é"),
        ] {
            assert_eq!(super::safe_next(bad), "/");
        }
    }
}
