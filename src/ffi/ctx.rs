//! Context exports: `zmq_ctx_*` and the legacy `zmq_init`/`zmq_term`.

use super::boundary::{call, lookup, publish, take};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::handle::{HandleTable, Kind};
use std::ffi::{c_int, c_void};
use std::sync::Arc;

pub static CONTEXTS: HandleTable<Ctx> = HandleTable::new(Kind::Context);

pub fn ctx_of(p: *mut c_void) -> Result<Arc<Ctx>> {
    lookup(&CONTEXTS, p, Error::FAULT)
}

#[no_mangle]
pub extern "C" fn zmq_ctx_new() -> *mut c_void {
    call(|| publish(&CONTEXTS, Ctx::new(), Error::MFILE))
}

#[no_mangle]
pub extern "C" fn zmq_ctx_term(context: *mut c_void) -> c_int {
    call(|| {
        let ctx = ctx_of(context)?;
        ctx.term()?;
        take(&CONTEXTS, context, Error::FAULT)?;
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_ctx_shutdown(context: *mut c_void) -> c_int {
    call(|| {
        ctx_of(context)?.shutdown();
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_ctx_set(context: *mut c_void, option: c_int, optval: c_int) -> c_int {
    call(|| {
        ctx_of(context)?.set(option, optval)?;
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_ctx_get(context: *mut c_void, option: c_int) -> c_int {
    call(|| ctx_of(context)?.get(option))
}

#[no_mangle]
pub extern "C" fn zmq_init(io_threads: c_int) -> *mut c_void {
    call(|| {
        if io_threads < 0 {
            return Err(Error::INVAL);
        }
        let ctx = Ctx::new();
        ctx.set(crate::ctx::opt::IO_THREADS, io_threads)?;
        publish(&CONTEXTS, ctx, Error::MFILE)
    })
}

#[no_mangle]
pub extern "C" fn zmq_term(context: *mut c_void) -> c_int {
    zmq_ctx_term(context)
}

#[no_mangle]
pub extern "C" fn zmq_ctx_destroy(context: *mut c_void) -> c_int {
    zmq_ctx_term(context)
}
