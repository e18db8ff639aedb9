#![no_main]
//! See `zmq::fuzz::session_client`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::session_client(data));
