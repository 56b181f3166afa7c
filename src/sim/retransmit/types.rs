//! The retransmission protocol as a type, with the engine's effect list as its nodes fill it
//! and the commands a node takes. They live apart from `impl Protocol` (`protocol.rs`), which
//! names the sender and the receiver, so that those can name them without naming it back.

use crate::sim::protocol::Effect;

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Retransmit;

/// What one step of a node asks the world to do.
pub(crate) type Out = Vec<Effect<Retransmit>>;

/// What a learner, a lesson or a scenario may ask of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// The sender's application hands over its next message now, beyond its own pace (up to
    /// the run's `messages`). Receivers ignore it.
    HandOver,
}
