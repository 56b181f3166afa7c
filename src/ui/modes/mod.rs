pub mod raft;
pub mod ring;
