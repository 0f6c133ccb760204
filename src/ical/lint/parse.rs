//! The parser.

use super::super::*;

/// A parsed content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    pub name: String,
    pub params: Vec<(String, Vec<String>)>,
    pub value: String,
    /// 1-based physical line where the property starts.
    pub line: usize,
}

impl Prop {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
}

/// A parsed component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Component {
    pub name: String,
    pub props: Vec<Prop>,
    pub children: Vec<Component>,
    pub line: usize,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn props_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// Parses one unfolded content line.
fn parse_content_line(s: &str, line: usize) -> Result<Prop, String> {
    let name_end = s.find([';', ':']).ok_or("no `:` before the value")?;
    let name = &s[..name_end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(format!("bad property name `{name}`"));
    }
    let mut params = Vec::new();
    let mut rest = &s[name_end..];
    while let Some(r) = rest.strip_prefix(';') {
        let eq = r.find('=').ok_or("parameter without `=`")?;
        let pname = &r[..eq];
        if pname.is_empty()
            || !pname
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(format!("bad parameter name `{pname}`"));
        }
        let mut r = &r[eq + 1..];
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
                None => break,
            }
        }
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

/// Splits bytes into physical lines, checking line ends, lengths and encoding; returns the
/// logical (unfolded) lines with their starting line numbers.
fn physical_lines(bytes: &[u8], problems: &mut Vec<String>) -> Vec<(usize, String)> {
    let mut p = |line: usize, rule: &str, msg: String| {
        problems.push(format!("line {line}: {rule}: {msg}"));
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        p(1, "bom", "the file starts with a byte-order mark".into());
    }
    if bytes.is_empty() {
        p(1, "no-vcalendar", "the file is empty".into());
        return Vec::new();
    }
    if !bytes.ends_with(b"\r\n") {
        p(
            0,
            "no-final-crlf",
            "the last line does not end in CRLF".into(),
        );
    }
    // Physical lines, split on LF; a missing CR before LF is a bare LF.
    let mut raw: Vec<(usize, &[u8])> = Vec::new();
    let mut start = 0;
    let mut n = 1;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            let mut l = &bytes[start..i];
            match l.last() {
                Some(b'\r') => l = &l[..l.len() - 1],
                _ => p(n, "bare-lf", "line ends in LF without CR".into()),
            }
            raw.push((n, l));
            start = i + 1;
            n += 1;
        }
    }
    if start < bytes.len() {
        raw.push((n, &bytes[start..]));
    }
    // Logical lines: a first physical line and its continuations.
    // (first line number, [(line number, bytes without the fold space)])
    type Logical<'b> = (usize, Vec<(usize, &'b [u8])>);
    let mut logical: Vec<Logical> = Vec::new();
    for (n, l) in raw {
        if l.contains(&b'\r') {
            p(n, "bare-cr", "CR not followed by LF".into());
        }
        if l.len() > MAX_LINE_OCTETS {
            p(
                n,
                "line-too-long",
                format!("{} octets (at most {MAX_LINE_OCTETS})", l.len()),
            );
        }
        if l.is_empty() {
            p(n, "blank-line", "empty line".into());
            continue;
        }
        if l[0] == b' ' || l[0] == b'\t' {
            match logical.last_mut() {
                Some(last) => last.1.push((n, &l[1..])),
                None => p(
                    n,
                    "bad-fold",
                    "continuation line with nothing to continue".into(),
                ),
            }
        } else {
            logical.push((n, vec![(n, l)]));
        }
    }
    let mut out = Vec::new();
    for (n, pieces) in logical {
        let joined: Vec<u8> = pieces.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        let Ok(s) = String::from_utf8(joined) else {
            p(n, "not-utf8", "not UTF-8".into());
            continue;
        };
        // Each piece must be UTF-8 on its own, or a fold split a character.
        for (pn, piece) in &pieces {
            if std::str::from_utf8(piece).is_err() {
                p(
                    *pn,
                    "fold-splits-utf8",
                    "a fold splits a multi-byte character".into(),
                );
            }
        }
        if s.chars().any(|c| c.is_control() && c != '\t') {
            p(
                n,
                "control-char",
                "control character in a content line".into(),
            );
        }
        out.push((n, s));
    }
    out
}

/// Parses an iCalendar text into its top-level components, reporting structural problems.
pub fn parse_components(bytes: &[u8], problems: &mut Vec<String>) -> Vec<Component> {
    let lines = physical_lines(bytes, problems);
    let mut stack: Vec<Component> = Vec::new();
    let mut top: Vec<Component> = Vec::new();
    for (n, l) in lines {
        let prop = match parse_content_line(&l, n) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("line {n}: bad-content-line: {e}"));
                continue;
            }
        };
        if prop.name.bytes().any(|b| b.is_ascii_lowercase()) {
            problems.push(format!(
                "line {n}: lowercase-name: `{}` should be upper-case",
                prop.name
            ));
        }
        match prop.name.to_ascii_uppercase().as_str() {
            "BEGIN" => stack.push(Component {
                name: prop.value.clone(),
                line: n,
                ..Default::default()
            }),
            "END" => match stack.pop() {
                Some(c) if c.name == prop.value => match stack.last_mut() {
                    Some(parent) => parent.children.push(c),
                    None => top.push(c),
                },
                Some(c) => {
                    problems.push(format!(
                        "line {n}: begin-end-mismatch: END:{} closes BEGIN:{} of line {}",
                        prop.value, c.name, c.line
                    ));
                    stack.push(c);
                }
                None => problems.push(format!(
                    "line {n}: begin-end-mismatch: END:{} without BEGIN",
                    prop.value
                )),
            },
            _ => match stack.last_mut() {
                Some(c) => c.props.push(prop),
                None => problems.push(format!(
                    "line {n}: outside-vcalendar: `{}` outside any component",
                    prop.name
                )),
            },
        }
    }
    for c in stack {
        problems.push(format!(
            "line {}: begin-end-mismatch: BEGIN:{} is never closed",
            c.line, c.name
        ));
    }
    top
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
        assert!(parse_content_line("NOCOLON", 1).is_err());
        assert!(parse_content_line("A;B:c", 1).is_err());
    }
}
