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

use super::{
    language,
    model::{Button, Component, CreateTemplate},
    name::TemplateName,
    placeholders::{scan, strip, Kind, Placeholder},
};
use phrases::Section;
use script::Script;
use serde::{Deserialize, Serialize};

mod phrases;
mod script;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $sev:ident;)*) => {
        /// Every rule, with its stable id.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }
            /// The rule with this id.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev),* }
            }
        }
    };
}

rules! {
    NameInvalid = "name.invalid", Error;
    LanguageUnknown = "language.unknown", Error;
    CategoryUnknown = "category.unknown", Error;
    ParameterFormatUnknown = "parameter_format.unknown", Error;
    ComponentUnknown = "component.unknown", Error;
    ComponentDuplicate = "component.duplicate", Error;
    BodyMissing = "body.missing", Error;
    BodyTooLong = "body.too_long", Error;
    HeaderFormatUnknown = "header.format_unknown", Error;
    HeaderTooLong = "header.too_long", Error;
    HeaderTooManyParams = "header.too_many_params", Error;
    HeaderMarkdown = "header.markdown", Warning;
    HeaderSampleMissing = "header.sample_missing", Error;
    HeaderLocationNotAllowed = "header.location_not_allowed", Error;
    FooterTooLong = "footer.too_long", Error;
    FooterParams = "footer.params", Error;
    ButtonsTooMany = "buttons.too_many", Error;
    ButtonsQuickReplyNotContiguous = "buttons.quick_reply_not_contiguous", Error;
    ButtonsTooManyOfType = "buttons.too_many_of_type", Error;
    ButtonTypeUnknown = "button.type_unknown", Error;
    ButtonTextMissing = "button.text_missing", Error;
    ButtonTextTooLong = "button.text_too_long", Error;
    ButtonUrlMissing = "button.url_missing", Error;
    ButtonUrlTooLong = "button.url_too_long", Error;
    ButtonUrlParams = "button.url_params", Error;
    ButtonUrlExampleMissing = "button.url_example_missing", Error;
    ButtonPhoneInvalid = "button.phone_invalid", Error;
    ButtonCopyCodeExample = "button.copy_code_example", Error;
    ButtonOtpOutsideAuthentication = "button.otp_outside_authentication", Error;
    ParamBraces = "param.braces", Error;
    ParamInvalid = "param.invalid", Error;
    ParamWrongFormat = "param.wrong_format", Error;
    ParamNotSequential = "param.not_sequential", Error;
    ParamAtStart = "param.at_start", Error;
    ParamAtEnd = "param.at_end", Error;
    ParamAdjacent = "param.adjacent", Error;
    ParamTooDense = "param.too_dense", Error;
    ExampleMissing = "example.missing", Error;
    ExampleFormatting = "example.formatting", Error;
    LinkShortener = "link.shortener", Error;
    LinkDomainUnverified = "link.domain_unverified", Warning;
    LanguageMismatch = "language.mismatch", Warning;
    LanguageMixed = "language.mixed", Warning;
    DuplicateContent = "content.duplicate", Error;
    SensitiveIdentifier = "content.sensitive_identifier", Error;
    CategoryLikelyMarketing = "category.likely_marketing", Warning;
    FormattingUnbalanced = "format.unbalanced", Warning;
    FormattingSpaces = "format.spaces", Warning;
    AuthCustomText = "auth.custom_text", Error;
    AuthCodeExpiration = "auth.code_expiration", Error;
    AuthOtpButton = "auth.otp_button", Error;
    AuthSupportedApps = "auth.supported_apps", Error;
    AuthZeroTapTerms = "auth.zero_tap_terms", Error;
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// `template`, `header`, `body`, `footer` or `buttons[i]`.
    pub component: String,
    /// Character span in that component's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    /// Values for the message (a limit, a domain, a language…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

/// What the lint needs to know beyond the template itself.
#[derive(Clone, Debug, Default)]
pub struct LintContext {
    /// Domains the tenant declared and staff verified (lower case, without `www.`).
    pub verified_domains: Vec<String>,
    /// (body, footer) of the account's other templates, for the duplicate check.
    pub other_templates: Vec<(String, String)>,
}

pub const BODY_MAX: usize = 1024;
pub const HEADER_MAX: usize = 60;
pub const FOOTER_MAX: usize = 60;
pub const BUTTONS_MAX: usize = 10;
pub const BUTTON_TEXT_MAX: usize = 25;
pub const URL_MAX: usize = 2000;
pub const PHONE_MAX: usize = 20;
pub const COPY_CODE_MAX: usize = 15;

/// URL shorteners that hide a link's destination (https://developers.facebook.com/docs/whatsapp/message-templates/guidelines).
pub const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "goo.gl",
    "t.co",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "t.ly",
    "rb.gy",
    "tiny.cc",
    "bl.ink",
    "s.id",
    "v.gd",
    "lnkd.in",
    "shorte.st",
    "adf.ly",
    "qr.ae",
    "soo.gd",
    "clck.ru",
];

struct Out(Vec<Finding>);

impl Out {
    fn add(
        &mut self,
        rule: Rule,
        component: &str,
        span: Option<(usize, usize)>,
        args: Vec<String>,
    ) {
        self.0.push(Finding {
            rule: rule.id(),
            severity: rule.severity(),
            component: component.to_owned(),
            span,
            args,
        });
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// Runs every rule on `t`.
pub fn lint(t: &CreateTemplate, ctx: &LintContext) -> Vec<Finding> {
    let mut out = Out(Vec::new());
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
    let auth = category == "AUTHENTICATION";
    let named = match t
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
    };

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

/// Parameter checks shared by text components; returns the placeholders found.
fn lint_params(text: &str, component: &str, named: bool, out: &mut Out) -> Vec<Placeholder> {
    let s = scan(text);
    for span in &s.unbalanced {
        out.add(Rule::ParamBraces, component, Some(*span), vec![]);
    }
    let mut positions = Vec::new();
    for p in &s.placeholders {
        match p.kind() {
            Kind::Invalid => out.add(
                Rule::ParamInvalid,
                component,
                Some((p.start, p.end)),
                vec![p.inner.chars().take(40).collect()],
            ),
            Kind::Positional(n) if named => {
                out.add(
                    Rule::ParamWrongFormat,
                    component,
                    Some((p.start, p.end)),
                    vec!["named".into()],
                );
                let _ = n;
            }
            Kind::Named(_) if !named => out.add(
                Rule::ParamWrongFormat,
                component,
                Some((p.start, p.end)),
                vec!["positional".into()],
            ),
            Kind::Positional(n) => positions.push((n, p)),
            Kind::Named(_) => {}
        }
    }
    // Positional parameters are numbered 1, 2, 3… in order of appearance.
    for (i, (n, p)) in positions.iter().enumerate() {
        let expected = i as u32 + 1;
        if *n != expected {
            out.add(
                Rule::ParamNotSequential,
                component,
                Some((p.start, p.end)),
                vec![expected.to_string()],
            );
            break;
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for w in s.placeholders.windows(2) {
        let between: String = chars
            .get(w[0].end..w[1].start)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        if between.trim().is_empty() {
            out.add(
                Rule::ParamAdjacent,
                component,
                Some((w[0].start, w[1].end)),
                vec![],
            );
        }
    }
    s.placeholders
}

fn lint_body(
    b: &Component,
    named: bool,
    category: &str,
    ctx: &LintContext,
    lang: Option<&str>,
    out: &mut Out,
) {
    let text = b.text.clone().unwrap_or_default();
    if text.trim().is_empty() {
        out.add(Rule::BodyMissing, "body", None, vec![]);
        return;
    }
    let n = len(&text);
    if n > BODY_MAX {
        out.add(
            Rule::BodyTooLong,
            "body",
            Some((BODY_MAX, n)),
            vec![BODY_MAX.to_string(), n.to_string()],
        );
    }
    let params = lint_params(&text, "body", named, out);
    let trimmed_start = text.chars().take_while(|c| c.is_whitespace()).count();
    let trimmed_end = n - text.chars().rev().take_while(|c| c.is_whitespace()).count();
    if let Some(first) = params.first().filter(|p| p.start == trimmed_start) {
        out.add(
            Rule::ParamAtStart,
            "body",
            Some((first.start, first.end)),
            vec![],
        );
    }
    if let Some(last) = params.last().filter(|p| p.end == trimmed_end) {
        out.add(
            Rule::ParamAtEnd,
            "body",
            Some((last.start, last.end)),
            vec![],
        );
    }
    // No published ratio (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components): fewer than two words of text per parameter is too dense.
    // Words are counted so that scripts written without spaces (Chinese, Japanese, Thai, Lao)
    // are measured too: see `script::words`.
    let words = script::word_count(&blank_placeholders(&text));
    if !params.is_empty() && words < 2 * params.len() {
        out.add(
            Rule::ParamTooDense,
            "body",
            None,
            vec![params.len().to_string(), words.to_string()],
        );
    }
    lint_examples(b, &params, named, "body", out);
    lint_links(&text, "body", ctx, out);
    lint_formatting(&text, "body", out);
    let folded = phrases::fold(&text);
    if let Some((span, phrase)) = sensitive(&folded) {
        out.add(Rule::SensitiveIdentifier, "body", Some(span), vec![phrase]);
    }
    if category == "UTILITY" {
        if let Some(p) = phrases::all(Section::Marketing).find(|p| {
            phrases::word_positions(&folded.text, &p.folded)
                .next()
                .is_some()
        }) {
            out.add(
                Rule::CategoryLikelyMarketing,
                "body",
                None,
                vec![p.text.clone()],
            );
        }
    }
    if let Some(code) = lang {
        lint_language(&text, code, out);
    }
}

/// The text with every placeholder replaced by spaces (a placeholder separates words).
fn blank_placeholders(text: &str) -> String {
    let s = scan(text);
    let mut next = s.placeholders.iter().peekable();
    text.chars()
        .enumerate()
        .map(|(i, ch)| {
            while next.peek().is_some_and(|p| i >= p.end) {
                next.next();
            }
            if next.peek().is_some_and(|p| i >= p.start) {
                ' '
            } else {
                ch
            }
        })
        .collect()
}

/// The first request for a sensitive identifier, with its span and the phrase that matched.
///
/// The platform refuses templates that request sensitive identifiers from people, e.g. full
/// payment card numbers, financial account numbers or national identification numbers
/// (https://www.facebook.com/business/help/2055875911147364, and the WhatsApp Business
/// Messaging Policy, https://business.whatsapp.com/policy). Card, account and identity
/// *numbers* are flagged wherever they are named; documents, passwords, PINs and one-time
/// codes only when an `[ask]` phrase comes shortly before them in the same sentence, since
/// sending a code or saying "bring your passport" is fine. A sentence that warns ("never share
/// your PIN") or names only part of a number ("card ending in 1234") is not a request.
fn sensitive(folded: &phrases::Folded) -> Option<((usize, usize), String)> {
    use phrases::{all, word_positions};
    let text = folded.text.as_str();
    for (s0, s1) in phrases::sentence_ranges(text) {
        let sentence = &text[s0..s1];
        let asks: Vec<usize> = all(Section::Ask)
            .flat_map(|p| word_positions(sentence, &p.folded).map(move |at| at + p.folded.len()))
            .collect();
        let asked = |at: usize| {
            asks.iter().any(|&end| {
                end <= at
                    && sentence
                        .get(end..at)
                        .is_some_and(|gap| gap.matches(' ').count() <= phrases::ASK_WINDOW)
            })
        };
        let mut found: Vec<(usize, &phrases::Phrase)> = Vec::new();
        for section in [Section::Card, Section::BankAccount, Section::IdNumber] {
            for p in all(section) {
                found.extend(word_positions(sentence, &p.folded).map(|at| (at, p)));
            }
        }
        for section in [Section::IdDocument, Section::Secret] {
            for p in all(section) {
                found.extend(
                    word_positions(sentence, &p.folded)
                        .filter(|&at| asked(at))
                        .map(|at| (at, p)),
                );
            }
        }
        // A warning or a partial number makes the sentence no request, unless the word is part
        // of a phrase found ("número de NIE" does not contain the German "nie", never).
        let inside = |at: usize, n: usize| {
            found
                .iter()
                .any(|(f, p)| at < f + p.folded.len() && *f < at + n)
        };
        if all(Section::NotARequest)
            .chain(all(Section::Partial))
            .any(|c| word_positions(sentence, &c.folded).any(|at| !inside(at, c.folded.len())))
        {
            continue;
        }
        // The first phrase, the longest of those starting there.
        if let Some((at, p)) = found
            .iter()
            .min_by_key(|(at, p)| (*at, std::cmp::Reverse(p.folded.len())))
        {
            return Some((
                folded.span(s0 + at, s0 + at + p.folded.len()),
                p.text.clone(),
            ));
        }
    }
    None
}

fn lint_examples(
    c: &Component,
    params: &[Placeholder],
    named: bool,
    component: &str,
    out: &mut Out,
) {
    if params.is_empty() {
        return;
    }
    let ex = c.example.clone().unwrap_or_default();
    let values: Vec<(String, String)> = if named {
        let list = if component == "header" {
            ex.header_text_named_params
        } else {
            ex.body_text_named_params
        };
        list.unwrap_or_default()
            .into_iter()
            .map(|e| (e.param_name, e.example))
            .collect()
    } else {
        let list = if component == "header" {
            ex.header_text.unwrap_or_default()
        } else {
            ex.body_text
                .unwrap_or_default()
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        list.into_iter()
            .enumerate()
            .map(|(i, v)| ((i + 1).to_string(), v))
            .collect()
    };
    for p in params {
        let key = p.inner.as_str();
        match values.iter().find(|(k, _)| k == key) {
            None => out.add(
                Rule::ExampleMissing,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some((_, v)) if v.trim().is_empty() => out.add(
                Rule::ExampleMissing,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some((_, v)) if v.contains(['\n', '\t']) || v.contains("     ") => out.add(
                Rule::ExampleFormatting,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some(_) => {}
        }
    }
}

fn lint_header(h: &Component, named: bool, out: &mut Out) {
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

fn lint_footer(f: &Component, out: &mut Out) {
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

fn lint_buttons(buttons: &[Button], auth: bool, ctx: &LintContext, out: &mut Out) {
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
        let comp = format!("buttons[{i}]");
        let kind = kinds[i].as_str();
        let text = b.text.clone().unwrap_or_default();
        match kind {
            "QUICK_REPLY" | "URL" | "PHONE_NUMBER" => {
                if text.trim().is_empty() {
                    out.add(Rule::ButtonTextMissing, &comp, None, vec![]);
                }
            }
            "COPY_CODE" | "OTP" | "FLOW" | "MPM" | "SPM" | "CATALOG" | "VOICE_CALL" => {}
            other => out.add(
                Rule::ButtonTypeUnknown,
                &comp,
                None,
                vec![other.chars().take(40).collect()],
            ),
        }
        if len(&text) > BUTTON_TEXT_MAX {
            out.add(
                Rule::ButtonTextTooLong,
                &comp,
                Some((BUTTON_TEXT_MAX, len(&text))),
                vec![BUTTON_TEXT_MAX.to_string()],
            );
        }
        match kind {
            "URL" => {
                let url = b.url.clone().unwrap_or_default();
                if url.trim().is_empty() {
                    out.add(Rule::ButtonUrlMissing, &comp, None, vec![]);
                }
                if len(&url) > URL_MAX {
                    out.add(
                        Rule::ButtonUrlTooLong,
                        &comp,
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
                    out.add(Rule::ButtonUrlParams, &comp, None, vec![]);
                }
                if !s.placeholders.is_empty()
                    && b.example
                        .as_ref()
                        .and_then(|e| e.first())
                        .is_none_or(|e| e.trim().is_empty())
                {
                    out.add(Rule::ButtonUrlExampleMissing, &comp, None, vec![]);
                }
                lint_links(&url, &comp, ctx, out);
            }
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
                        &comp,
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
                        &comp,
                        None,
                        vec![COPY_CODE_MAX.to_string()],
                    );
                }
            }
            "OTP" if !auth => out.add(Rule::ButtonOtpOutsideAuthentication, &comp, None, vec![]),
            _ => {}
        }
    }
}

fn lint_authentication(t: &CreateTemplate, out: &mut Out) {
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
        let comp = format!("buttons[{i}]");
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
                    out.add(Rule::AuthSupportedApps, &comp, None, vec![]);
                }
                if b.autofill_text
                    .as_deref()
                    .is_some_and(|s| len(s) > BUTTON_TEXT_MAX)
                {
                    out.add(
                        Rule::ButtonTextTooLong,
                        &comp,
                        None,
                        vec![BUTTON_TEXT_MAX.to_string()],
                    );
                }
                if kind == "ZERO_TAP" && b.zero_tap_terms_accepted != Some(true) {
                    out.add(Rule::AuthZeroTapTerms, &comp, None, vec![]);
                }
            }
            _ => out.add(
                Rule::AuthOtpButton,
                &comp,
                None,
                vec![kind.chars().take(40).collect()],
            ),
        }
    }
}

/// Hosts of the links in `text`, with character spans.
fn links(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let lower: String = text.to_lowercase();
    let lower_chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < lower_chars.len() {
        let rest: String = lower_chars[i..].iter().take(8).collect();
        let skip = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else if rest.starts_with("www.") {
            0
        } else {
            usize::MAX
        };
        let at_word_start = i == 0 || !lower_chars[i - 1].is_alphanumeric();
        if skip != usize::MAX && at_word_start {
            let start = i;
            let mut j = i + skip;
            while j < chars.len()
                && !chars[j].is_whitespace()
                && !matches!(chars[j], '"' | '<' | '>' | ')' | ']')
            {
                j += 1;
            }
            let url: String = lower_chars[start + skip..j].iter().collect();
            let host = url
                .split(['/', '?', '#', ':'])
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .trim_start_matches("www.")
                .to_owned();
            if !host.is_empty() {
                out.push((host, start, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn lint_links(text: &str, component: &str, ctx: &LintContext, out: &mut Out) {
    for (host, start, end) in links(text) {
        if SHORTENERS.iter().any(|s| host == *s) {
            out.add(
                Rule::LinkShortener,
                component,
                Some((start, end)),
                vec![host],
            );
        } else if !host.contains("{{")
            && !ctx
                .verified_domains
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        {
            out.add(
                Rule::LinkDomainUnverified,
                component,
                Some((start, end)),
                vec![host],
            );
        }
    }
}

fn lint_formatting(text: &str, component: &str, out: &mut Out) {
    let mono = text.matches("```").count();
    if mono % 2 == 1 {
        out.add(
            Rule::FormattingUnbalanced,
            component,
            None,
            vec!["```".into()],
        );
    }
    let without_mono = text.replace("```", "");
    for mark in ['*', '_', '~'] {
        // Underscores inside words (snake_case, URLs) are not formatting.
        let n = without_mono
            .char_indices()
            .filter(|(i, c)| {
                *c == mark && {
                    let before = without_mono[..*i].chars().next_back();
                    let after = without_mono[i + c.len_utf8()..].chars().next();
                    !(mark == '_'
                        && before.is_some_and(char::is_alphanumeric)
                        && after.is_some_and(char::is_alphanumeric))
                }
            })
            .count();
        if n % 2 == 1 {
            out.add(
                Rule::FormattingUnbalanced,
                component,
                None,
                vec![mark.to_string()],
            );
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut run = 0;
    for (i, c) in chars.iter().enumerate() {
        run = if *c == ' ' { run + 1 } else { 0 };
        if run == 5 {
            out.add(
                Rule::FormattingSpaces,
                component,
                Some((i + 1 - run, i + 1)),
                vec![],
            );
        }
    }
}

/// whatlang's code for a template language, where whatlang knows it.
fn whatlang_code(code: &str) -> Option<&'static str> {
    let map: &[(&str, &str)] = &[
        ("af", "afr"),
        ("ar", "ara"),
        ("az", "aze"),
        ("be", "bel"),
        ("bn", "ben"),
        ("bg", "bul"),
        ("ca", "cat"),
        ("zh", "cmn"),
        ("hr", "hrv"),
        ("cs", "ces"),
        ("da", "dan"),
        ("nl", "nld"),
        ("en", "eng"),
        ("et", "est"),
        ("fil", "tgl"),
        ("fi", "fin"),
        ("fr", "fra"),
        ("ka", "kat"),
        ("de", "deu"),
        ("el", "ell"),
        ("gu", "guj"),
        ("he", "heb"),
        ("hi", "hin"),
        ("hu", "hun"),
        ("id", "ind"),
        ("it", "ita"),
        ("ja", "jpn"),
        ("kn", "kan"),
        ("ko", "kor"),
        ("lv", "lav"),
        ("lt", "lit"),
        ("mk", "mkd"),
        ("ml", "mal"),
        ("mr", "mar"),
        ("nb", "nob"),
        ("fa", "pes"),
        ("pl", "pol"),
        ("pt", "por"),
        ("pa", "pan"),
        ("ro", "ron"),
        ("ru", "rus"),
        ("sr", "srp"),
        ("si", "sin"),
        ("sk", "slk"),
        ("sl", "slv"),
        ("es", "spa"),
        ("sv", "swe"),
        ("ta", "tam"),
        ("te", "tel"),
        ("th", "tha"),
        ("tr", "tur"),
        ("uk", "ukr"),
        ("ur", "urd"),
        ("uz", "uzb"),
        ("vi", "vie"),
        ("zu", "zul"),
    ];
    let base = language::base(code);
    map.iter().find(|(b, _)| *b == base).map(|(_, w)| *w)
}

/// What one piece of text says about the template's language.
enum Said {
    /// It is in the template's language.
    Expected,
    /// It is in another language (its English name).
    Foreign(String),
    /// Latin-script text that neither the common words nor a reliable detection place.
    Unsure,
}

/// `language.mixed` and `language.mismatch`. The platform rejects templates whose content is
/// not in the selected language, including mixed content such as a sentence in another
/// language after one in the selected language ("Hinglish"):
/// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/
/// and https://www.facebook.com/business/help/2055875911147364. So every sentence is placed on
/// its own (sentences end with `. ! ?`, line breaks, the Devanagari danda, `。！？`, `؟`, `۔`),
/// after placeholders and links are blanked:
/// - a run of at least 3 words in a script the language does not use (Latin words in a Hindi,
///   Arabic or Japanese template, Devanagari in an English one) is another language when it
///   outweighs the rest of the sentence three to one or reads as a sentence (two common words of
///   a language of the phrase files): strong evidence even when short, while a brand name or a
///   short word ("OK", "WhatsApp") inside a sentence is not;
/// - Latin-script text in a Latin-script language is placed by the common words of the phrase
///   files (a foreign language needs 2 of its common words and more than twice as many as the
///   template's language has), since detectors are unreliable on short sentences; sentences
///   the words do not place count only when they have 6 words or more and whatlang is
///   reliable, as before.
///
/// Mixed means two languages among the sentences; whole text in another language is
/// `language.mismatch` (detected on the whole text, as before), reported only when the text is
/// not mixed so that a mismatch never hides a mix.
fn lint_language(text: &str, code: &str, out: &mut Out) {
    let base = language::base(code);
    let expected = whatlang_code(code).and_then(whatlang::Lang::from_code);
    let expected_name = expected
        .map(|l| l.eng_name().to_owned())
        .or_else(|| language::name(code).map(str::to_owned))
        .unwrap_or_else(|| code.to_owned());
    let clean = without_links(&blank_placeholders(text));
    let mut names: Vec<String> = Vec::new();
    let mut foreign = false;
    let mut expected_seen = false;
    let mut unsure = String::new();
    for sentence in clean.split(script::SENTENCE_ENDS) {
        for said in sentence_languages(sentence, base, expected) {
            let name = match said {
                Said::Expected => {
                    expected_seen = true;
                    expected_name.clone()
                }
                Said::Foreign(name) => {
                    foreign = true;
                    name
                }
                Said::Unsure => {
                    unsure.push_str(sentence);
                    unsure.push('\n');
                    continue;
                }
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    // Sentences too short to place one by one may still be in the template's language together.
    if foreign
        && !expected_seen
        && !unsure.is_empty()
        && matches!(
            latin_language(&unsure.replace('\n', " "), base, expected),
            Said::Expected
        )
        && !names.contains(&expected_name)
    {
        names.insert(0, expected_name);
    }
    if foreign && names.len() > 1 {
        out.add(Rule::LanguageMixed, "body", None, names);
        return;
    }
    let Some(expected) = expected else { return };
    let text = strip(text);
    // Only long enough, reliable detections count: short texts fool every detector.
    if text.split_whitespace().count() >= 6 {
        if let Some(info) = whatlang::detect(&text).filter(|i| i.is_reliable()) {
            if info.lang() != expected {
                out.add(
                    Rule::LanguageMismatch,
                    "body",
                    None,
                    vec![info.lang().eng_name().to_owned()],
                );
            }
        }
    }
}

/// The languages of one sentence: usually one, two when a run of words in another script
/// sits in a sentence of the template's language, none without letters.
fn sentence_languages(sentence: &str, base: &str, expected: Option<whatlang::Lang>) -> Vec<Said> {
    let scripts = script::scripts_of_language(base);
    // Each whitespace-separated token with its main script and its size in words.
    let tokens: Vec<(&str, Option<Script>, usize)> = sentence
        .split_whitespace()
        .map(|t| {
            let words = script::words(t);
            let main = words.iter().filter(|(s, _)| *s != Script::Common).fold(
                None,
                |best: Option<(Script, usize)>, &(s, n)| {
                    if best.is_none_or(|(_, m)| n > m) {
                        Some((s, n))
                    } else {
                        best
                    }
                },
            );
            (t, main.map(|(s, _)| s), words.iter().map(|(_, n)| n).sum())
        })
        .collect();
    let in_expected: usize = tokens
        .iter()
        .filter(|(_, s, _)| s.is_some_and(|s| scripts.contains(&s)))
        .map(|(_, _, n)| n)
        .sum();
    // Runs of consecutive words in one script the language does not use (digits do not break
    // a run).
    let mut runs: Vec<(Script, usize, String)> = Vec::new();
    let mut current: Option<(Script, usize, String)> = None;
    for (t, s, n) in &tokens {
        match s {
            Some(s) if !scripts.contains(s) => match &mut current {
                Some((cs, cn, text)) if cs == s => {
                    *cn += n;
                    text.push(' ');
                    text.push_str(t);
                }
                _ => runs.extend(current.replace((*s, *n, (*t).to_owned()))),
            },
            Some(_) => runs.extend(current.take()),
            None => {
                if let Some((_, _, text)) = &mut current {
                    text.push(' ');
                    text.push_str(t);
                }
            }
        }
    }
    runs.extend(current);
    let mut said: Vec<Said> = runs
        .into_iter()
        .filter(|(_, n, text)| {
            *n >= 3
                && (*n > 3 * in_expected
                    || common_word_language(text, "").is_some_and(|(_, hits)| hits >= 2))
        })
        .map(|(s, _, text): (Script, usize, String)| Said::Foreign(script_language_name(&text, s)))
        .collect();
    if in_expected == 0 {
        return said;
    }
    // Serbian, Kazakh and Uzbek sentences may be in Cyrillic or in Latin script.
    let latin: usize = tokens
        .iter()
        .filter(|(_, s, _)| *s == Some(Script::Latin))
        .map(|(_, _, n)| n)
        .sum();
    if scripts.contains(&Script::Latin) && 2 * latin >= in_expected {
        said.push(latin_language(sentence, base, expected));
    } else {
        said.push(Said::Expected);
    }
    said
}

/// The language of Latin-script text in a template whose language is written in Latin script.
fn latin_language(text: &str, base: &str, expected: Option<whatlang::Lang>) -> Said {
    let own = common_words(text, base);
    let listed = phrases::tables().iter().any(|t| t.lang == base);
    if let Some((lang, _)) =
        common_word_language(text, base).filter(|(_, hits)| *hits >= 2 && *hits > 2 * own)
    {
        let other = whatlang_code(lang).and_then(whatlang::Lang::from_code);
        // For a language without a word list, whatlang confirms between the two candidates.
        let confirmed = listed
            || match (expected, other) {
                (Some(e), Some(o)) => {
                    whatlang::Detector::with_allowlist(vec![e, o]).detect_lang(text) == Some(o)
                }
                _ => true,
            };
        if confirmed {
            return Said::Foreign(other.map_or(lang, |o| o.eng_name()).to_owned());
        }
    }
    if own > 0 {
        return Said::Expected;
    }
    // Without common words, only a long sentence and a reliable detection say anything.
    let Some(expected) = expected.filter(|e| whatlang::Script::Latin.langs().contains(e)) else {
        return Said::Unsure;
    };
    if text.split_whitespace().count() >= 6 {
        if let Some(info) = whatlang::detect(text)
            .filter(|i| i.is_reliable() && i.script() == whatlang::Script::Latin)
        {
            return if info.lang() == expected {
                Said::Expected
            } else {
                Said::Foreign(info.lang().eng_name().to_owned())
            };
        }
    }
    Said::Unsure
}

/// How many of `text`'s words are among the common words of the phrase file of `lang`.
fn common_words(text: &str, lang: &str) -> usize {
    let Some(table) = phrases::tables().iter().find(|t| t.lang == lang) else {
        return 0;
    };
    let list = table.get(Section::CommonWords);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| list.iter().any(|p| p.text == *w))
        .count()
}

/// The phrase-file language other than `except` with the most common words in `text`, if any.
fn common_word_language(text: &str, except: &str) -> Option<(&'static str, usize)> {
    phrases::tables()
        .iter()
        .filter(|t| t.lang != except)
        .map(|t| (t.lang, common_words(text, t.lang)))
        .filter(|(_, n)| *n > 0)
        .fold(None, |best, (l, n)| {
            if best.is_none_or(|(_, m)| n > m) {
                Some((l, n))
            } else {
                best
            }
        })
}

/// A name for text in another script: its language when the common words or a reliable
/// detection tell, else the script ("Latin script").
fn script_language_name(text: &str, s: Script) -> String {
    if s == Script::Latin {
        if let Some((lang, _)) = common_word_language(text, "").filter(|(_, hits)| *hits >= 2) {
            return whatlang_code(lang)
                .and_then(whatlang::Lang::from_code)
                .map_or(lang, |l| l.eng_name())
                .to_owned();
        }
    }
    match whatlang::detect(text).filter(|i| i.is_reliable()) {
        Some(info) => info.lang().eng_name().to_owned(),
        None => format!("{} script", s.name()),
    }
}

/// The text with links, e-mail addresses and domain names blanked (they are in no language).
fn without_links(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|piece| {
            let word = piece.trim_end();
            let core = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"']);
            let lower = core.to_lowercase();
            let domain = core.rsplit_once('.').is_some_and(|(head, tld)| {
                head.chars().next_back().is_some_and(char::is_alphanumeric)
                    && (2..=6).contains(&tld.len())
                    && tld.chars().all(|c| c.is_ascii_lowercase())
            });
            if lower.contains("://")
                || lower.starts_with("www.")
                || core.contains(['@', '/'])
                || domain
            {
                let blank: String = core.chars().map(|_| ' ').collect();
                format!("{blank}{}", &piece[core.len()..])
            } else {
                piece.to_owned()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
