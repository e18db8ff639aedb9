#![no_main]
//! See `zmq::fuzz::decoder`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::decoder(data));
