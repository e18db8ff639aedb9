//! The fuzz targets on the stable toolchain, so CI catches a regression
//! without nightly or cargo-fuzz: every target of `zmq::fuzz::TARGETS` runs
//! over its committed seeds (`fuzz/corpus/<target>/`) and crash inputs
//! (`fuzz/regressions/<target>/`), then over deterministic mutations of
//! them (`FUZZ_REPLAY_MUTATIONS` per target, default 400).
//!
//! Each target runs in a child process (this binary again, test
//! `replay_child`) under a 4 GiB address-space limit, with a panic hook
//! that aborts: a panic anywhere (even one the C boundary would turn into
//! EFAULT, or on another thread), an abort or an allocation failure fails
//! that target only, and the report names the input. The input being run
//! is kept in `target/fuzz-replay/<target>.last` for reproduction.
//!
//! `cargo test --release --features fuzzing --test fuzz_replay`
//! (`FUZZ_REPLAY_ONLY=decoder,trie` runs those targets only).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHILD_ENV: &str = "FUZZ_REPLAY_TARGET";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `dir`, sorted by name (empty when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One to four libFuzzer-style edits of `input` (bit flips, interesting
/// bytes, inserts, deletions, duplicated runs, splices with `other`).
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = v.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                v[i] = [0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0x20][rng.below(7)];
            }
            2 => {
                let i = rng.below(len + 1);
                v.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(16));
                v.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(32));
                let run = v[i..i + n].to_vec();
                let at = rng.below(len + 1);
                v.splice(at..at, run);
            }
            5 if !other.is_empty() => {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                v.truncate(cut);
                v.extend_from_slice(&other[from..]);
            }
            6 if len > 0 => v.truncate(rng.below(len)),
            _ if len >= 8 => {
                // A big-endian length field set to an extreme.
                let i = rng.below(len - 7);
                let x: u64 = [u64::MAX, 1 << 62, 1 << 40, 1 << 31, 0x7FFF_FFFF][rng.below(5)];
                v[i..i + 8].copy_from_slice(&x.to_be_bytes());
            }
            _ => v.push(rng.next() as u8),
        }
    }
    v
}

/// The child: replays one target, aborting on the first problem.
#[test]
fn replay_child() {
    let Ok(name) = std::env::var(CHILD_ENV) else {
        return; // run only as a child of `replay_all_targets`
    };
    let target = zmq::fuzz::target(&name).expect("known target");
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        std::process::abort();
    }));
    let last = root()
        .join("target/fuzz-replay")
        .join(format!("{name}.last"));
    std::fs::create_dir_all(last.parent().unwrap()).unwrap();
    let run = |label: &str, input: &[u8]| {
        std::fs::write(&last, input).unwrap();
        println!("{label}");
        std::io::stdout().flush().ok();
        target(input);
    };

    let mut inputs = Vec::new();
    for dir in ["fuzz/corpus", "fuzz/regressions"] {
        for f in files(&root().join(dir).join(&name)) {
            let data = std::fs::read(&f).unwrap();
            run(&f.display().to_string(), &data);
            inputs.push(data);
        }
    }
    let n: usize = std::env::var("FUZZ_REPLAY_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let mut rng = Rng(name
        .bytes()
        .fold(0xC0FF_EE00_u64, |h, b| h.rotate_left(5) ^ u64::from(b))
        | 1);
    let empty = Vec::new();
    for i in 0..n {
        let base = inputs.get(rng.below(inputs.len())).unwrap_or(&empty);
        let other = inputs.get(rng.below(inputs.len())).unwrap_or(&empty);
        let m = mutate(&mut rng, base, other);
        run(&format!("mutation {i}"), &m);
    }
    println!("{name}: {} inputs and {n} mutations replayed", inputs.len());
}

/// Every target of `zmq::fuzz::TARGETS` is a cargo-fuzz binary of the
/// same name in fuzz/, and nothing else is.
#[test]
fn fuzz_crate_lists_every_target() {
    let toml = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut bins: Vec<&str> = toml
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|n| *n != "monocoque-fuzz")
        .collect();
    let mut names: Vec<&str> = zmq::fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
    bins.sort_unstable();
    names.sort_unstable();
    assert_eq!(bins, names);
    for n in names {
        let src = root().join("fuzz/fuzz_targets").join(format!("{n}.rs"));
        assert!(src.is_file(), "missing {}", src.display());
    }
}

#[test]
fn replay_all_targets() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let only = std::env::var("FUZZ_REPLAY_ONLY").ok();
    let mut failed = Vec::new();
    for (name, _) in zmq::fuzz::TARGETS {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|t| t == *name))
        {
            continue;
        }
        let corpus = root().join("fuzz/corpus").join(name);
        assert!(
            !files(&corpus).is_empty(),
            "no seeds in {} (cargo run --features fuzzing --example fuzz_seeds)",
            corpus.display()
        );
        let start = std::time::Instant::now();
        let out = Command::new("/bin/sh")
            .arg("-c")
            .arg("ulimit -v 4194304 2>/dev/null; exec \"$0\" \"$@\"")
            .arg(&exe)
            .args(["replay_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, name)
            .output()
            .expect("spawn the replay child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() && stdout.contains(&format!("{name}: ")) {
            println!("{name}: ok in {:.1} s", start.elapsed().as_secs_f64());
            continue;
        }
        let tail: Vec<&str> = stdout.lines().rev().take(3).collect();
        eprintln!(
            "FAILED {name} ({}): last inputs (newest first) {tail:?}, kept in target/fuzz-replay/{name}.last\n{stderr}",
            out.status
        );
        failed.push(*name);
    }
    assert!(failed.is_empty(), "fuzz targets failed: {failed:?}");
}
