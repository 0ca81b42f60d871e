//! Runs the default suites (v1, v2, simd) with no engine and requires zero failures.

use strata_spec_tests::{run, Options};

#[test]
fn default_suites_pass() {
    let options = Options::default();
    let mut out = Vec::new();
    let summary = run(&options, &mut out).expect("writing to a Vec cannot fail");
    let text = String::from_utf8(out).expect("the report is UTF-8");
    // Print only the failing files and the summary, to keep the log readable.
    for line in text.lines() {
        if !line.starts_with("PASS ") {
            println!("{line}");
        }
    }
    assert!(
        summary.is_pass(),
        "{} spec directive(s) failed in: {}",
        summary.failed,
        summary.failed_files.join(", ")
    );
}
