//! Writes the seed corpora of the fuzz targets, built from real handshakes
//! by `zmq::fuzz::seeds()`, into `fuzz/corpus/<target>/<sha1>` (the naming
//! libFuzzer uses, so re-running adds nothing twice).
//!
//! `cargo run --release --features fuzzing --example fuzz_seeds [DIR]`
//! (DIR defaults to `fuzz/corpus`). CURVE handshakes use fresh short-term
//! keys, so their seeds differ from run to run: commit one run's.

use sha1::{Digest, Sha1};
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus"));
    let mut written = 0;
    for (target, input) in zmq::fuzz::seeds() {
        assert!(
            zmq::fuzz::target(target).is_some(),
            "seed for unknown target {target}"
        );
        let d = dir.join(target);
        std::fs::create_dir_all(&d)?;
        let name: String = Sha1::digest(&input)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = d.join(name);
        if !path.exists() {
            std::fs::write(path, &input)?;
            written += 1;
        }
    }
    println!("{written} new seeds under {}", dir.display());
    Ok(())
}
