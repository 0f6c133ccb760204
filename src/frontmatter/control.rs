//! Control characters: refusing them in front-matter strings.
//!
//! Takes: a front-matter TOML block. Gives: the byte span, key path and character of every
//! string (and key) holding a control character. TOML forbids them raw, but escapes (`\e`,
//! `\u001b`, `\f`, `\b`) write them; such a character is invisible in review, is not allowed in
//! XML (`atom.xml` would be ill-formed), and reaches terminals and HTML as is. Tab, line feed and
//! carriage return are ordinary white space and stay allowed.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One string holding a control character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte span of the value (or key) in the block.
    pub span: Range<usize>,
    /// Where it is, as a dotted key path (`facilitators[0].name`).
    pub key: String,
    /// The first control character in it.
    pub ch: char,
}

/// True for the characters refused: C0 controls but tab, LF and CR; DEL; C1 controls; and the
/// two noncharacters XML 1.0 excludes.
pub fn is_refused(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether any byte of `text` is one `may` accepts: the look before a scan of characters that
/// only a few bytes can begin (here, and in the Markdown sanitizer's test of a page's text),
/// most texts having none of them, so their characters need not be decoded. Every byte of a
/// chunk is looked at, not the first match sought: the compiler makes that loop compare many
/// bytes at once.
pub fn any_byte(text: &str, may: impl Fn(u8) -> bool) -> bool {
    let chunk_may = |c: &[u8]| c.iter().fold(false, |found, &b| found | may(b));
    text.as_bytes().chunks(64).any(chunk_may)
}

/// Whether `block` holds a refused character as it is: only a C0 control, DEL, or the first
/// byte of a C1 control (0xC2) or of U+FFFE and U+FFFF (0xEF) can begin one.
fn holds_refused(block: &str) -> bool {
    let may = |b| matches!(b, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F | 0xC2 | 0xEF);
    any_byte(block, may) && block.chars().any(is_refused)
}

/// Every string in `block` holding a refused character, in document order. A block that does
/// not parse gives nothing (the parser's own error is reported instead).
pub fn find(block: &str) -> Vec<Found> {
    // A parsed string holds a refused character only if the block has one as it is or an
    // escape wrote it: most blocks have neither, and need no second parse.
    if !block.contains('\\') && !holds_refused(block) {
        return Vec::new();
    }
    let Ok(table) = DeTable::parse(block) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk_table(table.get_ref(), "", &mut out);
    out.sort_by_key(|f| f.span.start);
    out
}

fn walk_table(table: &DeTable<'_>, prefix: &str, out: &mut Vec<Found>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        if let Some(ch) = k.get_ref().chars().find(|&c| is_refused(c)) {
            out.push(Found {
                span: k.span(),
                key: key.clone(),
                ch,
            });
        }
        walk_value(v, &key, out);
    }
}

fn walk_value(v: &Spanned<DeValue<'_>>, key: &str, out: &mut Vec<Found>) {
    match v.get_ref() {
        DeValue::String(s) => {
            if let Some(ch) = s.chars().find(|&c| is_refused(c)) {
                out.push(Found {
                    span: v.span(),
                    key: key.to_string(),
                    ch,
                });
            }
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(item, &format!("{key}[{i}]"), out);
            }
        }
        DeValue::Table(t) => walk_table(t, key, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_byte_finds_a_byte_in_every_chunk() {
        let plain = "a".repeat(200);
        assert!(!any_byte(&plain, |b| b == 1));
        for at in 0..plain.len() {
            let mut text = plain.clone().into_bytes();
            text[at] = 1;
            let text = String::from_utf8(text).unwrap();
            assert!(any_byte(&text, |b| b == 1), "byte {at}");
        }
    }

    #[test]
    fn the_byte_scan_agrees_with_the_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(holds_refused(&text), is_refused(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn escaped_controls_are_found_with_their_key() {
        let block = "name = \"A\\u000bB\"\nsummary = \"ok\\tfine\\nhere\"\n\n[[facilitators]]\nname = \"x\\e[31m\"\n[discord]\n\"k\\f\" = 1\n";
        let found = find(block);
        let keys: Vec<(&str, char)> = found.iter().map(|f| (f.key.as_str(), f.ch)).collect();
        assert_eq!(
            keys,
            [
                ("name", '\u{b}'),
                ("facilitators[0].name", '\u{1b}'),
                ("discord.k\u{c}", '\u{c}'),
            ]
        );
        assert_eq!(&block[found[0].span.clone()], "\"A\\u000bB\"");
    }

    #[test]
    fn plain_text_and_whitespace_pass() {
        assert!(find("a = \"tab\\there\\r\\n\"\nb = '''\nmulti\nline\n'''\n").is_empty());
        assert!(find("not toml = = =").is_empty());
    }
}
