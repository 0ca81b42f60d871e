//! The child side: one measurement of one engine, in a process of its own.
//!
//! The parent runs `strata-bench __child TASK ENGINE WASM ARGS...` and reads one line,
//! `RESULT key=value ...`, from its stdout. A failure is an exit code and a message on stderr;
//! a panic or a crash of the engine is just that, so the parent reports it and goes on. Running
//! each measurement in a fresh process also makes the peak memory figure (VmHWM) that
//! measurement's own.

use std::fmt::Write as _;
use std::time::Duration;

use crate::engines;

/// Batches per call-overhead or instantiation figure; the figure is the median batch.
const BATCHES: usize = 5;

/// Runs the task given by `args` (everything after `__child`) and prints its `RESULT` line.
pub fn main(args: &[String]) -> Result<(), String> {
    let [task, engine, path, rest @ ..] = args else {
        return Err("usage: __child TASK ENGINE WASM ARGS...".into());
    };
    let engine = engines::by_name(engine).ok_or_else(|| format!("unknown engine `{engine}`"))?;
    let wasm = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let num = |i: usize| -> Result<u32, String> {
        rest.get(i)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("`{task}`: argument {} missing or not a number", i + 1))
    };
    let mut out = String::from("RESULT");
    match task.as_str() {
        "run" => {
            let (n, warmup, runs) = (num(0)? as i32, num(1)?, num(2)?);
            let (checksum, times) = engine.run(&wasm, n, warmup, runs)?;
            write!(out, " checksum={checksum} times_ns={}", join_ns(&times)).unwrap();
        }
        "compile" => {
            let iters = num(0)?;
            engine.compile(&wasm)?; // warm-up
            let mut times = Vec::new();
            for _ in 0..iters {
                let start = std::time::Instant::now();
                engine.compile(&wasm)?;
                times.push(start.elapsed());
            }
            write!(out, " times_ns={}", join_ns(&times)).unwrap();
        }
        "instantiate" | "host_to_wasm" | "wasm_to_host" => {
            let iters = num(0)?;
            let measure = |iters: u32| match task.as_str() {
                "instantiate" => engine.instantiate(&wasm, iters),
                "host_to_wasm" => engine.host_to_wasm(&wasm, iters),
                _ => engine.wasm_to_host(&wasm, iters),
            };
            measure(iters.div_ceil(10))?; // warm-up
            let mut per_iter = Vec::new();
            for _ in 0..BATCHES {
                per_iter.push(measure(iters)? / iters);
            }
            write!(out, " times_ns={}", join_ns(&per_iter)).unwrap();
        }
        other => return Err(format!("unknown task `{other}`")),
    }
    if let Some(kb) = peak_rss_kb() {
        write!(out, " hwm_kb={kb}").unwrap();
    }
    println!("{out}");
    Ok(())
}

/// `1,2,3`: durations in nanoseconds.
fn join_ns(times: &[Duration]) -> String {
    let ns: Vec<String> = times.iter().map(|t| t.as_nanos().to_string()).collect();
    ns.join(",")
}

/// This process's peak resident set size (`VmHWM` in `/proc/self/status`), in KiB; `None` where
/// there is no procfs.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
