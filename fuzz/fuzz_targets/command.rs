#![no_main]
//! See `zmq::fuzz::command`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::command(data));
