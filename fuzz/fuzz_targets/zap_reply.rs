#![no_main]
//! See `zmq::fuzz::zap_reply`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::zap_reply(data));
