//! Results per file and for a whole run, and their one-line-per-file text form.

use std::collections::BTreeMap;
use std::fmt;

/// A directive that did not behave as the suite expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The directive's 1-based line in the `.wast` file.
    pub line: usize,
    /// The directive's keyword, e.g. `assert_invalid`.
    pub directive: &'static str,
    /// What happened instead, e.g. `module validated, expected "type mismatch"`.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: {}: {}",
            self.line, self.directive, self.message
        )
    }
}

/// The outcome of one `.wast` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// The suite the file belongs to, e.g. `v2`.
    pub suite: String,
    /// The file name, e.g. `br_table.wast`.
    pub file: String,
    /// Directives judged and found as expected.
    pub passed: usize,
    /// Directives judged and found wrong.
    pub failures: Vec<Failure>,
    /// Directives not judged, by skip category.
    pub skipped: BTreeMap<&'static str, usize>,
}

impl FileReport {
    /// An empty report for `suite`/`file`.
    pub fn new(suite: &str, file: &str) -> Self {
        FileReport {
            suite: suite.to_string(),
            file: file.to_string(),
            ..FileReport::default()
        }
    }

    /// Counts one passing directive.
    pub fn pass(&mut self) {
        self.passed += 1;
    }

    /// Records one failing directive.
    pub fn fail(&mut self, line: usize, directive: &'static str, message: impl Into<String>) {
        self.failures.push(Failure {
            line,
            directive,
            message: message.into(),
        });
    }

    /// Counts one skipped directive under `category` (lowercase-hyphenated).
    pub fn skip(&mut self, category: &'static str) {
        *self.skipped.entry(category).or_default() += 1;
    }

    /// The number of skipped directives, all categories together.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Whether nothing failed.
    pub fn is_pass(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for FileReport {
    /// `PASS suite/file (N passed, K skipped)` or the `FAIL` line plus one indented line per
    /// failure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (passed, skipped) = (self.passed, self.skipped_total());
        if self.is_pass() {
            write!(
                f,
                "PASS {}/{} ({passed} passed, {skipped} skipped)",
                self.suite, self.file
            )
        } else {
            write!(
                f,
                "FAIL {}/{} ({passed} passed, {} failed, {skipped} skipped)",
                self.suite,
                self.file,
                self.failures.len()
            )?;
            for failure in &self.failures {
                write!(f, "\n  {failure}")?;
            }
            Ok(())
        }
    }
}

/// Totals over every file of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed.
    pub failed: usize,
    /// Skipped directives by category.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Files with at least one failure, as `suite/file`.
    pub failed_files: Vec<String>,
}

impl Summary {
    /// Adds one file's counts.
    pub fn add(&mut self, report: &FileReport) {
        self.passed += report.passed;
        self.failed += report.failures.len();
        for (category, n) in &report.skipped {
            *self.skipped.entry(category).or_default() += n;
        }
        if !report.is_pass() {
            self.failed_files
                .push(format!("{}/{}", report.suite, report.file));
        }
    }

    /// The number of skipped directives, all categories together.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Whether nothing failed.
    pub fn is_pass(&self) -> bool {
        self.failed == 0
    }
}

impl fmt::Display for Summary {
    /// `spec: N passed, M failed, K skipped`, then `  <category>: <count>` per category.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "spec: {} passed, {} failed, {} skipped",
            self.passed,
            self.failed,
            self.skipped_total()
        )?;
        for (category, n) in &self.skipped {
            write!(f, "\n  {category}: {n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_pass_fail_and_summary() {
        let mut a = FileReport::new("v1", "a.wast");
        a.pass();
        a.skip("needs-engine");
        assert_eq!(a.to_string(), "PASS v1/a.wast (1 passed, 1 skipped)");

        let mut b = FileReport::new("v1", "b.wast");
        b.pass();
        b.fail(
            12,
            "assert_invalid",
            "module validated, expected \"type mismatch\"",
        );
        b.skip("text-format");
        assert_eq!(
            b.to_string(),
            "FAIL v1/b.wast (1 passed, 1 failed, 1 skipped)\n  line 12: assert_invalid: \
             module validated, expected \"type mismatch\""
        );

        let mut s = Summary::default();
        s.add(&a);
        s.add(&b);
        assert_eq!(
            s.to_string(),
            "spec: 2 passed, 1 failed, 2 skipped\n  needs-engine: 1\n  text-format: 1"
        );
        assert_eq!(s.failed_files, ["v1/b.wast"]);
    }
}
