//! ZMTP heartbeats (RFC 37): PINGs on `ZMQ_HEARTBEAT_IVL`, the connection
//! ended after `ZMQ_HEARTBEAT_TIMEOUT` (or the peer's TTL) of silence.

use super::*;

pub(super) async fn heartbeat_loop(hb: Option<&RefCell<Heartbeat>>, ctl: &Control) -> End {
    let Some(hb) = hb else {
        return std::future::pending().await;
    };
    loop {
        let next = hb.borrow().next_deadline();
        // Sleep until the next deadline, or until the read pump changes
        // the deadlines (a PING with a TTL arrived).
        ctl.hb_dirty.set(false);
        let changed = poll_fn(|cx| {
            if ctl.hb_dirty.get() {
                return Poll::Ready(());
            }
            *ctl.hb_waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        });
        match next {
            Some(at) => {
                let now = now_ms();
                if at > now {
                    let sleep = compio::time::sleep(Duration::from_millis(at - now));
                    let _ = select(sleep, changed).await;
                }
            }
            None => changed.await,
        }
        let action = hb.borrow_mut().poll(now_ms());
        match action {
            Some(HeartbeatAction::SendPing { ttl_deciseconds }) => {
                ctl.push(zmtp::command::ping_body(ttl_deciseconds, &[]));
            }
            Some(HeartbeatAction::TimedOut) => {
                tracing::warn!(target: "monocoque::disconnect", "heartbeat timed out: nothing from the peer within ZMQ_HEARTBEAT_TIMEOUT (or its PING TTL)");
                return End::Disconnected;
            }
            None => {}
        }
    }
}
