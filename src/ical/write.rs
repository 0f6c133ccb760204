//! The content-line writer.

/// Maximum octets of a physical line, CRLF excluded.
pub const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: `\` `;` `,` and newlines. CR/LF pairs become one `\n`; other control
/// characters (except TAB) are dropped, since iCalendar forbids them.
pub fn escape_text(s: &str) -> String {
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
pub fn param_value(s: &str) -> String {
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
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Lenient parsers trim whitespace at the ends of physical lines (the `ical` crate does),
        // so avoid folding next to a space when a nearby boundary will do.
        let mut nicer = cut;
        while nicer > limit - 16 && (rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' '))
        {
            nicer -= 1;
            while !rest.is_char_boundary(nicer) {
                nicer -= 1;
            }
        }
        if !(rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' ')) {
            cut = nicer;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Builds an iCalendar text line by line.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A property whose value is already in its final form (URI, date-time, RRULE, integer).
    pub fn raw(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
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
    pub fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &[], &escape_text(value));
    }

    /// A list of TEXT values (CATEGORIES): each escaped, joined with unescaped commas.
    pub fn text_list(&mut self, name: &str, values: &[String]) {
        let v: Vec<String> = values.iter().map(|s| escape_text(s)).collect();
        self.raw(name, &[], &v.join(","));
    }

    pub fn begin(&mut self, component: &str) {
        self.raw("BEGIN", &[], component);
    }

    pub fn end(&mut self, component: &str) {
        self.raw("END", &[], component);
    }

    /// Appends text that is already folded content lines (each ending in CRLF).
    pub fn append(&mut self, folded: &str) {
        self.out.push_str(folded);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ical::lint_feed;

    #[test]
    fn escaping() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(escape_text("bell\u{7}tab\t"), "belltab\t");
        assert_eq!(param_value("America/Los_Angeles"), "America/Los_Angeles");
        assert_eq!(param_value("a:b"), "\"a:b\"");
        assert_eq!(param_value("a;b,\"c"), "\"a;b,c\"");
    }

    #[test]
    fn folding_counts_octets_and_keeps_utf8_whole() {
        // 3-byte and 4-byte characters straddling every possible boundary.
        for prefix in 0..8 {
            for ch in ["é", "€", "🎉", "a"] {
                let value: String = "x".repeat(prefix) + &ch.repeat(90);
                let mut out = String::new();
                fold_into(&mut out, &format!("SUMMARY:{value}"));
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
        // No fold next to a space when one close by avoids it.
        let mut out = String::new();
        let words = "word ".repeat(40);
        fold_into(&mut out, &format!("DESCRIPTION:{words}"));
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
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(75));
        assert_eq!(out, format!("{}\r\n", "A".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(76));
        assert_eq!(out, format!("{}\r\n A\r\n", "A".repeat(75)));
        let mut out = String::new();
        fold_into(&mut out, &"A".repeat(75 + 74 + 1));
        assert_eq!(
            out,
            format!("{}\r\n {}\r\n A\r\n", "A".repeat(75), "A".repeat(74))
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
