//! Regular files: reading a file only after checking it is one.
//!
//! Takes: a path. Gives: its bytes, or an error saying what it is instead (a folder, a FIFO, a
//! socket, a device). Opening a FIFO for reading waits for a writer forever, so the type is
//! checked before the file is opened; `mcpsite.toml` and theme files are read through here, and
//! content files through `source::entry`, which checks the same way.

use std::path::Path;

/// Reads a file that must be a regular file (links followed).
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            special_name(&meta.file_type())
        };
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}, not a regular file"),
        ));
    }
    std::fs::read(path)
}

/// What a file that is neither a regular file nor a folder is, for messages.
#[cfg(unix)]
pub fn special_name(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
pub fn special_name(_: &std::fs::FileType) -> &'static str {
    "a special file"
}
