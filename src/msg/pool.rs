//! Large bodies (64 KiB and up) come from a small pool of recycled
//! buffers: a fresh multi-megabyte allocation is page faults and zeroed
//! pages on every message (the kernel's `clear_page` was a quarter of the
//! 1 MiB throughput profile).

use parking_lot::Mutex;

const MIN: usize = 64 * 1024;
const CLASSES: usize = 12; // 64 KiB .. 128 MiB
const PER_CLASS: usize = 8;
/// Bytes a class may keep (more buffers of the small classes): a
/// writer drops a whole batch of sent bodies at once, and with 8 kept
/// almost half of a 64 KiB stream's bodies were new allocations that
/// had to be cleared (callgrind: `calloc` → `memset` 30 % of the
/// sender's instructions).
const CLASS_BYTES: usize = 16 << 20;
static FREE: Mutex<[Vec<Vec<u8>>; CLASSES]> = Mutex::new([const { Vec::new() }; CLASSES]);

fn class(len: usize) -> Option<usize> {
    if len < MIN {
        return None;
    }
    let c = (len.next_power_of_two() / MIN).trailing_zeros() as usize;
    (c < CLASSES).then_some(c)
}

/// A buffer holding a copy of `data` (with room for at least `MIN`).
pub fn copy(data: &[u8]) -> Vec<u8> {
    copy_with_room(data, data.len())
}

/// A buffer holding a copy of `data`, with room for `total` bytes (so
/// that filling it never reallocates).
pub fn copy_with_room(data: &[u8], total: usize) -> Vec<u8> {
    let want = total.max(data.len()).max(MIN);
    let mut v = class(want)
        .and_then(|c| FREE.lock()[c].pop())
        .unwrap_or_else(|| Vec::with_capacity(want.next_power_of_two()));
    v.clear();
    v.extend_from_slice(data);
    v
}

/// A buffer to receive a body of `total` bytes into, holding a copy of
/// `data`: a free pooled buffer that already fits the whole body when
/// there is one (memory already held, nothing newly committed);
/// otherwise one with room for `min(total, first)` bytes, taken
/// fallibly. None when memory cannot be had, or when the allocator
/// refuses `total` bytes outright (as libzmq's `malloc` of the
/// announced size would fail).
pub fn try_room_for(data: &[u8], total: usize, first: usize) -> Option<Vec<u8>> {
    let pop = |c: usize| FREE.lock()[c].pop();
    let whole = total.max(data.len()).max(MIN);
    let start = total.min(first).max(data.len()).max(MIN);
    let whole_class = class(whole);
    let mut v = match whole_class.and_then(pop) {
        Some(v) => v,
        None => {
            if start < whole {
                // libzmq mallocs the announced size at once and drops
                // the connection when that fails; ask the allocator
                // the same question, without keeping the answer, so a
                // size no memory could hold is refused at once too.
                Vec::<u8>::new().try_reserve_exact(total).ok()?;
            }
            let start_class = class(start).filter(|c| Some(*c) != whole_class);
            match start_class.and_then(pop) {
                Some(v) => v,
                None => {
                    let mut v = Vec::new();
                    v.try_reserve_exact(start.checked_next_power_of_two()?)
                        .ok()?;
                    v
                }
            }
        }
    };
    v.clear();
    v.extend_from_slice(data);
    Some(v)
}

/// A recycled buffer with room for `len` bytes (`None` when there is
/// none). Its length is what earlier uses wrote, all of it initialised.
pub fn take(len: usize) -> Option<Vec<u8>> {
    if len > 1 << 40 {
        return None; // far past every class (and next_power_of_two)
    }
    class(len.max(MIN)).and_then(|c| FREE.lock()[c].pop())
}

/// The capacity a new buffer for `len` bytes gets (so that it can be
/// recycled); `None` past the largest power of two.
pub fn capacity_for(len: usize) -> Option<usize> {
    len.max(MIN).checked_next_power_of_two()
}

/// Gives a buffer back for reuse.
pub fn recycle(v: Vec<u8>) {
    if let Some(c) = class(v.capacity()) {
        if v.capacity() == v.capacity().next_power_of_two() {
            let mut free = FREE.lock();
            if free[c].len() < PER_CLASS.max(CLASS_BYTES / v.capacity()) {
                free[c].push(v);
            }
        }
    }
}

/// A pooled buffer that returns to the pool when the last `Bytes`
/// over it is dropped.
pub struct Pooled(pub Vec<u8>);

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        recycle(std::mem::take(&mut self.0));
    }
}
