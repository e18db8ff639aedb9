//! Draft socket types through the core API (feature `draft`): monitor
//! events, which the compat suite cannot assert because the reference (a
//! libzmq 4.3.5 built with drafts) drops some of them now and then (about
//! 1 run in 8 lost a HANDSHAKE_SUCCEEDED or CONNECTED), and what needs no
//! C program.

use super::monitor::event;
use super::{Socket, SNDMORE};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::msg::Msg;
use crate::options::{opt, OptVal};
use crate::zmtp::socket_type::*;
use std::sync::Arc;

/// Bounds waits that would otherwise hang a broken build.
const PATIENCE_MS: i32 = 10_000;

fn socket(ctx: &Arc<Ctx>, kind: i32) -> Arc<Socket> {
    let s = ctx.socket(kind).expect("socket");
    for (o, v) in [(opt::LINGER, 0), (opt::RCVTIMEO, PATIENCE_MS)] {
        s.setsockopt(o, &v.to_ne_bytes()).expect("setsockopt");
    }
    s
}

fn last_endpoint(s: &Socket) -> String {
    match s.getsockopt(opt::LAST_ENDPOINT).expect("last endpoint") {
        OptVal::Str(e) => e,
        _ => panic!("LAST_ENDPOINT is a string"),
    }
}

/// Waits for monitor event `ev`, skipping others; `forbidden` must not
/// come first.
fn expect_event(m: &Socket, ev: u16, forbidden: Option<u16>) {
    loop {
        let head = m.recv(0).expect("a monitor event in time");
        let _endpoint = m.recv(0).expect("the event's endpoint");
        let got = u16::from_ne_bytes([head.data()[0], head.data()[1]]);
        assert_ne!(Some(got), forbidden, "event {got:#x} came first");
        if got == ev {
            return;
        }
    }
}

fn monitored(ctx: &Arc<Ctx>, s: &Arc<Socket>, name: &str) -> Arc<Socket> {
    let uri = format!("inproc://draft-tests-{name}");
    s.monitor(Some(&uri), 0xffff).expect("monitor");
    let m = socket(ctx, ZMQ_PAIR);
    m.connect(&uri).expect("connect monitor");
    m
}

#[test]
fn monitors_report_the_draft_types_handshakes() {
    let ctx = Ctx::new();
    for (i, (bind, connect)) in [
        (ZMQ_SERVER, ZMQ_CLIENT),
        (ZMQ_RADIO, ZMQ_DISH),
        (ZMQ_GATHER, ZMQ_SCATTER),
        (ZMQ_CHANNEL, ZMQ_CHANNEL),
        (ZMQ_PEER, ZMQ_PEER),
    ]
    .into_iter()
    .enumerate()
    {
        let b = socket(&ctx, bind);
        let c = socket(&ctx, connect);
        let mb = monitored(&ctx, &b, &format!("b{i}"));
        let mc = monitored(&ctx, &c, &format!("c{i}"));
        b.bind("tcp://127.0.0.1:*").expect("bind");
        c.connect(&last_endpoint(&b)).expect("connect");
        expect_event(&mb, event::HANDSHAKE_SUCCEEDED, None);
        expect_event(&mc, event::HANDSHAKE_SUCCEEDED, None);
        for s in [b, c, mb, mc] {
            ctx.close_socket(&s);
        }
    }
    // A peer of the wrong type is dropped without a handshake event.
    let dish = socket(&ctx, ZMQ_DISH);
    let client = socket(&ctx, ZMQ_CLIENT);
    let md = monitored(&ctx, &dish, "bad");
    dish.bind("tcp://127.0.0.1:*").expect("bind");
    client.connect(&last_endpoint(&dish)).expect("connect");
    expect_event(&md, event::DISCONNECTED, Some(event::HANDSHAKE_SUCCEEDED));
    for s in [dish, client, md] {
        ctx.close_socket(&s);
    }
    ctx.term().expect("term");
}

#[test]
fn server_routes_by_id_and_clears_it_inproc() {
    let ctx = Ctx::new();
    let server = socket(&ctx, ZMQ_SERVER);
    let c1 = socket(&ctx, ZMQ_CLIENT);
    let c2 = socket(&ctx, ZMQ_CLIENT);
    server.bind("inproc://draft-tests-server").expect("bind");
    c1.connect("inproc://draft-tests-server").expect("connect");
    c2.connect("inproc://draft-tests-server").expect("connect");
    c1.send(Msg::from_slice(b"one"), 0)
        .map_err(|(e, _)| e)
        .unwrap();
    c2.send(Msg::from_slice(b"two"), 0)
        .map_err(|(e, _)| e)
        .unwrap();
    let m1 = server.recv(0).unwrap();
    let m2 = server.recv(0).unwrap();
    assert_ne!(m1.routing_id(), 0);
    assert_ne!(m1.routing_id(), m2.routing_id());
    let (id1, id2) = if m1.data() == b"one" {
        (m1.routing_id(), m2.routing_id())
    } else {
        (m2.routing_id(), m1.routing_id())
    };
    let mut r = Msg::from_slice(b"to-two");
    r.set_routing_id(id2).unwrap();
    server.send(r, 0).map_err(|(e, _)| e).unwrap();
    let got = c2.recv(0).unwrap();
    assert_eq!(got.data(), b"to-two");
    // The id names the peer at the server only.
    assert_eq!(got.routing_id(), 0);
    let mut r = Msg::from_slice(b"x");
    r.set_routing_id(id1.wrapping_add(id2) | 1).unwrap();
    if r.routing_id() != id1 && r.routing_id() != id2 {
        let e = server.send(r, 0).map_err(|(e, _)| e).unwrap_err();
        assert_eq!(e, Error(libc::EHOSTUNREACH));
    }
    let e = server
        .send(Msg::from_slice(b"x"), SNDMORE)
        .map_err(|(e, _)| e)
        .unwrap_err();
    assert_eq!(e, Error::INVAL);
    for s in [server, c1, c2] {
        ctx.close_socket(&s);
    }
    ctx.term().expect("term");
}

#[test]
fn thread_safe_types_have_no_fd() {
    let ctx = Ctx::new();
    for t in [
        ZMQ_SERVER,
        ZMQ_CLIENT,
        ZMQ_RADIO,
        ZMQ_DISH,
        ZMQ_GATHER,
        ZMQ_SCATTER,
        ZMQ_PEER,
        ZMQ_CHANNEL,
    ] {
        let s = socket(&ctx, t);
        assert!(matches!(s.getsockopt(opt::THREAD_SAFE), Ok(OptVal::Int(1))));
        assert_eq!(s.getsockopt(opt::FD).err(), Some(Error::INVAL));
        assert!(matches!(s.getsockopt(opt::TYPE), Ok(OptVal::Int(x)) if x == t));
        ctx.close_socket(&s);
    }
    let d = socket(&ctx, ZMQ_DGRAM);
    assert!(matches!(d.getsockopt(opt::THREAD_SAFE), Ok(OptVal::Int(0))));
    assert!(d.getsockopt(opt::FD).is_ok());
    ctx.close_socket(&d);
    ctx.term().expect("term");
}

/// Several threads blocked in recv on one thread-safe socket: each gets
/// one message, none is left waiting (no lost wakeup).
#[test]
fn blocked_receivers_of_one_socket_get_one_message_each() {
    let ctx = Ctx::new();
    let scatter = socket(&ctx, ZMQ_SCATTER);
    let gather = socket(&ctx, ZMQ_GATHER);
    scatter.bind("inproc://draft-tests-receivers").unwrap();
    gather.connect("inproc://draft-tests-receivers").unwrap();
    const N: usize = 6;
    let started = Arc::new(std::sync::Barrier::new(N + 1));
    let readers: Vec<_> = (0..N)
        .map(|_| {
            let g = gather.clone();
            let started = started.clone();
            std::thread::spawn(move || {
                started.wait();
                g.recv(0).map(|m| m.data().to_vec())
            })
        })
        .collect();
    started.wait();
    for i in 0..N {
        scatter.send(Msg::from_slice(&[i as u8]), 0).unwrap();
    }
    let mut got: Vec<u8> = readers
        .into_iter()
        .map(|r| r.join().unwrap().expect("a message for every reader")[0])
        .collect();
    got.sort();
    assert_eq!(got, (0..N as u8).collect::<Vec<_>>());
    for s in [scatter, gather] {
        ctx.close_socket(&s);
    }
    ctx.term().expect("term");
}

/// Several threads blocked in send (HWM reached) on one thread-safe
/// socket: each proceeds as the peer reads.
#[test]
fn blocked_senders_of_one_socket_all_proceed() {
    let ctx = Ctx::new();
    let scatter = socket(&ctx, ZMQ_SCATTER);
    let gather = socket(&ctx, ZMQ_GATHER);
    for s in [&scatter, &gather] {
        s.setsockopt(opt::SNDHWM, &1i32.to_ne_bytes()).unwrap();
        s.setsockopt(opt::RCVHWM, &1i32.to_ne_bytes()).unwrap();
        s.setsockopt(opt::SNDTIMEO, &PATIENCE_MS.to_ne_bytes())
            .unwrap();
    }
    scatter.bind("inproc://draft-tests-senders").unwrap();
    gather.connect("inproc://draft-tests-senders").unwrap();
    const N: usize = 8;
    let senders: Vec<_> = (0..N)
        .map(|i| {
            let s = scatter.clone();
            std::thread::spawn(move || s.send(Msg::from_slice(&[i as u8]), 0))
        })
        .collect();
    let mut got: Vec<u8> = (0..N)
        .map(|_| gather.recv(0).expect("every sender's message").data()[0])
        .collect();
    for s in senders {
        s.join().unwrap().expect("every sender proceeds");
    }
    got.sort();
    assert_eq!(got, (0..N as u8).collect::<Vec<_>>());
    for s in [scatter, gather] {
        ctx.close_socket(&s);
    }
    ctx.term().expect("term");
}
