#![no_main]
//! See `zmq::fuzz::metadata`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::metadata(data));
