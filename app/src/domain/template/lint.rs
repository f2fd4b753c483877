//! The automatic pre-check of a template (https://developers.facebook.com/docs/whatsapp/message-templates/guidelines). A pure function that never
//! panics: every problem becomes a finding with a stable rule id, a severity (errors block
//! submission, warnings go to the reviewer), the component, a character span where there is
//! one, and arguments for the message (texts are in `i18n::lint_text`).
//!
//! The words the content rules look for (`content.sensitive_identifier`,
//! `category.likely_marketing`) and the common words `language.mixed` tells languages apart
//! with are not in this code: they are plain-text files, one per language, in
//! `app/src/domain/template/lint/phrases/` (`en.txt`, `fr.txt`, `es.txt`, `pt.txt`, `de.txt`).
//! Each file explains its format at the top: `[section]` headers, one lower-case phrase per
//! line, `#` comments. To extend a list, add lines to the file; to add a language, copy a file
//! with every section and add it to `phrases::FILES`. `cargo test -p app --lib phrase` checks
//! that every file parses and has every section.

use super::{language, model::CreateTemplate, name::TemplateName};
use auth::lint_authentication;
use body::lint_body;
use buttons::lint_buttons;
use parts::{lint_footer, lint_header};
use rules::Out;

mod auth;
mod body;
mod buttons;
mod languages;
mod links;
mod parts;
mod phrases;
mod rules;
mod script;

pub use rules::{
    Finding, LintContext, Rule, Severity, BODY_MAX, BUTTONS_MAX, BUTTON_TEXT_MAX, COPY_CODE_MAX,
    FOOTER_MAX, HEADER_MAX, PHONE_MAX, SHORTENERS, URL_MAX,
};

/// Runs every rule on `t`.
pub fn lint(t: &CreateTemplate, ctx: &LintContext) -> Vec<Finding> {
    let mut out = Out(Vec::new());
    let (lang, category) = lint_identity(t, &mut out);
    let auth = category == "AUTHENTICATION";
    let named = parameter_format(t, &mut out);
    lint_component_kinds(t, &mut out);
    if auth {
        lint_authentication(t, &mut out);
    } else {
        match t.body() {
            Some(b) => lint_body(b, named, &category, ctx, lang, &mut out),
            None => out.add(Rule::BodyMissing, "body", None, vec![]),
        }
        if let Some((_, h)) = t.components_of("HEADER").next() {
            lint_header(h, named, &mut out);
        }
        if let Some(f) = t.footer() {
            lint_footer(f, &mut out);
        }
        if let Some(b) = t.body() {
            let body = b.text.clone().unwrap_or_default();
            let footer = t.footer().and_then(|f| f.text.clone()).unwrap_or_default();
            if !body.trim().is_empty()
                && ctx
                    .other_templates
                    .iter()
                    .any(|(ob, of)| ob.trim() == body.trim() && of.trim() == footer.trim())
            {
                out.add(Rule::DuplicateContent, "body", None, vec![]);
            }
        }
    }
    if let Some((_, b)) = t.components_of("BUTTONS").next() {
        lint_buttons(b.buttons.as_deref().unwrap_or(&[]), auth, ctx, &mut out);
    }
    out.0
}

/// The template's name, language and category; returns the language (normalised) and the
/// category (upper case).
fn lint_identity(t: &CreateTemplate, out: &mut Out) -> (Option<&'static str>, String) {
    if TemplateName::parse(&t.name).is_err() {
        out.add(
            Rule::NameInvalid,
            "template",
            None,
            vec![t.name.chars().take(80).collect()],
        );
    }
    let lang = language::normalise(&t.language);
    if lang.is_none() {
        out.add(
            Rule::LanguageUnknown,
            "template",
            None,
            vec![t.language.chars().take(20).collect()],
        );
    }
    let category = t.category.to_ascii_uppercase();
    if !matches!(
        category.as_str(),
        "MARKETING" | "UTILITY" | "AUTHENTICATION"
    ) {
        out.add(
            Rule::CategoryUnknown,
            "template",
            None,
            vec![t.category.chars().take(40).collect()],
        );
    }
    (lang, category)
}

/// Whether placeholders are named (`{{first_name}}`) or positional (`{{1}}`).
fn parameter_format(t: &CreateTemplate, out: &mut Out) -> bool {
    match t
        .parameter_format
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("positional") => false,
        Some("named") => true,
        Some(other) => {
            out.add(
                Rule::ParameterFormatUnknown,
                "template",
                None,
                vec![other.chars().take(40).collect()],
            );
            false
        }
    }
}

/// Each component kind at most once, and only the kinds the platform knows.
fn lint_component_kinds(t: &CreateTemplate, out: &mut Out) {
    for kind in ["HEADER", "BODY", "FOOTER", "BUTTONS"] {
        if t.components_of(kind).count() > 1 {
            out.add(
                Rule::ComponentDuplicate,
                &kind.to_ascii_lowercase(),
                None,
                vec![],
            );
        }
    }
    for c in &t.components {
        if !["HEADER", "BODY", "FOOTER", "BUTTONS"]
            .iter()
            .any(|k| c.kind.eq_ignore_ascii_case(k))
        {
            out.add(
                Rule::ComponentUnknown,
                "template",
                None,
                vec![c.kind.chars().take(40).collect()],
            );
        }
    }
}

#[cfg(test)]
mod tests;
