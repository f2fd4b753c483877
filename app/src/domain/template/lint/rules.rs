//! The pre-check's rules (each with its stable id and severity), what a finding says, and the
//! platform's limits the rules check
//! (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components).

use serde::{Deserialize, Serialize};

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

pub(super) struct Out(pub(super) Vec<Finding>);

impl Out {
    pub(super) fn add(
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

pub(super) fn len(s: &str) -> usize {
    s.chars().count()
}
