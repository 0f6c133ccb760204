//! Shared by the fuzz targets: a group page's bytes through the real stages, as `build` runs
//! them (decode, front matter, validation with its meetings), with fixed settings and date.

use mcpsite::config::SiteConfig;
use mcpsite::diag::Diagnostics;
use mcpsite::frontmatter::{self, HomePage};
use mcpsite::model::Site;
use mcpsite::source::{SourceFile, decode};

/// The settings every target builds with.
pub fn config() -> SiteConfig {
    SiteConfig::parse(b"title = \"Fuzz\"\nbase_url = \"https://fuzz.example.org\"\n")
        .expect("the fuzz settings parse")
}

/// The fixed "today".
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

/// Loads `bytes` as `content/groups/fuzz-ig.md`: the validated site (possibly without the
/// group) and every diagnostic, or `None` when the bytes are not UTF-8.
pub fn site_from(bytes: &[u8]) -> Option<(Site, Diagnostics)> {
    let text = decode(bytes.to_vec()).ok()?;
    let file = SourceFile {
        path: "content/groups/fuzz-ig.md".into(),
        text: text.into(),
    };
    let mut diags = Diagnostics::new();
    let pages = match frontmatter::parse_group(file) {
        Ok(p) => vec![p],
        Err(d) => {
            diags.extend(d);
            Vec::new()
        }
    };
    let (site, d) =
        mcpsite::validate::validate(config(), HomePage::default(), pages, today(), false);
    diags.extend(d);
    Some((site, diags))
}

/// Text diagnostics never start a line with input (a forged CI annotation).
pub fn assert_text_safe(diags: &Diagnostics) {
    let text = diags.render(mcpsite::diag::Format::Text);
    for line in text.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?}");
        assert!(!line.contains('\x1b'), "{line:?}");
    }
}

/// The validated site of `bytes` when it built without errors (the targets that exercise the
/// later stages start from here, as `build` does).
pub fn valid_site(bytes: &[u8]) -> Option<Site> {
    let (site, diags) = site_from(bytes)?;
    (!diags.has_errors()).then_some(site)
}
