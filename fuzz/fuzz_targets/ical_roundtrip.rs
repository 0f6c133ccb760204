//! The iCalendar writer round-tripped through the parser: whatever page validates, every feed
//! written for it parses back (as a subscriber's client would) and passes the feed linter.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(site) = mcpsite_fuzz::valid_site(data) else {
        return;
    };
    for feed in mcpsite::feeds::feeds(&site, &mut mcpsite::feeds::FeedCache::default()) {
        let text = std::str::from_utf8(&feed.text).expect("feeds are UTF-8");
        if let Err(e) = mcpsite::check::feeds::parse_feed(text) {
            panic!("{} does not parse back: {e}\n{text}", feed.path);
        }
        let problems = mcpsite::ical::lint_feed(text);
        assert!(problems.is_empty(), "{}: {problems:?}\n{text}", feed.path);
    }
});
