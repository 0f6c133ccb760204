//! Markdown rendering: any text renders without panic, every heading id is unique and none
//! takes an id the page reserves, and a page rendered without the sanitizer (when it skips it)
//! is byte for byte the page rendered through it.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let reserved = ["meetings", "people"];
    let r = mcpsite::markdown::render_page(md, &reserved);
    assert_eq!(r, mcpsite::markdown::render_page_sanitized(md, &reserved));
    let mut seen = HashSet::new();
    for t in &r.toc {
        assert!(seen.insert(t.id.clone()), "duplicate id {}", t.id);
        assert!(
            t.id != "meetings" && t.id != "people",
            "reserved id {}",
            t.id
        );
    }
});
