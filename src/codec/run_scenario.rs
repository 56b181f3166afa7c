//! Scenario files of engine runs other than Raft's (retransmission, two-phase commit): the
//! run's settings by name, and its timed actions, as JSON (docs/scenario-format.md, "Other
//! protocols"). `faultline run --protocol P --scenario FILE` plays one, and `--save-scenario`
//! writes the run it made (its fault schedule included), so a run found on the command line
//! can be replayed, shared and read.
//!
//! The settings are the ones the protocol's share link flattens to numbers
//! ([`super::run_link::LinkFormat`]); this module adds a name to each number
//! ([`SettingName`]), so the file and the link cannot disagree on what a setting is or how
//! far it may go: the link's `max_value` and the simulation's `validate` check both. The
//! faults every engine protocol shares are read and written here ([`super::fault_json`]); each
//! protocol adds its own actions.

use super::fault_json;
use super::json::{self, at_line, Json};
use super::run_link::LinkFormat;
use super::scenario::SCENARIO_VERSION;
use super::scenario_json::{at_us_of, check_version, object, unknown_value};
use crate::i18n::Text;
use crate::sim::engine::{Fault, RunAction, TimedAction};
use std::fmt::Write;

/// How one flattened setting is named in a file. `group.field` names nest one level
/// (`"network": {"loss_ppm": 0}`).
#[derive(Copy, Clone, Debug)]
pub(crate) enum SettingName {
    /// Tag 0, and any tag a format no longer uses.
    Unused,
    /// A whole number.
    Number(&'static str),
    /// One of these words, written for its index.
    Choice(&'static str, &'static [&'static str]),
    /// A list of the words whose bits are set (bit `i` for word `i`).
    Flags(&'static str, &'static [&'static str]),
}

impl SettingName {
    fn path(&self) -> Option<&'static str> {
        match self {
            SettingName::Unused => None,
            SettingName::Number(p) | SettingName::Choice(p, _) | SettingName::Flags(p, _) => {
                Some(p)
            }
        }
    }
}

/// A scenario of one protocol, as a file holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunScenario<S, A> {
    pub settings: S,
    /// Timed actions, in time order.
    pub actions: Vec<TimedAction<A>>,
}

/// How one protocol's runs are written into a scenario file and read back.
pub(crate) struct ScenarioFormat<S: 'static, A: 'static> {
    /// The file's `protocol`, as `--protocol` spells it.
    pub protocol: &'static str,
    pub link: &'static LinkFormat<S, A>,
    /// The name of each tag of `link.flat`, `names[tag]`.
    pub names: &'static [SettingName],
    /// How many nodes a run of these settings has (actions naming others are refused).
    pub nodes: fn(&S) -> u32,
    /// The action a fault is, and the fault an action is (if it is one).
    pub of_fault: fn(Fault) -> A,
    pub fault_of: fn(&A) -> Option<&Fault>,
    /// Reads an action of the protocol's own, by its `action` name (`None`: not one).
    pub read_own: fn(&str, &Json) -> Option<Result<A, Text>>,
    /// The names `read_own` knows, for the error that lists them.
    pub own_names: &'static [&'static str],
    /// Writes an action of the protocol's own: `"action": "...", ...` (the members after the
    /// time).
    pub write_own: fn(&mut String, &A),
}

impl<S: Default, A: RunAction> ScenarioFormat<S, A> {
    /// Reads a scenario file; `name` starts every error, which names the line.
    pub fn parse(&self, name: &str, text: &str) -> Result<RunScenario<S, A>, Text> {
        let at = |e: Text| {
            Text::new("error.file.named")
                .with("name", name)
                .with_text("error", e)
        };
        let root = json::parse(text).map_err(at)?;
        let members = object(
            &root,
            "scenario",
            &["version", "protocol", "settings", "actions"],
        )
        .map_err(at)?;
        let field = |k: &str| members.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        check_version(field("version"), SCENARIO_VERSION).map_err(at)?;
        // A file of another protocol is refused, not misread: the field is required here.
        match field("protocol") {
            Some(p) if p.as_str() == Some(self.protocol) => {}
            other => {
                return Err(at(at_line(
                    other.map_or(root.line, |p| p.line),
                    Text::new("error.file.protocol_is").with("protocol", self.protocol),
                )))
            }
        }
        let settings = match field("settings") {
            Some(s) => self.settings(s).map_err(at)?,
            None => S::default(),
        };
        (self.link.validate)(&settings)
            .map_err(|e| at(Text::new("error.file.settings").with_text("error", e)))?;
        let mut actions: Vec<TimedAction<A>> = Vec::new();
        if let Some(list) = field("actions") {
            let list = list.as_array().ok_or_else(|| {
                at(at_line(
                    list.line,
                    Text::new("json.not_array").with("field", "actions"),
                ))
            })?;
            for (i, item) in list.iter().enumerate() {
                let timed = self
                    .timed_action(item, (self.nodes)(&settings))
                    .and_then(|a| match actions.last() {
                        Some(last) if a.at_us < last.at_us => {
                            Err(at_line(item.line, Text::new("error.file.action_order")))
                        }
                        _ => Ok(a),
                    })
                    .map_err(|e| {
                        at(Text::new("error.file.action")
                            .with("index", i)
                            .with_text("error", e))
                    })?;
                actions.push(timed);
            }
        }
        Ok(RunScenario { settings, actions })
    }

    /// The settings object: every name optional, defaulting to the protocol's default
    /// settings; unknown names refused.
    fn settings(&self, node: &Json) -> Result<S, Text> {
        let mut values = (self.link.flat)(&S::default());
        let tops: Vec<&str> = self.tops();
        let members = object(node, "settings", &tops)?;
        for (key, value) in members {
            let nested: Vec<(usize, &str)> = self.group(key);
            if nested.is_empty() {
                let tag = self.tag_of(key).unwrap_or(0);
                values[tag] = self.value(tag, key, value)?;
                continue;
            }
            let known: Vec<&str> = nested.iter().map(|(_, f)| *f).collect();
            for (field, v) in object(value, &format!("settings.{key}"), &known)? {
                if let Some((tag, _)) = nested.iter().find(|(_, f)| f == field) {
                    values[*tag] = self.value(*tag, &format!("{key}.{field}"), v)?;
                }
            }
        }
        Ok((self.link.settings)(&values))
    }

    /// The top-level names of the settings object: plain names and group names.
    fn tops(&self) -> Vec<&'static str> {
        let mut tops: Vec<&'static str> = Vec::new();
        for p in self.names.iter().filter_map(SettingName::path) {
            let top = p.split_once('.').map_or(p, |(g, _)| g);
            if !tops.contains(&top) {
                tops.push(top);
            }
        }
        tops
    }

    /// The tags and field names of group `group` (empty when it is a plain name).
    fn group(&self, group: &str) -> Vec<(usize, &'static str)> {
        self.names
            .iter()
            .enumerate()
            .filter_map(|(tag, n)| {
                let (g, f) = n.path()?.split_once('.')?;
                (g == group).then_some((tag, f))
            })
            .collect()
    }

    fn tag_of(&self, path: &str) -> Option<usize> {
        self.names.iter().position(|n| n.path() == Some(path))
    }

    /// One setting's value as the link flattens it, bounded as the link bounds it.
    fn value(&self, tag: usize, path: &str, v: &Json) -> Result<u64, Text> {
        let line = v.line;
        let x = match self.names[tag] {
            SettingName::Unused => 0,
            SettingName::Number(_) => v.as_u64().ok_or_else(|| {
                at_line(
                    line,
                    Text::new("json.field_not_whole")
                        .with("field", path)
                        .with_text("kind", v.kind_text()),
                )
            })?,
            SettingName::Choice(_, words) => {
                let word = v.as_str().ok_or_else(|| {
                    at_line(line, Text::new("json.not_string").with("field", path))
                })?;
                words
                    .iter()
                    .position(|w| *w == word)
                    .ok_or_else(|| unknown_value(line, path, word, words))? as u64
            }
            SettingName::Flags(_, words) => {
                let list = v.as_array().ok_or_else(|| {
                    at_line(line, Text::new("json.not_array").with("field", path))
                })?;
                let mut bits = 0u64;
                for item in list {
                    let word = item.as_str().ok_or_else(|| {
                        at_line(item.line, Text::new("json.not_string").with("field", path))
                    })?;
                    let bit = words
                        .iter()
                        .position(|w| *w == word)
                        .ok_or_else(|| unknown_value(item.line, path, word, words))?;
                    bits |= 1 << bit;
                }
                bits
            }
        };
        if x > (self.link.max_value)(tag as u64) {
            return Err(at_line(
                line,
                Text::new("json.too_large").with("field", path),
            ));
        }
        Ok(x)
    }

    fn timed_action(&self, item: &Json, nodes: u32) -> Result<TimedAction<A>, Text> {
        let line = item.line;
        let at_us = at_us_of(item)?;
        let node = item.without(&["at_ms", "at_us"]);
        let name = node
            .get("action")
            .and_then(Json::as_str)
            .ok_or_else(|| at_line(line, Text::new("json.missing").with("field", "action")))?;
        let action = match fault_json::read(name, &node) {
            Some(fault) => (self.of_fault)(fault?),
            None => match (self.read_own)(name, &node) {
                Some(own) => own?,
                None => {
                    let mut known: Vec<&str> = fault_json::NAMES.to_vec();
                    known.extend(self.own_names);
                    return Err(unknown_value(line, "action", name, &known));
                }
            },
        };
        action.validate(nodes).map_err(|e| at_line(line, e))?;
        Ok(TimedAction { at_us, action })
    }

    /// Writes a scenario file, every setting spelled out.
    pub fn write(&self, scenario: &RunScenario<S, A>) -> String {
        let values = (self.link.flat)(&scenario.settings);
        let mut out = String::new();
        let _ = write!(
            out,
            "{{\n  \"version\": {SCENARIO_VERSION},\n  \"protocol\": \"{}\",\n  \"settings\": {{",
            self.protocol
        );
        let mut first = true;
        for top in self.tops() {
            let sep = if first { "" } else { "," };
            first = false;
            let nested = self.group(top);
            if nested.is_empty() {
                let tag = self.tag_of(top).unwrap_or(0);
                let _ = write!(
                    out,
                    "{sep}\n    \"{top}\": {}",
                    self.written(tag, values[tag])
                );
                continue;
            }
            let _ = write!(out, "{sep}\n    \"{top}\": {{ ");
            for (i, (tag, field)) in nested.iter().enumerate() {
                let sep = if i == 0 { "" } else { ", " };
                let _ = write!(
                    out,
                    "{sep}\"{field}\": {}",
                    self.written(*tag, values[*tag])
                );
            }
            out.push_str(" }");
        }
        out.push_str("\n  },\n  \"actions\": [");
        for (i, a) in scenario.actions.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(out, "{sep}\n    {{ \"at_us\": {}, ", a.at_us);
            match (self.fault_of)(&a.action) {
                Some(fault) => fault_json::write(&mut out, fault),
                None => (self.write_own)(&mut out, &a.action),
            }
            out.push_str(" }");
        }
        out.push_str(if scenario.actions.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    fn written(&self, tag: usize, value: u64) -> String {
        match self.names[tag] {
            SettingName::Unused | SettingName::Number(_) => value.to_string(),
            SettingName::Choice(_, words) => {
                format!("\"{}\"", words.get(value as usize).copied().unwrap_or(""))
            }
            SettingName::Flags(_, words) => {
                let set: Vec<String> = words
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| value & (1 << bit) != 0)
                    .map(|(_, w)| format!("\"{w}\""))
                    .collect();
                format!("[{}]", set.join(", "))
            }
        }
    }
}
