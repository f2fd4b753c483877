//! What changed between two revisions of a template, word by word, component by component
//! (the reviewer compares a resubmission with the revision that was rejected).

use super::model::CreateTemplate;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Added,
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub change: Change,
    pub text: String,
}

/// One component's text before and after, as pieces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentDiff {
    /// `category`, `header`, `body`, `footer`, `examples`, `buttons`.
    pub component: String,
    pub pieces: Vec<Piece>,
}

/// Word-level diff of two texts; neighbouring pieces of the same kind are merged.
pub fn diff_words(old: &str, new: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for c in TextDiff::from_words(old, new).iter_all_changes() {
        let change = match c.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match out.last_mut() {
            Some(p) if p.change == change => p.text.push_str(c.value()),
            _ => out.push(Piece {
                change,
                text: c.value().to_owned(),
            }),
        }
    }
    out
}

/// The text of each comparable part of a template, in a fixed order.
fn parts(t: &CreateTemplate) -> Vec<(&'static str, String)> {
    let text = |kind: &str| {
        t.components_of(kind)
            .next()
            .and_then(|(_, c)| c.text.clone())
            .unwrap_or_default()
    };
    let examples = t
        .body()
        .and_then(|b| b.example.as_ref())
        .map(|e| {
            let positional = e.body_text.iter().flatten().flatten().cloned();
            let named = e
                .body_text_named_params
                .iter()
                .flatten()
                .map(|n| format!("{}={}", n.param_name, n.example));
            positional.chain(named).collect::<Vec<_>>().join("\n")
        })
        .unwrap_or_default();
    let buttons = t
        .components_of("BUTTONS")
        .flat_map(|(_, c)| c.buttons.iter().flatten())
        .map(|b| {
            [
                Some(b.kind.as_str()),
                b.text.as_deref(),
                b.url.as_deref(),
                b.phone_number.as_deref(),
                b.otp_type.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("category", t.category.clone()),
        ("header", text("HEADER")),
        ("body", text("BODY")),
        ("examples", examples),
        ("footer", text("FOOTER")),
        ("buttons", buttons),
    ]
}

/// The components that differ between `old` and `new` (unchanged ones are left out).
pub fn diff_templates(old: &CreateTemplate, new: &CreateTemplate) -> Vec<ComponentDiff> {
    parts(old)
        .into_iter()
        .zip(parts(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((component, a), (_, b))| ComponentDiff {
            component: component.to_owned(),
            pieces: diff_words(&a, &b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::draft::DraftForm;

    fn template(body: &str, footer: &str) -> CreateTemplate {
        DraftForm {
            name: "t".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            body: body.into(),
            footer: footer.into(),
            ..Default::default()
        }
        .parse()
        .unwrap_or_default()
    }

    #[test]
    fn only_changed_words_are_marked() {
        let p = diff_words(
            "Hi {{1}}, your order ships today.",
            "Hi {{1}}, your parcel ships tomorrow.",
        );
        let marked: Vec<_> = p
            .iter()
            .filter(|p| p.change != Change::Same)
            .map(|p| (p.change, p.text.as_str()))
            .collect();
        assert_eq!(
            marked,
            vec![
                (Change::Removed, "order"),
                (Change::Added, "parcel"),
                (Change::Removed, "today."),
                (Change::Added, "tomorrow.")
            ]
        );
        let joined_new: String = p
            .iter()
            .filter(|p| p.change != Change::Removed)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(joined_new, "Hi {{1}}, your parcel ships tomorrow.");
    }

    #[test]
    fn unchanged_components_are_left_out() {
        let d = diff_templates(
            &template("Hello {{1}} there", "Thanks"),
            &template("Hello {{1}} there", "Thank you"),
        );
        assert_eq!(
            d.iter().map(|c| c.component.as_str()).collect::<Vec<_>>(),
            vec!["footer"]
        );
        assert!(diff_templates(&template("Same", ""), &template("Same", "")).is_empty());
    }
}
