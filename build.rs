//! Rebuilds the crate when the built-in theme changes. `include_dir!` embeds each file with
//! `include_bytes!`, which tracks edits to existing files but not files added or removed.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
