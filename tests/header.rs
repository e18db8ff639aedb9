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
    // Every name the generated part defines or declares must be libzmq's: a
    // stray `pub const`, `extern "C"` block or `#[no_mangle]` helper in
    // src/ffi/ would leak into every C program's namespace.
    let fresh = generate(&root());
    let mut strays = Vec::new();
    for line in fresh.lines() {
        let name = if let Some(rest) = line.strip_prefix("#define ") {
            ident_at_start(rest)
        } else if let Some(name) = defined_type(line) {
            name
        } else if starts_declaration(line) {
            // `int zmq_x(...`, `void *zmq_y(...`: the identifier before `(`.
            let head = &line[..line.find('(').unwrap()];
            head.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
        } else {
            continue;
        };
        let ours = name.starts_with("ZMQ_")
            || name.starts_with("zmq_")
            || name.starts_with("__ZMQ_H")
            || ERRNO_NAMES.contains(&name);
        if !ours {
            strays.push(line.to_string());
        }
    }
    assert!(
        strays.is_empty(),
        "include/zmq.h would declare names that are not libzmq's:\n  {}\n\
         (use libc's functions and types instead of `extern \"C\"` blocks and \
         C-struct look-alikes; keep helper constants private)",
        strays.join("\n  ")
    );
}

/// The error numbers zmq.h defines: libzmq's own and the fallbacks.
const ERRNO_NAMES: &[&str] = &[
    "EFSM",
    "ENOCOMPATPROTO",
    "ETERM",
    "EMTHREAD",
    "ENOTSUP",
    "EPROTONOSUPPORT",
    "ENOBUFS",
    "ENETDOWN",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ECONNREFUSED",
    "EINPROGRESS",
    "ENOTSOCK",
    "EMSGSIZE",
    "EAFNOSUPPORT",
    "ENETUNREACH",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOTCONN",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETRESET",
];

fn ident_at_start(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The name a line gives a type: `} zmq_msg_t;`, `typedef int zmq_fd_t;`.
fn defined_type(line: &str) -> Option<&str> {
    let body = line.strip_suffix(';')?;
    if !(line.starts_with("} ") || line.starts_with("typedef ")) || line.contains('(') {
        return None;
    }
    body.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
}

/// A line that starts a function declaration at file scope.
fn starts_declaration(line: &str) -> bool {
    let first = line.chars().next().unwrap_or(' ');
    line.contains('(')
        && (first.is_ascii_alphabetic() || first == '_')
        && !line.starts_with("typedef")
}
