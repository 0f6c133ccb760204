//! What the unit tests of several modules share (built for tests only).
//!
//! Takes: folders of the repository. Gives: copies of them where a test may edit them.

use std::path::Path;

/// Copies the folder `from`, with everything under it, to `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
