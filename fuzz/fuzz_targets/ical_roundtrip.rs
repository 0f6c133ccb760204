//! The iCalendar writer round-tripped through the parser: whatever page validates, every feed
//! written for it parses back (as a subscriber's client would) and passes the feed linter.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(site) = mcpsite_fuzz::valid_site(data) else {
        return;
    };
    let sink = mcpsite::output::Collect::default();
    let mut cache = mcpsite::feeds::FeedCache::for_one_build();
    mcpsite::feeds::put_feeds(&site, &mut cache, &sink).expect("a collecting sink takes each feed");
    for (path, bytes) in sink.into_output().files() {
        let text = std::str::from_utf8(bytes).expect("feeds are UTF-8");
        if let Err(e) = mcpsite::check::feeds::parse_feed(text) {
            panic!("{path} does not parse back: {e}\n{text}");
        }
        let problems = mcpsite::ical::lint_feed(text);
        assert!(problems.is_empty(), "{path}: {problems:?}\n{text}");
    }
});
