//! The header and the footer.

use super::{body::*, links::*, rules::*};
use crate::domain::template::{model::Component, placeholders::scan};

pub(super) fn lint_header(h: &Component, named: bool, out: &mut Out) {
    let format = h
        .format
        .clone()
        .unwrap_or_else(|| "TEXT".into())
        .to_ascii_uppercase();
    match format.as_str() {
        "TEXT" => {
            let text = h.text.clone().unwrap_or_default();
            let n = len(&text);
            if n > HEADER_MAX {
                out.add(
                    Rule::HeaderTooLong,
                    "header",
                    Some((HEADER_MAX, n)),
                    vec![HEADER_MAX.to_string(), n.to_string()],
                );
            }
            let params = lint_params(&text, "header", named, out);
            if params.len() > 1 {
                out.add(
                    Rule::HeaderTooManyParams,
                    "header",
                    Some((params[1].start, params[1].end)),
                    vec![params.len().to_string()],
                );
            }
            if text.contains(['*', '_', '~', '`']) && !text.contains("{{") {
                out.add(Rule::HeaderMarkdown, "header", None, vec![]);
            }
            lint_examples(h, &params, named, "header", out);
        }
        "IMAGE" | "VIDEO" | "DOCUMENT" | "GIF" => {
            let has = h
                .example
                .as_ref()
                .and_then(|e| e.header_handle.as_ref())
                .is_some_and(|v| v.iter().any(|s| !s.trim().is_empty()));
            if !has {
                out.add(
                    Rule::HeaderSampleMissing,
                    "header",
                    None,
                    vec![format.to_ascii_lowercase()],
                );
            }
        }
        "LOCATION" => {}
        other => out.add(
            Rule::HeaderFormatUnknown,
            "header",
            None,
            vec![other.chars().take(40).collect()],
        ),
    }
}

pub(super) fn lint_footer(f: &Component, out: &mut Out) {
    let text = f.text.clone().unwrap_or_default();
    let n = len(&text);
    if n > FOOTER_MAX {
        out.add(
            Rule::FooterTooLong,
            "footer",
            Some((FOOTER_MAX, n)),
            vec![FOOTER_MAX.to_string(), n.to_string()],
        );
    }
    let s = scan(&text);
    if let Some(p) = s.placeholders.first() {
        out.add(Rule::FooterParams, "footer", Some((p.start, p.end)), vec![]);
    }
    lint_formatting(&text, "footer", out);
}
