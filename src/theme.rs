//! Themes: the templates and static files a build renders with.
//!
//! Takes: the site root and the `theme` setting. Gives: a [`Theme`], a loaded Tera 2 instance
//! plus the static files to copy, or the diagnostics saying why not.
//!
//! The default theme is compiled into the binary (`themes/default/` in this repository), so an
//! installed `mcpsite` works anywhere. A site may override it file by file, the way mdBook does:
//! with `theme = "<name>"` and a folder `themes/<name>/` at the site root, each file under its
//! `templates/` replaces the built-in template of the same name (or adds a new one, such as a
//! partial the overrides include), and each file under its `static/` replaces or adds a static
//! file. `theme = "default"` with a `themes/default/` folder overrides the same way. So a site
//! that only wants its own colours ships `themes/<name>/static/style.css` and nothing else.
//!
//! Template problems are content problems: a syntax error, an unknown filter or a failure while
//! rendering becomes a `template-error` diagnostic at the template's own path and the line and
//! column Tera reports, like any other mistake in the site's files.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use include_dir::{Dir, include_dir};
use tera::{ErrorKind, Tera};

use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Diagnostics, Pos, rel_path};
use crate::render::RenderError;

/// The built-in theme.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The rule id of every problem inside a template.
pub const TEMPLATE_ERROR: &str = "template-error";

/// A loaded theme.
pub struct Theme {
    pub tera: Tera,
    /// Template name (`group.html`) → the path to report problems at
    /// (`themes/custom/templates/group.html`).
    paths: BTreeMap<String, String>,
    /// Output path (`style.css`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Every template as loaded: name, reported path, text. Two themes with equal sources
    /// render every page alike (the render cache compares them).
    sources: Vec<(String, String, String)>,
}

struct TemplateSource {
    /// Where to report problems.
    path: String,
    text: String,
}

impl Theme {
    /// Loads the embedded default theme with the site's overrides for `name`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, RenderError> {
        Self::load_reusing(root, name, None)
    }

    /// [`Theme::load`], reusing the compiled templates of `previous` when its template sources
    /// are the ones read now (compiling is a function of the sources alone).
    pub fn load_reusing(
        root: &Path,
        name: &str,
        previous: Option<Theme>,
    ) -> Result<Theme, RenderError> {
        let site_dir = site_theme_dir(root, name)?;

        let mut templates: BTreeMap<String, TemplateSource> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for (rel, bytes) in embedded_files(dir, "templates") {
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| anyhow::anyhow!("built-in template {rel} is not UTF-8"))?;
                templates.insert(
                    rel.clone(),
                    TemplateSource {
                        path: format!("themes/default/templates/{rel}"),
                        text,
                    },
                );
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            for (rel, bytes) in embedded_files(dir, "static") {
                statics.insert(rel, bytes.to_vec());
            }
        }

        let mut diags = Diagnostics::new();
        if let Some(dir) = &site_dir {
            for path in files_under(&dir.join("templates"))? {
                let rel = rel_path(&dir.join("templates"), &path);
                let shown = rel_path(root, &path);
                let bytes = crate::regular_file::read(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                match crate::source::decode(&bytes) {
                    Ok(text) => {
                        templates.insert(rel, TemplateSource { path: shown, text });
                    }
                    Err((pos, msg)) => diags.push(
                        Diagnostic::error(TEMPLATE_ERROR, shown, pos, msg)
                            .with_help("save the template as UTF-8"),
                    ),
                }
            }
            for path in files_under(&dir.join("static"))? {
                let bytes = crate::regular_file::read(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                statics.insert(rel_path(&dir.join("static"), &path), bytes);
            }
        }

        if let Some(p) = previous
            && diags.is_empty()
            && p.sources.len() == templates.len()
            && p.sources
                .iter()
                .zip(&templates)
                .all(|((n, path, text), (name, src))| {
                    n == name && *path == src.path && *text == src.text
                })
        {
            return Ok(Theme { statics, ..p });
        }

        // Parse each template on its own first, so every syntax error of every template is
        // reported in one run (loading them together stops at the first).
        for (name, src) in &templates {
            let mut probe = Tera::new();
            if let Err(e) = probe.add_raw_template(name, &src.text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                diags.extend(tera_diagnostics(&e, &path_map(&templates), name, None));
            }
        }
        if !diags.is_empty() {
            return Err(RenderError::Content(diags));
        }

        let paths = path_map(&templates);
        let mut tera = Tera::new();
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
        {
            let first = templates.keys().next().cloned().unwrap_or_default();
            return Err(RenderError::Content(tera_diagnostics(
                &e, &paths, &first, None,
            )));
        }
        let sources = templates
            .into_iter()
            .map(|(name, src)| (name, src.path, src.text))
            .collect();
        Ok(Theme {
            tera,
            paths,
            statics,
            sources,
        })
    }

    /// The templates as loaded: name, reported path and text, sorted by name.
    pub fn sources(&self) -> &[(String, String, String)] {
        &self.sources
    }

    /// Does the theme have this template?
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `template` for the output file `output`; failures are located diagnostics.
    pub fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        output: &str,
    ) -> Result<String, Diagnostics> {
        self.tera
            .render(template, ctx)
            .map_err(|e| tera_diagnostics(&e, &self.paths, template, Some(output)))
    }

    /// Where problems in `template` are reported.
    pub fn path_of(&self, template: &str) -> String {
        self.paths
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string())
    }
}

fn path_map(templates: &BTreeMap<String, TemplateSource>) -> BTreeMap<String, String> {
    templates
        .iter()
        .map(|(n, s)| (n.clone(), s.path.clone()))
        .collect()
}

/// The site's folder for `name`, or `None` when the embedded default is used alone.
fn site_theme_dir(root: &Path, name: &str) -> Result<Option<std::path::PathBuf>, RenderError> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && name.chars().all(|c| !c.is_control());
    if plain {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Some(dir));
        }
    }
    if name == "default" {
        return Ok(None);
    }
    let mut available = vec!["default".to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n != "default" && !n.starts_with('.'))
            .collect();
        found.sort();
        available.extend(found);
    }
    let pos = setting_pos(root, "theme");
    let help = format!(
        "set `theme` to one of: {} (a theme is a folder `themes/<name>/` next to {CONFIG_FILE}, \
         holding `templates/` and `static/` files that replace the built-in ones)",
        available
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Err(RenderError::Content(
        std::iter::once(
            Diagnostic::error(
                "theme-unknown",
                CONFIG_FILE,
                pos,
                format!(
                    "theme `{name}` is neither the built-in `default` nor a folder themes/{name}/"
                ),
            )
            .with_help(help),
        )
        .collect(),
    ))
}

/// The line of a top-level `key = …` in the settings file, for pointing at it; 1:1 when it
/// cannot be found (the settings were parsed already, so this is only about the location).
fn setting_pos(root: &Path, key: &str) -> Pos {
    let bytes = crate::regular_file::read(&root.join(CONFIG_FILE)).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Pos {
                line: i + 1,
                col: line.len() - t.len() + 1,
            };
        }
    }
    Pos { line: 1, col: 1 }
}

/// Every file under an embedded folder: (path relative to it, bytes), sorted.
fn embedded_files(dir: &'static Dir<'static>, prefix: &str) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for f in d.files() {
            let p = f.path().to_string_lossy().replace('\\', "/");
            let rel = p
                .strip_prefix(prefix)
                .map(|r| r.trim_start_matches('/'))
                .unwrap_or(&p)
                .to_string();
            out.push((rel, f.contents()));
        }
        stack.extend(d.dirs());
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Files under `dir` (none if it does not exist), sorted, skipping editor leftovers.
fn files_under(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        if entry.file_type().is_file() && !crate::source::is_temp_file(entry.path()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// Turns a Tera error into located diagnostics. `template` is the one being loaded or
/// rendered (where to point when Tera gives no location); `output` the file being rendered.
fn tera_diagnostics(
    e: &tera::Error,
    paths: &BTreeMap<String, String>,
    template: &str,
    output: Option<&str>,
) -> Diagnostics {
    let path_of = |name: &str| paths.get(name).cloned().unwrap_or_else(|| name.to_string());
    let help = |name: &str| match output {
        Some(out) => format!(
            "this stopped the rendering of {out}; fix `{name}` (the built-in templates under themes/default/templates/ in the mcpsite sources show the variables each page gets)"
        ),
        None => format!(
            "fix `{name}` (the built-in templates under themes/default/templates/ in the mcpsite sources are a reference)"
        ),
    };
    let mut diags = Diagnostics::new();
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let name = if r.filename().is_empty() {
                template
            } else {
                r.filename()
            };
            let span = r.span();
            diags.push(
                Diagnostic::error(
                    TEMPLATE_ERROR,
                    path_of(name),
                    Pos {
                        line: span.start_line.max(1),
                        col: span.start_col + 1,
                    },
                    r.message().to_string(),
                )
                .with_help(help(name)),
            );
        }
        ErrorKind::Msg(text) => {
            // Load-time checks (unknown filters, components, includes, blocks) come as
            // rendered reports: "error: MESSAGE\n --> NAME:LINE:COL\n ...", one per problem.
            let mut found = false;
            for report in text.split("\n\n") {
                let mut lines = report.lines();
                let Some(msg) = lines.next().and_then(|l| l.strip_prefix("error: ")) else {
                    continue;
                };
                let Some(loc) = lines.find_map(|l| l.trim_start().strip_prefix("--> ")) else {
                    continue;
                };
                let mut parts = loc.rsplitn(3, ':');
                let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
                let line = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
                let name = parts.next().unwrap_or(template);
                found = true;
                diags.push(
                    Diagnostic::error(TEMPLATE_ERROR, path_of(name), Pos { line, col }, msg)
                        .with_help(help(name)),
                );
            }
            if !found {
                diags.push(
                    Diagnostic::error(
                        TEMPLATE_ERROR,
                        path_of(template),
                        Pos { line: 1, col: 1 },
                        text.clone(),
                    )
                    .with_help(help(template)),
                );
            }
        }
        ErrorKind::MissingParent { current, parent } => diags.push(
            Diagnostic::error(
                TEMPLATE_ERROR,
                path_of(current),
                Pos { line: 1, col: 1 },
                format!("`{current}` extends `{parent}`, which is not a template of this theme"),
            )
            .with_help(format!(
                "add templates/{parent} to the theme, or extend one of: {}",
                paths.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => diags
            .push(
                Diagnostic::error(
                    TEMPLATE_ERROR,
                    path_of(tpl),
                    Pos { line: 1, col: 1 },
                    e.to_string(),
                )
                .with_help(help(tpl)),
            ),
        _ => diags.push(
            Diagnostic::error(
                TEMPLATE_ERROR,
                path_of(template),
                Pos { line: 1, col: 1 },
                e.to_string(),
            )
            .with_help(help(template)),
        ),
    }
    diags
}
