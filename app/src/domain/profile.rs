//! The WhatsApp business profile of a phone number (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles) and the tenant's
//! messaging-policy checklist: pure validation, run in the browser as the user types and on
//! the server, which decides. Lengths count characters (Unicode scalar values), never bytes.

use chrono::NaiveTime;
pub use error::{ProfileError, ProfileRule};
use fields::optional;
use serde::{Deserialize, Serialize};

pub mod attention;
mod checklist;
mod error;
mod fields;
pub mod oba;
pub mod photo;

pub use checklist::{
    check_escalation, Checklist, ChecklistForm, Escalation, EscalationError, OptInSource,
    CONSENT_RECORD_MAX, OTHER_MAX,
};

pub const ABOUT_MAX: usize = 139;
pub const ADDRESS_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 512;
pub const EMAIL_MAX: usize = 128;
pub const WEBSITES_MAX: usize = 2;
pub const WEBSITE_MAX: usize = 256;
/// Opening ranges per day the console accepts (a split day, a late shift…).
pub const RANGES_PER_DAY_MAX: usize = 4;

/// The platform's `vertical` values with the label WhatsApp shows (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles, v24.0 list).
pub const VERTICALS: [(&str, &str); 21] = [
    ("ALCOHOL", "Alcoholic Beverages"),
    ("APPAREL", "Clothing and Apparel"),
    ("AUTO", "Automotive"),
    ("BEAUTY", "Beauty, Spa and Salon"),
    ("EDU", "Education"),
    ("ENTERTAIN", "Entertainment"),
    ("EVENT_PLAN", "Event Planning and Service"),
    ("FINANCE", "Finance and Banking"),
    ("GOVT", "Public Service"),
    ("GROCERY", "Food and Grocery"),
    ("HEALTH", "Medical and Health"),
    ("HOTEL", "Hotel and Lodging"),
    ("NONPROFIT", "Non-profit"),
    ("ONLINE_GAMBLING", "Online Gambling & Gaming"),
    ("OTC_DRUGS", "Over-the-Counter Drugs"),
    ("OTHER", "Other"),
    (
        "PHYSICAL_GAMBLING",
        "Non-online (brick-and-mortar) Gambling & Gaming",
    ),
    ("PROF_SERVICES", "Professional Services"),
    ("RESTAURANT", "Restaurant"),
    ("RETAIL", "Shopping and Retail"),
    ("TRAVEL", "Travel and Transportation"),
];

/// Older values still found in stored data (pywa's `Industry`): read, shown, never offered.
pub const LEGACY_VERTICALS: [&str; 2] = ["UNDEFINED", "NOT_A_BIZ"];

pub fn vertical_label(code: &str) -> Option<&'static str> {
    VERTICALS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The profile as a form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub about: String,
    pub address: String,
    pub description: String,
    pub email: String,
    pub websites: Vec<String>,
    pub vertical: String,
    /// Monday first: `closed`, `open` (all day), or ranges `09:00-12:30, 14:00-18:00`.
    pub hours: [String; 7],
    /// The uploaded photo kept with this profile (its content hash), or empty for none.
    #[serde(default)]
    pub photo: String,
}

/// A valid profile, as stored and sent to the platform.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub about: String,
    pub address: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub websites: Vec<String>,
    pub vertical: Option<String>,
    pub hours: [DayHours; 7],
    /// SHA-256 (hex) of the processed photo (see [`photo`]); versions saved before photos
    /// existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

/// A public web address: at most `max` characters, `http://` or `https://`, a dotted host.
pub fn check_url(w: &str, max: usize) -> Result<(), ProfileRule> {
    let n = w.chars().count();
    let lower = w.to_ascii_lowercase();
    if n > max {
        Err(ProfileRule::TooLong { max, actual: n })
    } else if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        Err(ProfileRule::SchemeMissing)
    } else if url::Url::parse(w)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_none_or(|h| !h.contains('.'))
    {
        Err(ProfileRule::InvalidUrl)
    } else {
        Ok(())
    }
}

/// Whether `s` can name a stored photo (its digest, `domain::is_content_id`).
pub fn is_photo_id(s: &str) -> bool {
    crate::domain::is_content_id(s)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "ranges", rename_all = "snake_case")]
pub enum DayHours {
    #[default]
    Closed,
    AllDay,
    Ranges(Vec<(NaiveTime, NaiveTime)>),
}

pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Parses one day's hours: `closed` (or empty), `open` / `24h`, or comma-separated ranges.
pub fn parse_day(raw: &str) -> Result<DayHours, ProfileRule> {
    let t = raw.trim().to_ascii_lowercase();
    match t.as_str() {
        "" | "closed" => return Ok(DayHours::Closed),
        "open" | "24h" | "open all day" => return Ok(DayHours::AllDay),
        _ => {}
    }
    let mut ranges = Vec::new();
    for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || ProfileRule::InvalidRange {
            text: part.chars().take(40).collect(),
        };
        let (a, b) = part.split_once('-').ok_or_else(bad)?;
        let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
        let (start, end) = (time(a)?, time(b)?);
        if start >= end {
            return Err(bad());
        }
        ranges.push((start, end));
    }
    if ranges.len() > RANGES_PER_DAY_MAX {
        return Err(ProfileRule::TooManyRanges {
            max: RANGES_PER_DAY_MAX,
            actual: ranges.len(),
        });
    }
    ranges.sort();
    if ranges.windows(2).any(|w| w[0].1 > w[1].0) {
        return Err(ProfileRule::OverlappingRanges);
    }
    Ok(DayHours::Ranges(ranges))
}

/// A required text of at most `max` characters, trimmed.
fn required(raw: &str, field: &str, max: usize, errors: &mut Vec<ProfileError>) -> String {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        errors.push(ProfileError {
            field: field.into(),
            rule: ProfileRule::Required,
        });
    } else if n > max {
        errors.push(ProfileError {
            field: field.into(),
            rule: ProfileRule::TooLong { max, actual: n },
        });
    }
    t.to_owned()
}

/// The websites given (blanks left out): at most two, each a valid http(s) URL.
fn websites(raw: &[String], errors: &mut Vec<ProfileError>) -> Vec<String> {
    let sites: Vec<&str> = raw
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
        .collect();
    if sites.len() > WEBSITES_MAX {
        errors.push(ProfileError {
            field: "websites".into(),
            rule: ProfileRule::TooManyWebsites {
                max: WEBSITES_MAX,
                actual: sites.len(),
            },
        });
    }
    for (i, w) in sites.iter().enumerate() {
        if let Err(rule) = check_url(w, WEBSITE_MAX) {
            errors.push(ProfileError {
                field: format!("website{}", i + 1),
                rule,
            });
        }
    }
    sites.into_iter().map(str::to_owned).collect()
}

impl ProfileForm {
    /// Every problem at once, each naming its field.
    pub fn parse(&self) -> Result<Profile, Vec<ProfileError>> {
        let mut errors = Vec::new();
        let about = required(&self.about, "about", ABOUT_MAX, &mut errors);
        let address = optional(&self.address, "address", ADDRESS_MAX, &mut errors);
        let description = optional(
            &self.description,
            "description",
            DESCRIPTION_MAX,
            &mut errors,
        );
        let email = optional(&self.email, "email", EMAIL_MAX, &mut errors);
        if let Some(e) = &email {
            if e.parse::<email_address::EmailAddress>().is_err() {
                errors.push(ProfileError {
                    field: "email".into(),
                    rule: ProfileRule::InvalidEmail,
                });
            }
        }
        let sites = websites(&self.websites, &mut errors);
        let vertical = match self.vertical.trim() {
            "" => None,
            v if vertical_label(v).is_some() || LEGACY_VERTICALS.contains(&v) => Some(v.to_owned()),
            _ => {
                errors.push(ProfileError {
                    field: "vertical".into(),
                    rule: ProfileRule::UnknownVertical,
                });
                None
            }
        };
        let mut hours: [DayHours; 7] = Default::default();
        for (i, raw) in self.hours.iter().enumerate() {
            match parse_day(raw) {
                Ok(h) => hours[i] = h,
                Err(rule) => errors.push(ProfileError {
                    field: format!("hours.{}", WEEKDAYS[i]),
                    rule,
                }),
            }
        }
        let photo = match self.photo.trim() {
            "" => None,
            p if is_photo_id(p) => Some(p.to_owned()),
            _ => {
                errors.push(ProfileError {
                    field: "photo".into(),
                    rule: ProfileRule::PhotoUnknown,
                });
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Profile {
            about,
            address,
            description,
            email,
            websites: sites,
            vertical,
            hours,
            photo,
        })
    }
}

impl DayHours {
    /// The text the form shows for it (`closed`, `open`, or the ranges).
    pub fn to_text(&self) -> String {
        match self {
            DayHours::Closed => "closed".into(),
            DayHours::AllDay => "open".into(),
            DayHours::Ranges(r) => r
                .iter()
                .map(|(a, b)| format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl Profile {
    /// The form that reproduces this profile.
    pub fn to_form(&self) -> ProfileForm {
        ProfileForm {
            about: self.about.clone(),
            address: self.address.clone().unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            websites: self.websites.clone(),
            vertical: self.vertical.clone().unwrap_or_default(),
            hours: std::array::from_fn(|i| self.hours[i].to_text()),
            photo: self.photo.clone().unwrap_or_default(),
        }
    }

    /// What changed from `before`, field by field: (field, before, after).
    pub fn changes_from(&self, before: &Profile) -> Vec<(String, String, String)> {
        let (a, b) = (before.to_form(), self.to_form());
        let mut out = Vec::new();
        let mut cmp = |field: &str, x: &str, y: &str| {
            if x != y {
                out.push((field.to_owned(), x.to_owned(), y.to_owned()));
            }
        };
        cmp("about", &a.about, &b.about);
        cmp("address", &a.address, &b.address);
        cmp("description", &a.description, &b.description);
        cmp("email", &a.email, &b.email);
        cmp("websites", &a.websites.join(" "), &b.websites.join(" "));
        cmp("vertical", &a.vertical, &b.vertical);
        for (i, day) in WEEKDAYS.iter().enumerate() {
            cmp(&format!("hours.{day}"), &a.hours[i], &b.hours[i]);
        }
        // A photo's hash says little to a reader: its first characters tell versions apart.
        let shown = |p: &str| {
            if p.is_empty() {
                String::new()
            } else {
                format!("photo {}", &p[..p.len().min(8)])
            }
        };
        cmp("photo", &shown(&a.photo), &shown(&b.photo));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form(about: &str) -> ProfileForm {
        ProfileForm {
            about: about.into(),
            ..Default::default()
        }
    }

    fn rules(f: &ProfileForm) -> Vec<(String, ProfileRule)> {
        f.parse()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.rule))
            .collect()
    }

    #[test]
    fn about_is_required_and_at_most_139_characters() {
        assert!(form(&"a".repeat(138)).parse().is_ok());
        assert!(form(&"a".repeat(139)).parse().is_ok());
        assert_eq!(
            rules(&form(&"a".repeat(140))),
            vec![(
                "about".into(),
                ProfileRule::TooLong {
                    max: 139,
                    actual: 140
                }
            )]
        );
        assert_eq!(
            rules(&form("   ")),
            vec![("about".into(), ProfileRule::Required)]
        );
    }

    #[test]
    fn lengths_count_characters_emoji_included_not_bytes() {
        // 139 emoji are 556 bytes: still allowed; the 140th is one too many.
        assert!(form(&"🙂".repeat(139)).parse().is_ok());
        assert_eq!(
            rules(&form(&"é".repeat(140))),
            vec![(
                "about".into(),
                ProfileRule::TooLong {
                    max: 139,
                    actual: 140
                }
            )]
        );
        let f = ProfileForm {
            address: "ü".repeat(257),
            description: "x".repeat(513),
            ..form("ok")
        };
        assert_eq!(
            rules(&f),
            vec![
                (
                    "address".into(),
                    ProfileRule::TooLong {
                        max: 256,
                        actual: 257
                    }
                ),
                (
                    "description".into(),
                    ProfileRule::TooLong {
                        max: 512,
                        actual: 513
                    }
                )
            ]
        );
        assert!(ProfileForm {
            address: "ü".repeat(256),
            description: "x".repeat(512),
            ..form("ok")
        }
        .parse()
        .is_ok());
    }

    #[test]
    fn email_must_be_valid_and_at_most_128() {
        assert_eq!(
            rules(&ProfileForm {
                email: "not-an-email".into(),
                ..form("ok")
            }),
            vec![("email".into(), ProfileRule::InvalidEmail)]
        );
        let long = format!("{}@example.com", "a".repeat(117));
        assert_eq!(long.chars().count(), 129);
        assert!(rules(&ProfileForm {
            email: long,
            ..form("ok")
        })
        .contains(&(
            "email".into(),
            ProfileRule::TooLong {
                max: 128,
                actual: 129
            }
        )));
        assert!(ProfileForm {
            email: "hello@shop.example".into(),
            ..form("ok")
        }
        .parse()
        .is_ok());
    }

    #[test]
    fn at_most_two_websites_each_with_a_scheme() {
        let two = ProfileForm {
            websites: vec![
                "https://shop.example.com".into(),
                "http://example.org/a".into(),
            ],
            ..form("ok")
        };
        assert_eq!(two.parse().map(|p| p.websites.len()), Ok(2));
        let three = ProfileForm {
            websites: vec![
                "https://a.example".into(),
                "https://b.example".into(),
                "https://c.example".into(),
            ],
            ..form("ok")
        };
        assert_eq!(
            rules(&three)[0],
            (
                "websites".into(),
                ProfileRule::TooManyWebsites { max: 2, actual: 3 }
            )
        );
        assert_eq!(
            rules(&ProfileForm {
                websites: vec!["shop.example.com".into()],
                ..form("ok")
            }),
            vec![("website1".into(), ProfileRule::SchemeMissing)]
        );
        let long = format!("https://example.com/{}", "p".repeat(237));
        assert_eq!(long.chars().count(), 257);
        assert_eq!(
            rules(&ProfileForm {
                websites: vec![String::new(), long],
                ..form("ok")
            }),
            vec![(
                "website1".into(),
                ProfileRule::TooLong {
                    max: 256,
                    actual: 257
                }
            )]
        );
    }

    #[test]
    fn verticals_are_the_platforms_codes() {
        assert!(ProfileForm {
            vertical: "RETAIL".into(),
            ..form("ok")
        }
        .parse()
        .is_ok());
        assert!(
            ProfileForm {
                vertical: "UNDEFINED".into(),
                ..form("ok")
            }
            .parse()
            .is_ok(),
            "legacy values stay readable"
        );
        assert_eq!(
            rules(&ProfileForm {
                vertical: "Retail".into(),
                ..form("ok")
            }),
            vec![("vertical".into(), ProfileRule::UnknownVertical)]
        );
        assert_eq!(
            vertical_label("PROF_SERVICES"),
            Some("Professional Services")
        );
    }

    #[test]
    fn opening_hours_per_weekday() {
        let t = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        assert_eq!(parse_day("closed"), Ok(DayHours::Closed));
        assert_eq!(parse_day(" Open "), Ok(DayHours::AllDay));
        assert_eq!(
            parse_day("14:00-18:00, 09:00-12:30"),
            Ok(DayHours::Ranges(vec![
                (t(9, 0), t(12, 30)),
                (t(14, 0), t(18, 0))
            ]))
        );
        assert_eq!(
            parse_day("09:00-12:00, 11:00-13:00"),
            Err(ProfileRule::OverlappingRanges)
        );
        assert_eq!(
            parse_day("18:00-09:00"),
            Err(ProfileRule::InvalidRange {
                text: "18:00-09:00".into()
            })
        );
        assert_eq!(
            parse_day("9 to 5"),
            Err(ProfileRule::InvalidRange {
                text: "9 to 5".into()
            })
        );
        assert_eq!(
            parse_day("01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00"),
            Err(ProfileRule::TooManyRanges { max: 4, actual: 5 })
        );
        let mut f = form("ok");
        f.hours[6] = "25:00-26:00".into();
        assert_eq!(rules(&f)[0].0, "hours.sunday");
    }

    #[test]
    fn every_accepted_and_refused_escalation_path() {
        for e in Escalation::ALL {
            let expected = !matches!(
                e,
                Escalation::SocialMediaPage | Escalation::HelpCentrePage | Escalation::AppLink
            );
            assert_eq!(e.qualifies(), expected, "{e:?}");
            assert_eq!(check_escalation(&[e]).is_ok(), expected, "{e:?} alone");
            // A refused kind next to an accepted one is fine.
            assert!(check_escalation(&[e, Escalation::PhoneNumber]).is_ok());
        }
        assert_eq!(check_escalation(&[]), Err(EscalationError::Missing));
        assert_eq!(
            check_escalation(&[Escalation::SocialMediaPage, Escalation::AppLink]),
            Err(EscalationError::NoneQualifies {
                chosen: vec![Escalation::SocialMediaPage, Escalation::AppLink]
            })
        );
    }

    #[test]
    fn a_profile_round_trips_through_its_form_and_lists_its_changes() {
        let mut f = ProfileForm {
            about: "Fresh bread daily 🥖".into(),
            websites: vec!["https://bakery.example".into()],
            vertical: "GROCERY".into(),
            ..Default::default()
        };
        f.hours[0] = "08:00-12:00, 13:00-18:00".into();
        f.hours[6] = "open".into();
        let p = f.parse().unwrap_or_default();
        assert_eq!(p.to_form().parse(), Ok(p.clone()));
        let mut g = p.to_form();
        g.about = "Fresh bread".into();
        g.hours[0] = "closed".into();
        let q = g.parse().unwrap_or_default();
        assert_eq!(
            q.changes_from(&p),
            vec![
                (
                    "about".into(),
                    "Fresh bread daily 🥖".into(),
                    "Fresh bread".into()
                ),
                (
                    "hours.monday".into(),
                    "08:00-12:00, 13:00-18:00".into(),
                    "closed".into()
                )
            ]
        );
    }

    #[test]
    fn the_checklist_is_complete_only_with_a_human_escalation_path() {
        let f = ChecklistForm {
            opt_in: vec!["web_form".into(), "qr_codes".into()],
            other: String::new(),
            consent_record: "CRM, consent field".into(),
            escalation: vec!["phone_number".into(), "app_link".into()],
        };
        let c = f.parse().unwrap_or_default();
        assert!(c.complete());
        assert_eq!(c.to_form().parse(), Ok(c.clone()));
        let only_social = ChecklistForm {
            escalation: vec!["social_media_page".into(), "help_centre_page".into()],
            ..f.clone()
        };
        assert_eq!(
            only_social.parse().err().map(|e| e[0].rule.clone()),
            Some(ProfileRule::NoHumanEscalation)
        );
        // Saved without an escalation path: valid, but incomplete.
        let partial = ChecklistForm {
            escalation: vec![],
            ..f.clone()
        }
        .parse()
        .unwrap_or_default();
        assert!(!partial.complete());
        let other = ChecklistForm {
            opt_in: vec!["other".into()],
            ..f.clone()
        };
        assert_eq!(
            other
                .parse()
                .err()
                .map(|e| (e[0].field.clone(), e[0].rule.clone())),
            Some(("other".into(), ProfileRule::Required))
        );
        assert_eq!(
            ChecklistForm {
                opt_in: vec!["carrier_pigeon".into()],
                ..f
            }
            .parse()
            .err()
            .map(|e| e[0].field.clone()),
            Some("opt_in".into())
        );
    }

    proptest! {
        #[test]
        fn validation_never_panics(about in ".{0,300}", address in ".{0,300}", email in ".{0,140}", w1 in ".{0,300}", w2 in ".{0,50}", vertical in ".{0,20}", day in ".{0,60}", photo in "[0-9a-f]{0,70}|.{0,70}") {
            let f = ProfileForm { about, address, description: String::new(), email, websites: vec![w1, w2], vertical, hours: std::array::from_fn(|_| day.clone()), photo };
            let _ = f.parse();
        }

        #[test]
        fn badge_request_validation_never_panics(links in proptest::collection::vec(".{0,300}", 0..8), parent in ".{0,200}", notes in ".{0,1100}") {
            let _ = oba::ObaForm { links, parent, notes }.parse();
        }
    }
}
