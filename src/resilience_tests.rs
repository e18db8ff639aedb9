//! The panic boundary of the I/O threads (SAFETY.md, "Panics"): a panic in
//! one connection's task closes that connection and nothing else; the I/O
//! thread, the other connections and `zmq_ctx_term` go on working. And what
//! a connection that ended leaves behind: nothing.
//!
//! Panics are injected with `runtime::PANIC_PROBE`, which exists in test
//! builds only: the write pump that sends a message starting with it panics.

#![forbid(unsafe_code)]

use crate::ctx::Ctx;
use crate::io::runtime::PANIC_PROBE;
use crate::msg::Msg;
use crate::options::{opt, OptVal};
use crate::socket::monitor::event;
use crate::socket::{types, Socket, SNDMORE};
use std::sync::Arc;
use std::time::Duration;

/// Generous bound on waits that would otherwise hang a broken build.
const PATIENCE_MS: i32 = 10_000;

fn set_int(s: &Socket, option: i32, v: i32) {
    s.setsockopt(option, &v.to_ne_bytes()).expect("setsockopt");
}

fn socket(ctx: &Arc<Ctx>, kind: i32) -> Arc<Socket> {
    let s = ctx.socket(kind).expect("socket");
    set_int(&s, opt::LINGER, 0);
    set_int(&s, opt::RCVTIMEO, PATIENCE_MS);
    set_int(&s, opt::SNDTIMEO, PATIENCE_MS);
    s
}

fn last_endpoint(s: &Socket) -> String {
    match s.getsockopt(opt::LAST_ENDPOINT).expect("last endpoint") {
        OptVal::Str(e) => e,
        _ => panic!("LAST_ENDPOINT is a string"),
    }
}

fn send(s: &Socket, frames: &[&[u8]]) {
    for (i, f) in frames.iter().enumerate() {
        let flags = if i + 1 < frames.len() { SNDMORE } else { 0 };
        s.send(Msg::from_slice(f), flags)
            .map_err(|(e, _)| e)
            .expect("send");
    }
}

fn recv(s: &Socket) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let m = s.recv(0).expect("recv within the patience bound");
        out.push(m.data().to_vec());
        if !m.more() {
            return out;
        }
    }
}

/// A monitor of `s` for `events`, read through a PAIR.
fn monitor(ctx: &Arc<Ctx>, s: &Arc<Socket>, name: &str, events: u16) -> Arc<Socket> {
    let uri = format!("inproc://{name}");
    s.monitor(Some(&uri), events as i32).expect("monitor");
    let m = socket(ctx, types::PAIR);
    m.connect(&uri).expect("connect monitor");
    m
}

/// Waits for monitor event `ev`, skipping others.
fn expect_event(m: &Socket, ev: u16) {
    loop {
        let frames = recv(m);
        let got = u16::from_ne_bytes([frames[0][0], frames[0][1]]);
        if got == ev {
            return;
        }
    }
}

/// A message that makes the write pump sending it panic: too large for a
/// direct write, so the pump is what sends it.
fn probe() -> Vec<u8> {
    let mut p = PANIC_PROBE.to_vec();
    p.resize(64 * 1024, 0);
    p
}

/// `Ctx::term` on another thread; panics if it has not returned in time.
fn term_returns(ctx: Arc<Ctx>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(ctx.term());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("zmq_ctx_term did not return")
        .expect("term");
}

fn routed_roundtrip(server: &Socket, client: &Socket, id: &[u8], text: &[u8]) {
    send(client, &[text]);
    assert_eq!(recv(server), vec![id.to_vec(), text.to_vec()]);
    send(server, &[id, text]);
    assert_eq!(recv(client), vec![text.to_vec()]);
}

#[test]
fn accepted_connection_panic_closes_only_that_connection() {
    let ctx = Ctx::new();
    let server = socket(&ctx, types::ROUTER);
    server.bind("tcp://127.0.0.1:*").expect("bind");
    let ep = last_endpoint(&server);
    let mon = monitor(&ctx, &server, "panic-accepted", event::DISCONNECTED);
    let a = socket(&ctx, types::DEALER);
    let b = socket(&ctx, types::DEALER);
    a.setsockopt(opt::ROUTING_ID, b"A").unwrap();
    b.setsockopt(opt::ROUTING_ID, b"B").unwrap();
    a.connect(&ep).unwrap();
    b.connect(&ep).unwrap();
    routed_roundtrip(&server, &a, b"A", b"hello");
    routed_roundtrip(&server, &b, b"B", b"hello");

    // The server's connection to A panics while sending.
    send(&server, &[b"A", &probe()]);
    expect_event(&mon, event::DISCONNECTED);

    // B's connection, on the same I/O thread, is untouched.
    routed_roundtrip(&server, &b, b"B", b"still here");
    // A reconnects (its connecter saw the connection end) and is served.
    routed_roundtrip(&server, &a, b"A", b"back");
    // The listener still accepts.
    let c = socket(&ctx, types::DEALER);
    c.setsockopt(opt::ROUTING_ID, b"C").unwrap();
    c.connect(&ep).unwrap();
    routed_roundtrip(&server, &c, b"C", b"new");

    for s in [&server, &a, &b, &c, &mon] {
        ctx.close_socket(s);
    }
    term_returns(ctx);
}

#[test]
fn connecter_panic_reconnects_and_term_returns() {
    let ctx = Ctx::new();
    let server = socket(&ctx, types::ROUTER);
    server.bind("tcp://127.0.0.1:*").expect("bind");
    let ep = last_endpoint(&server);
    let client = socket(&ctx, types::DEALER);
    set_int(&client, opt::RECONNECT_IVL, 10);
    client.setsockopt(opt::ROUTING_ID, b"A").unwrap();
    let mon = monitor(
        &ctx,
        &client,
        "panic-connecter",
        event::DISCONNECTED | event::HANDSHAKE_SUCCEEDED,
    );
    client.connect(&ep).unwrap();
    expect_event(&mon, event::HANDSHAKE_SUCCEEDED);
    routed_roundtrip(&server, &client, b"A", b"hello");

    // The client's own connection panics while sending.
    send(&client, &[&probe()]);
    expect_event(&mon, event::DISCONNECTED);
    expect_event(&mon, event::HANDSHAKE_SUCCEEDED);
    routed_roundtrip(&server, &client, b"A", b"after");

    for s in [&server, &client, &mon] {
        ctx.close_socket(s);
    }
    term_returns(ctx);
}

#[test]
fn panic_while_lingering_still_lets_term_return() {
    // The connection panics with the socket already closed and term
    // already waiting for it: term returns.
    let ctx = Ctx::new();
    let server = socket(&ctx, types::PULL);
    server.bind("tcp://127.0.0.1:*").expect("bind");
    let ep = last_endpoint(&server);
    let client = socket(&ctx, types::PUSH);
    set_int(&client, opt::LINGER, -1);
    client.connect(&ep).unwrap();
    send(&client, &[b"first"]);
    assert_eq!(recv(&server), vec![b"first".to_vec()]);
    ctx.close_socket(&server);
    send(&client, &[&probe()]);
    ctx.close_socket(&client);
    term_returns(ctx);
}

#[test]
fn a_panicking_io_job_leaves_the_thread_running() {
    let ctx = Ctx::new();
    let io = ctx.io().expect("io threads");
    io.spawn(|| panic!("test: a job panics"));
    let (tx, rx) = std::sync::mpsc::channel();
    io.spawn(move || {
        compio::runtime::spawn(async move {
            compio::time::sleep(Duration::from_millis(1)).await;
            let _ = tx.send(());
        })
        .detach();
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the I/O thread runs tasks after a job panicked");
    assert_eq!(ctx.sessions(), 0);
    term_returns(ctx);
}

/// Waits until only `n` sessions remain in `ctx`.
fn sessions_settle(ctx: &Ctx, n: usize) {
    for _ in 0..1000 {
        if ctx.sessions() == n {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{} sessions remain, expected {n}", ctx.sessions());
}

#[test]
fn ended_connections_leave_nothing_on_their_listener() {
    let ctx = Ctx::new();
    let server = socket(&ctx, types::ROUTER);
    server.bind("tcp://127.0.0.1:*").expect("bind");
    let ep = last_endpoint(&server);
    sessions_settle(&ctx, 1);
    for i in 0..50u32 {
        let c = socket(&ctx, types::DEALER);
        c.connect(&ep).unwrap();
        send(&c, &[&i.to_be_bytes()]);
        assert_eq!(recv(&server)[1], i.to_be_bytes());
        ctx.close_socket(&c);
    }
    // Every client's connecter and the server's side of each connection end.
    sessions_settle(&ctx, 1);
    // Runs the socket's pending commands and reaps the closed pipes.
    let _ = server.recv(crate::socket::DONTWAIT);
    // The listener's accept loop is the one waiter left on the socket's
    // close signal; the endpoint lists no pipe of an ended connection.
    assert!(
        server.closing.registered() <= 1,
        "{}",
        server.closing.registered()
    );
    let st = server.lock().unwrap();
    assert_eq!(st.endpoints.len(), 1);
    assert!(
        st.endpoints[0].pipes.is_empty(),
        "{:?}",
        st.endpoints[0].pipes
    );
    drop(st);
    ctx.close_socket(&server);
    term_returns(ctx);
}

#[test]
fn a_listeners_stop_signal_keeps_no_waker_of_an_ended_connection() {
    let ctx = Ctx::new();
    let server = socket(&ctx, types::ROUTER);
    let o = server.lock().unwrap().options.clone();
    // The listener made directly, so the test holds its stop signal.
    let (ep, stop, _fd) =
        crate::io::tcp::bind_tcp(&server.owner(), &o, "127.0.0.1:*").expect("bind");
    sessions_settle(&ctx, 1);
    for i in 0..50u32 {
        let c = socket(&ctx, types::DEALER);
        c.connect(&ep).unwrap();
        send(&c, &[&i.to_be_bytes()]);
        assert_eq!(recv(&server)[1], i.to_be_bytes());
        // The accept loop and the live connection wait on the signal.
        assert_eq!(stop.registered(), 2, "connection {i}");
        ctx.close_socket(&c);
        sessions_settle(&ctx, 1);
        // Bounded: the ended connection's registration is gone.
        assert_eq!(stop.registered(), 1, "after connection {i}");
    }
    stop.stop();
    sessions_settle(&ctx, 0);
    assert_eq!(stop.registered(), 0);
    ctx.close_socket(&server);
    term_returns(ctx);
}
