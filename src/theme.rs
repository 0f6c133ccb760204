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
use std::fmt;
use std::path::Path;

use anyhow::Context as _;
use include_dir::{Dir, include_dir};
use tera::{ErrorKind, Tera};

use crate::config::CONFIG_FILE;
use crate::diag::{Diagnostic, Diagnostics, Pos, rel_path};

/// The built-in theme.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The rule id of every problem inside a template.
pub const TEMPLATE_ERROR: &str = "template-error";

/// Why loading the theme or rendering with it failed. The render stage returns it too: a
/// template that fails on a page is a problem of the theme's files.
#[derive(Debug)]
pub enum RenderError {
    /// Problems in the site's files (an unknown theme, a broken template), located.
    Content(Diagnostics),
    /// Anything else (reading a theme file failed).
    Other(anyhow::Error),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Content(d) => write!(f, "{}", d.render(crate::diag::Format::Text)),
            RenderError::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for RenderError {}

impl From<anyhow::Error> for RenderError {
    fn from(e: anyhow::Error) -> Self {
        RenderError::Other(e)
    }
}

/// The templates that render one component alone ([`Theme::render_card`],
/// [`Theme::render_agenda_row`]): name, source, the component. Their names end in `.html` so
/// that they escape as the pages do.
const INTERNAL: [(&str, &str, &str); 2] = [
    (CARD_TEMPLATE, "{{ <group_card g={g} /> }}", "group_card"),
    (
        ROW_TEMPLATE,
        "{{ <agenda_row a={a} split={split} /> }}",
        "agenda_row",
    ),
];
const CARD_TEMPLATE: &str = "__mcpsite_card.html";
const ROW_TEMPLATE: &str = "__mcpsite_agenda_row.html";

/// A loaded theme.
pub struct Theme {
    /// The templates, loaded.
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
        let mut files = ThemeFiles::embedded()?;
        if let Some(dir) = &site_dir {
            files.add_overrides(root, dir)?;
        }
        let ThemeFiles {
            templates,
            statics,
            diags,
        } = files;
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
        let (tera, paths) = compile(&templates, diags)?;
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

    /// One directory card's HTML, rendered by the theme's `group_card` component: the directory
    /// and kind pages list every group, and a card made once (and kept by `serve` while the
    /// group is unchanged) costs less than a card made on each of those pages. `None` when the
    /// theme has no such component or it fails; a page that shows the card renders the
    /// component itself then, and reports the failure.
    pub fn render_card(&self, card: &tera::Value) -> Option<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("g", card);
        self.render_internal(CARD_TEMPLATE, &ctx)
    }

    /// One agenda row's HTML, rendered by the theme's `agenda_row` component (`split`: the
    /// agenda is cut into periods), for `serve` to keep while the meeting is unchanged: a
    /// group's edit changes its rows on every period's page. `None` as for
    /// [`Theme::render_card`].
    pub fn render_agenda_row(&self, row: &tera::Value, split: bool) -> Option<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("a", row);
        ctx.insert("split", &split);
        self.render_internal(ROW_TEMPLATE, &ctx)
    }

    fn render_internal(&self, template: &str, ctx: &tera::Context) -> Option<String> {
        match self.has(template) {
            true => self.tera.render(template, ctx).ok(),
            false => None,
        }
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

    /// Renders `template` for the output file `output` into `write`, as it goes: a template's
    /// problem is given as [`WriteFailed::Template`], one of `write`'s as
    /// [`WriteFailed::Io`].
    pub fn render_to(
        &self,
        template: &str,
        ctx: &tera::Context,
        output: &str,
        write: &mut dyn std::io::Write,
    ) -> Result<(), WriteFailed> {
        let mut write = KeepsError { write, error: None };
        match self.tera.render_to(template, ctx, &mut write) {
            Ok(()) => Ok(()),
            // Tera keeps only the kind of an I/O error: the error itself is the writer's.
            Err(e) => Err(match write.error.take() {
                Some(io) => WriteFailed::Io(io),
                None => {
                    WriteFailed::Template(tera_diagnostics(&e, &self.paths, template, Some(output)))
                }
            }),
        }
    }

    /// Where problems in `template` are reported.
    pub fn path_of(&self, template: &str) -> String {
        self.paths
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string())
    }
}

/// Why [`Theme::render_to`] stopped.
#[derive(Debug)]
pub enum WriteFailed {
    /// The template failed: its problems, located.
    Template(Diagnostics),
    /// The file could not be written.
    Io(std::io::Error),
}

/// A writer that keeps the first error it gave.
struct KeepsError<'w> {
    write: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl KeepsError<'_> {
    fn kept<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        r.map_err(|e| {
            let again = std::io::Error::new(e.kind(), e.to_string());
            // An interrupted write is tried again; only a lasting error ends the page.
            if e.kind() != std::io::ErrorKind::Interrupted {
                self.error.get_or_insert(e);
            }
            again
        })
    }
}

impl std::io::Write for KeepsError<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let r = self.write.write(buf);
        self.kept(r)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let r = self.write.write_all(buf);
        self.kept(r)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let r = self.write.flush();
        self.kept(r)
    }
}

/// A theme's files as read: the embedded default's, with a site's overrides on top.
struct ThemeFiles {
    /// By template name.
    templates: BTreeMap<String, TemplateSource>,
    /// Output path → bytes.
    statics: BTreeMap<String, Vec<u8>>,
    /// Templates that could not be read as text.
    diags: Diagnostics,
}

impl ThemeFiles {
    /// The built-in theme's files.
    fn embedded() -> anyhow::Result<ThemeFiles> {
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
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
        Ok(ThemeFiles {
            templates,
            statics,
            diags: Diagnostics::new(),
        })
    }

    /// Replaces or adds each file of the site's theme folder `dir`, one by one.
    fn add_overrides(&mut self, root: &Path, dir: &Path) -> anyhow::Result<()> {
        for path in files_under(&dir.join("templates"))? {
            let rel = rel_path(&dir.join("templates"), &path);
            let shown = rel_path(root, &path);
            let bytes = crate::regular_file::read(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            match crate::source::decode(bytes) {
                Ok(text) => {
                    self.templates
                        .insert(rel, TemplateSource { path: shown, text });
                }
                Err((pos, msg)) => self.diags.push(
                    Diagnostic::error(TEMPLATE_ERROR, shown, pos, msg)
                        .with_help("save the template as UTF-8"),
                ),
            }
        }
        for path in files_under(&dir.join("static"))? {
            let bytes = crate::regular_file::read(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            self.statics
                .insert(rel_path(&dir.join("static"), &path), bytes);
        }
        Ok(())
    }
}

/// Compiles the templates, or gives every problem found in them along with `diags` (those of
/// reading them).
fn compile(
    templates: &BTreeMap<String, TemplateSource>,
    mut diags: Diagnostics,
) -> Result<(Tera, BTreeMap<String, String>), RenderError> {
    let paths = path_map(templates);
    // Parse each template on its own first, so every syntax error of every template is
    // reported in one run (loading them together stops at the first).
    for (name, src) in templates {
        let mut probe = Tera::new();
        if let Err(e) = probe.add_raw_template(name, &src.text)
            && matches!(e.kind(), ErrorKind::SyntaxError(_))
        {
            diags.extend(tera_diagnostics(&e, &paths, name, None));
        }
    }
    if !diags.is_empty() {
        return Err(RenderError::Content(diags));
    }
    let mut tera = Tera::new();
    // Each internal template only when the theme defines its component.
    let internal = INTERNAL.iter().filter(|(_, _, component)| {
        let definition = format!("component {component}(");
        templates.values().any(|s| s.text.contains(&definition))
    });
    let all = templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str()));
    if let Err(e) = tera.add_raw_templates(all.chain(internal.map(|&(n, s, _)| (n, s)))) {
        let first = templates.keys().next().cloned().unwrap_or_default();
        return Err(RenderError::Content(tera_diagnostics(
            &e, &paths, &first, None,
        )));
    }
    Ok((tera, paths))
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
    let at = Locator { paths, output };
    let start = Pos { line: 1, col: 1 };
    let mut diags = Diagnostics::new();
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let name = if r.filename().is_empty() {
                template
            } else {
                r.filename()
            };
            let span = r.span();
            let pos = Pos {
                line: span.start_line.max(1),
                col: span.start_col + 1,
            };
            diags.push(at.template_error(name, pos, r.message().to_string()));
        }
        ErrorKind::Msg(text) => diags.extend(at.reports(text, template)),
        ErrorKind::MissingParent { current, parent } => diags.push(
            Diagnostic::error(
                TEMPLATE_ERROR,
                at.path_of(current),
                start,
                format!("`{current}` extends `{parent}`, which is not a template of this theme"),
            )
            .with_help(format!(
                "add templates/{parent} to the theme, or extend one of: {}",
                paths.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            diags.push(at.template_error(tpl, start, e.to_string()))
        }
        _ => diags.push(at.template_error(template, start, e.to_string())),
    }
    diags
}

/// Where template problems are reported, and the help they get.
struct Locator<'a> {
    paths: &'a BTreeMap<String, String>,
    /// The file being rendered, if any.
    output: Option<&'a str>,
}

impl Locator<'_> {
    fn path_of(&self, name: &str) -> String {
        self.paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// A problem in the template `name`.
    fn template_error(&self, name: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        let help = match self.output {
            Some(out) => format!(
                "this stopped the rendering of {out}; fix `{name}` (the built-in templates under themes/default/templates/ in the mcpsite sources show the variables each page gets)"
            ),
            None => format!(
                "fix `{name}` (the built-in templates under themes/default/templates/ in the mcpsite sources are a reference)"
            ),
        };
        Diagnostic::error(TEMPLATE_ERROR, self.path_of(name), pos, message).with_help(help)
    }

    /// Load-time checks (unknown filters, components, includes, blocks) come as rendered
    /// reports: "error: MESSAGE\n --> NAME:LINE:COL\n ...", one per problem. A text that holds
    /// none is reported whole at `template`.
    fn reports(&self, text: &str, template: &str) -> Diagnostics {
        let mut diags = Diagnostics::new();
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
            diags.push(self.template_error(name, Pos { line, col }, msg));
        }
        if diags.is_empty() {
            diags.push(self.template_error(template, Pos { line: 1, col: 1 }, text));
        }
        diags
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind as IoKind;

    use super::*;

    /// A writer that refuses every byte.
    struct Full;

    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(IoKind::StorageFull, "disk full"))
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Rendering into a writer tells the template's problems from the writer's, and gives the
    /// writer's own error.
    #[test]
    fn rendering_into_a_writer_tells_template_from_write_failures() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("themes/t/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("plain.html"), "hello {{ x }}\n").unwrap();
        let theme = Theme::load(root.path(), "t").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", &1);

        let mut out = Vec::new();
        theme
            .render_to("plain.html", &ctx, "plain.html", &mut out)
            .unwrap();
        assert_eq!(out, b"hello 1\n");

        match theme.render_to("plain.html", &ctx, "plain.html", &mut Full) {
            Err(WriteFailed::Io(e)) => {
                assert_eq!(e.kind(), IoKind::StorageFull);
                assert_eq!(e.to_string(), "disk full");
            }
            other => panic!("{other:?}"),
        }

        let empty = tera::Context::new();
        match theme.render_to("plain.html", &empty, "plain.html", &mut Vec::new()) {
            Err(WriteFailed::Template(d)) => {
                let d = d.into_vec();
                assert_eq!(d.len(), 1);
                assert_eq!(d[0].path, "themes/t/templates/plain.html");
                assert!(d[0].message.contains("`x`"), "{}", d[0].message);
            }
            other => panic!("{other:?}"),
        }
    }
}
