//! The body: its placeholders and their examples, length, formatting, links, language and
//! content (sensitive identifiers, marketing words in a utility template).

use super::{
    languages::*,
    links::*,
    phrases,
    phrases::Section,
    rules::*,
    script::{self},
};
use crate::domain::template::{
    model::Component,
    placeholders::{scan, Kind, Placeholder},
};

/// Parameter checks shared by text components; returns the placeholders found.
pub(super) fn lint_params(
    text: &str,
    component: &str,
    named: bool,
    out: &mut Out,
) -> Vec<Placeholder> {
    let s = scan(text);
    for span in &s.unbalanced {
        out.add(Rule::ParamBraces, component, Some(*span), vec![]);
    }
    let mut positions = Vec::new();
    for p in &s.placeholders {
        match p.kind() {
            Kind::Invalid => out.add(
                Rule::ParamInvalid,
                component,
                Some((p.start, p.end)),
                vec![p.inner.chars().take(40).collect()],
            ),
            Kind::Positional(n) if named => {
                out.add(
                    Rule::ParamWrongFormat,
                    component,
                    Some((p.start, p.end)),
                    vec!["named".into()],
                );
                let _ = n;
            }
            Kind::Named(_) if !named => out.add(
                Rule::ParamWrongFormat,
                component,
                Some((p.start, p.end)),
                vec!["positional".into()],
            ),
            Kind::Positional(n) => positions.push((n, p)),
            Kind::Named(_) => {}
        }
    }
    // Positional parameters are numbered 1, 2, 3… in order of appearance.
    for (i, (n, p)) in positions.iter().enumerate() {
        let expected = i as u32 + 1;
        if *n != expected {
            out.add(
                Rule::ParamNotSequential,
                component,
                Some((p.start, p.end)),
                vec![expected.to_string()],
            );
            break;
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for w in s.placeholders.windows(2) {
        let between: String = chars
            .get(w[0].end..w[1].start)
            .map(|c| c.iter().collect())
            .unwrap_or_default();
        if between.trim().is_empty() {
            out.add(
                Rule::ParamAdjacent,
                component,
                Some((w[0].start, w[1].end)),
                vec![],
            );
        }
    }
    s.placeholders
}

pub(super) fn lint_body(
    b: &Component,
    named: bool,
    category: &str,
    ctx: &LintContext,
    lang: Option<&str>,
    out: &mut Out,
) {
    let text = b.text.clone().unwrap_or_default();
    if text.trim().is_empty() {
        out.add(Rule::BodyMissing, "body", None, vec![]);
        return;
    }
    let n = len(&text);
    if n > BODY_MAX {
        out.add(
            Rule::BodyTooLong,
            "body",
            Some((BODY_MAX, n)),
            vec![BODY_MAX.to_string(), n.to_string()],
        );
    }
    let params = lint_params(&text, "body", named, out);
    let trimmed_start = text.chars().take_while(|c| c.is_whitespace()).count();
    let trimmed_end = n - text.chars().rev().take_while(|c| c.is_whitespace()).count();
    if let Some(first) = params.first().filter(|p| p.start == trimmed_start) {
        out.add(
            Rule::ParamAtStart,
            "body",
            Some((first.start, first.end)),
            vec![],
        );
    }
    if let Some(last) = params.last().filter(|p| p.end == trimmed_end) {
        out.add(
            Rule::ParamAtEnd,
            "body",
            Some((last.start, last.end)),
            vec![],
        );
    }
    // No published ratio (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components): fewer than two words of text per parameter is too dense.
    // Words are counted so that scripts written without spaces (Chinese, Japanese, Thai, Lao)
    // are measured too: see `script::words`.
    let words = script::word_count(&blank_placeholders(&text));
    if !params.is_empty() && words < 2 * params.len() {
        out.add(
            Rule::ParamTooDense,
            "body",
            None,
            vec![params.len().to_string(), words.to_string()],
        );
    }
    lint_examples(b, &params, named, "body", out);
    lint_links(&text, "body", ctx, out);
    lint_formatting(&text, "body", out);
    let folded = phrases::fold(&text);
    if let Some((span, phrase)) = sensitive(&folded) {
        out.add(Rule::SensitiveIdentifier, "body", Some(span), vec![phrase]);
    }
    if category == "UTILITY" {
        if let Some(p) = phrases::all(Section::Marketing).find(|p| {
            phrases::word_positions(&folded.text, &p.folded)
                .next()
                .is_some()
        }) {
            out.add(
                Rule::CategoryLikelyMarketing,
                "body",
                None,
                vec![p.text.clone()],
            );
        }
    }
    if let Some(code) = lang {
        lint_language(&text, code, out);
    }
}

/// The first request for a sensitive identifier, with its span and the phrase that matched.
///
/// The platform refuses templates that request sensitive identifiers from people, e.g. full
/// payment card numbers, financial account numbers or national identification numbers
/// (https://www.facebook.com/business/help/2055875911147364, and the WhatsApp Business
/// Messaging Policy, https://business.whatsapp.com/policy). Card, account and identity
/// *numbers* are flagged wherever they are named; documents, passwords, PINs and one-time
/// codes only when an `[ask]` phrase comes shortly before them in the same sentence, since
/// sending a code or saying "bring your passport" is fine. A sentence that warns ("never share
/// your PIN") or names only part of a number ("card ending in 1234") is not a request.
pub(super) fn sensitive(folded: &phrases::Folded) -> Option<((usize, usize), String)> {
    use phrases::{all, word_positions};
    let text = folded.text.as_str();
    for (s0, s1) in phrases::sentence_ranges(text) {
        let sentence = &text[s0..s1];
        let asks: Vec<usize> = all(Section::Ask)
            .flat_map(|p| word_positions(sentence, &p.folded).map(move |at| at + p.folded.len()))
            .collect();
        let asked = |at: usize| {
            asks.iter().any(|&end| {
                end <= at
                    && sentence
                        .get(end..at)
                        .is_some_and(|gap| gap.matches(' ').count() <= phrases::ASK_WINDOW)
            })
        };
        let mut found: Vec<(usize, &phrases::Phrase)> = Vec::new();
        for section in [Section::Card, Section::BankAccount, Section::IdNumber] {
            for p in all(section) {
                found.extend(word_positions(sentence, &p.folded).map(|at| (at, p)));
            }
        }
        for section in [Section::IdDocument, Section::Secret] {
            for p in all(section) {
                found.extend(
                    word_positions(sentence, &p.folded)
                        .filter(|&at| asked(at))
                        .map(|at| (at, p)),
                );
            }
        }
        // A warning or a partial number makes the sentence no request, unless the word is part
        // of a phrase found ("número de NIE" does not contain the German "nie", never).
        let inside = |at: usize, n: usize| {
            found
                .iter()
                .any(|(f, p)| at < f + p.folded.len() && *f < at + n)
        };
        if all(Section::NotARequest)
            .chain(all(Section::Partial))
            .any(|c| word_positions(sentence, &c.folded).any(|at| !inside(at, c.folded.len())))
        {
            continue;
        }
        // The first phrase, the longest of those starting there.
        if let Some((at, p)) = found
            .iter()
            .min_by_key(|(at, p)| (*at, std::cmp::Reverse(p.folded.len())))
        {
            return Some((
                folded.span(s0 + at, s0 + at + p.folded.len()),
                p.text.clone(),
            ));
        }
    }
    None
}

pub(super) fn lint_examples(
    c: &Component,
    params: &[Placeholder],
    named: bool,
    component: &str,
    out: &mut Out,
) {
    if params.is_empty() {
        return;
    }
    let ex = c.example.clone().unwrap_or_default();
    let values: Vec<(String, String)> = if named {
        let list = if component == "header" {
            ex.header_text_named_params
        } else {
            ex.body_text_named_params
        };
        list.unwrap_or_default()
            .into_iter()
            .map(|e| (e.param_name, e.example))
            .collect()
    } else {
        let list = if component == "header" {
            ex.header_text.unwrap_or_default()
        } else {
            ex.body_text
                .unwrap_or_default()
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        list.into_iter()
            .enumerate()
            .map(|(i, v)| ((i + 1).to_string(), v))
            .collect()
    };
    for p in params {
        let key = p.inner.as_str();
        match values.iter().find(|(k, _)| k == key) {
            None => out.add(
                Rule::ExampleMissing,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some((_, v)) if v.trim().is_empty() => out.add(
                Rule::ExampleMissing,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some((_, v)) if v.contains(['\n', '\t']) || v.contains("     ") => out.add(
                Rule::ExampleFormatting,
                component,
                Some((p.start, p.end)),
                vec![key.chars().take(40).collect()],
            ),
            Some(_) => {}
        }
    }
}
