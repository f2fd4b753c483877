//! The phrase tables of the content rules: one plain-text file per language in `phrases/`
//! (the format is explained at the top of each file), built into the binary with
//! `include_str!` and parsed once. A unit test parses every file and refuses a malformed one.

use std::sync::OnceLock;

/// The phrase files, by base language code.
pub(super) const FILES: &[(&str, &str)] = &[
    ("en", include_str!("phrases/en.txt")),
    ("fr", include_str!("phrases/fr.txt")),
    ("es", include_str!("phrases/es.txt")),
    ("pt", include_str!("phrases/pt.txt")),
    ("de", include_str!("phrases/de.txt")),
];

/// At most this many words between an `[ask]` phrase and what it asks for.
pub(super) const ASK_WINDOW: usize = 5;

macro_rules! sections {
    ($($variant:ident = $name:literal,)*) => {
        /// A `[section]` of a phrase file.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(super) enum Section { $($variant),* }

        impl Section {
            pub(super) const ALL: &'static [Section] = &[$(Section::$variant),*];
            pub(super) fn name(self) -> &'static str {
                match self { $(Section::$variant => $name),* }
            }
            fn from_name(name: &str) -> Option<Section> {
                match name { $($name => Some(Section::$variant),)* _ => None }
            }
        }
    };
}

sections! {
    Card = "card",
    BankAccount = "bank_account",
    IdNumber = "id_number",
    IdDocument = "id_document",
    Secret = "secret",
    Ask = "ask",
    NotARequest = "not_a_request",
    Partial = "partial",
    Marketing = "marketing",
    CommonWords = "common_words",
}

#[derive(Clone, Debug)]
pub(super) struct Phrase {
    /// As written in the file (for messages, and `[common_words]`, which are compared as is).
    pub(super) text: String,
    /// As matched: see [`fold`].
    pub(super) folded: String,
}

/// One language's file.
#[derive(Clone, Debug)]
pub(super) struct Table {
    pub(super) lang: &'static str,
    sections: Vec<(Section, Vec<Phrase>)>,
}

impl Table {
    pub(super) fn get(&self, s: Section) -> &[Phrase] {
        self.sections
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, p)| p.as_slice())
            .unwrap_or(&[])
    }
}

/// Parses one file. Problems (unknown or missing section, phrase outside a section or not in
/// lower case, spaces around a phrase) are returned with their line numbers; lines that cannot
/// be used are skipped, so a bad line never stops the lint.
pub(super) fn parse(lang: &'static str, src: &str) -> (Table, Vec<String>) {
    let mut table = Table {
        lang,
        sections: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut current: Option<Section> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim();
        let at = || format!("{lang}.txt line {}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Section::from_name(name.trim());
            match current {
                Some(s) if !table.sections.iter().any(|(k, _)| *k == s) => {
                    table.sections.push((s, Vec::new()))
                }
                Some(_) => errors.push(format!("{}: section [{name}] appears twice", at())),
                None => errors.push(format!("{}: unknown section [{name}]", at())),
            }
            continue;
        }
        if line != raw.trim_end_matches('\r') {
            errors.push(format!("{}: spaces around “{line}”", at()));
        }
        if line != line.to_lowercase() {
            errors.push(format!("{}: “{line}” is not in lower case", at()));
            continue;
        }
        let folded = fold(line).text;
        match current.and_then(|s| table.sections.iter_mut().find(|(k, _)| *k == s)) {
            Some((_, list)) if !folded.trim().is_empty() => list.push(Phrase {
                text: line.to_owned(),
                folded,
            }),
            Some(_) => errors.push(format!("{}: empty phrase", at())),
            None => errors.push(format!("{}: “{line}” is outside a [section]", at())),
        }
    }
    for s in Section::ALL {
        if table.get(*s).is_empty() {
            errors.push(format!(
                "{lang}.txt: section [{}] is missing or empty",
                s.name()
            ));
        }
    }
    (table, errors)
}

/// Every language's table, parsed on first use.
pub(super) fn tables() -> &'static [Table] {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES.get_or_init(|| FILES.iter().map(|(lang, src)| parse(lang, src).0).collect())
}

/// Every language's phrases of a section, in file order (English first).
pub(super) fn all(s: Section) -> impl Iterator<Item = &'static Phrase> {
    tables().iter().flat_map(move |t| t.get(s).iter())
}

/// Text prepared for matching: lower case, accents removed (`é` → `e`, `ç` → `c`, `ü` → `u`,
/// so a phrase written with accents also matches text typed without them; `ß` stays `ß`),
/// curly apostrophes and hyphens made plain, runs of spaces and tabs made one space (line
/// breaks are kept: they end sentences). Keeps the
/// original character offset of every character, for spans.
pub(super) struct Folded {
    pub(super) text: String,
    orig: Vec<usize>,
    len: usize,
}

pub(super) fn fold(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut orig = Vec::with_capacity(text.len());
    let mut len = 0;
    let mut space = false;
    for (i, c) in text.chars().enumerate() {
        len = i + 1;
        let Some(f) = fold_char(c) else { continue };
        if f == ' ' && space {
            continue;
        }
        space = f == ' ';
        out.push(f);
        orig.push(i);
    }
    Folded {
        text: out,
        orig,
        len,
    }
}

impl Folded {
    /// The original character span of the folded byte range `start..end`.
    pub(super) fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let chars = |b: usize| self.text.get(..b).map_or(0, |s| s.chars().count());
        let (a, b) = (chars(start), chars(end));
        let s = self.orig.get(a).copied().unwrap_or(self.len);
        let e = if b > a {
            self.orig.get(b - 1).map_or(self.len, |i| i + 1)
        } else {
            s
        };
        (s, e)
    }
}

fn fold_char(c: char) -> Option<char> {
    if c == '\n' {
        return Some(c);
    }
    if c.is_whitespace() {
        return Some(' ');
    }
    // Accents typed as separate combining characters.
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return None;
    }
    let c = c.to_lowercase().next().unwrap_or(c);
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{2032}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => '-',
        c => c,
    })
}

/// Byte offsets where `needle` occurs in `hay` as whole words: not preceded or followed by a
/// letter or digit (`pin` does not match `spinning`; `% off` matches `50% off`).
pub(super) fn word_positions<'a>(
    hay: &'a str,
    needle: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let first = needle.chars().next().is_some_and(char::is_alphanumeric);
    let last = needle
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    hay.match_indices(needle)
        .map(|(at, _)| at)
        .filter(move |&at| {
            let before = hay.get(..at).and_then(|h| h.chars().next_back());
            let after = hay.get(at + needle.len()..).and_then(|h| h.chars().next());
            !needle.is_empty() && (boundary(before) || !first) && (boundary(after) || !last)
        })
}

/// Byte ranges of the sentences of `text`.
pub(super) fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if super::script::SENTENCE_ENDS.contains(&c) {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out.retain(|(a, b)| b > a);
    out
}
