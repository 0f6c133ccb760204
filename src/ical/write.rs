//! The content-line writer: the serialization rules of `docs/calendar-feeds.md` ("Serialization").
//!
//! Takes: property names, parameters and values, one property at a time and in the order they
//! are to appear. Gives: iCalendar text (RFC 5545 §3.1): every line ended by CRLF, folded at 75
//! octets (the continuation's leading space counts) and never inside a UTF-8 sequence, TEXT
//! values escaped (`\\` `\;` `\,` `\n`), URIs and other values written as given, and parameter
//! values containing `:` `;` `,` in double quotes. The writer adds nothing and reorders nothing:
//! the property order is the caller's ([`super::feed`]).

/// Maximum octets of a physical line, CRLF excluded.
pub(crate) const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: `\` `;` `,` and newlines. CR/LF pairs become one `\n`; other control
/// characters (except TAB) are dropped, since iCalendar forbids them.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: double-quoted when it contains `:` `;` or `,`. Double quotes and control
/// characters cannot appear in a parameter value and are dropped.
pub(crate) fn param_value(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends `line` to `out`, folded: physical lines of at most 75 octets, continuation lines
/// starting with one space (which counts toward their 75), never splitting a UTF-8 sequence and,
/// where possible, not next to a space; each ended by CRLF.
pub(crate) fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    while rest.len() > limit {
        let cut = fold_point(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to fold `rest`, which is longer than `limit` octets: the last character boundary at or
/// before `limit`, moved back by up to 16 octets when that avoids folding next to a space.
fn fold_point(rest: &str, limit: usize) -> usize {
    let floor_boundary = |mut i: usize| {
        while !rest.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // Lenient parsers trim whitespace at the ends of physical lines (the `ical` crate does), so a
    // fold next to a space could lose it.
    let by_space = |i: usize| rest[..i].ends_with(' ') || rest[i..].starts_with(' ');
    let cut = floor_boundary(limit);
    let mut nicer = cut;
    while nicer > limit - 16 && by_space(nicer) {
        nicer = floor_boundary(nicer - 1);
    }
    if by_space(nicer) { cut } else { nicer }
}

/// Builds an iCalendar text line by line.
#[derive(Debug, Default, Clone)]
pub(crate) struct Writer {
    out: String,
}

impl Writer {
    /// An empty text.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A property whose value is already in its final form (URI, date-time, RRULE, integer).
    pub(crate) fn raw(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let params_len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
        let mut line = String::with_capacity(name.len() + params_len + 1 + value.len());
        line.push_str(name);
        for (k, v) in params {
            line.push(';');
            line.push_str(k);
            line.push('=');
            line.push_str(&param_value(v));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }

    /// A TEXT property: the value is escaped.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &[], &escape_text(value));
    }

    /// A list of TEXT values (CATEGORIES): each escaped, joined with unescaped commas.
    pub(crate) fn text_list(&mut self, name: &str, values: &[String]) {
        let v: Vec<String> = values.iter().map(|s| escape_text(s)).collect();
        self.raw(name, &[], &v.join(","));
    }

    /// `BEGIN:<component>`.
    pub(crate) fn begin(&mut self, component: &str) {
        self.raw("BEGIN", &[], component);
    }

    /// `END:<component>`.
    pub(crate) fn end(&mut self, component: &str) {
        self.raw("END", &[], component);
    }

    /// Appends text that is already folded content lines (each ending in CRLF).
    pub(crate) fn append(&mut self, folded: &str) {
        self.out.push_str(folded);
    }

    /// The text written.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::lint_feed;

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    #[test]
    fn escaping() {
        let text = [
            ("a,b;c\\d\ne\r\nf", "a\\,b\\;c\\\\d\\ne\\nf"),
            ("bell\u{7}tab\t", "belltab\t"),
        ];
        for (value, escaped) in text {
            assert_eq!(escape_text(value), escaped);
        }
        let params = [
            ("America/Los_Angeles", "America/Los_Angeles"),
            ("a:b", "\"a:b\""),
            ("a;b,\"c", "\"a;b,c\""),
        ];
        for (value, written) in params {
            assert_eq!(param_value(value), written);
        }
    }

    #[test]
    fn folding_counts_octets_and_keeps_utf8_whole() {
        // 3-byte and 4-byte characters straddling every possible boundary.
        for prefix in 0..8 {
            for ch in ["é", "€", "🎉", "a"] {
                let value: String = "x".repeat(prefix) + &ch.repeat(90);
                let out = folded(&format!("SUMMARY:{value}"));
                assert!(out.ends_with("\r\n"));
                let physical: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
                assert!(physical.len() > 1);
                for (i, l) in physical.iter().enumerate() {
                    assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
                    if i > 0 {
                        assert!(l.starts_with(' '));
                    }
                    // Each piece is a whole &str: a split character would have panicked above,
                    // but check the bytes too.
                    assert!(std::str::from_utf8(l.as_bytes()).is_ok());
                }
                // Lines are filled: only the last may be shorter than 75 - (width - 1).
                for l in &physical[..physical.len() - 1] {
                    assert!(l.len() > 75 - ch.len(), "{} octets", l.len());
                }
                let unfolded = out.replace("\r\n ", "");
                assert_eq!(unfolded, format!("SUMMARY:{value}\r\n"));
                assert!(lint_feed(&out).iter().all(|p| !p.contains("line-too-long")));
            }
        }
    }

    #[test]
    fn folding_avoids_spaces_when_it_can() {
        let words = "word ".repeat(40);
        let out = folded(&format!("DESCRIPTION:{words}"));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        for (i, l) in lines.iter().enumerate() {
            // The value itself ends in a space; every fold avoids one.
            let last = i == lines.len() - 1;
            assert!(
                (last || !l.ends_with(' ')) && !l[1..].starts_with(' '),
                "{l:?}"
            );
            assert!(l.len() <= 75);
        }
        assert_eq!(out.replace("\r\n ", ""), format!("DESCRIPTION:{words}\r\n"));
        // Only spaces within reach: the fold falls at the limit after all.
        let spaces = format!("X:{}", " ".repeat(100));
        let out = folded(&spaces);
        assert_eq!(out.split("\r\n").next().unwrap().len(), 75);
        assert_eq!(out.replace("\r\n ", ""), format!("{spaces}\r\n"));
    }

    #[test]
    fn folding_fills_lines_exactly() {
        let a = |n: usize| "A".repeat(n);
        assert_eq!(folded(&a(75)), format!("{}\r\n", a(75)));
        assert_eq!(folded(&a(76)), format!("{}\r\n A\r\n", a(75)));
        assert_eq!(
            folded(&a(75 + 74 + 1)),
            format!("{}\r\n {}\r\n A\r\n", a(75), a(74))
        );
    }

    #[test]
    fn writer_crlf_only() {
        let mut w = Writer::new();
        w.begin("VCALENDAR");
        w.text("X-WR-CALNAME", "Line one\nLine two, with; punctuation \\");
        w.raw("URL", &[], "https://example.com/a,b;c");
        w.text_list("CATEGORIES", &["Auth, Identity".into(), "auth-ig".into()]);
        w.end("VCALENDAR");
        let s = w.finish();
        assert_eq!(
            s,
            "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Line one\\nLine two\\, with\\; punctuation \\\\\r\nURL:https://example.com/a,b;c\r\nCATEGORIES:Auth\\, Identity,auth-ig\r\nEND:VCALENDAR\r\n"
        );
        assert_eq!(s.matches('\n').count(), s.matches("\r\n").count());
    }
}
