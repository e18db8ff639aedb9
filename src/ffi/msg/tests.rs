//! Unit tests of `ffi::msg`: they play C (storage at every alignment,
//! `memcpy` copies, a counting free function). Run under Miri too
//! (`scripts/miri`): they exercise every unsafe access to C's storage,
//! aligned and not.
use super::*;
use crate::ffi::boundary::errno;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Storage for a few `zmq_msg_t`, at any offset from 8-alignment. All
/// pointers into it derive from one raw pointer, as C's would.
struct Store(*mut [u64; 40]);

impl Store {
    fn new() -> Self {
        Store(Box::into_raw(Box::new([0; 40])))
    }
    fn at(&self, byte: usize) -> *mut zmq_msg_t {
        (self.0 as *mut u8).wrapping_add(byte) as *mut zmq_msg_t
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // SAFETY: made by Box::into_raw in `new`, freed once.
        drop(unsafe { Box::from_raw(self.0) });
    }
}

fn copy_to(from: *mut zmq_msg_t, to: *mut zmq_msg_t) {
    // SAFETY: both in test storage; a C program's memcpy.
    unsafe { std::ptr::copy(from as *const u8, to as *mut u8, 64) }
}

const BIG: &[u8] = b"a body too large to be stored inside the zmq_msg_t itself, on the heap";

static FREED: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn count_free(data: *mut c_void, _hint: *mut c_void) {
    FREED.fetch_add(1, Ordering::SeqCst);
    // SAFETY: made by `counted` from a Box<[u8]> of BIG's length.
    drop(unsafe {
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            data as *mut u8,
            BIG.len(),
        ))
    });
}

/// A message over a caller's buffer whose release is counted (tests
/// using it run one at a time: `counted_lock`).
fn counted(m: *mut zmq_msg_t) {
    let data = Box::into_raw(BIG.to_vec().into_boxed_slice()) as *mut c_void;
    // SAFETY: test storage; the buffer lives until count_free.
    let rc =
        unsafe { zmq_msg_init_data(m, data, BIG.len(), Some(count_free), std::ptr::null_mut()) };
    assert_eq!(rc, 0);
}

fn counted_lock() -> parking_lot::MutexGuard<'static, ()> {
    static LOCK: parking_lot::Mutex<()> = parking_lot::Mutex::new(());
    let g = LOCK.lock();
    FREED.store(0, Ordering::SeqCst);
    g
}

fn body(m: *mut zmq_msg_t) -> Vec<u8> {
    // SAFETY: test storage.
    unsafe {
        let n = zmq_msg_size(m);
        let p = zmq_msg_data(m) as *const u8;
        assert!(!p.is_null());
        std::slice::from_raw_parts(p, n).to_vec()
    }
}

fn faults(rc: c_int) {
    assert_eq!((rc, errno()), (-1, libc::EFAULT));
}

#[test]
fn messages_work_at_every_alignment() {
    let s = Store::new();
    for offset in 0..8 {
        let m = s.at(offset);
        let n = s.at(100 + offset);
        // SAFETY: test storage.
        unsafe {
            assert_eq!(zmq_msg_init_size(m, 5), 0);
            std::ptr::copy_nonoverlapping(b"small".as_ptr(), zmq_msg_data(m) as *mut u8, 5);
            assert_eq!(body(m), b"small");
            assert_eq!(zmq_msg_init(n), 0);
            assert_eq!(zmq_msg_copy(n, m), 0);
            assert_eq!(zmq_msg_close(m), 0);
            // A heap body is filled by C through zmq_msg_data in real
            // programs; a write through that pointer is outside Rust's
            // aliasing model (it comes from a shared slice), so Miri
            // gets the body from Rust.
            put(m, Msg::from_slice(BIG)).unwrap();
            assert_eq!(zmq_msg_move(n, m), 0);
            assert_eq!(body(n), BIG);
            assert_eq!(zmq_msg_size(m), 0);
            assert_eq!(zmq_msg_more(n), 0);
            assert_eq!(zmq_msg_get(n, ZMQ_SHARED), 0);
            assert_eq!(zmq_msg_close(n), 0);
            assert_eq!(zmq_msg_close(m), 0);
            faults(zmq_msg_close(m));
        }
    }
}

#[test]
fn an_inline_body_is_written_in_c_storage() {
    let s = Store::new();
    let m = s.at(3);
    // SAFETY: test storage.
    unsafe {
        assert_eq!(zmq_msg_init_size(m, 4), 0);
        let p = zmq_msg_data(m) as *mut u8;
        let offset = (p as usize).wrapping_sub(m as usize);
        assert!(offset + 4 <= TAG_AT, "inline body at offset {offset}");
        p.copy_from_nonoverlapping(b"abcd".as_ptr(), 4);
        assert_eq!(body(m), b"abcd");
        assert_eq!(zmq_msg_close(m), 0);
    }
}

#[test]
fn a_memcpy_move_is_accepted_and_releases_once() {
    let _g = counted_lock();
    let s = Store::new();
    let (a, b, c) = (s.at(0), s.at(64), s.at(129));
    counted(a);
    copy_to(a, b);
    // The source re-initialised (cppzmq's move constructor).
    // SAFETY: test storage.
    unsafe { assert_eq!(zmq_msg_init(a), 0) };
    copy_to(b, c);
    assert_eq!(body(c), BIG);
    // SAFETY: test storage.
    unsafe {
        assert_eq!(zmq_msg_close(c), 0);
        assert_eq!(zmq_msg_close(a), 0);
        faults(zmq_msg_close(b));
    }
    assert_eq!(FREED.load(Ordering::SeqCst), 1);
}

#[test]
fn two_copies_of_a_live_message_are_released_once() {
    let _g = counted_lock();
    let s = Store::new();
    let (a, b) = (s.at(0), s.at(72));
    counted(a);
    copy_to(a, b);
    assert_eq!(body(b), BIG); // reading a copy claims nothing
                              // SAFETY: test storage.
    unsafe {
        assert_eq!(zmq_msg_close(a), 0);
        assert!(zmq_msg_data(b).is_null());
        faults(zmq_msg_close(b));
    }
    assert_eq!(FREED.load(Ordering::SeqCst), 1);

    counted(a);
    copy_to(a, b);
    // SAFETY: test storage.
    unsafe {
        let c = s.at(200);
        assert_eq!(zmq_msg_init(c), 0);
        // Copying from `b` changes it (shares the body): `b` is claimed.
        assert_eq!(zmq_msg_copy(c, b), 0);
        faults(zmq_msg_close(a));
        faults(zmq_msg_move(c, a));
        assert_eq!(zmq_msg_close(b), 0);
        assert_eq!(FREED.load(Ordering::SeqCst), 1, "the copy in c holds it");
        assert_eq!(zmq_msg_close(c), 0);
    }
    assert_eq!(FREED.load(Ordering::SeqCst), 2);
}

#[test]
fn a_message_with_metadata_has_an_identity() {
    let s = Store::new();
    let (a, b) = (s.at(8), s.at(80));
    let mut md = crate::msg::Metadata::new();
    md.insert("Socket-Type", b"PAIR");
    let mut msg = Msg::from_slice(b"hi");
    msg.set_metadata(Some(std::sync::Arc::new(md)));
    // SAFETY: test storage.
    unsafe {
        put(a, msg).unwrap();
        copy_to(a, b);
        let v = zmq_msg_gets(b, c"Socket-Type".as_ptr());
        assert_eq!(std::ffi::CStr::from_ptr(v).to_bytes(), b"PAIR");
        assert_eq!(zmq_msg_close(b), 0);
        faults(zmq_msg_close(a));
        assert!(zmq_msg_gets(a, c"Socket-Type".as_ptr()).is_null());
    }
}

#[test]
fn copies_of_a_plain_message_are_values() {
    let s = Store::new();
    let (a, b) = (s.at(0), s.at(64));
    // SAFETY: test storage.
    unsafe {
        assert_eq!(zmq_msg_init_size(a, 3), 0);
        copy_to(a, b);
        assert_eq!(zmq_msg_close(a), 0);
        assert_eq!(body(b).len(), 3);
        assert_eq!(zmq_msg_close(b), 0);
        faults(zmq_msg_close(b));
    }
}

#[test]
fn zeroed_garbage_and_null_messages_are_refused() {
    let s = Store::new();
    let m = s.at(0);
    // SAFETY: test storage (and NULL).
    unsafe {
        faults(zmq_msg_close(m));
        std::ptr::write_bytes(m as *mut u8, 0xa5, 64);
        faults(zmq_msg_close(m));
        assert_eq!(zmq_msg_size(m), 0);
        assert_eq!(errno(), libc::EFAULT);
        faults(zmq_msg_close(std::ptr::null_mut()));
        faults(zmq_msg_init(std::ptr::null_mut()));
        faults(zmq_msg_move(m, std::ptr::null_mut()));
    }
}

#[test]
fn init_data_on_null_does_not_call_the_free_function() {
    let _g = counted_lock();
    let data = Box::into_raw(BIG.to_vec().into_boxed_slice()) as *mut c_void;
    // SAFETY: NULL message; the buffer is freed below since the call
    // failed.
    unsafe {
        let rc = zmq_msg_init_data(
            std::ptr::null_mut(),
            data,
            BIG.len(),
            Some(count_free),
            std::ptr::null_mut(),
        );
        faults(rc);
        assert_eq!(FREED.load(Ordering::SeqCst), 0);
        count_free(data, std::ptr::null_mut());
    }
}

#[test]
fn fill_in_places_what_it_is_given_at_every_alignment() {
    let _g = counted_lock();
    let s = Store::new();
    for offset in 0..8 {
        let (m, copy) = (s.at(offset), s.at(100 + offset));
        counted(m);
        copy_to(m, copy);
        let mut md = crate::msg::Metadata::new();
        md.insert("Socket-Type", b"PULL");
        let md = std::sync::Arc::new(md);
        // SAFETY: test storage.
        unsafe {
            // As zmq_msg_recv: the old message is taken out, its identity
            // entry serves the frame filled in.
            let (old, mut slot) = take_slot(m).unwrap();
            drop(old);
            assert_eq!(FREED.load(Ordering::SeqCst), 1);
            let len = fill_in(m, &mut slot, |out| {
                *out = Msg::from_slice(b"frame");
                out.set_metadata(Some(md.clone()));
                Ok(out.len())
            });
            assert_eq!(len, Ok(5));
            assert!(slot.is_none(), "the slot was used");
            assert_eq!(body(m), b"frame");
            let v = zmq_msg_gets(m, c"Socket-Type".as_ptr());
            assert_eq!(std::ffi::CStr::from_ptr(v).to_bytes(), b"PULL");
            // The copy made before is stale: the entry has a new generation.
            faults(zmq_msg_close(copy));

            // A failure leaves an empty message that is not placed, and
            // drops what the closure put there; the slot stays the caller's.
            let (old, mut slot) = take_slot(m).unwrap();
            drop(old);
            let r: Result<()> = fill_in(m, &mut slot, |out| {
                *out = Msg::from_slice(BIG);
                out.set_metadata(Some(md.clone()));
                Err(Error::AGAIN)
            });
            assert_eq!(r, Err(Error::AGAIN));
            assert!(slot.is_some(), "the slot is not used on failure");
            assert_eq!(
                std::sync::Arc::strong_count(&md),
                1,
                "what f left is dropped"
            );
            faults(zmq_msg_close(m));
            put_in(m, Msg::new(), slot).unwrap();
            assert_eq!(zmq_msg_close(m), 0);

            // Without a slot, a message owning memory gets a new identity;
            // one owning nothing is plain.
            let mut none = None;
            fill_in(m, &mut none, |out| {
                *out = Msg::from_slice(BIG);
                Ok(())
            })
            .unwrap();
            assert_eq!(body(m), BIG);
            copy_to(m, copy);
            assert_eq!(zmq_msg_close(copy), 0);
            faults(zmq_msg_close(m));
            fill_in(m, &mut none, |out| {
                *out = Msg::from_slice(b"x");
                Ok(())
            })
            .unwrap();
            assert_eq!(tag_ptr(m).read_unaligned(), PLAIN);
            assert_eq!(zmq_msg_close(m), 0);
        }
        FREED.store(0, Ordering::SeqCst);
    }
}
