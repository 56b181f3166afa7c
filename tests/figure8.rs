#![cfg(not(target_arch = "wasm32"))]
//! The Raft paper's Figure 8 (section 5.4.2): why a leader must not commit an entry from an
//! earlier term by counting replicas. Played out on the real engine, once with the
//! broken-Raft switch (the live checks must catch it) and once with real Raft.

mod common;
use common::{scripted, Script};
use faultline::sim::raft::checks::Property;
use faultline::sim::raft::Role;

/// Runs the figure's (a) to (d); returns the script at the end of (d).
fn figure8(commit_previous_term_by_count: bool) -> Script {
    let mut settings = scripted(5);
    settings.raft.bugs.commit_previous_term_by_count = commit_previous_term_by_count;
    let mut s = Script::new(settings);
    // Index 1 is committed everywhere, under S1.
    s.timeout(1).run_ms(100);
    assert_eq!(s.role(1), Some(Role::Leader));
    s.put(1, "x", "1").run_ms(200);
    // (a) S1 replicates index 2 to S2 only.
    for f in [3, 4, 5] {
        s.cut(1, f);
    }
    s.put_as(101, 1, "x", "2").run_ms(40);
    assert_eq!(s.log_terms(2).len(), s.log_terms(1).len());
    // (b) S1 crashes; S5 is elected with votes from S3 and S4 and takes a different entry
    // at index 2, which it crashes before replicating.
    s.crash(1).heal().timeout(5).run_ms(5);
    for f in [1, 2, 3, 4] {
        s.cut(5, f);
    }
    s.run_ms(25);
    assert_eq!(s.role(5), Some(Role::Leader));
    s.put_as(102, 5, "x", "3").run_ms(12);
    assert_eq!(
        s.log_terms(5).last(),
        Some(&s.term(5).0),
        "S5 took an entry of its term"
    );
    s.crash(5).heal();
    // (c) S1 restarts and is elected (S2, S3 and S4 vote for it); it replicates its old
    // entry at index 2 to a majority.
    s.restart(1).timeout(1).run_ms(40);
    if s.role(1) != Some(Role::Leader) {
        s.timeout(1).run_ms(40);
    }
    assert_eq!(s.role(1), Some(Role::Leader), "S1 wins in a later term");
    s.run_ms(200);
    // (d) S1 crashes; S5 restarts and can win with S2, S3 and S4, since its last entry's
    // term is higher than theirs, unless S1 made them hold an entry of its own term.
    s.crash(1).restart(5).timeout(5).run_ms(40);
    if s.role(5) != Some(Role::Leader) {
        s.timeout(5).run_ms(40);
    }
    s.run_ms(200);
    s
}

#[test]
fn counting_replicas_of_an_old_term_entry_loses_a_committed_entry() {
    let s = figure8(true);
    assert_eq!(s.role(5), Some(Role::Leader), "S5 won in (d)");
    let violated = s.violated();
    assert!(
        violated.contains(&Property::LeaderCompleteness),
        "the checks catch the overwritten committed entry: {:?}",
        s.sim.violations()
    );
}

#[test]
fn real_raft_commits_the_old_entry_only_through_a_current_term_entry() {
    let s = figure8(false);
    assert!(s.violated().is_empty(), "{:?}", s.sim.violations());
    // S1's no-op of its own term reached the majority along with index 2, so S5 cannot
    // win (d), and index 2 holds S1's entry on every live server.
    assert_ne!(s.role(5), Some(Role::Leader));
    for n in [2, 3, 4] {
        assert_eq!(
            s.log_terms(n)[1],
            1,
            "S{n} keeps the entry of term 1 at index 2"
        );
    }
}
