//! The received-message metadata a thread keeps for its next read from the
//! same connection (no reference-count work per message).

use std::sync::Arc;

thread_local! {
    /// The metadata of the last message this thread's application gave
    /// back (`zmq_msg_recv` replacing it, `zmq_recv` after the copy).
    static SPARE_META: std::cell::Cell<Option<Arc<crate::msg::Metadata>>> =
        const { std::cell::Cell::new(None) };
}

/// Keeps `meta` (from a received message the application is done with)
/// for the next message read on this thread from the same connection.
/// Attaching metadata to every frame was an `Arc` clone and, when the
/// application dropped the frame, a release: two atomic read-modify-writes
/// per received message. Passed from one message to the next it is moved.
#[inline]
pub fn offer_spare_metadata(meta: Option<Arc<crate::msg::Metadata>>) {
    if meta.is_some() {
        keep_spare_metadata(meta);
    }
}

fn keep_spare_metadata(meta: Option<Arc<crate::msg::Metadata>>) {
    // The one it replaces (another connection's) drops after the swap.
    let _old = SPARE_META.try_with(|s| s.replace(meta));
}

/// Takes the spare back if it is the one at `at` (a receive that got
/// nothing returns it to the message that lent it).
pub fn reclaim_spare_metadata(
    at: *const crate::msg::Metadata,
) -> Option<Arc<crate::msg::Metadata>> {
    let spare = SPARE_META.try_with(|s| s.take()).ok().flatten()?;
    if std::ptr::eq(Arc::as_ptr(&spare), at) {
        return Some(spare);
    }
    let _ = SPARE_META.try_with(|s| s.set(Some(spare)));
    None
}

/// `current` for a frame being read: the spare when it is the same
/// metadata, a new reference otherwise.
pub(super) fn reuse_metadata(current: &Arc<crate::msg::Metadata>) -> Arc<crate::msg::Metadata> {
    let spare = SPARE_META.try_with(|s| s.take()).ok().flatten();
    match spare {
        Some(m) if Arc::ptr_eq(&m, current) => m,
        other => {
            // Put a different one back (no refcount work either way).
            if other.is_some() {
                let _ = SPARE_META.try_with(|s| s.set(other));
            }
            current.clone()
        }
    }
}
