//! The C API: every exported `zmq_*` function, and nothing else.
//! `extern "C"` and pointer handling live only here; each function converts
//! its arguments, calls the safe core and maps the result (see `boundary`).

pub mod boundary;
// The C header's constants: read by cbindgen, not by Rust code.
#[allow(dead_code)]
pub mod consts;
pub mod ctx;
#[cfg(feature = "draft")]
pub mod draft;
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzz;
mod identity;
pub mod msg;
pub mod poll;
#[cfg(feature = "draft")]
pub mod poller;
pub mod proxy;
pub mod socket;
pub mod util;
