//! Recurrence expansion: whatever schedules a page validates with, expanding them over two
//! years never panics and gives meetings in time order, each ending after it starts, inside the
//! window.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(site) = mcpsite_fuzz::valid_site(data) else {
        return;
    };
    let from = jiff::Timestamp::from_second(1_767_225_600).unwrap(); // 2026-01-01
    let to = jiff::Timestamp::from_second(1_830_297_600).unwrap(); // 2028-01-01
    let items = mcpsite::agenda::expand(site.groups.iter().map(|g| &**g), from, to);
    for w in items.windows(2) {
        assert!(w[0].start <= w[1].start, "out of order");
    }
    for i in &items {
        assert!(i.end >= i.start, "ends before it starts");
        assert!(
            i.end.timestamp() > from && i.start.timestamp() < to,
            "outside the window"
        );
    }
});
