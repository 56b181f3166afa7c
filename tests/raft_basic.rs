#![cfg(not(target_arch = "wasm32"))]
use faultline::sim::raft::Role;
use faultline::sim::{Settings, Simulation};

#[test]
fn smoke_elects_and_serves_clients() {
    let mut settings = Settings::default();
    settings.workload.clients = 3;
    settings.seed = 7;
    let mut sim = Simulation::new(settings).unwrap();
    sim.run_until(5_000_000);
    let leaders = sim
        .nodes()
        .iter()
        .filter(|n| n.process.as_ref().is_some_and(|r| r.role() == Role::Leader))
        .count();
    assert_eq!(leaders, 1);
    println!(
        "events {} trace {} ops {} violations {:?}",
        sim.events_processed(),
        sim.trace().len(),
        sim.completed_ops(),
        sim.violations()
    );
    assert!(sim.completed_ops() > 20);
    assert!(sim.violations().is_empty());
}

/// Figure 2 of the Raft paper: persistent state is "updated on stable storage before
/// responding to RPCs". A server that learns a higher term from a RequestVote and grants its
/// vote writes twice, first the new term and then the vote, as LogCabin does (its
/// `stepDown()` and `handleRequestVote()` each call `updateLogMetadata()`), so with a synced
/// disk its reply leaves after both fsyncs; the candidate's RequestVote waits for its one.
#[test]
fn a_vote_in_a_new_term_leaves_after_both_of_its_fsyncs() {
    use faultline::sim::disk::SyncPolicy;
    use faultline::sim::raft::Message;
    use faultline::sim::trace::TraceEvent;

    let mut settings = Settings::default();
    settings.disk.sync = SyncPolicy::EveryWrite;
    settings.disk.sync_latency_us = 1_000;
    settings.network.latency_us_min = 500;
    settings.network.latency_us_max = 500;
    // No transmission time: only latency and fsyncs.
    settings.network.bandwidth_bytes_per_s = 0;
    let mut sim = Simulation::new(settings).unwrap();
    sim.run_until(1_000_000);
    // Time in flight of the first message that matches, from its send to its delivery.
    let in_flight = |wanted: &dyn Fn(&Message) -> bool| {
        sim.trace().iter().find_map(|line| match &line.event {
            TraceEvent::Send { msg, deliver_t, .. } if wanted(msg) => {
                deliver_t.first().map(|d| d - line.t)
            }
            _ => None,
        })
    };
    let request = in_flight(&|m| matches!(m, Message::RequestVote { .. }));
    let granted = in_flight(&|m| {
        matches!(
            m,
            Message::RequestVoteReply {
                granted: true,
                pre_vote: false,
                ..
            }
        )
    });
    assert_eq!(
        request,
        Some(1_000 + 500),
        "one fsync: the candidate's term and vote"
    );
    assert_eq!(
        granted,
        Some(2 * 1_000 + 500),
        "two fsyncs: the voter's term, then its vote"
    );
}
