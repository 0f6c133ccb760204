//! Where meeting notes live, inferred from the URL.
//!
//! Takes: a notes URL (or a `notes_url_template`, or `links.notes_index`). Gives: its
//! [`NotesKind`], which `[governance] notes_kinds_ok` decides is compliant or not. The governance
//! text allows a GitHub issue or a public Google Doc; in practice groups also use GitHub
//! Discussions, Markdown files in a repository and Discord threads (`docs/check-findings.md`,
//! finding 4, counts them in the real directory).

/// The kinds of notes link in real use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotesKind {
    /// A GitHub issue.
    GithubIssue,
    /// A GitHub Discussion.
    GithubDiscussion,
    /// A Google Doc.
    Gdoc,
    /// A file in a GitHub repository.
    RepoFile,
    /// A Discord message or channel.
    Discord,
}

impl NotesKind {
    /// The name used in `notes_kinds_ok`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotesKind::GithubIssue => "github-issue",
            NotesKind::GithubDiscussion => "github-discussion",
            NotesKind::Gdoc => "gdoc",
            NotesKind::RepoFile => "repo-file",
            NotesKind::Discord => "discord",
        }
    }

    /// Every kind.
    pub const ALL: [NotesKind; 5] = [
        NotesKind::GithubIssue,
        NotesKind::GithubDiscussion,
        NotesKind::Gdoc,
        NotesKind::RepoFile,
        NotesKind::Discord,
    ];
}

/// Substitutes a sample date into a `notes_url_template` so its kind can be inferred.
pub fn sample_template(template: &str) -> String {
    template
        .replace("{date}", "2026-01-07")
        .replace("{yyyy}", "2026")
        .replace("{mm}", "01")
        .replace("{dd}", "07")
}

/// The kind of a notes URL, or `None` when it matches no known pattern.
///
/// * `https://github.com/<o>/<r>/issues/<n>` (or the issue list): GitHub issue
/// * `https://github.com/<o>/<r>/discussions/<n>` (or a category): GitHub discussion
/// * `https://github.com/<o>/<r>/blob|tree/<ref>/<path>`: a file in a repository
/// * `https://docs.google.com/document/d/<id>…`: Google Doc
/// * `https://discord.com/channels/<guild>/<channel>[/<thread>]`: Discord
pub fn notes_kind(url: &str) -> Option<NotesKind> {
    let rest = url.strip_prefix("https://")?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut parts = rest.split('/');
    let host = parts.next()?.to_ascii_lowercase();
    let segs: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();
    match host.as_str() {
        "github.com" | "www.github.com" => {
            if segs.len() < 3 {
                return None;
            }
            match segs[2] {
                "issues" | "pull" => {
                    // An issue number, or the (filtered) issue list as an index.
                    match segs.get(3) {
                        None => Some(NotesKind::GithubIssue),
                        Some(n) if n.chars().all(|c| c.is_ascii_digit()) => {
                            (segs[2] == "issues").then_some(NotesKind::GithubIssue)
                        }
                        Some(_) => None,
                    }
                }
                "discussions" => match segs.get(3) {
                    None => Some(NotesKind::GithubDiscussion),
                    Some(&"categories") if segs.len() == 5 => Some(NotesKind::GithubDiscussion),
                    Some(n) if n.chars().all(|c| c.is_ascii_digit()) && segs.len() == 4 => {
                        Some(NotesKind::GithubDiscussion)
                    }
                    Some(_) => None,
                },
                "blob" | "tree" if segs.len() >= 4 => Some(NotesKind::RepoFile),
                _ => None,
            }
        }
        "docs.google.com" => {
            (segs.first() == Some(&"document") && segs.get(1) == Some(&"d") && segs.len() >= 3)
                .then_some(NotesKind::Gdoc)
        }
        "discord.com" | "discordapp.com" => (segs.first() == Some(&"channels")
            && (3..=4).contains(&segs.len())
            && segs[1..]
                .iter()
                .all(|s| s.chars().all(|c| c.is_ascii_digit())))
        .then_some(NotesKind::Discord),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_real_urls() {
        use NotesKind::*;
        let cases: [(Option<NotesKind>, &[&str]); 6] = [
            (
                Some(GithubIssue),
                &["https://github.com/modelcontextprotocol/modelcontextprotocol/issues/1629"],
            ),
            (
                Some(GithubDiscussion),
                &[
                    "https://github.com/modelcontextprotocol/modelcontextprotocol/discussions/categories/meeting-notes-skills-over-mcp-wg",
                    "https://github.com/modelcontextprotocol/modelcontextprotocol/discussions/2001",
                ],
            ),
            (
                Some(RepoFile),
                &[
                    "https://github.com/modelcontextprotocol/agents-wg/blob/main/meetings/2026-05-22.md",
                ],
            ),
            (
                Some(Gdoc),
                &[
                    "https://docs.google.com/document/d/103S6IjN9D80ntbPIcK3mP_ZWdeFom2Mq8qpkpIsXRVI/edit",
                ],
            ),
            (
                Some(Discord),
                &[
                    "https://discord.com/channels/1358869848138059966/1360835991749001368/1400000000000000000",
                ],
            ),
            (
                None,
                &[
                    "https://github.com/modelcontextprotocol/modelcontextprotocol/pull/12",
                    "https://example.org/notes",
                    "http://github.com/a/b/issues/1",
                    "https://docs.google.com/spreadsheets/d/x",
                ],
            ),
        ];
        for (want, urls) in cases {
            for url in urls {
                assert_eq!(notes_kind(url), want, "{url}");
            }
        }
    }

    #[test]
    fn template_kind() {
        let t = "https://github.com/modelcontextprotocol/agents-wg/blob/main/meetings/{date}.md";
        assert_eq!(notes_kind(&sample_template(t)), Some(NotesKind::RepoFile));
    }
}
