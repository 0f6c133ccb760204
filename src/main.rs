//! The `mcpsite` binary: parse the command line and run the command it names.
//!
//! Exit status: 0 ok, 1 content errors (diagnostics were printed), 2 failure (I/O, a bad flag).
//! Operational errors are printed once here with their whole cause chain.
//!
//! The command line ([`cli`]) and the commands ([`cmd`]) belong to the binary, not the library:
//! the library's stages cannot depend on flags.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use cli::{Cli, Command};
use mcpsite::diag::{CONTINUATION, text_safe};

/// jemalloc rather than the system allocator: faster on every core (the figures are in
/// Cargo.toml). Not on MSVC targets, which it does not support.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How long jemalloc keeps pages freed by a build or a check before giving them back to the
/// system (its default: 10 s). A build frees each stage's data (the agenda rows, the group
/// pages' parts) and then grows again (the directory's cards as template values), and the pages
/// kept in between were a tenth of its peak: peak RSS −7% at 100,000 groups and −4% at 10,000,
/// time unchanged. Not for `serve`, whose rebuilds it made 2 ms slower (bench/README.md,
/// session 7).
#[cfg(not(target_env = "msvc"))]
const FREED_PAGES_KEPT_MS: isize = 1000;

/// Has jemalloc give freed pages back after [`FREED_PAGES_KEPT_MS`], in the arenas made from now
/// on and in those already made. A setting it refuses leaves its default, which is only slower
/// to give memory back.
#[cfg(not(target_env = "msvc"))]
fn give_freed_pages_back_sooner() {
    let mut names = vec![c"arenas.dirty_decay_ms".to_owned()];
    let mut arenas: u32 = 0;
    let mut len = std::mem::size_of::<u32>();
    // SAFETY: `arenas.narenas` is an unsigned int, read into `arenas` with its size.
    let read = unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arenas.narenas".as_ptr(),
            (&raw mut arenas).cast(),
            &raw mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    if read == 0 {
        names.extend(
            (0..arenas)
                .filter_map(|i| std::ffi::CString::new(format!("arena.{i}.dirty_decay_ms")).ok()),
        );
    }
    for name in names {
        let mut ms = FREED_PAGES_KEPT_MS;
        // SAFETY: every name takes an ssize_t, written from `ms` with its size; nothing is read
        // back. An arena not made yet answers with an error, which leaves nothing changed.
        let _ = unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                (&raw mut ms).cast(),
                std::mem::size_of::<isize>(),
            )
        };
    }
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(code) => code,
        Err(e) => {
            // The chain may hold paths and values from the input: no line may start with them.
            let text = format!("{e:#}");
            eprintln!("error: {}", text_safe(&text, Some(CONTINUATION)));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    #[cfg(not(target_env = "msvc"))]
    if matches!(command, Command::Build(_) | Command::Check(_)) {
        give_freed_pages_back_sooner();
    }
    match command {
        Command::Build(args) => cmd::build::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::New(args) => cmd::new::run(&args),
        Command::Meetings(args) => cmd::meetings::run(&args),
        Command::Completions(args) => cmd::completions::run(&args, Cli::command()),
    }
}

#[cfg(all(test, not(target_env = "msvc")))]
mod tests {
    /// jemalloc's current setting `name`, an ssize_t.
    fn decay_ms(name: &std::ffi::CStr) -> isize {
        let mut ms: isize = 0;
        let mut len = std::mem::size_of::<isize>();
        // SAFETY: `name` is an ssize_t, read into `ms` with its size.
        let read = unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr(),
                (&raw mut ms).cast(),
                &raw mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        assert_eq!(read, 0, "{name:?}");
        ms
    }

    /// The arena this thread allocates from, and those made later, give freed pages back
    /// after the build's setting, not jemalloc's default.
    #[test]
    fn builds_give_freed_pages_back_sooner() {
        assert_ne!(
            decay_ms(c"arenas.dirty_decay_ms"),
            super::FREED_PAGES_KEPT_MS
        );
        drop(vec![0u8; 1 << 20]);
        super::give_freed_pages_back_sooner();
        assert_eq!(
            decay_ms(c"arenas.dirty_decay_ms"),
            super::FREED_PAGES_KEPT_MS
        );
        assert_eq!(
            decay_ms(c"arena.0.dirty_decay_ms"),
            super::FREED_PAGES_KEPT_MS
        );
        let later = std::thread::spawn(|| {
            drop(vec![0u8; 1 << 20]);
            let mut arena: u32 = 0;
            let mut len = std::mem::size_of::<u32>();
            // SAFETY: `thread.arena` is an unsigned int, read into `arena` with its size.
            let read = unsafe {
                tikv_jemalloc_sys::mallctl(
                    c"thread.arena".as_ptr(),
                    (&raw mut arena).cast(),
                    &raw mut len,
                    std::ptr::null_mut(),
                    0,
                )
            };
            assert_eq!(read, 0);
            arena
        })
        .join()
        .unwrap();
        let name = std::ffi::CString::new(format!("arena.{later}.dirty_decay_ms")).unwrap();
        assert_eq!(decay_ms(&name), super::FREED_PAGES_KEPT_MS);
    }
}
