//! Authentication templates: fixed text, code expiration, the one-time-password button.

use super::rules::*;
use crate::domain::template::model::{Button, CreateTemplate};

/// An authentication template: no text of its own, a code expiration of 1 to 90 minutes,
/// exactly one one-time-password button.
pub(super) fn lint_authentication(t: &CreateTemplate, out: &mut Out) {
    if let Some(b) = t.body() {
        if b.text.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            out.add(Rule::AuthCustomText, "body", None, vec![]);
        }
    }
    if let Some((_, h)) = t.components_of("HEADER").next() {
        // Location headers are only for utility and marketing (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components); other headers are
        // custom content, which authentication templates do not have (https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates).
        let rule = if h
            .format
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("LOCATION"))
        {
            Rule::HeaderLocationNotAllowed
        } else {
            Rule::AuthCustomText
        };
        out.add(rule, "header", None, vec![]);
    }
    if let Some(f) = t.footer() {
        if let Some(m) = f.code_expiration_minutes {
            if !(1..=90).contains(&m) {
                out.add(
                    Rule::AuthCodeExpiration,
                    "footer",
                    None,
                    vec![m.to_string()],
                );
            }
        }
        if f.text.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            out.add(Rule::AuthCustomText, "footer", None, vec![]);
        }
    }
    let buttons = t
        .components_of("BUTTONS")
        .next()
        .and_then(|(_, c)| c.buttons.clone())
        .unwrap_or_default();
    let otp: Vec<(usize, &Button)> = buttons
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind.eq_ignore_ascii_case("OTP"))
        .collect();
    if otp.len() != 1 || buttons.len() != 1 {
        out.add(Rule::AuthOtpButton, "buttons", None, vec![]);
    }
    for (i, b) in otp {
        lint_otp_button(b, &format!("buttons[{i}]"), out);
    }
}

/// The one-time-password button: copy code, one tap or zero tap (with the apps that fill the
/// code in, and for zero tap the accepted terms).
fn lint_otp_button(b: &Button, comp: &str, out: &mut Out) {
    let kind = b.otp_type.clone().unwrap_or_default().to_ascii_uppercase();
    match kind.as_str() {
        "COPY_CODE" => {}
        "ONE_TAP" | "ZERO_TAP" => {
            let apps = b.supported_apps.clone().unwrap_or_default();
            let ok = !apps.is_empty()
                && apps.len() <= 5
                && apps.iter().all(|a| {
                    a.package_name.len() <= 224
                        && a.package_name.split('.').filter(|s| !s.is_empty()).count() >= 2
                        && a.signature_hash.len() == 11
                        && a.signature_hash.bytes().all(|c| {
                            c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'='
                        })
                });
            if !ok {
                out.add(Rule::AuthSupportedApps, comp, None, vec![]);
            }
            if b.autofill_text
                .as_deref()
                .is_some_and(|s| len(s) > BUTTON_TEXT_MAX)
            {
                out.add(
                    Rule::ButtonTextTooLong,
                    comp,
                    None,
                    vec![BUTTON_TEXT_MAX.to_string()],
                );
            }
            if kind == "ZERO_TAP" && b.zero_tap_terms_accepted != Some(true) {
                out.add(Rule::AuthZeroTapTerms, comp, None, vec![]);
            }
        }
        _ => out.add(
            Rule::AuthOtpButton,
            comp,
            None,
            vec![kind.chars().take(40).collect()],
        ),
    }
}
