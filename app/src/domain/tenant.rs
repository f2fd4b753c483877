//! Tenant onboarding input: parsed into a valid `NewTenant` or every field error at once.

use super::{
    email::Email,
    ids::UserId,
    locale::Locale,
    phone::{parse_platform_id, E164},
    validation::{bounded_text, FieldCode, FieldErrors},
};
use serde::{Deserialize, Serialize};

/// Lifecycle of a tenant. Suspended tenants keep their data; their users cannot sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    pub fn code(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// The raw form, as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TenantForm {
    pub legal_name: String,
    pub display_name: String,
    pub country: String,
    pub locale: String,
    pub billing_email: String,
    pub alert_emails: String,
    pub currency: String,
    pub account_manager: String,
    pub waba_id: String,
}

/// A tenant's editable details, valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantDetails {
    pub legal_name: String,
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub locale: Locale,
    pub billing_email: Email,
    pub alert_emails: Vec<Email>,
    /// ISO 4217.
    pub currency: String,
    pub account_manager: Option<UserId>,
}

/// A valid new tenant: its details and its first WhatsApp Business Account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTenant {
    pub details: TenantDetails,
    pub waba_id: String,
}

pub fn parse_country(raw: &str) -> Result<String, FieldCode> {
    let t = raw.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    isocountry::CountryCode::for_alpha2(&t)
        .map(|_| t)
        .map_err(|_| FieldCode::InvalidCountry)
}

pub fn parse_currency(raw: &str) -> Result<String, FieldCode> {
    let t = raw.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    iso_currency::Currency::from_code(&t)
        .map(|c| c.code().to_owned())
        .ok_or(FieldCode::InvalidCurrency)
}

/// Country name for display, from its alpha-2 code.
/// A link domain as a tenant declares it (`Shop.example.com`, `https://www.example.com/x`),
/// reduced to its host in ASCII (IDNs as punycode), without `www.`.
pub fn parse_link_domain(raw: &str) -> Result<String, FieldCode> {
    let t = raw.trim().to_lowercase();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(&t);
    let host = t.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .trim_end_matches('.');
    match url::Host::parse(host) {
        Ok(url::Host::Domain(d))
            if d.len() <= 253
                && d.contains('.')
                && d.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
                && !d
                    .rsplit('.')
                    .next()
                    .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit())) =>
        {
            Ok(d)
        }
        _ => Err(FieldCode::InvalidDomain),
    }
}

pub fn country_name(code: &str) -> String {
    isocountry::CountryCode::for_alpha2(code)
        .map(|c| c.name().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

impl TenantForm {
    /// The details (everything but the WABA id), or every field error.
    pub fn parse_details(&self) -> Result<TenantDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let details = self.details_into(&mut e);
        match details {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }

    /// A new tenant, or every field error (details and WABA id together).
    pub fn parse(&self) -> Result<NewTenant, FieldErrors> {
        let mut e = FieldErrors::new();
        let details = self.details_into(&mut e);
        let waba_id = e.take("waba_id", parse_platform_id(&self.waba_id));
        match (details, waba_id) {
            (Some(details), Some(waba_id)) if e.is_empty() => Ok(NewTenant { details, waba_id }),
            _ => Err(e),
        }
    }

    fn details_into(&self, e: &mut FieldErrors) -> Option<TenantDetails> {
        let legal_name = e.take("legal_name", bounded_text(&self.legal_name, 200));
        let display_name = e.take("display_name", bounded_text(&self.display_name, 100));
        let country = e.take("country", parse_country(&self.country));
        let locale = e.take(
            "locale",
            Locale::parse(&self.locale).ok_or(FieldCode::InvalidLocale),
        );
        let billing_email = e.take("billing_email", Email::parse(&self.billing_email));
        let alert_emails = e.take("alert_emails", Email::parse_list(&self.alert_emails));
        let currency = e.take("currency", parse_currency(&self.currency));
        let account_manager = match self.account_manager.trim() {
            "" => Some(None),
            s => e.take(
                "account_manager",
                s.parse::<UserId>()
                    .map(Some)
                    .map_err(|_| FieldCode::UnknownStaffUser),
            ),
        };
        Some(TenantDetails {
            legal_name: legal_name?,
            display_name: display_name?,
            country: country?,
            locale: locale?,
            billing_email: billing_email?,
            alert_emails: alert_emails?,
            currency: currency?,
            account_manager: account_manager?,
        })
    }
}

/// The raw phone-number form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PhoneNumberForm {
    pub number: String,
    pub phone_number_id: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoneNumber {
    pub number: E164,
    pub phone_number_id: String,
    pub display_name: String,
}

impl PhoneNumberForm {
    pub fn parse(&self) -> Result<NewPhoneNumber, FieldErrors> {
        let mut e = FieldErrors::new();
        let number = e.take("number", E164::parse(&self.number));
        let phone_number_id = e.take("phone_number_id", parse_platform_id(&self.phone_number_id));
        let display_name = e.take("display_name", bounded_text(&self.display_name, 100));
        match (number, phone_number_id, display_name) {
            (Some(number), Some(phone_number_id), Some(display_name)) => Ok(NewPhoneNumber {
                number,
                phone_number_id,
                display_name,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_domains_are_reduced_to_their_host() {
        assert_eq!(
            parse_link_domain(" https://www.Shop.Example.com/track?id=1 "),
            Ok("shop.example.com".into())
        );
        assert_eq!(
            parse_link_domain("example.co.uk"),
            Ok("example.co.uk".into())
        );
        assert_eq!(
            parse_link_domain("bücher.de"),
            Ok("xn--bcher-kva.de".into())
        );
        for bad in [
            "localhost",
            "10.0.0.1",
            "exa mple.com",
            "-",
            "example..com",
            "a_b.com",
        ] {
            assert_eq!(
                parse_link_domain(bad),
                Err(FieldCode::InvalidDomain),
                "{bad}"
            );
        }
        assert_eq!(parse_link_domain("  "), Err(FieldCode::Required));
    }

    fn good() -> TenantForm {
        TenantForm {
            legal_name: "Acme Trading SARL".into(),
            display_name: "Acme".into(),
            country: "fr".into(),
            locale: "fr".into(),
            billing_email: "Billing@Acme.fr".into(),
            alert_emails: "ops@acme.fr, cto@acme.fr".into(),
            currency: "eur".into(),
            account_manager: String::new(),
            waba_id: "102290129340398".into(),
        }
    }

    #[test]
    fn a_complete_form_parses_and_normalises() {
        let t = good().parse().map_err(|e| format!("{e:?}"));
        let t = t.as_ref().map(|t| &t.details).map(|t| {
            (
                t.country.as_str(),
                t.currency.as_str(),
                t.billing_email.as_str(),
                t.alert_emails.len(),
                t.locale,
            )
        });
        assert_eq!(t, Ok(("FR", "EUR", "billing@acme.fr", 2, Locale::Fr)));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let f = TenantForm {
            legal_name: " ".into(),
            country: "XX".into(),
            currency: "EURO".into(),
            billing_email: "nope".into(),
            alert_emails: "".into(),
            locale: "de".into(),
            account_manager: "x".into(),
            waba_id: "abc".into(),
            ..good()
        };
        let errs = f.parse().err().unwrap_or_default();
        let fields: Vec<_> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("legal_name", FieldCode::Required),
                ("country", FieldCode::InvalidCountry),
                ("locale", FieldCode::InvalidLocale),
                ("billing_email", FieldCode::InvalidEmail),
                ("alert_emails", FieldCode::Required),
                ("currency", FieldCode::InvalidCurrency),
                ("account_manager", FieldCode::UnknownStaffUser),
                ("waba_id", FieldCode::InvalidDigits),
            ]
        );
    }

    #[test]
    fn details_ignore_the_waba_id() {
        let f = TenantForm {
            waba_id: String::new(),
            ..good()
        };
        assert!(f.parse_details().is_ok());
        assert_eq!(
            f.parse().err().and_then(|e| e.get("waba_id")),
            Some(FieldCode::Required)
        );
    }

    #[test]
    fn a_phone_number_form_reports_each_field() {
        let f = PhoneNumberForm {
            number: "12345".into(),
            phone_number_id: "".into(),
            display_name: "Acme".into(),
        };
        let errs = f.parse().err().unwrap_or_default();
        assert_eq!(errs.get("number"), Some(FieldCode::InvalidPhone));
        assert_eq!(errs.get("phone_number_id"), Some(FieldCode::Required));
        assert_eq!(errs.get("display_name"), None);
    }
}

/// A Graph API access token as pasted: 20–1024 characters of the token alphabet (Meta's are
/// letters and digits; `-`, `_`, `.` and `|` appear in app tokens), surrounding spaces dropped.
pub fn parse_graph_token(raw: &str) -> Result<String, crate::domain::validation::FieldCode> {
    use crate::domain::validation::FieldCode;
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    let n = t.chars().count();
    if !(20..=1024).contains(&n)
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '|'))
    {
        return Err(FieldCode::InvalidToken);
    }
    Ok(t.to_owned())
}

/// A time zone as typed: an IANA name (`Europe/London`, `America/Sao_Paulo`; any case),
/// returned as the database spells it. The WABA's time zone decides a message's delivery day.
pub fn parse_time_zone(raw: &str) -> Result<String, crate::domain::validation::FieldCode> {
    use crate::domain::validation::FieldCode;
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    let tz = t.parse::<chrono_tz::Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|tz| tz.name().eq_ignore_ascii_case(t))
    });
    tz.map(|tz| tz.name().to_owned())
        .ok_or(FieldCode::UnknownTimeZone)
}

#[cfg(test)]
mod time_zone_tests {
    use super::parse_time_zone;
    use crate::domain::validation::FieldCode;

    #[test]
    fn iana_names_in_any_case() {
        assert_eq!(
            parse_time_zone(" Europe/London "),
            Ok("Europe/London".into())
        );
        assert_eq!(
            parse_time_zone("america/sao_paulo"),
            Ok("America/Sao_Paulo".into())
        );
        assert_eq!(parse_time_zone("UTC"), Ok("UTC".into()));
        assert_eq!(parse_time_zone(""), Err(FieldCode::Required));
        assert_eq!(
            parse_time_zone("Europe/Atlantis"),
            Err(FieldCode::UnknownTimeZone)
        );
        assert_eq!(parse_time_zone("+02:00"), Err(FieldCode::UnknownTimeZone));
    }
}

#[cfg(test)]
mod graph_token_tests {
    use super::parse_graph_token;
    use crate::domain::validation::FieldCode;

    #[test]
    fn tokens_are_trimmed_and_checked_for_length_and_alphabet() {
        assert_eq!(
            parse_graph_token("  EAAGm0PX4ZCpsBAKZCZBx1234567890  "),
            Ok("EAAGm0PX4ZCpsBAKZCZBx1234567890".into())
        );
        assert_eq!(parse_graph_token(""), Err(FieldCode::Required));
        assert_eq!(parse_graph_token("short"), Err(FieldCode::InvalidToken));
        assert_eq!(
            parse_graph_token("EAAGm0PX4ZCpsBAKZCZB x1234567890"),
            Err(FieldCode::InvalidToken)
        );
        assert_eq!(
            parse_graph_token(&"a".repeat(1025)),
            Err(FieldCode::InvalidToken)
        );
        assert!(parse_graph_token(&"a".repeat(1024)).is_ok());
    }
}
