//! Work spread over the cores, the results in the order of the work: the readers' parts, the
//! frames, the data quality suggestions, the charts. Every thread that shares out work starts
//! here (a child process's pipe drained on a thread, `render/pdf.rs`, is I/O, not work).

/// The cores there are (1 when that cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Each piece of `work` on a thread of its own, the results in the order of `work`; a single
/// piece runs on the calling thread. A panic in a piece is a panic here.
pub fn on_threads<W: Send, R: Send>(work: Vec<W>, job: impl Fn(W) -> R + Sync) -> Vec<R> {
    if work.len() < 2 {
        return work.into_iter().map(job).collect();
    }
    std::thread::scope(|scope| {
        let job = &job;
        let handles: Vec<_> = work
            .into_iter()
            .map(|w| scope.spawn(move || job(w)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// `a` on a thread of its own and `b` on the calling thread, side by side; both results. A
/// panic in either is a panic here.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// `job` of every item, the items dealt out over one thread per core (each taking every n-th,
/// so that costly and cheap items mix), the results in the order of `items`. Fewer than
/// `at_least` items, or one core, run on the calling thread.
pub fn map<T: Sync, R: Send>(items: &[T], at_least: usize, job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads < 2 || items.len() < at_least {
        return items.iter().map(job).collect();
    }
    let job = &job;
    let dealt = on_threads((0..threads).collect(), |t| {
        (t..items.len())
            .step_by(threads)
            .map(|i| (i, job(&items[i])))
            .collect::<Vec<_>>()
    });
    let mut results: Vec<(usize, R)> = dealt.into_iter().flatten().collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_work() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(&items, 1, |i| i * i);
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(map(&items[..3], 64, |i| i + 1), vec![1, 2, 3]);
        assert_eq!(map(&[] as &[u64], 1, |i| *i), Vec::<u64>::new());
        assert_eq!(on_threads(vec![3, 1, 2], |i| i * 10), vec![30, 10, 20]);
        let here = std::thread::current().id();
        let (a, b) = join(
            || (std::thread::current().id(), "a"),
            || (std::thread::current().id(), 2),
        );
        assert_eq!((a.1, b), ("a", (here, 2)));
        assert_ne!(a.0, here);
    }

    #[test]
    #[should_panic(expected = "the other side")]
    fn a_panic_on_the_other_side_of_a_join_is_a_panic_of_the_caller() {
        join(|| panic!("the other side"), || 1);
    }

    #[test]
    #[should_panic(expected = "piece 2")]
    fn a_panic_in_a_piece_is_a_panic_of_the_caller() {
        on_threads(vec![1, 2, 3], |i| assert!(i != 2, "piece {i}"));
    }
}
