//! Finding `{{…}}` parameters in template text, with positions in characters (not bytes), and
//! the brace mistakes the platform rejects.

/// One `{{inner}}` occurrence; `start..end` are character offsets of the whole token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub inner: String,
    pub start: usize,
    pub end: usize,
}

/// What kind of parameter a placeholder is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{{1}}`, `{{2}}` … (no leading zero).
    Positional(u32),
    /// `{{first_name}}`: lowercase letters and underscores.
    Named(String),
    /// Anything else (`{{#}}`, `{{ 1 }}`, `{{Name}}`, `{{}}`).
    Invalid,
}

impl Placeholder {
    pub fn kind(&self) -> Kind {
        let s = self.inner.as_str();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') {
            return s.parse().map(Kind::Positional).unwrap_or(Kind::Invalid);
        }
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Kind::Named(s.to_owned());
        }
        Kind::Invalid
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub placeholders: Vec<Placeholder>,
    /// Character spans of `{{` without `}}` or `}}` without `{{`.
    pub unbalanced: Vec<(usize, usize)>,
}

pub fn scan(text: &str) -> Scan {
    let c: Vec<char> = text.chars().collect();
    let n = c.len();
    let pair = |i: usize, ch: char| i + 1 < n && c[i] == ch && c[i + 1] == ch;
    let mut out = Scan::default();
    let mut i = 0;
    while i < n {
        if pair(i, '{') {
            // The matching `}}`, unless another `{{` opens first.
            let mut j = i + 2;
            let mut close = None;
            while j < n {
                if pair(j, '}') {
                    close = Some(j);
                    break;
                }
                if pair(j, '{') {
                    break;
                }
                j += 1;
            }
            match close {
                Some(j) => {
                    out.placeholders.push(Placeholder {
                        inner: c[i + 2..j].iter().collect(),
                        start: i,
                        end: j + 2,
                    });
                    i = j + 2;
                }
                None => {
                    out.unbalanced.push((i, i + 2));
                    i += 2;
                }
            }
        } else if pair(i, '}') {
            out.unbalanced.push((i, i + 2));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// The text with every placeholder removed (for language detection and word counts).
pub fn strip(text: &str) -> String {
    let s = scan(text);
    let mut out = String::with_capacity(text.len());
    let mut next = s.placeholders.iter().peekable();
    for (i, ch) in text.chars().enumerate() {
        while next.peek().is_some_and(|p| i >= p.end) {
            next.next();
        }
        if next.peek().is_some_and(|p| i >= p.start && i < p.end) {
            continue;
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_character_offsets() {
        let s = scan("Hé {{1}}, ça {{first_name}}!");
        assert_eq!(s.placeholders.len(), 2);
        assert_eq!((s.placeholders[0].start, s.placeholders[0].end), (3, 8));
        assert_eq!(s.placeholders[0].kind(), Kind::Positional(1));
        assert_eq!(s.placeholders[1].kind(), Kind::Named("first_name".into()));
        assert!(s.unbalanced.is_empty());
    }

    #[test]
    fn unbalanced_braces_are_reported() {
        assert_eq!(scan("Hi {{1}").unbalanced, vec![(3, 5)]);
        assert_eq!(scan("Hi {1}} there").unbalanced, vec![(5, 7)]);
        assert_eq!(scan("{{1 {{2}}").unbalanced, vec![(0, 2)]);
        assert_eq!(scan("{{2}}").placeholders.len(), 1);
    }

    #[test]
    fn odd_contents_are_invalid() {
        for inner in ["#", " 1 ", "Name", "", "01", "a-b", "$x"] {
            let p = Placeholder {
                inner: inner.into(),
                start: 0,
                end: 0,
            };
            assert_eq!(p.kind(), Kind::Invalid, "{inner:?}");
        }
    }

    #[test]
    fn strip_removes_placeholders_only() {
        assert_eq!(
            strip("Hi {{1}}, your {{order_id}} ships"),
            "Hi , your  ships"
        );
    }
}
