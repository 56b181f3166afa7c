#![cfg(not(target_arch = "wasm32"))]
//! No import cycles between the files of `src/`, read from the sources.
//!
//! A file depends on another when it names an item defined there: through `crate::`, `super::`
//! or `self::` paths, or through a child module it declares (`mod x;` then `x::f()`), in `use`
//! trees (nested groups, `self`, aliases) and in expressions. A path that reaches an item a module
//! only re-exports (`pub use x::Y`) is followed to the file that defines it, so a folder's
//! `mod.rs` that declares and re-exports its children is not a dependency of theirs; a `mod.rs`
//! that defines an item its children use, and uses them in turn, is a cycle. `#[cfg(test)]`
//! modules, inline or in files of their own, are not read: they are not part of the library's
//! own structure.
//!
//! Why: a cycle means neither file can be understood, moved or tested without the other. The page
//! had eleven files in one circle (animator → ring stage → state → link → animator).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root (`["ui", "ring", "model"]`).
type ModPath = Vec<String>;

/// Every `.rs` file under `dir`, in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file under `src/` is (`ui/ring/mod.rs` is `ui::ring`, `lib.rs` the root).
fn module_of(relative: &str) -> ModPath {
    let stem = relative.strip_suffix(".rs").unwrap_or(relative);
    let mut parts: ModPath = stem.split('/').map(String::from).collect();
    if parts
        .last()
        .is_some_and(|last| last == "mod" || last == "lib")
    {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The code of `source` with comments removed and string and character literals emptied, so
/// that neither can be read as a path.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !is_ident(chars[i - 1]))
        {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}'), or else a lifetime, kept as is.
            let close = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match close {
                Some(end) => {
                    out.push_str("' '");
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The index just past the `}` that closes the block opened just before `open` (which is the
/// index after a `{`).
fn block_end(code: &str, open: usize) -> usize {
    let mut depth = 1;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// `code` without its `#[cfg(test)] mod name { ... }` blocks.
fn without_test_modules(mut code: String) -> String {
    while let Some(at) = code.find("#[cfg(test)]") {
        let rest = &code[at + "#[cfg(test)]".len()..];
        let trimmed = rest.trim_start();
        let skipped = rest.len() - trimmed.len();
        let Some(after_mod) = trimmed.strip_prefix("mod ") else {
            // A test-only item that is not a module: blank the attribute, keep the item.
            code.replace_range(at..at + "#[cfg(test)]".len(), "");
            continue;
        };
        let name_len = after_mod.chars().take_while(|&c| is_ident(c)).count();
        let tail = after_mod[name_len..].trim_start();
        let start_of_tail = at + "#[cfg(test)]".len() + skipped + 4 + name_len;
        let start_of_tail = start_of_tail + (code[start_of_tail..].len() - tail.len());
        if let Some(body) = tail.strip_prefix('{') {
            let open = code.len() - body.len();
            let end = block_end(&code, open);
            code.replace_range(at..end, "");
        } else {
            // `#[cfg(test)] mod tests;`: a file of its own, which is read on its own.
            code.replace_range(at..start_of_tail, "");
        }
    }
    code
}

/// The modules `code` declares as `#[cfg(test)] mod name;`, kept in files of their own.
fn test_module_files(code: &str) -> Vec<String> {
    code.match_indices("#[cfg(test)]")
        .filter_map(|(at, attr)| {
            let rest = code[at + attr.len()..].trim_start();
            let after = rest.strip_prefix("mod ")?;
            let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
            after[name.len()..]
                .trim_start()
                .starts_with(';')
                .then_some(name)
        })
        .collect()
}

/// The inline (non-test) modules of a file: the byte range of each body and its name.
fn inline_modules(code: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("mod ") {
        let at = from + found;
        from = at + 4;
        if at > 0 && code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let after = &code[at + 4..];
        let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
        let tail = after[name.len()..].trim_start();
        if !name.is_empty() && tail.starts_with('{') {
            let open = code.len() - tail.len() + 1;
            out.push((open, block_end(code, open), name));
        }
    }
    out
}

/// Reads a path segment (an identifier, `*` or `self`) at `i`, skipping white space first.
fn segment(code: &str, i: usize) -> Option<(String, usize)> {
    let rest = &code[i..];
    let trimmed = rest.trim_start();
    let at = i + rest.len() - trimmed.len();
    if trimmed.starts_with('*') {
        return Some(("*".into(), at + 1));
    }
    let name: String = trimmed.chars().take_while(|&c| is_ident(c)).collect();
    (!name.is_empty()).then(|| {
        let end = at + name.len();
        (name, end)
    })
}

fn skip_space(code: &str, i: usize) -> usize {
    let rest = &code[i..];
    i + rest.len() - rest.trim_start().len()
}

/// Expands the `use` tree that starts at `i` into full paths (`a::{b, c::{d, self}}` gives
/// `a::b`, `a::c::d`, `a::c`); returns them and the index after the tree.
fn use_tree(code: &str, mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix: Vec<String> = Vec::new();
    loop {
        i = skip_space(code, i);
        if code[i..].starts_with("::") {
            i += 2;
            continue;
        }
        if code[i..].starts_with('{') {
            i += 1;
            let mut paths = Vec::new();
            loop {
                i = skip_space(code, i);
                if code[i..].starts_with('}') {
                    return (paths, i + 1);
                }
                let (inner, end) = use_tree(code, i);
                for path in inner {
                    let mut full = prefix.clone();
                    if path != ["self"] {
                        full.extend(path);
                    }
                    paths.push(full);
                }
                i = skip_space(code, end);
                if code[i..].starts_with(',') {
                    i += 1;
                } else if code[i..].starts_with('}') {
                    return (paths, i + 1);
                } else {
                    return (paths, i);
                }
            }
        }
        let Some((name, end)) = segment(code, i) else {
            return (vec![prefix], i);
        };
        prefix.push(name);
        i = skip_space(code, end);
        if code[i..].starts_with("::") {
            i += 2;
            continue;
        }
        if code[i..].starts_with("as ") {
            if let Some((_, end)) = segment(code, i + 3) {
                i = end;
            }
        }
        return (vec![prefix], i);
    }
}

/// One source file, read for its module paths.
struct File {
    relative: String,
    module: ModPath,
    code: String,
    inline: Vec<(usize, usize, String)>,
}

impl File {
    fn new(relative: &str, source: &str) -> File {
        let code = without_test_modules(code_only(source));
        let inline = inline_modules(&code);
        File {
            relative: relative.to_string(),
            module: module_of(relative),
            code,
            inline,
        }
    }

    /// The module the code at byte `at` is in (the file's, or an inline module inside it).
    fn module_at(&self, at: usize) -> ModPath {
        let mut module = self.module.clone();
        for (start, end, name) in &self.inline {
            if (*start..*end).contains(&at) {
                module.push(name.clone());
            }
        }
        module
    }
}

/// The crate's files, with what each module re-exports.
struct Crate {
    files: Vec<File>,
    by_module: BTreeMap<ModPath, usize>,
}

impl Crate {
    fn new(sources: &[(String, String)]) -> Crate {
        // Files that are `#[cfg(test)] mod x;` of their parent are test code too.
        let test_modules: Vec<ModPath> = sources
            .iter()
            .flat_map(|(relative, source)| {
                let module = module_of(relative);
                test_module_files(&code_only(source))
                    .into_iter()
                    .map(move |name| {
                        let mut path = module.clone();
                        path.push(name);
                        path
                    })
            })
            .collect();
        let files: Vec<File> = sources
            .iter()
            .filter(|(relative, _)| {
                let module = module_of(relative);
                !test_modules.iter().any(|t| module.starts_with(t))
            })
            .map(|(r, s)| File::new(r, s))
            .collect();
        let by_module = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        Crate { files, by_module }
    }

    fn is_child(&self, module: &[String], name: &str) -> bool {
        let mut child = module.to_vec();
        child.push(name.to_string());
        self.by_module.contains_key(&child)
            || self.files.iter().any(|f| {
                f.inline
                    .iter()
                    .any(|(_, _, n)| n == name && f.module == module)
            })
    }

    /// `path` as seen from `module` made absolute, if it names something in this crate.
    fn absolute(&self, module: &[String], path: &[String]) -> Option<ModPath> {
        let first = path.first()?;
        match first.as_str() {
            "crate" => Some(path[1..].to_vec()),
            "super" | "self" => {
                let mut base = module.to_vec();
                let mut rest = path;
                while let Some(head) = rest.first() {
                    match head.as_str() {
                        "super" => {
                            base.pop();
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                Some(base)
            }
            name if self.is_child(module, name) => {
                let mut full = module.to_vec();
                full.extend(path.iter().cloned());
                Some(full)
            }
            _ => None,
        }
    }

    /// What module file `index` re-exports: name to the absolute path it stands for.
    fn reexports(&self, index: usize) -> BTreeMap<String, ModPath> {
        let file = &self.files[index];
        let mut out = BTreeMap::new();
        let code = &file.code;
        let mut from = 0;
        while let Some(found) = code[from..].find("pub") {
            let at = from + found;
            from = at + 3;
            let mut i = at + 3;
            if code[i..].starts_with('(') {
                match code[i..].find(')') {
                    Some(close) => i += close + 1,
                    None => continue,
                }
            }
            i = skip_space(code, i);
            let Some(tree) = code[i..].strip_prefix("use ") else {
                continue;
            };
            let (paths, _) = use_tree(code, code.len() - tree.len());
            for path in paths {
                if let Some(abs) = self.absolute(&file.module_at(at), &path) {
                    if let Some(name) = abs.last() {
                        out.insert(name.clone(), abs);
                    }
                }
            }
        }
        out
    }

    /// The file that defines what `path` (absolute) names, following re-exports.
    fn defining_file(&self, path: &[String], hops: usize) -> Option<usize> {
        for k in (0..=path.len()).rev() {
            if let Some(&index) = self.by_module.get(&path[..k]) {
                if let Some(name) = path.get(k) {
                    if hops < 16 {
                        if let Some(target) = self.reexports(index).get(name) {
                            if target.as_slice() != path {
                                let mut full = target.clone();
                                full.extend(path[k + 1..].iter().cloned());
                                return self.defining_file(&full, hops + 1);
                            }
                        }
                    }
                }
                return Some(index);
            }
        }
        None
    }

    /// The files each file depends on.
    fn edges(&self) -> Vec<BTreeSet<usize>> {
        self.files
            .iter()
            .enumerate()
            .map(|(me, file)| {
                let mut out = BTreeSet::new();
                let mut add = |at: usize, path: &[String]| {
                    if let Some(abs) = self.absolute(&file.module_at(at), path) {
                        if let Some(target) = self.defining_file(&abs, 0) {
                            if target != me {
                                out.insert(target);
                            }
                        }
                    }
                };
                let code = &file.code;
                for (at, _) in code.match_indices("use ") {
                    if at > 0 && code[..at].chars().next_back().is_some_and(is_ident) {
                        continue;
                    }
                    let (paths, _) = use_tree(code, at + 4);
                    for path in paths {
                        add(at, &path);
                    }
                }
                // Paths in expressions and types: `a::b::c` not preceded by `::` or a letter.
                let bytes = code.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    let starts = (i == 0
                        || !(is_ident(bytes[i - 1] as char) || bytes[i - 1] == b':'))
                        && is_ident(bytes[i] as char);
                    if !starts {
                        i += 1;
                        continue;
                    }
                    let mut path = Vec::new();
                    let mut j = i;
                    while let Some((name, end)) = segment(code, j) {
                        if name == "*" {
                            break;
                        }
                        path.push(name);
                        j = end;
                        if code[j..].starts_with("::") && !code[j + 2..].starts_with('{') {
                            j += 2;
                        } else {
                            break;
                        }
                    }
                    // `a::b::{...}` is a use tree, read above item by item; its prefix alone
                    // names no item.
                    let opens_group = code[j..].starts_with("::{");
                    if path.len() > 1 && !opens_group {
                        add(i, &path);
                    }
                    i = j.max(i + 1);
                }
                out
            })
            .collect()
    }

    /// Every cycle: the strongly connected components of more than one file, each as its files
    /// with the edges between them.
    fn cycles(&self) -> Vec<Vec<String>> {
        let edges = self.edges();
        let components = strongly_connected(&edges);
        components
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|component| {
                let mut lines: Vec<String> = component
                    .iter()
                    .map(|&f| {
                        let to: Vec<&str> = edges[f]
                            .iter()
                            .filter(|t| component.contains(t))
                            .map(|&t| self.files[t].relative.as_str())
                            .collect();
                        format!("{} -> {}", self.files[f].relative, to.join(", "))
                    })
                    .collect();
                lines.sort();
                lines
            })
            .collect()
    }
}

/// Tarjan's strongly connected components of a graph given as adjacency sets.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct Walk<'a> {
        edges: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(w: &mut Walk, v: usize) {
        w.index[v] = Some(w.next);
        w.low[v] = w.next;
        w.next += 1;
        w.stack.push(v);
        w.on_stack[v] = true;
        for &t in w.edges[v].iter() {
            match w.index[t] {
                None => {
                    visit(w, t);
                    w.low[v] = w.low[v].min(w.low[t]);
                }
                Some(i) if w.on_stack[t] => w.low[v] = w.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(w.low[v]) == w.index[v] {
            let mut component = Vec::new();
            while let Some(t) = w.stack.pop() {
                w.on_stack[t] = false;
                component.push(t);
                if t == v {
                    break;
                }
            }
            component.sort_unstable();
            w.out.push(component);
        }
    }
    let n = edges.len();
    let mut walk = Walk {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if walk.index[v].is_none() {
            visit(&mut walk, v);
        }
    }
    walk.out
}

fn crate_of(files: &[(&str, &str)]) -> Crate {
    let sources: Vec<(String, String)> = files
        .iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect();
    Crate::new(&sources)
}

#[test]
fn the_scanner_finds_a_cycle_and_only_a_cycle() {
    // ui/a.rs uses ui/b.rs through a nested group; ui/b.rs names ui/a.rs in an expression.
    let cyclic = crate_of(&[
        ("lib.rs", "pub mod ui;"),
        ("ui/mod.rs", "mod a;\nmod b;\npub use a::Thing;"),
        (
            "ui/a.rs",
            "use crate::{sim, ui::{b::{self, Other}}};\npub struct Thing;",
        ),
        (
            "ui/b.rs",
            "pub struct Other;\nfn f() { let _ = super::a::Thing; }",
        ),
    ]);
    let cycles = cyclic.cycles();
    assert_eq!(
        cycles,
        [vec!["ui/a.rs -> ui/b.rs", "ui/b.rs -> ui/a.rs"]],
        "a two-file cycle"
    );
    // The same two files with b.rs reaching a.rs's item only through the parent's re-export
    // is still a cycle (the re-export is followed); a comment, a string or a test module that
    // names a.rs is not a use.
    let through_reexport = crate_of(&[
        ("lib.rs", "pub mod ui;"),
        ("ui/mod.rs", "mod a;\nmod b;\npub use a::Thing;"),
        ("ui/a.rs", "use super::b::Other;\npub struct Thing;"),
        (
            "ui/b.rs",
            "pub struct Other;\nfn f() -> super::Thing { todo!() }",
        ),
    ]);
    assert_eq!(through_reexport.cycles().len(), 1);
    let acyclic = crate_of(&[
        ("lib.rs", "pub mod ui;"),
        (
            "ui/mod.rs",
            "mod a;\nmod b;\npub use a::Thing;\npub use b::Other;",
        ),
        ("ui/a.rs", "use super::b::Other;\npub struct Thing(Other);"),
        (
            "ui/b.rs",
            "// super::a::Thing in a comment\npub struct Other;\n\
             const S: &str = \"super::a::Thing\";\n\
             #[cfg(test)]\nmod tests { use super::super::a::Thing; }",
        ),
    ]);
    assert!(acyclic.cycles().is_empty(), "{:?}", acyclic.cycles());
    // A child that imports a group from its parent's siblings does not use the parent itself;
    // a test module kept in a file of its own is not read.
    let grouped = crate_of(&[
        ("lib.rs", "pub mod sim;"),
        (
            "sim/mod.rs",
            "mod a;\nmod b;\n#[cfg(test)]\nmod tests;\npub use a::A;\npub use b::B;\n\
             pub fn run() { a::go(); }",
        ),
        (
            "sim/a.rs",
            "use crate::sim::{b::B};\npub struct A;\npub fn go() {}",
        ),
        ("sim/b.rs", "pub struct B;"),
        ("sim/tests.rs", "use super::run;\nuse super::a::A;"),
    ]);
    assert!(grouped.cycles().is_empty(), "{:?}", grouped.cycles());
    // A mod.rs that defines an item its child uses, and uses the child, is a cycle.
    let parent = crate_of(&[
        ("lib.rs", "pub mod sim;"),
        (
            "sim/mod.rs",
            "mod queue;\npub struct Micros;\nfn f() { queue::push(); }",
        ),
        ("sim/queue.rs", "use super::Micros;\npub fn push() {}"),
    ]);
    assert_eq!(parent.cycles().len(), 1);
}

#[test]
fn no_file_of_src_is_in_an_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let sources: Vec<(String, String)> = paths
        .iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&src)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            // src/bin/ holds binaries, crates of their own.
            (!relative.starts_with("bin/")).then(|| {
                let text = std::fs::read_to_string(path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                (relative, text)
            })
        })
        .collect();
    assert!(
        sources.len() > 100,
        "the walk found only {} files",
        sources.len()
    );
    let krate = Crate::new(&sources);
    let cycles = krate.cycles();
    let shown: Vec<String> = cycles.iter().map(|c| c.join("\n  ")).collect();
    assert!(
        cycles.is_empty(),
        "{} import cycles between files of src/:\n  {}",
        cycles.len(),
        shown.join("\n\n  ")
    );
}
