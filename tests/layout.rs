#![cfg(not(target_arch = "wasm32"))]
//! The layer rule, read from the sources: each layer uses only the layers below it.
//!
//! ```text
//! cli/  ui/      the command line (native) and the page (wasm32)
//! content/       lessons and widget presets
//! codec/         byte formats: links, the page address, scenario files, the JSON reader
//! sim/           the simulated world: pure, deterministic, no formats, no words
//! ```
//! (`i18n` sits beside them; every layer may use it.) A file breaks the rule when it names a
//! higher layer through `crate::`, through a `crate::{...}` group, or through enough `super::`
//! hops to climb out of its own layer. Comment lines are not read, so docs may mention a layer.

use std::path::{Path, PathBuf};

const LAYERS: [&str; 5] = ["sim", "codec", "content", "cli", "ui"];

/// The layers a file in `layer` must not name.
fn forbidden_for(layer: &str) -> &'static [&'static str] {
    match layer {
        "sim" => &["codec", "content", "cli", "ui"],
        "codec" => &["content", "cli", "ui"],
        "content" => &["cli", "ui"],
        _ => &[],
    }
}

/// Every `.rs` file under `dir`, in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// How many `super::` hops take the module of `file` (relative to `src/`) to the crate root:
/// `sim/mod.rs` is one module deep, `sim/ring/link.rs` three.
fn depth(file: &Path) -> usize {
    let parts = file.components().count();
    let is_mod = file
        .file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
    if is_mod {
        parts - 1
    } else {
        parts
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text
        .bytes()
        .position(|b| !is_ident(b))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first path segment of every item in a `{...}` group that starts `text` (just after the
/// `{`), at the group's top level.
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut level = 0;
    let mut start = true;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' => level += 1,
            b'}' if level == 0 => break,
            b'}' => level -= 1,
            b',' if level == 0 => start = true,
            b if start && is_ident(b) && level == 0 => {
                heads.push(ident(&text[i..]));
                start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The top-level modules `source` names from a file `depth` modules deep.
fn crate_roots_named(source: &str, depth: usize) -> Vec<String> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let before = if at == 0 { b' ' } else { bytes[at - 1] };
        let rest = &code[at..];
        let is_start = !is_ident(before) && before != b':';
        // `crate::x`, or `super::super::x` with as many hops as the file is deep.
        let after_root = if is_start && rest.starts_with("crate::") {
            Some(&rest["crate::".len()..])
        } else if is_start && rest.starts_with("super::") {
            let mut tail = rest;
            let mut hops = 0;
            while let Some(t) = tail.strip_prefix("super::") {
                tail = t;
                hops += 1;
            }
            (hops >= depth).then_some(tail)
        } else {
            None
        };
        if let Some(tail) = after_root {
            if let Some(group) = tail.strip_prefix('{') {
                named.extend(group_heads(group).into_iter().map(String::from));
            } else {
                named.push(ident(tail).to_string());
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    named
}

#[test]
fn the_scanner_sees_every_way_of_naming_a_layer() {
    let source = "use crate::codec::share;\n\
                  use crate::{sim::types::NodeId, content::presets};\n\
                  // crate::ui in a comment is not a use\n\
                  fn f() { super::super::cli::main(&[]); }\n\
                  use super::keys::Skew;";
    let named = crate_roots_named(source, 2);
    assert_eq!(named, ["codec", "sim", "content", "cli"]);
    assert_eq!(depth(Path::new("sim/mod.rs")), 1);
    assert_eq!(depth(Path::new("sim/ring/link.rs")), 3);
    assert_eq!(depth(Path::new("sim/ring/store/mod.rs")), 3);
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    let mut files = 0;
    for layer in LAYERS {
        let forbidden = forbidden_for(layer);
        for path in rust_files(&src.join(layer)) {
            files += 1;
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let relative = path.strip_prefix(&src).expect("a file under src/");
            for root in crate_roots_named(&text, depth(relative)) {
                if forbidden.contains(&root.as_str()) {
                    broken.push(format!("src/{} uses crate::{root}", relative.display()));
                }
            }
        }
    }
    assert!(files > 100, "the walk found only {files} files under src/");
    broken.sort();
    broken.dedup();
    assert!(
        broken.is_empty(),
        "a layer uses one above it (sim < codec < content < cli, ui):\n{}",
        broken.join("\n")
    );
}
