//! The builder's form: what a tenant types, parsed into a create-template JSON.

use super::{
    language,
    model::{Component, CreateTemplate, Example},
    name::TemplateName,
};
use crate::domain::validation::{FieldCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// Categories the builder offers (authentication templates need the OTP builder, to come).
pub const CATEGORIES: [&str; 2] = ["UTILITY", "MARKETING"];

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
}

impl DraftForm {
    pub fn parse(&self) -> Result<CreateTemplate, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", TemplateName::parse(self.name.trim()));
        let lang = e.take("language", language::normalise(&self.language).ok_or(FieldCode::InvalidLanguage));
        let category = self.category.trim().to_ascii_uppercase();
        let category = e.take("category", CATEGORIES.contains(&category.as_str()).then_some(category).ok_or(FieldCode::InvalidCategory));
        if self.body.trim().is_empty() {
            e.add("body", FieldCode::Required);
        }
        let (Some(name), Some(lang), Some(category)) = (name, lang, category) else { return Err(e) };
        e.into_result()?;
        let examples: Vec<String> = self.examples.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        let mut components = Vec::new();
        if !self.header.trim().is_empty() {
            components.push(Component { kind: "HEADER".into(), format: Some("TEXT".into()), text: Some(self.header.trim().to_owned()), ..Default::default() });
        }
        components.push(Component {
            kind: "BODY".into(),
            text: Some(self.body.trim().to_owned()),
            example: (!examples.is_empty()).then(|| Example { body_text: Some(vec![examples]), ..Default::default() }),
            ..Default::default()
        });
        if !self.footer.trim().is_empty() {
            components.push(Component { kind: "FOOTER".into(), text: Some(self.footer.trim().to_owned()), ..Default::default() });
        }
        Ok(CreateTemplate { name: name.as_str().to_owned(), language: lang.to_owned(), category, parameter_format: None, components })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_becomes_the_platforms_json() {
        let f = DraftForm { name: "order_shipped".into(), language: "en-US".into(), category: "utility".into(), body: "Hi {{1}}, it ships today.".into(), examples: "Ana\n".into(), ..Default::default() };
        let t = f.parse().unwrap_or_default();
        assert_eq!((t.language.as_str(), t.category.as_str(), t.components.len()), ("en_US", "UTILITY", 1));
        assert_eq!(t.body().and_then(|b| b.example.clone()).and_then(|e| e.body_text), Some(vec![vec!["Ana".to_owned()]]));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let f = DraftForm { name: "Bad Name".into(), language: "xx".into(), category: "AUTHENTICATION".into(), ..Default::default() };
        let e = f.parse().err().unwrap_or_default();
        let fields: Vec<_> = e.0.iter().map(|x| (x.field.as_str(), x.code)).collect();
        assert_eq!(fields, vec![("name", FieldCode::InvalidTemplateName), ("language", FieldCode::InvalidLanguage), ("category", FieldCode::InvalidCategory), ("body", FieldCode::Required)]);
    }
}
