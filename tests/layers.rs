//! The layering ARCHITECTURE.md states, checked on the source: a lower layer
//! never names a higher one. `io` talks to sockets only through
//! `io::owner::Owner`, `socket` to its context only through `socket::Host`.
//! Unit-test files (`*tests.rs`) may build a whole context to drive a layer:
//! they are not part of the layering.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path
                .file_stem()
                .is_some_and(|n| n.to_string_lossy().ends_with("tests"))
        {
            out.push(path);
        }
    }
}

/// Every line of `layer` (a directory or file under src/) that names one of
/// `forbidden` (module paths such as `crate::ctx`), comments aside.
fn offending(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut files = Vec::new();
    if root.is_dir() {
        rust_files(&root, &mut files);
    } else {
        files.push(root.with_extension("rs"));
    }
    assert!(!files.is_empty(), "no sources under {layer}");
    let mut hits = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for m in forbidden {
                let named = code.match_indices(m).any(|(i, _)| {
                    let rest = &code[i + m.len()..];
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if named {
                    hits.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    hits
}

#[test]
fn io_names_neither_sockets_nor_the_context() {
    let hits = offending("io", &["crate::socket", "crate::ctx"]);
    assert!(hits.is_empty(), "io reaches up:\n{}", hits.join("\n"));
}

#[test]
fn sockets_do_not_name_the_context() {
    let hits = offending("socket", &["crate::ctx"]);
    assert!(hits.is_empty(), "socket reaches up:\n{}", hits.join("\n"));
}

#[test]
fn the_lower_layers_stay_below_sockets() {
    for layer in ["pipe", "zmtp", "msg"] {
        let hits = offending(layer, &["crate::socket", "crate::ctx", "crate::ffi"]);
        assert!(hits.is_empty(), "{layer} reaches up:\n{}", hits.join("\n"));
    }
}

#[test]
fn the_check_sees_a_violation() {
    // The checker itself: ctx makes sockets, so it must be seen naming them.
    let hits = offending("ctx", &["crate::socket"]);
    assert!(
        !hits.is_empty(),
        "ctx makes sockets, so it names crate::socket"
    );
}
