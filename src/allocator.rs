//! The allocator of the `locsearch` binary and of the query bench: mimalloc, which cut index
//! build CPU time (analysis allocates a string per token; BENCHMARKS.md), told to give freed
//! memory back to the system soon.

use std::ffi::c_long;

use libmimalloc_sys::{mi_option_set, mi_option_t};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Milliseconds mimalloc waits before it returns freed pages to the system. Its default (1 s)
/// kept a two-thread `batch` with passages at 91–100 MiB of anonymous memory; this one keeps it
/// under 80 MiB at the same speed, within the bench's noise (BENCHMARKS.md, "Memory"). No
/// delay at all purges at every free and costs a sixth of the two-thread throughput.
const PURGE_DELAY_MS: c_long = 25;

/// `mi_option_purge_delay` of mimalloc.h, which libmimalloc-sys does not name (it names its
/// neighbours: `mi_option_eager_commit_delay` 14, `mi_option_use_numa_nodes` 16).
const MI_OPTION_PURGE_DELAY: mi_option_t = 15;

/// Sets mimalloc's options; called first thing in `main`. `MIMALLOC_PURGE_DELAY`, when set,
/// still decides: it is the user's.
pub fn configure() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option is a store to mimalloc's option table; mimalloc reads it
        // at each purge.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// mimalloc's purge delay now, in milliseconds.
#[cfg(test)]
#[allow(dead_code)] // The query bench includes this file too, and runs no tests.
fn purge_delay() -> c_long {
    // SAFETY: reading an option has no precondition.
    unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
}

#[cfg(test)]
#[allow(unused_imports)] // As above.
mod tests {
    use super::*;

    /// The option is the purge delay: mimalloc's default for it (1,000 ms) or the user's,
    /// until configured; then ours, unless the user set one.
    #[test]
    fn configure_shortens_the_purge_delay() {
        let users: Option<c_long> = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok());
        assert_eq!(purge_delay(), users.unwrap_or(1000));
        configure();
        assert_eq!(purge_delay(), users.unwrap_or(PURGE_DELAY_MS));
    }
}
