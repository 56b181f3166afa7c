#![cfg(not(target_arch = "wasm32"))]
//! The Raft paper's Figure 7 (section 5.3): a new leader forces the logs of followers (a)-(f),
//! which miss entries, have extra uncommitted entries, or both, to match its own.

use faultline::sim::raft::{
    Command, Durable, Effect, Entry, Input, Message, RaftConfig, RaftNode, Role,
};
use faultline::sim::rng::{SimRng, Stream};
use faultline::sim::types::{Addr, LogIndex, NodeId, Term};
use std::collections::VecDeque;
use std::rc::Rc;

fn log_of(terms: &[u64]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| Entry {
            index: LogIndex(i as u64 + 1),
            term: Term(*t),
            cmd: Rc::new(Command::Noop),
            origin: None,
        })
        .collect()
}

#[test]
fn leader_brings_every_follower_log_into_line() {
    // Server 1 is the leader-to-be; 2..=7 are followers (a)..(f) of the figure.
    let logs: [&[u64]; 7] = [
        &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6],
        &[1, 1, 1, 4, 4, 5, 5, 6, 6],
        &[1, 1, 1, 4],
        &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
        &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
        &[1, 1, 1, 4, 4, 4, 4],
        &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
    ];
    let members: Vec<NodeId> = (1..=7).map(NodeId).collect();
    let mut rngs: Vec<SimRng> = (1..=7)
        .map(|i| SimRng::stream(7, Stream::Node(i)))
        .collect();
    let mut nodes: Vec<RaftNode> = Vec::new();
    for (i, terms) in logs.iter().enumerate() {
        let durable = Durable {
            term: Term(7),
            entries: log_of(terms),
            ..Durable::default()
        };
        let mut out = Vec::new();
        nodes.push(RaftNode::recover(
            NodeId(i as u32 + 1),
            members.clone(),
            RaftConfig::default(),
            durable,
            &mut rngs[i],
            &mut out,
        ));
    }
    // A network that delivers every message, in order; timers fire only when asked.
    let mut wire: VecDeque<(NodeId, NodeId, Message)> = VecDeque::new();
    let run = |nodes: &mut Vec<RaftNode>,
               rngs: &mut Vec<SimRng>,
               first: (usize, Input),
               wire: &mut VecDeque<(NodeId, NodeId, Message)>| {
        let mut inputs = VecDeque::from([first]);
        let mut steps = 0;
        loop {
            if let Some((slot, input)) = inputs.pop_front() {
                let mut out = Vec::new();
                nodes[slot].handle(input, &mut rngs[slot], &mut out);
                for e in out {
                    if let Effect::Send {
                        to: Addr::Node(to),
                        msg,
                    } = e
                    {
                        wire.push_back((NodeId(slot as u32 + 1), to, msg));
                    }
                }
            } else if let Some((from, to, msg)) = wire.pop_front() {
                inputs.push_back((
                    to.slot(),
                    Input::Receive {
                        from: Addr::Node(from),
                        msg,
                    },
                ));
            } else {
                break;
            }
            steps += 1;
            assert!(steps < 10_000, "the exchange settles");
        }
    };
    run(
        &mut nodes,
        &mut rngs,
        (0, Input::ElectionTimeout),
        &mut wire,
    );
    assert_eq!(
        nodes[0].role(),
        Role::Leader,
        "(a), (b), (e) and (f) vote for the leader"
    );
    for _ in 0..3 {
        run(
            &mut nodes,
            &mut rngs,
            (0, Input::HeartbeatTimeout),
            &mut wire,
        );
    }
    let leader: Vec<(u64, u64)> = nodes[0]
        .log()
        .entries()
        .iter()
        .map(|e| (e.index.0, e.term.0))
        .collect();
    assert_eq!(leader.len(), 11, "ten entries and the new leader's no-op");
    for (i, node) in nodes.iter().enumerate().skip(1) {
        let follower: Vec<(u64, u64)> = node
            .log()
            .entries()
            .iter()
            .map(|e| (e.index.0, e.term.0))
            .collect();
        assert_eq!(
            follower,
            leader,
            "follower ({}) matches the leader",
            (b'a' + i as u8 - 1) as char
        );
        assert_eq!(node.commit_index(), LogIndex(11));
    }
}
