//! Publish-subscribe sockets through a whole context: what needs the I/O
//! threads and the socket's lock together, and no C program (the compat
//! suite cannot see which thread runs a socket's commands).

use super::types;
use crate::ctx::Ctx;
use crate::options::{opt, OptVal};

#[test]
fn a_subscriber_biased_to_its_thread_subscribes_a_new_publisher_at_once() {
    // A binding SUB used by this thread until its lock is biased here;
    // an XPUB connects, and this thread waits on the XPUB without a
    // call on the SUB: the I/O thread that attaches the new pipe takes
    // the bias away (the owner is outside) and the subscription goes
    // out at once. (With a plain `try_lock` the command would wait for
    // the SUB's next call and the XPUB's receive time out.)
    let ctx = Ctx::new();
    let sub = ctx.socket(types::SUB).expect("socket");
    let xpub = ctx.socket(types::XPUB).expect("socket");
    for s in [&sub, &xpub] {
        s.setsockopt(opt::LINGER, &0i32.to_ne_bytes()).unwrap();
        s.setsockopt(opt::RCVTIMEO, &10_000i32.to_ne_bytes())
            .unwrap();
    }
    sub.setsockopt(opt::SUBSCRIBE, b"").unwrap();
    sub.bind("tcp://127.0.0.1:*").expect("bind");
    let ep = match sub.getsockopt(opt::LAST_ENDPOINT).unwrap() {
        OptVal::Str(e) => e,
        _ => panic!("LAST_ENDPOINT is a string"),
    };
    for _ in 0..1000 {
        let _ = sub.getsockopt(opt::LINGER).unwrap();
        if sub.state.biased_to_me() {
            break;
        }
    }
    assert!(
        sub.state.biased_to_me(),
        "the SUB's lock biased to this thread"
    );
    xpub.connect(&ep).expect("connect");
    let m = xpub
        .recv(0)
        .expect("the subscription, without a call on the SUB");
    assert_eq!(m.data(), b"\x01");
    assert!(!sub.state.biased_to_me(), "the bias was taken away");
    for s in [&sub, &xpub] {
        ctx.close_socket(s);
    }
    ctx.term().expect("term");
}
