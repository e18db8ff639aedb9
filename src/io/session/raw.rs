//! STREAM sockets: raw TCP, no ZMTP; each read is one message.

use super::*;

/// STREAM sockets: raw bytes, no ZMTP. Each read is one message; each
/// message's body is written as is.
pub(super) async fn serve_raw<R: AsyncRead, W: AsyncWrite>(
    mut r: R,
    mut w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
) -> End {
    let meta = {
        let mut md = Metadata::new();
        if !peer_address.is_empty() {
            md.insert("Peer-Address", peer_address.as_bytes());
        }
        Arc::new(md)
    };
    let pipe = match persistent {
        Some(p) => p,
        None => Rc::new(RefCell::new(attach_new_pipe(
            sc,
            Bytes::new(),
            Some(meta.clone()),
        ))),
    };
    let reader = async {
        let mut buf = BytesMut::with_capacity(READ_CHUNK);
        loop {
            poll_fn(|cx| pipe.borrow_mut().poll_writable(cx)).await;
            if buf.capacity() - buf.len() < 4096 {
                buf.reserve(READ_CHUNK);
            }
            let BufResult(res, b) = r.append(buf).await;
            buf = b;
            match res {
                Ok(0) | Err(_) => return End::Disconnected,
                Ok(_) => {}
            }
            let mut m = Msg::from_bytes(buf.split().freeze());
            m.set_metadata(Some(meta.clone()));
            pipe.borrow_mut().write_unchecked(m);
        }
    };
    let writer = async {
        let mut batch = VecDeque::new();
        loop {
            poll_fn(|cx| pipe.borrow_mut().poll_readable(cx)).await;
            pipe.borrow_mut().read_batch(&mut batch);
            if batch.is_empty() && pipe.borrow().peer_closed() {
                return End::SocketClosed;
            }
            for m in batch.drain(..) {
                let data = m.to_bytes();
                if !data.is_empty() && w.write_all(data).await.0.is_err() {
                    return End::Disconnected;
                }
            }
        }
    };
    let pumps = async {
        match select(reader, writer).await {
            Either::Left(e) | Either::Right(e) => e,
        }
    };
    let end = match select(pumps, sc.stop.wait()).await {
        Either::Left(e) => e,
        Either::Right(()) => End::Stopped,
    };
    end
}
