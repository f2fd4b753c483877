//! One table row per rule: a change to a clean template that must trigger exactly that rule.

use super::*;
use crate::domain::template::model::{ButtonExample, Example, NamedExample, SupportedApp};
use crate::domain::template::{
    model::{Button, Component},
    placeholders::scan,
};

mod multilingual;

fn clean() -> CreateTemplate {
    serde_json::from_str(
        r##"{"name":"order_update","language":"en_US","category":"UTILITY","components":[
          {"type":"HEADER","format":"TEXT","text":"Order {{1}}","example":{"header_text":["#1234"]}},
          {"type":"BODY","text":"Hello {{1}}, your order {{2}} has shipped and will arrive soon. Thank you for shopping with us.","example":{"body_text":[["Ana","#1234"]]}},
          {"type":"FOOTER","text":"Reply STOP to opt out"},
          {"type":"BUTTONS","buttons":[
            {"type":"URL","text":"Track","url":"https://shop.example.com/track/{{1}}","example":["https://shop.example.com/track/1234"]},
            {"type":"PHONE_NUMBER","text":"Call us","phone_number":"+15550051310"}]}]}"##,
    )
    .unwrap_or_default()
}

fn ctx() -> LintContext {
    LintContext {
        verified_domains: vec!["example.com".into()],
        other_templates: vec![],
    }
}

fn body(t: &mut CreateTemplate, text: &str, examples: &[&str]) {
    if let Some(b) = t.components.iter_mut().find(|c| c.kind == "BODY") {
        b.text = Some(text.into());
        b.example = Some(Example {
            body_text: Some(vec![examples.iter().map(|s| (*s).to_owned()).collect()]),
            ..Default::default()
        });
    }
}

fn buttons(t: &mut CreateTemplate) -> &mut Vec<Button> {
    let i = t
        .components
        .iter()
        .position(|c| c.kind == "BUTTONS")
        .unwrap_or(0);
    t.components[i].buttons.get_or_insert_with(Vec::new)
}

fn qr(text: &str) -> Button {
    Button {
        kind: "QUICK_REPLY".into(),
        text: Some(text.into()),
        ..Default::default()
    }
}

fn auth() -> CreateTemplate {
    serde_json::from_str(
        r#"{"name":"login_code","language":"en","category":"AUTHENTICATION","components":[
          {"type":"BODY","add_security_recommendation":true},
          {"type":"FOOTER","code_expiration_minutes":10},
          {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]}"#,
    )
    .unwrap_or_default()
}

#[test]
fn a_clean_template_has_no_findings() {
    assert_eq!(lint(&clean(), &ctx()), vec![]);
    assert_eq!(lint(&auth(), &ctx()), vec![]);
}

type Case = (&'static str, fn(&mut CreateTemplate));

#[test]
fn each_rule_fires_on_its_own_mistake() {
    for (rule, change) in cases() {
        let mut t = clean();
        change(&mut t);
        let ids: Vec<&str> = lint(&t, &ctx()).iter().map(|f| f.rule).collect();
        assert!(ids.contains(&rule), "{rule}: got {ids:?}");
    }
}

#[test]
fn every_rule_has_a_case() {
    let covered: Vec<&str> = cases()
        .into_iter()
        .chain(auth_cases())
        .map(|(r, _)| r)
        .chain(["content.duplicate"])
        .collect();
    for r in Rule::ALL {
        assert!(covered.contains(&r.id()), "no test case for {}", r.id());
    }
}

fn cases() -> Vec<Case> {
    vec![
        ("name.invalid", |t| t.name = "Order-Update".into()),
        ("language.unknown", |t| t.language = "xx_YY".into()),
        ("category.unknown", |t| t.category = "ALERT_UPDATE".into()),
        ("parameter_format.unknown", |t| {
            t.parameter_format = Some("numbered".into())
        }),
        ("component.unknown", |t| {
            t.components.push(Component {
                kind: "CAROUSEL".into(),
                ..Default::default()
            })
        }),
        ("component.duplicate", |t| {
            t.components.push(Component {
                kind: "FOOTER".into(),
                text: Some("x".into()),
                ..Default::default()
            })
        }),
        ("body.missing", |t| {
            t.components.retain(|c| c.kind != "BODY")
        }),
        ("body.too_long", |t| {
            body(
                t,
                &format!("Hello {{{{1}}}}, {} thanks", "é".repeat(1100)),
                &["Ana"],
            )
        }),
        ("header.format_unknown", |t| {
            t.components[0].format = Some("AUDIO".into())
        }),
        ("header.too_long", |t| {
            t.components[0].text = Some(format!("{} {{{{1}}}}", "x".repeat(60)))
        }),
        ("header.too_many_params", |t| {
            t.components[0].text = Some("Order {{1}} of {{2}}".into());
            t.components[0].example = Some(Example {
                header_text: Some(vec!["a".into(), "b".into()]),
                ..Default::default()
            });
        }),
        ("header.markdown", |t| {
            t.components[0].text = Some("*Your order*".into());
            t.components[0].example = None;
        }),
        ("header.sample_missing", |t| {
            t.components[0] = Component {
                kind: "HEADER".into(),
                format: Some("IMAGE".into()),
                ..Default::default()
            };
        }),
        ("footer.too_long", |t| {
            t.components[2].text = Some("f".repeat(61))
        }),
        ("footer.params", |t| {
            t.components[2].text = Some("Ref {{1}}".into())
        }),
        ("buttons.too_many", |t| {
            buttons(t).clear();
            for i in 0..11 {
                buttons(t).push(qr(&format!("Option {i}")));
            }
        }),
        ("buttons.quick_reply_not_contiguous", |t| {
            buttons(t).insert(0, qr("Yes"));
            buttons(t).push(qr("No"));
        }),
        ("buttons.too_many_of_type", |t| {
            buttons(t).push(Button {
                kind: "PHONE_NUMBER".into(),
                text: Some("Other".into()),
                phone_number: Some("+15550051311".into()),
                ..Default::default()
            })
        }),
        ("button.type_unknown", |t| {
            buttons(t).push(Button {
                kind: "TELEPORT".into(),
                ..Default::default()
            })
        }),
        ("button.text_missing", |t| {
            buttons(t)[1].text = Some(" ".into())
        }),
        ("button.text_too_long", |t| {
            buttons(t)[1].text = Some("Call our friendly support team".into())
        }),
        ("button.url_missing", |t| {
            buttons(t)[0].url = None;
            buttons(t)[0].example = None;
        }),
        ("button.url_too_long", |t| {
            buttons(t)[0].url = Some(format!("https://shop.example.com/{}", "a".repeat(2000)));
            buttons(t)[0].example = None;
        }),
        ("button.url_params", |t| {
            buttons(t)[0].url = Some("https://shop.example.com/{{1}}/track".into())
        }),
        ("button.url_example_missing", |t| {
            buttons(t)[0].example = Some(ButtonExample::Many(vec![]))
        }),
        ("button.phone_invalid", |t| {
            buttons(t)[1].phone_number = Some("call-me".into())
        }),
        ("button.copy_code_example", |t| {
            buttons(t).push(Button {
                kind: "COPY_CODE".into(),
                example: Some(ButtonExample::One("THIS-CODE-IS-TOO-LONG".into())),
                ..Default::default()
            })
        }),
        ("button.otp_outside_authentication", |t| {
            buttons(t).push(Button {
                kind: "OTP".into(),
                otp_type: Some("COPY_CODE".into()),
                ..Default::default()
            })
        }),
        ("param.braces", |t| {
            body(
                t,
                "Hello {{1}, your order is on its way to you today.",
                &["Ana"],
            )
        }),
        ("param.invalid", |t| {
            body(
                t,
                "Hello {{#name}}, your order is on its way to you today.",
                &[],
            )
        }),
        ("param.wrong_format", |t| {
            body(
                t,
                "Hello {{first_name}}, your order is on its way to you today.",
                &[],
            )
        }),
        ("param.not_sequential", |t| {
            body(
                t,
                "Hello {{1}}, your order {{3}} is on its way to you today.",
                &["Ana", "x", "#1"],
            )
        }),
        ("param.at_start", |t| {
            body(t, "{{1}}, your order is on its way to you today.", &["Ana"])
        }),
        ("param.at_end", |t| {
            body(t, "Your order is on its way to you today, {{1}}", &["Ana"])
        }),
        ("param.adjacent", |t| {
            body(
                t,
                "Hello {{1}} {{2}}, your order is on its way to you today.",
                &["Ana", "Silva"],
            )
        }),
        ("param.too_dense", |t| {
            body(t, "Hi {{1}} and {{2}} or {{3}} now", &["a", "b", "c"])
        }),
        ("example.missing", |t| {
            body(
                t,
                "Hello {{1}}, your order {{2}} is on its way to you today.",
                &["Ana"],
            )
        }),
        ("example.formatting", |t| {
            body(
                t,
                "Hello {{1}}, your order is on its way to you today.",
                &["Ana\nSilva"],
            )
        }),
        ("link.shortener", |t| {
            body(
                t,
                "Hello {{1}}, follow your order at https://bit.ly/abc today please.",
                &["Ana"],
            )
        }),
        ("link.domain_unverified", |t| {
            body(
                t,
                "Hello {{1}}, follow your order at https://tracking.other.net/abc today please.",
                &["Ana"],
            )
        }),
        ("language.mismatch", |t| {
            body(t, "Bonjour {{1}}, votre commande a été expédiée et arrivera bientôt chez vous. Merci de votre confiance.", &["Ana"])
        }),
        ("language.mixed", |t| {
            body(t, "Hello {{1}}, your order has been shipped and will arrive very soon at your home. Votre commande a été expédiée et arrivera très bientôt chez vous.", &["Ana"])
        }),
        ("content.sensitive_identifier", |t| {
            body(
                t,
                "Hello {{1}}, please reply with your full card number to confirm the order.",
                &["Ana"],
            )
        }),
        ("category.likely_marketing", |t| {
            body(
                t,
                "Hello {{1}}, enjoy a discount on your next order with us this week.",
                &["Ana"],
            )
        }),
        ("format.unbalanced", |t| {
            body(
                t,
                "Hello {{1}}, your order is *on its way to you today.",
                &["Ana"],
            )
        }),
        ("format.spaces", |t| {
            body(
                t,
                "Hello {{1}}, your order is      on its way to you today.",
                &["Ana"],
            )
        }),
    ]
}

#[test]
fn duplicates_of_another_template_are_errors() {
    let t = clean();
    let b = t.body().and_then(|b| b.text.clone()).unwrap_or_default();
    let c = LintContext {
        other_templates: vec![(b, "Reply STOP to opt out".into())],
        ..ctx()
    };
    assert!(lint(&t, &c)
        .iter()
        .any(|f| f.rule == "content.duplicate" && f.severity == Severity::Error));
}

#[test]
fn named_parameters_take_named_examples() {
    let mut t = clean();
    t.parameter_format = Some("named".into());
    t.components[0].text = Some("Your order".into());
    t.components[0].example = None;
    if let Some(b) = t.components.iter_mut().find(|c| c.kind == "BODY") {
        b.text = Some("Hello {{first_name}}, your order {{order_id}} has shipped and will arrive soon. Thanks a lot.".into());
        b.example = Some(Example {
            body_text_named_params: Some(vec![NamedExample {
                param_name: "first_name".into(),
                example: "Ana".into(),
            }]),
            ..Default::default()
        });
    }
    let f = lint(&t, &ctx());
    assert_eq!(
        f.iter()
            .map(|f| (f.rule, f.args.clone()))
            .collect::<Vec<_>>(),
        vec![("example.missing", vec!["order_id".to_owned()])]
    );
}

#[test]
fn spans_count_characters_not_bytes() {
    let mut t = clean();
    body(
        &mut t,
        "Héllo ça va {{1}} {{2}}, your order is on its way to you today.",
        &["a", "b"],
    );
    let f = lint(&t, &ctx())
        .into_iter()
        .find(|f| f.rule == "param.adjacent");
    assert_eq!(f.and_then(|f| f.span), Some((12, 23)));
}

#[test]
fn authentication_rules() {
    for (rule, change) in auth_cases() {
        let mut t = auth();
        change(&mut t);
        let ids: Vec<&str> = lint(&t, &ctx()).iter().map(|f| f.rule).collect();
        assert!(ids.contains(&rule), "{rule}: got {ids:?}");
    }
}

fn auth_cases() -> Vec<Case> {
    vec![
        ("auth.custom_text", |t| {
            t.components[0].text = Some("Your code is {{1}}".into())
        }),
        ("header.location_not_allowed", |t| {
            t.components.insert(
                0,
                Component {
                    kind: "HEADER".into(),
                    format: Some("LOCATION".into()),
                    ..Default::default()
                },
            )
        }),
        ("auth.code_expiration", |t| {
            t.components[1].code_expiration_minutes = Some(91)
        }),
        ("auth.otp_button", |t| buttons(t).clear()),
        ("auth.supported_apps", |t| {
            buttons(t)[0].otp_type = Some("ONE_TAP".into());
            buttons(t)[0].supported_apps = Some(vec![SupportedApp {
                package_name: "app".into(),
                signature_hash: "short".into(),
            }]);
        }),
        ("auth.zero_tap_terms", |t| {
            buttons(t)[0].otp_type = Some("ZERO_TAP".into());
            buttons(t)[0].supported_apps = Some(vec![SupportedApp {
                package_name: "com.example.app".into(),
                signature_hash: "K8a/AINcGX7".into(),
            }]);
        }),
    ]
}

#[test]
fn every_rule_id_is_unique_and_dotted() {
    let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert!(ids.iter().all(|id| id.contains('.')));
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Text with the characters the rules look at: braces, marks, links, emoji, accents, and
    /// scripts without spaces or with their own sentence ends (kana, Han, Thai with its marks,
    /// Devanagari, a combining accent).
    const TEXT: &str = "([a-zA-Zé😀 {}*_~`#$%.:/\\n\\t0-9]|[ぁ-ゖ一-龥ก-๛ऀ-ॿ।。！\u{301}ß’@]|\\{\\{[a-z0-9_ #]{0,4}\\}\\}|https://[a-z.]{0,12}){0,40}";

    proptest! {
        // Runs PROPTEST_CASES inputs (default 256); the README has the million-input command.
        #[test]
        fn lint_never_panics_on_any_template(body_text in TEXT, header in TEXT, footer in TEXT, url in TEXT, ex in TEXT, lang in "[a-zA-Z_-]{0,6}", cat in "[A-Z]{0,14}") {
            let mut t = clean();
            t.language = lang;
            t.category = cat;
            t.components[0].text = Some(header);
            body(&mut t, &body_text, &[&ex, &ex]);
            t.components[2].text = Some(footer);
            buttons(&mut t)[0].url = Some(url);
            let _ = lint(&t, &ctx());
        }

        #[test]
        fn lint_never_panics_in_any_language(body_text in TEXT, lang in prop::sample::select(vec!["en_US", "fr", "es", "pt_BR", "de", "it", "hi", "ja", "zh_TW", "th", "lo", "ar", "sr", "ko"])) {
            let mut t = clean();
            t.language = lang.into();
            body(&mut t, &body_text, &["a", "b"]);
            let _ = lint(&t, &ctx());
        }

        #[test]
        fn lint_never_panics_on_any_json(raw in "\\PC{0,200}") {
            if let Ok(t) = serde_json::from_str::<CreateTemplate>(&raw) {
                let _ = lint(&t, &ctx());
            }
        }
    }
}
