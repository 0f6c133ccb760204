//! The linter's reader: bytes to components, reporting every serialization problem on the way.
//!
//! Takes: the bytes of an `.ics` file. Gives: its top-level [`Component`]s (properties with their
//! parameters and raw values, and nested components), and findings for the serialization items of
//! the checklist: byte-order mark, line ends (`bare-lf`, `bare-cr`, `no-final-crlf`), line length
//! and folding (`line-too-long`, `bad-fold`, `fold-splits-utf8`, `blank-line`), encoding
//! (`not-utf8`, `control-char`), content-line syntax (`bad-content-line`, `lowercase-name`) and
//! BEGIN/END nesting (`begin-end-mismatch`, `outside-vcalendar`). It reads on past each problem so
//! that one run reports them all.

use super::Findings;
use crate::ical::write::MAX_LINE_OCTETS;

/// A parsed content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Prop {
    pub(super) name: String,
    /// Each parameter's name and values, quotes removed.
    pub(super) params: Vec<(String, Vec<String>)>,
    /// The value as written (still escaped).
    pub(super) value: String,
    /// 1-based physical line where the property starts.
    pub(super) line: usize,
}

impl Prop {
    /// The first value of parameter `name` (case-insensitive).
    pub(super) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
}

/// A parsed component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Component {
    pub(super) name: String,
    pub(super) props: Vec<Prop>,
    pub(super) children: Vec<Component>,
    /// The line of its BEGIN.
    pub(super) line: usize,
}

impl Component {
    /// The first property called `name`.
    pub(super) fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    /// Every property called `name`.
    pub(super) fn props_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// Parses an iCalendar text into its top-level components, reporting structural problems.
pub(super) fn parse_components(bytes: &[u8], f: &mut Findings) -> Vec<Component> {
    let mut tree = Tree::default();
    for (n, l) in logical_lines(bytes, f) {
        let prop = match parse_content_line(&l, n) {
            Ok(p) => p,
            Err(e) => {
                f.add(n, "bad-content-line", e);
                continue;
            }
        };
        if prop.name.bytes().any(|b| b.is_ascii_lowercase()) {
            f.add(
                n,
                "lowercase-name",
                format!("`{}` should be upper-case", prop.name),
            );
        }
        match prop.name.to_ascii_uppercase().as_str() {
            "BEGIN" => tree.begin(&prop),
            "END" => tree.end(&prop, f),
            _ => tree.property(prop, f),
        }
    }
    tree.finish(f)
}

/// Components being read: the open ones, innermost last, and the closed top-level ones.
#[derive(Default)]
struct Tree {
    open: Vec<Component>,
    top: Vec<Component>,
}

impl Tree {
    fn begin(&mut self, prop: &Prop) {
        self.open.push(Component {
            name: prop.value.clone(),
            line: prop.line,
            ..Default::default()
        });
    }

    /// Closes the innermost component if `END` names it; a mismatched END leaves it open.
    fn end(&mut self, prop: &Prop, f: &mut Findings) {
        let n = prop.line;
        match self.open.pop() {
            Some(c) if c.name == prop.value => match self.open.last_mut() {
                Some(parent) => parent.children.push(c),
                None => self.top.push(c),
            },
            Some(c) => {
                let msg = format!(
                    "END:{} closes BEGIN:{} of line {}",
                    prop.value, c.name, c.line
                );
                f.add(n, "begin-end-mismatch", msg);
                self.open.push(c);
            }
            None => f.add(
                n,
                "begin-end-mismatch",
                format!("END:{} without BEGIN", prop.value),
            ),
        }
    }

    fn property(&mut self, prop: Prop, f: &mut Findings) {
        match self.open.last_mut() {
            Some(c) => c.props.push(prop),
            None => f.add(
                prop.line,
                "outside-vcalendar",
                format!("`{}` outside any component", prop.name),
            ),
        }
    }

    fn finish(self, f: &mut Findings) -> Vec<Component> {
        for c in self.open {
            f.add(
                c.line,
                "begin-end-mismatch",
                format!("BEGIN:{} is never closed", c.name),
            );
        }
        self.top
    }
}

/// Splits bytes into physical lines, checking line ends, lengths and encoding; returns the
/// logical (unfolded) lines with their starting line numbers.
fn logical_lines(bytes: &[u8], f: &mut Findings) -> Vec<(usize, String)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        f.add(1, "bom", "the file starts with a byte-order mark");
    }
    if bytes.is_empty() {
        f.add(1, "no-vcalendar", "the file is empty");
        return Vec::new();
    }
    if !bytes.ends_with(b"\r\n") {
        f.add(0, "no-final-crlf", "the last line does not end in CRLF");
    }
    let physical = physical_lines(bytes, f);
    let folded = unfold(physical, f);
    decode(folded, f)
}

/// Physical lines (numbered from 1, line ends removed), split on LF; a missing CR before LF is a
/// bare LF.
fn physical_lines<'b>(bytes: &'b [u8], f: &mut Findings) -> Vec<(usize, &'b [u8])> {
    let mut raw = Vec::new();
    let mut start = 0;
    let mut n = 1;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            let mut l = &bytes[start..i];
            match l.last() {
                Some(b'\r') => l = &l[..l.len() - 1],
                _ => f.add(n, "bare-lf", "line ends in LF without CR"),
            }
            raw.push((n, l));
            start = i + 1;
            n += 1;
        }
    }
    if start < bytes.len() {
        raw.push((n, &bytes[start..]));
    }
    raw
}

/// A logical line: its first line number, and its physical pieces with their line numbers and
/// without the fold's leading space.
type Folded<'b> = (usize, Vec<(usize, &'b [u8])>);

/// Groups physical lines into logical ones: a first line and its continuations.
fn unfold<'b>(physical: Vec<(usize, &'b [u8])>, f: &mut Findings) -> Vec<Folded<'b>> {
    let mut logical: Vec<Folded> = Vec::new();
    for (n, l) in physical {
        if l.contains(&b'\r') {
            f.add(n, "bare-cr", "CR not followed by LF");
        }
        if l.len() > MAX_LINE_OCTETS {
            let msg = format!("{} octets (at most {MAX_LINE_OCTETS})", l.len());
            f.add(n, "line-too-long", msg);
        }
        if l.is_empty() {
            f.add(n, "blank-line", "empty line");
            continue;
        }
        if l[0] == b' ' || l[0] == b'\t' {
            match logical.last_mut() {
                Some(last) => last.1.push((n, &l[1..])),
                None => f.add(n, "bad-fold", "continuation line with nothing to continue"),
            }
        } else {
            logical.push((n, vec![(n, l)]));
        }
    }
    logical
}

/// Logical lines as text: each must be UTF-8 as a whole and in each piece (or a fold split a
/// character), without control characters other than TAB.
fn decode(logical: Vec<Folded>, f: &mut Findings) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, pieces) in logical {
        let joined: Vec<u8> = pieces.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        let Ok(s) = String::from_utf8(joined) else {
            f.add(n, "not-utf8", "not UTF-8");
            continue;
        };
        for (pn, piece) in &pieces {
            if std::str::from_utf8(piece).is_err() {
                f.add(
                    *pn,
                    "fold-splits-utf8",
                    "a fold splits a multi-byte character",
                );
            }
        }
        if s.chars().any(|c| c.is_control() && c != '\t') {
            f.add(n, "control-char", "control character in a content line");
        }
        out.push((n, s));
    }
    out
}

/// A property or parameter name: letters, digits and `-`.
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Parses one unfolded content line: `NAME *(;PARAM=VALUE *(,VALUE)) : VALUE`.
fn parse_content_line(s: &str, line: usize) -> Result<Prop, String> {
    let name_end = s.find([';', ':']).ok_or("no `:` before the value")?;
    let name = &s[..name_end];
    if !is_name(name) {
        return Err(format!("bad property name `{name}`"));
    }
    let mut params = Vec::new();
    let mut rest = &s[name_end..];
    while let Some(r) = rest.strip_prefix(';') {
        let eq = r.find('=').ok_or("parameter without `=`")?;
        let pname = &r[..eq];
        if !is_name(pname) {
            return Err(format!("bad parameter name `{pname}`"));
        }
        let (values, r) = param_values(&r[eq + 1..])?;
        params.push((pname.to_string(), values));
        rest = r;
    }
    let value = rest
        .strip_prefix(':')
        .ok_or("no `:` after the parameters")?;
    Ok(Prop {
        name: name.to_string(),
        params,
        value: value.to_string(),
        line,
    })
}

/// A parameter's comma-separated values (each quoted or plain) and the text after them.
fn param_values(mut r: &str) -> Result<(Vec<String>, &str), String> {
    let mut values = Vec::new();
    loop {
        if let Some(q) = r.strip_prefix('"') {
            let close = q.find('"').ok_or("unclosed quote in parameter value")?;
            values.push(q[..close].to_string());
            r = &q[close + 1..];
        } else {
            let end = r
                .find([';', ':', ','])
                .ok_or("parameter runs into the end")?;
            let v = &r[..end];
            if v.contains('"') {
                return Err("quote inside an unquoted parameter value".into());
            }
            values.push(v.to_string());
            r = &r[end..];
        }
        match r.strip_prefix(',') {
            Some(n) => r = n,
            None => return Ok((values, r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_line_parser() {
        let p = parse_content_line("DTSTART;TZID=\"a:b\";X=1,2:20260101T000000", 3).unwrap();
        assert_eq!(p.name, "DTSTART");
        assert_eq!(p.param("TZID"), Some("a:b"));
        assert_eq!(p.params[1].1, ["1", "2"]);
        assert_eq!(p.value, "20260101T000000");
        assert_eq!(p.line, 3);
        for bad in [
            "NOCOLON",
            "A;B:c",
            "A;B=\"c:d",
            "A;B=c\"d:e",
            "A B:c",
            ";B=c:d",
        ] {
            assert!(parse_content_line(bad, 1).is_err(), "{bad}");
        }
    }

    #[test]
    fn components_nest_and_mismatches_are_reported() {
        let text =
            "BEGIN:A\r\nX:1\r\nBEGIN:B\r\nY:2\r\nEND:B\r\nEND:A\r\nEND:C\r\nZ:3\r\nBEGIN:D\r\n";
        let mut f = Findings::default();
        let top = parse_components(text.as_bytes(), &mut f);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].prop("X").unwrap().value, "1");
        assert_eq!(top[0].children[0].name, "B");
        assert_eq!(top[0].children[0].line, 3);
        assert_eq!(
            f.0,
            [
                "line 7: begin-end-mismatch: END:C without BEGIN",
                "line 8: outside-vcalendar: `Z` outside any component",
                "line 9: begin-end-mismatch: BEGIN:D is never closed",
            ]
        );
    }
}
