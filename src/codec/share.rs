//! Share links: a whole run (settings, seed and timed actions) in a short, versioned,
//! URL-safe string, so that a teacher's link reproduces exactly what the class sees.
//!
//! Format, version 1: `1.` followed by unpadded base64url of: the settings that differ from
//! the defaults as (tag, value) pairs ended by tag 0, then the action count and each action as
//! (time since the previous action, action code, fields). Integers are LEB128 varints; strings
//! are a length and UTF-8 bytes. Decoding checks every byte: a hostile link gets an error
//! that names what is wrong, never a panic.

use crate::codec::fields::actions::{self, ActionValue, ACTIONS, CRASH_MODES};
use crate::codec::fields::settings::SETTINGS;
use crate::codec::fields::{self, Presence};
use crate::codec::scenario::Scenario;
use crate::i18n::Text;
use crate::sim::raft::action::{Action, TimedAction};
use crate::sim::raft::settings::Settings;
use crate::sim::raft::Command;
use crate::sim::types::{ClientId, Micros, MsgId, NodeId};

/// The share-link version this build writes and reads.
pub const SHARE_VERSION: u32 = 1;

/// Limits that keep a hostile link from costing memory or time.
const MAX_BYTES: usize = 256 * 1024;
const MAX_ACTIONS: u64 = 50_000;
const MAX_STRING_BYTES: u64 = 1_024;

/// Encodes a scenario as a share string.
pub fn encode(scenario: &Scenario) -> String {
    let mut w = Writer::default();
    write_settings(&mut w, &scenario.settings);
    w.varint(scenario.actions.len() as u64);
    let mut previous_us = 0;
    for a in &scenario.actions {
        w.varint(a.at_us.saturating_sub(previous_us));
        previous_us = previous_us.max(a.at_us);
        write_action(&mut w, &a.action);
    }
    format!("{SHARE_VERSION}.{}", base64url_encode(&w.bytes))
}

/// Decodes a share string; the error says what is wrong with it.
pub fn decode(text: &str) -> Result<Scenario, Text> {
    let body = versioned_body(text, SHARE_VERSION)?;
    if body.len() > MAX_BYTES * 4 / 3 + 4 {
        return Err(Text::new("error.link.too_long").with("count", body.len()));
    }
    let bytes = base64url_decode(body)?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    let settings = read_settings(&mut r)?;
    settings
        .validate()
        .map_err(|e| Text::new("error.link.settings").with_text("error", e))?;
    let actions = r
        .timed_actions(MAX_ACTIONS, |r| {
            let action = read_action(r)?;
            action.validate(settings.nodes)?;
            Ok(action)
        })?
        .into_iter()
        .map(|(at_us, action)| TimedAction { at_us, action })
        .collect();
    r.finished()?;
    Ok(Scenario { settings, actions })
}

/// The data of a link string `<version>.<data>` of version `expected`; the error names what
/// is wrong with it.
pub(crate) fn versioned_body(text: &str, expected: u32) -> Result<&str, Text> {
    let (version, body) = text
        .trim()
        .split_once('.')
        .ok_or_else(|| Text::new("error.link.no_version"))?;
    match version.parse::<u32>() {
        Ok(v) if v == expected => Ok(body),
        Ok(v) => Err(Text::new("error.link.version")
            .with("version", v)
            .with("expected", expected)),
        Err(_) => Err(Text::new("error.link.version_not_number").with("version", shorten(version))),
    }
}

/// The start of `text`, for an error message that quotes hostile input: at most 24
/// characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(24).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

// ----- settings: (tag, value) pairs for what differs from the defaults -----

/// A setting with a tag, how to read it as an integer, and how to set it (the Hash ring's
/// links write their settings this way; Raft runs walk [`fields::settings::SETTINGS`]).
pub(crate) type Field<T> = (u64, fn(&T) -> u64, fn(&mut T, u64));

/// Writes, in tag order, every setting that differs from its default (and an interval
/// whenever the sync policy is "interval", even at its default).
fn write_settings(w: &mut Writer, s: &Settings) {
    let defaults = Settings::default();
    for tag in 1..=fields::tag_last(SETTINGS) {
        let (Some(value), Some(default)) = (
            fields::tag_value(SETTINGS, tag, s),
            fields::tag_value(SETTINGS, tag, &defaults),
        ) else {
            continue;
        };
        let mut wanted = false;
        fields::each_leaf(SETTINGS, &mut |f| {
            if f.link.tag() == Some(tag) {
                wanted |= matches!(f.presence, Presence::When { tag: t, code }
                    if fields::tag_value(SETTINGS, t, s) == Some(code));
            }
        });
        if value != default || wanted {
            w.varint(tag);
            w.varint(value);
        }
    }
    w.varint(0);
}

fn read_settings(r: &mut Reader) -> Result<Settings, Text> {
    let mut s = Settings::default();
    loop {
        let tag = r.varint(Text::new("wire.setting"))?;
        if tag == 0 {
            return Ok(s);
        }
        let value = r.varint(Text::new("wire.setting_value"))?;
        let max = fields::tag_max(SETTINGS, tag)
            .ok_or_else(|| Text::new("error.link.unknown_setting").with("tag", tag))?;
        // Refused rather than truncated by the setter.
        if value > max {
            return Err(Text::new("error.link.setting_range").with("tag", tag));
        }
        fields::set_tag(SETTINGS, tag, &mut s, value);
    }
}

/// Reads (tag, value) pairs up to tag 0 into `target`. `max(tag)` is the largest value a tag
/// takes: a larger one is refused rather than truncated by its setter.
pub(crate) fn read_tagged<T>(
    r: &mut Reader,
    target: &mut T,
    fields: &[Field<T>],
    max: fn(u64) -> u64,
) -> Result<(), Text> {
    loop {
        let tag = r.varint(Text::new("wire.setting"))?;
        if tag == 0 {
            return Ok(());
        }
        let value = r.varint(Text::new("wire.setting_value"))?;
        let (_, _, set) = fields
            .iter()
            .find(|f| f.0 == tag)
            .ok_or_else(|| Text::new("error.link.unknown_setting").with("tag", tag))?;
        if value > max(tag) {
            return Err(Text::new("error.link.setting_range").with("tag", tag));
        }
        set(target, value);
    }
}

/// Writes settings flattened to numbers as (tag, value) pairs, tag `i` for `values[i]` from 1
/// (`values[0]` is unused), ended by tag 0: the settings form of the retransmission and
/// two-phase commit links.
pub(crate) fn write_numbered(w: &mut Writer, values: &[u64]) {
    for (tag, value) in values.iter().enumerate().skip(1) {
        w.varint(tag as u64);
        w.varint(*value);
    }
    w.varint(0);
}

/// Reads what [`write_numbered`] wrote into `values` (left as they are for tags not given);
/// an unknown tag, or a value above `max(tag)`, is an error that names the tag.
pub(crate) fn read_numbered(
    r: &mut Reader,
    values: &mut [u64],
    max: fn(u64) -> u64,
) -> Result<(), Text> {
    loop {
        let tag = r.varint(Text::new("wire.setting"))?;
        if tag == 0 {
            return Ok(());
        }
        let value = r.varint(Text::new("wire.setting_value"))?;
        let slot = usize::try_from(tag)
            .ok()
            .filter(|i| *i >= 1)
            .and_then(|i| values.get_mut(i))
            .ok_or_else(|| Text::new("error.link.unknown_setting").with("tag", tag))?;
        if value > max(tag) {
            return Err(Text::new("error.link.setting_range").with("tag", tag));
        }
        *slot = value;
    }
}

// ----- actions: a number, then the variant's fields in table order -----

fn write_action(w: &mut Writer, a: &Action) {
    let variant = actions::for_link(a);
    w.varint(variant.code);
    for field in variant.fields {
        match field.value {
            ActionValue::Node(get, _) => w.node(get(a)),
            ActionValue::Client(get, _) => w.varint(get(a).0.into()),
            ActionValue::CrashMode(get, _) => {
                let mode = get(a);
                let code = CRASH_MODES.iter().position(|(_, m)| *m == mode);
                w.varint(code.unwrap_or(0) as u64);
            }
            ActionValue::Bool(get, _) => w.varint(get(a).into()),
            ActionValue::MessageId(get, _) => w.varint(get(a).0),
            ActionValue::Command(get, _) => w.command(get(a)),
            ActionValue::Groups(get, _) => {
                let groups = get(a);
                w.varint(groups.len() as u64);
                for g in groups {
                    w.varint(g.len() as u64);
                    for n in g {
                        w.node(*n);
                    }
                }
            }
            ActionValue::Settings {
                table, tags, put, ..
            } => {
                let mut s = Settings::default();
                put(a, &mut s);
                for tag in tags {
                    w.varint(fields::tag_value(table, *tag, &s).unwrap_or(0));
                }
            }
        }
    }
}

fn read_action(r: &mut Reader) -> Result<Action, Text> {
    let code = r.varint(Text::new("wire.action"))?;
    let variant = ACTIONS
        .iter()
        .find(|v| v.code == code)
        .ok_or_else(|| Text::new("error.link.unknown_action").with("code", code))?;
    let mut a = (variant.new)();
    for field in variant.fields {
        match field.value {
            ActionValue::Node(_, set) => set(&mut a, r.node()?),
            ActionValue::Client(_, set) => {
                let client = r.small(Text::new("wire.client"), u32::MAX.into())?;
                set(&mut a, ClientId(client as u32))
            }
            ActionValue::CrashMode(_, set) => {
                let code = r.varint(Text::new("wire.crash_mode"))?;
                let (_, mode) = usize::try_from(code)
                    .ok()
                    .and_then(|c| CRASH_MODES.get(c))
                    .ok_or_else(|| Text::new("error.link.unknown_crash_mode").with("code", code))?;
                set(&mut a, *mode)
            }
            ActionValue::Bool(_, set) => set(&mut a, r.small(Text::new("wire.direction"), 1)? == 1),
            ActionValue::MessageId(_, set) => {
                set(&mut a, MsgId(r.varint(Text::new("wire.message_id"))?))
            }
            ActionValue::Command(_, set) => set(&mut a, r.command()?),
            ActionValue::Groups(_, set) => {
                let count = r.small(Text::new("wire.group_count"), 9)?;
                let mut groups = Vec::new();
                for _ in 0..count {
                    let size = r.small(Text::new("wire.group_size"), 9)?;
                    let mut group = Vec::new();
                    for _ in 0..size {
                        group.push(r.node()?);
                    }
                    groups.push(group);
                }
                set(&mut a, groups)
            }
            ActionValue::Settings {
                table, tags, take, ..
            } => {
                let mut s = Settings::default();
                for tag in tags {
                    let max = fields::tag_max(table, *tag).unwrap_or(0);
                    let name = fields::tag_name(table, *tag).unwrap_or_default();
                    let value = r.small(Text::new("wire.setting_named").with("name", name), max)?;
                    fields::set_tag(table, *tag, &mut s, value);
                }
                take(&mut a, &s)
            }
        }
    }
    Ok(a)
}

// ----- bytes -----

/// The byte form of a link: varints, nodes and strings (the Hash ring's links use it too).
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }
    pub(crate) fn node(&mut self, n: NodeId) {
        self.varint(n.0 as u64);
    }
    fn string(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }
    fn command(&mut self, cmd: &Command) {
        match cmd {
            Command::Noop => self.varint(0),
            // Never in a valid action (`Action::validate` refuses a client's configuration);
            // a code the reader refuses, rather than another command.
            Command::Config(_) => self.varint(5),
            Command::Put { key, value } => {
                self.varint(1);
                self.string(key);
                self.string(value);
            }
            Command::Get { key } => {
                self.varint(2);
                self.string(key);
            }
            Command::Delete { key } => {
                self.varint(3);
                self.string(key);
            }
            Command::Cas {
                key,
                expected,
                value,
            } => {
                self.varint(4);
                self.string(key);
                match expected {
                    Some(e) => {
                        self.varint(1);
                        self.string(e);
                    }
                    None => self.varint(0),
                }
                self.string(value);
            }
        }
    }
}

/// Reads what [`Writer`] wrote, checking every byte.
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

impl Reader<'_> {
    /// A list of at most `max` actions, each after the time since the one before (the first
    /// since 0) as `read` reads it; an error names the action it is about.
    pub(crate) fn timed_actions<A>(
        &mut self,
        max: u64,
        mut read: impl FnMut(&mut Self) -> Result<A, Text>,
    ) -> Result<Vec<(Micros, A)>, Text> {
        let count = self.varint(Text::new("wire.action_count"))?;
        if count > max {
            return Err(Text::new("error.link.too_many_actions")
                .with("count", count)
                .with("max", max));
        }
        let mut actions = Vec::new();
        let mut at_us: Micros = 0;
        for i in 0..count {
            let context = |e: Text| {
                Text::new("error.history.action")
                    .with("action", i + 1)
                    .with_text("error", e)
            };
            let delta = self.varint(Text::new("wire.time")).map_err(context)?;
            at_us = at_us
                .checked_add(delta)
                .ok_or_else(|| context(Text::new("error.link.time_overflows")))?;
            actions.push((at_us, read(self).map_err(context)?));
        }
        Ok(actions)
    }

    /// `what` names the value read (a `wire.*` key) for the error.
    pub(crate) fn varint(&mut self, what: Text) -> Result<u64, Text> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let Some(byte) = self.bytes.get(self.at) else {
                return Err(Text::new("error.link.ends_in").with_text("what", what));
            };
            self.at += 1;
            value |= ((byte & 0x7f) as u64) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Text::new("error.link.too_large").with_text("what", what))
    }
    pub(crate) fn small(&mut self, what: Text, max: u64) -> Result<u64, Text> {
        let v = self.varint(what.clone())?;
        if v > max {
            return Err(Text::new("error.link.above")
                .with_text("what", what)
                .with("value", v)
                .with("max", max));
        }
        Ok(v)
    }
    pub(crate) fn node(&mut self) -> Result<NodeId, Text> {
        Ok(NodeId(self.small(Text::new("wire.node"), 1_000)? as u32))
    }
    /// Every byte was read: anything after the end is an error.
    pub(crate) fn finished(&self) -> Result<(), Text> {
        match self.bytes.len() - self.at {
            0 => Ok(()),
            extra => Err(Text::new("error.link.extra_bytes").with("count", extra)),
        }
    }
    fn string(&mut self) -> Result<String, Text> {
        let len = self.small(Text::new("wire.text_length"), MAX_STRING_BYTES)? as usize;
        let end = self
            .at
            .checked_add(len)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| {
                Text::new("error.link.ends_in").with_text("what", Text::new("wire.text"))
            })?;
        let text = std::str::from_utf8(&self.bytes[self.at..end])
            .map_err(|_| Text::new("error.link.not_utf8"))?;
        self.at = end;
        Ok(text.to_string())
    }
    fn command(&mut self) -> Result<Command, Text> {
        Ok(match self.varint(Text::new("wire.command"))? {
            0 => Command::Noop,
            1 => Command::Put {
                key: self.string()?,
                value: self.string()?,
            },
            2 => Command::Get {
                key: self.string()?,
            },
            3 => Command::Delete {
                key: self.string()?,
            },
            4 => {
                let key = self.string()?;
                let expected = match self.small(Text::new("wire.flag"), 1)? {
                    1 => Some(self.string()?),
                    _ => None,
                };
                Command::Cas {
                    key,
                    expected,
                    value: self.string()?,
                }
            }
            other => return Err(Text::new("error.link.unknown_command").with("code", other)),
        })
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub(crate) fn base64url_decode(text: &str) -> Result<Vec<u8>, Text> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = ALPHABET.iter().position(|a| *a == c).ok_or_else(|| {
            Text::new("error.link.bad_character")
                .with("position", i + 1)
                .with("character", format!("{:?}", c as char))
        })?;
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::disk::{CrashMode, SyncPolicy};
    use crate::sim::net::NetConfig;
    use crate::sim::raft::RaftConfig;

    fn rich() -> Scenario {
        let mut settings = Settings {
            nodes: 7,
            seed: 123_456_789_012,
            ..Settings::default()
        };
        settings.raft.pre_vote = true;
        settings.raft.snapshot_every_entries = Some(25);
        settings.raft.bugs.forget_vote_on_restart = true;
        settings.network.loss_ppm = 50_000;
        settings.disk.sync = SyncPolicy::Interval { interval_us: 5_000 };
        settings.workload.clients = 3;
        let put = Command::Put {
            key: "x".into(),
            value: "héllo".into(),
        };
        let cas = Command::Cas {
            key: "y".into(),
            expected: None,
            value: "1".into(),
        };
        let actions = vec![
            TimedAction {
                at_us: 1_000_000,
                action: Action::Crash {
                    node: NodeId(2),
                    mode: CrashMode::TearLast,
                },
            },
            TimedAction {
                at_us: 1_000_000,
                action: Action::Request {
                    node: NodeId(1),
                    cmd: put,
                },
            },
            TimedAction {
                at_us: 1_500_000,
                action: Action::Partition {
                    groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(3)]],
                },
            },
            TimedAction {
                at_us: 2_000_000,
                action: Action::RequestFrom {
                    client: ClientId(101),
                    node: NodeId(3),
                    cmd: cas,
                },
            },
            TimedAction {
                at_us: 2_500_000,
                action: Action::Cut {
                    from: NodeId(4),
                    to: NodeId(5),
                    both: true,
                },
            },
            TimedAction {
                at_us: 3_000_000,
                action: Action::SetNetwork {
                    network: NetConfig {
                        loss_ppm: 7,
                        ..NetConfig::default()
                    },
                },
            },
            TimedAction {
                at_us: 3_100_000,
                action: Action::SetRaft {
                    raft: RaftConfig {
                        check_quorum: true,
                        ..RaftConfig::default()
                    },
                },
            },
            TimedAction {
                at_us: 4_000_000,
                action: Action::Heal,
            },
            TimedAction {
                at_us: 4_000_001,
                action: Action::DropMessage { id: MsgId(77) },
            },
        ];
        Scenario { settings, actions }
    }

    #[test]
    fn round_trips_exactly_and_is_compact() {
        let s = rich();
        let link = encode(&s);
        assert_eq!(decode(&link), Ok(s.clone()));
        assert!(link.len() < 200, "{} characters: {link}", link.len());
        let default = Scenario {
            settings: Settings::default(),
            actions: vec![],
        };
        assert_eq!(encode(&default), "1.AAA");
        assert_eq!(decode("1.AAA"), Ok(default));
    }

    /// A link written before the election timeout granularity existed decodes exactly as it
    /// did, and a run without the granularity still encodes to the same link.
    #[test]
    fn old_links_are_unchanged_by_the_granularity() {
        let old = "1.AQcClLTk9MsDBgEJGQoEDdCGAxABEYgnFQMACcCEPQECAgAEAQEBeAZow6lsbG-gwh4IAgIBAgEDoMIeBWUDBAF5AAExoMIeCgQFAaDCHgyQTqCcAQcAwIQ9oI0GDfCTCeCnEtCGAwABQAAAoPc2CQEOTQ";
        assert_eq!(encode(&rich()), old);
        let decoded = decode(old).unwrap();
        assert_eq!(decoded, rich());
        assert_eq!(decoded.settings.raft.election_timeout_granularity_us, 0);
    }

    /// The granularity travels as setting 29 and, in a `set_raft` action, as action code 15.
    #[test]
    fn the_granularity_round_trips() {
        let mut s = rich();
        s.settings.raft.election_timeout_granularity_us = 1_000;
        s.actions.push(TimedAction {
            at_us: 5_000_000,
            action: Action::SetRaft {
                raft: RaftConfig {
                    election_timeout_us_min: 150_000,
                    election_timeout_us_max: 155_000,
                    election_timeout_granularity_us: 1_000,
                    ..RaftConfig::default()
                },
            },
        });
        let link = encode(&s);
        assert_eq!(decode(&link), Ok(s.clone()));
        let mut w = Writer::default();
        write_settings(&mut w, &s.settings);
        let tail = [29, 0xe8, 0x07, 0]; // tag 29, 1000 as a varint, the end of the settings
        assert!(w.bytes.ends_with(&tail), "{:?}", w.bytes);
        // A granularity with no multiple in the range is refused, naming the field.
        s.settings.raft.election_timeout_granularity_us = 400_000;
        let e = decode(&encode(&s)).unwrap_err().english();
        assert!(e.contains("raft.election_timeout_granularity_us"), "{e}");
    }

    /// A membership run: spare servers (`voters_initial`, setting 30), the two membership
    /// switches (bits 3 and 4 of setting 10) and `add_server`/`remove_server` (action codes
    /// 16 and 17). Links of runs without them are the links they always were (the pinned
    /// links above and in `fields::tests` still decode and encode the same).
    #[test]
    fn membership_changes_round_trip() {
        let mut s = rich();
        s.settings.raft.voters_initial = 5;
        s.settings.raft.bugs.config_before_own_term_commit = true;
        s.settings.raft.bugs.concurrent_config_changes = true;
        s.actions.push(TimedAction {
            at_us: 5_000_000,
            action: Action::AddServer { node: NodeId(6) },
        });
        s.actions.push(TimedAction {
            at_us: 6_000_000,
            action: Action::RemoveServer { node: NodeId(1) },
        });
        let link = encode(&s);
        assert_eq!(decode(&link), Ok(s.clone()));
        assert_eq!(
            link,
            "1.AQcClLTk9MsDBgEJGQocDdCGAxABEYgnFQMeBQALwIQ9AQICAAQBAQF4BmjDqWxsb6DCHggCAgECAQOgwh4FZQMEAXkAATGgwh4KBAUBoMIeDJBOoJwBBwDAhD2gjQYN8JMJ4KcS0IYDAAFAAACg9zYJAQ5Nv4Q9EAbAhD0RAQ",
            "the pinned membership link"
        );
        // A spare count above the cluster is refused, naming the field.
        s.settings.raft.voters_initial = 8;
        let e = decode(&encode(&s)).unwrap_err().english();
        assert!(e.contains("raft.voters_initial"), "{e}");
    }

    /// Joint consensus (setting 31, paper section 6) in the settings and switched on during
    /// the run (`set_raft` code 19); the links above do not change with it.
    #[test]
    fn joint_consensus_round_trips() {
        let mut s = rich();
        s.settings.raft.voters_initial = 3;
        s.settings.raft.joint_consensus = true;
        let mut raft = s.settings.raft.clone();
        raft.joint_consensus = false;
        s.actions.push(TimedAction {
            at_us: 5_000_000,
            action: Action::SetRaft { raft },
        });
        s.actions.push(TimedAction {
            at_us: 6_000_000,
            action: Action::AddServer { node: NodeId(4) },
        });
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        s.settings.raft.joint_consensus = false;
        let at = s.actions.len() - 2;
        if let Action::SetRaft { raft } = &mut s.actions[at].action {
            raft.joint_consensus = true;
        }
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn hostile_links_get_errors_that_name_the_problem() {
        let link = encode(&rich());
        let cases: [(&str, &str); 6] = [
            ("", "no version"),
            ("7.AAA", "version 7"),
            ("x.AAA", "not a number"),
            ("1.AA*A", "not allowed"),
            ("1.Aw", "ends in the middle"),
            ("1.AAAA", "unexpected bytes"),
        ];
        for (text, expected) in cases {
            let e = decode(text).unwrap_err().english();
            assert!(e.contains(expected), "{text:?}: {e}");
        }
        let truncated = &link[..link.len() - 5];
        assert!(decode(truncated).is_err());
        // A cluster of 40 nodes, and a crash of node 9 in a cluster of 5.
        let mut w = Writer::default();
        w.varint(1);
        w.varint(40);
        w.varint(0);
        w.varint(0);
        assert!(decode(&format!("1.{}", base64url_encode(&w.bytes)))
            .unwrap_err()
            .english()
            .contains("nodes"));
        let mut w = Writer::default();
        w.varint(0);
        w.varint(1);
        w.varint(0);
        w.varint(2);
        w.varint(9);
        assert!(decode(&format!("1.{}", base64url_encode(&w.bytes)))
            .unwrap_err()
            .english()
            .contains("node 9 does not exist"));
        // Every prefix and every single-byte corruption decodes or errs, never panics.
        let bytes = base64url_decode(&link[2..]).unwrap_or_default();
        for cut in 0..bytes.len() {
            let _ = decode(&format!("1.{}", base64url_encode(&bytes[..cut])));
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0xa5;
            let _ = decode(&format!("1.{}", base64url_encode(&flipped)));
        }
    }

    #[test]
    fn base64url_matches_the_standard_alphabet() {
        assert_eq!(base64url_encode(b"Man"), "TWFu");
        assert_eq!(base64url_encode(b"Ma"), "TWE");
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("TWFu").ok(), Some(b"Man".to_vec()));
        assert_eq!(base64url_decode("-_8").ok(), Some(vec![0xfb, 0xff]));
    }
}
