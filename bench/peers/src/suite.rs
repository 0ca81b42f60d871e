//! The benchmark suite: `bench/programs/suite.tsv`, written by `bench/programs/build.sh`.

use std::path::{Path, PathBuf};

/// One program of the suite.
#[derive(Debug, Clone)]
pub struct Benchmark {
    /// Its name (the table's row).
    pub name: String,
    /// The `.wasm` file.
    pub wasm: PathBuf,
    /// The argument of `run(n)`.
    pub n: i32,
    /// `run(n)`'s result from a native build of the same C: every engine must agree.
    pub expected: i64,
}

/// Reads the manifest in `dir` (tab-separated: name, wasm file, n, checksum; `#` comments).
pub fn load(dir: &Path) -> Result<Vec<Benchmark>, String> {
    let path = dir.join("suite.tsv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut suite = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || {
            format!(
                "{}:{}: expected `name wasm n checksum`",
                path.display(),
                i + 1
            )
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, wasm, n, expected] = fields[..] else {
            return Err(bad());
        };
        suite.push(Benchmark {
            name: name.to_string(),
            wasm: dir.join(wasm),
            n: n.parse().map_err(|_| bad())?,
            expected: expected.parse().map_err(|_| bad())?,
        });
    }
    Ok(suite)
}
