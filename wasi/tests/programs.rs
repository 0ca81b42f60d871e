//! The C programs of `tests/c/`, run through strata (feature `runtime`): each prints
//! "N passed, 0 failed" and exits 0, or the status its test expects. When clang is present, the
//! committed `.wasm` files are first checked to be up to date with their sources.
#![cfg(feature = "runtime")]
#![allow(missing_docs)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use strata_runtime::{Engine, Linker, Module, Store};
use strata_wasi::{exit_status, DirPerms, OutputBuffer, Stdio, WasiCtx, WasiCtxBuilder};

fn c_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c")
}

/// Runs `name.wasm` with the context `b` builds; returns (exit status, stdout).
fn run(name: &str, b: &mut WasiCtxBuilder) -> (u32, String) {
    run_with_args(name, &[], b)
}

/// Runs `name.wasm` with arguments after its name.
fn run_with_args(name: &str, args: &[&str], b: &mut WasiCtxBuilder) -> (u32, String) {
    let out = OutputBuffer::new();
    b.stdout(Stdio::Output(out.clone()))
        .stderr(Stdio::Output(out.clone()));
    b.arg(format!("{name}.wasm")).args(args);
    let bytes = fs::read(c_dir().join(format!("{name}.wasm"))).unwrap();
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).unwrap();
    let mut store = Store::new(&engine, b.build());
    let mut linker = Linker::new(&engine);
    strata_wasi::add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let start = instance.get_typed_func::<(), ()>(&store, "_start").unwrap();
    let status = match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(e) => {
            exit_status(&e).unwrap_or_else(|| panic!("{name}: {e}\n{}", out.to_string_lossy()))
        }
    };
    (status, out.to_string_lossy())
}

fn passes(name: &str, b: &mut WasiCtxBuilder) {
    passes_with_args(name, &[], b);
}

fn passes_with_args(name: &str, args: &[&str], b: &mut WasiCtxBuilder) {
    let (status, out) = run_with_args(name, args, b);
    assert!(out.ends_with(" 0 failed\n"), "{name}:\n{out}");
    assert_eq!(status, 0, "{name}:\n{out}");
}

fn sandbox_builder(tmp: &Path) -> WasiCtxBuilder {
    let dir = tmp.join("sandbox");
    fs::create_dir_all(&dir).unwrap();
    let mut b = WasiCtx::builder();
    b.preopened_dir(&dir, "/sandbox", DirPerms::ReadWrite)
        .unwrap();
    b
}

#[test]
fn wasm_is_up_to_date() {
    let has_clang = std::process::Command::new("clang")
        .arg("--version")
        .output()
        .is_ok();
    if !has_clang {
        eprintln!("clang not found: not rebuilding tests/c/*.wasm");
        return;
    }
    let st = std::process::Command::new("sh")
        .arg(c_dir().join("build.sh"))
        .arg("--check")
        .status()
        .unwrap();
    assert!(
        st.success(),
        "tests/c/*.wasm are out of date: run wasi/tests/c/build.sh"
    );
}

#[test]
fn args_env() {
    let mut b = WasiCtx::builder();
    b.env("GREETING", "hi").env("EMPTY", "");
    passes_with_args("args_env", &["hello", "two words"], &mut b);
}

#[test]
fn clocks_random() {
    passes("clocks_random", &mut WasiCtx::builder());
}

#[test]
fn files() {
    let tmp = tempfile::tempdir().unwrap();
    passes("files", &mut sandbox_builder(tmp.path()));
    assert_eq!(
        fs::read(tmp.path().join("sandbox/lines.txt")).unwrap(),
        b"one\ntwo\n"
    );
}

#[test]
fn dirs() {
    let tmp = tempfile::tempdir().unwrap();
    passes("dirs", &mut sandbox_builder(tmp.path()));
    assert!(tmp.path().join("sandbox/d/g").is_file());
}

#[test]
fn fdops() {
    let tmp = tempfile::tempdir().unwrap();
    passes("fdops", &mut sandbox_builder(tmp.path()));
}

#[test]
fn poll() {
    let mut b = WasiCtx::builder();
    b.stdin(Stdio::Input(b"ready\n".to_vec()));
    passes("poll", &mut b);
}

#[test]
fn sockets() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let client = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"ping").unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        got
    });
    let mut b = WasiCtx::builder();
    b.preopened_socket(listener);
    passes("sockets", &mut b);
    assert_eq!(client.join().unwrap(), b"pong");
}

#[test]
fn exit_code() {
    let (status, out) = run("exit", &mut WasiCtx::builder());
    assert_eq!((status, out.as_str()), (42, "exiting with 42\n"));
    let (status, out) = run("raise", &mut WasiCtx::builder());
    assert_eq!((status, out.as_str()), (143, "raising\n"));
}

#[test]
fn sandbox_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    let mut b = sandbox_builder(p);
    fs::create_dir(p.join("sandbox/sub")).unwrap();
    fs::create_dir(p.join("ro")).unwrap();
    fs::create_dir(p.join("other")).unwrap();
    fs::write(p.join("secret.txt"), b"secret").unwrap();
    fs::write(p.join("sandbox/inside.txt"), b"inside").unwrap();
    fs::write(p.join("ro/data.txt"), b"data").unwrap();
    symlink("../secret.txt", p.join("sandbox/out")).unwrap();
    symlink(p.join("secret.txt"), p.join("sandbox/abs")).unwrap();
    b.preopened_dir(p.join("ro"), "/ro", DirPerms::ReadOnly)
        .unwrap();
    b.preopened_dir(p.join("other"), "/other", DirPerms::ReadWrite)
        .unwrap();
    passes("sandbox", &mut b);
    // Nothing outside changed.
    assert_eq!(fs::read(p.join("secret.txt")).unwrap(), b"secret");
    assert_eq!(fs::read(p.join("ro/data.txt")).unwrap(), b"data");
    let mut outside: Vec<_> = fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    outside.sort();
    assert_eq!(outside, ["other", "ro", "sandbox", "secret.txt"]);
    assert_eq!(fs::read_dir(p.join("other")).unwrap().count(), 0);
}
