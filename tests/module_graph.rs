//! The library's module graph: no cycles, and `docs/architecture.md` lists it as it is.
//!
//! Reads every non-test `.rs` file under `src/` (the binary's `main.rs`, `cli.rs` and `cmd/` are
//! left out: they sit on top of everything), takes each `crate::<module>` reference outside
//! comments as an edge from the file's top-level module, and checks that the graph has no cycle
//! and equals the block under "The module graph" in `docs/architecture.md`. After a deliberate
//! change of imports, `UPDATE_GOLDEN=1 cargo test --test module_graph` rewrites that block.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

const BINARY: &[&str] = &["main", "cli", "cmd", "lib"];

fn graph() -> Graph {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g = Graph::new();
    walk(&src, &src, &mut g);
    g
}

fn walk(root: &Path, dir: &Path, g: &mut Graph) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(root, &path, g);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            if BINARY.contains(&top.as_str()) || is_test_file(&rel) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for target in crate_refs(&text) {
                if target != top {
                    g.entry(top.clone()).or_default().insert(target);
                }
            }
        }
    }
}

fn is_test_file(rel: &str) -> bool {
    rel.ends_with("tests.rs") || rel.contains("/tests/") || rel.contains("test_pages")
}

/// The modules named as `crate::x` or inside `crate::{x, y}`, outside comments and tests.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let code = text.split("\n#[cfg(test)]\nmod tests {").next().unwrap();
    let mut out = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            if let Some(list) = rest.strip_prefix('{') {
                let list = list.split('}').next().unwrap_or("");
                for item in list.split(',') {
                    out.extend(ident(item.trim()));
                }
            } else {
                out.extend(ident(rest));
            }
        }
    }
    out
}

fn ident(s: &str) -> Option<String> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0 && s.as_bytes()[0].is_ascii_lowercase()).then(|| s[..end].to_string())
}

fn render(g: &Graph) -> String {
    g.iter()
        .map(|(from, to)| {
            let to: Vec<&str> = to.iter().map(String::as_str).collect();
            format!("{from} -> {}\n", to.join(" "))
        })
        .collect()
}

/// Modules on a cycle or depending on one, found by repeatedly removing modules that use no remaining module.
fn on_cycles(g: &Graph) -> BTreeSet<String> {
    let mut left: Graph = g.clone();
    loop {
        let sinks: Vec<String> = left
            .iter()
            .filter(|(_, to)| to.iter().all(|t| !left.contains_key(t)))
            .map(|(k, _)| k.clone())
            .collect();
        if sinks.is_empty() {
            return left.into_keys().collect();
        }
        for s in sinks {
            left.remove(&s);
        }
    }
}

#[test]
fn the_module_graph_has_no_cycle() {
    let cyclic = on_cycles(&graph());
    assert!(
        cyclic.is_empty(),
        "modules on (or depending on) an import cycle: {cyclic:?}\n{}",
        render(&graph())
    );
}

#[test]
fn docs_architecture_lists_the_module_graph() {
    let doc_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let (head, rest) = doc
        .split_once("## The module graph")
        .expect("docs/architecture.md has a `## The module graph` section");
    let (intro, rest) = rest.split_once("```text\n").expect("a ```text block");
    let (listed, tail) = rest.split_once("```").expect("the block's closing fence");
    let actual = render(&graph());
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty()) {
        let new = format!("{head}## The module graph{intro}```text\n{actual}```{tail}");
        std::fs::write(&doc_path, new).unwrap();
        return;
    }
    assert_eq!(
        listed, actual,
        "docs/architecture.md's module graph is out of date; after a deliberate change of \
         imports run `UPDATE_GOLDEN=1 cargo test --test module_graph`"
    );
}

#[test]
fn the_scanner_finds_references_and_skips_comments() {
    let text = "use crate::diag::{Diagnostic, Pos};\nuse crate::{config, model::Site};\n// crate::render\nfn f() { crate::recur::x(); }\n#[cfg(test)]\nmod tests {\nuse crate::serve;\n}";
    let refs: Vec<String> = crate_refs(text).into_iter().collect();
    assert_eq!(refs, ["config", "diag", "model", "recur"]);
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("a".into());
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        on_cycles(&g),
        BTreeSet::from(["a".to_string(), "b".to_string(), "c".to_string()])
    );
    g.get_mut("b").unwrap().clear();
    assert!(on_cycles(&g).is_empty());
}
