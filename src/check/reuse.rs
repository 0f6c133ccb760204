//! The content rules' findings for one build, reusing from the last build those of every group
//! whose inputs are unchanged: `serve` rebuilds the health page, which shows the findings, on
//! every save, and running every rule on every group each time would cost more than the rest of
//! the rebuild.
//!
//! Takes: a validated [`Site`] and the [`FindingsCache`] of earlier builds. Gives: the same
//! [`Findings`]: the findings [`check`](super::check) gives with default [`CheckOptions`] (no
//! `--skip`), as kept (neither copied nor sorted: the health page only counts them). The
//! per-group families ([`rules::run_group`]) read one group's page and the pages of the groups it
//! names, so their findings are kept under that group's slug with those pages' texts as the key;
//! the families that compare all groups ([`rules::run_site`]) run every time.

use super::{CheckOptions, Sink, rules};
use crate::config::SiteConfig;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::memo::{Environment, Memo};
use crate::model::{Group, Site};

/// The texts a group's per-group findings are made from: its page's, then those of the groups
/// its page names, in order (`None`: not in this build).
type TextsKey = Vec<Option<Arc<str>>>;

/// What the per-group findings of earlier builds were made from, and the findings.
#[derive(Default)]
pub struct FindingsCache {
    /// The settings and `today`: every finding depends on them.
    env: Environment<(SiteConfig, jiff::civil::Date)>,
    groups: Memo<TextsKey, Arc<Diagnostics>>,
}

/// Every content rule's findings on a site: each group's, as kept, and those of the families
/// that compare all groups.
#[derive(Debug)]
pub struct Findings {
    groups: Vec<Arc<Diagnostics>>,
    site: Diagnostics,
}

impl Findings {
    /// Every finding, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        (self.groups.iter().flat_map(|d| d.iter())).chain(self.site.iter())
    }

    /// Lets go of each finding's message and help, which only a report reads (the health page
    /// counts findings by page, rule and severity): a plain build reports none, and at 100,000
    /// groups of the benchmark's the messages weigh some 75 MB. Findings shared with a cache
    /// are left whole.
    pub fn drop_texts(&mut self) {
        let drop_text = |mut d: Diagnostic| {
            d.message = String::new();
            d.help = None;
            d
        };
        let site = std::mem::take(&mut self.site).into_vec();
        self.site = site.into_iter().map(drop_text).collect();
        for group in self.groups.iter_mut().filter_map(Arc::get_mut) {
            *group = std::mem::take(group)
                .into_vec()
                .into_iter()
                .map(drop_text)
                .collect();
        }
    }

    /// Every finding, sorted, as [`check`](super::check) gives them.
    pub fn into_sorted(self) -> Diagnostics {
        let mut all = Diagnostics::new();
        for d in self.groups {
            all.extend(Arc::unwrap_or_clone(d));
        }
        all.extend(self.site);
        all.sort();
        all
    }
}

/// Every content rule's findings on `site`, reusing the per-group ones `cache` holds for
/// unchanged inputs and keeping this build's.
pub fn findings(site: &Site, cache: &mut FindingsCache) -> Findings {
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
    // Each group's on every core, beside the rules that read the whole site (one task, which
    // a large site would otherwise wait for alone); then what was made is kept, in order.
    let (made, site_findings) = rayon::join(
        || -> Vec<(TextsKey, Option<Arc<Diagnostics>>)> {
            (site.groups.par_iter())
                .map(|g| {
                    let key = texts_key(site, g);
                    let kept = cache.groups.get(&g.slug, &key).is_some();
                    let made = (!kept).then(|| Arc::new(group_findings(site, &opts, g)));
                    (key, made)
                })
                .collect()
        },
        || {
            let mut sink = Sink::new(&opts.skip);
            rules::run_site(site, &mut sink);
            sink.finish()
        },
    );
    let groups = (site.groups.iter().zip(made))
        .map(|(g, (key, made))| match made {
            Some(made) => {
                cache.groups.keep(g.slug.clone(), key, Arc::clone(&made));
                made
            }
            None => Arc::clone(cache.groups.kept(&g.slug).expect("kept above")),
        })
        .collect();
    cache
        .groups
        .prune(site.groups.iter().map(|g| g.slug.as_str()));
    Findings {
        groups,
        site: site_findings,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteRequest;

    /// The repository's own content: 36 groups with findings of most families.
    fn real_site() -> Site {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let opts = SiteRequest {
            root: root.clone(),
            drafts: false,
            today: Some(jiff::civil::date(2026, 11, 24)),
            base_url: None,
        }
        .resolve(&root.join("public"))
        .unwrap()
        .expect("the settings load");
        crate::pipeline::load_site(&opts).unwrap().0
    }

    #[test]
    fn kept_findings_are_checks_findings_before_and_after_an_edit() {
        let mut site = real_site();
        let mut cache = FindingsCache::default();
        let check = |site: &Site| super::super::check(site, &CheckOptions::new(site.today));
        let first = findings(&site, &mut cache).into_sorted();
        assert!(first.len() > 50, "the real content has findings");
        assert_eq!(first, check(&site));

        // A group loses its facilitators' handles: its own findings change, the others' are
        // kept, and all of them still equal `check`'s.
        let i = (site.groups.iter())
            .position(|g| {
                g.fm()
                    .facilitators
                    .iter()
                    .any(|p| p.get_ref().github.is_some())
            })
            .expect("a facilitator with a handle");
        let mut edited = (*site.groups[i]).clone();
        for p in &mut edited.page.fm.facilitators {
            p.get_mut().github = None;
        }
        edited.page.source.text = format!("{}\n", edited.page.source.text).into();
        site.groups[i] = Arc::new(edited);
        let second = findings(&site, &mut cache).into_sorted();
        assert_ne!(second, first);
        assert_eq!(second, check(&site));
    }

    /// What the health page counts (page, rule, severity, place) survives `drop_texts`; the
    /// texts go, except those a cache shares.
    #[test]
    fn dropping_texts_keeps_what_is_counted() {
        let site = real_site();
        let counted = |found: &Findings| {
            let mut all: Vec<_> = (found.iter())
                .map(|d| (d.path.clone(), d.rule.clone(), d.severity, d.pos))
                .collect();
            all.sort();
            all
        };
        let texts = |found: &Findings| found.iter().filter(|d| !d.message.is_empty()).count();

        let mut cache = FindingsCache::default();
        let mut shared = findings(&site, &mut cache);
        let before = counted(&shared);
        shared.drop_texts();
        assert_eq!(counted(&shared), before);
        let kept_by_cache: usize = (shared.groups.iter()).map(|d| d.len()).sum();
        assert!(
            kept_by_cache > 0 && !shared.site.is_empty(),
            "both kinds are tested"
        );
        assert_eq!(
            texts(&shared),
            kept_by_cache,
            "the site's findings lose theirs"
        );

        let mut own = findings(&site, &mut FindingsCache::default());
        own.drop_texts();
        assert_eq!(counted(&own), before);
        assert_eq!(texts(&own), 0);
        assert!(own.iter().all(|d| d.help.is_none()));
    }
}
