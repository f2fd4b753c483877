//! What a customer would see: the template with its example values in place of the
//! parameters (the builder's live preview and the review page use the same function).

use super::{
    model::CreateTemplate,
    placeholders::{scan, Kind},
};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Header text, with its example filled in.
    pub header: Option<String>,
    /// A media or location header: `IMAGE`, `VIDEO`, `DOCUMENT`, `LOCATION`.
    pub header_media: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    /// Button labels, in order.
    pub buttons: Vec<String>,
}

/// Replaces each parameter with its example: positional `{{n}}` by the n-th value, named
/// ones by their `param_name` match; a parameter without example stays as written.
pub fn fill(text: &str, positional: &[String], named: &[(String, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for p in scan(text).placeholders {
        let value = match p.kind() {
            Kind::Positional(n) => positional.get((n as usize).saturating_sub(1)).cloned(),
            Kind::Named(name) => named
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone()),
            Kind::Invalid => None,
        };
        if let Some(v) = value {
            out.extend(&chars[at..p.start]);
            out.push_str(&v);
            at = p.end;
        }
    }
    out.extend(&chars[at.min(chars.len())..]);
    out
}

pub fn render(t: &CreateTemplate) -> Rendered {
    let mut r = Rendered::default();
    for c in &t.components {
        let ex = c.example.as_ref();
        match c.kind.to_ascii_uppercase().as_str() {
            "HEADER" => match c.format.as_deref().map(str::to_ascii_uppercase).as_deref() {
                None | Some("TEXT") => {
                    let pos = ex.and_then(|e| e.header_text.clone()).unwrap_or_default();
                    let named: Vec<(String, String)> = ex
                        .and_then(|e| e.header_text_named_params.clone())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|n| (n.param_name, n.example))
                        .collect();
                    r.header = c.text.as_deref().map(|h| fill(h, &pos, &named));
                }
                Some(f) => r.header_media = Some(f.to_owned()),
            },
            "BODY" => {
                let pos = ex
                    .and_then(|e| e.body_text.clone())
                    .and_then(|v| v.into_iter().next())
                    .unwrap_or_default();
                let named: Vec<(String, String)> = ex
                    .and_then(|e| e.body_text_named_params.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|n| (n.param_name, n.example))
                    .collect();
                r.body = match (&c.text, c.add_security_recommendation) {
                    (Some(b), _) => fill(b, &pos, &named),
                    // Authentication templates: the platform's fixed text.
                    (None, sec) => {
                        let mut b = "123456 is your verification code.".to_owned();
                        if sec == Some(true) {
                            b.push_str(" For your security, do not share this code.");
                        }
                        b
                    }
                };
            }
            "FOOTER" => {
                r.footer = match (&c.text, c.code_expiration_minutes) {
                    (Some(f), _) => Some(f.clone()),
                    (None, Some(m)) => Some(format!("This code expires in {m} minutes.")),
                    (None, None) => None,
                };
            }
            "BUTTONS" => {
                r.buttons = c
                    .buttons
                    .iter()
                    .flatten()
                    .map(|b| {
                        b.text.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| {
                            if b.kind.eq_ignore_ascii_case("OTP") {
                                "Copy code".into()
                            } else {
                                b.kind.to_lowercase().replace('_', " ")
                            }
                        })
                    })
                    .collect()
            }
            _ => {}
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_fill_their_parameters_and_missing_ones_stay() {
        let pos = vec!["Ana".to_owned(), "#42".to_owned()];
        assert_eq!(
            fill("Hi {{1}}, order {{2}} ships. {{3}}", &pos, &[]),
            "Hi Ana, order #42 ships. {{3}}"
        );
        assert_eq!(
            fill(
                "Olá {{first_name}} 👋",
                &[],
                &[("first_name".into(), "Zoë".into())]
            ),
            "Olá Zoë 👋"
        );
        assert_eq!(fill("no params", &pos, &[]), "no params");
    }

    #[test]
    fn a_draft_renders_as_the_customer_sees_it() {
        let t = super::super::draft::DraftForm {
            name: "a".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            header: "Order".into(),
            body: "Hi {{1}}!".into(),
            examples: "Ana".into(),
            footer: "Shop".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_or_default();
        assert_eq!(
            render(&t),
            Rendered {
                header: Some("Order".into()),
                header_media: None,
                body: "Hi Ana!".into(),
                footer: Some("Shop".into()),
                buttons: vec![]
            }
        );
    }
}
