#![no_main]
//! See `zmq::fuzz::setsockopt`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::setsockopt(data));
