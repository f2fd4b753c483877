//! Writing systems, a word count that works for scripts written without spaces, and
//! sentence splitting: what `param.too_dense` and `language.mixed` measure text with.

/// A writing system, as far as the lint needs to tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Script {
    /// Digits: count as words, but belong to no language.
    Common,
    Latin,
    Cyrillic,
    Greek,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
    Tamil,
    Telugu,
    Kannada,
    Malayalam,
    Sinhala,
    Thai,
    Lao,
    Georgian,
    Hangul,
    /// Chinese characters with the Japanese kana (one run of text mixes them freely).
    Han,
    /// Letters of any other script.
    Other,
}

impl Script {
    /// English name, for messages ("Latin script").
    pub(super) fn name(self) -> &'static str {
        match self {
            Script::Common => "Common",
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
            Script::Greek => "Greek",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Devanagari => "Devanagari",
            Script::Bengali => "Bengali",
            Script::Gurmukhi => "Gurmukhi",
            Script::Gujarati => "Gujarati",
            Script::Tamil => "Tamil",
            Script::Telugu => "Telugu",
            Script::Kannada => "Kannada",
            Script::Malayalam => "Malayalam",
            Script::Sinhala => "Sinhala",
            Script::Thai => "Thai",
            Script::Lao => "Lao",
            Script::Georgian => "Georgian",
            Script::Hangul => "Hangul",
            Script::Han => "Chinese/Japanese",
            Script::Other => "other",
        }
    }

    /// For scripts written without spaces between words, how many letters make one word.
    ///
    /// Splitting on spaces makes a whole Japanese, Chinese, Thai or Lao clause one "word", and
    /// Unicode word segmentation (UAX #29) is no better without a dictionary: it makes every
    /// Han and Hiragana character a word (about twice too many) and leaves Thai and Lao runs
    /// whole (far too few). So these scripts are measured in characters instead:
    /// - Han and kana: 2 characters a word. Most Chinese words are one or two characters
    ///   (two-character compounds dominate the vocabulary, running text averages about 1.5),
    ///   and Japanese mixes two-character kanji compounds with one- or two-kana particles and
    ///   endings, so 2 slightly under-counts words: the measure errs on the strict side only a
    ///   little, and a full sentence still counts many words.
    /// - Thai and Lao: 3 letters a word, counting base letters only (vowel signs above or below
    ///   and tone marks are combining characters and are skipped). A syllable is two to three
    ///   base letters and most words are one or two syllables.
    ///
    /// A run of N such characters counts as N / chars-per-word words, rounded up (a lone
    /// particle between two parameters is one word).
    fn chars_per_word(self) -> Option<usize> {
        match self {
            Script::Han => Some(2),
            Script::Thai | Script::Lao => Some(3),
            _ => None,
        }
    }
}

/// The script of a letter or digit; `None` for punctuation, symbols, spaces and marks.
pub(super) fn script_of(c: char) -> Option<Script> {
    if !c.is_alphanumeric() {
        return None;
    }
    let u = c as u32;
    Some(match u {
        _ if c.is_ascii_digit() => Script::Common,
        0x41..=0x24F | 0x1E00..=0x1EFF | 0xFF21..=0xFF5A => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x590..=0x5FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x900..=0x97F | 0xA8E0..=0xA8FF => Script::Devanagari,
        0x980..=0x9FF => Script::Bengali,
        0xA00..=0xA7F => Script::Gurmukhi,
        0xA80..=0xAFF => Script::Gujarati,
        0xB80..=0xBFF => Script::Tamil,
        0xC00..=0xC7F => Script::Telugu,
        0xC80..=0xCFF => Script::Kannada,
        0xD00..=0xD7F => Script::Malayalam,
        0xD80..=0xDFF => Script::Sinhala,
        0xE00..=0xE7F => Script::Thai,
        0xE80..=0xEFF => Script::Lao,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF | 0x2D00..=0x2D2F => Script::Georgian,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC => {
            Script::Hangul
        }
        0x3005..=0x3007
        | 0x3021..=0x3029
        | 0x3031..=0x3035
        | 0x3038..=0x303C
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFF => Script::Han,
        _ if c.is_numeric() => Script::Common,
        _ => Script::Other,
    })
}

/// Thai and Lao vowel signs above/below and tone marks: part of the letter before them.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0xE31 | 0xE34..=0xE3A | 0xE47..=0xE4E | 0xEB1 | 0xEB4..=0xEBC | 0xEC8..=0xECE)
}

/// Words of `text` by script (placeholders should be blanked first). For scripts with
/// spaces, every whitespace-separated piece with a letter or digit is one word, exactly as a
/// plain word count; runs of a spaceless script inside a piece count by characters (see
/// [`Script::chars_per_word`]); a Latin brand name inside a Japanese sentence is one word.
pub(super) fn words(text: &str) -> Vec<(Script, usize)> {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    let mut add = |s: Script, n: usize| match counts.iter_mut().find(|(k, _)| *k == s) {
        Some((_, c)) => *c += n,
        None if n > 0 => counts.push((s, n)),
        None => {}
    };
    for piece in text.split_whitespace() {
        // The spaceless run being measured, and the spaced word being read.
        let mut run: Option<(Script, usize)> = None;
        let mut word: Option<Script> = None;
        for c in piece.chars() {
            if is_combining_mark(c) {
                continue;
            }
            let script = script_of(c);
            match script.filter(|s| s.chars_per_word().is_some()) {
                Some(s) => {
                    if let Some(w) = word.take() {
                        add(w, 1);
                    }
                    match &mut run {
                        Some((r, n)) if *r == s => *n += 1,
                        _ => {
                            if let Some((r, n)) = run.replace((s, 1)) {
                                add(r, run_words(r, n));
                            }
                        }
                    }
                }
                None => {
                    if let Some((r, n)) = run.take() {
                        add(r, run_words(r, n));
                    }
                    match (script, word) {
                        (Some(s), None) => word = Some(s),
                        // A word's script is that of its first letter (digits do not decide).
                        (Some(s), Some(Script::Common)) if s != Script::Common => word = Some(s),
                        _ => {}
                    }
                }
            }
        }
        if let Some((r, n)) = run {
            add(r, run_words(r, n));
        }
        if let Some(w) = word {
            add(w, 1);
        }
    }
    counts
}

fn run_words(s: Script, n: usize) -> usize {
    n.div_ceil(s.chars_per_word().unwrap_or(1))
}

/// All words of `text`, whatever the script.
pub(super) fn word_count(text: &str) -> usize {
    words(text).iter().map(|(_, n)| n).sum()
}

/// Characters that end a sentence: Latin and Greek-style punctuation, the Devanagari danda,
/// the CJK full stop and full-width marks, the Arabic question mark and the Urdu full stop.
pub(super) const SENTENCE_ENDS: &[char] = &[
    '.', '!', '?', '\n', '\r', '…', '।', '॥', '。', '！', '？', '؟', '۔', '｡',
];

/// The scripts a template language is written in (by its base code, `pt` for `pt_BR`).
/// Serbian, Kazakh and Uzbek are written in both Cyrillic and Latin; Korean may use Han.
pub(super) fn scripts_of_language(base: &str) -> &'static [Script] {
    match base {
        "ar" | "fa" | "ur" | "prs" | "ps" => &[Script::Arabic],
        "he" => &[Script::Hebrew],
        "hi" | "mr" => &[Script::Devanagari],
        "bn" => &[Script::Bengali],
        "pa" => &[Script::Gurmukhi],
        "gu" => &[Script::Gujarati],
        "ta" => &[Script::Tamil],
        "te" => &[Script::Telugu],
        "kn" => &[Script::Kannada],
        "ml" => &[Script::Malayalam],
        "si" => &[Script::Sinhala],
        "th" => &[Script::Thai],
        "lo" => &[Script::Lao],
        "ka" => &[Script::Georgian],
        "el" => &[Script::Greek],
        "ko" => &[Script::Hangul, Script::Han],
        "ja" | "zh" => &[Script::Han],
        "ru" | "uk" | "bg" | "mk" | "be" | "ky" => &[Script::Cyrillic],
        "sr" | "kk" | "uz" => &[Script::Cyrillic, Script::Latin],
        _ => &[Script::Latin],
    }
}
