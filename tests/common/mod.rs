//! Helpers shared by the scenario tests: a cluster whose elections are driven by hand.

#![allow(dead_code)]

use faultline::sim::raft::checks::Property;
use faultline::sim::raft::{Command, Role};
use faultline::sim::types::{ClientId, NodeId, Term, MICROS_PER_MS};
use faultline::sim::{Action, Settings, Simulation};

/// A cluster with fixed 10 ms latency and election timeouts so long that nothing happens
/// unless a test makes it happen.
pub fn scripted(nodes: u32) -> Settings {
    let mut s = Settings {
        nodes,
        seed: 11,
        ..Settings::default()
    };
    s.network.latency_us_min = 10 * MICROS_PER_MS;
    s.network.latency_us_max = 10 * MICROS_PER_MS;
    s.network.bandwidth_bytes_per_s = 0;
    s.raft.election_timeout_us_min = 5_000 * MICROS_PER_MS;
    s.raft.election_timeout_us_max = 6_000 * MICROS_PER_MS;
    s.raft.heartbeat_interval_us = 50 * MICROS_PER_MS;
    s
}

pub struct Script {
    pub sim: Simulation,
}

impl Script {
    pub fn new(settings: Settings) -> Script {
        Script {
            sim: Simulation::new(settings).expect("valid settings"),
        }
    }
    pub fn act(&mut self, action: Action) -> &mut Self {
        self.sim.act(action).expect("valid action");
        self
    }
    pub fn run_ms(&mut self, ms: u64) -> &mut Self {
        let t = self.sim.now_us() + ms * MICROS_PER_MS;
        self.sim.run_until(t);
        self
    }
    pub fn timeout(&mut self, node: u32) -> &mut Self {
        self.act(Action::Timeout { node: NodeId(node) })
    }
    pub fn crash(&mut self, node: u32) -> &mut Self {
        self.act(Action::Crash {
            node: NodeId(node),
            mode: Default::default(),
        })
    }
    pub fn restart(&mut self, node: u32) -> &mut Self {
        self.act(Action::Restart { node: NodeId(node) })
    }
    pub fn put(&mut self, node: u32, key: &str, value: &str) -> &mut Self {
        let cmd = Command::Put {
            key: key.into(),
            value: value.into(),
        };
        self.act(Action::Request {
            node: NodeId(node),
            cmd,
        })
    }
    /// A put from its own client session, so it does not wait behind earlier requests.
    pub fn put_as(&mut self, client: u32, node: u32, key: &str, value: &str) -> &mut Self {
        let cmd = Command::Put {
            key: key.into(),
            value: value.into(),
        };
        self.act(Action::RequestFrom {
            client: ClientId(client),
            node: NodeId(node),
            cmd,
        })
    }
    pub fn cut(&mut self, from: u32, to: u32) -> &mut Self {
        self.act(Action::Cut {
            from: NodeId(from),
            to: NodeId(to),
            both: false,
        })
    }
    pub fn heal(&mut self) -> &mut Self {
        self.act(Action::Heal)
    }
    pub fn role(&self, node: u32) -> Option<Role> {
        self.sim
            .node(NodeId(node))
            .and_then(|n| n.process.as_ref())
            .map(|r| r.role())
    }
    pub fn term(&self, node: u32) -> Term {
        self.sim
            .node(NodeId(node))
            .and_then(|n| n.process.as_ref())
            .map(|r| r.term())
            .unwrap_or_default()
    }
    /// The terms of a live node's log entries, from index 1 (the snapshot is not used here).
    pub fn log_terms(&self, node: u32) -> Vec<u64> {
        self.sim
            .node(NodeId(node))
            .and_then(|n| n.process.as_ref())
            .map(|r| r.log().entries().iter().map(|e| e.term.0).collect())
            .unwrap_or_default()
    }
    pub fn commit(&self, node: u32) -> u64 {
        self.sim
            .node(NodeId(node))
            .and_then(|n| n.process.as_ref())
            .map(|r| r.commit_index().0)
            .unwrap_or(0)
    }
    pub fn violated(&self) -> Vec<Property> {
        self.sim.violations().iter().map(|v| v.property).collect()
    }
}

/// Prints the trace without message traffic (for debugging a scenario).
pub fn dump(sim: &Simulation) {
    use faultline::sim::trace::TraceEvent;
    for line in sim.trace() {
        if !matches!(
            line.event,
            TraceEvent::Send { .. } | TraceEvent::Deliver { .. }
        ) {
            println!("{:>8} {:?}", line.t / 1000, line.event);
        }
    }
}
