//! Pipes: the bounded message queues between a socket and each of its peers
//! (a connection's engine, or another socket over inproc).
//!
//! A pipe is two one-way queues; each side holds a `PipeEnd`. High-water
//! marks count whole messages, as libzmq does. Only complete messages enter a
//! queue (a multipart message waits in its writer's `pending` until its last
//! frame), so a reader never sees half a message. Readers take the whole
//! queue in one lock (`refill`) and consume it locally, reporting what they
//! read once per batch; a writer wakes its reader only when the queue turns
//! non-empty: one wakeup per burst, not per message.
//!
//! A socket with many pipes does not look at each of them to find input: a
//! reader that found a pipe empty parks it (`park_read`), and the writer that
//! next gives it a frame puts its id on the socket's `Activations` (libzmq's
//! `activate_read`), so fair-queueing visits only pipes that may have input.

#![forbid(unsafe_code)]

mod activations;
mod end;
mod queue;
mod spare;
mod wake;

pub use activations::Activations;
pub use end::{pipe_pair, sends, ConnEnds, PipeEnd, WriteError};
pub use spare::{offer_spare_metadata, reclaim_spare_metadata};
pub use wake::{DirectSink, DirectWrite, Firing, Wake};

#[cfg(test)]
mod tests;
