//! `faultline check TRACE`: the safety checks over a saved trace.

use crate::sim::check::Checker;
use crate::sim::trace::from_jsonl;

pub fn main(args: &[String]) -> Result<i32, String> {
    let [path] = args else {
        return Err("check takes exactly one argument: the trace file".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let lines = from_jsonl(&text).map_err(|e| format!("{path} {e}"))?;
    let violations = Checker::check_all(&lines);
    println!("checked {} trace lines", lines.len());
    for v in &violations {
        println!("VIOLATION {v}");
    }
    if violations.is_empty() {
        println!("all safety properties hold");
        Ok(0)
    } else {
        Ok(1)
    }
}
