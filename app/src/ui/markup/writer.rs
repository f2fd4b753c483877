//! The writer: escapes every text and attribute value.

use std::fmt::Write as _;

#[derive(Default)]
pub struct Markup(String);

impl Markup {
    pub fn with_capacity(n: usize) -> Self {
        Self(String::with_capacity(n))
    }

    /// Markup the caller wrote (tags, fixed attribute names and values).
    pub fn raw(&mut self, s: &str) -> &mut Self {
        self.0.push_str(s);
        self
    }

    /// Text content, escaped (most texts have nothing to escape: copied as they are).
    pub fn text(&mut self, s: &str) -> &mut Self {
        if needs_escape(s, false) {
            html_escape::encode_text_to_string(s, &mut self.0);
        } else {
            self.0.push_str(s);
        }
        self
    }

    /// Anything displayable (numbers, ids) as escaped text.
    pub fn display(&mut self, v: impl std::fmt::Display) -> &mut Self {
        let start = self.0.len();
        let _ = write!(self.0, "{v}");
        if self.0[start..].contains(['&', '<', '>', '"']) {
            let written = self.0.split_off(start);
            html_escape::encode_double_quoted_attribute_to_string(&written, &mut self.0);
        }
        self
    }

    /// ` name="value"`, the value escaped for a double-quoted attribute.
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.0.push(' ');
        self.0.push_str(name);
        self.0.push_str("=\"");
        if needs_escape(value, true) {
            html_escape::encode_double_quoted_attribute_to_string(value, &mut self.0);
        } else {
            self.0.push_str(value);
        }
        self.0.push('"');
        self
    }

    /// `<option value="…"[ selected]>label</option>`.
    pub fn option(&mut self, value: &str, label: &str, selected: bool) -> &mut Self {
        self.raw("<option").attr("value", value);
        if selected {
            self.raw(" selected");
        }
        self.raw(">").text(label).raw("</option>")
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Whether a text holds a character to escape (`&`, `<`, `>`; with `quote`, also `"`). Every
/// byte is looked at, without an early exit, which the compiler turns into a vector loop: the
/// texts here are short and mostly clean.
fn needs_escape(s: &str, quote: bool) -> bool {
    let q = if quote { b'"' } else { b'&' };
    s.bytes().fold(false, |found, b| {
        found | (b == b'&') | (b == b'<') | (b == b'>') | (b == q)
    })
}

/// `2026-12-03 17:07 UTC`, as `components::fmt_time`, without a format-string parser.
pub fn push_time(m: &mut Markup, t: chrono::DateTime<chrono::Utc>) {
    use chrono::{Datelike, Timelike};
    let two = |m: &mut Markup, n: u32| {
        m.0.push(char::from(b'0' + (n / 10 % 10) as u8));
        m.0.push(char::from(b'0' + (n % 10) as u8));
    };
    match u32::try_from(t.year()) {
        Ok(y) if y < 10_000 => {
            two(m, y / 100);
            two(m, y % 100);
        }
        _ => {
            let _ = write!(m.0, "{:04}", t.year());
        }
    }
    m.0.push('-');
    two(m, t.month());
    m.0.push('-');
    two(m, t.day());
    m.0.push(' ');
    two(m, t.hour());
    m.0.push(':');
    two(m, t.minute());
    m.0.push_str(" UTC");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut m = Markup::default();
        m.raw("<td")
            .attr("title", "a \"quoted\" <b> & 'single'")
            .raw(">")
            .text("<script>alert(1)</script> & co")
            .raw("</td>");
        let s = m.into_string();
        assert_eq!(s, "<td title=\"a &quot;quoted&quot; &lt;b&gt; &amp; 'single'\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</td>");
    }

    #[test]
    fn options_mark_the_selected_one_and_escape_labels() {
        let mut m = Markup::default();
        m.option("a\"b", "A & B", true).option("c", "<c>", false);
        assert_eq!(m.into_string(), "<option value=\"a&quot;b\" selected>A &amp; B</option><option value=\"c\">&lt;c&gt;</option>");
    }

    #[test]
    fn displayed_values_are_escaped_too() {
        struct Sneaky;
        impl std::fmt::Display for Sneaky {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("1<2")
            }
        }
        let mut m = Markup::default();
        m.display(42).raw(" ").display(Sneaky);
        assert_eq!(m.into_string(), "42 1&lt;2");
    }

    #[test]
    fn times_match_the_page_format() {
        for at in [
            "2026-01-05T07:03:59Z",
            "0999-12-31T23:59:00Z",
            "2026-11-30T00:00:00Z",
        ] {
            let t = chrono::DateTime::parse_from_rfc3339(at)
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap();
            let mut m = Markup::default();
            push_time(&mut m, t);
            assert_eq!(m.into_string(), crate::ui::components::fmt_time(t), "{at}");
        }
    }
}
