//! Small OS calls the standard library lacks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Every (interface name, address) pair of this host.
pub fn interface_addresses() -> Vec<(String, IpAddr)> {
    let mut out = Vec::new();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head we free below with freeifaddrs.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return out;
    }
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, alive
        // until freeifaddrs; its name is a NUL-terminated string.
        let ifa = unsafe { &*cur };
        if !ifa.ifa_addr.is_null() {
            // SAFETY: as above; the name pointer is valid while the list is.
            let name = unsafe { std::ffi::CStr::from_ptr(ifa.ifa_name) }
                .to_string_lossy()
                .into_owned();
            // SAFETY: ifa_addr is non-null and points to a sockaddr whose
            // family tells its real type.
            let family = unsafe { (*ifa.ifa_addr).sa_family } as i32;
            if family == libc::AF_INET {
                // SAFETY: family AF_INET means the address is a sockaddr_in.
                let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                out.push((name, IpAddr::V4(ip)));
            } else if family == libc::AF_INET6 {
                // SAFETY: family AF_INET6 means the address is a sockaddr_in6.
                let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                out.push((name, IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr))));
            }
        }
        cur = ifa.ifa_next;
    }
    // SAFETY: `head` came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out
}

/// Waits until one of `fds` is readable or `timeout_ms` passes (-1 =
/// forever). `EINTR` is reported as an error.
pub fn wait_readable(fds: &[std::os::fd::RawFd], timeout_ms: i32) -> std::io::Result<bool> {
    let mut p: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    // SAFETY: `p` is a valid array of pollfd owned by this frame.
    let rc = unsafe { libc::poll(p.as_mut_ptr(), p.len() as libc::nfds_t, timeout_ms) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(rc > 0)
}

/// Whether a connected socket's peer has gone: `Some(errno)` once it
/// closed its side (`EPIPE`, as libzmq reports an orderly close, even
/// with bytes still unread before the close) or reset it (`ECONNRESET`);
/// None while it is open. Reads nothing.
pub fn peer_gone(fd: std::os::fd::RawFd) -> Option<i32> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLRDHUP,
        revents: 0,
    };
    // SAFETY: `p` is one pollfd owned by this frame; a zero timeout never
    // blocks. A stale fd only yields POLLNVAL.
    let rc = unsafe { libc::poll(&mut p, 1, 0) };
    if rc <= 0 {
        return None;
    }
    if p.revents & libc::POLLERR != 0 {
        Some(libc::ECONNRESET)
    } else if p.revents & (libc::POLLRDHUP | libc::POLLHUP) != 0 {
        Some(libc::EPIPE)
    } else {
        None
    }
}

/// Shuts both directions of a connected socket whose stream is still
/// owned by the caller: the peer sees the close now, and a read still in
/// flight in the kernel (io_uring keeps the descriptor open until it
/// completes) ends at once.
pub fn shutdown(fd: std::os::fd::RawFd) {
    // SAFETY: plain syscall on a descriptor the caller keeps open; errors
    // (already shut, not a socket) are harmless and ignored.
    unsafe {
        libc::shutdown(fd, libc::SHUT_RDWR);
    }
}

/// Takes ownership of a socket fd the application handed over
/// (`ZMQ_USE_FD`); it is closed when the listener ends, as libzmq does.
pub fn adopt_socket(fd: std::os::fd::RawFd) -> socket2::Socket {
    use std::os::fd::FromRawFd;
    // SAFETY: ZMQ_USE_FD transfers the descriptor to the socket's listener
    // (libzmq's contract); nothing else in this process closes it.
    unsafe { socket2::Socket::from_raw_fd(fd) }
}

/// The (pid, uid, gid) of a unix-socket peer (`SO_PEERCRED`).
pub fn peer_credentials(fd: std::os::fd::RawFd) -> Option<(i32, u32, u32)> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are live locals of the sizes passed.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            &mut cred as *mut libc::ucred as *mut libc::c_void,
            &mut len,
        )
    };
    (rc == 0).then_some((cred.pid, cred.uid, cred.gid))
}

/// A cheap, monotonic-enough cycle count (the CPU's time-stamp counter,
/// ~10 ns to read; nanoseconds elsewhere), for coarse throttles that must
/// not cost a clock_gettime per message. libzmq throttles with the same
/// counter.
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub fn cycles() -> u64 {
    // SAFETY: RDTSC reads a counter; it touches no memory and every x86_64
    // CPU has it.
    unsafe { core::arch::x86_64::_rdtsc() }
}

/// (Elsewhere, and under Miri, which has no RDTSC: nanoseconds, which
/// the throttles read as cycles of a 1 GHz clock.)
#[cfg(any(not(target_arch = "x86_64"), miri))]
pub fn cycles() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// Applies a context's thread options to the calling I/O thread, as libzmq
/// does in every thread it starts: `ZMQ_THREAD_SCHED_POLICY` and
/// `ZMQ_THREAD_PRIORITY` (a real-time policy takes the priority itself; the
/// others take priority 0, and a positive priority asks for nice -20), and
/// `ZMQ_THREAD_AFFINITY_CPU_ADD`'s CPUs. Refusals are ignored where libzmq
/// aborts (an unprivileged process asking for SCHED_FIFO gets EPERM).
pub fn apply_thread_options(policy: i32, priority: i32, cpus: &[i32]) {
    if policy >= 0 || priority >= 0 {
        let mut current = 0;
        // SAFETY: sched_param is plain data for which all-zero is valid.
        let mut param: libc::sched_param = unsafe { std::mem::zeroed() };
        // SAFETY: pthread_self names this live thread; both out-params are
        // live locals of the right types.
        let rc =
            unsafe { libc::pthread_getschedparam(libc::pthread_self(), &mut current, &mut param) };
        if rc == 0 {
            if policy >= 0 {
                current = policy;
            }
            let realtime = current == libc::SCHED_FIFO || current == libc::SCHED_RR;
            if !realtime {
                param.sched_priority = 0;
            } else if priority >= 0 {
                param.sched_priority = priority;
            }
            // SAFETY: as above; `param` is a live, initialised sched_param.
            unsafe { libc::pthread_setschedparam(libc::pthread_self(), current, &param) };
            if !realtime && priority > 0 {
                // SAFETY: nice takes no pointers; on Linux it changes only
                // the calling thread.
                unsafe { libc::nice(-20) };
            }
        }
    }
    if !cpus.is_empty() {
        // SAFETY: cpu_set_t is a plain bit array for which all-zero is the
        // empty set.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let max = 8 * std::mem::size_of::<libc::cpu_set_t>();
        for &cpu in cpus.iter().filter(|&&c| (c as usize) < max) {
            // SAFETY: `cpu` is below the number of bits in `set` (filtered
            // above), so the bit written is inside it.
            unsafe { libc::CPU_SET(cpu as usize, &mut set) };
        }
        // SAFETY: pid 0 is the calling thread; `set` is a live cpu_set_t of
        // the size passed.
        unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) };
    }
}

/// `membarrier(2)` commands (linux/membarrier.h).
const MEMBARRIER_CMD_QUERY: libc::c_long = 0;
const MEMBARRIER_CMD_PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;

/// Registers this process for `membarrier`: true when `membarrier` can be
/// used from now on (kernel 4.14 and later, unless a filter forbids it).
pub fn membarrier_register() -> bool {
    // SAFETY: membarrier takes no pointers; QUERY returns the supported
    // commands' bits or -1.
    let supported = unsafe { libc::syscall(libc::SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0) };
    if supported < 0 || supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED == 0 {
        return false;
    }
    // SAFETY: as above; registration only changes this process's state.
    unsafe {
        libc::syscall(
            libc::SYS_membarrier,
            MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
            0,
            0,
        ) == 0
    }
}

/// Makes every running thread of this process execute a full memory
/// barrier before returning: false if it could not (it cannot fail once
/// `membarrier_register` succeeded; the registration is kept across fork).
pub fn membarrier() -> bool {
    // SAFETY: membarrier takes no pointers, only a command.
    unsafe { libc::syscall(libc::SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 }
}
