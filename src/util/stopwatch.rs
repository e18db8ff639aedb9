//! The stopwatch behind `zmq_stopwatch_*`: microseconds on the monotonic
//! clock since it was started.
//!
//! A stopwatch is only its start time, so it converts to and from a
//! non-zero `u64` ("ticks"): the C boundary hands that value out as the
//! opaque `void*`, and nothing needs to be allocated or freed.

use std::sync::OnceLock;
use std::time::Instant;

/// The process's time origin; all stopwatches count from it.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// Microseconds since the process's time origin.
fn now_us() -> u64 {
    u64::try_from(origin().elapsed().as_micros()).unwrap_or(u64::MAX)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopwatch {
    start_us: u64,
}

impl Stopwatch {
    pub fn start() -> Self {
        Stopwatch { start_us: now_us() }
    }

    /// Microseconds since `start`, without stopping. A stopwatch rebuilt
    /// from bogus ticks gives a meaningless number, never a panic.
    pub fn intermediate(&self) -> u64 {
        now_us().wrapping_sub(self.start_us)
    }

    /// Microseconds since `start`; the stopwatch is consumed.
    pub fn stop(self) -> u64 {
        self.intermediate()
    }

    /// The stopwatch as a non-zero number.
    pub fn ticks(&self) -> u64 {
        self.start_us.wrapping_add(1).max(1)
    }

    /// The stopwatch `ticks` came from.
    pub fn from_ticks(ticks: u64) -> Self {
        Stopwatch {
            start_us: ticks.wrapping_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn intermediate_counts_microseconds() {
        let w = Stopwatch::start();
        std::thread::sleep(Duration::from_millis(20));
        let us = w.intermediate();
        assert!((20_000..2_000_000).contains(&us), "{us}");
    }

    #[test]
    fn intermediate_does_not_stop_the_watch() {
        let w = Stopwatch::start();
        let a = w.intermediate();
        std::thread::sleep(Duration::from_millis(2));
        assert!(w.stop() >= a + 2_000);
    }

    #[test]
    fn ticks_are_never_zero_and_round_trip() {
        let w = Stopwatch::start();
        assert_ne!(w.ticks(), 0);
        assert_eq!(Stopwatch::from_ticks(w.ticks()), w);
        assert_ne!(Stopwatch::from_ticks(0).ticks(), 0);
    }

    #[test]
    fn bogus_ticks_do_not_panic() {
        for t in [0, 1, u64::MAX] {
            let _ = Stopwatch::from_ticks(t).intermediate();
        }
    }
}
