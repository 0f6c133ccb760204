//! Front matter and validation: any bytes as a group page never panic, and the text
//! diagnostics never start a line with input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((_, diags)) = mcpsite_fuzz::site_from(data) {
        mcpsite_fuzz::assert_text_safe(&diags);
    }
});
