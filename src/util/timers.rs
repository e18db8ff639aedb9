//! The timer set behind `zmq_timers_*`: the application asks `timeout()`
//! how long it may sleep, then calls `execute()` to run what is due.
//!
//! Semantics follow libzmq 4.3.5 (`zmq_timers(3)`):
//! - times are whole milliseconds on a monotonic clock; a timer added with
//!   interval `i` at `t` is due at `t + i`, and when it runs it is re-armed
//!   at `execute`'s `now + i` (interval 0 is allowed);
//! - ids count up from 1 and are not reused while their timer exists;
//! - `cancel` is lazy, as in libzmq: the timer never runs again and a second
//!   `cancel` fails with EINVAL, but until `timeout`/`execute` purge it,
//!   `set_interval`/`reset` still find it and succeed without reviving it;
//!   an id that is not in the set at all gives EINVAL everywhere;
//! - `timeout()` is `-1` with no live timer, else the milliseconds until the
//!   first one is due (0 when overdue). It never sets an error.
//!
//! One deliberate difference: a timer re-armed or added during an `execute`
//! pass never runs again in the same pass (in libzmq an interval-0 timer
//! makes `execute` loop forever).
//!
//! Handlers are run with no borrow of the set held: the C boundary keeps the
//! set behind a lock and steps through a pass with `begin_pass`/`next_due`,
//! releasing the lock around each call, so a handler may cancel, reset or
//! add timers of the same set.

use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;
use std::time::Instant;

/// A timer's callback; it receives the timer's id.
pub type Handler = Arc<dyn Fn(i32) + Send + Sync>;

/// Queue order: due time in ms, then insertion order (libzmq's multimap
/// keeps equal due times in insertion order).
type Key = (u64, u64);

struct Timer {
    id: i32,
    interval: u64,
    handler: Handler,
}

pub struct Timers {
    origin: Instant,
    queue: BTreeMap<Key, Timer>,
    keys: HashMap<i32, Key>,
    cancelled: HashSet<i32>,
    last_id: i32,
    next_seq: u64,
}

/// One `execute` pass: its clock reading and the first insertion number
/// that belongs to timers (re-)armed during the pass.
#[derive(Clone, Copy, Debug)]
pub struct Pass {
    now: u64,
    cutoff: u64,
}

impl Default for Timers {
    fn default() -> Self {
        Self::new()
    }
}

impl Timers {
    pub fn new() -> Self {
        Timers {
            origin: Instant::now(),
            queue: BTreeMap::new(),
            keys: HashMap::new(),
            cancelled: HashSet::new(),
            last_id: 0,
            next_seq: 0,
        }
    }

    /// Milliseconds on this set's monotonic clock.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Adds a timer due `interval` ms from now; returns its id (> 0).
    pub fn add(&mut self, interval: usize, handler: Handler) -> i32 {
        let now = self.now_ms();
        self.add_at(now, interval, handler)
    }

    pub fn add_at(&mut self, now: u64, interval: usize, handler: Handler) -> i32 {
        let id = self.fresh_id();
        let interval = interval as u64;
        self.arm(
            now,
            Timer {
                id,
                interval,
                handler,
            },
        );
        id
    }

    /// Cancels a timer: EINVAL when it does not exist or is already cancelled.
    pub fn cancel(&mut self, id: i32) -> Result<()> {
        if !self.keys.contains_key(&id) || !self.cancelled.insert(id) {
            return Err(Error::INVAL);
        }
        Ok(())
    }

    /// Changes a timer's interval and re-arms it from now.
    pub fn set_interval(&mut self, id: i32, interval: usize) -> Result<()> {
        let now = self.now_ms();
        self.set_interval_at(now, id, interval)
    }

    pub fn set_interval_at(&mut self, now: u64, id: i32, interval: usize) -> Result<()> {
        let mut timer = self.unarm(id)?;
        timer.interval = interval as u64;
        self.arm(now, timer);
        Ok(())
    }

    /// Re-arms a timer from now with its current interval.
    pub fn reset(&mut self, id: i32) -> Result<()> {
        let now = self.now_ms();
        self.reset_at(now, id)
    }

    pub fn reset_at(&mut self, now: u64, id: i32) -> Result<()> {
        let timer = self.unarm(id)?;
        self.arm(now, timer);
        Ok(())
    }

    /// Milliseconds until the next live timer is due, 0 if one is overdue,
    /// -1 if there is none.
    pub fn timeout(&mut self) -> i64 {
        let now = self.now_ms();
        self.timeout_at(now)
    }

    pub fn timeout_at(&mut self, now: u64) -> i64 {
        loop {
            let Some((&key, timer)) = self.queue.first_key_value() else {
                return -1;
            };
            let id = timer.id;
            if self.purge_if_cancelled(key, id) {
                continue;
            }
            return i64::try_from(key.0.saturating_sub(now)).unwrap_or(i64::MAX);
        }
    }

    #[cfg(test)]
    /// Runs every due timer's handler, in due order, and re-arms it.
    pub fn execute(&mut self) {
        let pass = self.begin_pass();
        while let Some((id, handler)) = self.next_due(&pass) {
            handler(id);
        }
    }

    #[cfg(test)]
    pub fn execute_at(&mut self, now: u64) {
        let pass = self.begin_pass_at(now);
        while let Some((id, handler)) = self.next_due(&pass) {
            handler(id);
        }
    }

    /// Starts an `execute` pass at the current time.
    pub fn begin_pass(&self) -> Pass {
        self.begin_pass_at(self.now_ms())
    }

    pub fn begin_pass_at(&self, now: u64) -> Pass {
        Pass {
            now,
            cutoff: self.next_seq,
        }
    }

    /// The next timer of `pass` that is due: it is re-armed, and its id and
    /// handler are returned for the caller to run. `None` ends the pass.
    pub fn next_due(&mut self, pass: &Pass) -> Option<(i32, Handler)> {
        let mut after: Option<Key> = None;
        loop {
            let next = match after {
                None => self.queue.first_key_value(),
                Some(k) => self
                    .queue
                    .range((Bound::Excluded(k), Bound::Unbounded))
                    .next(),
            };
            let (&key, timer) = next?;
            let id = timer.id;
            if self.purge_if_cancelled(key, id) {
                continue;
            }
            if key.0 > pass.now {
                return None;
            }
            if key.1 >= pass.cutoff {
                // Armed during this pass: it waits for the next one.
                after = Some(key);
                continue;
            }
            let timer = self.queue.remove(&key)?;
            let handler = timer.handler.clone();
            self.arm(pass.now, timer);
            return Some((id, handler));
        }
    }

    fn fresh_id(&mut self) -> i32 {
        loop {
            self.last_id = if self.last_id == i32::MAX {
                1
            } else {
                self.last_id + 1
            };
            if !self.keys.contains_key(&self.last_id) {
                return self.last_id;
            }
        }
    }

    fn arm(&mut self, now: u64, timer: Timer) {
        let key = (now.saturating_add(timer.interval), self.next_seq);
        self.next_seq += 1;
        self.keys.insert(timer.id, key);
        self.queue.insert(key, timer);
    }

    /// Takes a timer out of the queue (cancelled ones too, as libzmq finds
    /// them until they are purged); the caller re-arms it.
    fn unarm(&mut self, id: i32) -> Result<Timer> {
        let key = self.keys.remove(&id).ok_or(Error::INVAL)?;
        self.queue.remove(&key).ok_or(Error::INVAL)
    }

    fn purge_if_cancelled(&mut self, key: Key, id: i32) -> bool {
        if !self.cancelled.remove(&id) {
            return false;
        }
        self.queue.remove(&key);
        self.keys.remove(&id);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parking_lot::Mutex;

    /// A handler that records the ids it was called with.
    fn recorder() -> (Handler, Arc<Mutex<Vec<i32>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        (Arc::new(move |id| l.lock().push(id)), log)
    }

    fn noop() -> Handler {
        Arc::new(|_| {})
    }

    #[test]
    fn ids_start_at_one_and_count_up() {
        let mut t = Timers::new();
        assert_eq!(t.add_at(0, 10, noop()), 1);
        assert_eq!(t.add_at(0, 10, noop()), 2);
    }

    #[test]
    fn ids_are_not_reused_after_cancel() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        t.cancel(a).unwrap();
        assert_eq!(t.timeout_at(0), -1);
        assert_ne!(t.add_at(0, 10, noop()), a);
    }

    #[test]
    fn timeout_is_minus_one_without_timers() {
        assert_eq!(Timers::new().timeout_at(0), -1);
    }

    #[test]
    fn timeout_counts_down_to_the_earliest_timer() {
        let mut t = Timers::new();
        t.add_at(0, 100, noop());
        t.add_at(0, 40, noop());
        assert_eq!(t.timeout_at(10), 30);
    }

    #[test]
    fn timeout_is_zero_when_overdue() {
        let mut t = Timers::new();
        t.add_at(0, 10, noop());
        assert_eq!(t.timeout_at(50), 0);
    }

    #[test]
    fn execute_runs_only_due_timers() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let a = t.add_at(0, 10, h.clone());
        t.add_at(0, 20, h);
        t.execute_at(9);
        assert!(log.lock().is_empty());
        t.execute_at(10);
        assert_eq!(*log.lock(), [a]);
    }

    #[test]
    fn execute_runs_due_timers_in_due_order() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let late = t.add_at(0, 20, h.clone());
        let early = t.add_at(0, 10, h.clone());
        let same = t.add_at(0, 10, h);
        t.execute_at(30);
        assert_eq!(*log.lock(), [early, same, late]);
    }

    #[test]
    fn executed_timer_is_rearmed_from_execute_time() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        t.add_at(0, 10, h);
        t.execute_at(15);
        assert_eq!(t.timeout_at(15), 10);
        t.execute_at(24);
        assert_eq!(log.lock().len(), 1);
        t.execute_at(25);
        assert_eq!(log.lock().len(), 2);
    }

    #[test]
    fn interval_zero_runs_once_per_execute() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        t.add_at(0, 0, h);
        assert_eq!(t.timeout_at(0), 0);
        t.execute_at(0);
        t.execute_at(0);
        assert_eq!(log.lock().len(), 2);
    }

    #[test]
    fn huge_interval_never_fires() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        t.add_at(5, usize::MAX, h);
        assert_eq!(t.timeout_at(5), i64::MAX);
        t.execute_at(1 << 40);
        assert!(log.lock().is_empty());
    }

    #[test]
    fn cancelled_timer_does_not_run() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let a = t.add_at(0, 10, h);
        t.cancel(a).unwrap();
        t.execute_at(100);
        assert!(log.lock().is_empty());
        assert_eq!(t.timeout_at(100), -1);
    }

    #[test]
    fn cancel_twice_is_einval() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        t.cancel(a).unwrap();
        assert_eq!(t.cancel(a), Err(Error::INVAL));
    }

    #[test]
    fn unknown_id_is_einval() {
        let mut t = Timers::new();
        assert_eq!(t.cancel(1), Err(Error::INVAL));
        assert_eq!(t.set_interval_at(0, 1, 5), Err(Error::INVAL));
        assert_eq!(t.reset_at(0, 1), Err(Error::INVAL));
    }

    #[test]
    fn cancelled_timer_is_unknown_once_purged() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        t.cancel(a).unwrap();
        // libzmq: still found until timeout/execute purges it.
        assert_eq!(t.reset_at(0, a), Ok(()));
        t.timeout_at(0);
        assert_eq!(t.reset_at(0, a), Err(Error::INVAL));
        assert_eq!(t.set_interval_at(0, a, 1), Err(Error::INVAL));
        assert_eq!(t.cancel(a), Err(Error::INVAL));
    }

    #[test]
    fn reset_of_cancelled_timer_does_not_revive_it() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let a = t.add_at(0, 10, h);
        t.cancel(a).unwrap();
        t.reset_at(0, a).unwrap();
        t.execute_at(100);
        assert!(log.lock().is_empty());
    }

    #[test]
    fn reset_rearms_from_now_with_same_interval() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        t.reset_at(8, a).unwrap();
        assert_eq!(t.timeout_at(8), 10);
    }

    #[test]
    fn set_interval_rearms_from_now_with_new_interval() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let a = t.add_at(0, 100, h);
        t.set_interval_at(5, a, 20).unwrap();
        assert_eq!(t.timeout_at(5), 20);
        t.execute_at(25);
        assert_eq!(t.timeout_at(25), 20);
        assert_eq!(*log.lock(), [a]);
    }

    #[test]
    fn stepping_lets_a_handler_cancel_a_later_due_timer() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        let b = t.add_at(0, 20, noop());
        let pass = t.begin_pass_at(30);
        let (first, _) = t.next_due(&pass).unwrap();
        assert_eq!(first, a);
        // What a C handler does through zmq_timers_cancel mid-pass.
        t.cancel(b).unwrap();
        assert!(t.next_due(&pass).is_none());
        assert_eq!(t.timeout_at(30), 10);
    }

    #[test]
    fn stepping_lets_a_handler_cancel_itself() {
        let mut t = Timers::new();
        let a = t.add_at(0, 10, noop());
        let pass = t.begin_pass_at(10);
        assert_eq!(t.next_due(&pass).unwrap().0, a);
        t.cancel(a).unwrap();
        assert!(t.next_due(&pass).is_none());
        assert_eq!(t.timeout_at(10), -1);
    }

    #[test]
    fn timer_added_during_a_pass_waits_for_the_next_pass() {
        let mut t = Timers::new();
        t.add_at(0, 0, noop());
        let pass = t.begin_pass_at(0);
        assert!(t.next_due(&pass).is_some());
        let b = t.add_at(0, 0, noop());
        assert!(t.next_due(&pass).is_none());
        let pass = t.begin_pass_at(0);
        let ran: Vec<i32> = std::iter::from_fn(|| t.next_due(&pass).map(|(id, _)| id)).collect();
        assert!(ran.contains(&b));
    }

    #[test]
    fn clock_driven_timer_fires_after_its_interval() {
        let (h, log) = recorder();
        let mut t = Timers::new();
        let a = t.add(20, h);
        t.execute();
        assert!(log.lock().is_empty());
        let wait = t.timeout();
        assert!((0..=20).contains(&wait), "{wait}");
        std::thread::sleep(std::time::Duration::from_millis(wait as u64 + 2));
        t.execute();
        assert_eq!(*log.lock(), [a]);
    }
}
