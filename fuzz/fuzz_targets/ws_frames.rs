#![no_main]
//! See `zmq::fuzz::ws_frames`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::ws_frames(data));
