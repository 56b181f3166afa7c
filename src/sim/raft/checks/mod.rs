//! Safety checks that run after every trace line: the five properties of the Raft paper's
//! Figure 3, plus durability of acknowledged writes and linearizability of what clients saw.
//! They read only the trace, so `faultline check` can re-run them on a saved file.

mod acked_writes;
mod checker;
mod detail;
mod election_safety;
mod leader_append_only;
mod leader_completeness;
mod linearizable;
mod log_matching;
mod mirror;
mod property;
mod recovery_replay;
mod state_machine_safety;

pub use checker::Checker;
pub use detail::{Detail, Outcome};
pub use mirror::Mirror;
pub use property::{Property, Violation};
