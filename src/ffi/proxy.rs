//! Devices: `zmq_proxy`, `zmq_proxy_steerable`, `zmq_device`.

use super::boundary::call;
use super::socket::socket_of;
use crate::error::{Error, Result};
use std::ffi::{c_int, c_void};

fn opt_socket(p: *mut c_void) -> Result<Option<std::sync::Arc<crate::socket::Socket>>> {
    if p.is_null() {
        Ok(None)
    } else {
        socket_of(p).map(Some)
    }
}

#[no_mangle]
pub extern "C" fn zmq_proxy_steerable(
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
    control: *mut c_void,
) -> c_int {
    call(|| {
        let fe = socket_of(frontend).map_err(|_| Error::FAULT)?;
        let be = socket_of(backend).map_err(|_| Error::FAULT)?;
        let cap = opt_socket(capture)?;
        let ctl = opt_socket(control)?;
        crate::socket::proxy::proxy(&fe, &be, cap.as_ref(), ctl.as_ref())?;
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_proxy(
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
) -> c_int {
    zmq_proxy_steerable(frontend, backend, capture, std::ptr::null_mut())
}

#[no_mangle]
pub extern "C" fn zmq_device(_type: c_int, frontend: *mut c_void, backend: *mut c_void) -> c_int {
    zmq_proxy_steerable(
        frontend,
        backend,
        std::ptr::null_mut(),
        std::ptr::null_mut(),
    )
}
