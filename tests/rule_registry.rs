//! Every rule id the sources emit is registered in `check::RULES`, and every registered id is
//! emitted somewhere.
//!
//! `check` validates `--skip` against the registry and prints it with `--list-rules`, and its
//! content rules are checked when they fire (`Sink::emit`); but the build stages (`source`,
//! `frontmatter`, `validate`, `recur`, `theme`, `config`…) make `Diagnostic`s directly, so an id
//! they invent would only be caught if a test happened to trigger it. This test reads the
//! sources instead, with one pattern:
//!
//! * an emission is a call `Diagnostic::error(ID, …)`, `Diagnostic::warning(ID, …)`,
//!   `Diagnostic::new(SEVERITY, ID, …)`, or `sink.at` / `sink.emit` / `self.emit` /
//!   `self.error` / `cx.error(ID, …)` (the reporters of `check`, `validate` and `recur`), in
//!   code outside `#[cfg(test)]` modules;
//! * `ID` is a string literal, or a `const` holding one (`theme::TEMPLATE_ERROR`), or a variable.
//!   A variable is only allowed in the functions listed in [`FORWARDERS`], which pass on ids
//!   chosen elsewhere; the ids they can receive are the id-shaped literals of the functions
//!   listed in [`CHOOSERS`] (`hints::classify_toml_error` picks a front-matter rule for a TOML
//!   error, for instance).
//!
//! A new emission with an unregistered id, a registered id nothing emits, an id passed through a
//! variable in an unlisted function, and a list entry that no longer matches the code all fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use mcpsite::check::RULES;

/// Functions that emit an id held in a variable: (file under `src/`, function, variable).
const FORWARDERS: &[(&str, &str, &str)] = &[
    // `Sink::at` and `Sink::emit` report the id a content or output rule passes.
    ("check/mod.rs", "at", "id"),
    ("check/mod.rs", "emit", "id"),
    // The reporters of `validate` and `recur`: every caller passes a literal.
    ("validate.rs", "error", "rule"),
    ("recur/when.rs", "error", "rule"),
    ("recur/records.rs", "error", "rule"),
    // Ids chosen by `frontmatter::parse_block`'s split errors and `hints::classify_toml_error`.
    ("frontmatter.rs", "parse_block", "rule"),
    // The id `source::misplaced` chose.
    ("source.rs", "load", "rule"),
    // The id of an entry `source::entry` refuses to read (`entry::rule_id`).
    ("source/entry.rs", "refuse", "id"),
];

/// Functions whose id-shaped string literals are all rule ids a forwarder passes on: (file under
/// `src/`, top-level function).
const CHOOSERS: &[(&str, &str)] = &[
    ("hints.rs", "classify_toml_error"),
    ("frontmatter.rs", "parse_block"),
    ("source.rs", "misplaced"),
    ("source/entry.rs", "rule_id"),
];

/// Ids emitted but deliberately not registered: none today. An id listed here makes the test
/// fail as soon as it is registered or no longer emitted, so the list cannot go stale.
const NOT_YET_REGISTERED: &[&str] = &[];

/// The non-test Rust sources under `src/`, by path relative to `src/`, with `#[cfg(test)]`
/// modules and comment lines removed.
fn sources() -> BTreeMap<String, String> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_dir(&src, &src, &mut files);
    let test_modules: BTreeSet<String> = files
        .iter()
        .flat_map(|(path, text)| test_module_files(path, text))
        .collect();
    files
        .into_iter()
        .filter(|(path, _)| !test_modules.contains(path))
        .map(|(path, text)| (path, without_tests_and_comments(&text)))
        .collect()
}

fn read_dir(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_dir(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            let rel = rel.replace('\\', "/");
            out.insert(rel, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The files of the modules `path` declares as `#[cfg(test)] mod name;`.
fn test_module_files(path: &str, text: &str) -> Vec<String> {
    let dir = match path.strip_suffix("mod.rs").or(path.strip_suffix("lib.rs")) {
        Some(dir) => dir.to_string(),
        None => format!("{}/", path.trim_end_matches(".rs")),
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0] == "#[cfg(test)]")
        .filter_map(|w| w[1].strip_prefix("mod ")?.strip_suffix(';'))
        .flat_map(|name| [format!("{dir}{name}.rs"), format!("{dir}{name}/mod.rs")])
        .collect()
}

/// The text before an inline `#[cfg(test)] mod tests { … }`, without `//` comment lines.
fn without_tests_and_comments(text: &str) -> String {
    let code = text.split("\n#[cfg(test)]\nmod tests {").next().unwrap();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `kebab-case-with-a-hyphen`: the shape of every rule id.
fn is_rule_shaped(s: &str) -> bool {
    s.contains('-')
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The first argument of a call (`rest` starts right after its `(`), trimmed: a string
/// literal with its quotes, or a path.
fn first_arg(rest: &str) -> &str {
    let rest = rest.trim_start();
    if let Some(lit) = rest.strip_prefix('"') {
        let end = lit.find('"').unwrap();
        return &rest[..end + 2];
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The function whose body holds byte `at` of `code`: the last `fn name` before it.
fn enclosing_fn(code: &str, at: usize) -> &str {
    let before = &code[..at];
    let start = before
        .rfind("fn ")
        .expect("an emission is inside a function")
        + 3;
    let name = &before[start..];
    &name[..name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap()]
}

/// The text of the top-level function `name` (from `fn name` to its closing `}` line).
fn top_level_fn<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("fn {name}"))
        .unwrap_or_else(|| panic!("no function `{name}`"));
    let end = code[start..]
        .find("\n}\n")
        .map_or(code.len(), |e| start + e);
    &code[start..end]
}

/// The contents of the string literals in `code` (with their escapes as written), skipping
/// character literals such as `'"'`.
fn string_literals(code: &str) -> Vec<&str> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                out.push(&code[start..i]);
            }
            // '"' or '\'' (a lifetime has no closing quote two or three bytes on).
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => i += 3,
            _ => {}
        }
        i += 1;
    }
    out
}

/// What the sources emit: id → files, and the forwarders found.
struct Emissions {
    ids: BTreeMap<String, BTreeSet<String>>,
    forwarders: BTreeSet<(String, String, String)>,
}

fn emissions(sources: &BTreeMap<String, String>) -> Emissions {
    let consts: BTreeMap<&str, &str> = sources
        .values()
        .flat_map(|code| code.split("const ").skip(1))
        .filter_map(|decl| {
            let (name, rest) = decl.split_once(": &str = \"")?;
            Some((name.trim(), rest.split('"').next()?))
        })
        .collect();
    // (call, index of the id among its arguments)
    let calls = [
        ("Diagnostic::error(", 0),
        ("Diagnostic::warning(", 0),
        ("Diagnostic::new(", 1),
        ("sink.at(", 0),
        ("sink.emit(", 0),
        ("self.emit(", 0),
        ("self.error(", 0),
        ("cx.error(", 0),
    ];
    let mut out = Emissions {
        ids: BTreeMap::new(),
        forwarders: BTreeSet::new(),
    };
    for (path, code) in sources {
        for (call, index) in calls {
            for (at, _) in code.match_indices(call) {
                let mut rest = &code[at + call.len()..];
                if index == 1 {
                    rest = &rest[rest.find(',').unwrap() + 1..];
                }
                let arg = first_arg(rest);
                let id = if let Some(lit) = arg.strip_prefix('"') {
                    lit.trim_end_matches('"')
                } else if let Some(value) = consts.get(arg.rsplit("::").next().unwrap()) {
                    value
                } else {
                    let f = enclosing_fn(code, at).to_string();
                    out.forwarders.insert((path.clone(), f, arg.to_string()));
                    continue;
                };
                out.ids.entry(id.into()).or_default().insert(path.clone());
            }
        }
    }
    for (path, f) in CHOOSERS {
        let code = &sources[*path];
        let ids: Vec<&str> = string_literals(top_level_fn(code, f))
            .into_iter()
            .filter(|s| is_rule_shaped(s))
            .collect();
        assert!(!ids.is_empty(), "CHOOSERS: {path} `{f}` chooses no rule id");
        for id in ids {
            out.ids
                .entry(id.into())
                .or_default()
                .insert(path.to_string());
        }
    }
    out
}

#[test]
fn every_emitted_rule_id_is_registered_and_every_registered_id_is_emitted() {
    let found = emissions(&sources());
    let registered: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();

    let listed: BTreeSet<(String, String, String)> = FORWARDERS
        .iter()
        .map(|(p, f, v)| (p.to_string(), f.to_string(), v.to_string()))
        .collect();
    let unlisted: Vec<_> = found.forwarders.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "rule ids passed in a variable, in functions not in FORWARDERS (file, fn, variable): \
         {unlisted:?}; write the id as a literal at the call, or list the function and the \
         function that chooses its ids (CHOOSERS)"
    );
    let stale: Vec<_> = listed.difference(&found.forwarders).collect();
    assert!(stale.is_empty(), "FORWARDERS no longer found: {stale:?}");

    let unregistered: Vec<String> = found
        .ids
        .iter()
        .filter(|(id, _)| !registered.contains(id.as_str()))
        .filter(|(id, _)| !NOT_YET_REGISTERED.contains(&id.as_str()))
        .map(|(id, files)| format!("`{id}` (in {files:?})"))
        .collect();
    assert!(
        unregistered.is_empty(),
        "emitted but not in check::RULES: {}",
        unregistered.join(", ")
    );
    let unused: Vec<&str> = registered
        .iter()
        .copied()
        .filter(|id| !found.ids.contains_key(*id))
        .collect();
    assert!(
        unused.is_empty(),
        "in check::RULES but emitted nowhere in src/: {unused:?}"
    );
    for id in NOT_YET_REGISTERED {
        assert!(
            found.ids.contains_key(*id) && !registered.contains(id),
            "`{id}` is registered now or no longer emitted: remove it from NOT_YET_REGISTERED"
        );
    }
}

/// The scan itself finds what it is meant to: a literal, a const and a forwarded id in each
/// kind of call, and nothing in tests or comments.
#[test]
fn the_scan_reads_literals_consts_and_forwarders() {
    let code = r#"
pub const SOME_RULE: &str = "from-a-const";
fn build() {
    d.push(Diagnostic::error("a-literal", path, pos, "m"));
    d.push(Diagnostic::new(Severity::Warning, SOME_RULE, path, pos, "m"));
    sink.at(
        "on-the-next-line",
        g,
    );
}
fn report(rule: &str) {
    cx.error(rule, pos, m, h);
    // sink.at("in-a-comment", g);
}
#[cfg(test)]
mod tests {
    fn t() { sink.at("in-a-test", g); }
}
"#;
    let sources = BTreeMap::from([("x.rs".to_string(), without_tests_and_comments(code))]);
    let found = emissions_without_choosers(&sources);
    let ids: Vec<&str> = found.ids.keys().map(String::as_str).collect();
    assert_eq!(ids, ["a-literal", "from-a-const", "on-the-next-line"]);
    let forwarders: Vec<_> = found.forwarders.into_iter().collect();
    assert_eq!(
        forwarders,
        [("x.rs".to_string(), "report".to_string(), "rule".to_string())]
    );
    assert!(is_rule_shaped("frontmatter-unknown-key"));
    assert!(!is_rule_shaped("weekly") && !is_rule_shaped("a--b") && !is_rule_shaped("A-b"));
    let literals = string_literals(r#"f("a\"b", '"', '\'', "c-d") && x<'a>("e")"#);
    assert_eq!(literals, [r#"a\"b"#, "c-d", "e"]);
}

/// [`emissions`] on sources that have none of the [`CHOOSERS`] files.
fn emissions_without_choosers(sources: &BTreeMap<String, String>) -> Emissions {
    let mut all = sources.clone();
    for (path, f) in CHOOSERS {
        all.insert(
            path.to_string(),
            format!("fn {f}() {{ \"chosen-id\" }}\n}}\n"),
        );
    }
    let mut found = emissions(&all);
    found.ids.remove("chosen-id");
    found
}
