//! The threads behind `zmq_threadstart`/`zmq_threadclose`: a registry of
//! joinable threads keyed by a non-zero id, so C holds a number rather
//! than a pointer and a stale or bogus id is simply not found.

use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::thread::JoinHandle;

/// libzmq names the threads it starts for applications "ZMQapp".
const THREAD_NAME: &str = "ZMQapp";

/// libzmq's threads get the C library's default stack (8 MiB on common
/// Linux setups), and bodies written for it may rely on that; Rust's
/// default is 2 MiB. Only touched pages cost memory.
const STACK_SIZE: usize = 8 << 20;

pub struct Threads {
    inner: Mutex<Inner>,
}

struct Inner {
    running: BTreeMap<u64, JoinHandle<()>>,
    last_id: u64,
}

impl Default for Threads {
    fn default() -> Self {
        Self::new()
    }
}

impl Threads {
    pub const fn new() -> Self {
        Threads {
            inner: Mutex::new(Inner {
                running: BTreeMap::new(),
                last_id: 0,
            }),
        }
    }

    /// Runs `f` on a new thread; returns its id (never 0).
    pub fn start(&self, f: impl FnOnce() + Send + 'static) -> std::io::Result<u64> {
        let handle = std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .stack_size(STACK_SIZE)
            .spawn(f)?;
        let mut inner = self.inner.lock();
        inner.last_id += 1;
        let id = inner.last_id;
        inner.running.insert(id, handle);
        Ok(id)
    }

    /// Waits for thread `id` to finish and forgets it; false when `id` is
    /// unknown (never started, or already closed).
    pub fn close(&self, id: u64) -> bool {
        // The lock is released before joining: other threads may start or
        // close threads meanwhile.
        let handle = self.inner.lock().running.remove(&id);
        match handle {
            // A panic on that thread has already been reported by the hook.
            Some(h) => {
                let _ = h.join();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn close_waits_for_the_thread() {
        let threads = Threads::new();
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        let id = threads
            .start(move || {
                std::thread::sleep(std::time::Duration::from_millis(20));
                d.store(true, Ordering::SeqCst);
            })
            .unwrap();
        assert_ne!(id, 0);
        assert!(threads.close(id));
        assert!(done.load(Ordering::SeqCst));
    }

    #[test]
    fn thread_is_named_like_libzmq() {
        let threads = Threads::new();
        let name = Arc::new(Mutex::new(None));
        let n = name.clone();
        let id = threads
            .start(move || *n.lock() = std::thread::current().name().map(String::from))
            .unwrap();
        threads.close(id);
        assert_eq!(name.lock().as_deref(), Some("ZMQapp"));
    }

    #[test]
    fn unknown_or_closed_ids_are_refused() {
        let threads = Threads::new();
        assert!(!threads.close(0));
        assert!(!threads.close(42));
        let id = threads.start(|| {}).unwrap();
        assert!(threads.close(id));
        assert!(!threads.close(id));
    }
}
