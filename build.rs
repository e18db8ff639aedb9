//! Gives the cdylib libzmq's soname, so programs linked against it record
//! `libzmq.so.5` exactly as they do with the reference library.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libzmq.so.5");
    println!("cargo:rerun-if-changed=build.rs");
}
