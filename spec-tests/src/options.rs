//! What to run: suites, engine and file filter, parsed from `spec-run`'s arguments.

use crate::engine::EngineKind;
use crate::suite::{Suite, DEFAULT_SUITES};

/// The selection of a spec run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The suites, in the order given (default: [`DEFAULT_SUITES`]).
    pub suites: Vec<Suite>,
    /// The engine for execution directives.
    pub engine: EngineKind,
    /// Only files whose name contains this substring.
    pub file: Option<String>,
}

/// The usage text for `spec-run`'s arguments.
pub const USAGE: &str = "\
[--suite NAME]... [--engine none|interp|x64] [--file SUBSTR]

  --suite NAME    v1, v2, v3, latest, or a proposal folder (simd, gc, tail-call, ...);
                  repeatable; default: v1, v2, simd
  --engine NAME   engine for assert_return & co. (default: none = skip them)
  --file SUBSTR   only .wast files whose name contains SUBSTR";

impl Default for Options {
    fn default() -> Self {
        Options {
            suites: DEFAULT_SUITES
                .iter()
                .map(|name| Suite::by_name(name).expect("default suites exist"))
                .collect(),
            engine: EngineKind::None,
            file: None,
        }
    }
}

impl Options {
    /// Parses `--suite NAME`, `--engine NAME`, `--file SUBSTR` (also as `--flag=value`).
    pub fn parse<I, S>(args: I) -> Result<Options, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut options = Options {
            suites: Vec::new(),
            ..Options::default()
        };
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_string(), Some(value.to_string()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match flag.as_str() {
                "--suite" => options.suites.push(Suite::by_name(&value()?)?),
                "--engine" => options.engine = value()?.parse()?,
                "--file" => options.file = Some(value()?),
                _ => return Err(format!("unexpected argument `{arg}`")),
            }
        }
        if options.suites.is_empty() {
            options.suites = Options::default().suites;
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags() {
        let o = Options::parse([
            "--suite",
            "v3",
            "--suite=gc",
            "--file",
            "br",
            "--engine=none",
        ])
        .unwrap();
        let names: Vec<_> = o.suites.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["v3", "gc"]);
        assert_eq!(o.file.as_deref(), Some("br"));
        assert_eq!(o.engine, EngineKind::None);

        let o = Options::parse(Vec::<String>::new()).unwrap();
        let names: Vec<_> = o.suites.iter().map(|s| s.name()).collect();
        assert_eq!(names, DEFAULT_SUITES);

        assert!(Options::parse(["--suite", "nope"]).is_err());
        assert!(Options::parse(["--engine", "jvm"]).is_err());
        assert!(Options::parse(["--file"]).is_err());
        assert!(Options::parse(["stray"]).is_err());
    }
}
