#![cfg(not(target_arch = "wasm32"))]
//! Each rule of the Raft paper's Figure 2, and the extensions we implement, pinned to its
//! section on a single server: inputs in, effects out.

use faultline::sim::raft::{
    Command, Durable, Effect, Entry, Input, Message, Note, PersistOp, RaftConfig, RaftNode, Role,
    Timer,
};
use faultline::sim::rng::{SimRng, Stream};
use faultline::sim::types::{Addr, LogIndex, NodeId, Term};
use std::rc::Rc;

fn members(n: u32) -> Vec<NodeId> {
    (1..=n).map(NodeId).collect()
}

fn entry(index: u64, term: u64) -> Entry {
    Entry {
        index: LogIndex(index),
        term: Term(term),
        cmd: Rc::new(Command::Noop),
        origin: None,
    }
}

fn entries(terms: &[u64]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| entry(i as u64 + 1, *t))
        .collect()
}

/// A server of a 5-node cluster with the given stable state, and its random stream.
fn server(id: u32, term: u64, log_terms: &[u64], config: RaftConfig) -> (RaftNode, SimRng) {
    let mut rng = SimRng::stream(1, Stream::Node(id));
    let durable = Durable {
        term: Term(term),
        entries: entries(log_terms),
        ..Durable::default()
    };
    let mut out = Vec::new();
    let node = RaftNode::recover(NodeId(id), members(5), config, durable, &mut rng, &mut out);
    (node, rng)
}

fn step(node: &mut RaftNode, rng: &mut SimRng, input: Input) -> Vec<Effect> {
    let mut out = Vec::new();
    node.handle(input, rng, &mut out);
    out
}

fn from(n: u32, msg: Message) -> Input {
    Input::Receive {
        from: Addr::Node(NodeId(n)),
        msg,
    }
}

fn sends(effects: &[Effect]) -> Vec<(Addr, &Message)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, msg } => Some((*to, msg)),
            _ => None,
        })
        .collect()
}

fn vote_request(term: u64, candidate: u32, last_index: u64, last_term: u64) -> Message {
    Message::RequestVote {
        term: Term(term),
        candidate: NodeId(candidate),
        last_log_index: LogIndex(last_index),
        last_log_term: Term(last_term),
        pre_vote: false,
        transfer: false,
    }
}

fn granted(effects: &[Effect]) -> Option<bool> {
    sends(effects).iter().find_map(|(_, m)| match m {
        Message::RequestVoteReply { granted, .. } => Some(*granted),
        _ => None,
    })
}

/// Section 5.2: on an election timeout a follower increments its term, votes for itself,
/// persists both, and asks every other server for its vote.
#[test]
fn election_timeout_starts_a_candidacy() {
    let (mut node, mut rng) = server(1, 3, &[1, 2], RaftConfig::default());
    let out = step(&mut node, &mut rng, Input::ElectionTimeout);
    assert_eq!(node.role(), Role::Candidate);
    assert_eq!(node.term(), Term(4));
    assert_eq!(node.voted_for(), Some(NodeId(1)));
    assert!(out.contains(&Effect::Persist(PersistOp::HardState {
        term: Term(4),
        voted_for: Some(NodeId(1))
    })));
    let requests: Vec<_> = sends(&out)
        .into_iter()
        .filter(|(_, m)| {
            matches!(
                m,
                Message::RequestVote {
                    term: Term(4),
                    last_log_index: LogIndex(2),
                    last_log_term: Term(2),
                    ..
                }
            )
        })
        .collect();
    assert_eq!(requests.len(), 4);
    assert!(out.iter().any(|e| matches!(
        e,
        Effect::SetTimer {
            timer: Timer::Election,
            ..
        }
    )));
}

/// Figure 2, "Rules for All Servers": a higher term in any message makes a server adopt it
/// and become a follower.
#[test]
fn higher_term_converts_to_follower() {
    let (mut node, mut rng) = server(1, 3, &[], RaftConfig::default());
    step(&mut node, &mut rng, Input::ElectionTimeout);
    assert_eq!(node.role(), Role::Candidate);
    let reply = Message::AppendEntriesReply {
        term: Term(9),
        success: false,
        match_index: LogIndex(0),
        conflict_index: LogIndex(0),
        conflict_term: None,
    };
    step(&mut node, &mut rng, from(2, reply));
    assert_eq!(
        (node.role(), node.term(), node.voted_for()),
        (Role::Follower, Term(9), None)
    );
}

/// Section 5.2: each server votes for at most one candidate in a term, first come first
/// served; and Figure 2 requires the vote to be persisted before the reply is sent.
#[test]
fn one_vote_per_term_persisted_before_the_reply() {
    let (mut node, mut rng) = server(1, 1, &[1], RaftConfig::default());
    let out = step(&mut node, &mut rng, from(2, vote_request(2, 2, 1, 1)));
    assert_eq!(granted(&out), Some(true));
    let persist = out.iter().position(|e| matches!(e, Effect::Persist(_)));
    let reply = out.iter().position(|e| matches!(e, Effect::Send { .. }));
    assert!(
        persist < reply,
        "the vote is on disk before the reply leaves"
    );
    let out = step(&mut node, &mut rng, from(3, vote_request(2, 3, 1, 1)));
    assert_eq!(granted(&out), Some(false), "already voted for S2 in term 2");
    let out = step(&mut node, &mut rng, from(2, vote_request(2, 2, 1, 1)));
    assert_eq!(
        granted(&out),
        Some(true),
        "a repeated request from the same candidate is granted again"
    );
}

/// Section 5.4.1: a vote is denied to a candidate whose log is less up-to-date: compare the
/// last entries' terms, then the lengths.
#[test]
fn vote_denied_to_a_less_up_to_date_log() {
    let (mut node, mut rng) = server(1, 3, &[1, 3], RaftConfig::default());
    assert_eq!(
        granted(&step(
            &mut node,
            &mut rng,
            from(2, vote_request(4, 2, 9, 2))
        )),
        Some(false),
        "older last term"
    );
    assert_eq!(
        granted(&step(
            &mut node,
            &mut rng,
            from(3, vote_request(5, 3, 1, 3))
        )),
        Some(false),
        "shorter log"
    );
    assert_eq!(
        granted(&step(
            &mut node,
            &mut rng,
            from(4, vote_request(6, 4, 2, 3))
        )),
        Some(true),
        "equal"
    );
}

fn append(term: u64, prev_index: u64, prev_term: u64, new: Vec<Entry>, commit: u64) -> Message {
    Message::AppendEntries {
        term: Term(term),
        leader: NodeId(2),
        prev_log_index: LogIndex(prev_index),
        prev_log_term: Term(prev_term),
        entries: new,
        leader_commit: LogIndex(commit),
    }
}

fn append_reply(effects: &[Effect]) -> Option<(bool, u64, u64, Option<Term>)> {
    sends(effects).iter().find_map(|(_, m)| match m {
        Message::AppendEntriesReply {
            success,
            match_index,
            conflict_index,
            conflict_term,
            ..
        } => Some((*success, match_index.0, conflict_index.0, *conflict_term)),
        _ => None,
    })
}

/// Section 5.3: the consistency check rejects an AppendEntries whose previous entry does not
/// match, with a hint that skips a whole conflicting term; a matching one replaces the
/// conflicting suffix.
#[test]
fn consistency_check_and_conflict_resolution() {
    let (mut node, mut rng) = server(1, 3, &[1, 2, 2, 2], RaftConfig::default());
    let out = step(&mut node, &mut rng, from(2, append(4, 6, 3, vec![], 0)));
    assert_eq!(
        append_reply(&out),
        Some((false, 0, 5, None)),
        "too short: next index is 5"
    );
    let out = step(&mut node, &mut rng, from(2, append(4, 4, 3, vec![], 0)));
    assert_eq!(
        append_reply(&out),
        Some((false, 0, 2, Some(Term(2)))),
        "term 2 starts at index 2"
    );
    let out = step(
        &mut node,
        &mut rng,
        from(2, append(4, 2, 2, vec![entry(3, 4), entry(4, 4)], 0)),
    );
    assert_eq!(append_reply(&out), Some((true, 4, 0, None)));
    let terms: Vec<u64> = node.log().entries().iter().map(|e| e.term.0).collect();
    assert_eq!(terms, [1, 2, 4, 4]);
    assert!(out
        .iter()
        .any(|e| matches!(e, Effect::Note(Note::Truncated { from: LogIndex(3) }))));
}

/// Figure 2, AppendEntries rule 5: commitIndex = min(leaderCommit, index of last new entry).
#[test]
fn follower_commit_is_bounded_by_the_last_new_entry() {
    let (mut node, mut rng) = server(1, 3, &[1, 1, 1, 1, 1], RaftConfig::default());
    step(
        &mut node,
        &mut rng,
        from(2, append(3, 1, 1, vec![entry(2, 1)], 9)),
    );
    assert_eq!(
        node.commit_index(),
        LogIndex(2),
        "entries after 2 were not confirmed by this leader"
    );
    assert_eq!(
        node.last_applied(),
        LogIndex(2),
        "committed entries are applied"
    );
}

/// Section 5.4.2 and section 8: a new leader appends a no-op of its own term, and commits
/// nothing from earlier terms by counting replicas; once its own entry is on a majority,
/// everything before it is committed.
#[test]
fn leader_commits_only_through_an_entry_of_its_term() {
    let (mut node, mut rng) = server(1, 1, &[1, 1], RaftConfig::default());
    step(&mut node, &mut rng, Input::ElectionTimeout);
    for voter in [2, 3] {
        let reply = Message::RequestVoteReply {
            term: Term(2),
            granted: true,
            pre_vote: false,
        };
        step(&mut node, &mut rng, from(voter, reply));
    }
    assert_eq!(node.role(), Role::Leader);
    assert_eq!(node.log().last_term(), Term(2), "no-op of the new term");
    assert_eq!(
        node.log().entry(LogIndex(3)).map(|e| (*e.cmd).clone()),
        Some(Command::Noop)
    );
    let ack = |m: u64| Message::AppendEntriesReply {
        term: Term(2),
        success: true,
        match_index: LogIndex(m),
        conflict_index: LogIndex(0),
        conflict_term: None,
    };
    step(&mut node, &mut rng, from(2, ack(2)));
    step(&mut node, &mut rng, from(3, ack(2)));
    assert_eq!(
        node.commit_index(),
        LogIndex(0),
        "index 2 is from term 1: not committed by counting"
    );
    step(&mut node, &mut rng, from(2, ack(3)));
    step(&mut node, &mut rng, from(3, ack(3)));
    assert_eq!(
        node.commit_index(),
        LogIndex(3),
        "the no-op commits everything before it"
    );
}

/// Thesis section 9.6: a PreVote round does not raise anybody's term.
#[test]
fn pre_vote_does_not_disturb_terms() {
    let config = RaftConfig {
        pre_vote: true,
        ..RaftConfig::default()
    };
    let (mut node, mut rng) = server(1, 5, &[1], config.clone());
    let out = step(&mut node, &mut rng, Input::ElectionTimeout);
    assert_eq!((node.role(), node.term()), (Role::PreCandidate, Term(5)));
    assert!(sends(&out).iter().all(|(_, m)| matches!(
        m,
        Message::RequestVote {
            pre_vote: true,
            term: Term(6),
            ..
        }
    )));
    let (mut voter, mut vrng) = server(2, 5, &[1], config);
    let pre = Message::RequestVote {
        term: Term(6),
        candidate: NodeId(1),
        last_log_index: LogIndex(1),
        last_log_term: Term(1),
        pre_vote: true,
        transfer: false,
    };
    let out = step(&mut voter, &mut vrng, from(1, pre));
    assert!(sends(&out).iter().any(|(_, m)| matches!(
        m,
        Message::RequestVoteReply {
            granted: true,
            pre_vote: true,
            ..
        }
    )));
    assert_eq!(
        (voter.term(), voter.voted_for()),
        (Term(5), None),
        "the voter's term and vote are untouched"
    );
}

/// Thesis section 6.2: with CheckQuorum a leader that has not heard from a majority within an
/// election timeout steps down.
#[test]
fn check_quorum_leader_steps_down_when_isolated() {
    let config = RaftConfig {
        check_quorum: true,
        ..RaftConfig::default()
    };
    let (mut node, mut rng) = server(1, 1, &[], config);
    step(&mut node, &mut rng, Input::ElectionTimeout);
    for voter in [2, 3] {
        step(
            &mut node,
            &mut rng,
            from(
                voter,
                Message::RequestVoteReply {
                    term: Term(2),
                    granted: true,
                    pre_vote: false,
                },
            ),
        );
    }
    assert_eq!(node.role(), Role::Leader);
    step(&mut node, &mut rng, Input::ElectionTimeout); // the votes count as contact
    assert_eq!(node.role(), Role::Leader);
    step(&mut node, &mut rng, Input::ElectionTimeout); // nobody answered since
    assert_eq!(node.role(), Role::Follower);
}

/// Thesis section 3.10: leadership transfer sends TimeoutNow once the target is caught up,
/// and the target campaigns at once.
#[test]
fn leadership_transfer() {
    let (mut node, mut rng) = server(1, 1, &[], RaftConfig::default());
    step(&mut node, &mut rng, Input::ElectionTimeout);
    for voter in [2, 3] {
        step(
            &mut node,
            &mut rng,
            from(
                voter,
                Message::RequestVoteReply {
                    term: Term(2),
                    granted: true,
                    pre_vote: false,
                },
            ),
        );
    }
    let out = step(
        &mut node,
        &mut rng,
        Input::TransferLeadership { to: NodeId(4) },
    );
    assert!(
        !sends(&out)
            .iter()
            .any(|(_, m)| matches!(m, Message::TimeoutNow { .. })),
        "S4 is not caught up yet"
    );
    let ack = Message::AppendEntriesReply {
        term: Term(2),
        success: true,
        match_index: node.log().last_index(),
        conflict_index: LogIndex(0),
        conflict_term: None,
    };
    let out = step(&mut node, &mut rng, from(4, ack));
    assert!(sends(&out)
        .iter()
        .any(|(to, m)| *to == Addr::Node(NodeId(4)) && matches!(m, Message::TimeoutNow { .. })));
    let (mut target, mut trng) = server(4, 2, &[2], RaftConfig::default());
    let out = step(
        &mut target,
        &mut trng,
        from(
            1,
            Message::TimeoutNow {
                term: Term(2),
                leader: NodeId(1),
            },
        ),
    );
    assert_eq!((target.role(), target.term()), (Role::Candidate, Term(3)));
    assert!(sends(&out)
        .iter()
        .all(|(_, m)| matches!(m, Message::RequestVote { transfer: true, .. })));
}

/// The election timeouts a server sets over `rounds` timeouts in a row.
fn election_timeouts(config: RaftConfig, rounds: usize) -> Vec<u64> {
    let (mut node, mut rng) = server(1, 1, &[], config);
    (0..rounds)
        .flat_map(|_| step(&mut node, &mut rng, Input::ElectionTimeout))
        .filter_map(|e| match e {
            Effect::SetTimer {
                timer: Timer::Election,
                after_us,
            } => Some(after_us),
            _ => None,
        })
        .collect()
}

/// Raft paper section 9.3 (Figure 16) measured LogCabin, which draws election timeouts in whole
/// milliseconds: `Core::Random::randomRange(ELECTION_TIMEOUT_MS, ELECTION_TIMEOUT_MS * 2)` is
/// `lround(start + u·(end − start))`. With a granularity of 1 ms each timeout of 150–155 ms is
/// one of its six whole milliseconds, the ends half as likely as the rest (the ends of an
/// `lround` range gather half an interval each). The rounded timeouts are the same draws as
/// without a granularity, rounded: no random number more is taken, so turning it off is the
/// same run as before the setting existed.
#[test]
fn election_timeouts_in_whole_milliseconds_as_logcabin() {
    let plain = RaftConfig {
        election_timeout_us_min: 150_000,
        election_timeout_us_max: 155_000,
        ..RaftConfig::default()
    };
    let whole_ms = RaftConfig {
        election_timeout_granularity_us: 1_000,
        ..plain.clone()
    };
    let rounds = 6_000;
    let drawn = election_timeouts(plain, rounds);
    let rounded = election_timeouts(whole_ms, rounds);
    assert_eq!(drawn.len(), rounds);
    assert_eq!(
        &rounded[..6],
        [153_000, 151_000, 154_000, 152_000, 154_000, 154_000]
    );
    for (d, r) in drawn.iter().zip(&rounded) {
        assert_eq!(
            *r,
            (d + 500) / 1_000 * 1_000,
            "{d} rounds to the nearest millisecond"
        );
    }
    let mut counts = std::collections::BTreeMap::new();
    for r in &rounded {
        *counts.entry(r / 1_000).or_insert(0u32) += 1;
    }
    assert_eq!(
        counts.keys().copied().collect::<Vec<_>>(),
        (150..=155).collect::<Vec<u64>>()
    );
    // 6000 draws: 600 expected at each end, 1200 at each inner millisecond.
    for (ms, n) in counts {
        let expected = if ms == 150 || ms == 155 { 600 } else { 1_200 };
        assert!(
            n.abs_diff(expected) < expected / 5,
            "{ms} ms drawn {n} times"
        );
    }
}
