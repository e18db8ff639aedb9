#![no_main]
//! See `zmq::fuzz::ws_http`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::ws_http(data));
