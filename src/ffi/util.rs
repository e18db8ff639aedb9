//! Utility exports: errors and version, capabilities, Z85 and CURVE keys,
//! atomic counters, timers, stopwatch, sleep and application threads.
//!
//! Glue only; the behaviour lives in `crate::util`. Counters and timer sets
//! are handles of `handle.rs`; a stopwatch is its start time and a thread
//! an id of `util::thread`, so no `void*` given out here is a pointer to
//! Rust memory, and a stale or forged one is refused, never dereferenced.

use super::boundary::{self, bytes, bytes_mut, call, cstr, lookup, out, publish, take, Failure};
use super::consts::{zmq_thread_fn, zmq_timer_fn};
use crate::error::{native_text, Error, Result};
use crate::handle::{HandleTable, Kind};
use crate::util::atomic_counter::AtomicCounter;
use crate::util::stopwatch::Stopwatch;
use crate::util::thread::Threads;
use crate::util::timers::Timers;
use crate::util::{has, z85};
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, c_long, c_ulong, c_void, CStr, CString};
use std::sync::Arc;

static COUNTERS: HandleTable<AtomicCounter> = HandleTable::new(Kind::Counter);
static TIMERS: HandleTable<Mutex<Timers>> = HandleTable::new(Kind::Timers);
static THREADS: Threads = Threads::new();

/// A `long` result; `boundary` has no failure value for `c_long`.
struct Long(c_long);

impl Failure for Long {
    fn failure() -> Long {
        Long(-1)
    }
}

// ------------------------------------------------------ errors, version

/// The calling thread's `errno`.
#[no_mangle]
pub extern "C" fn zmq_errno() -> c_int {
    call(|| Ok(boundary::errno()))
}

/// An error's text: libzmq's for its own codes, the C library's otherwise.
#[no_mangle]
pub extern "C" fn zmq_strerror(errnum: c_int) -> *const c_char {
    call(|| {
        Ok(match native_text(errnum) {
            Some(text) => native_cstr(errnum, text),
            // SAFETY: strerror accepts any number and returns a string that
            // stays valid at least until the next call, as libzmq relies on.
            None => unsafe { libc::strerror(errnum) },
        })
    })
}

/// libzmq's own texts as static C strings, made once per code.
fn native_cstr(errnum: c_int, text: &'static str) -> *const c_char {
    static TEXTS: Mutex<BTreeMap<c_int, &'static CStr>> = Mutex::new(BTreeMap::new());
    TEXTS
        .lock()
        .entry(errnum)
        .or_insert_with(|| Box::leak(CString::new(text).unwrap_or_default().into_boxed_c_str()))
        .as_ptr()
}

/// Reports the API version, 4.3.5.
///
/// # Safety
/// Each pointer must be NULL (that part is skipped) or writable as an `int`.
#[no_mangle]
pub unsafe extern "C" fn zmq_version(major: *mut c_int, minor: *mut c_int, patch: *mut c_int) {
    use super::consts::{ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH};
    call(|| {
        for (p, v) in [
            (major, ZMQ_VERSION_MAJOR),
            (minor, ZMQ_VERSION_MINOR),
            (patch, ZMQ_VERSION_PATCH),
        ] {
            // SAFETY: NULL or writable by the caller's contract; `out`
            // refuses NULL.
            if let Ok(slot) = unsafe { out(p) } {
                *slot = v;
            }
        }
        Ok(())
    })
}

/// 1 if this build has the capability ("ipc", ...), else 0.
///
/// # Safety
/// `capability` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_has(capability: *const c_char) -> c_int {
    call(|| {
        // SAFETY: NULL or NUL-terminated by the caller's contract. NULL or
        // non-UTF-8 names no capability.
        let name = unsafe { cstr(capability, Error::INVAL) };
        Ok(c_int::from(name.is_ok_and(has)))
    })
}

// ------------------------------------------------------------ Z85, CURVE

/// Z85-encodes `size` bytes (a multiple of 4) into `dest`, NUL-terminated.
///
/// # Safety
/// `data` must hold `size` readable bytes and `dest` `size * 5 / 4 + 1`
/// writable ones.
#[no_mangle]
pub unsafe extern "C" fn zmq_z85_encode(
    dest: *mut c_char,
    data: *const u8,
    size: usize,
) -> *mut c_char {
    call(|| {
        // The length is checked first: libzmq's tests pass NULL buffers
        // with a bad size and expect EINVAL.
        let n = z85::encoded_len(size)?;
        // SAFETY: `size` readable bytes at `data`, by the caller's contract.
        let data = unsafe { bytes(data.cast(), size) }?;
        // SAFETY: `n + 1` writable bytes at `dest`, by the caller's contract.
        let out = unsafe { bytes_mut(dest.cast(), n + 1) }?;
        out[z85::encode_into(data, out)?] = 0;
        Ok(dest)
    })
}

/// Decodes a Z85 string (length a multiple of 5) into `dest`.
///
/// # Safety
/// `string` must be NULL or NUL-terminated, and `dest` must hold
/// `strlen(string) * 4 / 5` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_z85_decode(dest: *mut u8, string: *const c_char) -> *mut u8 {
    call(|| {
        if string.is_null() {
            return Err(Error::FAULT);
        }
        // SAFETY: NUL-terminated by the caller's contract. Non-UTF-8 text
        // holds bytes outside the Z85 alphabet: EINVAL either way.
        let text = unsafe { cstr(string, Error::INVAL) }?.as_bytes();
        let n = z85::decoded_len(text.len())?;
        // SAFETY: `n` writable bytes at `dest`, by the caller's contract.
        let out = unsafe { bytes_mut(dest.cast(), n) }?;
        z85::decode_into(text, out)?;
        Ok(dest)
    })
}

/// Makes a new CURVE key pair: each key as 40 Z85 characters and a NUL.
///
/// # Safety
/// Both pointers must be NULL or hold 41 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_curve_keypair(
    z85_public_key: *mut c_char,
    z85_secret_key: *mut c_char,
) -> c_int {
    call(|| {
        // SAFETY: 41 writable bytes at each pointer, by the caller's contract.
        let public = unsafe { bytes_mut(z85_public_key.cast(), 41) }?;
        // SAFETY: as above.
        let secret = unsafe { bytes_mut(z85_secret_key.cast(), 41) }?;
        let (p, s) = crate::zmtp::mechanism::curve::keypair();
        public[z85::encode_into(&p, public)?] = 0;
        secret[z85::encode_into(&s, secret)?] = 0;
        Ok(0)
    })
}

/// Derives a Z85 public key from a Z85 secret key (EINVAL if malformed).
///
/// # Safety
/// `z85_public_key` must be NULL or hold 41 writable bytes;
/// `z85_secret_key` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_curve_public(
    z85_public_key: *mut c_char,
    z85_secret_key: *const c_char,
) -> c_int {
    call(|| {
        // SAFETY: NULL or NUL-terminated by the caller's contract.
        let text = unsafe { cstr(z85_secret_key, Error::INVAL) }?.as_bytes();
        let mut secret = [0u8; 32];
        if text.len() != 40 {
            return Err(Error::INVAL);
        }
        z85::decode_into(text, &mut secret)?;
        // SAFETY: 41 writable bytes at `z85_public_key`, by the caller's
        // contract.
        let public = unsafe { bytes_mut(z85_public_key.cast(), 41) }?;
        let p = crate::zmtp::mechanism::curve::public_of(&secret);
        public[z85::encode_into(&p, public)?] = 0;
        Ok(0)
    })
}

// -------------------------------------------------------- atomic counters

fn counter_of(p: *mut c_void) -> Result<Arc<AtomicCounter>> {
    lookup(&COUNTERS, p, Error::FAULT)
}

/// A new counter at 0.
#[no_mangle]
pub extern "C" fn zmq_atomic_counter_new() -> *mut c_void {
    call(|| {
        publish(
            &COUNTERS,
            Arc::new(AtomicCounter::new()),
            Error(libc::ENOMEM),
        )
    })
}

/// Sets the counter.
#[no_mangle]
pub extern "C" fn zmq_atomic_counter_set(counter: *mut c_void, value: c_int) {
    call(|| counter_of(counter).map(|c| c.set(value)))
}

/// Adds 1; returns the old value (-1 and EFAULT for a bad handle).
#[no_mangle]
pub extern "C" fn zmq_atomic_counter_inc(counter: *mut c_void) -> c_int {
    call(|| Ok(counter_of(counter)?.inc()))
}

/// Subtracts 1; returns 1 if the counter is still non-zero, else 0.
///
/// -1 and EFAULT for a bad handle.
#[no_mangle]
pub extern "C" fn zmq_atomic_counter_dec(counter: *mut c_void) -> c_int {
    call(|| Ok(c_int::from(counter_of(counter)?.dec() != 0)))
}

/// The counter's value.
#[no_mangle]
pub extern "C" fn zmq_atomic_counter_value(counter: *mut c_void) -> c_int {
    call(|| Ok(counter_of(counter)?.value()))
}

/// Destroys the counter and sets `*counter_p` to NULL.
///
/// # Safety
/// `counter_p` must be NULL or point to a writable `void*`.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_destroy(counter_p: *mut *mut c_void) {
    call(|| {
        // SAFETY: NULL or writable by the caller's contract; `out` refuses
        // NULL.
        let slot = unsafe { out(counter_p) }?;
        // A stale handle has nothing left to free; the slot is cleared
        // either way.
        let _ = take(&COUNTERS, *slot, Error::FAULT);
        *slot = std::ptr::null_mut();
        Ok(())
    })
}

// ----------------------------------------------------------------- timers

fn timers_of(p: *mut c_void) -> Result<Arc<Mutex<Timers>>> {
    lookup(&TIMERS, p, Error::FAULT)
}

/// A C timer handler and its argument.
struct CHandler {
    handler: unsafe extern "C" fn(c_int, *mut c_void),
    arg: *mut c_void,
}

// SAFETY: `arg` is never dereferenced here, only handed back to the
// caller's handler, which libzmq too calls from whichever thread runs
// `zmq_timers_execute`.
unsafe impl Send for CHandler {}
// SAFETY: as for Send; calling the handler needs no exclusive access.
unsafe impl Sync for CHandler {}

impl CHandler {
    fn fire(&self, timer_id: i32) {
        // SAFETY: the caller of zmq_timers_add promised a handler callable
        // with this argument for as long as the timer exists.
        unsafe { (self.handler)(timer_id, self.arg) }
    }
}

/// A new, empty timer set.
#[no_mangle]
pub extern "C" fn zmq_timers_new() -> *mut c_void {
    call(|| {
        publish(
            &TIMERS,
            Arc::new(Mutex::new(Timers::new())),
            Error(libc::ENOMEM),
        )
    })
}

/// Destroys the timer set and sets `*timers_p` to NULL.
///
/// # Safety
/// `timers_p` must be NULL or point to a writable `void*`.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_destroy(timers_p: *mut *mut c_void) -> c_int {
    call(|| {
        // SAFETY: NULL or writable by the caller's contract; `out` refuses
        // NULL.
        let slot = unsafe { out(timers_p) }?;
        take(&TIMERS, *slot, Error::FAULT)?;
        *slot = std::ptr::null_mut();
        Ok(0)
    })
}

/// Adds a timer calling `handler` every `interval` ms; returns its id.
///
/// # Safety
/// `handler` must be safe to call with `arg` until the timer is cancelled
/// or the set destroyed.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_add(
    timers: *mut c_void,
    interval: usize,
    handler: zmq_timer_fn,
    arg: *mut c_void,
) -> c_int {
    call(|| {
        let set = timers_of(timers)?;
        let c = CHandler {
            handler: handler.ok_or(Error::FAULT)?,
            arg,
        };
        let id = set.lock().add(interval, Arc::new(move |id| c.fire(id)));
        Ok(id)
    })
}

/// Cancels a timer.
#[no_mangle]
pub extern "C" fn zmq_timers_cancel(timers: *mut c_void, timer_id: c_int) -> c_int {
    call(|| timers_of(timers)?.lock().cancel(timer_id).map(|_| 0))
}

/// Changes a timer's interval and restarts it.
#[no_mangle]
pub extern "C" fn zmq_timers_set_interval(
    timers: *mut c_void,
    timer_id: c_int,
    interval: usize,
) -> c_int {
    call(|| {
        let set = timers_of(timers)?;
        let done = set.lock().set_interval(timer_id, interval);
        done.map(|_| 0)
    })
}

/// Restarts a timer's interval from now.
#[no_mangle]
pub extern "C" fn zmq_timers_reset(timers: *mut c_void, timer_id: c_int) -> c_int {
    call(|| timers_of(timers)?.lock().reset(timer_id).map(|_| 0))
}

/// Milliseconds until the next timer is due; -1 when none is.
///
/// A bad handle gives -1 and EFAULT; no timer gives -1 with errno untouched,
/// as in libzmq.
#[no_mangle]
pub extern "C" fn zmq_timers_timeout(timers: *mut c_void) -> c_long {
    let ms = call(|| Ok(Long(timers_of(timers)?.lock().timeout())));
    ms.0
}

/// Runs the handler of every due timer.
#[no_mangle]
pub extern "C" fn zmq_timers_execute(timers: *mut c_void) -> c_int {
    call(|| {
        let pass = timers_of(timers)?.lock().begin_pass();
        // The lock is released around each handler, which may call
        // zmq_timers_* on this very set; if it destroys the set, the pass
        // ends.
        while let Ok(set) = timers_of(timers) {
            let next = set.lock().next_due(&pass);
            let Some((id, handler)) = next else { break };
            handler(id);
        }
        Ok(0)
    })
}

// ---------------------------------------------------- stopwatch, threads

/// Starts a stopwatch.
///
/// The handle is the non-zero start time, never a pointer.
#[no_mangle]
pub extern "C" fn zmq_stopwatch_start() -> *mut c_void {
    call(|| {
        Ok(std::ptr::without_provenance_mut(
            Stopwatch::start().ticks() as usize
        ))
    })
}

fn stopwatch_of(watch: *mut c_void) -> Result<Stopwatch> {
    if watch.is_null() {
        return Err(Error::FAULT);
    }
    Ok(Stopwatch::from_ticks(watch.addr() as u64))
}

/// Microseconds since the stopwatch started (0 and EFAULT for NULL).
#[no_mangle]
pub extern "C" fn zmq_stopwatch_intermediate(watch: *mut c_void) -> c_ulong {
    call(|| Ok(stopwatch_of(watch)?.intermediate() as c_ulong))
}

/// Microseconds since the stopwatch started; it needs no freeing.
#[no_mangle]
pub extern "C" fn zmq_stopwatch_stop(watch: *mut c_void) -> c_ulong {
    call(|| Ok(stopwatch_of(watch)?.stop() as c_ulong))
}

/// Sleeps for `seconds` seconds.
#[no_mangle]
pub extern "C" fn zmq_sleep(seconds: c_int) {
    call(|| {
        let secs = u64::try_from(seconds).unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_secs(secs));
        Ok(())
    })
}

/// A C thread body and its argument.
struct CThread {
    func: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}

// SAFETY: handing `arg` to the new thread is what zmq_threadstart's caller
// asked for; it is never dereferenced here.
unsafe impl Send for CThread {}

impl CThread {
    fn run(self) {
        // SAFETY: `set` is ours and filled by sigfillset before use;
        // pthread_sigmask changes only this new thread's mask. libzmq's
        // threads block every signal, leaving them to the application's.
        unsafe {
            let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigfillset(set.as_mut_ptr());
            libc::pthread_sigmask(libc::SIG_BLOCK, set.as_ptr(), std::ptr::null_mut());
        }
        // SAFETY: the caller of zmq_threadstart gave a body callable with
        // this argument.
        unsafe { (self.func)(self.arg) }
    }
}

/// Runs `func(arg)` on a new thread; returns a handle for `zmq_threadclose`.
///
/// # Safety
/// `func` must be safe to call with `arg` on another thread.
#[no_mangle]
pub unsafe extern "C" fn zmq_threadstart(func: zmq_thread_fn, arg: *mut c_void) -> *mut c_void {
    call(|| {
        let body = CThread {
            func: func.ok_or(Error::FAULT)?,
            arg,
        };
        let id = THREADS.start(move || body.run())?;
        Ok(std::ptr::without_provenance_mut(id as usize))
    })
}

/// Waits for the thread to end (EFAULT at once for an unknown handle).
#[no_mangle]
pub extern "C" fn zmq_threadclose(thread: *mut c_void) {
    call(|| {
        if THREADS.close(thread.addr() as u64) {
            Ok(())
        } else {
            Err(Error::FAULT)
        }
    })
}
