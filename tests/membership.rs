#![cfg(not(target_arch = "wasm32"))]
//! Membership change on the whole cluster (Raft thesis, chapter 4), each rule pinned to its
//! section, and the 2015 single-server change bug with its fix.

mod common;
use common::{scripted, Script};
use faultline::sim::raft::checks::Property;
use faultline::sim::raft::{Command, Configuration, RaftEvent, Role};
use faultline::sim::trace::TraceEvent;
use faultline::sim::types::{LogIndex, NodeId};
use faultline::sim::{Action, Settings};

fn ids(v: &[u32]) -> Vec<NodeId> {
    v.iter().copied().map(NodeId).collect()
}

/// `nodes` servers of which the first `voters` form the cluster at the start.
fn spare(nodes: u32, voters: u32) -> Settings {
    let mut s = scripted(nodes);
    s.raft.voters_initial = voters;
    s
}

fn conf(s: &Script, node: u32) -> Configuration {
    s.sim
        .node(NodeId(node))
        .and_then(|n| n.process.as_ref())
        .map(|r| r.configuration().clone())
        .unwrap_or_default()
}

fn add(s: &mut Script, node: u32) -> &mut Script {
    s.act(Action::AddServer { node: NodeId(node) })
}

fn remove(s: &mut Script, node: u32) -> &mut Script {
    s.act(Action::RemoveServer { node: NodeId(node) })
}

/// The `config` lines of the trace, as (node, index, voters, learners).
fn config_lines(s: &Script) -> Vec<(u32, u64, Vec<NodeId>, Vec<NodeId>)> {
    s.sim
        .trace()
        .iter()
        .filter_map(|l| match &l.event {
            TraceEvent::Protocol(RaftEvent::Config {
                node,
                index,
                voters,
                learners,
                ..
            }) => Some((node.0, index.0, voters.clone(), learners.clone())),
            _ => None,
        })
        .collect()
}

/// A spare server takes no part: it never campaigns, however long it waits (thesis 4.1:
/// only the servers of the configuration in effect vote).
#[test]
fn a_spare_server_never_campaigns() {
    let mut s = Script::new(spare(4, 3));
    s.timeout(4).run_ms(100);
    assert_eq!(s.role(4), Some(Role::Follower));
    assert_eq!(s.term(4).0, 0);
    s.timeout(1).run_ms(100);
    assert_eq!(s.role(1), Some(Role::Leader));
    assert_eq!(conf(&s, 1).voters, ids(&[1, 2, 3]));
}

/// Thesis 4.2.1: a new server joins as a learner, receives the log, and becomes a voter
/// once a round of catch-up ends within an election timeout; section 4.1: every server uses
/// each configuration from the moment it appends it.
#[test]
fn an_added_server_catches_up_as_a_learner_then_votes() {
    let mut s = Script::new(spare(4, 3));
    s.timeout(1).run_ms(100);
    for i in 0..5 {
        s.put(1, "k", &i.to_string()).run_ms(40);
    }
    add(&mut s, 4).run_ms(300);
    let c = conf(&s, 4);
    assert_eq!(c.voters, ids(&[1, 2, 3, 4]), "S4 is a voter: {c}");
    assert!(c.learners.is_empty());
    assert_eq!(s.commit(4), s.commit(1), "S4 has the whole committed log");
    let lines = config_lines(&s);
    // The leader used the learner configuration, then the one with S4 voting.
    let leader: Vec<_> = lines.iter().filter(|l| l.0 == 1).collect();
    assert_eq!(leader.len(), 2, "{lines:?}");
    assert_eq!((&leader[0].2, &leader[0].3), (&ids(&[1, 2, 3]), &ids(&[4])));
    assert_eq!(
        (&leader[1].2, &leader[1].3),
        (&ids(&[1, 2, 3, 4]), &ids(&[]))
    );
    assert!(s.violated().is_empty(), "{:?}", s.violated());
    // S4 now counts: with two of four down nothing commits, with one it does.
    s.crash(2).crash(3);
    let before = s.commit(1);
    s.put(1, "k", "x").run_ms(200);
    assert_eq!(s.commit(1), before, "two of four is no majority");
    s.restart(3).run_ms(300);
    assert!(s.commit(1) > before, "S1, S3 and S4 are a majority of four");
}

/// Thesis 4.2.1: a new server behind the compacted log is sent the snapshot, which carries
/// the configuration (section 5.1 of the thesis: snapshots hold the latest configuration).
#[test]
fn a_learner_behind_the_snapshot_gets_installsnapshot() {
    let mut settings = spare(4, 3);
    settings.raft.snapshot_every_entries = Some(4);
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    for i in 0..12 {
        s.put(1, "k", &i.to_string()).run_ms(30);
    }
    add(&mut s, 4).run_ms(400);
    let installed = s.sim.trace().iter().any(|l| {
        matches!(&l.event, TraceEvent::Send { to, msg, .. }
            if *to == faultline::sim::types::Addr::Node(NodeId(4)) && msg.type_name() == "InstallSnapshot")
    });
    assert!(installed, "the learner was sent the snapshot");
    assert_eq!(conf(&s, 4).voters, ids(&[1, 2, 3, 4]));
    let r4 = s
        .sim
        .node(NodeId(4))
        .and_then(|n| n.process.as_ref())
        .unwrap();
    assert_eq!(r4.kv().data.get("k").map(String::as_str), Some("11"));
    // A restart of S4 reads its configuration back from the snapshot and the log.
    s.crash(4).run_ms(10).restart(4).run_ms(100);
    assert_eq!(conf(&s, 4).voters, ids(&[1, 2, 3, 4]));
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// Thesis 4.2.2: a leader that removes itself keeps leading without counting itself until
/// the new configuration is committed, then steps down; a new leader is elected among the
/// rest and no committed entry is lost.
#[test]
fn a_removed_leader_steps_down_after_the_change_commits() {
    let mut s = Script::new(scripted(3));
    s.timeout(1).run_ms(100);
    s.put(1, "a", "1").run_ms(100);
    let committed = s.commit(1);
    remove(&mut s, 1).run_ms(100);
    assert_eq!(conf(&s, 1).voters, ids(&[2, 3]));
    assert_eq!(s.role(1), Some(Role::Follower), "stepped down");
    assert!(
        s.commit(2) > committed,
        "S1 told the others before stepping down"
    );
    // S1 is out: its timeout starts no election.
    s.timeout(1).run_ms(100);
    assert_eq!(s.role(1), Some(Role::Follower));
    s.timeout(2).run_ms(100);
    assert_eq!(s.role(2), Some(Role::Leader));
    s.put(2, "b", "2").run_ms(100);
    let r3 = s
        .sim
        .node(NodeId(3))
        .and_then(|n| n.process.as_ref())
        .unwrap();
    assert_eq!(r3.kv().data.get("a").map(String::as_str), Some("1"));
    assert_eq!(r3.kv().data.get("b").map(String::as_str), Some("2"));
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// Thesis 4.1: one change at a time. A second request before the first is committed is
/// refused by the leader, and the driver offers it again until the leader takes it, after the
/// first commits; the broken switch `concurrent_config_changes` takes it at once.
#[test]
fn a_second_change_waits_for_the_first_to_commit() {
    for concurrent in [false, true] {
        let mut settings = scripted(5);
        settings.raft.bugs.concurrent_config_changes = concurrent;
        let mut s = Script::new(settings);
        s.timeout(1).run_ms(100);
        remove(&mut s, 5);
        remove(&mut s, 4).run_ms(200);
        assert_eq!(conf(&s, 1).voters, ids(&[1, 2, 3]), "both changes made");
        // Where S1 appended the second configuration, and where it committed the first.
        let mut first = None;
        let mut waited = false;
        for line in s.sim.trace() {
            match &line.event {
                TraceEvent::Protocol(RaftEvent::Config { node, index, .. }) if node.0 == 1 => {
                    match first {
                        None => first = Some(*index),
                        Some(_) => break,
                    }
                }
                TraceEvent::Protocol(RaftEvent::Commit { node, index }) if node.0 == 1 => {
                    waited |= first.is_some_and(|f| *index >= f);
                }
                _ => {}
            }
        }
        assert_eq!(waited, !concurrent, "concurrent {concurrent}");
    }
}

/// Thesis 4.2.3: a removed server that never learned it was removed times out and asks for
/// votes in a higher term; servers that hear from the leader ignore it, so it cannot depose
/// the leader.
#[test]
fn a_removed_server_cannot_disrupt_the_cluster() {
    let mut s = Script::new(scripted(4));
    s.timeout(1).run_ms(100);
    // S4 misses the change that removes it.
    s.act(Action::Partition {
        groups: vec![ids(&[1, 2, 3]), ids(&[4])],
    });
    remove(&mut s, 4).run_ms(100);
    assert_eq!(conf(&s, 1).voters, ids(&[1, 2, 3]));
    assert_eq!(conf(&s, 4).voters, ids(&[1, 2, 3, 4]), "S4 does not know");
    s.heal();
    let term = s.term(1);
    for _ in 0..3 {
        s.timeout(4).run_ms(30);
    }
    assert!(s.term(4) > term, "S4 campaigns in higher terms");
    assert_eq!(s.role(1), Some(Role::Leader), "S1 still leads");
    assert_eq!(s.term(1), term, "and its term was not raised");
    assert_eq!(s.term(2), term);
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// Raft thesis 4.1 and the raft-dev post of 2015: the interleaving in which two
/// single-server changes from different leaders have disjoint majorities. S1 (term 1) makes
/// S5 a voter of {S1..S5}, an entry only S5 receives; S2 (term 3, elected by S2, S3, S4 of
/// {S1..S4}) removes S4 at once and commits {S1, S2, S3} with S3 alone; S1 then wins term 4
/// with S4 and S5, a majority of {S1..S5}, without the entry S2 committed. With the fix, S2
/// must first commit its no-op, which needs S4 or S1, so the change never happens.
fn the_2015_interleaving(fix: bool) -> Script {
    let mut settings = spare(5, 4);
    settings.raft.bugs.config_before_own_term_commit = !fix;
    let mut s = Script::new(settings);
    s.timeout(1).run_ms(100);
    assert_eq!(s.role(1), Some(Role::Leader));
    // S5 joins as a learner but hears nothing yet; the learner configuration commits and
    // every server learns so. Then S1 and S5 are cut off from the rest, S5 catches up, and
    // the promotion reaches S5 alone.
    s.cut(1, 5);
    add(&mut s, 5).run_ms(150);
    assert_eq!(
        s.commit(2),
        2,
        "S2 knows the learner configuration is committed"
    );
    s.act(Action::Partition {
        groups: vec![ids(&[1, 5]), ids(&[2, 3, 4])],
    });
    s.act(Action::Repair {
        from: NodeId(1),
        to: NodeId(5),
        both: false,
    });
    s.run_ms(200);
    assert_eq!(
        conf(&s, 1).voters,
        ids(&[1, 2, 3, 4, 5]),
        "S1 made S5 a voter"
    );
    assert_eq!(conf(&s, 2).voters, ids(&[1, 2, 3, 4]));
    // S3 and S4 time out alone (ending their lease on S1), then S2 wins term 3.
    s.timeout(3).run_ms(30).timeout(4).run_ms(30);
    s.timeout(2).run_ms(30).timeout(2).run_ms(15);
    // S4 has voted; it must not receive S2's no-op.
    s.cut(2, 4).run_ms(6);
    assert_eq!(s.role(2), Some(Role::Leader));
    assert_eq!(s.term(2).0, 3);
    remove(&mut s, 4).run_ms(100);
    // S1 and S4 and S5 together, S2 and S3 apart.
    s.act(Action::Partition {
        groups: vec![ids(&[1, 4, 5]), ids(&[2, 3])],
    });
    s.run_ms(100);
    s.timeout(5).run_ms(50);
    s.timeout(1).run_ms(100);
    s
}

#[test]
fn the_2015_bug_loses_a_committed_entry_without_the_fix() {
    let s = the_2015_interleaving(false);
    assert_eq!(conf(&s, 2).voters, ids(&[1, 2, 3]), "S2 removed S4 at once");
    assert_eq!(s.role(1), Some(Role::Leader), "S1 won term 4");
    assert!(
        s.violated().contains(&Property::LeaderCompleteness),
        "{:?}",
        s.violated()
    );
}

#[test]
fn the_2015_fix_keeps_the_cluster_safe() {
    let s = the_2015_interleaving(true);
    assert_eq!(
        conf(&s, 2).voters,
        ids(&[1, 2, 3, 4]),
        "S2 may not change the configuration before its no-op commits"
    );
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// A client cannot smuggle a configuration into the log as a request.
#[test]
fn a_client_request_cannot_be_a_configuration() {
    let mut s = Script::new(scripted(3));
    let cmd = Command::Config(Configuration::of_voters(ids(&[1])));
    let e = s
        .sim
        .act(Action::Request {
            node: NodeId(1),
            cmd,
        })
        .unwrap_err();
    assert!(e.english().contains("add_server"), "{}", e.english());
}

// ----- single-server rules, inputs in and effects out -----

mod unit {
    use super::ids;
    use faultline::sim::raft::{
        Command, Configuration, Durable, Effect, Entry, Input, Message, Note, RaftConfig, RaftNode,
        Role,
    };
    use faultline::sim::rng::{SimRng, Stream};
    use faultline::sim::types::{Addr, LogIndex, NodeId, Term};
    use std::rc::Rc;

    fn config_entry(index: u64, term: u64, voters: &[u32], learners: &[u32]) -> Entry {
        Entry {
            index: LogIndex(index),
            term: Term(term),
            cmd: Rc::new(Command::Config(Configuration {
                voters: ids(voters),
                learners: ids(learners),
                old: Vec::new(),
            })),
            origin: None,
        }
    }

    fn noop(index: u64, term: u64) -> Entry {
        Entry {
            index: LogIndex(index),
            term: Term(term),
            cmd: Rc::new(Command::Noop),
            origin: None,
        }
    }

    /// Server `id` of the cluster {1,2,3} at `term` with `entries`.
    fn server(id: u32, term: u64, entries: Vec<Entry>) -> (RaftNode, SimRng) {
        let mut rng = SimRng::stream(1, Stream::Node(id));
        let durable = Durable {
            term: Term(term),
            entries,
            ..Durable::default()
        };
        let config = RaftConfig::default();
        let mut out = Vec::new();
        let node = RaftNode::recover(
            NodeId(id),
            ids(&[1, 2, 3]),
            config,
            durable,
            &mut rng,
            &mut out,
        );
        (node, rng)
    }

    fn step(node: &mut RaftNode, rng: &mut SimRng, input: Input) -> Vec<Effect> {
        let mut out = Vec::new();
        node.handle(input, rng, &mut out);
        out
    }

    fn append(term: u64, prev: (u64, u64), entries: Vec<Entry>, commit: u64) -> Input {
        Input::Receive {
            from: Addr::Node(NodeId(1)),
            msg: Message::AppendEntries {
                term: Term(term),
                leader: NodeId(1),
                prev_log_index: LogIndex(prev.0),
                prev_log_term: Term(prev.1),
                entries,
                leader_commit: LogIndex(commit),
            },
        }
    }

    fn votes_asked(effects: &[Effect]) -> usize {
        effects
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Send {
                        msg: Message::RequestVote { .. },
                        ..
                    }
                )
            })
            .count()
    }

    /// Thesis 4.1: a server uses a configuration as soon as it is in its log, before it is
    /// committed, and goes back to the previous one when the entry is truncated away.
    #[test]
    fn a_configuration_is_used_when_appended_and_dropped_with_its_entry() {
        let (mut s2, mut rng) = server(2, 1, vec![noop(1, 1)]);
        let out = step(
            &mut s2,
            &mut rng,
            append(1, (1, 1), vec![config_entry(2, 1, &[1, 2], &[])], 1),
        );
        assert_eq!(s2.configuration().voters, ids(&[1, 2]));
        assert_eq!(s2.commit_index(), LogIndex(1), "not committed yet");
        assert!(out.iter().any(
            |e| matches!(e, Effect::Note(Note::Config { index, .. }) if *index == LogIndex(2))
        ));
        // A leader of term 2 holds another entry at index 2: the configuration goes with it.
        let out = step(&mut s2, &mut rng, append(2, (1, 1), vec![noop(2, 2)], 1));
        assert_eq!(s2.configuration().voters, ids(&[1, 2, 3]));
        assert_eq!(s2.configuration_index(), LogIndex(0));
        assert!(out.iter().any(
            |e| matches!(e, Effect::Note(Note::Config { index, .. }) if *index == LogIndex(0))
        ));
    }

    /// Thesis 4.2.1: a learner receives the log but never campaigns; once its configuration
    /// makes it a voter, it does.
    #[test]
    fn a_learner_does_not_campaign_until_it_is_a_voter() {
        let (mut s4, mut rng) =
            server(4, 1, vec![noop(1, 1), config_entry(2, 1, &[1, 2, 3], &[4])]);
        assert!(s4.configuration().is_learner(NodeId(4)));
        let out = step(&mut s4, &mut rng, Input::ElectionTimeout);
        assert_eq!(votes_asked(&out), 0);
        assert_eq!(s4.role(), Role::Follower);
        let promote = config_entry(3, 1, &[1, 2, 3, 4], &[]);
        step(&mut s4, &mut rng, append(1, (2, 1), vec![promote], 2));
        let out = step(&mut s4, &mut rng, Input::ElectionTimeout);
        assert_eq!(votes_asked(&out), 3, "asks S1, S2 and S3");
    }

    /// Thesis 4.2.3: a server that hears from a leader ignores a vote request in a higher term
    /// (a removed server's) until its own election timer fires; then it answers as usual.
    #[test]
    fn a_server_that_hears_from_a_leader_ignores_higher_term_votes() {
        let (mut s2, mut rng) = server(2, 1, vec![noop(1, 1), config_entry(2, 1, &[1, 2, 3], &[])]);
        step(&mut s2, &mut rng, append(1, (2, 1), vec![], 2));
        let request = |term: u64| Input::Receive {
            from: Addr::Node(NodeId(4)),
            msg: Message::RequestVote {
                term: Term(term),
                candidate: NodeId(4),
                last_log_index: LogIndex(9),
                last_log_term: Term(1),
                pre_vote: false,
                transfer: false,
            },
        };
        let out = step(&mut s2, &mut rng, request(5));
        assert!(out.is_empty(), "ignored: {out:?}");
        assert_eq!(s2.term(), Term(1));
        step(&mut s2, &mut rng, Input::ElectionTimeout);
        let out = step(&mut s2, &mut rng, request(9));
        assert!(out.iter().any(|e| matches!(
            e,
            Effect::Send {
                msg: Message::RequestVoteReply { .. },
                ..
            }
        )));
        assert_eq!(s2.term(), Term(9));
    }

    /// The 2015 fix (Ongaro, raft-dev): a new leader may change the configuration only once
    /// an entry of its own term is committed; thesis 4.1: and only once the previous change is.
    #[test]
    fn a_new_leader_changes_the_configuration_only_after_its_own_term_commits() {
        let (mut s1, mut rng) = server(1, 1, vec![noop(1, 1), config_entry(2, 1, &[1, 2, 3], &[])]);
        // S1 wins term 2; it learns that index 2 is committed only with its no-op (index 3).
        step(&mut s1, &mut rng, Input::ElectionTimeout);
        let granted = |from: u32| Input::Receive {
            from: Addr::Node(NodeId(from)),
            msg: Message::RequestVoteReply {
                term: Term(2),
                granted: true,
                pre_vote: false,
            },
        };
        step(&mut s1, &mut rng, granted(2));
        assert_eq!(s1.role(), Role::Leader);
        assert!(!s1.may_change_configuration(), "its no-op is not committed");
        step(&mut s1, &mut rng, Input::AddServer { node: NodeId(4) });
        assert_eq!(
            s1.log().last_index(),
            LogIndex(3),
            "the request changed nothing"
        );
        let acked = Input::Receive {
            from: Addr::Node(NodeId(2)),
            msg: Message::AppendEntriesReply {
                term: Term(2),
                success: true,
                match_index: LogIndex(3),
                conflict_index: LogIndex(0),
                conflict_term: None,
            },
        };
        step(&mut s1, &mut rng, acked);
        assert_eq!(s1.commit_index(), LogIndex(3));
        assert!(s1.may_change_configuration());
        step(&mut s1, &mut rng, Input::AddServer { node: NodeId(4) });
        assert!(s1.configuration().is_learner(NodeId(4)));
        // One change at a time: the learner configuration is not committed yet.
        assert!(!s1.may_change_configuration());
    }
}

/// What the page draws: the servers some configuration names, and the spare an "Add server"
/// brings in (the lowest id no configuration names).
#[test]
fn servers_in_use_follow_the_configurations() {
    let mut s = Script::new(spare(5, 3));
    assert_eq!(s.sim.servers_in_use(), ids(&[1, 2, 3]));
    assert_eq!(s.sim.spare_server(), Some(NodeId(4)));
    s.timeout(1).run_ms(100);
    add(&mut s, 4).run_ms(20);
    assert_eq!(s.sim.servers_in_use(), ids(&[1, 2, 3, 4]));
    assert_eq!(s.sim.spare_server(), Some(NodeId(5)));
    s.run_ms(500);
    assert_eq!(conf(&s, 1).voters, ids(&[1, 2, 3, 4]));
    // Server 2 is never told it was removed (thesis section 4.2.3): it still counts itself in.
    remove(&mut s, 2).run_ms(500);
    assert_eq!(conf(&s, 1).voters, ids(&[1, 3, 4]));
    assert_eq!(s.sim.servers_in_use(), ids(&[1, 2, 3, 4]));
    // Once it is gone, its id is free again.
    s.crash(2).run_ms(10);
    assert_eq!(s.sim.servers_in_use(), ids(&[1, 3, 4]));
    assert_eq!(s.sim.spare_server(), Some(NodeId(2)));
    // A leader that removes itself steps down and, knowing it, leaves the cluster (4.2.2).
    remove(&mut s, 1).run_ms(800);
    assert_ne!(s.role(1), Some(Role::Leader));
    assert_eq!(s.sim.servers_in_use(), ids(&[3, 4]));
}

/// `nodes` servers, the first `voters` voting, with changes by joint consensus.
fn joint(nodes: u32, voters: u32) -> Settings {
    let mut s = spare(nodes, voters);
    s.raft.joint_consensus = true;
    s
}

/// A `config` line: where in the trace, its index, C_old's voters, the voters, the learners.
type ConfigLine = (usize, u64, Vec<NodeId>, Vec<NodeId>, Vec<NodeId>);

/// Node `node`'s `config` lines.
fn joint_lines(s: &Script, node: u32) -> Vec<ConfigLine> {
    s.sim
        .trace()
        .iter()
        .enumerate()
        .filter_map(|(at, l)| match &l.event {
            TraceEvent::Protocol(RaftEvent::Config {
                node: n,
                index,
                voters,
                learners,
                old,
            }) if n.0 == node => Some((at, index.0, old.clone(), voters.clone(), learners.clone())),
            _ => None,
        })
        .collect()
}

/// Paper section 6: "agreement (for elections and entry commitment) requires separate
/// majorities from both the old and new configurations".
#[test]
fn a_joint_configuration_needs_a_majority_of_both() {
    let c = Configuration {
        voters: ids(&[1, 2, 3, 4, 5]),
        learners: Vec::new(),
        old: ids(&[1, 2, 3]),
    };
    let votes = |yes: &[u32]| c.is_quorum(|n| yes.contains(&n.0));
    assert!(!votes(&[1, 4, 5]), "a majority of C_new alone");
    assert!(!votes(&[1, 2]), "a majority of C_old alone");
    assert!(votes(&[1, 2, 4]), "a majority of each");
    // Commitment: the highest index a majority of each holds. Servers 3 to 5 hold 9, servers
    // 1 and 2 hold 2: C_new's majority has 9, C_old's only 2.
    let matched = |n: NodeId| LogIndex(if n.0 <= 2 { 2 } else { 9 });
    assert_eq!(c.quorum_index(matched), LogIndex(2));
    assert_eq!(c.new_only().quorum_index(matched), LogIndex(9));
    assert_eq!(c.to_string(), "{S1,S2,S3} → {S1,S2,S3,S4,S5}");
}

/// Paper section 6 with the setting on: the learner caught up (thesis 4.2.1) is made a voter
/// through C_old,new, and C_new is appended only once C_old,new is committed.
#[test]
fn with_joint_consensus_a_change_goes_through_c_old_new_then_c_new() {
    let mut s = Script::new(joint(4, 3));
    s.timeout(1).run_ms(100);
    s.put(1, "k", "1").run_ms(50);
    add(&mut s, 4).run_ms(600);
    let lines = joint_lines(&s, 1);
    let shapes: Vec<_> = lines
        .iter()
        .map(|(_, _, old, voters, learners)| (old.clone(), voters.clone(), learners.clone()))
        .collect();
    assert_eq!(
        shapes,
        vec![
            (vec![], ids(&[1, 2, 3]), ids(&[4])),
            (ids(&[1, 2, 3]), ids(&[1, 2, 3, 4]), vec![]),
            (vec![], ids(&[1, 2, 3, 4]), vec![]),
        ]
    );
    let (joint_at, joint_index) = (lines[1].0, lines[1].1);
    let new_at = lines[2].0;
    let committed_at = s
        .sim
        .trace()
        .iter()
        .enumerate()
        .position(|(at, l)| {
            at > joint_at
                && matches!(&l.event, TraceEvent::Protocol(RaftEvent::Commit { node, index })
                    if node.0 == 1 && index.0 >= joint_index)
        })
        .expect("C_old,new committed");
    assert!(
        committed_at < new_at,
        "C_new appended after C_old,new committed"
    );
    for n in 2..=4 {
        assert_eq!(conf(&s, n).voters, ids(&[1, 2, 3, 4]), "server {n}");
        assert!(conf(&s, n).old.is_empty(), "server {n}");
    }
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// Paper section 6: a leader that C_new leaves out manages the cluster through C_old,new (it
/// is in C_old), steps down once C_new is committed, and a leader is elected among the rest
/// with every committed entry.
#[test]
fn with_joint_consensus_a_removed_leader_steps_down_after_c_new_commits() {
    let mut s = Script::new(joint(3, 3));
    s.timeout(1).run_ms(100);
    s.put(1, "a", "1").run_ms(100);
    remove(&mut s, 1).run_ms(200);
    let shapes: Vec<_> = joint_lines(&s, 1)
        .into_iter()
        .map(|(_, _, old, voters, _)| (old, voters))
        .collect();
    assert_eq!(
        shapes,
        vec![(ids(&[1, 2, 3]), ids(&[2, 3])), (vec![], ids(&[2, 3]))]
    );
    assert_ne!(s.role(1), Some(Role::Leader), "stepped down");
    s.run_ms(800);
    let leader = [2, 3]
        .into_iter()
        .find(|n| s.role(*n) == Some(Role::Leader))
        .expect("a leader among the rest");
    s.put(leader, "b", "2").run_ms(200);
    let kv = &s
        .sim
        .node(NodeId(leader))
        .and_then(|n| n.process.as_ref())
        .unwrap()
        .kv()
        .data;
    assert_eq!(kv.get("a").map(String::as_str), Some("1"));
    assert_eq!(kv.get("b").map(String::as_str), Some("2"));
    assert!(s.violated().is_empty(), "{:?}", s.violated());
}

/// `fuzz --membership --joint` makes its changes through C_old,new (paper section 6): the
/// runs it draws have joint configurations in their traces, and stay safe.
#[test]
fn the_joint_fault_search_makes_joint_changes() {
    use faultline::sim::raft::fuzz::{fault_schedule, settings_for_seed_with, FuzzOptions};
    use faultline::sim::Simulation;
    let options = FuzzOptions {
        membership: true,
        joint: true,
        ..FuzzOptions::default()
    };
    let mut joint_lines = 0;
    for seed in 1..=20 {
        let settings = settings_for_seed_with(seed, None, &options);
        assert!(settings.raft.joint_consensus);
        let schedule = fault_schedule(&settings, 3_000_000);
        let mut sim = Simulation::new(settings).expect("valid settings");
        for a in schedule {
            sim.schedule(a.at_us, a.action).expect("valid action");
        }
        sim.run_until(4_000_000);
        assert!(
            sim.violations().is_empty(),
            "seed {seed}: {:?}",
            sim.violations()
        );
        joint_lines += sim
            .trace()
            .iter()
            .filter(|l| {
                matches!(&l.event, TraceEvent::Protocol(RaftEvent::Config { old, .. }) if !old.is_empty())
            })
            .count();
    }
    assert!(joint_lines > 0, "no joint configuration in 20 seeds");
}
