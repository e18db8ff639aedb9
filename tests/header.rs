//! The committed `include/zmq.h` must be exactly what cbindgen makes of
//! `src/ffi/` with `cbindgen.toml`. A change to an exported function or a
//! constant without regenerating the header fails here.
//!
//! `MONOCOQUE_BLESS=1 cargo test --test header` rewrites the header instead
//! (that is all `scripts/gen-header` does).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The header as cbindgen generates it today.
fn generate(root: &Path) -> String {
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .unwrap_or_else(|e| panic!("cbindgen.toml: {e}"));
    // Only the C boundary: the rest of the crate has public constants that
    // are not part of the C API.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen failed on src/ffi/: {e}"));
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("cbindgen wrote UTF-8")
}

/// Where two texts first differ, as a readable report.
fn first_difference(committed: &str, fresh: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), fresh.lines().collect());
    let n = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let show = |v: &[&str]| {
        v.iter()
            .skip(n)
            .take(6)
            .map(|l| format!("    | {l}\n"))
            .collect::<String>()
    };
    format!(
        "first difference at line {} ({} lines committed, {} generated)\n  \
         committed:\n{}  generated:\n{}",
        n + 1,
        a.len(),
        b.len(),
        show(&a),
        show(&b)
    )
}

#[test]
fn committed_header_is_generated_from_src_ffi() {
    let root = root();
    let path = root.join("include/zmq.h");
    let fresh = generate(&root);

    if std::env::var_os("MONOCOQUE_BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
        return;
    }

    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        panic!(
            "include/zmq.h is out of date with src/ffi/ and cbindgen.toml.\n\
             Regenerate it with `scripts/gen-header` \
             (or `MONOCOQUE_BLESS=1 cargo test --test header`) and commit it.\n{}",
            first_difference(&committed, &fresh)
        );
    }
}

#[test]
fn header_declares_only_the_c_api() {
    // Every macro and prototype name the generator emits is libzmq's
    // vocabulary: a `pub const` or `extern "C"` item from src/ffi/ that is
    // not, leaks into programs' namespace.
    let fresh = generate(&root());
    for line in fresh.lines() {
        let name = if let Some(rest) = line.strip_prefix("#define ") {
            rest.split(|c: char| c == ' ' || c == '(').next().unwrap_or("")
        } else {
            continue;
        };
        let ok = name.starts_with("ZMQ_")
            || name.starts_with("__ZMQ_H")
            || ["EFSM", "ENOCOMPATPROTO", "ETERM", "EMTHREAD"].contains(&name)
            || name.starts_with('E'); // the errno fallbacks of the preamble
        assert!(ok, "include/zmq.h defines `{name}`, which is not libzmq's");
    }
    let prototypes = fresh
        .lines()
        .filter(|l| l.contains('(') && l.trim_end().ends_with(");") && !l.starts_with('#'));
    for p in prototypes {
        if p.starts_with(' ') || p.starts_with("typedef") {
            continue; // continuation lines and the callback typedefs
        }
        assert!(
            p.contains("zmq_"),
            "include/zmq.h declares `{p}`, which is not a zmq_ function"
        );
    }
}
