//! The link check reads a page as it is written: any bytes, written in parts of any size and
//! scanned whenever a few have come, are read as the whole page is (ids, links and where each
//! is, and the broken links to the page's own fragments). The first byte chooses the sizes.
#![no_main]

use std::io::Write as _;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use mcpsite::check::links::{PageLinks, PageWriter};

const PATH: &str = "groups/a/index.html";
const BASE: Option<&str> = Some("https://x.org");

fuzz_target!(|data: &[u8]| {
    let Some((&sizes, page)) = data.split_first() else {
        return;
    };
    let written = usize::from(sizes % 16) + 1;
    let scanned = usize::from(sizes / 16) + 1;
    let strings = Mutex::default();
    let whole = PageLinks::read(PATH, &String::from_utf8_lossy(page), BASE, &strings);
    let mut writer = PageWriter::in_parts(PATH, BASE, scanned);
    for part in page.chunks(written) {
        writer.write_all(part).unwrap();
    }
    assert_eq!(writer.finish(&strings), whole);
});
