//! Giving freed memory back to the system between the steps of a build.
//!
//! mimalloc (the allocator on Linux, see `src/main.rs`) keeps memory that was freed for a
//! while, to hand it out again without asking the system. Between the appendices of a large
//! build that is the wrong bet: each appendix's polars temporaries (group-by tables of a
//! million rows) are freed when it ends, and the next asks for blocks of other sizes, so the
//! kept memory adds up. At a million dossiers, giving it back after every appendix lowers the
//! peak from about 430 to 375 MB for about 0.07 s of pages touched afresh (bench/RESULTS.md).
//!
//! For a small input the bet is wrong throughout: what mimalloc keeps is a fifth of the whole
//! build, and touching fresh pages costs nothing to speak of. [`fit_to_input`] has it give
//! back what is freed at once when the input is small.

/// Inputs below this size have mimalloc give back freed memory at once (see [`fit_to_input`]).
/// Measured on two cores (bench/RESULTS.md): at 5 MB (`data/`), 51 MB and 156 MB of CSV the
/// build takes the same time either way and 15-35 MB less memory (79 -> 64, 113 -> 88,
/// 169 -> 134 MB); at 523 MB it takes 310 instead of 378 MB but 0.26 s (16 %) longer, as
/// every appendix touches fresh pages again.
pub const SMALL_INPUT: u64 = 256 << 20;

/// mimalloc's option `purge_delay` (milliseconds before freed memory is given back; 1000 by
/// default), its place in the `mi_option_t` list of `mimalloc.h` of mimalloc 3, which
/// libmimalloc-sys builds (the crate's declarations do not name it). A test holds the place
/// to the option's default.
#[cfg(target_os = "linux")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Fits mimalloc to an input of `bytes`: below [`SMALL_INPUT`], freed memory is given back
/// at once instead of after a second. Elsewhere than on Linux, nothing.
pub fn fit_to_input(bytes: u64) {
    #[cfg(target_os = "linux")]
    if bytes < SMALL_INPUT {
        // SAFETY: mi_option_set takes two numbers; the option only changes when freed
        // memory is given back.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

/// Gives back to the system what mimalloc holds freed: `mi_collect`, forced, which collects
/// the calling thread's heap, takes over the segments threads left, and purges the arenas,
/// where the large blocks of polars' columns and tables lie. Blocks freed on polars' worker
/// threads and still kept in their own heaps stay there. Elsewhere than on Linux, where the
/// system allocator is used, nothing.
pub fn give_back_freed() {
    #[cfg(target_os = "linux")]
    // SAFETY: mi_collect takes a flag and only returns memory no live allocation uses; with
    // another global allocator it collects mimalloc's own (empty) heaps.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The option's place is that of `purge_delay`: it holds that option's default (1000 ms,
    /// unless the environment sets another), and a small input sets it to 0, a large one not.
    #[test]
    fn a_small_input_has_freed_memory_given_back_at_once() {
        // SAFETY: reading and setting an option of mimalloc.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        let before = get();
        fit_to_input(SMALL_INPUT);
        assert_eq!(get(), before);
        fit_to_input(5 << 20);
        assert_eq!(get(), 0);
    }
}
