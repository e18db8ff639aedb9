#![no_main]
//! See `zmq::fuzz::greeting`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::greeting(data));
