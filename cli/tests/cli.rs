//! The `strata` binary as a user sees it: exit codes and messages.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn strata(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(args)
        .output()
        .expect("run strata")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn validate_accepts_a_valid_text_module() {
    let out = strata(&["validate", fixture("add.wat").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("add.wat: valid\n"));
}

#[test]
fn validate_rejects_an_invalid_module_with_one_line() {
    let out = strata(&["validate", fixture("invalid.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("type mismatch"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn validate_names_the_offset_of_a_malformed_module() {
    let out = strata(&["validate", fixture("truncated.wasm").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("malformed module at offset 0x"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = strata(&["validate", "/nonexistent/x.wasm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: cannot read /nonexistent/x.wasm"));
}

#[test]
fn inspect_lists_sections_and_exports() {
    let out = strata(&["inspect", fixture("add.wat").to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains(" type ("), "{s}");
    assert!(s.contains(" code ("), "{s}");
    assert!(s.contains("  add: func 0"), "{s}");
    assert!(s.contains("functions: 0 imported, 1 defined"), "{s}");
}

#[test]
fn inspect_ir_prints_the_translated_function() {
    let out = strata(&[
        "inspect",
        fixture("add.wat").to_str().unwrap(),
        "--ir",
        "add",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("i32.add dst=s0, lhs=s0, rhs=s1"), "{s}");
    assert!(s.contains("return"), "{s}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let out = strata(&["validate", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unexpected argument"));
}

fn examples(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn run_prints_hello_world() {
    for file in ["hello.wasm", "hello.wat"] {
        let out = strata(&["run", &examples(file)]);
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "Hello, world!\n", "{file}");
    }
}

#[test]
fn run_a_rust_program_with_a_preopened_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("input.txt"), "one\ntwo\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "").unwrap();
    let mapping = format!("{}::/data", dir.path().display());
    let guest = fixture("../guests/fileio.wasm");
    let out = strata(&[
        "run",
        "--dir",
        &mapping,
        "--env",
        "FILEIO_ESCAPE=1",
        guest.to_str().unwrap(),
        "/data",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("lines: 2\n"), "{stdout}");
    assert!(stdout.contains("entries: b.txt,input.txt\n"), "{stdout}");
    assert!(stdout.contains("first: one\n"), "{stdout}");
    assert!(stdout.contains("escape: refused"), "{stdout}");
    let written = std::fs::read_to_string(dir.path().join("output.txt")).unwrap();
    assert!(written.starts_with("lines: 2\n"), "{written}");
}

#[test]
fn run_without_the_dir_cannot_read_files() {
    let guest = fixture("../guests/fileio.wasm");
    let out = strata(&["run", guest.to_str().unwrap(), "/data"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /data/input.txt"));
}

#[test]
fn a_trap_exits_134_with_message_and_backtrace() {
    let out = strata(&["run", fixture("trap.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(134));
    let err = text(&out.stderr);
    assert!(err.contains("integer divide by zero"), "{err}");
    assert!(err.contains("wasm backtrace"), "{err}");
    assert!(err.contains("divide"), "{err}");
    assert!(err.contains("compute"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn proc_exit_sets_the_exit_status() {
    let out = strata(&["run", fixture("exit7.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn a_missing_import_is_a_one_line_error() {
    let out = strata(&["run", fixture("needs_import.wat").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown import"), "{err}");
    assert!(err.contains("env") && err.contains("missing"), "{err}");
}

#[test]
fn trap_unknown_imports_defines_missing_imports_as_traps() {
    let file = fixture("hooks.wat");
    let file = file.to_str().unwrap();
    let out = strata(&["run", "--invoke", "run", file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown import"));

    let out = strata(&["run", "--trap-unknown-imports", "--invoke", "run", file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "42\n");

    let out = strata(&[
        "run",
        "--trap-unknown-imports",
        "--invoke",
        "call_hook",
        file,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("`env::hook` was called"), "{err}");
}

#[test]
fn a_reactors_initialize_runs_before_the_invoked_export() {
    let out = strata(&[
        "run",
        "--invoke",
        "get",
        fixture("reactor.wat").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "5\n");
}

#[test]
fn invoke_prints_results() {
    let file = fixture("add.wat");
    let out = strata(&["run", "--invoke", "add", file.to_str().unwrap(), "40", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "42\n");
    let out = strata(&["run", "--invoke", "add", file.to_str().unwrap(), "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("takes 2 argument(s), 1 given"));
    let out = strata(&["run", "--invoke", "nope", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no exported function `nope`"));
}

#[test]
fn a_malformed_module_is_rejected_before_running() {
    let out = strata(&["run", fixture("truncated.wasm").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("malformed module at offset"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn completions_are_generated() {
    let out = strata(&["completions", "bash"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("_strata()"), "{s}");
    assert!(s.contains("--invoke"), "{s}");
}

#[test]
fn help_lists_the_commands() {
    let out = strata(&["--help"]);
    assert!(out.status.success());
    let s = text(&out.stdout);
    for cmd in ["run", "validate", "inspect", "completions"] {
        assert!(s.contains(cmd), "{s}");
    }
}

// ---- embedding controls: --fuel, --timeout, --max-memory, the compiled-module cache ----

fn run_spin(extra: &[&str]) -> (Output, std::time::Duration) {
    let cache = tempfile::tempdir().unwrap();
    let spin = fixture("spin.wat");
    let mut args = vec!["run", "--cache-dir", cache.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(spin.to_str().unwrap());
    let start = std::time::Instant::now();
    let out = strata(&args);
    (out, start.elapsed())
}

#[test]
fn fuel_stops_an_infinite_loop() {
    let (out, _) = run_spin(&["--fuel", "1000000"]);
    assert_eq!(out.status.code(), Some(134), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("wasm trap: all fuel consumed by WebAssembly"),
        "{err}"
    );
}

#[test]
fn timeout_stops_an_infinite_loop() {
    let (out, elapsed) = run_spin(&["--timeout", "200ms"]);
    assert_eq!(out.status.code(), Some(134), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("wasm trap: interrupted"), "{err}");
    assert!(
        elapsed >= std::time::Duration::from_millis(200),
        "{elapsed:?}"
    );
    assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn bad_durations_and_sizes_are_usage_errors() {
    let (out, _) = run_spin(&["--timeout", "10 parsecs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown duration unit"));
    let (out, _) = run_spin(&["--max-memory", "lots"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_memory_bomb_meets_max_memory() {
    let bomb = fixture("bomb.wat");
    let out = strata(&[
        "run",
        "--no-cache",
        "--max-memory",
        "1MiB",
        "--invoke",
        "bomb",
        bomb.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "16\n");
    // A memory whose initial size is over the limit fails instantiation with one line.
    let out = strata(&[
        "run",
        "--no-cache",
        "--max-memory",
        "1000",
        "--invoke",
        "bomb",
        bomb.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("refused by the resource limiter"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn the_cache_is_used_and_a_corrupt_entry_is_rewritten() {
    let cache = tempfile::tempdir().unwrap();
    let add = fixture("add.wat");
    let run = || {
        strata(&[
            "run",
            "--cache-dir",
            cache.path().to_str().unwrap(),
            "--invoke",
            "add",
            add.to_str().unwrap(),
            "2",
            "3",
        ])
    };
    let out = run();
    assert_eq!(text(&out.stdout), "5\n", "{}", text(&out.stderr));
    let entries: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    let good = std::fs::read(entry).unwrap();
    assert!(good.starts_with(b"\0strata\x01"));
    // Cached run.
    assert_eq!(text(&run().stdout), "5\n");
    // Corrupt (a flipped bit), truncated, and garbage entries are refused, never fatal, and
    // rewritten.
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    for bad in [
        flipped,
        good[..good.len() / 2].to_vec(),
        b"garbage".to_vec(),
    ] {
        std::fs::write(entry, &bad).unwrap();
        let out = run();
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "5\n");
        assert_eq!(std::fs::read(entry).unwrap(), good);
    }
    // --no-cache neither reads nor writes.
    std::fs::remove_file(entry).unwrap();
    let out = strata(&[
        "run",
        "--no-cache",
        "--invoke",
        "add",
        add.to_str().unwrap(),
        "2",
        "3",
    ]);
    assert_eq!(text(&out.stdout), "5\n");
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

// ---- engines: --engine interp|x64|auto, inspect --asm ----

/// Runs `strata run --no-cache --engine ENGINE [extra] FILE [args]` with `stdin` piped in.
fn run_on(engine: &str, extra: &[&str], file: &str, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["run", "--no-cache", "--engine", engine])
        .args(extra)
        .arg(file)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run strata");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn wasi_c(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../wasi/tests/c")
        .join(format!("{name}.wasm"))
        .to_string_lossy()
        .into_owned()
}

/// A WASI test program: name, extra options, arguments, stdin, expected exit status.
type Case = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [u8],
    i32,
);

#[test]
fn interp_and_x64_run_the_wasi_programs_alike() {
    let cases: &[Case] = &[
        (
            "args_env",
            &["--env", "GREETING=hi", "--env", "EMPTY="],
            &["hello", "two words"],
            b"",
            0,
        ),
        ("clocks_random", &[], &[], b"", 0),
        ("files", &["--dir", "SANDBOX::/sandbox"], &[], b"", 0),
        ("dirs", &["--dir", "SANDBOX::/sandbox"], &[], b"", 0),
        ("fdops", &["--dir", "SANDBOX::/sandbox"], &[], b"", 0),
        ("poll", &[], &[], b"ready\n", 0),
        ("exit", &[], &[], b"", 42),
        ("raise", &[], &[], b"", 143),
    ];
    for &(name, extra, args, stdin, status) in cases {
        let mut outputs = Vec::new();
        for engine in ["interp", "x64"] {
            let tmp = tempfile::tempdir().unwrap();
            let sandbox = tmp.path().join("sandbox");
            std::fs::create_dir(&sandbox).unwrap();
            let extra: Vec<String> = extra
                .iter()
                .map(|a| a.replace("SANDBOX", sandbox.to_str().unwrap()))
                .collect();
            let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
            let out = run_on(engine, &extra, &wasi_c(name), args, stdin);
            let stdout = text(&out.stdout);
            assert_eq!(
                out.status.code(),
                Some(status),
                "{name} on {engine}: {stdout}{}",
                text(&out.stderr)
            );
            if status == 0 {
                assert!(
                    stdout.ends_with(" 0 failed\n"),
                    "{name} on {engine}: {stdout}"
                );
            }
            outputs.push((stdout, text(&out.stderr)));
        }
        assert_eq!(outputs[0], outputs[1], "{name}: interp vs x64");
    }
    let hello: Vec<String> = ["interp", "x64", "auto"]
        .iter()
        .map(|e| text(&run_on(e, &[], &examples("hello.wasm"), &[], b"").stdout))
        .collect();
    assert_eq!(hello, ["Hello, world!\n"; 3]);
}

/// A Go program (`tests/guests/go/main.go`, built by its `build.sh` with Go's wasip1 port):
/// goroutines, timers through `poll_oneoff`, the garbage collector, the standard library and
/// files in a preopened directory give the output Go gives natively, on both engines.
#[test]
fn a_go_program_runs_alike_on_both_engines() {
    let guest = fixture("../guests/go.wasm");
    let expected = std::fs::read_to_string(fixture("../guests/go/expected.stdout")).unwrap();
    for engine in ["interp", "x64"] {
        let dir = tempfile::tempdir().unwrap();
        let mapping = format!("{}::/data", dir.path().display());
        let out = run_on(
            engine,
            &["--dir", &mapping, "--env", "FOO=bar"],
            guest.to_str().unwrap(),
            &["a", "b"],
            b"one two\nthree\n",
        );
        assert_eq!(
            out.status.code(),
            Some(3),
            "{engine}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), expected, "{engine}");
        let written = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
        assert_eq!(written, "written by go\n", "{engine}");
    }
}

#[test]
fn a_trap_on_x64_has_the_message_and_backtrace() {
    let trap = fixture("trap.wat");
    let x64 = run_on("x64", &[], trap.to_str().unwrap(), &[], b"");
    assert_eq!(x64.status.code(), Some(134));
    let err = text(&x64.stderr);
    assert!(err.contains("wasm trap: integer divide by zero"), "{err}");
    assert!(err.contains("wasm backtrace"), "{err}");
    let divide = err.find("divide").unwrap();
    let compute = err.find("compute").unwrap();
    assert!(divide < compute, "innermost frame first: {err}");
    let interp = run_on("interp", &[], trap.to_str().unwrap(), &[], b"");
    assert_eq!(text(&interp.stderr), err);
}

#[test]
fn invoke_and_fuel_agree_on_both_engines() {
    let add = fixture("add.wat");
    for engine in ["interp", "x64", "auto"] {
        let out = run_on(
            engine,
            &["--invoke", "add"],
            add.to_str().unwrap(),
            &["40", "2"],
            b"",
        );
        assert_eq!(text(&out.stdout), "42\n", "{engine}: {}", text(&out.stderr));
        let spin = fixture("spin.wat");
        let out = run_on(
            engine,
            &["--fuel", "100000"],
            spin.to_str().unwrap(),
            &[],
            b"",
        );
        assert_eq!(out.status.code(), Some(134), "{engine}");
        assert!(text(&out.stderr).contains("all fuel consumed by WebAssembly"));
    }
    let out = strata(&["run", "--engine", "wasmtime", add.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("interp, x64, auto"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn inspect_asm_prints_the_machine_code_with_ir_boundaries() {
    let trap = fixture("trap.wat");
    let out = strata(&["inspect", trap.to_str().unwrap(), "--asm", "compute"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.starts_with("; ") && s.contains(" bytes of x86_64 code\n"),
        "{s}"
    );
    assert!(s.contains("\n; prologue\n"), "{s}");
    assert!(s.contains("\n; ir 0: "), "{s}");
    assert!(s.contains("\n; out of line\n"), "{s}");
    // The call to `divide` (function 0) is named, and every other line is `offset  instruction`.
    assert!(s.contains("  call func 0\n"), "{s}");
    assert!(s.contains("  ret\n"), "{s}");
    let mut last = None;
    for line in s.lines().filter(|l| !l.starts_with(';')) {
        let (offset, asm) = line.trim_start().split_once("  ").expect(line);
        let offset = u32::from_str_radix(offset, 16).expect(line);
        assert!(last < Some(offset), "offsets increase: {s}");
        assert!(!asm.is_empty() && !asm.contains("(bad)"), "{line}");
        last = Some(offset);
    }
    // By index too (function 0 is `divide`: its `i32.div_s` checks for zero).
    let out = strata(&["inspect", trap.to_str().unwrap(), "--asm", "0"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("; ir 0: i32.div_s"),
        "{}",
        text(&out.stdout)
    );
    // Unknown and imported functions are one-line errors.
    let out = strata(&["inspect", trap.to_str().unwrap(), "--asm", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no function named nope"));
    let imp = fixture("needs_import.wat");
    let out = strata(&["inspect", imp.to_str().unwrap(), "--asm", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is imported and has no body"));
}

/// `inspect --asm` compiles as `run` does: the hot locals of a function with more of them than
/// registers live in `r14` and `r15` too when the module has no memory, in `r15` (not `r14`,
/// memory 0's base) with a guarded memory, and in neither with a 64-bit memory (checked code).
#[test]
fn inspect_asm_shows_the_registers_the_module_frees() {
    // Local 0 counts down the loop; locals 1..=10 are the hot i64s.
    let locals: String = (0..10).map(|_| "(local i64) ").collect();
    let body: String = (1..=10)
        .map(|k| {
            format!(
                "(local.set {k} (i64.add (local.get {k}) (local.get {})))",
                k % 10 + 1
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let asm_with = |memory: &str| {
        let path = dir.path().join("pins.wat");
        let wat = format!(
            "(module {memory} (func (export \"f\") (param i32) {locals}
               (loop $l {body} (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"
        );
        std::fs::write(&path, wat).unwrap();
        let out = strata(&["inspect", path.to_str().unwrap(), "--asm", "f"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let s = text(&out.stdout);
        // The loop's arithmetic: `add` lines naming each register as an operand.
        let adds = |r: &str| {
            s.lines()
                .filter(|l| l.contains(" add ") && !l.contains('['))
                .any(|l| l.contains(&format!(" {r},")) || l.ends_with(&format!(" {r}")))
        };
        (adds("r14"), adds("r15"), s)
    };
    let (r14, r15, s) = asm_with("");
    assert!(r14 && r15, "no memory: r14 and r15 pinned\n{s}");
    let (r14, r15, s) = asm_with("(memory 1)");
    assert!(!r14 && r15, "guarded memory: r15 pinned, r14 the base\n{s}");
    let (r14, r15, s) = asm_with("(memory i64 1)");
    assert!(!r14 && !r15, "64-bit memory: checked code keeps both\n{s}");
}
