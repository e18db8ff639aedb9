use super::*;

#[test]
// Thousands of entries or 100+ KiB buffers: minutes under Miri, and
// the code they test is safe Rust; they run natively.
#[cfg_attr(miri, ignore)]
fn large_bodies_use_pooled_buffers_with_their_bytes() {
    let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let m = Slab::default().copy(&data);
    assert_eq!(m.data(), &data[..]);
    drop(m);
    // A recycled buffer carries nothing of its previous use.
    let b = pooled_buffer(b"abc", 3).unwrap();
    assert_eq!(&b[..], b"abc");
    assert!(b.capacity() >= 64 * 1024);
    assert_eq!(&pooled_body(b)[..], b"abc");
}

#[test]
// Miri treats an allocation beyond its memory as a fatal error rather
// than a failed allocation, so this one runs natively only.
#[cfg_attr(miri, ignore)]
fn announced_sizes_are_not_allocated_up_front() {
    // Sizes no allocator can give (2^62 and up, beyond the address
    // space) are refused at once, as libzmq's malloc of them fails.
    for total in [1usize << 62, isize::MAX as usize, usize::MAX] {
        assert!(pooled_buffer(b"xy", total).is_none(), "{total}");
    }
    // A size the allocator could give (256 MiB, above every pool
    // class) is not taken: the buffer starts at LARGE_FIRST_ALLOC.
    let b = pooled_buffer(b"xy", 64 * LARGE_FIRST_ALLOC).unwrap();
    assert_eq!(&b[..], b"xy");
    assert!(b.capacity() <= LARGE_FIRST_ALLOC);
}

#[test]
// Thousands of entries or 100+ KiB buffers: minutes under Miri, and
// the code they test is safe Rust; they run natively.
#[cfg_attr(miri, ignore)]
fn bodies_grow_by_doubling_only_when_full_up_to_their_size() {
    let total = 3 * 65536 + 5;
    let mut b: Vec<u8> = Vec::with_capacity(65536);
    // Room left: nothing to do.
    assert!(grow_body(&mut b, total));
    assert_eq!(b.capacity(), 65536);
    let mut caps = vec![b.capacity()];
    loop {
        b.resize(b.capacity().min(total), 7);
        if b.len() == total {
            break;
        }
        assert!(grow_body(&mut b, total));
        caps.push(b.capacity());
    }
    // 64 KiB → 128 KiB → 256 KiB: doubling, and never past the power
    // of two the whole body needs (so the buffer can be pooled).
    assert_eq!(caps, [65536, 131072, 262144]);
    assert_eq!(b.capacity(), total.next_power_of_two());
}

#[test]
// Thousands of entries or 100+ KiB buffers: minutes under Miri, and
// the code they test is safe Rust; they run natively.
#[cfg_attr(miri, ignore)]
fn bodies_to_fill_have_their_size_at_every_class() {
    for size in [
        0,
        1,
        INLINE_CAP,
        INLINE_CAP + 1,
        64,
        1000,
        2048,
        2049,
        5000,
        32 * 1024,
        32 * 1024 + 1,
        65_536,
        200_000,
        1 << 20,
    ] {
        let m = Msg::for_fill(size).unwrap();
        assert_eq!(m.len(), size);
        assert_eq!(m.data().len(), size);
        assert_eq!(!m.holds_body(), size <= INLINE_CAP, "{size}");
    }
}

#[test]
// Miri treats an allocation beyond its memory as a fatal error rather
// than a failed allocation, so this one runs natively only.
#[cfg_attr(miri, ignore)]
fn absurd_sizes_to_fill_are_refused_not_a_panic() {
    for size in [usize::MAX, usize::MAX / 2 + 1, 1 << 50] {
        assert!(Msg::for_fill(size).is_none(), "{size}");
    }
}

#[test]
// Thousands of entries or 100+ KiB buffers: minutes under Miri, and
// the code they test is safe Rust; they run natively.
#[cfg_attr(miri, ignore)]
fn small_bodies_to_fill_are_disjoint_and_aligned() {
    let bodies: Vec<Msg> = (0..3000)
        .map(|i| Msg::for_fill(39 + i % 500).unwrap())
        .collect();
    let mut spans: Vec<(usize, usize)> = bodies
        .iter()
        .map(|m| (m.data().as_ptr() as usize, m.len()))
        .collect();
    assert!(spans.iter().all(|(p, _)| p % 8 == 0));
    spans.sort();
    for w in spans.windows(2) {
        assert!(w[0].0 + w[0].1 <= w[1].0, "bodies overlap");
    }
}

#[test]
// Feature `sanitize` allocates every body on its own.
#[cfg_attr(feature = "sanitize", ignore)]
fn a_chunk_whose_bodies_are_gone_is_carved_again() {
    // Fill this thread's current chunk and a few more, keep nothing.
    let first = Msg::for_fill(1024).unwrap();
    let start = first.data().as_ptr() as usize;
    drop(first);
    let mut seen_again = false;
    for _ in 0..10 * 64 {
        let m = Msg::for_fill(1024).unwrap();
        let p = m.data().as_ptr() as usize;
        seen_again |= p == start;
    }
    assert!(seen_again, "no chunk was reused");
}

#[test]
// Thousands of entries or 100+ KiB buffers: minutes under Miri, and
// the code they test is safe Rust; they run natively.
#[cfg_attr(miri, ignore)]
fn a_chunk_with_live_bodies_is_not_carved_again() {
    let held: Vec<Msg> = (0..200).map(|_| Msg::for_fill(2000).unwrap()).collect();
    let spans: Vec<usize> = held.iter().map(|m| m.data().as_ptr() as usize).collect();
    for _ in 0..2000 {
        let m = Msg::for_fill(2000).unwrap();
        let p = m.data().as_ptr() as usize;
        assert!(spans.iter().all(|&s| p + 2000 <= s || s + 2000 <= p));
    }
    drop(held);
}

#[test]
// Feature `sanitize` allocates every body on its own; 3 MB buffers are
// minutes under Miri (safe code, runs natively).
#[cfg_attr(any(feature = "sanitize", miri), ignore)]
fn larger_bodies_to_fill_are_recycled() {
    // Size classes no other test uses (the pools are process-wide).
    for size in [12_000, 300_000, 3_000_000] {
        let a = Msg::for_fill(size).unwrap();
        let p = a.data().as_ptr();
        drop(a);
        // Other tests share the pools: look a few times.
        let again: Vec<Msg> = (0..4).map(|_| Msg::for_fill(size).unwrap()).collect();
        assert!(again.iter().any(|m| m.data().as_ptr() == p), "{size}");
        assert!(again.iter().all(|m| m.len() == size));
    }
}

#[test]
fn slab_bodies_share_one_chunk() {
    let mut slab = Slab::default();
    let a = slab.copy(&[1u8; 100]);
    let b = slab.copy(&[2u8; 100]);
    assert_eq!(a.data(), &[1u8; 100][..]);
    assert_eq!(b.data(), &[2u8; 100][..]);
    // One chunk, each body 8-aligned.
    assert_eq!(body_distance(&a, &b), 104);
    assert_eq!(b.data().as_ptr() as usize % 8, 0);
    let big = slab.copy(&[3u8; 5000]);
    assert_eq!(big.len(), 5000);
}

fn body_distance(a: &Msg, b: &Msg) -> usize {
    b.data().as_ptr() as usize - a.data().as_ptr() as usize
}

#[test]
fn fan_out_shares_one_body_and_marks_it_shared() {
    let mut slab = Slab::default();
    for (size, body_held) in [(5, false), (100, true), (5000, true)] {
        let data = vec![9u8; size];
        let mut frames = slab.copy(&data).fan_out(3);
        let got: Vec<Msg> = std::iter::from_fn(|| frames.next_msg()).collect();
        assert_eq!(got.len(), 3);
        for m in &got {
            assert_eq!(m.data(), &data[..]);
            assert_eq!(m.is_shared(), body_held, "{size}");
        }
        if body_held {
            assert_eq!(got[0].data().as_ptr(), got[2].data().as_ptr());
        }
    }
    // One place: the message itself, not marked shared; a fan-out not
    // taken to its end gives its references back (Miri checks the rest).
    let mut one = slab.copy(&[1u8; 100]).fan_out(1);
    assert!(!one.next_msg().unwrap().is_shared());
    assert!(one.next_msg().is_none());
    let mut part = slab.copy(&[2u8; 100]).fan_out(5);
    let first = part.next_msg().unwrap();
    drop(part);
    assert_eq!(first.data(), &[2u8; 100][..]);
}

#[test]
fn small_bodies_are_inline() {
    let m = Msg::from_slice(b"hello");
    assert!(!m.holds_body());
    assert_eq!(m.data(), b"hello");
}

#[test]
fn large_bodies_are_shared_on_copy() {
    let mut m = Msg::from_slice(&[7u8; 100]);
    assert!(!m.is_shared());
    let c = m.share();
    assert!(m.is_shared() && c.is_shared());
    assert_eq!(m.data().as_ptr(), c.data().as_ptr());
}

#[test]
fn from_bytes_moves_small_frames_inline() {
    let b = Bytes::from(vec![1u8; 1000]);
    let m = Msg::from_bytes(b.slice(0..3));
    assert!(!m.holds_body());
    assert_eq!(m.data(), &[1, 1, 1]);
}

#[test]
fn metadata_identity_aliases_routing_id() {
    let mut md = Metadata::new();
    md.insert("Routing-Id", b"abc");
    assert_eq!(md.get("Identity"), Some(&b"abc"[..]));
    assert_eq!(md.get_with_nul("Routing-Id"), Some(&b"abc\0"[..]));
    assert_eq!(md.get("Nope"), None);
    // A property named Identity (a peer's READY, a ZAP reply) is itself.
    md.insert("Identity", b"peer");
    assert_eq!(md.get("Identity"), Some(&b"peer"[..]));
    assert_eq!(md.get("Routing-Id"), Some(&b"abc"[..]));
}

#[test]
#[cfg_attr(feature = "sanitize", ignore)]
fn released_small_bodies_are_dropped_in_groups_and_before_sleeping() {
    flush_released();
    // A received frame (a slice of a read buffer) is flagged; its buffer
    // stays referenced after the release until the group is dropped.
    let buf = Bytes::from(vec![7u8; 4096]);
    let m = Msg::from_received(buf.slice(0..100));
    assert_eq!(m.data(), &[7u8; 100][..]);
    m.release();
    assert!(!buf.is_unique(), "a released body waits for its group");
    flush_released();
    assert!(buf.is_unique(), "flush drops what the thread released");

    // A group of BATCH releases drops them all without a flush.
    let buf = Bytes::from(vec![1u8; 8192]);
    for i in 0..32 {
        Msg::from_received(buf.slice(i * 64..i * 64 + 64)).release();
    }
    assert!(buf.is_unique(), "a full group is dropped at once");
    flush_released();
}

#[test]
fn only_small_library_bodies_are_released_late() {
    flush_released();
    // Too large to be flagged: released at once.
    let buf = Bytes::from(vec![0u8; 8192]);
    Msg::from_received(buf.slice(0..4096)).release();
    assert!(buf.is_unique());
    // Inline: nothing to hold.
    Msg::from_received(buf.slice(0..10)).release();
    assert!(buf.is_unique());
    // A body of the caller's (zero copy, `from_shared`): never delayed,
    // its free function must run when the message is released.
    let user = Bytes::from(vec![0u8; 100]);
    Msg::from_shared(user.slice(0..100)).release();
    assert!(user.is_unique());
}
