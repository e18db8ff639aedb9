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

/// A reader over fixed bytes that records how much each read asked for.
struct Recorder {
    data: Vec<u8>,
    pos: usize,
    asks: Vec<usize>,
}

impl AsyncRead for Recorder {
    async fn read<B: compio::buf::IoBufMut>(&mut self, mut buf: B) -> BufResult<usize, B> {
        self.asks.push(buf.as_uninit().len());
        let mut src = &self.data[self.pos..];
        let BufResult(res, buf) = src.read(buf).await;
        if let Ok(n) = res {
            self.pos += n;
        }
        BufResult(res, buf)
    }
}

fn frame(body: &[u8], more: bool, out: &mut BytesMut) {
    zmtp::encode_header(zmtp::Version::V3_1, more, false, body.len(), out);
    out.extend_from_slice(body);
}

#[test]
fn the_read_after_a_large_body_takes_only_a_header_and_every_frame_arrives() {
    let big1: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let big2: Vec<u8> = (0..150_000u32).map(|i| (i * 7) as u8).collect();
    let mut wire = BytesMut::new();
    frame(&big1, true, &mut wire);
    frame(&big2, false, &mut wire);
    frame(b"small", false, &mut wire);
    frame(&big1, false, &mut wire);
    let mut r = Recorder {
        data: wire.to_vec(),
        pos: 0,
        asks: Vec::new(),
    };
    let (ours, mut theirs) = pipe_pair(1000, 1000, false);
    let pipe = Rc::new(RefCell::new(ours));
    let ctl = Control::default();
    let read_errno = std::cell::Cell::new(0);
    let conn = Conn {
        pipe: &pipe,
        ctl: &ctl,
        version: zmtp::Version::V3_1,
        hb: None,
        read_errno: &read_errno,
        groups: false,
    };
    let mut decoder = Decoder::new(zmtp::Version::V3_1, -1);
    let end = block_on(read_pump(
        &mut r,
        BytesMut::new(),
        &mut decoder,
        &mut Plain,
        &conn,
    ));
    // The bytes ran out: an orderly close.
    assert_eq!(end, End::Disconnected);
    assert_eq!(read_errno.get(), libc::EPIPE);
    let mut got = Vec::new();
    while let Some(m) = theirs.read() {
        if !m.is_meta_mark() {
            got.push((m.data().to_vec(), m.more()));
        }
    }
    assert_eq!(
        got,
        vec![
            (big1.clone(), true),
            (big2, false),
            (b"small".to_vec(), false),
            (big1, false),
        ]
    );
    // After each large body, one short read for the next header (so a
    // large body behind it is read into its own buffer, not copied).
    assert_eq!(
        r.asks.iter().filter(|&&a| a == read::HEADER_PEEK).count(),
        3,
        "reads: {:?}",
        r.asks
    );
}
