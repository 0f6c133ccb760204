//! A page's text read again from its file, by a build that let go of the copy it read first.
//!
//! Takes: the file and the [`Fingerprint`] of the text first read from it. Gives: that text
//! again, or a diagnostic saying the file changed since (the build then fails, and the output
//! folder stays as it was).
//!
//! A plain `mcpsite build` keeps what it parsed of each page, not the page's text: only the
//! group's own page reads its Markdown body, once, and holding every body until then was the
//! largest part of a large build's memory (see `docs/architecture.md`, "Bounded memory").

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use crate::diag::{Diagnostic, Pos};

/// What a build keeps of a text it let go of: enough to tell whether a file still holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: usize,
    hash: u64,
}

impl Fingerprint {
    /// The fingerprint of `text`. The length and a 64-bit SipHash: an edit that keeps both
    /// is one in 2^64 (the hash need not resist a forger: whoever can edit the file writes
    /// the page anyway).
    pub fn of(text: &str) -> Self {
        let mut h = DefaultHasher::new();
        h.write(text.as_bytes());
        Fingerprint {
            len: text.len(),
            hash: h.finish(),
        }
    }
}

/// The text of the file at `file` (the site's `path` to it), decoded as the loader decodes
/// it, if it is still the text whose fingerprint is `was`.
pub fn read_again(file: &Path, path: &str, was: Fingerprint) -> Result<String, Diagnostic> {
    let text = std::fs::read(file)
        .ok()
        .and_then(|bytes| super::decode(bytes).ok());
    match text {
        Some(text) if Fingerprint::of(&text) == was => Ok(text),
        _ => Err(Diagnostic::error(
            "content-changed",
            path.to_string(),
            Pos { line: 1, col: 1 },
            "the file changed (or went) while the site was being built, after it was read"
                .to_string(),
        )
        .with_help("build again once the file is saved; the output folder was left as it was")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_only_while_it_holds_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let first = "+++\nname = \"A\"\n+++\nBody\n";
        std::fs::write(&file, format!("\u{feff}{first}")).unwrap();
        let was = Fingerprint::of(first);
        // Decoded as the loader decodes it: the byte-order mark is not part of the text.
        assert_eq!(
            read_again(&file, "content/groups/a.md", was).unwrap(),
            first
        );

        for changed in [
            "+++\nname = \"A\"\n+++\nBody.\n",
            "+++\nname = \"A\"\n+++\nBodx\n",
        ] {
            std::fs::write(&file, changed).unwrap();
            let d = read_again(&file, "content/groups/a.md", was).unwrap_err();
            assert_eq!(d.rule, "content-changed");
            assert_eq!(d.path, "content/groups/a.md");
        }
        std::fs::write(&file, [0xff, 0xfe]).unwrap();
        assert!(read_again(&file, "content/groups/a.md", was).is_err());
        std::fs::remove_file(&file).unwrap();
        assert!(read_again(&file, "content/groups/a.md", was).is_err());
    }
}
