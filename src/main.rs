//! The `mcpsite` binary: parse the command line and run the command it names.
//!
//! Exit status: 0 ok, 1 content errors (diagnostics were printed), 2 failure (I/O, a bad flag).
//! Operational errors are printed once here with their whole cause chain.
//!
//! The command line ([`cli`]) and the commands ([`cmd`]) belong to the binary, not the library:
//! the library's stages cannot depend on flags.

mod cli;
mod cmd;

#[cfg(not(target_env = "msvc"))]
use std::ffi::{CStr, CString};
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use cli::{Cli, Command};
use mcpsite::diag::{CONTINUATION, text_safe};

/// jemalloc rather than the system allocator: faster on every core (the figures are in
/// Cargo.toml). Not on MSVC targets, which it does not support.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main` (its documented `malloc_conf`, under the prefixed
/// name tikv-jemalloc-sys gives its symbols). `thp:always` has jemalloc ask for transparent huge
/// pages for its memory (`madvise`), which matters where the system gives them only to memory
/// that asks (`madvise`, as Debian and Ubuntu set it): a build then takes fewer page faults and
/// TLB misses. CPU −8% at 1,000 groups and −6% at 10,000 (none measurable at 100,000), for 14
/// and 16–19 MiB more peak memory (bench/README.md, session 13). Linux only: jemalloc has no
/// huge pages elsewhere, and would say so on every start. Every command but `build` opts out
/// ([`small_pages_only`]).
#[cfg(target_os = "linux")]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: Option<&'static std::ffi::c_char> =
    // SAFETY: a C string literal lives for the whole program and ends with NUL.
    Some(unsafe { &*c"thp:always".as_ptr() });

/// Has the kernel give this process no more huge pages, whatever jemalloc asks for: for every
/// command but `build`, for which they cost more memory than they save time. `check` at 10,000
/// groups: 27% more peak memory and 3–14% slower; `serve`, which holds the whole site for as
/// long as it runs: 46 MB resident instead of 16 MB for a 36-group site, and its rebuilds no
/// faster. The programs a command starts inherit the setting: a browser that `serve --open`
/// starts (when none runs) gets no huge pages either.
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes a flag and three zeros, and only sets a flag of the
    // process; on a kernel without it the call fails and nothing changes.
    let _unsupported = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

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
/// to give memory back; an arena not made yet refuses it, and takes the new default when made.
#[cfg(not(target_env = "msvc"))]
fn give_freed_pages_back_sooner() {
    let arenas: u32 = jemalloc_get(c"arenas.narenas").unwrap_or(0);
    let each = (0..arenas).filter_map(|i| CString::new(format!("arena.{i}.dirty_decay_ms")).ok());
    for name in std::iter::once(c"arenas.dirty_decay_ms".to_owned()).chain(each) {
        jemalloc_set(&name, FREED_PAGES_KEPT_MS);
    }
}

/// jemalloc's setting `name`, whose C type is `T`; `None` when it has no such setting.
#[cfg(not(target_env = "msvc"))]
fn jemalloc_get<T: Copy + Default>(name: &CStr) -> Option<T> {
    let mut value = T::default();
    let mut len = std::mem::size_of::<T>();
    // SAFETY: the caller names a setting of type `T`; it is read into `value`, `len` bytes.
    let read = unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr(),
            (&raw mut value).cast(),
            &raw mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    (read == 0 && len == std::mem::size_of::<T>()).then_some(value)
}

/// Sets jemalloc's setting `name`, whose C type is `T`; one it refuses stays as it was.
#[cfg(not(target_env = "msvc"))]
fn jemalloc_set<T: Copy>(name: &CStr, mut value: T) {
    // SAFETY: the caller names a setting of type `T`; it is written from `value`, its size, and
    // nothing is read back.
    let _refused = unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            (&raw mut value).cast(),
            std::mem::size_of::<T>(),
        )
    };
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
    #[cfg(target_os = "linux")]
    if !matches!(command, Command::Build(_)) {
        small_pages_only();
    }
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
    use super::{FREED_PAGES_KEPT_MS, jemalloc_get};

    /// jemalloc read the options the binary embeds.
    #[cfg(target_os = "linux")]
    #[test]
    fn jemalloc_reads_the_embedded_options() {
        let thp: usize = jemalloc_get(c"opt.thp").expect("jemalloc's THP mode");
        // SAFETY: `opt.thp` is a `const char *` to one of jemalloc's static strings.
        let thp = unsafe { std::ffi::CStr::from_ptr(thp as *const std::ffi::c_char) };
        assert_eq!(thp, c"always");
    }

    /// After [`super::small_pages_only`], the kernel gives the process no huge pages.
    #[cfg(target_os = "linux")]
    #[test]
    fn small_pages_only_turns_huge_pages_off() {
        // SAFETY: PR_GET_THP_DISABLE takes four zeros and reads a flag of the process.
        let disabled = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        super::small_pages_only();
        assert_eq!(disabled(), 1);
    }

    /// The arena this thread allocates from, and those made later, give freed pages back
    /// after the build's setting, not jemalloc's default.
    #[test]
    fn builds_give_freed_pages_back_sooner() {
        let decay_ms = |name: &std::ffi::CStr| jemalloc_get::<isize>(name).expect("a setting");
        assert_ne!(decay_ms(c"arenas.dirty_decay_ms"), FREED_PAGES_KEPT_MS);
        drop(vec![0u8; 1 << 20]);
        super::give_freed_pages_back_sooner();
        assert_eq!(decay_ms(c"arenas.dirty_decay_ms"), FREED_PAGES_KEPT_MS);
        assert_eq!(decay_ms(c"arena.0.dirty_decay_ms"), FREED_PAGES_KEPT_MS);
        let later = std::thread::spawn(|| {
            drop(vec![0u8; 1 << 20]);
            jemalloc_get::<u32>(c"thread.arena").expect("this thread's arena")
        })
        .join()
        .unwrap();
        let name = std::ffi::CString::new(format!("arena.{later}.dirty_decay_ms")).unwrap();
        assert_eq!(decay_ms(&name), FREED_PAGES_KEPT_MS);
    }
}
