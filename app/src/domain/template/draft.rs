//! The builder's form: what a tenant types, parsed into a create-template JSON.

use super::{
    language,
    model::{Button, ButtonExample, Component, CreateTemplate, Example, SupportedApp},
    name::TemplateName,
};
use crate::domain::validation::{FieldCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// Categories the builder offers.
pub const CATEGORIES: [&str; 3] = ["UTILITY", "MARKETING", "AUTHENTICATION"];

/// Header kinds the builder offers (empty: no header).
pub const HEADER_FORMATS: [&str; 6] = ["", "TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];

/// Button types the builder offers (authentication templates get their OTP button instead).
pub const BUTTON_KINDS: [&str; 4] = ["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE"];

/// One-time-password button kinds (https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates).
pub const OTP_TYPES: [&str; 3] = ["COPY_CODE", "ONE_TAP", "ZERO_TAP"];

/// Rows of buttons the builder shows (the platform's limit).
pub const MAX_BUTTON_ROWS: usize = 10;

/// The most a draft keeps of each field, in characters: the platform's limit with room to
/// spare, so an over-long text is still saved and shown with its pre-check finding while
/// nothing unbounded is stored. The builder's `maxlength` attributes use the same numbers.
/// Limits: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
pub mod stored_max {
    use super::super::lint::{BODY_MAX, BUTTON_TEXT_MAX, FOOTER_MAX, HEADER_MAX, URL_MAX};
    pub const HEADER: usize = HEADER_MAX * 2;
    pub const BODY: usize = BODY_MAX * 2;
    pub const FOOTER: usize = FOOTER_MAX * 2;
    /// All the body's example values together (one per line).
    pub const EXAMPLES: usize = 4096;
    pub const HEADER_EXAMPLE: usize = HEADER_MAX * 2;
    /// A header sample (URL or upload handle), a button's URL or number and its sample.
    pub const LINK: usize = URL_MAX * 2;
    pub const BUTTON_TEXT: usize = BUTTON_TEXT_MAX * 2;
    /// Kinds, the OTP expiry, autofill text, app package name and signature hash.
    pub const SHORT: usize = 256;
}

/// One button row of the builder: its type, label, and the URL / phone number / sample
/// code, plus the sample URL of a dynamic URL button.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonForm {
    pub kind: String,
    pub text: String,
    pub value: String,
    pub example: String,
}

/// The one-time-password part of an authentication template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpForm {
    pub security_recommendation: bool,
    /// Minutes, 1–90, or empty.
    pub code_expiration: String,
    pub otp_type: String,
    pub button_text: String,
    pub autofill_text: String,
    pub package_name: String,
    pub signature_hash: String,
    pub zero_tap_terms: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DraftForm {
    pub name: String,
    pub language: String,
    pub category: String,
    pub header: String,
    pub body: String,
    pub footer: String,
    /// Example values for the body's parameters, one per line, in order.
    pub examples: String,
    /// `TEXT` (the default when `header` has text), `IMAGE`, `VIDEO`, `DOCUMENT`, `LOCATION`.
    pub header_format: String,
    /// The example for the text header's parameter.
    pub header_example: String,
    /// The sample media of a media header (an upload handle or a URL).
    pub header_sample: String,
    pub buttons: Vec<ButtonForm>,
    pub otp: OtpForm,
}

impl DraftForm {
    pub fn parse(&self) -> Result<CreateTemplate, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", TemplateName::parse(self.name.trim()));
        let lang = e.take(
            "language",
            language::normalise(&self.language).ok_or(FieldCode::InvalidLanguage),
        );
        let category = self.category.trim().to_ascii_uppercase();
        let category = e.take(
            "category",
            CATEGORIES
                .contains(&category.as_str())
                .then_some(category)
                .ok_or(FieldCode::InvalidCategory),
        );
        if self.body.trim().is_empty() && category.as_deref() != Some("AUTHENTICATION") {
            e.add("body", FieldCode::Required);
        }
        self.check_sizes(&mut e);
        let (Some(name), Some(lang), Some(category)) = (name, lang, category) else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        let components = if category == "AUTHENTICATION" {
            self.auth_components(&mut e)
        } else {
            self.components()
        };
        e.into_result()?;
        Ok(CreateTemplate {
            name: name.as_str().to_owned(),
            language: lang.to_owned(),
            category,
            parameter_format: None,
            components,
        })
    }

    /// Every field within what a draft keeps ([`stored_max`]); more button rows than the
    /// builder has are refused as a whole.
    fn check_sizes(&self, e: &mut FieldErrors) {
        use stored_max as m;
        let mut cap = |field: String, value: &str, max: usize| {
            if value.chars().count() > max {
                e.add(&field, FieldCode::TooLong);
            }
        };
        for (field, value, max) in [
            ("header", &self.header, m::HEADER),
            ("body", &self.body, m::BODY),
            ("footer", &self.footer, m::FOOTER),
            ("examples", &self.examples, m::EXAMPLES),
            ("header_format", &self.header_format, m::SHORT),
            ("header_example", &self.header_example, m::HEADER_EXAMPLE),
            ("header_sample", &self.header_sample, m::LINK),
            ("code_expiration", &self.otp.code_expiration, m::SHORT),
            ("otp_type", &self.otp.otp_type, m::SHORT),
            ("otp_button_text", &self.otp.button_text, m::BUTTON_TEXT),
            ("autofill_text", &self.otp.autofill_text, m::SHORT),
            ("package_name", &self.otp.package_name, m::SHORT),
            ("signature_hash", &self.otp.signature_hash, m::SHORT),
        ] {
            cap(field.to_owned(), value, max);
        }
        for (i, b) in self.buttons.iter().enumerate() {
            cap(format!("button_kind[{i}]"), &b.kind, m::SHORT);
            cap(format!("button_text[{i}]"), &b.text, m::BUTTON_TEXT);
            cap(format!("button_value[{i}]"), &b.value, m::LINK);
            cap(format!("button_example[{i}]"), &b.example, m::LINK);
        }
        if self.buttons.len() > MAX_BUTTON_ROWS {
            e.add("buttons", FieldCode::TooLong);
        }
    }

    /// Reads a form without failing: whatever is missing or wrong is left for the lint to
    /// report (the builder's live preview and pre-check).
    pub fn sketch(&self) -> CreateTemplate {
        let mut e = FieldErrors::new();
        let category = self.category.trim().to_ascii_uppercase();
        let components = if category == "AUTHENTICATION" {
            self.auth_components(&mut e)
        } else {
            self.components()
        };
        let language = language::normalise(&self.language)
            .map(str::to_owned)
            .unwrap_or_else(|| self.language.clone());
        CreateTemplate {
            name: self.name.trim().to_owned(),
            language,
            category,
            parameter_format: None,
            components,
        }
    }

    fn components(&self) -> Vec<Component> {
        let examples: Vec<String> = self
            .examples
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let mut components = Vec::new();
        let format = match self.header_format.trim().to_ascii_uppercase() {
            f if f.is_empty() && !self.header.trim().is_empty() => "TEXT".to_owned(),
            f => f,
        };
        match format.as_str() {
            "" => {}
            "TEXT" => {
                let ex = self.header_example.trim();
                components.push(Component {
                    kind: "HEADER".into(),
                    format: Some("TEXT".into()),
                    text: Some(self.header.trim().to_owned()),
                    example: (!ex.is_empty()).then(|| Example {
                        header_text: Some(vec![ex.to_owned()]),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
            }
            "LOCATION" => components.push(Component {
                kind: "HEADER".into(),
                format: Some(format.clone()),
                ..Default::default()
            }),
            media => {
                let sample = self.header_sample.trim();
                components.push(Component {
                    kind: "HEADER".into(),
                    format: Some(media.to_owned()),
                    example: (!sample.is_empty()).then(|| Example {
                        header_handle: Some(vec![sample.to_owned()]),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
            }
        }
        components.push(Component {
            kind: "BODY".into(),
            text: Some(self.body.trim().to_owned()),
            example: (!examples.is_empty()).then(|| Example {
                body_text: Some(vec![examples]),
                ..Default::default()
            }),
            ..Default::default()
        });
        if !self.footer.trim().is_empty() {
            components.push(Component {
                kind: "FOOTER".into(),
                text: Some(self.footer.trim().to_owned()),
                ..Default::default()
            });
        }
        let buttons: Vec<Button> = self
            .buttons
            .iter()
            .filter(|b| b.is_filled())
            .map(ButtonForm::to_button)
            .collect();
        if !buttons.is_empty() {
            components.push(Component {
                kind: "BUTTONS".into(),
                buttons: Some(buttons),
                ..Default::default()
            });
        }
        components
    }

    /// The platform's fixed authentication body, the expiry footer and the OTP button.
    fn auth_components(&self, e: &mut FieldErrors) -> Vec<Component> {
        let o = &self.otp;
        let expiry = match o.code_expiration.trim() {
            "" => None,
            m => e.take(
                "code_expiration",
                m.parse::<i64>().map_err(|_| FieldCode::InvalidDigits),
            ),
        };
        let mut components = vec![Component {
            kind: "BODY".into(),
            add_security_recommendation: Some(o.security_recommendation),
            ..Default::default()
        }];
        if expiry.is_some() {
            components.push(Component {
                kind: "FOOTER".into(),
                code_expiration_minutes: expiry,
                ..Default::default()
            });
        }
        let otp_type = match o.otp_type.trim().to_ascii_uppercase() {
            t if t.is_empty() => "COPY_CODE".to_owned(),
            t => t,
        };
        let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let apps = (otp_type != "COPY_CODE"
            && !(o.package_name.trim().is_empty() && o.signature_hash.trim().is_empty()))
        .then(|| {
            vec![SupportedApp {
                package_name: o.package_name.trim().to_owned(),
                signature_hash: o.signature_hash.trim().to_owned(),
            }]
        });
        components.push(Component {
            kind: "BUTTONS".into(),
            buttons: Some(vec![Button {
                kind: "OTP".into(),
                text: nonempty(&o.button_text),
                autofill_text: nonempty(&o.autofill_text).filter(|_| otp_type != "COPY_CODE"),
                zero_tap_terms_accepted: (otp_type == "ZERO_TAP").then_some(o.zero_tap_terms),
                supported_apps: apps,
                otp_type: Some(otp_type),
                ..Default::default()
            }]),
            ..Default::default()
        });
        components
    }

    /// The form of an existing template (for editing).
    pub fn from_template(t: &CreateTemplate) -> Self {
        let mut f = DraftForm {
            name: t.name.clone(),
            language: t.language.clone(),
            category: t.category.clone(),
            ..Default::default()
        };
        for c in &t.components {
            let ex = c.example.as_ref();
            match c.kind.to_ascii_uppercase().as_str() {
                "HEADER" => {
                    f.header_format = c
                        .format
                        .clone()
                        .unwrap_or_else(|| "TEXT".into())
                        .to_ascii_uppercase();
                    f.header = c.text.clone().unwrap_or_default();
                    f.header_example = ex
                        .and_then(|e| e.header_text.as_ref())
                        .and_then(|v| v.first().cloned())
                        .unwrap_or_default();
                    f.header_sample = ex
                        .and_then(|e| e.header_handle.as_ref())
                        .and_then(|v| v.first().cloned())
                        .unwrap_or_default();
                }
                "BODY" => {
                    f.body = c.text.clone().unwrap_or_default();
                    f.examples = ex
                        .and_then(|e| e.body_text.as_ref())
                        .and_then(|v| v.first().cloned())
                        .unwrap_or_default()
                        .join("\n");
                    f.otp.security_recommendation = c.add_security_recommendation == Some(true);
                }
                "FOOTER" => {
                    f.footer = c.text.clone().unwrap_or_default();
                    f.otp.code_expiration = c
                        .code_expiration_minutes
                        .map(|m| m.to_string())
                        .unwrap_or_default();
                }
                "BUTTONS" => {
                    for b in c.buttons.iter().flatten() {
                        if b.kind.eq_ignore_ascii_case("OTP") {
                            f.otp.otp_type = b.otp_type.clone().unwrap_or_default();
                            f.otp.button_text = b.text.clone().unwrap_or_default();
                            f.otp.autofill_text = b.autofill_text.clone().unwrap_or_default();
                            f.otp.zero_tap_terms = b.zero_tap_terms_accepted == Some(true);
                            if let Some(app) = b.supported_apps.as_ref().and_then(|a| a.first()) {
                                f.otp.package_name = app.package_name.clone();
                                f.otp.signature_hash = app.signature_hash.clone();
                            }
                        } else {
                            f.buttons.push(ButtonForm::from_button(b));
                        }
                    }
                }
                _ => {}
            }
        }
        f
    }
}

impl ButtonForm {
    /// A row counts once it has a type and a label or a value.
    fn is_filled(&self) -> bool {
        let has_text = !self.text.trim().is_empty() || !self.value.trim().is_empty();
        !self.kind.trim().is_empty() && has_text
    }

    fn to_button(&self) -> Button {
        let kind = self.kind.trim().to_ascii_uppercase();
        let text = Some(self.text.trim().to_owned()).filter(|t| !t.is_empty());
        let value = self.value.trim().to_owned();
        match kind.as_str() {
            "URL" => Button {
                kind,
                text,
                example: (value.contains("{{") && !self.example.trim().is_empty())
                    .then(|| ButtonExample::Many(vec![self.example.trim().to_owned()])),
                url: Some(value),
                ..Default::default()
            },
            "PHONE_NUMBER" => Button {
                kind,
                text,
                phone_number: Some(value),
                ..Default::default()
            },
            "COPY_CODE" => Button {
                kind,
                text,
                example: (!value.is_empty()).then_some(ButtonExample::One(value)),
                ..Default::default()
            },
            _ => Button {
                kind,
                text,
                ..Default::default()
            },
        }
    }

    fn from_button(b: &Button) -> Self {
        let kind = b.kind.to_ascii_uppercase();
        let value = match kind.as_str() {
            "URL" => b.url.clone().unwrap_or_default(),
            "PHONE_NUMBER" => b.phone_number.clone().unwrap_or_default(),
            "COPY_CODE" => b
                .example
                .as_ref()
                .and_then(ButtonExample::first)
                .unwrap_or_default()
                .to_owned(),
            _ => String::new(),
        };
        let example = if kind == "URL" {
            b.example
                .as_ref()
                .and_then(ButtonExample::first)
                .unwrap_or_default()
                .to_owned()
        } else {
            String::new()
        };
        Self {
            kind,
            text: b.text.clone().unwrap_or_default(),
            value,
            example,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_draft_keeps_is_bounded_field_by_field() {
        let ok = DraftForm {
            name: "order_update".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            body: "b".repeat(stored_max::BODY),
            ..Default::default()
        };
        assert!(ok.parse().is_ok());
        let too_much = DraftForm {
            body: "b".repeat(stored_max::BODY + 1),
            header_sample: "h".repeat(stored_max::LINK + 1),
            buttons: vec![
                ButtonForm {
                    kind: "QUICK_REPLY".into(),
                    text: "Yes".into(),
                    ..Default::default()
                };
                MAX_BUTTON_ROWS + 1
            ],
            otp: OtpForm {
                signature_hash: "s".repeat(stored_max::SHORT + 1),
                ..Default::default()
            },
            ..ok
        };
        let e = too_much.parse().err().unwrap_or_default();
        for field in ["body", "header_sample", "buttons", "signature_hash"] {
            assert_eq!(e.get(field), Some(FieldCode::TooLong), "{field}: {e:?}");
        }
    }
    use crate::domain::template::lint::{lint, LintContext, Severity};

    fn errors(t: &CreateTemplate) -> Vec<&'static str> {
        lint(t, &LintContext::default())
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn buttons_and_media_become_the_platforms_json_and_round_trip() {
        let f = DraftForm {
            name: "order_update".into(),
            language: "en_US".into(),
            category: "UTILITY".into(),
            header_format: "IMAGE".into(),
            header_sample: "4::aW1hZ2U=".into(),
            body: "Hello {{1}}, your order has shipped and will arrive soon.".into(),
            examples: "Ana".into(),
            buttons: vec![
                ButtonForm {
                    kind: "URL".into(),
                    text: "Track".into(),
                    value: "https://example.com/t/{{1}}".into(),
                    example: "https://example.com/t/42".into(),
                },
                ButtonForm {
                    kind: "PHONE_NUMBER".into(),
                    text: "Call us".into(),
                    value: "+16467043595".into(),
                    ..Default::default()
                },
                ButtonForm {
                    kind: "".into(),
                    text: "ignored".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let t = f.parse().unwrap_or_default();
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(
            json["components"][0]["example"]["header_handle"][0],
            "4::aW1hZ2U="
        );
        assert_eq!(
            json["components"][2]["buttons"][0]["example"][0],
            "https://example.com/t/42"
        );
        assert_eq!(
            json["components"][2]["buttons"][1]["phone_number"],
            "+16467043595"
        );
        assert_eq!(t.components[2].buttons.as_ref().map(Vec::len), Some(2));
        let back = DraftForm::from_template(&t);
        assert_eq!(back.parse().unwrap_or_default(), t);
    }

    #[test]
    fn an_authentication_template_uses_the_fixed_body_and_an_otp_button() {
        let f = DraftForm {
            name: "login_code".into(),
            language: "en".into(),
            category: "authentication".into(),
            otp: OtpForm {
                security_recommendation: true,
                code_expiration: "10".into(),
                otp_type: "ONE_TAP".into(),
                autofill_text: "Autofill".into(),
                package_name: "com.example.app".into(),
                signature_hash: "K8a/AINcGX7".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let t = f.parse().unwrap_or_default();
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(json["components"][0]["add_security_recommendation"], true);
        assert_eq!(json["components"][1]["code_expiration_minutes"], 10);
        assert_eq!(json["components"][2]["buttons"][0]["otp_type"], "ONE_TAP");
        assert_eq!(
            json["components"][2]["buttons"][0]["supported_apps"][0]["package_name"],
            "com.example.app"
        );
        assert!(errors(&t).is_empty(), "{:?}", errors(&t));
        assert_eq!(DraftForm::from_template(&t).parse().unwrap_or_default(), t);
        let bad = DraftForm {
            otp: OtpForm {
                code_expiration: "ten".into(),
                ..Default::default()
            },
            ..f.clone()
        };
        assert_eq!(
            bad.parse().err().and_then(|e| e.get("code_expiration")),
            Some(FieldCode::InvalidDigits)
        );
        let too_long = DraftForm {
            otp: OtpForm {
                code_expiration: "91".into(),
                ..f.otp.clone()
            },
            ..f
        };
        assert!(errors(&too_long.parse().unwrap_or_default()).contains(&"auth.code_expiration"));
    }

    #[test]
    fn a_draft_becomes_the_platforms_json() {
        let f = DraftForm {
            name: "order_shipped".into(),
            language: "en-US".into(),
            category: "utility".into(),
            body: "Hi {{1}}, it ships today.".into(),
            examples: "Ana\n".into(),
            ..Default::default()
        };
        let t = f.parse().unwrap_or_default();
        assert_eq!(
            (t.language.as_str(), t.category.as_str(), t.components.len()),
            ("en_US", "UTILITY", 1)
        );
        assert_eq!(
            t.body()
                .and_then(|b| b.example.clone())
                .and_then(|e| e.body_text),
            Some(vec![vec!["Ana".to_owned()]])
        );
    }

    #[test]
    fn every_bad_field_is_reported() {
        let f = DraftForm {
            name: "Bad Name".into(),
            language: "xx".into(),
            category: "SPAM".into(),
            ..Default::default()
        };
        let e = f.parse().err().unwrap_or_default();
        let fields: Vec<_> = e.0.iter().map(|x| (x.field.as_str(), x.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", FieldCode::InvalidTemplateName),
                ("language", FieldCode::InvalidLanguage),
                ("category", FieldCode::InvalidCategory),
                ("body", FieldCode::Required)
            ]
        );
    }
}
