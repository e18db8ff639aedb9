#![no_main]
//! See `zmq::fuzz::trie`.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zmq::fuzz::trie(data));
