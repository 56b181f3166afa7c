//! Traces as JSON Lines (docs/trace-format.md): one line of JSON per trace line, for every
//! protocol (`faultline run --trace`, `faultline check`, the tests' pinned hashes).

use crate::sim::protocol::{Line, Protocol};

/// Writes lines as JSON Lines.
pub fn to_jsonl<'a, P: Protocol>(lines: impl IntoIterator<Item = &'a Line<P>>) -> String {
    let mut out = String::new();
    for line in lines {
        // Serializing these plain data types cannot fail.
        if let Ok(json) = serde_json::to_string(line) {
            out.push_str(&json);
            out.push('\n');
        }
    }
    out
}

/// Reads JSON Lines; the error names the line number and what is wrong with it.
pub fn from_jsonl<P: Protocol>(text: &str) -> Result<Vec<Line<P>>, String> {
    let mut lines = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = serde_json::from_str(raw).map_err(|e| format!("line {}: {e}", n + 1))?;
        lines.push(line);
    }
    Ok(lines)
}
