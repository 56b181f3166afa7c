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
        .filter(|n| n.raft.as_ref().is_some_and(|r| r.role() == Role::Leader))
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
