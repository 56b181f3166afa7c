//! The native `faultline` command-line tool (see `faultline --help`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(faultline::cli::main(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
