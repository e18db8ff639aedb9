//! A stop signal shared by an endpoint's tasks (a listener and the
//! connections it accepted, or a connecter): `zmq_unbind`, `zmq_disconnect`
//! and `zmq_close` raise it from application threads.

use parking_lot::Mutex;
use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Poll, Waker};

#[derive(Default)]
pub struct Stop {
    flag: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

impl Stop {
    pub fn stop(&self) {
        self.flag.store(true, Ordering::Release);
        for w in std::mem::take(&mut *self.wakers.lock()) {
            w.wake();
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    /// Resolves once `stop` has been called.
    pub async fn wait(&self) {
        poll_fn(|cx| {
            if self.is_stopped() {
                return Poll::Ready(());
            }
            let mut w = self.wakers.lock();
            if !w.iter().any(|x| x.will_wake(cx.waker())) {
                w.push(cx.waker().clone());
            }
            drop(w);
            if self.is_stopped() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
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
