use super::*;
use crate::config::SiteRequest;

/// The build options of the site at `root`, for 24 November 2026.
fn options(root: &Path) -> BuildOptions {
    let request = SiteRequest {
        root: root.to_path_buf(),
        drafts: false,
        today: Some(jiff::civil::date(2026, 11, 24)),
        base_url: None,
    };
    (request.resolve(&root.join("public")).unwrap()).expect("the settings load")
}

/// The site at `root` built in memory, letting go of its pages' texts after `edit` ran (on
/// the files, once they were read) when `texts` says so.
fn build_with(root: &Path, texts: Texts, edit: impl FnOnce()) -> (BuildOutcome<()>, Output) {
    let opts = options(root);
    let (sources, diags) = source::load(root).unwrap();
    let (site, diags) = validate_sources(&opts, &sources, diags, None);
    let statics = sources.statics;
    edit();
    let sink = Collect::default();
    let mut cache = BuildCache::for_one_build();
    let outcome = render_valid(&opts, site, diags, &statics, &mut cache, &sink, texts).unwrap();
    (outcome, sink.into_output())
}

/// The repository's own content, copied where a test may edit it.
fn real_site_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("mcpsite.toml"), dir.path().join("mcpsite.toml")).unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
        match entry.file_type().is_dir() {
            true => std::fs::create_dir_all(&to).unwrap(),
            false => drop(std::fs::copy(entry.path(), &to).unwrap()),
        }
    }
    dir
}

#[test]
fn a_build_that_lets_go_of_the_texts_makes_the_same_files() {
    let site = real_site_copy();
    let (kept, kept_files) = build_with(site.path(), Texts::Kept, || {});
    let (let_go, files) = build_with(site.path(), Texts::LetGoAbove(0), || {});
    assert!(kept.output.is_some() && let_go.output.is_some());
    assert_eq!(kept.diagnostics, let_go.diagnostics);
    assert_eq!(kept_files, files);
    let groups = &let_go.site.as_ref().unwrap().groups;
    assert_eq!(groups.len(), 36);
    // Every page let go of its text (no other value held its group), and none when kept.
    assert!(groups.iter().all(|g| g.page.is_on_disk()));
    assert!(
        kept.site
            .unwrap()
            .groups
            .iter()
            .all(|g| !g.page.is_on_disk())
    );

    // Below the threshold the texts stay.
    let (small, _) = build_with(site.path(), Texts::LetGoAbove(usize::MAX), || {});
    assert!(
        small
            .site
            .unwrap()
            .groups
            .iter()
            .all(|g| !g.page.is_on_disk())
    );
}

#[test]
fn a_page_edited_after_it_was_read_fails_the_build_that_let_go_of_it() {
    let site = real_site_copy();
    let page = site.path().join("content/groups/auth-ig.md");
    let edit = || {
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replace("Authorization", "Authorisation")).unwrap();
    };
    let (outcome, _) = build_with(site.path(), Texts::LetGoAbove(0), edit);
    assert!(outcome.failed(), "the build must fail");
    let changed: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == "content-changed")
        .collect();
    assert_eq!(changed.len(), 1, "{:?}", outcome.diagnostics);
    assert_eq!(changed[0].path, "content/groups/auth-ig.md");
    assert_eq!(changed[0].severity, Severity::Error);

    // A build that kept the texts renders what it read.
    let (kept, _) = build_with(site.path(), Texts::Kept, || {
        std::fs::write(&page, "gone").unwrap();
    });
    assert!(kept.output.is_some());
}
