//! The write pump with a direct writer: what a partial direct write left
//! goes out first, before the messages queued behind it.

use super::*;
use crate::io::direct::forget_last_send;
use parking_lot::Mutex;

/// A kernel that takes `first` bytes of the first direct send, then
/// refuses nothing (the pump writes through its own stream).
struct Partial {
    first: usize,
    taken: Mutex<Vec<u8>>,
}

impl Kernel for Arc<Partial> {
    fn send(&self, buf: &[u8]) -> Result<usize, i32> {
        let mut t = self.taken.lock();
        let n = if t.is_empty() { self.first } else { buf.len() };
        t.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    compio::runtime::RuntimeBuilder::new()
        .with_proactor(crate::io::runtime::proactor())
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn the_write_pump_sends_a_direct_writes_tail_before_the_queue() {
    let (mut app, sess) = pipe_pair(100, 100, false);
    let k = Arc::new(Partial {
        first: 3,
        taken: Mutex::new(Vec::new()),
    });
    let d = Arc::new(Direct::with_kernel(k.clone(), zmtp::Version::V3_1, false));
    sess.set_direct_sink(Some(d.clone() as Arc<dyn DirectSink>));
    forget_last_send();
    app.write(Msg::from_slice(b"first")).unwrap();
    assert_eq!(
        &k.taken.lock()[..],
        b"\x00\x05f",
        "went out directly, in part"
    );
    assert!(d.has_spill());
    forget_last_send();
    // Refused by the direct writer (a tail waits): queued for the pump.
    app.write(Msg::from_slice(b"second")).unwrap();
    assert_eq!(k.taken.lock().len(), 3);
    app.close();

    let pipe = Rc::new(RefCell::new(sess));
    let ctl = Control::default();
    let encoder = Encoder::new(zmtp::Version::V3_1);
    let mut wire: Vec<u8> = Vec::new();
    let end = block_on(write_pump(
        &mut wire,
        &pipe,
        &ctl,
        &encoder,
        Some(&*d),
        false,
        None,
    ));
    assert_eq!(end, End::SocketClosed);
    assert_eq!(&wire[..], b"irst\x00\x06second");
    assert!(!d.has_spill());
    // The pump released the write side: the application may write again.
    forget_last_send();
    assert_eq!(
        d.try_write(&[Msg::from_slice(b"x")]),
        crate::pipe::DirectWrite::Written
    );
}
