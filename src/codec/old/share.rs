//! Share links: a whole run (settings, seed and timed actions) in a short, versioned,
//! URL-safe string, so that a teacher's link reproduces exactly what the class sees.
//!
//! Format, version 1: `1.` followed by unpadded base64url of: the settings that differ from
//! the defaults as (tag, value) pairs ended by tag 0, then the action count and each action as
//! (time since the previous action, action code, fields). Integers are LEB128 varints; strings
//! are a length and UTF-8 bytes. Decoding checks every byte: a hostile link gets an error
//! that names what is wrong, never a panic.

use crate::codec::scenario::Scenario;
use crate::i18n::Text;
use crate::sim::action::{Action, TimedAction};
use crate::sim::disk::{CrashMode, SyncPolicy};
use crate::sim::net::NetConfig;
use crate::sim::raft::{Bugs, Command};
use crate::sim::settings::Settings;
use crate::sim::types::{ClientId, MsgId, NodeId};

/// The share-link version this build writes and reads.
pub const SHARE_VERSION: u32 = 1;

/// Limits that keep a hostile link from costing memory or time.
const MAX_BYTES: usize = 256 * 1024;
const MAX_ACTIONS: u64 = 50_000;
const MAX_STRING_BYTES: u64 = 1_024;

/// Encodes a scenario as a share string.
pub(crate) fn encode(scenario: &Scenario) -> String {
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
pub(crate) fn decode(text: &str) -> Result<Scenario, Text> {
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
    let count = r.varint(Text::new("wire.action_count"))?;
    if count > MAX_ACTIONS {
        return Err(Text::new("error.link.too_many_actions")
            .with("count", count)
            .with("max", MAX_ACTIONS));
    }
    let mut actions = Vec::new();
    let mut at_us: u64 = 0;
    for i in 0..count {
        let context = |e: Text| {
            Text::new("error.history.action")
                .with("action", i + 1)
                .with_text("error", e)
        };
        let delta = r.varint(Text::new("wire.time")).map_err(context)?;
        at_us = at_us
            .checked_add(delta)
            .ok_or_else(|| context(Text::new("error.link.time_overflows")))?;
        let action = read_action(&mut r).map_err(context)?;
        action.validate(settings.nodes).map_err(context)?;
        actions.push(TimedAction { at_us, action });
    }
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

/// Every setting with a tag, how to read it as an integer, and how to set it.
/// A setting with a tag, how to read it as an integer, and how to set it (Raft and Hash ring
/// links write their settings this way).
pub(crate) type Field<T> = (u64, fn(&T) -> u64, fn(&mut T, u64));

/// Tags of settings held in 32 bits; larger values are refused rather than truncated.
const U32_TAGS: [u64; 13] = [1, 6, 7, 8, 10, 13, 14, 16, 21, 24, 26, 27, 28];

/// Tags are never renumbered: a new setting takes the next free number, so that older links
/// (which never hold it) decode exactly as before.
fn fields() -> [Field<Settings>; 29] {
    [
        (1, |s| s.nodes as u64, |s, v| s.nodes = v as u32),
        (2, |s| s.seed, |s, v| s.seed = v),
        (
            3,
            |s| s.raft.election_timeout_us_min,
            |s, v| s.raft.election_timeout_us_min = v,
        ),
        (
            4,
            |s| s.raft.election_timeout_us_max,
            |s, v| s.raft.election_timeout_us_max = v,
        ),
        (
            5,
            |s| s.raft.heartbeat_interval_us,
            |s, v| s.raft.heartbeat_interval_us = v,
        ),
        (
            6,
            |s| s.raft.pre_vote as u64,
            |s, v| s.raft.pre_vote = v != 0,
        ),
        (
            7,
            |s| s.raft.check_quorum as u64,
            |s, v| s.raft.check_quorum = v != 0,
        ),
        (
            8,
            |s| s.raft.max_entries_per_append as u64,
            |s, v| s.raft.max_entries_per_append = v as u32,
        ),
        (
            9,
            |s| s.raft.snapshot_every_entries.unwrap_or(0),
            |s, v| s.raft.snapshot_every_entries = (v > 0).then_some(v),
        ),
        (
            10,
            |s| bugs_bits(&s.raft.bugs),
            |s, v| s.raft.bugs = bugs_from_bits(v),
        ),
        (
            11,
            |s| s.network.latency_us_min,
            |s, v| s.network.latency_us_min = v,
        ),
        (
            12,
            |s| s.network.latency_us_max,
            |s, v| s.network.latency_us_max = v,
        ),
        (
            13,
            |s| s.network.loss_ppm as u64,
            |s, v| s.network.loss_ppm = v as u32,
        ),
        (
            14,
            |s| s.network.duplicate_ppm as u64,
            |s, v| s.network.duplicate_ppm = v as u32,
        ),
        (
            15,
            |s| s.network.bandwidth_bytes_per_s,
            |s, v| s.network.bandwidth_bytes_per_s = v,
        ),
        (
            16,
            |s| sync_kind(s.disk.sync),
            |s, v| s.disk.sync = sync_with_kind(s.disk.sync, v),
        ),
        (
            17,
            |s| sync_interval(s.disk.sync),
            |s, v| s.disk.sync = sync_with_interval(s.disk.sync, v),
        ),
        (
            18,
            |s| s.disk.sync_latency_us,
            |s, v| s.disk.sync_latency_us = v,
        ),
        (
            19,
            |s| s.disk.replay_us_per_entry,
            |s, v| s.disk.replay_us_per_entry = v,
        ),
        (
            20,
            |s| s.disk.load_us_per_snapshot_kb,
            |s, v| s.disk.load_us_per_snapshot_kb = v,
        ),
        (
            21,
            |s| s.workload.clients as u64,
            |s, v| s.workload.clients = v as u32,
        ),
        (
            22,
            |s| s.workload.think_us_min,
            |s, v| s.workload.think_us_min = v,
        ),
        (
            23,
            |s| s.workload.think_us_max,
            |s, v| s.workload.think_us_max = v,
        ),
        (
            24,
            |s| s.workload.keys as u64,
            |s, v| s.workload.keys = v as u32,
        ),
        (
            25,
            |s| s.workload.request_timeout_us,
            |s, v| s.workload.request_timeout_us = v,
        ),
        (
            26,
            |s| s.workload.get_ppm as u64,
            |s, v| s.workload.get_ppm = v as u32,
        ),
        (
            27,
            |s| s.workload.cas_ppm as u64,
            |s, v| s.workload.cas_ppm = v as u32,
        ),
        (
            28,
            |s| s.workload.delete_ppm as u64,
            |s, v| s.workload.delete_ppm = v as u32,
        ),
        (
            29,
            |s| s.raft.election_timeout_granularity_us,
            |s, v| s.raft.election_timeout_granularity_us = v,
        ),
    ]
}

/// The settings a `set_raft` action carries, in tag order: code 13 carries these, code 15
/// these and then the election timeout granularity (tag 29). Links older than the granularity
/// only have code 13, and a `set_raft` without a granularity is still written as code 13.
const RAFT_TAGS: std::ops::RangeInclusive<u64> = 3..=10;
const RAFT_GRANULARITY_TAG: u64 = 29;

fn bugs_bits(b: &Bugs) -> u64 {
    b.commit_previous_term_by_count as u64
        | (b.vote_without_log_check as u64) << 1
        | (b.forget_vote_on_restart as u64) << 2
}

fn bugs_from_bits(v: u64) -> Bugs {
    Bugs {
        commit_previous_term_by_count: v & 1 != 0,
        vote_without_log_check: v & 2 != 0,
        forget_vote_on_restart: v & 4 != 0,
    }
}

fn sync_kind(p: SyncPolicy) -> u64 {
    match p {
        SyncPolicy::EveryWrite => 0,
        SyncPolicy::Interval { .. } => 1,
        SyncPolicy::Never => 2,
    }
}

fn sync_interval(p: SyncPolicy) -> u64 {
    match p {
        SyncPolicy::Interval { interval_us } => interval_us,
        _ => 0,
    }
}

fn sync_with_kind(current: SyncPolicy, kind: u64) -> SyncPolicy {
    match kind {
        1 => SyncPolicy::Interval {
            interval_us: sync_interval(current),
        },
        2 => SyncPolicy::Never,
        _ => SyncPolicy::EveryWrite,
    }
}

fn sync_with_interval(current: SyncPolicy, interval_us: u64) -> SyncPolicy {
    match current {
        SyncPolicy::Interval { .. } => SyncPolicy::Interval { interval_us },
        other => other,
    }
}

pub(crate) fn write_settings(w: &mut Writer, s: &Settings) {
    let defaults = Settings::default();
    for (tag, get, _) in fields() {
        // The interval only means something once the policy says "interval".
        if get(s) != get(&defaults) || (tag == 17 && sync_kind(s.disk.sync) == 1) {
            w.varint(tag);
            w.varint(get(s));
        }
    }
    w.varint(0);
}

pub(crate) fn read_settings(r: &mut Reader) -> Result<Settings, Text> {
    let mut s = Settings::default();
    read_tagged(r, &mut s, &fields(), |tag| {
        if U32_TAGS.contains(&tag) {
            u32::MAX.into()
        } else {
            u64::MAX
        }
    })?;
    Ok(s)
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

// ----- actions -----

pub(crate) fn write_action(w: &mut Writer, a: &Action) {
    match a {
        Action::Crash { node, mode } => {
            w.varint(1);
            w.node(*node);
            w.varint(match mode {
                CrashMode::Clean => 0,
                CrashMode::LoseUnsynced => 1,
                CrashMode::TearLast => 2,
            });
        }
        Action::Restart { node } => {
            w.varint(2);
            w.node(*node);
        }
        Action::Timeout { node } => {
            w.varint(3);
            w.node(*node);
        }
        Action::Request { node, cmd } => {
            w.varint(4);
            w.node(*node);
            w.command(cmd);
        }
        Action::RequestFrom { client, node, cmd } => {
            w.varint(5);
            w.varint(client.0 as u64);
            w.node(*node);
            w.command(cmd);
        }
        Action::Transfer { to } => {
            w.varint(6);
            w.node(*to);
        }
        Action::Snapshot { node } => {
            w.varint(7);
            w.node(*node);
        }
        Action::Partition { groups } => {
            w.varint(8);
            w.varint(groups.len() as u64);
            for g in groups {
                w.varint(g.len() as u64);
                for n in g {
                    w.node(*n);
                }
            }
        }
        Action::Heal => w.varint(9),
        Action::Cut { from, to, both } | Action::Repair { from, to, both } => {
            w.varint(if matches!(a, Action::Cut { .. }) {
                10
            } else {
                11
            });
            w.node(*from);
            w.node(*to);
            w.varint(*both as u64);
        }
        Action::SetNetwork { network } => {
            w.varint(12);
            for v in [
                network.latency_us_min,
                network.latency_us_max,
                network.loss_ppm as u64,
                network.duplicate_ppm as u64,
                network.bandwidth_bytes_per_s,
            ] {
                w.varint(v);
            }
        }
        Action::SetRaft { raft } => {
            let granular = raft.election_timeout_granularity_us > 0;
            w.varint(if granular { 15 } else { 13 });
            let s = Settings {
                raft: raft.clone(),
                ..Settings::default()
            };
            let carried =
                |tag: u64| RAFT_TAGS.contains(&tag) || (granular && tag == RAFT_GRANULARITY_TAG);
            for (_, get, _) in fields().iter().filter(|f| carried(f.0)) {
                w.varint(get(&s));
            }
        }
        Action::DropMessage { id } => {
            w.varint(14);
            w.varint(id.0);
        }
    }
}

pub(crate) fn read_action(r: &mut Reader) -> Result<Action, Text> {
    let code = r.varint(Text::new("wire.action"))?;
    Ok(match code {
        1 => Action::Crash {
            node: r.node()?,
            mode: match r.varint(Text::new("wire.crash_mode"))? {
                0 => CrashMode::Clean,
                1 => CrashMode::LoseUnsynced,
                2 => CrashMode::TearLast,
                m => return Err(Text::new("error.link.unknown_crash_mode").with("code", m)),
            },
        },
        2 => Action::Restart { node: r.node()? },
        3 => Action::Timeout { node: r.node()? },
        4 => Action::Request {
            node: r.node()?,
            cmd: r.command()?,
        },
        5 => Action::RequestFrom {
            client: ClientId(r.small(Text::new("wire.client"), u32::MAX as u64)? as u32),
            node: r.node()?,
            cmd: r.command()?,
        },
        6 => Action::Transfer { to: r.node()? },
        7 => Action::Snapshot { node: r.node()? },
        8 => {
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
            Action::Partition { groups }
        }
        9 => Action::Heal,
        10 | 11 => {
            let (from, to) = (r.node()?, r.node()?);
            let both = r.small(Text::new("wire.direction"), 1)? == 1;
            if code == 10 {
                Action::Cut { from, to, both }
            } else {
                Action::Repair { from, to, both }
            }
        }
        12 => Action::SetNetwork {
            network: NetConfig {
                latency_us_min: r.varint(Text::new("wire.latency"))?,
                latency_us_max: r.varint(Text::new("wire.latency"))?,
                loss_ppm: r.small(Text::new("wire.loss"), 1_000_000)? as u32,
                duplicate_ppm: r.small(Text::new("wire.duplication"), 1_000_000)? as u32,
                bandwidth_bytes_per_s: r.varint(Text::new("wire.bandwidth"))?,
            },
        },
        13 | 15 => {
            let carried =
                |tag: u64| RAFT_TAGS.contains(&tag) || (code == 15 && tag == RAFT_GRANULARITY_TAG);
            let mut s = Settings::default();
            for (_, _, set) in fields().iter().filter(|f| carried(f.0)) {
                let value = r.varint(Text::new("wire.raft_setting"))?;
                set(&mut s, value);
            }
            Action::SetRaft { raft: s.raft }
        }
        14 => Action::DropMessage {
            id: MsgId(r.varint(Text::new("wire.message_id"))?),
        },
        other => return Err(Text::new("error.link.unknown_action").with("code", other)),
    })
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
