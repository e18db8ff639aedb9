#![no_main]
//! See `zmq::fuzz::handshake_null`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::handshake_null(data));
