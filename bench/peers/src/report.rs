//! What a run measured, and its two renderings: the markdown tables (stdout) and the JSON file.

use std::fmt::Write as _;

use crate::engines::{PEERS, RIVALS};
use crate::json::Json;

/// What one child process reported.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// It ran: its timings (ns), the checksum if it ran a benchmark, its peak RSS.
    Ok {
        /// Each timed run, or each batch's time per iteration, in nanoseconds.
        times_ns: Vec<u64>,
        /// `run(n)`'s result (benchmarks only).
        checksum: Option<i64>,
        /// The child's peak resident set size, KiB.
        hwm_kb: Option<u64>,
    },
    /// It failed: the engine's error, a panic message, a crash or a time-out.
    Err(String),
}

impl Outcome {
    /// The median time in nanoseconds, if it ran.
    pub fn median_ns(&self) -> Option<f64> {
        match self {
            Outcome::Ok { times_ns, .. } if !times_ns.is_empty() => {
                let mut t = times_ns.clone();
                t.sort_unstable();
                let mid = t.len() / 2;
                Some(if t.len() % 2 == 1 {
                    t[mid] as f64
                } else {
                    (t[mid - 1] as f64 + t[mid] as f64) / 2.0
                })
            }
            _ => None,
        }
    }

    fn hwm_kb(&self) -> Option<u64> {
        match self {
            Outcome::Ok { hwm_kb, .. } => *hwm_kb,
            Outcome::Err(_) => None,
        }
    }

    fn error(&self) -> Option<&str> {
        match self {
            Outcome::Err(e) => Some(e),
            Outcome::Ok { .. } => None,
        }
    }
}

/// One benchmark's row: an outcome per engine.
#[derive(Debug, Clone)]
pub struct Row {
    /// The benchmark.
    pub name: String,
    /// Its `n`.
    pub n: i32,
    /// The native build's checksum.
    pub expected: i64,
    /// One per engine, in [`Report::engines`] order.
    pub cells: Vec<Outcome>,
}

impl Row {
    /// Whether engine `e` ran and returned the wrong checksum.
    pub fn wrong(&self, e: usize) -> Option<i64> {
        match self.cells[e] {
            Outcome::Ok {
                checksum: Some(c), ..
            } if c != self.expected => Some(c),
            _ => None,
        }
    }

    /// Engine `e`'s median time in ms, if it ran and was right.
    fn ms(&self, e: usize) -> Option<f64> {
        if self.wrong(e).is_some() {
            return None;
        }
        self.cells[e].median_ns().map(|ns| ns / 1e6)
    }
}

/// One of the figures besides run time.
#[derive(Debug, Clone)]
pub struct Metric {
    /// Its name for `--filter` and the JSON.
    pub key: &'static str,
    /// Its row label in the table.
    pub label: String,
    /// The unit of [`Metric::value`].
    pub unit: &'static str,
    /// Whether a bigger figure is better (throughput) or worse (latency).
    pub higher_is_better: bool,
    /// Turns a median time in ns into the figure shown.
    pub value: fn(f64, &Metric) -> f64,
    /// The wasm size in bytes (for throughput).
    pub bytes: u64,
    /// One per engine.
    pub cells: Vec<Outcome>,
}

impl Metric {
    fn figure(&self, e: usize) -> Option<f64> {
        self.cells[e].median_ns().map(|ns| (self.value)(ns, self))
    }
}

/// Everything a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The command line that made it.
    pub command: String,
    /// Engine names, strata's first.
    pub engines: Vec<String>,
    /// Warm-up runs and timed runs per benchmark.
    pub warmup: u32,
    /// Timed runs per benchmark.
    pub runs: u32,
    /// Whether this was `--quick` (one run each: checks, no timing worth reading).
    pub quick: bool,
    /// The CPU, from `/proc/cpuinfo`.
    pub cpu: String,
    /// One row per benchmark.
    pub rows: Vec<Row>,
    /// The other figures.
    pub metrics: Vec<Metric>,
}

/// Geometric mean.
fn geomean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some((xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp())
}

fn fmt_num(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// `wasmtime-winch` → `winch`, `strata-interp` → `interp`: the ratio columns' names.
fn short(engine: &str) -> &str {
    engine
        .strip_prefix("wasmtime-")
        .or_else(|| engine.strip_prefix("strata-"))
        .unwrap_or(engine)
}

impl Report {
    /// The (strata engine, peer) pairs the ratio columns show: each strata engine against its
    /// rivals of the same kind ([`RIVALS`]) when both ran; when `--engines` leaves no such pair,
    /// every strata engine against every peer.
    fn pairs(&self) -> Vec<(usize, usize)> {
        let index = |name: &str| self.engines.iter().position(|e| e == name);
        let rivals: Vec<(usize, usize)> = RIVALS
            .iter()
            .flat_map(|(st, peers)| peers.iter().map(move |p| (*st, *p)))
            .filter_map(|(st, p)| Some((index(st)?, index(p)?)))
            .collect();
        if !rivals.is_empty() {
            return rivals;
        }
        self.all_pairs()
    }

    /// Every (strata engine, peer) pair of the run.
    fn all_pairs(&self) -> Vec<(usize, usize)> {
        let strata = (0..self.engines.len()).filter(|&e| self.engines[e].starts_with("strata"));
        strata
            .flat_map(|st| {
                (0..self.engines.len())
                    .filter(|&p| PEERS.contains(&self.engines[p].as_str()))
                    .map(move |p| (st, p))
            })
            .collect()
    }

    /// strata's run time over `peer`'s, per benchmark where both ran right.
    fn ratios(&self, strata: usize, peer: usize) -> Vec<f64> {
        self.rows
            .iter()
            .filter_map(|r| Some(r.ms(strata)? / r.ms(peer)?))
            .collect()
    }

    /// The markdown tables and notes.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let pairs = self.pairs();
        let header = |s: &mut String, first: &str| {
            write!(s, "| {first} |").unwrap();
            for e in &self.engines {
                write!(s, " {e} |").unwrap();
            }
            for &(st, p) in &pairs {
                let (st, p) = (&self.engines[st], &self.engines[p]);
                write!(s, " {}/{} |", short(st), short(p)).unwrap();
            }
            s.push_str("\n|---|");
            if first.contains('|') {
                s.push_str("---|");
            }
            for _ in 0..self.engines.len() + pairs.len() {
                s.push_str("---:|");
            }
            s.push('\n');
        };
        let cell = |o: &Outcome, wrong: Option<i64>, figure: Option<f64>| match (o, wrong) {
            (_, Some(_)) => "WRONG".to_string(),
            (Outcome::Err(_), _) => "n/a".to_string(),
            (Outcome::Ok { .. }, None) => figure.map_or("n/a".into(), fmt_num),
        };
        if !self.rows.is_empty() {
            if self.quick {
                s.push_str("Run time (ms, --quick: one run, no warm-up; checks the harness)\n\n");
            } else {
                writeln!(
                    s,
                    "Run time (ms, median of {} runs after {} warm-up; ratios are a strata engine's time over a peer's: < 1 means strata is faster)\n",
                    self.runs, self.warmup
                )
                .unwrap();
            }
            header(&mut s, "benchmark");
            for r in &self.rows {
                write!(s, "| {} |", r.name).unwrap();
                for (e, o) in r.cells.iter().enumerate() {
                    write!(s, " {} |", cell(o, r.wrong(e), r.ms(e))).unwrap();
                }
                for &(st, p) in &pairs {
                    let ratio = r.ms(st).zip(r.ms(p)).map(|(a, b)| a / b);
                    write!(s, " {} |", ratio.map_or("–".into(), |x| format!("{x:.2}"))).unwrap();
                }
                s.push('\n');
            }
            if !pairs.is_empty() {
                s.push_str("| **geomean** |");
                for _ in &self.engines {
                    s.push_str(" |");
                }
                for &(st, p) in &pairs {
                    let g = geomean(&self.ratios(st, p));
                    write!(s, " {} |", g.map_or("–".into(), |x| format!("**{x:.2}**"))).unwrap();
                }
                s.push('\n');
            }
        }
        if !self.metrics.is_empty() {
            s.push_str("\nOther figures (ratios are a strata engine's figure over a peer's; ↑ higher is better, ↓ lower is better)\n\n");
            header(&mut s, "metric | unit");
            for m in &self.metrics {
                let arrow = if m.higher_is_better { "↑" } else { "↓" };
                write!(s, "| {} | {} {arrow} |", m.label, m.unit).unwrap();
                for (e, o) in m.cells.iter().enumerate() {
                    write!(s, " {} |", cell(o, None, m.figure(e))).unwrap();
                }
                for &(st, p) in &pairs {
                    let ratio = m.figure(st).zip(m.figure(p)).map(|(a, b)| a / b);
                    write!(s, " {} |", ratio.map_or("–".into(), |x| format!("{x:.2}"))).unwrap();
                }
                s.push('\n');
            }
        }
        if self
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c.hwm_kb().is_some()))
        {
            s.push_str(
                "\nPeak memory of a run (MiB, VmHWM of the process that ran the benchmark)\n\n",
            );
            write!(s, "| benchmark |").unwrap();
            for e in &self.engines {
                write!(s, " {e} |").unwrap();
            }
            s.push_str("\n|---|");
            for _ in &self.engines {
                s.push_str("---:|");
            }
            s.push('\n');
            for r in &self.rows {
                write!(s, "| {} |", r.name).unwrap();
                for c in &r.cells {
                    let mib = c.hwm_kb().map(|kb| kb as f64 / 1024.0);
                    write!(s, " {} |", mib.map_or("n/a".into(), fmt_num)).unwrap();
                }
                s.push('\n');
            }
        }
        let notes = self.notes();
        if !notes.is_empty() {
            s.push_str("\nNotes\n\n");
            for n in notes {
                writeln!(s, "- {n}").unwrap();
            }
        }
        s
    }

    /// Errors and wrong answers, grouped per engine and message.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for (e, engine) in self.engines.iter().enumerate() {
            let mut wrong = Vec::new();
            for r in &self.rows {
                if let Some(got) = r.wrong(e) {
                    wrong.push(format!("{} (got {got}, want {})", r.name, r.expected));
                }
            }
            if !wrong.is_empty() {
                notes.push(format!("{engine}: WRONG checksum: {}", wrong.join(", ")));
            }
            let cells: Vec<(&str, &Outcome)> = self
                .rows
                .iter()
                .map(|r| (r.name.as_str(), &r.cells[e]))
                .chain(self.metrics.iter().map(|m| (m.key, &m.cells[e])))
                .collect();
            let failed: Vec<(&str, &str)> = cells
                .iter()
                .filter_map(|(name, o)| Some((*name, o.error()?)))
                .collect();
            if failed.is_empty() {
                continue;
            }
            if self.not_available(e) {
                notes.push(format!(
                    "{engine}: not available yet (every measurement failed; first error: {})",
                    failed[0].1
                ));
                continue;
            }
            // one note per distinct message
            let mut messages: Vec<(&str, Vec<&str>)> = Vec::new();
            for (name, msg) in failed {
                match messages.iter_mut().find(|(m, _)| *m == msg) {
                    Some((_, names)) => names.push(name),
                    None => messages.push((msg, vec![name])),
                }
            }
            for (msg, names) in messages {
                notes.push(format!("{engine}: n/a on {}: {msg}", names.join(", ")));
            }
        }
        notes
    }

    /// Every outcome of engine `e`.
    fn outcomes(&self, e: usize) -> impl Iterator<Item = &Outcome> {
        let rows = self.rows.iter().map(move |r| &r.cells[e]);
        rows.chain(self.metrics.iter().map(move |m| &m.cells[e]))
    }

    /// Whether engine `e` is strata's and failed everything: not available yet, so skipped
    /// rather than an error.
    fn not_available(&self, e: usize) -> bool {
        self.engines[e].starts_with("strata") && self.outcomes(e).all(|o| o.error().is_some())
    }

    /// An engine that failed a measurement, not counting a strata engine that is not
    /// available yet.
    pub fn failed_engine(&self) -> Option<&str> {
        (0..self.engines.len())
            .find(|&e| !self.not_available(e) && self.outcomes(e).any(|o| o.error().is_some()))
            .map(|e| self.engines[e].as_str())
    }

    /// Whether an engine that ran returned a wrong checksum.
    pub fn any_wrong(&self) -> bool {
        self.rows
            .iter()
            .any(|r| (0..self.engines.len()).any(|e| r.wrong(e).is_some()))
    }

    /// The JSON file's content.
    pub fn json(&self) -> Json {
        let outcome = |o: &Outcome| -> Vec<(String, Json)> {
            match o {
                Outcome::Ok {
                    times_ns,
                    checksum,
                    hwm_kb,
                } => {
                    let mut v = vec![(
                        "times_ns".to_string(),
                        Json::Arr(times_ns.iter().map(|&t| Json::Int(t as i64)).collect()),
                    )];
                    if let Some(c) = checksum {
                        v.push(("checksum".into(), Json::Int(*c)));
                    }
                    v.push((
                        "peak_rss_kib".into(),
                        hwm_kb.map_or(Json::Null, |k| Json::Int(k as i64)),
                    ));
                    v
                }
                Outcome::Err(e) => vec![("error".into(), Json::str(e.clone()))],
            }
        };
        let rows = self.rows.iter().map(|r| {
            let engines = self.engines.iter().enumerate().map(|(e, name)| {
                let mut fields = vec![
                    ("median_ms".to_string(), Json::opt(r.ms(e))),
                    ("ok".to_string(), Json::Bool(r.ms(e).is_some())),
                ];
                fields.extend(outcome(&r.cells[e]));
                (name.clone(), Json::Obj(fields))
            });
            Json::obj([
                ("name", Json::str(r.name.clone())),
                ("n", Json::Int(r.n.into())),
                ("expected_checksum", Json::Int(r.expected)),
                ("engines", Json::obj(engines)),
            ])
        });
        let metrics = self.metrics.iter().map(|m| {
            let engines = self.engines.iter().enumerate().map(|(e, name)| {
                let mut fields = vec![("value".to_string(), Json::opt(m.figure(e)))];
                fields.extend(outcome(&m.cells[e]));
                (name.clone(), Json::Obj(fields))
            });
            Json::obj([
                ("name", Json::str(m.key)),
                ("label", Json::str(m.label.clone())),
                ("unit", Json::str(m.unit)),
                ("higher_is_better", Json::Bool(m.higher_is_better)),
                ("engines", Json::obj(engines)),
            ])
        });
        let geomeans = Json::obj(self.all_pairs().into_iter().map(|(st, p)| {
            (
                format!("{}/{}", self.engines[st], self.engines[p]),
                Json::opt(geomean(&self.ratios(st, p))),
            )
        }));
        Json::obj([
            ("command", Json::str(self.command.clone())),
            ("cpu", Json::str(self.cpu.clone())),
            ("quick", Json::Bool(self.quick)),
            ("warmup", Json::Int(self.warmup.into())),
            ("runs", Json::Int(self.runs.into())),
            (
                "engines",
                Json::Arr(self.engines.iter().map(|e| Json::str(e.clone())).collect()),
            ),
            ("geomean_time_ratio", geomeans),
            ("benchmarks", Json::Arr(rows.collect())),
            ("metrics", Json::Arr(metrics.collect())),
        ])
    }
}
