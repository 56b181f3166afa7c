//! The native `faultline` command-line tool (see `faultline --help`).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    restore_sigpipe();
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(faultline::cli::main(&args));
}

/// Rust ignores SIGPIPE, so `faultline fuzz ... | head` would panic in `println!` once `head`
/// exits. A command-line tool should end quietly instead, as `cat` does: restore the default.
#[cfg(all(unix, not(target_arch = "wasm32")))]
fn restore_sigpipe() {
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    // SAFETY: `signal` from the C library, with a valid signal number and the default handler,
    // before any other thread exists.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(all(not(unix), not(target_arch = "wasm32")))]
fn restore_sigpipe() {}

#[cfg(target_arch = "wasm32")]
fn main() {}
