//! The web app's entry point; Trunk builds it for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    faultline::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("faultline-web is the browser app: build it with `trunk build` (see README.md).");
    std::process::exit(2);
}
