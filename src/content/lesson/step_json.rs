//! The parts of a live lesson's steps and goals that every live mode reads alike
//! (`{"set": {...}}`, `{"wait_ms": 1000}`, `"node": 2`, `"groups": [[1, 2], [3]]`, a goal's
//! name and `count`), so that the modes' readers ([`super::retransmit`], [`super::twopc`],
//! [`super::paxos`]) differ only in their own fields, actions and goals, and say the same
//! thing about the same mistake.

use super::retransmit::WAIT_MS_MAX;
use crate::codec::json::Json;
use crate::sim::types::{Micros, NodeId, MICROS_PER_MS};

/// A step's object: its line, for every error.
pub(super) struct StepJson<'a> {
    pub j: &'a Json,
    /// What the step is called in errors ("a two-phase commit step").
    pub what: &'static str,
}

impl<'a> StepJson<'a> {
    pub fn err(&self, e: impl std::fmt::Display) -> String {
        format!("line {}: {e}", self.j.line)
    }

    /// Refuses any member not in `known`.
    pub fn known(&self, known: &[&str]) -> Result<(), String> {
        for (k, _) in self.j.members().unwrap_or_default() {
            if !known.contains(&k.as_str()) {
                return Err(self.err(format!("unknown field `{k}` in {}", self.what)));
            }
        }
        Ok(())
    }

    /// The `set` object, its members checked against `fields` (`None`: no `set`).
    pub fn set(&self, fields: &[&str]) -> Option<Result<SetJson<'a>, String>> {
        let set = self.j.get("set")?;
        Some((|| {
            let members = set
                .members()
                .ok_or_else(|| self.err("`set` must be an object"))?;
            for (k, _) in members {
                if !fields.contains(&k.as_str()) {
                    return Err(self.err(format!(
                        "set: unknown field `{k}` (expected one of {})",
                        fields.join(", ")
                    )));
                }
            }
            Ok(SetJson {
                set,
                line: self.j.line,
            })
        })())
    }

    /// `wait_ms`, 1 to [`WAIT_MS_MAX`], in microseconds (`None`: no `wait_ms`).
    pub fn wait_us(&self) -> Option<Result<Micros, String>> {
        let v = self.j.get("wait_ms")?;
        Some(
            v.as_u64()
                .filter(|ms| (1..=WAIT_MS_MAX).contains(ms))
                .map(|ms| ms * MICROS_PER_MS)
                .ok_or_else(|| self.err(format!("wait_ms must be 1 to {WAIT_MS_MAX}"))),
        )
    }

    /// `action`, if it is a string.
    pub fn action(&self) -> Option<&'a str> {
        self.j.get("action").and_then(Json::as_str)
    }

    /// `node`, a node number.
    pub fn node(&self) -> Result<NodeId, String> {
        self.j
            .get("node")
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(NodeId)
            .ok_or_else(|| self.err("`node` must be a node number"))
    }

    /// `groups`, a list of lists of node numbers.
    pub fn groups(&self) -> Result<Vec<Vec<NodeId>>, String> {
        let bad = || self.err("`groups` must be a list of lists of node numbers");
        let groups = self
            .j
            .get("groups")
            .and_then(Json::as_array)
            .ok_or_else(bad)?;
        groups
            .iter()
            .map(|g| {
                g.as_array()
                    .ok_or_else(bad)?
                    .iter()
                    .map(|n| {
                        n.as_u64()
                            .and_then(|n| u32::try_from(n).ok())
                            .filter(|n| *n > 0)
                            .map(NodeId)
                            .ok_or_else(bad)
                    })
                    .collect()
            })
            .collect()
    }
}

/// A step's `set` object.
pub(super) struct SetJson<'a> {
    set: &'a Json,
    line: u32,
}

impl SetJson<'_> {
    fn err(&self, e: String) -> String {
        format!("line {}: {e}", self.line)
    }

    /// A whole number, if given.
    pub fn number(&self, key: &str) -> Result<Option<u64>, String> {
        match self.set.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.err(format!("set.{key} must be a whole number"))),
        }
    }

    /// A whole number that fits 32 bits, if given.
    pub fn small(&self, key: &str) -> Result<Option<u32>, String> {
        self.number(key)?
            .map(|v| u32::try_from(v).map_err(|_| self.err(format!("set.{key} is too large"))))
            .transpose()
    }

    /// `true` or `false`, if given.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, String> {
        match self.set.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.err(format!("set.{key} must be true or false"))),
        }
    }

    /// One of `words`, by its index, if given.
    pub fn choice(&self, key: &str, words: &[&str]) -> Result<Option<usize>, String> {
        match self.set.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(|w| words.iter().position(|x| *x == w))
                .map(Some)
                .ok_or_else(|| self.err(format!("set.{key} is {}", words.join(" or ")))),
        }
    }
}

/// A goal's object: its `goal` name, and its `count` where it takes one.
pub(super) struct GoalJson<'a> {
    pub name: &'a str,
    j: &'a Json,
}

impl<'a> GoalJson<'a> {
    /// Reads the `goal` name; the error names the line.
    pub fn of(j: &'a Json) -> Result<GoalJson<'a>, String> {
        let name = j
            .get("goal")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("line {}: `goal` must be a string", j.line))?;
        Ok(GoalJson { name, j })
    }

    /// `count`, a positive whole number; 1 when left out.
    pub fn count(&self) -> Result<u32, String> {
        match self.j.get("count") {
            None => Ok(1),
            Some(v) => v
                .as_u64()
                .filter(|c| *c > 0)
                .and_then(|c| u32::try_from(c).ok())
                .ok_or(format!(
                    "line {}: goal `{}` needs a positive `count`",
                    self.j.line, self.name
                )),
        }
    }

    /// The error for a name the mode does not know: `what` is the mode's goals ("Paxos").
    pub fn unknown(&self, what: &str, names: &[&str]) -> String {
        format!(
            "line {}: unknown {what} goal `{}` (expected one of {})",
            self.j.line,
            self.name,
            names.join(", ")
        )
    }
}
