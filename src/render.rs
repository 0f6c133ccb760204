//! Rendering (placeholder until the theme branch lands).
use std::path::Path;

use crate::diag::Diagnostics;
use crate::model::Site;

pub struct RenderOptions<'a> {
    pub root: &'a Path,
    pub live_reload: Option<String>,
}

pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub enum RenderError {
    Content(Diagnostics),
    Other(anyhow::Error),
}

pub fn render_site(site: &Site, _opts: &RenderOptions) -> Result<Vec<OutputFile>, RenderError> {
    Ok(site
        .groups
        .iter()
        .map(|g| OutputFile {
            path: format!("groups/{}/index.html", g.slug),
            bytes: g.name().as_bytes().to_vec(),
        })
        .collect())
}
