//! A guest for `strata run`'s tests: reads `input.txt` from the preopened directory given as
//! the first argument, lists that directory, writes a report to stdout and to `output.txt`,
//! and exits with the number of lines it read.

use std::fs;
use std::io::Write;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let input = match fs::read_to_string(format!("{dir}/input.txt")) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {dir}/input.txt: {e}");
            std::process::exit(2);
        }
    };
    let mut names: Vec<String> = fs::read_dir(&dir)
        .expect("list the directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let lines = input.lines().count();
    let report = format!(
        "lines: {lines}\nentries: {}\nfirst: {}\n",
        names.join(","),
        input.lines().next().unwrap_or("")
    );
    std::io::stdout().write_all(report.as_bytes()).expect("write stdout");
    fs::write(format!("{dir}/output.txt"), report.as_bytes()).expect("write output.txt");
    if std::env::var("FILEIO_ESCAPE").is_ok() {
        // A sandbox escape attempt: must fail.
        match fs::read_to_string("/etc/passwd") {
            Ok(_) => println!("escape: succeeded"),
            Err(_) => println!("escape: refused"),
        }
    }
    std::process::exit(lines as i32);
}
