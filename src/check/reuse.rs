//! The content rules' findings for one build, reusing from the last build those of every group
//! whose inputs are unchanged: `serve` rebuilds the health page, which shows the findings, on
//! every save, and running every rule on every group each time would cost more than the rest of
//! the rebuild.
//!
//! Takes: a validated [`Site`] and the [`FindingsCache`] of earlier builds. Gives: the same
//! [`Diagnostics`] as [`check`](super::check) with default [`CheckOptions`] (no `--skip`). The
//! per-group families ([`rules::run_group`]) read one group's page and the pages of the groups it
//! names, so their findings are kept under that group's slug with those pages' texts as the key;
//! the families that compare all groups ([`rules::run_site`]) run every time.

use super::{CheckOptions, Sink, rules};
use crate::config::SiteConfig;
use crate::diag::Diagnostics;
use crate::memo::{Environment, Memo};
use crate::model::{Group, Site};

/// The texts a group's per-group findings are made from: its page's, then those of the groups
/// its page names, in order (`None`: not in this build).
type TextsKey = Vec<Option<std::sync::Arc<str>>>;

/// What the per-group findings of earlier builds were made from, and the findings.
#[derive(Default)]
pub struct FindingsCache {
    /// The settings and `today`: every finding depends on them.
    env: Environment<(SiteConfig, jiff::civil::Date)>,
    groups: Memo<TextsKey, Diagnostics>,
}

/// Every content rule's findings on `site`, reusing the per-group ones `cache` holds for
/// unchanged inputs and keeping this build's. Sorted, as [`check`](super::check) gives them.
pub fn findings(site: &Site, cache: &mut FindingsCache) -> Diagnostics {
    let same = |(config, today): &(SiteConfig, jiff::civil::Date)| {
        *config == site.config && *today == site.today
    };
    if !cache
        .env
        .unchanged(same, || (site.config.clone(), site.today))
    {
        cache.groups.clear();
    }
    let opts = CheckOptions::new(site.today);
    let mut all = Diagnostics::new();
    for g in &site.groups {
        let key = texts_key(site, g);
        all.extend(
            cache
                .groups
                .get_or_make(&g.slug, &key, || group_findings(site, &opts, g))
                .clone(),
        );
    }
    cache
        .groups
        .prune(site.groups.iter().map(|g| g.slug.as_str()));
    let mut sink = Sink::new(&opts.skip);
    rules::run_site(site, &mut sink);
    all.extend(sink.finish());
    all.sort();
    all
}

fn group_findings(site: &Site, opts: &CheckOptions, g: &Group) -> Diagnostics {
    let mut sink = Sink::new(&opts.skip);
    rules::run_group(site, opts, g, &mut sink);
    sink.finish()
}

fn texts_key(site: &Site, g: &Group) -> TextsKey {
    let text = |g: &Group| g.page.source.text.clone();
    let mut key = vec![Some(text(g))];
    key.extend(
        g.fm()
            .group_refs()
            .into_iter()
            .map(|(slug, _)| site.group(slug.get_ref()).map(text)),
    );
    key
}
