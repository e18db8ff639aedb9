//! The I/O layer: compio runtimes, connections, listeners, addresses.
//! With `ffi`, the only place `unsafe` may appear.

pub mod addr;
pub mod capped;
pub mod direct;
pub mod lock;
#[cfg(test)]
mod resilience_tests;
pub mod runtime;
pub mod session;
pub mod signaler;
pub mod stop;
pub mod sys;
pub mod tcp;
pub mod ws;
