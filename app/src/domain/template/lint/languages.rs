//! Whether the text is in the template's language: whole texts, each sentence, spaceless
//! scripts, and the common words of the languages the phrase files know.

use super::{
    links::*,
    phrases,
    phrases::Section,
    rules::*,
    script::{self, Script},
};
use crate::domain::template::{language, placeholders::strip};

/// whatlang's code for a template language, where whatlang knows it.
pub(super) fn whatlang_code(code: &str) -> Option<&'static str> {
    let map: &[(&str, &str)] = &[
        ("af", "afr"),
        ("ar", "ara"),
        ("az", "aze"),
        ("be", "bel"),
        ("bn", "ben"),
        ("bg", "bul"),
        ("ca", "cat"),
        ("zh", "cmn"),
        ("hr", "hrv"),
        ("cs", "ces"),
        ("da", "dan"),
        ("nl", "nld"),
        ("en", "eng"),
        ("et", "est"),
        ("fil", "tgl"),
        ("fi", "fin"),
        ("fr", "fra"),
        ("ka", "kat"),
        ("de", "deu"),
        ("el", "ell"),
        ("gu", "guj"),
        ("he", "heb"),
        ("hi", "hin"),
        ("hu", "hun"),
        ("id", "ind"),
        ("it", "ita"),
        ("ja", "jpn"),
        ("kn", "kan"),
        ("ko", "kor"),
        ("lv", "lav"),
        ("lt", "lit"),
        ("mk", "mkd"),
        ("ml", "mal"),
        ("mr", "mar"),
        ("nb", "nob"),
        ("fa", "pes"),
        ("pl", "pol"),
        ("pt", "por"),
        ("pa", "pan"),
        ("ro", "ron"),
        ("ru", "rus"),
        ("sr", "srp"),
        ("si", "sin"),
        ("sk", "slk"),
        ("sl", "slv"),
        ("es", "spa"),
        ("sv", "swe"),
        ("ta", "tam"),
        ("te", "tel"),
        ("th", "tha"),
        ("tr", "tur"),
        ("uk", "ukr"),
        ("ur", "urd"),
        ("uz", "uzb"),
        ("vi", "vie"),
        ("zu", "zul"),
    ];
    let base = language::base(code);
    map.iter().find(|(b, _)| *b == base).map(|(_, w)| *w)
}

/// What one piece of text says about the template's language.
pub(super) enum Said {
    /// It is in the template's language.
    Expected,
    /// It is in another language (its English name).
    Foreign(String),
    /// Latin-script text that neither the common words nor a reliable detection place.
    Unsure,
}

/// `language.mixed` and `language.mismatch`. The platform rejects templates whose content is
/// not in the selected language, including mixed content such as a sentence in another
/// language after one in the selected language ("Hinglish"):
/// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/
/// and https://www.facebook.com/business/help/2055875911147364. So every sentence is placed on
/// its own (sentences end with `. ! ?`, line breaks, the Devanagari danda, `。！？`, `؟`, `۔`),
/// after placeholders and links are blanked:
/// - a run of at least 3 words in a script the language does not use (Latin words in a Hindi,
///   Arabic or Japanese template, Devanagari in an English one) is another language when it
///   outweighs the rest of the sentence three to one or reads as a sentence (two common words of
///   a language of the phrase files): strong evidence even when short, while a brand name or a
///   short word ("OK", "WhatsApp") inside a sentence is not;
/// - Latin-script text in a Latin-script language is placed by the common words of the phrase
///   files (a foreign language needs 2 of its common words and more than twice as many as the
///   template's language has), since detectors are unreliable on short sentences; sentences
///   the words do not place count only when they have 6 words or more and whatlang is
///   reliable, as before.
///
/// Mixed means two languages among the sentences; whole text in another language is
/// `language.mismatch` (detected on the whole text, as before), reported only when the text is
/// not mixed so that a mismatch never hides a mix.
pub(super) fn lint_language(text: &str, code: &str, out: &mut Out) {
    let base = language::base(code);
    let expected = whatlang_code(code).and_then(whatlang::Lang::from_code);
    let expected_name = expected
        .map(|l| l.eng_name().to_owned())
        .or_else(|| language::name(code).map(str::to_owned))
        .unwrap_or_else(|| code.to_owned());
    let clean = without_links(&blank_placeholders(text));
    let mut names: Vec<String> = Vec::new();
    let mut foreign = false;
    let mut expected_seen = false;
    let mut unsure = String::new();
    for sentence in clean.split(script::SENTENCE_ENDS) {
        for said in sentence_languages(sentence, base, expected) {
            let name = match said {
                Said::Expected => {
                    expected_seen = true;
                    expected_name.clone()
                }
                Said::Foreign(name) => {
                    foreign = true;
                    name
                }
                Said::Unsure => {
                    unsure.push_str(sentence);
                    unsure.push('\n');
                    continue;
                }
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    // Sentences too short to place one by one may still be in the template's language together.
    if foreign
        && !expected_seen
        && !unsure.is_empty()
        && matches!(
            latin_language(&unsure.replace('\n', " "), base, expected),
            Said::Expected
        )
        && !names.contains(&expected_name)
    {
        names.insert(0, expected_name);
    }
    if foreign && names.len() > 1 {
        out.add(Rule::LanguageMixed, "body", None, names);
        return;
    }
    let Some(expected) = expected else { return };
    let text = strip(text);
    // Only long enough, reliable detections count: short texts fool every detector.
    if text.split_whitespace().count() >= 6 {
        if let Some(info) = whatlang::detect(&text).filter(|i| i.is_reliable()) {
            if info.lang() != expected {
                out.add(
                    Rule::LanguageMismatch,
                    "body",
                    None,
                    vec![info.lang().eng_name().to_owned()],
                );
            }
        }
    }
}

/// The languages of one sentence: usually one, two when a run of words in another script
/// sits in a sentence of the template's language, none without letters.
pub(super) fn sentence_languages(
    sentence: &str,
    base: &str,
    expected: Option<whatlang::Lang>,
) -> Vec<Said> {
    let scripts = script::scripts_of_language(base);
    // Each whitespace-separated token with its main script and its size in words.
    let tokens: Vec<(&str, Option<Script>, usize)> = sentence
        .split_whitespace()
        .map(|t| {
            let words = script::words(t);
            let main = words.iter().filter(|(s, _)| *s != Script::Common).fold(
                None,
                |best: Option<(Script, usize)>, &(s, n)| {
                    if best.is_none_or(|(_, m)| n > m) {
                        Some((s, n))
                    } else {
                        best
                    }
                },
            );
            (t, main.map(|(s, _)| s), words.iter().map(|(_, n)| n).sum())
        })
        .collect();
    let in_expected: usize = tokens
        .iter()
        .filter(|(_, s, _)| s.is_some_and(|s| scripts.contains(&s)))
        .map(|(_, _, n)| n)
        .sum();
    // Runs of consecutive words in one script the language does not use (digits do not break
    // a run).
    let mut runs: Vec<(Script, usize, String)> = Vec::new();
    let mut current: Option<(Script, usize, String)> = None;
    for (t, s, n) in &tokens {
        match s {
            Some(s) if !scripts.contains(s) => match &mut current {
                Some((cs, cn, text)) if cs == s => {
                    *cn += n;
                    text.push(' ');
                    text.push_str(t);
                }
                _ => runs.extend(current.replace((*s, *n, (*t).to_owned()))),
            },
            Some(_) => runs.extend(current.take()),
            None => {
                if let Some((_, _, text)) = &mut current {
                    text.push(' ');
                    text.push_str(t);
                }
            }
        }
    }
    runs.extend(current);
    let mut said: Vec<Said> = runs
        .into_iter()
        .filter(|(_, n, text)| {
            *n >= 3
                && (*n > 3 * in_expected
                    || common_word_language(text, "").is_some_and(|(_, hits)| hits >= 2))
        })
        .map(|(s, _, text): (Script, usize, String)| Said::Foreign(script_language_name(&text, s)))
        .collect();
    if in_expected == 0 {
        return said;
    }
    // Serbian, Kazakh and Uzbek sentences may be in Cyrillic or in Latin script.
    let latin: usize = tokens
        .iter()
        .filter(|(_, s, _)| *s == Some(Script::Latin))
        .map(|(_, _, n)| n)
        .sum();
    if scripts.contains(&Script::Latin) && 2 * latin >= in_expected {
        said.push(latin_language(sentence, base, expected));
    } else {
        said.push(Said::Expected);
    }
    said
}

/// The language of Latin-script text in a template whose language is written in Latin script.
pub(super) fn latin_language(text: &str, base: &str, expected: Option<whatlang::Lang>) -> Said {
    let own = common_words(text, base);
    let listed = phrases::tables().iter().any(|t| t.lang == base);
    if let Some((lang, _)) =
        common_word_language(text, base).filter(|(_, hits)| *hits >= 2 && *hits > 2 * own)
    {
        let other = whatlang_code(lang).and_then(whatlang::Lang::from_code);
        // For a language without a word list, whatlang confirms between the two candidates.
        let confirmed = listed
            || match (expected, other) {
                (Some(e), Some(o)) => {
                    whatlang::Detector::with_allowlist(vec![e, o]).detect_lang(text) == Some(o)
                }
                _ => true,
            };
        if confirmed {
            return Said::Foreign(other.map_or(lang, |o| o.eng_name()).to_owned());
        }
    }
    if own > 0 {
        return Said::Expected;
    }
    // Without common words, only a long sentence and a reliable detection say anything.
    let Some(expected) = expected.filter(|e| whatlang::Script::Latin.langs().contains(e)) else {
        return Said::Unsure;
    };
    if text.split_whitespace().count() >= 6 {
        if let Some(info) = whatlang::detect(text)
            .filter(|i| i.is_reliable() && i.script() == whatlang::Script::Latin)
        {
            return if info.lang() == expected {
                Said::Expected
            } else {
                Said::Foreign(info.lang().eng_name().to_owned())
            };
        }
    }
    Said::Unsure
}

/// How many of `text`'s words are among the common words of the phrase file of `lang`.
pub(super) fn common_words(text: &str, lang: &str) -> usize {
    let Some(table) = phrases::tables().iter().find(|t| t.lang == lang) else {
        return 0;
    };
    let list = table.get(Section::CommonWords);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| list.iter().any(|p| p.text == *w))
        .count()
}

/// The phrase-file language other than `except` with the most common words in `text`, if any.
pub(super) fn common_word_language(text: &str, except: &str) -> Option<(&'static str, usize)> {
    phrases::tables()
        .iter()
        .filter(|t| t.lang != except)
        .map(|t| (t.lang, common_words(text, t.lang)))
        .filter(|(_, n)| *n > 0)
        .fold(None, |best, (l, n)| {
            if best.is_none_or(|(_, m)| n > m) {
                Some((l, n))
            } else {
                best
            }
        })
}

/// A name for text in another script: its language when the common words or a reliable
/// detection tell, else the script ("Latin script").
pub(super) fn script_language_name(text: &str, s: Script) -> String {
    if s == Script::Latin {
        if let Some((lang, _)) = common_word_language(text, "").filter(|(_, hits)| *hits >= 2) {
            return whatlang_code(lang)
                .and_then(whatlang::Lang::from_code)
                .map_or(lang, |l| l.eng_name())
                .to_owned();
        }
    }
    match whatlang::detect(text).filter(|i| i.is_reliable()) {
        Some(info) => info.lang().eng_name().to_owned(),
        None => format!("{} script", s.name()),
    }
}
