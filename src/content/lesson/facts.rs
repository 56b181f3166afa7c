//! Facts of a run that a step's text states ("S2 leads term 1", "x=2 is at index 3"), written
//! down beside the text so that `tests/lessons.rs` can check each one against the replayed
//! run: a change to the simulation that shifts an index fails a test instead of silently
//! making a lesson wrong. The page reads facts (the reader refuses unknown fields) and never
//! evaluates them.

use crate::codec::json::Json;
use crate::sim::raft::{Command, Role};
use crate::sim::types::{LogIndex, Micros, NodeId, Term, MICROS_PER_MS};
use crate::sim::Simulation;

/// One stated fact, at the step's moment or at another moment of the same run (a later one
/// is the run as the lesson continues it: the step's actions, then its task's solution).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// When it holds (the step's moment when the file gives none).
    pub at_us: Micros,
    pub claim: Claim,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// `node` is up and leads, in `term` when given.
    Leader { node: NodeId, term: Option<Term> },
    /// No live server is leader.
    NoLeader,
    /// `node`'s current term.
    Term { node: NodeId, term: Term },
    /// `node`'s role: `follower`, `candidate` or `leader`.
    Role { node: NodeId, role: Role },
    /// `node`'s commit index.
    Commit { node: NodeId, index: LogIndex },
    /// `node`'s last log index.
    LastIndex { node: NodeId, index: LogIndex },
    /// The entry at `index` of `node`'s log: its term and command (`x=2` or `no-op`).
    Entry {
        node: NodeId,
        index: LogIndex,
        term: Option<Term>,
        cmd: String,
    },
    /// `node`'s state machine holds `key` = `value`.
    Value {
        node: NodeId,
        key: String,
        value: String,
    },
    /// `node` is down (crashed, or still replaying its disk).
    Down { node: NodeId },
    /// Whom `node` voted for in its current term.
    VotedFor { node: NodeId, candidate: NodeId },
    /// The configuration `node` uses (the latest in its log, thesis section 4.1): its voters
    /// and its learners, each list in id order.
    Config {
        node: NodeId,
        voters: Vec<NodeId>,
        learners: Vec<NodeId>,
    },
    /// The live checks report a violation of this property (its `Property` name, as
    /// `LeaderCompleteness`).
    Violated { property: String },
    /// The live checks report no violation at all.
    Safe,
    /// The index `node`'s snapshot on disk covers.
    Snapshot { node: NodeId, index: LogIndex },
    /// A default of the page, named as in [`default_of`] (`ring_vnodes`: 64).
    Default { field: String, value: u64 },
    /// On the Hash ring page's default ring with `vnodes` tokens per node, the busiest
    /// node owns between `min_percent` and `max_percent` of the mean's keys.
    RingMaxOverMean {
        vnodes: u32,
        min_percent: u32,
        max_percent: u32,
    },
    /// On the Retransmission page's default run (with `latency_ms` one way, if given), the
    /// first round trip measured is `rtt_ms` and the timeout it sets `rto_ms` (whole ms).
    RtFirstRtt {
        latency_ms: Option<u64>,
        rtt_ms: u64,
        rto_ms: u64,
    },
}

/// A role in words, without the Debug machinery (the page carries this code).
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Follower => "follower",
        Role::PreCandidate => "pre-candidate",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

fn who(node: Option<NodeId>) -> String {
    node.map_or("nobody".into(), |n| format!("S{}", n.0))
}

/// A property as lesson files name it: its name without spaces (`LeaderCompleteness`).
fn property_id(p: crate::sim::raft::checks::Property) -> String {
    p.name().replace([' ', '-'], "")
}

/// The page's default for `field`, the value a step may state (V = 64, R = 3, 150 to 300 ms).
pub fn default_of(field: &str) -> Option<u64> {
    use crate::sim::raft::settings::Settings;
    use crate::sim::retransmit::{page_settings, RtoPolicy};
    use crate::sim::ring::store::{RingSettings, PAGE_VNODES};
    let raft = Settings::default().raft;
    let ring = RingSettings::default();
    let rt = page_settings();
    let tp = crate::sim::twopc::page_settings();
    let pb = crate::sim::pb::page::page_settings(crate::sim::pb::Replication::Hot).pb;
    let ms = |us: Micros| us / MICROS_PER_MS;
    let (rto_initial_us, rto_min_us, rto_max_us) = match rt.retransmit.rto {
        RtoPolicy::Adaptive {
            initial_us,
            min_us,
            max_us,
        } => (initial_us, min_us, max_us),
        RtoPolicy::Fixed { rto_us } => (rto_us, rto_us, rto_us),
    };
    Some(match field {
        "ring_vnodes" => PAGE_VNODES as u64,
        "ring_nodes" => ring.nodes as u64,
        "ring_replicas" => ring.replication as u64,
        "ring_write_quorum" => ring.write_quorum as u64,
        "ring_read_quorum" => ring.read_quorum as u64,
        "ring_failure_detection_ms" => ms(ring.failure_detection_us),
        "election_timeout_ms_min" => ms(raft.election_timeout_us_min),
        "election_timeout_ms_max" => ms(raft.election_timeout_us_max),
        "heartbeat_ms" => ms(raft.heartbeat_interval_us),
        "rt_messages" => rt.retransmit.messages,
        "rt_window" => u64::from(rt.retransmit.window),
        "rt_latency_ms" => ms(rt.network.latency_us_min),
        "rt_loss_percent" => crate::sim::net::NetConfig::percent_of_ppm(rt.network.loss_ppm),
        "rt_rto_initial_ms" => ms(rto_initial_us),
        "rt_rto_min_ms" => ms(rto_min_us),
        "rt_rto_max_ms" => ms(rto_max_us),
        "tp_participants" => u64::from(tp.twopc.participants),
        "tp_clients" => u64::from(tp.twopc.clients),
        "tp_latency_ms_min" => ms(tp.network.latency_us_min),
        "tp_latency_ms_max" => ms(tp.network.latency_us_max),
        "tp_decision_timeout_ms" => ms(tp.twopc.decision_timeout_us),
        "pb_ping_ms" => ms(pb.ping_interval_us),
        "pb_dead_timeout_ms" => ms(pb.dead_timeout_us),
        "pb_lease_ms" => ms(pb.lease_us),
        "pb_ship_ms" => ms(pb.ship_interval_us),
        "pb_checkpoint_every_writes" => u64::from(pb.checkpoint_every_writes),
        "pb_replay_ms_per_entry" => ms(pb.replay_us_per_entry),
        "pb_client_timeout_ms" => ms(pb.client_timeout_us),
        "pb_crash_down_ms" => ms(crate::sim::pb::page::PAGE_DOWN_US),
        "pb_pause_ms" => ms(crate::sim::pb::page::PAGE_PAUSE_US),
        _ => return None,
    })
}

/// The busiest node's keys over the mean, in percent, on the page's default ring with
/// `vnodes` tokens per node.
pub fn ring_max_over_mean_percent(vnodes: u32) -> Result<u32, String> {
    use crate::sim::ring::store::{RingSettings, RingSim};
    let sim = RingSim::new(RingSettings {
        vnodes,
        ..RingSettings::default()
    })?;
    let ring = sim.ring().ok_or("the ring is empty")?;
    let mut owned: std::collections::BTreeMap<NodeId, u64> = Default::default();
    for pos in sim.key_positions() {
        *owned.entry(ring.owner(ring.successor(*pos).0)).or_default() += 1;
    }
    let keys = sim.key_positions().len() as u64;
    let nodes = ring.nodes().len() as u64;
    let max = owned.values().copied().max().unwrap_or_default();
    if keys == 0 || nodes == 0 {
        return Err("no keys or no nodes".into());
    }
    Ok((max * nodes * 100 / keys) as u32)
}

impl Fact {
    /// Reads one fact; `step_at_us` is the step's moment, `nodes` the cluster's size.
    pub fn parse(j: &Json, nodes: u32, step_at_us: Micros) -> Result<Fact, String> {
        let line = j.line;
        let err = |e: &str| format!("line {line}: fact: {e}");
        let kind = j
            .get("fact")
            .and_then(Json::as_str)
            .ok_or_else(|| err("`fact` must name the kind of fact"))?;
        let keys: &[&str] = match kind {
            "leader" => &["node", "term"],
            "no_leader" | "safe" => &[],
            "term" | "commit" | "last_index" | "voted_for" | "snapshot" | "role" => &["node", "is"],
            "entry" => &["node", "index", "term", "cmd"],
            "value" => &["node", "key", "is"],
            "down" => &["node"],
            "config" => &["node", "voters", "learners"],
            "violated" => &["property"],
            "default" => &["field", "is"],
            "ring_max_over_mean" => &["vnodes", "min_percent", "max_percent"],
            "rt_first_rtt" => &["latency_ms", "rtt_ms", "rto_ms"],
            other => return Err(err(&format!("unknown kind `{other}`"))),
        };
        if let Some(members) = j.members() {
            for (k, _) in members {
                if k != "fact" && k != "at_ms" && !keys.contains(&k.as_str()) {
                    return Err(err(&format!("unknown field `{k}` for a `{kind}` fact")));
                }
            }
        }
        let number = |key: &str| -> Result<u64, String> {
            j.get(key)
                .and_then(Json::as_u64)
                .ok_or_else(|| err(&format!("`{key}` must be a whole number")))
        };
        let text = |key: &str| -> Result<String, String> {
            j.get(key)
                .and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| err(&format!("`{key}` must be a string")))
        };
        let node = || -> Result<NodeId, String> {
            let n = number("node")?;
            if n == 0 || n > nodes as u64 {
                return Err(err(&format!("node {n} does not exist")));
            }
            Ok(NodeId(n as u32))
        };
        let claim = match kind {
            "leader" => Claim::Leader {
                node: node()?,
                term: match j.get("term") {
                    Some(_) => Some(Term(number("term")?)),
                    None => None,
                },
            },
            "no_leader" => Claim::NoLeader,
            "safe" => Claim::Safe,
            "term" => Claim::Term {
                node: node()?,
                term: Term(number("is")?),
            },
            "role" => Claim::Role {
                node: node()?,
                role: match text("is")?.as_str() {
                    "follower" => Role::Follower,
                    "candidate" => Role::Candidate,
                    "leader" => Role::Leader,
                    other => return Err(err(&format!("no role `{other}`"))),
                },
            },
            "commit" => Claim::Commit {
                node: node()?,
                index: LogIndex(number("is")?),
            },
            "last_index" => Claim::LastIndex {
                node: node()?,
                index: LogIndex(number("is")?),
            },
            "snapshot" => Claim::Snapshot {
                node: node()?,
                index: LogIndex(number("is")?),
            },
            "entry" => Claim::Entry {
                node: node()?,
                index: LogIndex(number("index")?),
                term: match j.get("term") {
                    Some(_) => Some(Term(number("term")?)),
                    None => None,
                },
                cmd: text("cmd")?,
            },
            "value" => Claim::Value {
                node: node()?,
                key: text("key")?,
                value: text("is")?,
            },
            "down" => Claim::Down { node: node()? },
            "config" => {
                let ids = |key: &str| -> Result<Vec<NodeId>, String> {
                    let Some(list) = j.get(key) else {
                        return Ok(Vec::new());
                    };
                    let bad = || err(&format!("`{key}` must be a list of node numbers"));
                    let mut ids = list
                        .as_array()
                        .ok_or_else(bad)?
                        .iter()
                        .map(|n| {
                            n.as_u64()
                                .filter(|n| (1..=u64::from(nodes)).contains(n))
                                .map(|n| NodeId(n as u32))
                                .ok_or_else(bad)
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    ids.sort_unstable();
                    Ok(ids)
                };
                if j.get("voters").is_none() {
                    return Err(err("a `config` fact needs `voters`"));
                }
                Claim::Config {
                    node: node()?,
                    voters: ids("voters")?,
                    learners: ids("learners")?,
                }
            }
            "voted_for" => {
                let n = node()?;
                let c = number("is")?;
                Claim::VotedFor {
                    node: n,
                    candidate: NodeId(u32::try_from(c).map_err(|_| err("`is` is too large"))?),
                }
            }
            "violated" => Claim::Violated {
                property: text("property")?,
            },
            "default" => {
                let field = text("field")?;
                if default_of(&field).is_none() {
                    return Err(err(&format!("no default named `{field}`")));
                }
                Claim::Default {
                    field,
                    value: number("is")?,
                }
            }
            "ring_max_over_mean" => {
                let small = |key: &str| {
                    number(key).and_then(|v| {
                        u32::try_from(v).map_err(|_| err(&format!("`{key}` is too large")))
                    })
                };
                Claim::RingMaxOverMean {
                    vnodes: small("vnodes")?,
                    min_percent: small("min_percent")?,
                    max_percent: small("max_percent")?,
                }
            }
            "rt_first_rtt" => Claim::RtFirstRtt {
                latency_ms: match j.get("latency_ms") {
                    Some(_) => Some(number("latency_ms")?),
                    None => None,
                },
                rtt_ms: number("rtt_ms")?,
                rto_ms: number("rto_ms")?,
            },
            _ => return Err(err(&format!("unknown kind `{kind}`"))),
        };
        let at_us = match j.get("at_ms") {
            Some(v) => v
                .as_u64()
                .and_then(|ms| ms.checked_mul(MICROS_PER_MS))
                .ok_or_else(|| err("`at_ms` must be a whole number"))?,
            None => step_at_us,
        };
        Ok(Fact { at_us, claim })
    }

    /// What the step's text must contain for this fact to be the one it states, in any
    /// language: server names, numbers and commands are written the same in every one.
    pub fn stated(&self) -> Vec<String> {
        let s = |n: &NodeId| format!("S{}", n.0);
        match &self.claim {
            Claim::Leader { node, term } => {
                let mut out = vec![s(node)];
                out.extend(term.map(|t| t.0.to_string()));
                out
            }
            Claim::Term { node, term } => vec![s(node), term.0.to_string()],
            Claim::Commit { node, index }
            | Claim::LastIndex { node, index }
            | Claim::Snapshot { node, index } => vec![s(node), index.0.to_string()],
            Claim::Entry {
                index, term, cmd, ..
            } => {
                let mut out = vec![index.0.to_string()];
                out.extend(term.map(|t| t.0.to_string()));
                if cmd != "no-op" {
                    out.push(cmd.clone());
                }
                out
            }
            Claim::Value { key, value, .. } => vec![format!("{key}={value}")],
            Claim::Down { node } | Claim::Role { node, .. } => vec![s(node)],
            Claim::VotedFor { node, candidate } => vec![s(node), s(candidate)],
            // The text names the servers that count (and the learner, when there is one).
            Claim::Config {
                voters, learners, ..
            } => voters.iter().chain(learners).map(s).collect(),
            Claim::Default { value, .. } => vec![value.to_string()],
            Claim::RtFirstRtt {
                latency_ms,
                rtt_ms,
                rto_ms,
            } => {
                let mut out: Vec<String> = latency_ms.iter().map(u64::to_string).collect();
                out.extend([rtt_ms.to_string(), rto_ms.to_string()]);
                out
            }
            Claim::NoLeader
            | Claim::Violated { .. }
            | Claim::Safe
            | Claim::RingMaxOverMean { .. } => Vec::new(),
        }
    }

    /// Whether the fact needs the step's run (the others are about the page's defaults).
    pub fn needs_run(&self) -> bool {
        !matches!(
            self.claim,
            Claim::Default { .. } | Claim::RingMaxOverMean { .. } | Claim::RtFirstRtt { .. }
        )
    }

    /// Whether a fact about the page's defaults holds (no run needed).
    pub fn check_default(&self) -> Result<(), String> {
        match &self.claim {
            Claim::Default { field, value } => {
                let real = default_of(field).ok_or_else(|| format!("no default `{field}`"))?;
                if real == *value {
                    Ok(())
                } else {
                    Err(format!("the page's {field} is {real}"))
                }
            }
            Claim::RingMaxOverMean {
                vnodes,
                min_percent,
                max_percent,
            } => {
                let p = ring_max_over_mean_percent(*vnodes)?;
                if (*min_percent..=*max_percent).contains(&p) {
                    Ok(())
                } else {
                    Err(format!("max/mean is {p}% with V = {vnodes}"))
                }
            }
            Claim::RtFirstRtt {
                latency_ms,
                rtt_ms,
                rto_ms,
            } => {
                let (rtt, rto) = super::retransmit::first_round_trip_ms(*latency_ms)?;
                if (rtt, rto) == (*rtt_ms, *rto_ms) {
                    Ok(())
                } else {
                    Err(format!(
                        "the first round trip is {rtt} ms, and sets {rto} ms"
                    ))
                }
            }
            _ => Err("this fact is about a run".into()),
        }
    }

    /// Whether the fact holds in `sim` (the run at the fact's moment); the error says what
    /// the run shows instead.
    pub fn check(&self, sim: &Simulation) -> Result<(), String> {
        let up = |n: NodeId| sim.node(n).and_then(|slot| slot.process.as_ref());
        let down = |n: NodeId| format!("S{} is down", n.0);
        let ok = |holds: bool, shows: String| if holds { Ok(()) } else { Err(shows) };
        match &self.claim {
            Claim::Leader { node, term } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(
                    r.role() == Role::Leader && term.is_none_or(|t| r.term() == t),
                    format!(
                        "S{} is {} in term {}",
                        node.0,
                        role_name(r.role()),
                        r.term().0
                    ),
                )
            }
            Claim::NoLeader => ok(
                sim.leader().is_none(),
                format!("{} leads", who(sim.leader())),
            ),
            Claim::Term { node, term } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(r.term() == *term, format!("term {}", r.term().0))
            }
            Claim::Role { node, role } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(r.role() == *role, role_name(r.role()).to_string())
            }
            Claim::Commit { node, index } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(
                    r.commit_index() == *index,
                    format!("commit index {}", r.commit_index().0),
                )
            }
            Claim::LastIndex { node, index } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(
                    r.log().last_index() == *index,
                    format!("last index {}", r.log().last_index().0),
                )
            }
            Claim::Entry {
                node,
                index,
                term,
                cmd,
            } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                let e = r
                    .log()
                    .entry(*index)
                    .ok_or_else(|| format!("S{} has no entry {}", node.0, index.0))?;
                let shown = match &*e.cmd {
                    Command::Noop => "no-op".to_string(),
                    Command::Put { key, value } => format!("{key}={value}"),
                    // A configuration as the Logs panel would read it: `config 1,2,3 +4`.
                    Command::Config(c) => {
                        let ids = |v: &[NodeId]| {
                            v.iter()
                                .map(|n| n.0.to_string())
                                .collect::<Vec<_>>()
                                .join(",")
                        };
                        if c.learners.is_empty() {
                            format!("config {}", ids(&c.voters))
                        } else {
                            format!("config {} +{}", ids(&c.voters), ids(&c.learners))
                        }
                    }
                    _ => "another command".to_string(),
                };
                ok(
                    &shown == cmd && term.is_none_or(|t| e.term == t),
                    format!("entry {} is {shown} of term {}", index.0, e.term.0),
                )
            }
            Claim::Value { node, key, value } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                let v = r.kv().data.get(key);
                ok(
                    v == Some(value),
                    format!("{key} is {}", v.map_or("absent", |v| v.as_str())),
                )
            }
            Claim::Down { node } => ok(
                sim.node(*node).is_some_and(|n| !n.is_up()),
                format!("S{} is up", node.0),
            ),
            Claim::Config {
                node,
                voters,
                learners,
            } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                let c = r.configuration();
                let names = |v: &[NodeId]| {
                    v.iter()
                        .map(|n| format!("S{}", n.0))
                        .collect::<Vec<_>>()
                        .join(",")
                };
                ok(
                    c.voters == *voters && c.learners == *learners,
                    format!(
                        "voters {} learners {}",
                        names(&c.voters),
                        names(&c.learners)
                    ),
                )
            }
            Claim::VotedFor { node, candidate } => {
                let r = up(*node).ok_or_else(|| down(*node))?;
                ok(
                    r.voted_for() == Some(*candidate),
                    format!("voted for {} in term {}", who(r.voted_for()), r.term().0),
                )
            }
            Claim::Violated { property } => ok(
                sim.violations()
                    .iter()
                    .any(|v| property_id(v.property) == *property),
                format!(
                    "violations: {}",
                    sim.violations()
                        .iter()
                        .map(|v| property_id(v.property))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Claim::Safe => ok(
                sim.violations().is_empty(),
                format!("{} violations", sim.violations().len()),
            ),
            Claim::Snapshot { node, index } => {
                let at = sim
                    .node(*node)
                    .and_then(|n| n.disk.snapshot().map(|s| s.last_index))
                    .unwrap_or_default();
                ok(at == *index, format!("snapshot at {}", at.0))
            }
            Claim::Default { .. } | Claim::RingMaxOverMean { .. } | Claim::RtFirstRtt { .. } => {
                self.check_default()
            }
        }
    }
}
