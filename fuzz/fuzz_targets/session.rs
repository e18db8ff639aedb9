#![no_main]
//! See `zmq::fuzz::session`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::session(data));
