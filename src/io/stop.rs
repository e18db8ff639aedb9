//! A stop signal shared by an endpoint's tasks (a listener and the
//! connections it accepted, or a connecter): `zmq_unbind`, `zmq_disconnect`
//! and `zmq_close` raise it from application threads.

use parking_lot::Mutex;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

/// A stop signal. Every task waiting on it holds one registration, which
/// its `Wait` future removes when dropped: a listener's signal is waited on
/// by each connection it accepted, and connections that ended must leave
/// nothing behind (a kept waker keeps its whole task allocated).
#[derive(Default)]
pub struct Stop {
    flag: AtomicBool,
    waiters: Mutex<Waiters>,
}

/// Registered wakers, by key; freed keys are reused.
#[derive(Default)]
struct Waiters {
    slots: Vec<Slot>,
    free: Vec<usize>,
}

enum Slot {
    Vacant,
    /// Registered; the waker is taken when `stop` wakes it.
    Waiting(Option<Waker>),
}

impl Stop {
    pub fn stop(&self) {
        self.flag.store(true, Ordering::Release);
        let wakers: Vec<Waker> = {
            let mut w = self.waiters.lock();
            w.slots
                .iter_mut()
                .filter_map(|s| match s {
                    Slot::Waiting(w) => w.take(),
                    Slot::Vacant => None,
                })
                .collect()
        };
        for w in wakers {
            w.wake();
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    /// Resolves once `stop` has been called.
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            stop: self,
            key: None,
        }
    }

    /// Registrations held now (for tests).
    #[cfg(test)]
    pub(crate) fn registered(&self) -> usize {
        let w = self.waiters.lock();
        w.slots.len() - w.free.len()
    }
}

/// The future of `Stop::wait`.
pub struct Wait<'a> {
    stop: &'a Stop,
    key: Option<usize>,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.stop.is_stopped() {
            return Poll::Ready(());
        }
        {
            let mut w = self.stop.waiters.lock();
            match self.key {
                Some(k) => {
                    if let Slot::Waiting(slot) = &mut w.slots[k] {
                        if !slot.as_ref().is_some_and(|x| x.will_wake(cx.waker())) {
                            *slot = Some(cx.waker().clone());
                        }
                    }
                }
                None => {
                    let slot = Slot::Waiting(Some(cx.waker().clone()));
                    let k = match w.free.pop() {
                        Some(k) => {
                            w.slots[k] = slot;
                            k
                        }
                        None => {
                            w.slots.push(slot);
                            w.slots.len() - 1
                        }
                    };
                    drop(w);
                    self.key = Some(k);
                }
            }
        }
        // A stop between the first check and the registration woke nobody.
        if self.stop.is_stopped() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if let Some(k) = self.key {
            let mut w = self.stop.waiters.lock();
            w.slots[k] = Slot::Vacant;
            w.free.push(k);
        }
    }
}

/// The first of two futures to finish.
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

pub async fn select<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> Either<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    poll_fn(|cx| {
        if let Poll::Ready(x) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(x));
        }
        if let Poll::Ready(y) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(y));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    struct Flag(AtomicBool);

    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    fn poll_once(f: Pin<&mut Wait<'_>>, flag: &Arc<Flag>) -> Poll<()> {
        let waker = Waker::from(flag.clone());
        f.poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn an_ended_waiter_leaves_no_registration() {
        let stop = Stop::default();
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        for _ in 0..1000 {
            let mut w = std::pin::pin!(stop.wait());
            assert!(poll_once(w.as_mut(), &flag).is_pending());
            assert!(poll_once(w.as_mut(), &flag).is_pending());
        }
        assert_eq!(stop.registered(), 0);
        assert_eq!(Arc::strong_count(&flag), 1, "no waker kept");
    }

    #[test]
    fn stop_wakes_every_live_waiter_once() {
        let stop = Stop::default();
        let flags: Vec<_> = (0..3)
            .map(|_| Arc::new(Flag(AtomicBool::new(false))))
            .collect();
        let mut waits: Vec<_> = (0..3).map(|_| Box::pin(stop.wait())).collect();
        for (w, f) in waits.iter_mut().zip(&flags) {
            assert!(poll_once(w.as_mut(), f).is_pending());
        }
        // One waiter leaves before the stop: it is not woken.
        waits.remove(1);
        assert_eq!(stop.registered(), 2);
        stop.stop();
        assert!(flags[0].0.load(Ordering::SeqCst));
        assert!(!flags[1].0.load(Ordering::SeqCst));
        assert!(flags[2].0.load(Ordering::SeqCst));
        for w in waits.iter_mut() {
            assert!(poll_once(w.as_mut(), &flags[0]).is_ready());
        }
        drop(waits);
        assert_eq!(stop.registered(), 0);
        // Waiting on a stopped signal registers nothing.
        let mut w = std::pin::pin!(stop.wait());
        assert!(poll_once(w.as_mut(), &flags[0]).is_ready());
        assert_eq!(stop.registered(), 0);
    }
}
