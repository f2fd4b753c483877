//! The platform's and the console's values (enums, codes) as catalogue texts: roles, alert
//! kinds, severities, field errors, lint rules, profile and media errors, statuses.

use super::catalogue::T;
use crate::domain::{locale::Locale, validation::FieldCode};

impl FieldCode {
    pub fn text(self) -> T {
        match self {
            FieldCode::Required => T::FRequired,
            FieldCode::TooLong => T::FTooLong,
            FieldCode::TooShort => T::FTooShort,
            FieldCode::InvalidEmail => T::FInvalidEmail,
            FieldCode::InvalidPhone => T::FInvalidPhone,
            FieldCode::InvalidCountry => T::FInvalidCountry,
            FieldCode::InvalidCurrency => T::FInvalidCurrency,
            FieldCode::InvalidLocale => T::FInvalidLocale,
            FieldCode::InvalidRole => T::FInvalidRole,
            FieldCode::InvalidDigits => T::FInvalidDigits,
            FieldCode::PasswordTooShort => T::FPasswordTooShort,
            FieldCode::PasswordTooLong => T::FPasswordTooLong,
            FieldCode::PasswordsDiffer => T::FPasswordsDiffer,
            FieldCode::PasswordCommon => T::FPasswordCommon,
            FieldCode::WrongPassword => T::FWrongPassword,
            FieldCode::WrongCode => T::FWrongCode,
            FieldCode::AlreadyTaken => T::FAlreadyTaken,
            FieldCode::UnknownStaffUser => T::FUnknownStaffUser,
            FieldCode::UnknownWaba => T::FUnknownWaba,
            FieldCode::InvalidTemplateName => T::FInvalidTemplateName,
            FieldCode::InvalidLanguage => T::FInvalidLanguage,
            FieldCode::InvalidCategory => T::FInvalidCategory,
            FieldCode::InvalidReason => T::FInvalidReason,
            FieldCode::InvalidDomain => T::FInvalidDomain,
            FieldCode::NoCategoryConsent => T::FNoCategoryConsent,
            FieldCode::InvalidChoice => T::FInvalidChoice,
            FieldCode::InvalidToken => T::FInvalidToken,
            FieldCode::UnknownTimeZone => T::FUnknownTimeZone,
            FieldCode::CriticalCannotBeMuted => T::FCriticalCannotBeMuted,
            FieldCode::InvalidDate => T::FInvalidDate,
            FieldCode::DateInPast => T::FDateInPast,
            FieldCode::CsvEmpty => T::FCsvEmpty,
            FieldCode::CsvUnreadable => T::FCsvUnreadable,
            FieldCode::CsvMissingColumn => T::FCsvMissingColumn,
            FieldCode::CsvUnknownColumn => T::FCsvUnknownColumn,
            FieldCode::CsvTooManyRows => T::FCsvTooManyRows,
            FieldCode::InvalidAmount => T::FInvalidAmount,
        }
    }
}

pub fn alert_kind_text(k: crate::domain::alert::AlertKind) -> T {
    use crate::domain::alert::AlertKind::*;
    match k {
        TemplateRejected => T::AkTemplateRejected,
        TemplateFlagged => T::AkTemplateFlagged,
        TemplatePaused => T::AkTemplatePaused,
        TemplateDisabled => T::AkTemplateDisabled,
        TemplateLimitExceeded => T::AkTemplateLimitExceeded,
        TemplateCategoryChanging => T::AkTemplateCategoryChanging,
        TemplateCategoryChanged => T::AkTemplateCategoryChanged,
        NumberFlagged => T::AkNumberFlagged,
        NumberDowngraded => T::AkNumberDowngraded,
        NumberRestricted => T::AkNumberRestricted,
        NumberQualityRed => T::AkNumberQualityRed,
        NumberNameRejected => T::AkNumberNameRejected,
        AccountViolation => T::AkAccountViolation,
        AccountRestriction => T::AkAccountRestriction,
        AccountDisableScheduled => T::AkAccountDisableScheduled,
        AccountDisabled => T::AkAccountDisabled,
        PartnerRemoved => T::AkPartnerRemoved,
        PlatformNotice => T::AkPlatformNotice,
        DisableReminder => T::AkDisableReminder,
    }
}

pub fn severity_text(s: crate::domain::alert::Severity) -> T {
    use crate::domain::alert::Severity::*;
    match s {
        Critical => T::SevCritical,
        Warning => T::SevWarning,
        Info => T::SevInfo,
    }
}

pub fn tenant_role_text(r: crate::domain::roles::TenantRole) -> T {
    use crate::domain::roles::TenantRole::*;
    match r {
        Owner => T::RoleOwner,
        Editor => T::RoleEditor,
        Viewer => T::RoleViewer,
    }
}

pub fn staff_role_text(r: crate::domain::roles::StaffRole) -> T {
    use crate::domain::roles::StaffRole::*;
    match r {
        Admin => T::RoleAdmin,
        Reviewer => T::RoleReviewer,
        Finance => T::RoleFinance,
    }
}

/// The message of a template lint rule, with `{0}`, `{1}` for its arguments.
pub fn lint_text(rule: crate::domain::template::lint::Rule, l: Locale) -> &'static str {
    use crate::domain::template::lint::Rule::*;
    let (en, fr) = match rule {
        NameInvalid => ("Use only lowercase letters, digits and underscores (at most 512).", "Uniquement minuscules, chiffres et tirets bas (512 au plus)."),
        LanguageUnknown => ("“{0}” is not a language the platform supports.", "« {0} » n’est pas une langue prise en charge."),
        CategoryUnknown => ("The category must be MARKETING, UTILITY or AUTHENTICATION.", "La catégorie doit être MARKETING, UTILITY ou AUTHENTICATION."),
        ParameterFormatUnknown => ("The parameter format must be positional or named.", "Le format des paramètres doit être positional ou named."),
        ComponentUnknown => ("Unknown component “{0}”.", "Composant inconnu « {0} »."),
        ComponentDuplicate => ("Only one component of this type is allowed.", "Un seul composant de ce type est permis."),
        BodyMissing => ("The body text is required.", "Le corps du message est obligatoire."),
        BodyTooLong => ("The body is limited to {0} characters (it has {1}).", "Le corps est limité à {0} caractères (il en a {1})."),
        HeaderFormatUnknown => ("Unknown header format “{0}”.", "Format d’en-tête inconnu « {0} »."),
        HeaderTooLong => ("The header is limited to {0} characters (it has {1}).", "L’en-tête est limité à {0} caractères (il en a {1})."),
        HeaderTooManyParams => ("A text header takes at most one parameter.", "Un en-tête texte accepte un seul paramètre."),
        HeaderMarkdown => ("Headers do not support formatting characters.", "Les en-têtes ne prennent pas de mise en forme."),
        HeaderSampleMissing => ("A {0} header needs a sample file.", "Un en-tête {0} demande un fichier d’exemple."),
        HeaderLocationNotAllowed => ("Location headers are only for utility and marketing templates.", "Les en-têtes de localisation sont réservés aux modèles utility et marketing."),
        FooterTooLong => ("The footer is limited to {0} characters (it has {1}).", "Le pied est limité à {0} caractères (il en a {1})."),
        FooterParams => ("The footer cannot contain parameters.", "Le pied ne peut pas contenir de paramètres."),
        ButtonsTooMany => ("At most {0} buttons (there are {1}).", "Au plus {0} boutons (il y en a {1})."),
        ButtonsQuickReplyNotContiguous => ("Quick replies must be grouped together, before or after the other buttons.", "Les réponses rapides doivent être groupées, avant ou après les autres boutons."),
        ButtonsTooManyOfType => ("Too many {0} buttons (at most {1}).", "Trop de boutons {0} (au plus {1})."),
        ButtonTypeUnknown => ("Unknown button type “{0}”.", "Type de bouton inconnu « {0} »."),
        ButtonTextMissing => ("The button needs a label.", "Le bouton doit avoir un libellé."),
        ButtonTextTooLong => ("Button labels are limited to {0} characters.", "Les libellés de bouton sont limités à {0} caractères."),
        ButtonUrlMissing => ("The URL button needs a URL.", "Le bouton URL doit avoir une URL."),
        ButtonUrlTooLong => ("URLs are limited to {0} characters.", "Les URL sont limitées à {0} caractères."),
        ButtonUrlParams => ("A URL takes at most one parameter, at its very end.", "Une URL accepte un seul paramètre, tout à la fin."),
        ButtonUrlExampleMissing => ("Give a full sample URL for the parameter.", "Donnez une URL complète d’exemple pour le paramètre."),
        ButtonPhoneInvalid => ("Enter the phone number with its country code, digits only (at most {0}).", "Saisissez le numéro avec son indicatif, chiffres seulement ({0} au plus)."),
        ButtonCopyCodeExample => ("Give a sample code of at most {0} characters.", "Donnez un code d’exemple de {0} caractères au plus."),
        ButtonOtpOutsideAuthentication => ("One-time-password buttons are only for authentication templates.", "Les boutons de code à usage unique sont réservés aux modèles d’authentification."),
        ParamBraces => ("Parameters use exactly two braces on each side: {{1}}.", "Les paramètres s’écrivent avec deux accolades de chaque côté : {{1}}."),
        ParamInvalid => ("“{0}” is not a valid parameter (no spaces or special characters).", "« {0} » n’est pas un paramètre valide (ni espaces ni caractères spéciaux)."),
        ParamWrongFormat => ("This template uses {0} parameters.", "Ce modèle utilise des paramètres {0}."),
        ParamNotSequential => ("Parameters must be numbered in order from 1; expected {{{0}}} here.", "Les paramètres se numérotent dans l’ordre à partir de 1 ; {{{0}}} attendu ici."),
        ParamAtStart => ("The text cannot start with a parameter.", "Le texte ne peut pas commencer par un paramètre."),
        ParamAtEnd => ("The text cannot end with a parameter.", "Le texte ne peut pas finir par un paramètre."),
        ParamAdjacent => ("Put words between parameters.", "Mettez des mots entre les paramètres."),
        ParamTooDense => ("Too many parameters ({0}) for so little text (about {1} words).", "Trop de paramètres ({0}) pour si peu de texte (environ {1} mots)."),
        ExampleMissing => ("Give an example value for parameter {0}.", "Donnez une valeur d’exemple pour le paramètre {0}."),
        ExampleFormatting => ("Example values cannot contain line breaks, tabs or runs of spaces.", "Les exemples ne peuvent contenir ni retours à la ligne, ni tabulations, ni suites d’espaces."),
        LinkShortener => ("Link shorteners like {0} hide the destination; use the full link.", "Les raccourcisseurs comme {0} masquent la destination ; utilisez le lien complet."),
        LinkDomainUnverified => ("{0} is not one of the business’s verified domains.", "{0} ne fait pas partie des domaines vérifiés de l’entreprise."),
        LanguageMismatch => ("The text looks like {0}, not the chosen language.", "Le texte semble être en {0}, pas dans la langue choisie."),
        LanguageMixed => ("The text mixes languages ({0}, {1}).", "Le texte mélange des langues ({0}, {1})."),
        DuplicateContent => ("Another template of this account has the same body and footer.", "Un autre modèle de ce compte a le même corps et le même pied."),
        SensitiveIdentifier => ("Do not ask for full card, bank account or identity numbers, identity documents, passwords or codes (“{0}”).", "Ne demandez ni numéro complet de carte, de compte ou d’identité, ni pièce d’identité, ni mot de passe ou code (« {0} »)."),
        CategoryLikelyMarketing => ("“{0}” sounds like marketing: this utility template may be re-categorised.", "« {0} » évoque le marketing : ce modèle utility pourrait être recatégorisé."),
        FormattingUnbalanced => ("Unbalanced formatting mark {0}.", "Marque de mise en forme {0} non fermée."),
        FormattingSpaces => ("More than 4 spaces in a row.", "Plus de 4 espaces d’affilée."),
        AuthCustomText => ("Authentication templates use the platform’s fixed text: no custom text.", "Les modèles d’authentification utilisent le texte fixe de la plateforme : pas de texte libre."),
        AuthCodeExpiration => ("The code expiry must be 1 to 90 minutes.", "L’expiration du code doit être de 1 à 90 minutes."),
        AuthOtpButton => ("Authentication templates have exactly one one-time-password button (copy code, one tap or zero tap).", "Les modèles d’authentification ont exactement un bouton de code (copie, un geste ou zéro geste)."),
        AuthSupportedApps => ("One-tap and zero-tap need 1 to 5 apps, each with a package name and an 11-character signature hash.", "Un geste et zéro geste demandent 1 à 5 applications, chacune avec un nom de paquet et une empreinte de 11 caractères."),
        AuthZeroTapTerms => ("Zero-tap requires accepting the zero-tap terms.", "Le zéro geste exige d’accepter ses conditions."),
    };
    match l {
        Locale::En => en,
        Locale::Fr => fr,
    }
}

/// A business-profile problem as one sentence naming the field and the rule, e.g.
/// "About: at most 139 characters (you have 152)".
pub fn profile_error_text(e: &crate::domain::profile::ProfileError, l: Locale) -> String {
    use crate::domain::profile::{ProfileRule as R, WEEKDAYS};
    let field = match e.field.as_str() {
        "about" => T::PAbout.get(l).to_owned(),
        "address" => T::PAddress.get(l).to_owned(),
        "description" => T::PDescription.get(l).to_owned(),
        "email" => T::PEmail.get(l).to_owned(),
        "websites" => T::PWebsites.get(l).to_owned(),
        "vertical" => T::PVertical.get(l).to_owned(),
        "opt_in" => T::COptIn.get(l).to_owned(),
        "other" => T::COther.get(l).to_owned(),
        "consent_record" => T::CConsentRecord.get(l).to_owned(),
        "escalation" => T::CEscalation.get(l).to_owned(),
        "photo" => T::PPhoto.get(l).to_owned(),
        "links" => T::ObaLinks.get(l).to_owned(),
        "parent" => T::ObaParent.get(l).to_owned(),
        "notes" => T::ObaNotes.get(l).to_owned(),
        "reason" => T::ObaReason.get(l).to_owned(),
        f => match (
            f.strip_prefix("website").or(f.strip_prefix("link")),
            f.strip_prefix("hours."),
        ) {
            (Some(n), _) if f.starts_with("link") => T::ObaLink.fill(l, &[n]),
            (Some(n), _) => T::PWebsite.fill(l, &[n]),
            (_, Some(day)) if WEEKDAYS.contains(&day) => T::PHoursOf.fill(l, &[day]),
            _ => f.to_owned(),
        },
    };
    match &e.rule {
        R::Required => T::PRuleRequired.fill(l, &[&field]),
        R::TooLong { max, actual } => {
            T::PRuleTooLong.fill(l, &[&field, &max.to_string(), &actual.to_string()])
        }
        R::InvalidEmail => T::PRuleInvalidEmail.fill(l, &[&field]),
        R::TooManyWebsites { max, actual } => {
            T::PRuleTooManyWebsites.fill(l, &[&field, &max.to_string(), &actual.to_string()])
        }
        R::SchemeMissing => T::PRuleSchemeMissing.fill(l, &[&field]),
        R::InvalidUrl => T::PRuleInvalidUrl.fill(l, &[&field]),
        R::UnknownVertical => T::PRuleUnknownVertical.fill(l, &[&field]),
        R::InvalidRange { text } => T::PRuleInvalidRange.fill(l, &[&field, text]),
        R::OverlappingRanges => T::PRuleOverlapping.fill(l, &[&field]),
        R::TooManyRanges { max, actual } => {
            T::PRuleTooManyRanges.fill(l, &[&field, &max.to_string(), &actual.to_string()])
        }
        R::NoHumanEscalation => T::PRuleNoHumanEscalation.fill(l, &[&field]),
        R::PhotoTooLarge { max_bytes, actual } => {
            T::PRulePhotoTooLarge.fill(l, &[&field, &megabytes(*max_bytes), &megabytes(*actual)])
        }
        R::PhotoWrongType { detected: Some(d) } => T::PRulePhotoWrongType.fill(l, &[&field, d]),
        R::PhotoWrongType { detected: None } => T::PRulePhotoNotImage.fill(l, &[&field]),
        R::PhotoTooSmall { min, width, height } => T::PRulePhotoTooSmall.fill(
            l,
            &[
                &field,
                &min.to_string(),
                &width.to_string(),
                &height.to_string(),
            ],
        ),
        R::PhotoTooManyPixels {
            max_pixels,
            width,
            height,
        } => T::PRulePhotoTooManyPixels.fill(
            l,
            &[
                &field,
                &(max_pixels / 1_000_000).to_string(),
                &width.to_string(),
                &height.to_string(),
            ],
        ),
        R::PhotoCorrupt => T::PRulePhotoCorrupt.fill(l, &[&field]),
        R::PhotoUnknown => T::PRulePhotoUnknown.fill(l, &[&field]),
    }
}

/// The text of a refused media sample.
pub fn media_error_text(e: &crate::domain::template::media::MediaError, l: Locale) -> String {
    use crate::domain::template::media::MediaError as M;
    match e {
        M::NoMediaHeader => T::MediaNoHeader.get(l).to_owned(),
        M::Empty => T::MediaEmpty.get(l).to_owned(),
        M::TooLarge { max_bytes, actual } => {
            T::MediaTooLarge.fill(l, &[&megabytes(*max_bytes), &megabytes(*actual)])
        }
        M::WrongType { expected } => T::MediaWrongType.fill(l, &[expected]),
        M::QuotaFull { quota_bytes } => T::MediaQuotaFull.fill(l, &[&megabytes(*quota_bytes)]),
    }
}

/// Bytes as megabytes with one decimal (5242880 → "5.0"), rounded up so that a file just
/// over the limit never reads as equal to it.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The text of a rate-card row problem.
pub fn row_problem_text(p: crate::domain::pricing::card::RowProblem) -> T {
    use crate::domain::pricing::card::RowProblem as P;
    match p {
        P::UnknownMarket => T::RpUnknownMarket,
        P::InvalidCurrency => T::RpInvalidCurrency,
        P::OtherCurrency => T::RpOtherCurrency,
        P::InvalidRate(_) => T::RpInvalidRate,
        P::InvalidTier => T::RpInvalidTier,
        P::Duplicate => T::RpDuplicate,
        P::WrongCellCount => T::RpWrongCellCount,
        P::NoRates => T::RpNoRates,
        P::OverlappingTiers => T::RpOverlapping,
    }
}

/// The text of an invoice status.
pub fn invoice_status_text(status: &str) -> T {
    match status {
        "awaiting_stripe" => T::InvAwaiting,
        "open" => T::InvOpen,
        "paid" => T::InvPaid,
        "payment_failed" => T::InvFailed,
        "void" => T::InvVoid,
        _ => T::InvInternal,
    }
}

/// A badge request's status.
pub fn oba_text(s: crate::domain::profile::oba::ObaStatus) -> T {
    match s {
        crate::domain::profile::oba::ObaStatus::Draft => T::ObaDraft,
        crate::domain::profile::oba::ObaStatus::Submitted => T::ObaSubmitted,
        crate::domain::profile::oba::ObaStatus::Approved => T::ObaApproved,
        crate::domain::profile::oba::ObaStatus::Rejected => T::ObaRejected,
    }
}

#[cfg(test)]
mod profile_text_tests {
    use super::*;
    use crate::domain::profile::ProfileForm;

    #[test]
    fn profile_errors_name_the_field_and_the_rule() {
        let f = ProfileForm {
            about: "a".repeat(152),
            websites: vec!["shop.example.com".into()],
            ..Default::default()
        };
        let texts: Vec<String> = f
            .parse()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| profile_error_text(e, Locale::En))
            .collect();
        assert_eq!(
            texts,
            [
                "About: at most 139 characters (you have 152)",
                "Website 1: must start with http:// or https://"
            ]
        );
        let fr: Vec<String> = f
            .parse()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| profile_error_text(e, Locale::Fr))
            .collect();
        assert_eq!(
            fr[0],
            "À propos : 139 caractères au plus (vous en avez 152)"
        );
    }

    #[test]
    fn photo_errors_say_what_the_file_is_and_what_is_needed() {
        use crate::domain::profile::{ProfileError, ProfileRule as R};
        let text = |rule| {
            profile_error_text(
                &ProfileError {
                    field: "photo".into(),
                    rule,
                },
                Locale::En,
            )
        };
        assert_eq!(
            text(R::PhotoTooLarge {
                max_bytes: 5 * 1024 * 1024,
                actual: 5 * 1024 * 1024 + 1
            }),
            "Profile photo: at most 5.0 MB (this file is 5.1 MB)"
        );
        assert_eq!(
            text(R::PhotoWrongType {
                detected: Some("GIF".into())
            }),
            "Profile photo: must be a JPEG or PNG image (this file is GIF)"
        );
        assert_eq!(
            text(R::PhotoTooSmall {
                min: 192,
                width: 100,
                height: 80
            }),
            "Profile photo: at least 192×192 pixels (this image is 100×80)"
        );
        assert_eq!(
            text(R::PhotoTooManyPixels {
                max_pixels: 36_000_000,
                width: 50000,
                height: 50000
            }),
            "Profile photo: at most 36 megapixels (this image declares 50000×50000)"
        );
    }
}
