//! Utilities of the C API that are not sockets: Z85, atomic counters,
//! timers, stopwatch.
