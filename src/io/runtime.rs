//! The I/O threads: `ZMQ_IO_THREADS` compio runtimes per context.
//!
//! compio's io_uring driver is used where the kernel allows it and its
//! polling (epoll) driver otherwise. `MONOCOQUE_IO_DRIVER=poll` forces the
//! polling driver (`=uring` forces io_uring, failing if unavailable).
//! Work reaches an I/O thread as a closure (`IoPool::spawn`) that runs on the
//! thread and usually spawns a connection's tasks there.

use compio::driver::{DriverType, ProactorBuilder};
use parking_lot::Mutex;
use std::any::Any;
use std::future::{poll_fn, Future};
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce() + Send>;

/// The context options that shape the I/O threads (`ZMQ_IO_THREADS`,
/// `ZMQ_THREAD_*`), as the context hands them over.
#[derive(Debug, Clone, Default)]
pub struct ThreadOptions {
    pub io_threads: i32,
    pub thread_sched_policy: i32,
    pub thread_priority: i32,
    pub affinity: Vec<i32>,
    pub thread_name_prefix: String,
}

struct Shared {
    jobs: Mutex<Vec<Job>>,
    waker: Mutex<Option<Waker>>,
    stop: AtomicBool,
}

impl Shared {
    fn wake(&self) {
        if let Some(w) = self.waker.lock().take() {
            w.wake();
        }
    }
}

struct IoThread {
    shared: Arc<Shared>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

pub struct IoPool {
    threads: Vec<IoThread>,
    next: AtomicUsize,
}

/// The driver the environment asks for.
pub(crate) fn proactor() -> ProactorBuilder {
    let mut b = ProactorBuilder::new();
    match std::env::var("MONOCOQUE_IO_DRIVER").as_deref() {
        Ok("poll") | Ok("epoll") => {
            b.driver_type(DriverType::Poll);
        }
        Ok("uring") | Ok("io_uring") => {
            b.driver_type(DriverType::IoUring);
        }
        _ => {}
    }
    b
}

/// Which driver a runtime here would use (for tests and the benchmark).
pub fn driver_name() -> &'static str {
    match compio::runtime::RuntimeBuilder::new()
        .with_proactor(proactor())
        .build()
    {
        Ok(rt) if rt.driver_type().is_iouring() => "io_uring",
        Ok(_) => "poll",
        Err(_) => "none",
    }
}

fn thread_main(
    shared: Arc<Shared>,
    sched: (i32, i32, Vec<i32>),
    started: std::sync::mpsc::Sender<io::Result<()>>,
) {
    crate::io::sys::apply_thread_options(sched.0, sched.1, &sched.2);
    let rt = match compio::runtime::RuntimeBuilder::new()
        .with_proactor(proactor())
        .sync_queue_size(8192)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            // Out of descriptors (EMFILE) most often: the caller's bind or
            // connect fails with the error, and the next one tries again.
            let _ = started.send(Err(e));
            return;
        }
    };
    let _ = started.send(Ok(()));
    rt.block_on(async move {
        loop {
            let jobs = poll_fn(|cx| {
                let jobs = std::mem::take(&mut *shared.jobs.lock());
                if !jobs.is_empty() || shared.stop.load(Ordering::Acquire) {
                    return Poll::Ready(jobs);
                }
                *shared.waker.lock() = Some(cx.waker().clone());
                // A job queued between the take and the waker store must
                // not be missed.
                if !shared.jobs.lock().is_empty() || shared.stop.load(Ordering::Acquire) {
                    return Poll::Ready(Vec::new());
                }
                Poll::Pending
            })
            .await;
            for job in jobs {
                // A job that panics is lost; the thread and every other
                // task on it go on (SAFETY.md, "Panics").
                if let Err(p) = std::panic::catch_unwind(AssertUnwindSafe(job)) {
                    tracing::error!("an I/O thread job panicked: {}", panic_message(&*p));
                }
            }
            if shared.stop.load(Ordering::Acquire) {
                break;
            }
        }
    });
}

/// The text of a panic's payload.
pub(crate) fn panic_message(p: &(dyn Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(|s| s.as_str()))
        .unwrap_or("(no message)")
}

/// Runs `fut`, catching a panic out of any of its polls: `Err` carries the
/// panic's message. This is the panic boundary of every task an I/O thread
/// runs (SAFETY.md, "Panics"): the unwind has already dropped what the
/// future held when `Err` comes back (a connection's stream, its pipe end),
/// and the future is never polled again.
pub(crate) async fn catch_panic<F: Future>(fut: F) -> Result<F::Output, String> {
    let mut fut = std::pin::pin!(fut);
    poll_fn(
        |cx| match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(p) => Poll::Ready(Err(panic_message(&*p).to_string())),
        },
    )
    .await
}

impl IoPool {
    /// How many I/O threads run.
    pub fn len(&self) -> usize {
        self.threads.len()
    }

    /// Starts `ZMQ_IO_THREADS` threads, each with its runtime running: an
    /// error (no descriptor left for io_uring or epoll, no thread) comes
    /// back here, never as a thread that died after starting.
    pub fn start(opts: &ThreadOptions) -> io::Result<IoPool> {
        let n = opts.io_threads.max(1) as usize;
        let mut pool = IoPool {
            threads: Vec::with_capacity(n),
            next: AtomicUsize::new(0),
        };
        for i in 0..n {
            let shared = Arc::new(Shared {
                jobs: Mutex::new(Vec::new()),
                waker: Mutex::new(None),
                stop: AtomicBool::new(false),
            });
            let s2 = shared.clone();
            let sched = (
                opts.thread_sched_policy,
                opts.thread_priority,
                opts.affinity.clone(),
            );
            let name = if opts.thread_name_prefix.is_empty() {
                format!("ZMQbg/IO/{i}")
            } else {
                format!("{}/ZMQbg/IO/{i}", opts.thread_name_prefix)
            };
            let (tx, rx) = std::sync::mpsc::channel();
            // On an error, dropping `pool` stops the threads started so far.
            let handle = std::thread::Builder::new()
                .name(name)
                .spawn(move || thread_main(s2, sched, tx))?;
            let started = rx
                .recv()
                .unwrap_or_else(|_| Err(io::Error::other("I/O thread ended at start")));
            if let Err(e) = started {
                let _ = handle.join();
                return Err(e);
            }
            pool.threads.push(IoThread {
                shared,
                handle: Mutex::new(Some(handle)),
            });
        }
        Ok(pool)
    }

    /// Runs `job` on one of the I/O threads (round robin).
    pub fn spawn(&self, job: impl FnOnce() + Send + 'static) {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.threads.len();
        let t = &self.threads[i];
        t.shared.jobs.lock().push(Box::new(job));
        t.shared.wake();
    }

    /// Stops every thread and waits for it; tasks still running are dropped.
    pub fn stop(&self) {
        for t in &self.threads {
            t.shared.stop.store(true, Ordering::Release);
            t.shared.wake();
        }
        for t in &self.threads {
            if let Some(h) = t.handle.lock().take() {
                if h.thread().id() != std::thread::current().id() {
                    let _ = h.join();
                }
            }
        }
    }
}

impl Drop for IoPool {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Test builds only: a message whose body starts with this makes the write
/// pump that sends it panic (the panic boundary's tests).
#[cfg(test)]
pub(crate) const PANIC_PROBE: &[u8] = b"\0monocoque test probe: panic in this connection\0";

#[cfg(test)]
pub(crate) fn test_probe(body: &[u8]) {
    if body.starts_with(PANIC_PROBE) {
        panic!("test probe: a connection task panics");
    }
}
