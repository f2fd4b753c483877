//! Links (shorteners, unverified domains) and formatting marks.

use super::rules::*;
use crate::domain::template::placeholders::scan;

/// Hosts of the links in `text`, with character spans.
pub(super) fn links(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let lower: String = text.to_lowercase();
    let lower_chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < lower_chars.len() {
        let rest: String = lower_chars[i..].iter().take(8).collect();
        let skip = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else if rest.starts_with("www.") {
            0
        } else {
            usize::MAX
        };
        let at_word_start = i == 0 || !lower_chars[i - 1].is_alphanumeric();
        if skip != usize::MAX && at_word_start {
            let start = i;
            let mut j = i + skip;
            while j < chars.len()
                && !chars[j].is_whitespace()
                && !matches!(chars[j], '"' | '<' | '>' | ')' | ']')
            {
                j += 1;
            }
            let url: String = lower_chars[start + skip..j].iter().collect();
            let host = url
                .split(['/', '?', '#', ':'])
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .trim_start_matches("www.")
                .to_owned();
            if !host.is_empty() {
                out.push((host, start, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

pub(super) fn lint_links(text: &str, component: &str, ctx: &LintContext, out: &mut Out) {
    for (host, start, end) in links(text) {
        if SHORTENERS.iter().any(|s| host == *s) {
            out.add(
                Rule::LinkShortener,
                component,
                Some((start, end)),
                vec![host],
            );
        } else if !host.contains("{{")
            && !ctx
                .verified_domains
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        {
            out.add(
                Rule::LinkDomainUnverified,
                component,
                Some((start, end)),
                vec![host],
            );
        }
    }
}

pub(super) fn lint_formatting(text: &str, component: &str, out: &mut Out) {
    let mono = text.matches("```").count();
    if mono % 2 == 1 {
        out.add(
            Rule::FormattingUnbalanced,
            component,
            None,
            vec!["```".into()],
        );
    }
    let without_mono = text.replace("```", "");
    for mark in ['*', '_', '~'] {
        // Underscores inside words (snake_case, URLs) are not formatting.
        let n = without_mono
            .char_indices()
            .filter(|(i, c)| {
                *c == mark && {
                    let before = without_mono[..*i].chars().next_back();
                    let after = without_mono[i + c.len_utf8()..].chars().next();
                    !(mark == '_'
                        && before.is_some_and(char::is_alphanumeric)
                        && after.is_some_and(char::is_alphanumeric))
                }
            })
            .count();
        if n % 2 == 1 {
            out.add(
                Rule::FormattingUnbalanced,
                component,
                None,
                vec![mark.to_string()],
            );
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut run = 0;
    for (i, c) in chars.iter().enumerate() {
        run = if *c == ' ' { run + 1 } else { 0 };
        if run == 5 {
            out.add(
                Rule::FormattingSpaces,
                component,
                Some((i + 1 - run, i + 1)),
                vec![],
            );
        }
    }
}

/// The text with links, e-mail addresses and domain names blanked (they are in no language).
pub(super) fn without_links(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|piece| {
            let word = piece.trim_end();
            let core = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"']);
            let lower = core.to_lowercase();
            let domain = core.rsplit_once('.').is_some_and(|(head, tld)| {
                head.chars().next_back().is_some_and(char::is_alphanumeric)
                    && (2..=6).contains(&tld.len())
                    && tld.chars().all(|c| c.is_ascii_lowercase())
            });
            if lower.contains("://")
                || lower.starts_with("www.")
                || core.contains(['@', '/'])
                || domain
            {
                let blank: String = core.chars().map(|_| ' ').collect();
                format!("{blank}{}", &piece[core.len()..])
            } else {
                piece.to_owned()
            }
        })
        .collect()
}

/// The text with every placeholder replaced by spaces (a placeholder separates words).
pub(super) fn blank_placeholders(text: &str) -> String {
    let s = scan(text);
    let mut next = s.placeholders.iter().peekable();
    text.chars()
        .enumerate()
        .map(|(i, ch)| {
            while next.peek().is_some_and(|p| i >= p.end) {
                next.next();
            }
            if next.peek().is_some_and(|p| i >= p.start) {
                ' '
            } else {
                ch
            }
        })
        .collect()
}
