//! The platform's template language codes (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/supported-languages, 111 codes). Codes use an
//! underscore (`en_US`); `en-US` (as webhooks sometimes send it) is accepted and normalised.

/// (code, English name), in the reference's order.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("sq", "Albanian"),
    ("ar", "Arabic"),
    ("ar_EG", "Arabic (EGY)"),
    ("ar_AE", "Arabic (UAE)"),
    ("ar_LB", "Arabic (LBN)"),
    ("ar_MA", "Arabic (MAR)"),
    ("ar_QA", "Arabic (QAT)"),
    ("az", "Azerbaijani"),
    ("be_BY", "Belarusian"),
    ("bn", "Bengali"),
    ("bn_IN", "Bengali (IND)"),
    ("bg", "Bulgarian"),
    ("ca", "Catalan"),
    ("zh_CN", "Chinese (CHN)"),
    ("zh_HK", "Chinese (HKG)"),
    ("zh_TW", "Chinese (TAI)"),
    ("hr", "Croatian"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("prs_AF", "Dari"),
    ("nl", "Dutch"),
    ("nl_BE", "Dutch (BEL)"),
    ("en", "English"),
    ("en_GB", "English (UK)"),
    ("en_US", "English (US)"),
    ("en_AE", "English (UAE)"),
    ("en_AU", "English (AUS)"),
    ("en_CA", "English (CAN)"),
    ("en_GH", "English (GHA)"),
    ("en_IE", "English (IRL)"),
    ("en_IN", "English (IND)"),
    ("en_JM", "English (JAM)"),
    ("en_MY", "English (MYS)"),
    ("en_NZ", "English (NZL)"),
    ("en_QA", "English (QAT)"),
    ("en_SG", "English (SGP)"),
    ("en_UG", "English (UGA)"),
    ("en_ZA", "English (ZAF)"),
    ("et", "Estonian"),
    ("fil", "Filipino"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("fr_BE", "French (BEL)"),
    ("fr_CA", "French (CAN)"),
    ("fr_CH", "French (CHE)"),
    ("fr_CI", "French (CIV)"),
    ("fr_MA", "French (MAR)"),
    ("ka", "Georgian"),
    ("de", "German"),
    ("de_AT", "German (AUT)"),
    ("de_CH", "German (CHE)"),
    ("el", "Greek"),
    ("gu", "Gujarati"),
    ("ha", "Hausa"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("ga", "Irish"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("kn", "Kannada"),
    ("kk", "Kazakh"),
    ("rw_RW", "Kinyarwanda"),
    ("ko", "Korean"),
    ("ky_KG", "Kyrgyz (Kyrgyzstan)"),
    ("lo", "Lao"),
    ("lv", "Latvian"),
    ("lt", "Lithuanian"),
    ("mk", "Macedonian"),
    ("ms", "Malay"),
    ("ml", "Malayalam"),
    ("mr", "Marathi"),
    ("nb", "Norwegian"),
    ("ps_AF", "Pashto"),
    ("fa", "Persian"),
    ("pl", "Polish"),
    ("pt_BR", "Portuguese (BR)"),
    ("pt_PT", "Portuguese (POR)"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sr", "Serbian"),
    ("si_LK", "Sinhala"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("es", "Spanish"),
    ("es_AR", "Spanish (ARG)"),
    ("es_CL", "Spanish (CHL)"),
    ("es_CO", "Spanish (COL)"),
    ("es_CR", "Spanish (CRI)"),
    ("es_DO", "Spanish (DOM)"),
    ("es_EC", "Spanish (ECU)"),
    ("es_HN", "Spanish (HND)"),
    ("es_MX", "Spanish (MEX)"),
    ("es_PA", "Spanish (PAN)"),
    ("es_PE", "Spanish (PER)"),
    ("es_ES", "Spanish (SPA)"),
    ("es_UY", "Spanish (URY)"),
    ("sw", "Swahili"),
    ("sv", "Swedish"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("vi", "Vietnamese"),
    ("zu", "Zulu"),
];

/// The canonical code for `raw` (`en-us`, `EN_US` and `en_US` all give `en_US`), if supported.
pub fn normalise(raw: &str) -> Option<&'static str> {
    let wanted = raw.trim().replace('-', "_");
    LANGUAGES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| c.eq_ignore_ascii_case(&wanted))
}

/// The English name of a supported code.
pub fn name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The ISO 639-1/639-3 part of a code (`pt_BR` → `pt`), for comparing with detected text.
pub fn base(code: &str) -> &str {
    code.split('_').next().unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_the_platforms_111_codes_without_duplicates() {
        assert_eq!(LANGUAGES.len(), 111);
        let mut codes: Vec<_> = LANGUAGES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 111);
    }

    #[test]
    fn hyphenated_and_miscased_codes_normalise() {
        assert_eq!(normalise("en-US"), Some("en_US"));
        assert_eq!(normalise("pt-br"), Some("pt_BR"));
        assert_eq!(normalise("fil"), Some("fil"));
        assert_eq!(normalise("en_XX"), None);
        assert_eq!(normalise("klingon"), None);
        assert_eq!(base("prs_AF"), "prs");
        assert_eq!(name("zh_TW"), Some("Chinese (TAI)"));
    }
}
