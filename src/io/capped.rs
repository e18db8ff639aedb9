//! One read or write never asks the kernel for more than `MAX_IO` bytes.
//!
//! Linux moves at most `MAX_RW_COUNT` (0x7ffff000) bytes per read or write
//! call, and io_uring refuses a `recv` longer than `INT_MAX` with `EINVAL`
//! (and its length fields are 32 bits): a message past 2^31 bytes, read
//! into a buffer of its own size, would fail the connection. Every stream a
//! session serves is wrapped in `Capped`, which offers the kernel a view of
//! at most `MAX_IO` bytes of the buffer; callers loop on short reads and
//! writes anyway.

use compio::buf::{BufResult, IntoInner, IoBuf, IoBufMut, IoVectoredBuf};
use compio::io::{AsyncRead, AsyncWrite};

/// Linux's `MAX_RW_COUNT`: the most one read or write call transfers.
pub const MAX_IO: usize = 0x7fff_f000;

/// A stream half whose reads and writes are at most `MAX_IO` bytes.
pub struct Capped<S>(pub S);

impl<S: AsyncRead> AsyncRead for Capped<S> {
    async fn read<B: IoBufMut>(&mut self, mut buf: B) -> BufResult<usize, B> {
        let len = buf.buf_len();
        if buf.buf_capacity() - len <= MAX_IO {
            return self.0.read(buf).await;
        }
        let BufResult(res, view) = self.0.read(buf.slice(..len + MAX_IO)).await;
        BufResult(res, view.into_inner())
    }
}

impl<S: AsyncWrite> AsyncWrite for Capped<S> {
    async fn write<T: IoBuf>(&mut self, buf: T) -> BufResult<usize, T> {
        if buf.buf_len() <= MAX_IO {
            return self.0.write(buf).await;
        }
        let BufResult(res, view) = self.0.write(buf.slice(..MAX_IO)).await;
        BufResult(res, view.into_inner())
    }

    /// Vectored writes are passed on as they are: the kernel clamps a
    /// `writev` to `MAX_RW_COUNT` itself, and the session's writer keeps
    /// each call within `MAX_IO` (`session::write::write_segments`).
    async fn write_vectored<T: IoVectoredBuf>(&mut self, buf: T) -> BufResult<usize, T> {
        self.0.write_vectored(buf).await
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().await
    }

    async fn shutdown(&mut self) -> std::io::Result<()> {
        self.0.shutdown().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use compio::io::AsyncReadExt;
    use std::io::Write;

    /// A read into a buffer with more than 2^31 bytes of room (a large
    /// message's own buffer) returns what arrived; io_uring alone refuses
    /// it with EINVAL. The buffer's pages are never touched.
    #[test]
    fn reads_into_buffers_past_2g_work_on_either_driver() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        let (more_tx, more_rx) = std::sync::mpsc::channel::<()>();
        let writer = std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(a).unwrap();
            // One burst per read, the next once the previous was read.
            for _ in 0..2 {
                s.write_all(&[7u8; 4096]).unwrap();
                let _ = more_rx.recv();
            }
        });
        let (s, _) = l.accept().unwrap();
        s.set_nonblocking(true).unwrap();
        // MONOCOQUE_IO_DRIVER picks the driver, as for the I/O threads.
        let rt = compio::runtime::RuntimeBuilder::new()
            .with_proactor(crate::io::runtime::proactor())
            .build()
            .unwrap();
        rt.block_on(async move {
            let mut s = Capped(compio::net::TcpStream::from_std(s).unwrap());
            for room in [(1usize << 31) + 100, (1usize << 32) + 100] {
                let buf = bytes::BytesMut::with_capacity(room);
                let BufResult(res, buf) = s.append(buf).await;
                let n = res.expect("a read into a large buffer");
                assert!(n > 0 && n == buf.len() && buf.iter().all(|&b| b == 7));
                let _ = more_tx.send(());
            }
        });
        writer.join().unwrap();
    }
}
