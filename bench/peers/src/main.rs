//! `strata-bench`: strata side by side with wasmi and wasmtime (Cranelift and Winch).
//!
//! Runs every program of the suite (`bench/programs/suite.tsv`) on every engine, each in a
//! child process of its own: one warm-up and several timed calls of `run(n)`, each in a fresh
//! instance; the figure is the median, and the checksum must equal the native build's. Then
//! the other figures: compile throughput (eager, on `large.wasm`), instantiation latency,
//! host→wasm and wasm→host call overhead; and the peak RSS of each benchmark's process.
//!
//! Prints markdown tables (stdout; progress goes to stderr) and writes the same as JSON
//! (`target/bench/results.json` by default). A failed measurement shows `n/a` and a note. Exits
//! non-zero when an engine returns a wrong checksum or fails a measurement, except strata
//! failing every one: that is "not available yet" (an engine still being written), not an
//! error of the harness.
//!
//! Usually run through `cargo xtask bench`.

mod child;
mod engines;
mod json;
mod report;
mod suite;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use report::{Metric, Outcome, Report, Row};

const USAGE: &str = "\
usage: strata-bench [options]

  --filter NAME     run only benchmarks and metrics whose name contains NAME (repeatable)
  --quick           one run of each, no warm-up: checks the harness and the checksums
  --runs N          timed runs per benchmark (default 5)
  --warmup N        warm-up runs per benchmark (default 1)
  --engines A,B     engines to run (default: all): strata-interp, strata-x64,
                    wasmi, wasmtime-cranelift, wasmtime-winch; the ratio columns
                    compare interp with wasmi and x64 with winch and cranelift
  --no-metrics      only the run-time benchmarks
  --programs DIR    the suite's folder (default: bench/programs)
  --out FILE        the JSON results (default: target/bench/results.json)
  --timeout SECS    kill a measurement after this long (default 600)";

/// The command line's choices.
struct Options {
    filters: Vec<String>,
    quick: bool,
    runs: u32,
    warmup: u32,
    engines: Vec<String>,
    metrics: bool,
    programs: PathBuf,
    out: PathBuf,
    timeout: Duration,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut o = Options {
            filters: Vec::new(),
            quick: false,
            runs: 5,
            warmup: 1,
            engines: engines::ENGINES.iter().map(|e| e.to_string()).collect(),
            metrics: true,
            programs: root.join("bench/programs"),
            out: root.join("target/bench/results.json"),
            timeout: Duration::from_secs(600),
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("`{arg}` needs a value"))
            };
            let number = |v: String| -> Result<u32, String> {
                v.parse()
                    .map_err(|_| format!("`{arg}`: `{v}` is not a number"))
            };
            match arg.as_str() {
                "--filter" => o.filters.push(value()?),
                "--quick" => o.quick = true,
                "--runs" => o.runs = number(value()?)?.max(1),
                "--warmup" => o.warmup = number(value()?)?,
                "--engines" => {
                    o.engines = value()?.split(',').map(str::to_string).collect();
                    if let Some(bad) = o.engines.iter().find(|e| engines::by_name(e).is_none()) {
                        return Err(format!("unknown engine `{bad}`"));
                    }
                }
                "--no-metrics" => o.metrics = false,
                "--programs" => o.programs = value()?.into(),
                "--out" => o.out = value()?.into(),
                "--timeout" => o.timeout = Duration::from_secs(number(value()?)?.into()),
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        if o.quick {
            o.runs = 1;
            o.warmup = 0;
        }
        Ok(o)
    }

    fn selected(&self, name: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str()))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("__child") {
        return match child::main(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let options = match Options::parse(&args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options, &args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Options, args: &[String]) -> Result<ExitCode, String> {
    let suite = suite::load(&o.programs)?;
    let mut report = Report {
        command: std::iter::once("strata-bench".to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
        engines: o.engines.clone(),
        warmup: o.warmup,
        runs: o.runs,
        quick: o.quick,
        cpu: cpu_model(),
        rows: Vec::new(),
        metrics: Vec::new(),
    };
    let selected: Vec<_> = suite.iter().filter(|b| o.selected(&b.name)).collect();
    for (i, b) in selected.iter().enumerate() {
        let mut cells = Vec::new();
        for engine in &o.engines {
            let params = [b.n.to_string(), o.warmup.to_string(), o.runs.to_string()];
            let outcome = spawn_child(o, "run", engine, &b.wasm, &params);
            eprintln!(
                "[{}/{}] {:<14} {:<19} {}",
                i + 1,
                selected.len(),
                b.name,
                engine,
                describe(&outcome, Some(b.expected))
            );
            cells.push(outcome);
        }
        report.rows.push(Row {
            name: b.name.clone(),
            n: b.n,
            expected: b.expected,
            cells,
        });
    }
    if o.metrics {
        for mut m in metric_specs(o) {
            if !o.selected(m.key) {
                continue;
            }
            let (path, iters) = metric_input(o, m.key);
            m.bytes = std::fs::metadata(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .len();
            if m.key == "compile" {
                m.label = format!(
                    "compile, eager: {} ({} KB)",
                    file_name(&path),
                    m.bytes / 1000
                );
            }
            for engine in &o.engines {
                let outcome = spawn_child(o, m.key, engine, &path, &[iters.to_string()]);
                eprintln!(
                    "[metric] {:<14} {:<19} {}",
                    m.key,
                    engine,
                    describe(&outcome, None)
                );
                m.cells.push(outcome);
            }
            report.metrics.push(m);
        }
    }
    print!("{}", report.markdown());
    if let Some(dir) = o.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&o.out, format!("{}\n", report.json()))
        .map_err(|e| format!("{}: {e}", o.out.display()))?;
    eprintln!("wrote {}", o.out.display());
    Ok(if report.any_wrong() {
        eprintln!("error: an engine returned a wrong checksum");
        ExitCode::FAILURE
    } else if let Some(engine) = report.failed_engine() {
        eprintln!("error: {engine} failed a measurement (see the notes)");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The figures besides run time (their cells are filled in by [`run`]).
fn metric_specs(o: &Options) -> Vec<Metric> {
    let spec = |key, label: &str, unit, higher_is_better, value: fn(f64, &Metric) -> f64| Metric {
        key,
        label: label.to_string(),
        unit,
        higher_is_better,
        value,
        bytes: 0,
        cells: Vec::with_capacity(o.engines.len()),
    };
    vec![
        spec("compile", "compile", "MB/s", true, |ns, m| {
            m.bytes as f64 / 1e6 / (ns / 1e9)
        }),
        spec(
            "instantiate",
            "instantiate: micro/instantiate.wasm (memory, data, table)",
            "µs",
            false,
            |ns, _| ns / 1e3,
        ),
        spec(
            "host-to-wasm",
            "call host→wasm",
            "ns/call",
            false,
            |ns, _| ns,
        ),
        spec(
            "wasm-to-host",
            "call wasm→host",
            "ns/call",
            false,
            |ns, _| ns,
        ),
    ]
}

/// The module a metric measures and its iteration count.
fn metric_input(o: &Options, key: &str) -> (PathBuf, u32) {
    let p = &o.programs;
    match (key, o.quick) {
        ("compile", false) => (p.join("large.wasm"), 5),
        ("compile", true) => (p.join("large.wasm"), 1),
        ("instantiate", false) => (p.join("micro/instantiate.wasm"), 2_000),
        ("instantiate", true) => (p.join("micro/instantiate.wasm"), 10),
        (_, false) => (p.join("micro/calls.wasm"), 2_000_000),
        (_, true) => (p.join("micro/calls.wasm"), 1_000),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// One line of progress for stderr.
fn describe(outcome: &Outcome, expected: Option<i64>) -> String {
    match outcome {
        Outcome::Err(e) => format!("n/a: {e}"),
        Outcome::Ok { checksum, .. } => {
            let median = outcome.median_ns().unwrap_or(0.0);
            let verdict = match (checksum, expected) {
                (Some(c), Some(want)) if *c != want => format!("  WRONG checksum {c}"),
                (Some(_), Some(_)) => "  checksum ok".to_string(),
                _ => String::new(),
            };
            if median >= 1e6 {
                format!("{:.2} ms{verdict}", median / 1e6)
            } else {
                format!("{median:.1} ns{verdict}")
            }
        }
    }
}

/// Runs `strata-bench __child TASK ENGINE WASM PARAMS...` and parses its `RESULT` line.
fn spawn_child(o: &Options, task: &str, engine: &str, wasm: &Path, params: &[String]) -> Outcome {
    let task = task.replace('-', "_");
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return Outcome::Err(format!("cannot find own executable: {e}")),
    };
    let mut child = match Command::new(exe)
        .arg("__child")
        .args([task.as_str(), engine])
        .arg(wasm)
        .args(params)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Outcome::Err(format!("cannot start child: {e}")),
    };
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + o.timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("timed out after {} s", o.timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => break Err(format!("wait: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let status = match status {
        Ok(s) => s,
        Err(e) => return Outcome::Err(e),
    };
    if !status.success() {
        // stderr says why (an error, or a panic message); keep it on one line
        let why: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
            .flat_map(str::split_whitespace)
            .collect();
        let mut why = why.join(" ");
        if let Some((cut, _)) = why.char_indices().nth(300) {
            why.truncate(cut);
            why.push('…');
        }
        return Outcome::Err(if why.is_empty() {
            format!("child failed ({status})")
        } else {
            why
        });
    }
    parse_result(&stdout).unwrap_or_else(|| Outcome::Err(format!("no RESULT line in {stdout:?}")))
}

/// Parses `RESULT key=value ...`.
fn parse_result(stdout: &str) -> Option<Outcome> {
    let line = stdout.lines().find_map(|l| l.strip_prefix("RESULT"))?;
    let (mut times_ns, mut checksum, mut hwm_kb) = (Vec::new(), None, None);
    for field in line.split_whitespace() {
        let (key, value) = field.split_once('=')?;
        match key {
            "times_ns" => {
                times_ns = value
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .ok()?
            }
            "checksum" => checksum = Some(value.parse().ok()?),
            "hwm_kb" => hwm_kb = Some(value.parse().ok()?),
            _ => {}
        }
    }
    Some(Outcome::Ok {
        times_ns,
        checksum,
        hwm_kb,
    })
}

/// The CPU's model name, for the record.
fn cpu_model() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}
