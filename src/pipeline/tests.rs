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
fn build_with(root: &Path, holding: Holding, edit: impl FnOnce()) -> (BuildOutcome<()>, Output) {
    let opts = options(root);
    let (sources, diags) = source::load(root).unwrap();
    let (site, diags) = validate_sources(&opts, &sources, diags, None);
    let statics = sources.statics;
    edit();
    let sink = Collect::default();
    let mut cache = BuildCache::for_one_build();
    let (outcome, _) =
        render_valid(&opts, site, diags, &statics, &mut cache, &sink, holding).unwrap();
    (outcome, sink.into_output())
}

/// The repository's own content, copied where a test may edit it.
fn real_site_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("mcpsite.toml"), dir.path().join("mcpsite.toml")).unwrap();
    crate::test_support::copy_tree(&repo.join("content"), &dir.path().join("content"));
    dir
}

#[test]
fn a_build_that_holds_least_makes_the_same_files() {
    let site = real_site_copy();
    let (all, all_files) = build_with(site.path(), Holding::All, || {});
    let least = Holding::Least {
        texts_above: 0,
        findings: false,
    };
    let (least, files) = build_with(site.path(), least, || {});
    assert!(all.output.is_some() && least.output.is_some());
    assert_eq!(all.diagnostics, least.diagnostics);
    assert_eq!(all_files.len(), 92);
    assert_eq!(all_files, files);
    // It let go of the site before the last pages.
    assert!(all.site.is_some() && least.site.is_none());
}

/// A cache for one build hands each group's feed on as it is made and keeps none of them; a
/// cache kept for the next build keeps them all and gives them again: the same files each way.
#[test]
fn a_cache_for_one_build_keeps_no_group_feed() {
    let site = real_site_copy();
    let opts = options(site.path());
    let (sources, diags) = source::load(site.path()).unwrap();
    let mut one = BuildCache::for_one_build();
    let mut kept = BuildCache::default();
    let plain = build_from(&opts, &sources, diags.clone(), &mut one).unwrap();
    let first = build_from(&opts, &sources, diags.clone(), &mut kept).unwrap();
    let again = build_from(&opts, &sources, diags, &mut kept).unwrap();
    let files = plain.output.expect("the real site builds");
    let feeds = (files.files()).filter(|(path, _)| path.ends_with("calendar.ics"));
    assert_eq!(
        feeds.count(),
        39,
        "each group's, each kind's and the aggregate"
    );
    assert_eq!(Some(&files), first.output.as_ref());
    assert_eq!(Some(&files), again.output.as_ref());
    assert_eq!(one.feeds.group_feeds_kept(), 0);
    assert_eq!(kept.feeds.group_feeds_kept(), 36);
}

#[test]
fn a_site_lets_go_of_every_text_once_the_sources_are_gone() {
    let site = real_site_copy();
    let opts = options(site.path());
    let (sources, diags) = source::load(site.path()).unwrap();
    let (mut valid, _) = validate_sources(&opts, &sources, diags, None);
    drop(sources);
    let mut cache = BuildCache::for_one_build();
    // Below the threshold the texts stay.
    let_go_of_texts(&mut valid, &mut cache, site.path(), usize::MAX);
    assert!(valid.groups.iter().all(|g| !g.page.is_on_disk()));
    let_go_of_texts(&mut valid, &mut cache, site.path(), 0);
    assert_eq!(valid.groups.len(), 36);
    // No other value held a group, so each one let go of its text.
    assert!(valid.groups.iter().all(|g| g.page.is_on_disk()));
    let g = &valid.groups[0];
    let text = std::fs::read_to_string(site.path().join(&g.page.source.path)).unwrap();
    assert_eq!(g.page.body().unwrap(), &text[g.page.body_offset..]);
}

#[test]
fn a_page_edited_after_it_was_read_fails_the_build_that_let_go_of_it() {
    let site = real_site_copy();
    let page = site.path().join("content/groups/auth-ig.md");
    let edit = || {
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replace("Authorization", "Authorisation")).unwrap();
    };
    let (outcome, _) = build_with(
        site.path(),
        Holding::Least {
            texts_above: 0,
            findings: false,
        },
        edit,
    );
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
    let (kept, _) = build_with(site.path(), Holding::All, || {
        std::fs::write(&page, "gone").unwrap();
    });
    assert!(kept.output.is_some());
}

/// `check` reports the content rules' findings that the build made for its health page: they
/// are the findings of the rules run on the site alone. A plain build does not keep them.
#[test]
fn a_build_for_check_gives_the_content_rules_findings() {
    let site = real_site_copy();
    let opts = options(site.path());
    let streamed = build_for_check(&opts, &Collect::default()).unwrap();
    assert!(streamed.outcome.output.is_some() && streamed.outcome.site.is_none());
    let given = (streamed.findings.expect("the build ran the rules")).into_sorted();
    let (valid, _) = load_site(&opts).unwrap();
    let alone = crate::check::check(&valid, &crate::check::CheckOptions::new(opts.today));
    assert!(!alone.is_empty());
    assert_eq!(given, alone);
    assert_eq!(streamed.groups, valid.groups.len());
    let plain = stream(&opts, &Collect::default(), false).unwrap();
    assert!(plain.outcome.output.is_some() && plain.findings.is_none());
}
