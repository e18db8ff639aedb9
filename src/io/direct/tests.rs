//! `Direct` on its own: encoding, partial writes into `spill`, EAGAIN, a
//! closed connection, and the `busy` hand-over with the pump. The kernel
//! is scripted (`Script`), except in the tests named `real_fd_*`.

use super::*;
use std::collections::VecDeque;
use std::sync::mpsc;
use std::sync::Arc;

/// A kernel that answers each `send` from a script (the default answer:
/// take everything) and keeps the bytes it took.
#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Result<usize, i32>>>,
    taken: Mutex<Vec<u8>>,
    calls: Mutex<usize>,
    /// When set: `send` reports "in" and waits for "go" (hand-over tests).
    gate: Mutex<Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>>,
}

impl Kernel for Arc<Script> {
    fn send(&self, buf: &[u8]) -> Result<usize, i32> {
        *self.calls.lock() += 1;
        if let Some((inside, go)) = &*self.gate.lock() {
            inside.send(()).unwrap();
            go.recv().unwrap();
        }
        let answer = self.answers.lock().pop_front().unwrap_or(Ok(buf.len()));
        if let Ok(n) = answer {
            self.taken
                .lock()
                .extend_from_slice(&buf[..n.min(buf.len())]);
        }
        answer
    }
}

fn direct(answers: &[Result<usize, i32>]) -> (Arc<Script>, Direct<Arc<Script>>) {
    let s = Arc::new(Script::default());
    s.answers.lock().extend(answers.iter().copied());
    (s.clone(), Direct::with_kernel(s, Version::V3_1, false))
}

fn msg(body: &[u8], more: bool) -> Msg {
    let mut m = Msg::from_slice(body);
    m.set_more(more);
    m
}

/// `try_write` as the first send of a thread in a while (no burst).
fn write(d: &impl DirectSink, frames: &[Msg]) -> DirectWrite {
    forget_last_send();
    d.try_write(frames)
}

#[test]
fn a_whole_write_is_the_messages_zmtp_frames() {
    let (k, d) = direct(&[]);
    assert_eq!(
        write(&d, &[msg(b"ab", true), msg(b"cde", false)]),
        DirectWrite::Written
    );
    assert_eq!(&k.taken.lock()[..], b"\x01\x02ab\x00\x03cde");
    assert!(!d.has_spill());
    assert!(
        !d.busy.load(Ordering::Relaxed),
        "the write side is free again"
    );
}

#[test]
fn a_partial_write_leaves_its_tail_for_the_pump_which_sends_it_first() {
    let (k, d) = direct(&[Ok(3)]);
    assert_eq!(write(&d, &[msg(b"hello", false)]), DirectWrite::Spilled);
    assert_eq!(&k.taken.lock()[..], b"\x00\x05h");
    assert!(d.has_spill());
    // While a tail waits, the application may not write around it: the
    // next message is refused (queued for the pump, behind the tail).
    assert_eq!(write(&d, &[msg(b"next", false)]), DirectWrite::Refused);
    assert_eq!(*k.calls.lock(), 1, "no send while a tail waits");
    // The pump takes the write side and sends the tail before its batch.
    d.acquire();
    let mut out = BytesMut::new();
    d.take_spill(&mut out);
    assert_eq!(&out[..], b"ello");
    d.release();
    assert!(!d.has_spill());
    assert_eq!(write(&d, &[msg(b"next", false)]), DirectWrite::Written);
    assert_eq!(&k.taken.lock()[..], b"\x00\x05h\x00\x04next");
}

#[test]
fn eagain_or_eintr_spill_the_whole_message() {
    for errno in [libc::EAGAIN, libc::EINTR] {
        let (k, d) = direct(&[Err(errno)]);
        assert_eq!(write(&d, &[msg(b"xyz", false)]), DirectWrite::Spilled);
        assert!(k.taken.lock().is_empty());
        let mut out = BytesMut::new();
        d.acquire();
        d.take_spill(&mut out);
        d.release();
        assert_eq!(&out[..], b"\x00\x03xyz");
    }
}

#[test]
fn a_failed_connection_is_left_to_the_pump() {
    for errno in [libc::EPIPE, libc::ECONNRESET] {
        let (_k, d) = direct(&[Err(errno)]);
        // Refused: the message is queued, the pump's own write meets the
        // error and ends the connection.
        assert_eq!(write(&d, &[msg(b"xyz", false)]), DirectWrite::Refused);
        assert!(!d.has_spill());
        assert!(!d.busy.load(Ordering::Relaxed));
    }
}

#[test]
fn a_closed_direct_writes_nothing() {
    let (k, d) = direct(&[]);
    d.close();
    assert_eq!(write(&d, &[msg(b"xyz", false)]), DirectWrite::Refused);
    assert_eq!(*k.calls.lock(), 0);
}

#[test]
fn what_the_pump_must_send_is_refused() {
    let (k, d) = direct(&[]);
    // Too large (the pump sends it uncopied), a command that is no
    // subscription, anything while the pump holds the write side.
    assert_eq!(
        write(&d, &[msg(&vec![0; MAX_DIRECT], false)]),
        DirectWrite::Refused
    );
    let mut join = Msg::from_slice(b"\x04JOINg");
    join.set_flags(crate::msg::flags::COMMAND);
    assert_eq!(write(&d, &[join]), DirectWrite::Refused);
    d.acquire();
    assert_eq!(write(&d, &[msg(b"a", false)]), DirectWrite::Refused);
    d.release();
    assert_eq!(*k.calls.lock(), 0);
    assert_eq!(write(&d, &[msg(b"a", false)]), DirectWrite::Written);
}

#[test]
fn a_subscription_goes_out_encoded_for_the_peer_even_in_a_burst() {
    let k = Arc::new(Script::default());
    let d = Direct::with_kernel(k.clone(), Version::V3_1, true);
    let mut sub = Msg::from_slice(b"\x01top");
    sub.set_flags(crate::msg::flags::COMMAND);
    LAST_SEND.with(|l| l.set(now_ns().max(1)));
    assert_eq!(d.try_write(&[sub]), DirectWrite::Written);
    // ZMTP 3.1: a SUBSCRIBE command frame.
    assert_eq!(&k.taken.lock()[..], b"\x04\x0d\x09SUBSCRIBEtop");
}

type App = std::thread::JoinHandle<DirectWrite>;
/// The kernel, the writer, the application thread, its "go".
type InsideSend = (Arc<Script>, Arc<Direct<Arc<Script>>>, App, mpsc::Sender<()>);

/// An application thread stopped inside its direct write's `send(2)` of
/// "a"; sending on the returned channel lets it finish.
fn app_inside_send() -> InsideSend {
    let (k, d) = direct(&[]);
    let d = Arc::new(d);
    let (inside_tx, inside) = mpsc::channel();
    let (go, go_rx) = mpsc::channel();
    *k.gate.lock() = Some((inside_tx, go_rx));
    let app = {
        let d = d.clone();
        std::thread::spawn(move || write(&*d, &[msg(b"a", false)]))
    };
    inside.recv().unwrap();
    (k, d, app, go)
}

#[test]
fn the_pump_waits_for_a_direct_write_in_progress() {
    let (k, d, app, go) = app_inside_send();
    let pump = {
        let (d, k) = (d.clone(), k.clone());
        // What the pump sees once it has the write side: the direct
        // write's bytes all taken (a pump writing now would follow them).
        std::thread::spawn(move || {
            d.acquire();
            let seen = k.taken.lock().len();
            d.release();
            seen
        })
    };
    go.send(()).unwrap();
    assert_eq!(app.join().unwrap(), DirectWrite::Written);
    assert_eq!(
        pump.join().unwrap(),
        3,
        "the pump wrote during a direct write"
    );
    assert!(!d.busy.load(Ordering::Relaxed));
}

#[test]
fn close_waits_for_a_direct_write_in_progress() {
    let (k, d, app, go) = app_inside_send();
    let closer = {
        let (d, k) = (d.clone(), k.clone());
        // `close` returns only when no send is running: by then the
        // application's send has taken its bytes.
        std::thread::spawn(move || {
            d.close();
            k.taken.lock().len()
        })
    };
    go.send(()).unwrap();
    assert_eq!(app.join().unwrap(), DirectWrite::Written);
    assert_eq!(closer.join().unwrap(), 3, "close returned during a send");
    assert_eq!(write(&*d, &[msg(b"b", false)]), DirectWrite::Refused);
}

#[test]
fn real_fd_bytes_reach_the_peer_and_a_closed_peer_is_refused() {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    let (a, mut b) = std::os::unix::net::UnixStream::pair().unwrap();
    let d = Direct::new(a.as_raw_fd(), Version::V3_1, false);
    assert_eq!(write(&d, &[msg(b"hi", false)]), DirectWrite::Written);
    let mut got = [0u8; 4];
    b.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"\x00\x02hi");
    drop(b);
    // EPIPE (no SIGPIPE: MSG_NOSIGNAL): left to the pump.
    assert_eq!(write(&d, &[msg(b"hi", false)]), DirectWrite::Refused);
    d.close();
    drop(a);
}

/// CURVE: direct writes seal each frame with the sender the pump shares;
/// what the kernel took, interleaved with boxes the pump sealed, opens on
/// the peer in nonce order (a subscription as a sealed SUBSCRIBE), a
/// partial write's tail is a box's tail for the pump, and a message whose
/// box would pass MAX_DIRECT is the pump's.
#[test]
fn curve_direct_writes_are_boxes_in_wire_order_with_the_pumps() {
    use crate::zmtp::mechanism::curve::FLAG_COMMAND;
    use crate::zmtp::Decoder;
    let (c, s) = crate::zmtp::ws::tests::curve_ciphers();
    let tx = Arc::new(Mutex::new(c.tx));
    let mut rx = s.rx;
    let k = Arc::new(Script::default());
    let d = Direct::with_kernel(k.clone(), Version::V3_1, true).sealed_by(Some(tx.clone()));
    assert_eq!(
        write(&d, &[msg(b"ab", true), msg(b"cde", false)]),
        DirectWrite::Written
    );
    // The pump's turn: it seals under the write side.
    d.acquire();
    let mut wire = BytesMut::from(&k.taken.lock()[..]);
    tx.lock().seal(0, b"pump", &mut wire);
    d.release();
    let mut sub = Msg::from_slice(b"\x01top");
    sub.set_flags(crate::msg::flags::COMMAND);
    let before = k.taken.lock().len();
    assert_eq!(write(&d, &[sub]), DirectWrite::Written);
    wire.extend_from_slice(&k.taken.lock()[before..]);
    // Partial: the kernel takes 5 bytes, the tail waits in spill.
    k.answers.lock().push_back(Ok(5));
    let before = k.taken.lock().len();
    assert_eq!(write(&d, &[msg(b"last", false)]), DirectWrite::Spilled);
    wire.extend_from_slice(&k.taken.lock()[before..]);
    d.acquire();
    d.take_spill(&mut wire);
    d.release();
    // Too large once sealed (a clear frame this size would fit).
    let calls = *k.calls.lock();
    let near = MAX_DIRECT - 9 - MESSAGE_MIN / 2;
    assert_eq!(
        write(&d, &[msg(&vec![7; near], false)]),
        DirectWrite::Refused
    );
    assert_eq!(*k.calls.lock(), calls);
    let mut dec = Decoder::new(Version::V3_1, -1);
    let mut got = Vec::new();
    while let Some(f) = dec.decode(&mut wire).unwrap() {
        assert!(!f.more && !f.command, "a box is a plain frame");
        let (flags, body) = rx.open(&f.body).unwrap();
        got.push((flags, body.to_vec()));
    }
    assert!(wire.is_empty());
    assert_eq!(
        got,
        vec![
            (FLAG_MORE, b"ab".to_vec()),
            (0, b"cde".to_vec()),
            (0, b"pump".to_vec()),
            (FLAG_COMMAND, b"\x09SUBSCRIBEtop".to_vec()),
            (0, b"last".to_vec()),
        ]
    );
}

/// A kernel whose every send takes the given time (as a loopback send runs the
/// receiver's TCP stack too).
struct Slow(std::time::Duration);

impl Kernel for Slow {
    fn send(&self, buf: &[u8]) -> Result<usize, i32> {
        std::thread::sleep(self.0);
        Ok(buf.len())
    }
}

#[test]
fn the_burst_gap_counts_from_the_end_of_a_direct_write_and_a_wait_ends_the_burst() {
    let took = std::time::Duration::from_millis(2);
    let d = Direct::with_kernel(Slow(took), Version::V3_1, false);
    let before = now_ns();
    assert_eq!(write(&d, &[msg(b"a", false)]), DirectWrite::Written);
    // Counted from when the write returned, not from when it began: the
    // next send of a burst comes soon after the return, however long the
    // send itself took.
    let last = LAST_SEND.with(Cell::get);
    assert!(
        last >= before + took.as_nanos() as u64,
        "the gap counts from the write's end ({last} < {before} + {took:?})"
    );
    // A thread that waited for input answers: its next send goes out at
    // once, however soon after the last.
    waited();
    assert_eq!(LAST_SEND.with(Cell::get), 0);
    assert_eq!(d.try_write(&[msg(b"b", false)]), DirectWrite::Written);
}
