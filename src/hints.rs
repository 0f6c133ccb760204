//! Hints for the `help:` line of a diagnostic, shared by every stage from `config` on.
//!
//! Takes: a word that matched nothing, or a TOML deserialization error. Gives: the closest known
//! word ("did you mean"), or a rule id, a message and a help line for the TOML error. `config`
//! (the first stage) and `frontmatter` word TOML errors the same way through
//! [`classify_toml_error`]; `frontmatter`, `recur`, `validate` and `check` suggest with
//! [`closest`].

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.as_str())
}

/// A rule id, a message and a help line for a TOML (syntax or shape) error. The ids are the
/// front-matter rules; the settings file reports every one as `config-parse` with the same words.
pub fn classify_toml_error(e: &toml::de::Error) -> (&'static str, String, String) {
    let msg = e.message().trim().to_string();
    let key = msg.strip_prefix("unknown field `").map(|rest| (rest, true));
    let value = msg
        .strip_prefix("unknown variant `")
        .map(|rest| (rest, false));
    if let Some((rest, is_key)) = key.or(value) {
        let (word, expected) = split_expected(rest);
        return if is_key {
            let help = pick_help(&word, &expected, "`", "remove it;", "allowed here");
            (
                "frontmatter-unknown-key",
                format!("unknown key `{word}`"),
                help,
            )
        } else {
            let help = pick_help(&word, &expected, "\"", "use", "one of");
            let message = format!("`{word}` is not an allowed value");
            ("frontmatter-invalid-value", message, help)
        };
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            "frontmatter-missing-field",
            format!("required key `{field}` is missing"),
            format!("add `{field} = …` to this table (see the README's front matter reference)"),
        );
    }
    if msg.starts_with("invalid type") {
        return (
            "frontmatter-type",
            msg.clone(),
            "give the value the type the key expects (quotes for text, bare numbers, `[…]` for lists, bare dates such as 2026-08-17)".into(),
        );
    }
    if msg.starts_with("expected a local")
        || msg.starts_with("expected a date")
        || msg.contains("is not a date on the calendar")
        || msg.starts_with("invalid time")
        || msg.starts_with("invalid date")
    {
        return (
            "frontmatter-date",
            msg.clone(),
            "write dates as 2026-08-17, local times as 16:00:00 and start times as 2026-05-22T10:00:00".into(),
        );
    }
    (
        "frontmatter-parse",
        format!("invalid TOML: {msg}"),
        "fix the TOML syntax here (strings need quotes, one key per line; see https://toml.io)"
            .into(),
    )
}

/// The help for `word`, which is not one of `expected`: "did you mean" the closest (in `quote`s)
/// when one is close, else `otherwise`; then the list, after `list_label`.
fn pick_help(
    word: &str,
    expected: &[String],
    quote: &str,
    otherwise: &str,
    list_label: &str,
) -> String {
    let list = expected.join(", ");
    match closest(word, expected) {
        Some(best) => format!("did you mean {quote}{best}{quote}? {list_label}: {list}"),
        None => format!("{otherwise} {list_label}: {list}"),
    }
}

// "foo`, expected one of `a`, `b`" → ("foo", ["a", "b"])
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
    let expected = tail
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    (name.to_string(), expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(toml_text: &str) -> toml::de::Error {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            kind: Option<K>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum K {
            Weekly,
            Monthly,
        }
        toml::from_str::<T>(toml_text).unwrap_err()
    }

    #[test]
    fn unknown_keys_and_values_suggest_the_closest_and_list_the_rest() {
        let cases = [
            (
                "kynd = 1\n",
                "frontmatter-unknown-key",
                "unknown key `kynd`",
                "did you mean `kind`? allowed here: kind",
            ),
            (
                "zzz = 1\n",
                "frontmatter-unknown-key",
                "unknown key `zzz`",
                "remove it; allowed here: kind",
            ),
            (
                "kind = \"weekley\"\n",
                "frontmatter-invalid-value",
                "`weekley` is not an allowed value",
                "did you mean \"weekly\"? one of: weekly, monthly",
            ),
            (
                "kind = \"q\"\n",
                "frontmatter-invalid-value",
                "`q` is not an allowed value",
                "use one of: weekly, monthly",
            ),
        ];
        for (text, rule, message, help) in cases {
            let want = (rule, message.to_string(), help.to_string());
            assert_eq!(classify_toml_error(&error_of(text)), want, "{text}");
        }
        let (rule, _, _) = classify_toml_error(&error_of("kind = \n"));
        assert_eq!(rule, "frontmatter-parse");
    }
}
