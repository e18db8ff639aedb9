#![no_main]
//! See `zmq::fuzz::z85_codec`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::z85_codec(data));
