//! `cargo run -p xtask -- <task>`; see `cargo run -p xtask -- help`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo run -p xtask -- scopes [--shared DIR] [--check]

tasks:
  scopes   regenerate runtime/src/generated/scopes.rs and spec/src/generated/catalogue.rs from
           DIR/graph-permissions/{permissions,permissions-descriptions}.json

options:
  --shared DIR   the shared data folder (default: ../shared next to the workspace)
  --check        write nothing; fail if a generated file is out of date";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("scopes") => scopes(args),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
        None => Err(format!("no task given\n\n{USAGE}")),
    }
}

fn scopes(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut shared = None;
    let mut check = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--shared" => {
                let dir = args.next().ok_or("--shared needs a directory")?;
                shared = Some(PathBuf::from(dir));
            }
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let shared = shared.unwrap_or_else(xtask::default_shared_dir);
    let generated = xtask::generate_scopes(&shared)?;
    println!("read {}", shared.join("graph-permissions").display());
    println!("{}", generated.summary);

    let root = xtask::workspace_root();
    let mut stale = Vec::new();
    for (relative, contents) in generated.files() {
        let path = root.join(relative);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(contents) {
            println!("{relative}: up to date");
        } else if check {
            stale.push(relative);
        } else {
            // Written only when changed, so other crates are not rebuilt for nothing.
            std::fs::write(&path, contents)
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            println!("{relative}: written");
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "out of date: {}; run `cargo run -p xtask -- scopes`",
            stale.join(", ")
        ))
    }
}
