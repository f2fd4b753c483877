//! Buttons: kinds, counts, texts, URLs, phone numbers, copy codes, one-time passwords.

use super::{links::*, rules::*};
use crate::domain::template::{model::Button, placeholders::scan};

/// The buttons: how many, of which kinds, in which order, then each one.
pub(super) fn lint_buttons(buttons: &[Button], auth: bool, ctx: &LintContext, out: &mut Out) {
    if buttons.len() > BUTTONS_MAX {
        out.add(
            Rule::ButtonsTooMany,
            "buttons",
            None,
            vec![BUTTONS_MAX.to_string(), buttons.len().to_string()],
        );
    }
    let kinds: Vec<String> = buttons
        .iter()
        .map(|b| b.kind.to_ascii_uppercase())
        .collect();
    // Quick replies must be one contiguous group (all first or all last).
    let qr: Vec<bool> = kinds.iter().map(|k| k == "QUICK_REPLY").collect();
    let groups = qr.windows(2).filter(|w| w[0] != w[1]).count();
    if qr.iter().any(|q| *q) && groups > 1 {
        out.add(
            Rule::ButtonsQuickReplyNotContiguous,
            "buttons",
            None,
            vec![],
        );
    }
    for (kind, max) in [
        ("URL", 2),
        ("PHONE_NUMBER", 1),
        ("COPY_CODE", 1),
        ("OTP", 1),
    ] {
        let n = kinds.iter().filter(|k| *k == kind).count();
        if n > max {
            out.add(
                Rule::ButtonsTooManyOfType,
                "buttons",
                None,
                vec![kind.to_ascii_lowercase(), max.to_string()],
            );
        }
    }
    for (i, b) in buttons.iter().enumerate() {
        lint_button(b, &kinds[i], &format!("buttons[{i}]"), auth, ctx, out);
    }
}

/// One button: its text, then what its kind needs (a URL, a phone number, a code).
fn lint_button(b: &Button, kind: &str, comp: &str, auth: bool, ctx: &LintContext, out: &mut Out) {
    let text = b.text.clone().unwrap_or_default();
    match kind {
        "QUICK_REPLY" | "URL" | "PHONE_NUMBER" => {
            if text.trim().is_empty() {
                out.add(Rule::ButtonTextMissing, comp, None, vec![]);
            }
        }
        "COPY_CODE" | "OTP" | "FLOW" | "MPM" | "SPM" | "CATALOG" | "VOICE_CALL" => {}
        other => out.add(
            Rule::ButtonTypeUnknown,
            comp,
            None,
            vec![other.chars().take(40).collect()],
        ),
    }
    if len(&text) > BUTTON_TEXT_MAX {
        out.add(
            Rule::ButtonTextTooLong,
            comp,
            Some((BUTTON_TEXT_MAX, len(&text))),
            vec![BUTTON_TEXT_MAX.to_string()],
        );
    }
    match kind {
        "URL" => lint_url_button(b, comp, ctx, out),
        "PHONE_NUMBER" => {
            let p = b.phone_number.clone().unwrap_or_default();
            let digits = p.trim_start_matches('+');
            if p.is_empty()
                || len(&p) > PHONE_MAX
                || digits.is_empty()
                || !digits.chars().all(|c| c.is_ascii_digit())
            {
                out.add(
                    Rule::ButtonPhoneInvalid,
                    comp,
                    None,
                    vec![PHONE_MAX.to_string()],
                );
            }
        }
        "COPY_CODE" => {
            let ex = b.example.as_ref().and_then(|e| e.first()).unwrap_or("");
            if ex.trim().is_empty() || len(ex) > COPY_CODE_MAX {
                out.add(
                    Rule::ButtonCopyCodeExample,
                    comp,
                    None,
                    vec![COPY_CODE_MAX.to_string()],
                );
            }
        }
        "OTP" if !auth => out.add(Rule::ButtonOtpOutsideAuthentication, comp, None, vec![]),
        _ => {}
    }
}

/// A URL button: its URL, at most one placeholder (at its end) with an example, its links.
fn lint_url_button(b: &Button, comp: &str, ctx: &LintContext, out: &mut Out) {
    let url = b.url.clone().unwrap_or_default();
    if url.trim().is_empty() {
        out.add(Rule::ButtonUrlMissing, comp, None, vec![]);
    }
    if len(&url) > URL_MAX {
        out.add(
            Rule::ButtonUrlTooLong,
            comp,
            None,
            vec![URL_MAX.to_string()],
        );
    }
    let s = scan(&url);
    let at_end = s
        .placeholders
        .last()
        .is_some_and(|p| p.end == len(url.trim_end()));
    if s.placeholders.len() > 1
        || (s.placeholders.len() == 1 && !at_end)
        || !s.unbalanced.is_empty()
    {
        out.add(Rule::ButtonUrlParams, comp, None, vec![]);
    }
    if !s.placeholders.is_empty()
        && b.example
            .as_ref()
            .and_then(|e| e.first())
            .is_none_or(|e| e.trim().is_empty())
    {
        out.add(Rule::ButtonUrlExampleMissing, comp, None, vec![]);
    }
    lint_links(&url, comp, ctx, out);
}
