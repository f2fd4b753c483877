//! The platform's create-template JSON (`POST /{waba-id}/message_templates`, https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components),
//! read tolerantly: unknown or missing fields never fail the parse, they become lint findings.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateTemplate {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<String>,
    #[serde(default)]
    pub components: Vec<Component>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Component {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<Button>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_security_recommendation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_expiration_minutes: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Example {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_text: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_text_named_params: Option<Vec<NamedExample>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Vec<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text_named_params: Option<Vec<NamedExample>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_handle: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedExample {
    #[serde(default)]
    pub param_name: String,
    #[serde(default)]
    pub example: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Button {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// A URL button's sample URL(s), or a copy-code button's sample code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<ButtonExample>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autofill_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_apps: Option<Vec<SupportedApp>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_tap_terms_accepted: Option<bool>,
}

/// The platform sends `example` as a string (copy code) or a list (URL samples).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ButtonExample {
    One(String),
    Many(Vec<String>),
}

impl ButtonExample {
    pub fn first(&self) -> Option<&str> {
        match self {
            ButtonExample::One(s) => Some(s),
            ButtonExample::Many(v) => v.first().map(String::as_str),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SupportedApp {
    #[serde(default)]
    pub package_name: String,
    #[serde(default)]
    pub signature_hash: String,
}

impl CreateTemplate {
    /// The components of one type (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`), case-insensitive.
    pub fn components_of<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Component)> + 'a {
        self.components
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.kind.eq_ignore_ascii_case(kind))
    }

    pub fn body(&self) -> Option<&Component> {
        self.components_of("BODY").map(|(_, c)| c).next()
    }

    pub fn footer(&self) -> Option<&Component> {
        self.components_of("FOOTER").map(|(_, c)| c).next()
    }
}
