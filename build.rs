//! Gives the cdylib libzmq's soname, so programs linked against it record
//! `libzmq.so.5` exactly as they do with the reference library; links the
//! system libsodium when it is there (CURVE's cipher for large boxes, see
//! src/io/sodium.rs), else CURVE uses RustCrypto only.
use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libzmq.so.5");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(monocoque_sodium)");
    println!("cargo:rerun-if-env-changed=MONOCOQUE_NO_SODIUM");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    // Feature `sodium` (default) asks for libsodium; MONOCOQUE_NO_SODIUM=1
    // or its absence (a warning) leaves RustCrypto alone. Miri calls no C.
    if std::env::var_os("CARGO_FEATURE_SODIUM").is_none()
        || std::env::var_os("MONOCOQUE_NO_SODIUM").is_some_and(|v| v != "0")
        || std::env::var_os("CARGO_CFG_MIRI").is_some()
    {
        return;
    }
    match find_sodium() {
        Some(dirs) => {
            for d in dirs {
                println!("cargo:rustc-link-search=native={d}");
            }
            println!("cargo:rustc-link-lib=dylib=sodium");
            println!("cargo:rustc-cfg=monocoque_sodium");
        }
        None => println!(
            "cargo:warning=libsodium not found (Debian: apt-get install libsodium-dev): CURVE uses RustCrypto only"
        ),
    }
}

/// The library directories to search: pkg-config's (`libsodium.pc`) when
/// pkg-config is installed, else none if `libsodium.so` sits in a standard
/// directory the linker searches anyway; None when neither finds it.
fn find_sodium() -> Option<Vec<String>> {
    if let Ok(out) = Command::new("pkg-config")
        .args(["--libs-only-L", "libsodium"])
        .output()
    {
        if out.status.success() {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            return Some(
                text.split_whitespace()
                    .filter_map(|f| f.strip_prefix("-L"))
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let multiarch = format!("/usr/lib/{arch}-{os}-gnu");
    [
        multiarch.as_str(),
        "/usr/lib",
        "/usr/lib64",
        "/lib",
        "/usr/local/lib",
    ]
    .iter()
    .any(|d| Path::new(d).join("libsodium.so").exists())
    .then(Vec::new)
}
