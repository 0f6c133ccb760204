//! In-process rebuild timings, without the watcher, the debounce or HTTP: what
//! `pipeline::build_from` costs after one group page's `name` changed, the way `serve` rebuilds.
//!
//! ```sh
//! bench/gen-site.py /tmp/site1k 1000
//! cargo run --release --example rebuild -- /tmp/site1k 30        # edit the middle group
//! cargo run --release --example rebuild -- /tmp/site1k 30 501    # a group with a schedule
//! ```
//!
//! Prints the first (full) build's time and min/p50/max of the rebuilds. `bench/README.md` has
//! the end-to-end figures (`bench/serve-latency.py`).

use std::path::PathBuf;
use std::time::Instant;

use mcpsite::config::SiteRequest;
use mcpsite::pipeline::{self, BuildCache};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: rebuild ROOT [REBUILDS] [GROUP]"));
    let rebuilds: usize = args.next().map_or(20, |s| s.parse().expect("REBUILDS"));
    let site = SiteRequest {
        root: root.clone(),
        drafts: false,
        today: Some(jiff::civil::date(2026, 11, 24)),
        base_url: None,
    };
    let opts = site
        .resolve(&root.join("public"))
        .unwrap()
        .expect("the settings have no errors");
    let (mut sources, diags) = mcpsite::source::load(&root).unwrap();
    let group: usize = args
        .next()
        .map_or(sources.groups.len() / 2, |s| s.parse().expect("GROUP"));
    let original = sources.groups[group].text.clone();
    let mut cache = BuildCache::default();
    let mut times = Vec::new();
    for i in 0..=rebuilds {
        sources.groups[group].text = original
            .replacen("name = \"", &format!("name = \"Edit {i} "), 1)
            .into();
        let t = Instant::now();
        let outcome = pipeline::build_from(&opts, &sources, diags.clone(), &mut cache).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(outcome.output.is_some(), "{:?}", outcome.diagnostics);
    }
    let first = times.remove(0);
    times.sort_by(f64::total_cmp);
    println!(
        "{}: first build {first:.1} ms; {} rebuilds: min {:.1} ms, p50 {:.1} ms, max {:.1} ms",
        sources.groups[group].path,
        times.len(),
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
