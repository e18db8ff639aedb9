//! Runs one fuzz target over files: `cargo run --features fuzzing
//! --example fuzz_one TARGET FILE...` (reproduces a crash without nightly).
fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().expect("usage: fuzz_one TARGET FILE...");
    let target = zmq::fuzz::target(&name).expect("unknown target");
    for f in args {
        let data = std::fs::read(&f).expect("read input");
        eprintln!("{name} {f} ({} bytes)", data.len());
        target(&data);
    }
}
