use super::*;
use crate::msg::Msg;
use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Waker};

fn m(s: &str, more: bool) -> Msg {
    let mut m = Msg::from_slice(s.as_bytes());
    m.set_more(more);
    m
}

#[test]
fn hwm_counts_whole_messages() {
    let (mut a, mut b) = pipe_pair(2, 2, false);
    a.write(m("1", true)).unwrap();
    a.write(m("2", false)).unwrap();
    a.write(m("3", false)).unwrap();
    assert_eq!(a.write(m("4", false)).unwrap_err().0, WriteError::Full);
    assert_eq!(b.read().unwrap().data(), b"1");
    assert_eq!(b.read().unwrap().data(), b"2");
    assert_eq!(b.read().unwrap().data(), b"3");
    // The batch is consumed: the reads are reported and the writer may go on.
    a.write(m("4", false)).unwrap();
}

#[test]
fn partial_messages_are_invisible() {
    let (mut a, mut b) = pipe_pair(0, 0, false);
    a.write(m("1", true)).unwrap();
    assert!(!b.check_read());
    a.write(m("2", false)).unwrap();
    assert!(b.check_read());
}

#[test]
fn close_is_seen_after_draining() {
    let (mut a, mut b) = pipe_pair(0, 0, false);
    a.write(m("x", false)).unwrap();
    a.close();
    assert!(!b.is_read_done());
    assert_eq!(b.read().unwrap().data(), b"x");
    assert!(b.is_read_done());
    assert_eq!(b.write(m("y", false)).unwrap_err().0, WriteError::Dead);
}

#[test]
fn conflate_replaces_a_message_already_polled() {
    let (mut a, mut b) = pipe_pair(1, 1, true);
    a.write(m("old", false)).unwrap();
    assert!(b.check_read());
    a.write(m("new", false)).unwrap();
    assert_eq!(b.read().unwrap().data(), b"new");
    assert!(b.read().is_none());
}

#[test]
fn conflate_keeps_only_the_last() {
    let (mut a, mut b) = pipe_pair(1, 1, true);
    for i in 0..5 {
        a.write(m(&i.to_string(), false)).unwrap();
    }
    assert_eq!(b.read().unwrap().data(), b"4");
    assert!(b.read().is_none());
}

#[test]
fn unlimited_hwm_never_blocks() {
    let (mut a, _b) = pipe_pair(0, 0, false);
    for _ in 0..10_000 {
        a.write(m("z", false)).unwrap();
    }
}

#[test]
fn metadata_markers_attach_to_later_frames_only() {
    use crate::msg::Metadata;
    let (mut eng, mut sock) = pipe_pair(0, 0, false);
    let mut first = Metadata::new();
    first.insert("Peer-Address", b"one");
    let mut second = Metadata::new();
    second.insert("Peer-Address", b"two");
    eng.write_metadata_mark(Arc::new(first));
    // A marker alone is nothing to read.
    assert!(!sock.check_read());
    assert!(sock.read().is_none());
    eng.write_many(&mut vec![m("a", true), m("b", false)]);
    eng.write_metadata_mark(Arc::new(second));
    eng.write_many(&mut vec![m("c", false)]);
    let peer = |x: &Msg| {
        x.metadata()
            .and_then(|md| md.get("Peer-Address"))
            .map(|v| v.to_vec())
    };
    let a = sock.read().unwrap();
    let b = sock.read().unwrap();
    let c = sock.read().unwrap();
    assert_eq!(peer(&a).as_deref(), Some(&b"one"[..]));
    assert_eq!(peer(&b).as_deref(), Some(&b"one"[..]));
    assert_eq!(peer(&c).as_deref(), Some(&b"two"[..]));
    assert!(sock.read().is_none());
    eng.close();
    assert!(sock.is_read_done());
}

#[test]
fn a_hiccup_holds_the_reader_until_the_writer_takes_it() {
    let (mut sock, mut eng) = pipe_pair(2, 2, false);
    sock.write(m("old1", false)).unwrap();
    sock.write(m("old2", false)).unwrap();
    eng.begin_hiccup();
    let cx = Context::from_waker(Waker::noop());
    assert!(eng.poll_readable(&cx).is_pending());
    let mut batch = VecDeque::new();
    eng.read_batch(&mut batch);
    assert!(batch.is_empty());
    // The writer drops its stale queue, which frees the HWM ...
    sock.discard_unread();
    sock.write(m("new1", false)).unwrap();
    sock.write(m("new2", false)).unwrap();
    assert!(eng.poll_readable(&cx).is_pending());
    // ... and the reader sees only what came after.
    sock.end_hiccup();
    assert!(eng.poll_readable(&cx).is_ready());
    eng.read_batch(&mut batch);
    let got: Vec<_> = batch.iter().map(|x| x.data().to_vec()).collect();
    assert_eq!(got, vec![b"new1".to_vec(), b"new2".to_vec()]);
}

#[test]
fn a_hiccup_does_not_hold_back_a_closed_writer() {
    let (mut sock, mut eng) = pipe_pair(0, 0, false);
    sock.write(m("last", false)).unwrap();
    eng.begin_hiccup();
    sock.close();
    let mut batch = VecDeque::new();
    eng.read_batch(&mut batch);
    assert_eq!(batch.len(), 1);
}

#[test]
fn peer_closed_wakes_a_parked_engine_only_on_close() {
    struct Count(AtomicU64);
    impl std::task::Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let count = Arc::new(Count(AtomicU64::new(0)));
    let waker = Waker::from(count.clone());
    let cx = Context::from_waker(&waker);
    let (mut sock, mut eng) = pipe_pair(0, 0, false);
    assert!(eng.poll_peer_closed(&cx).is_pending());
    sock.write(m("x", false)).unwrap();
    assert_eq!(
        count.0.load(Ordering::SeqCst),
        0,
        "a message does not wake it"
    );
    assert!(eng.poll_peer_closed(&cx).is_pending());
    sock.close_with_linger(100);
    assert_eq!(count.0.load(Ordering::SeqCst), 1, "the close does");
    assert!(eng.poll_peer_closed(&cx).is_ready());
    assert_eq!(eng.peer_linger(), 100);
}

#[test]
fn metadata_given_back_is_moved_to_the_next_frame() {
    use crate::msg::Metadata;
    let (mut eng, mut sock) = pipe_pair(0, 0, false);
    let one = Arc::new(Metadata::new());
    eng.write_metadata_mark(one.clone());
    eng.write_many(&mut vec![m("a", false), m("b", false), m("c", false)]);
    let mut a = sock.read().unwrap();
    assert!(Arc::ptr_eq(a.metadata().unwrap(), &one));
    // ours, the pipe's, a's
    assert_eq!(Arc::strong_count(&one), 3);
    offer_spare_metadata(a.take_metadata());
    let b = sock.read().unwrap();
    assert!(Arc::ptr_eq(b.metadata().unwrap(), &one));
    assert_eq!(Arc::strong_count(&one), 3, "moved, not cloned");
    // Another connection's spare is not attached (and is kept).
    let other = Arc::new(Metadata::new());
    offer_spare_metadata(Some(other.clone()));
    let c = sock.read().unwrap();
    assert!(Arc::ptr_eq(c.metadata().unwrap(), &one));
    assert!(reclaim_spare_metadata(Arc::as_ptr(&one)).is_none());
    assert!(reclaim_spare_metadata(Arc::as_ptr(&other)).is_some());
}

#[test]
fn metadata_lent_by_the_message_read_into_serves_the_next_frame() {
    use crate::msg::Metadata;
    let (mut eng, mut sock) = pipe_pair(0, 0, false);
    let one = Arc::new(Metadata::new());
    eng.write_metadata_mark(one.clone());
    eng.write_many(&mut vec![m("a", false), m("b", false), m("c", false)]);
    let mut out = Msg::new();
    assert!(sock.read_into(&mut out));
    assert_eq!(out.data(), b"a");
    // ours, the pipe's, out's
    assert_eq!(Arc::strong_count(&one), 3);
    // Read again into the same message: what it held serves the new
    // frame (moved over; a reference per holder either way).
    assert!(sock.read_into(&mut out));
    assert_eq!(out.data(), b"b");
    assert!(Arc::ptr_eq(out.metadata().unwrap(), &one));
    assert_eq!(Arc::strong_count(&one), 3);
    // Another connection's metadata lent is dropped, this one attached.
    let other = Arc::new(Metadata::new());
    let mut into = Msg::new();
    into.set_metadata(Some(other.clone()));
    assert!(sock.read_into(&mut into));
    assert_eq!(into.data(), b"c");
    assert!(Arc::ptr_eq(into.metadata().unwrap(), &one));
    assert_eq!(Arc::strong_count(&other), 1, "the other one released");
    // Nothing to read: the message, and what it lends, stay as they were.
    let mut idle = Msg::new();
    idle.set_metadata(Some(other.clone()));
    assert!(!sock.read_into(&mut idle));
    assert!(Arc::ptr_eq(idle.metadata().unwrap(), &other));
}

#[test]
fn hwm_view_refreshes_when_the_writer_would_wait() {
    let (mut a, mut b) = pipe_pair(2, 2, false);
    a.set_view_max_age(u64::MAX); // a burst, however slow the machine
    a.write(m("1", false)).unwrap();
    a.write(m("2", false)).unwrap();
    assert!(b.read().is_some());
    assert!(b.read().is_some());
    assert!(b.read().is_none()); // reports both reads
                                 // A burst does not see the reads yet (libzmq's throttled view) ...
    assert!(matches!(a.write(m("3", false)), Err((WriteError::Full, _))));
    // ... a writer about to wait (or polling) does.
    a.refresh_write_view();
    assert!(a.write(m("3", false)).is_ok());
}

#[test]
fn a_full_view_older_than_a_millisecond_catches_up_by_itself() {
    let (mut a, mut b) = pipe_pair(2, 2, false);
    a.set_view_max_age(u64::MAX); // a burst, however slow the machine
    a.write(m("1", false)).unwrap();
    a.write(m("2", false)).unwrap();
    a.refresh_write_view();
    assert!(b.read().is_some());
    assert!(b.read().is_some());
    assert!(b.read().is_none()); // reports both reads
                                 // Within the millisecond the view is stale and the pipe looks full
                                 // (a burst meets the high-water mark, as in libzmq) ...
    assert!(matches!(a.write(m("3", false)), Err((WriteError::Full, _))));
    // ... a slow writer, later, sees the reads (libzmq's writer processes
    // its commands on a send once that long has passed).
    a.set_view_max_age(super::queue::VIEW_MAX_AGE);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(a.write(m("3", false)).is_ok());
    assert!(a.write(m("4", false)).is_ok());
    // Truly full: the catch-up changes nothing.
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(matches!(a.write(m("5", false)), Err((WriteError::Full, _))));
}

#[test]
fn a_closing_writer_leaves_the_readers_disconnect_message_in_place_of_a_partial_one() {
    let (mut a, mut b) = pipe_pair(0, 0, false);
    b.set_disconnect_msg(Bytes::from_static(b"D"));
    a.write(m("whole", false)).unwrap();
    a.write(m("cut", true)).unwrap();
    a.close();
    assert_eq!(b.read().unwrap().data(), b"whole");
    let d = b.read().unwrap();
    assert_eq!((d.data(), d.more()), (&b"D"[..], false));
    assert!(b.read().is_none());
    assert!(b.is_read_done());
    // Once only, and a reader's own close sends nothing back.
    let (mut c, mut e) = pipe_pair(0, 0, false);
    e.set_disconnect_msg(Bytes::from_static(b"D"));
    e.close();
    c.close();
    assert!(c.read().is_none());
}

#[test]
fn a_writer_refused_by_its_lagging_view_is_woken_when_the_reader_already_made_room() {
    use crate::io::signaler::Signaler;
    let (mut a, mut b) = pipe_pair(2, 2, false);
    let s = Arc::new(Signaler::new_shared().unwrap());
    a.set_signaler(&s);
    a.set_view_max_age(u64::MAX); // a burst, however slow the machine
                                  // Truly full: refused, and nothing wakes the writer until a read.
    a.write(m("1", false)).unwrap();
    a.write(m("2", false)).unwrap();
    let token = s.token();
    assert!(matches!(a.write(m("3", false)), Err((WriteError::Full, _))));
    assert!(!s.wait_shared(token, 0), "no room yet: no wakeup");
    assert!(b.read().is_some());
    assert!(b.read().is_some());
    assert!(b.read().is_none()); // reports both reads: the blocked writer hears
    assert!(s.wait_shared(token, 0));
    a.write(m("3", false)).unwrap();
    a.write(m("4", false)).unwrap();
    // The reader drains while the writer is not blocked (no report wakes
    // anyone); then the writer's lagging view refuses it. It must be woken
    // (it would otherwise sleep on an empty queue): it refreshes and goes on.
    assert!(b.read().is_some());
    assert!(b.read().is_some());
    assert!(b.read().is_none());
    let token = s.token();
    assert!(matches!(a.write(m("5", false)), Err((WriteError::Full, _))));
    assert!(s.wait_shared(token, 0), "the refused writer is woken");
    a.refresh_write_view();
    a.write(m("5", false)).unwrap();
}

#[test]
fn a_bounded_batch_takes_whole_messages_up_to_its_budget_and_reports_them() {
    let (mut a, mut b) = pipe_pair(4, 4, false);
    let big = |more: bool| {
        let mut x = Msg::from_slice(&[7u8; 100]);
        x.set_more(more);
        x
    };
    // Two-frame message, then two one-frame ones: 300 bytes in three
    // messages, and the pipe is at its high-water mark after a fourth.
    a.write(big(true)).unwrap();
    a.write(big(false)).unwrap();
    a.write(big(false)).unwrap();
    a.write(big(false)).unwrap();
    a.write(m("s", false)).unwrap();
    assert!(matches!(a.write(m("x", false)), Err((WriteError::Full, _))));
    let mut batch = VecDeque::new();
    // A budget reached inside a message still takes the whole message.
    b.read_batch_upto(&mut batch, 50);
    assert_eq!(batch.len(), 2, "both frames of the first message");
    assert!(batch[0].more() && !batch[1].more());
    // The writer hears of reads as libzmq's does: a low-water mark's
    // worth at a time (half the high-water mark: 2), not the one read.
    assert!(matches!(a.write(m("x", false)), Err((WriteError::Full, _))));
    batch.clear();
    b.read_batch_upto(&mut batch, 150);
    assert_eq!(batch.len(), 2, "stops once 150 bytes are taken");
    // Three read, two of them told: room for two.
    a.write(m("x", false)).unwrap();
    batch.clear();
    b.read_batch_upto(&mut batch, 1);
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].data(), b"s");
    batch.clear();
    // Unbounded: everything left.
    b.read_batch(&mut batch);
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].data(), b"x");
    // Everything was read (5 messages): once the writer catches up (it
    // does before it waits) it knows of 4, so the pipe has room for 3,
    // and an empty pipe never holds a writer back.
    a.refresh_write_view();
    for _ in 0..3 {
        a.write(m("y", false)).unwrap();
    }
    assert!(matches!(a.write(m("z", false)), Err((WriteError::Full, _))));
}

#[test]
fn pipe_stats_count_reads_as_a_libzmq_writer_hears_of_them() {
    // hwm 4: a libzmq reader tells its writer every 2 reads.
    let (mut a, mut b) = pipe_pair(4, 0, false);
    for _ in 0..3 {
        a.write(m("x", false)).unwrap();
    }
    assert_eq!((a.stats().0, b.stats().1), (3, 3));
    b.read().unwrap();
    assert_eq!(b.stats().1, 3, "one read: not told yet");
    b.read().unwrap();
    assert_eq!(b.stats().1, 1, "two: told");
    b.read().unwrap();
    assert!(b.read().is_none());
    // The writer's side hears of the reads when the reader reports them
    // (at the end of its batch): 3 read, 2 of them told.
    assert_eq!((a.stats().0, b.stats().1), (1, 1));
    // Unlimited: the reader never tells, everything written counts.
    b.write(m("y", false)).unwrap();
    b.write(m("y", false)).unwrap();
    a.read().unwrap();
    a.read().unwrap();
    assert!(a.read().is_none());
    assert_eq!((b.stats().0, a.stats().1), (2, 2));
}

/// A socket's end (paced) and the end that writes to it.
fn paced_pair(hwm: u64) -> (PipeEnd, PipeEnd) {
    let (a, mut b) = pipe_pair(hwm, hwm, false);
    let s = Arc::new(crate::io::signaler::Signaler::new().unwrap());
    b.set_signaler(&s);
    (a, b)
}

#[test]
fn a_reader_that_took_one_small_message_paces_its_next_refill() {
    let (mut a, mut b) = paced_pair(1000);
    a.write(m("1", false)).unwrap();
    assert_eq!(b.read().unwrap().data(), b"1");
    assert!(
        b.pace_deadline().is_some(),
        "lock-step: the next refill waits"
    );
    // Taken once: the pause is for the next refill only.
    assert!(b.pace_deadline().is_none());
    // A batch that is not small is not paced.
    for i in 0..3 {
        a.write(m(&i.to_string(), false)).unwrap();
    }
    assert_eq!(b.read().unwrap().data(), b"0");
    assert!(b.pace_deadline().is_none());
    assert_eq!(b.read().unwrap().data(), b"1");
    assert_eq!(b.read().unwrap().data(), b"2");
}

#[test]
fn a_reader_that_sent_since_its_last_refill_is_not_paced() {
    // Request and reply: the thread waits for the answer to what it sent.
    let (mut a, mut b) = paced_pair(1000);
    a.write(m("request", false)).unwrap();
    assert!(b.read().is_some());
    b.write(m("reply", false)).unwrap();
    assert!(b.pace_deadline().is_none());
}

#[test]
fn large_bodies_small_high_water_marks_and_plain_ends_are_not_paced() {
    let (mut a, mut b) = paced_pair(1000);
    a.write(Msg::from_slice(&[7; 8192])).unwrap();
    assert!(b.read().is_some());
    assert!(b.pace_deadline().is_none(), "large body");
    // A writer that fills its queue within a pause would wait on the reader.
    let (mut a, mut b) = paced_pair(8);
    a.write(m("x", false)).unwrap();
    assert!(b.read().is_some());
    assert!(b.pace_deadline().is_none(), "small high-water mark");
    // Ends read by an engine or a ZAP client have no socket signaler.
    let (mut a, mut b) = pipe_pair(1000, 1000, false);
    a.write(m("x", false)).unwrap();
    assert!(b.read().is_some());
    assert!(b.pace_deadline().is_none(), "not a socket's end");
}

#[test]
fn a_paced_reader_gets_every_message_of_a_stream_in_order() {
    let (mut a, mut b) = paced_pair(1000);
    const N: u64 = 200_000;
    let writer = std::thread::spawn(move || {
        let mut i = 0u64;
        while i < N {
            match a.write(Msg::from_slice(&i.to_le_bytes())) {
                Ok(()) => i += 1,
                Err((WriteError::Full, _)) => {
                    // As a socket does before it waits.
                    a.refresh_write_view();
                    std::thread::yield_now();
                }
                Err((WriteError::Dead, _)) => panic!("reader gone"),
            }
        }
        a
    });
    let mut next = 0u64;
    while next < N {
        match b.read() {
            Some(msg) => {
                assert_eq!(msg.data(), next.to_le_bytes());
                next += 1;
            }
            None => std::thread::yield_now(),
        }
    }
    drop(writer.join().unwrap());
    assert!(b.read().is_none());
}

#[test]
fn a_reader_that_found_nothing_sees_what_comes_after_without_locking_in_between() {
    let (mut a, mut b) = pipe_pair(0, 0, false);
    // Empty, and empty again (the second look reads only the lock word).
    assert!(b.read().is_none());
    assert!(b.empty_stamp.is_some(), "the empty look left a stamp");
    assert!(b.read().is_none());
    assert!(!b.is_read_done());
    // A message written since: the stamp no longer holds, the reader
    // locks and takes it.
    a.write(m("1", false)).unwrap();
    assert_eq!(b.read().unwrap().data(), b"1");
    assert!(b.read().is_none());
    // A writer that closes since the last empty look: seen, too.
    a.close();
    assert!(b.is_read_done());
    assert!(b.read().is_none());
}

#[test]
fn a_stamp_is_not_taken_for_a_closed_writer() {
    let (mut a, mut b) = pipe_pair(0, 0, false);
    a.close();
    assert!(b.read().is_none());
    assert!(b.empty_stamp.is_none());
    assert!(b.is_read_done());
    assert!(b.is_read_done(), "asked again: still done");
}

#[test]
fn a_socket_writer_hears_of_reads_at_low_water_marks_an_engine_of_each() {
    // hwm 4, low-water mark 2. A socket's writer that waited for room
    // counts the reads a libzmq reader would have told it of.
    let (mut sock, mut eng) = pipe_pair(4, 4, false);
    for _ in 0..4 {
        sock.write(m("a", false)).unwrap();
    }
    assert!(matches!(
        sock.write(m("b", false)),
        Err((WriteError::Full, _))
    ));
    let mut batch = VecDeque::new();
    eng.read_batch_upto(&mut batch, 1);
    assert_eq!(batch.len(), 1);
    sock.refresh_write_view();
    assert!(!sock.check_write(), "one read is not told yet");
    eng.read_batch_upto(&mut batch, 1);
    sock.refresh_write_view();
    assert!(sock.check_write(), "two reads are");
    // An engine writing toward a socket sees every read: after 3 reads
    // (2 of them told) it has room for 4 more, not 3.
    let cx = Context::from_waker(Waker::noop());
    for _ in 0..3 {
        assert!(eng.poll_writable(&cx).is_ready());
        eng.write(m("c", false)).unwrap();
    }
    for _ in 0..3 {
        assert!(sock.read().is_some());
    }
    assert!(sock.read().is_none()); // reports the batch's reads
    for _ in 0..4 {
        assert!(eng.poll_writable(&cx).is_ready());
        eng.write(m("d", false)).unwrap();
    }
    assert!(eng.poll_writable(&cx).is_pending());
}
