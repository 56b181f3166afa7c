//! The ring store as a type. It lives apart from `impl Protocol` (`protocol.rs`), which names
//! the store's messages, trace lines and checks, so that those can name it without naming
//! their user back.

/// The protocol, for the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct RingStore;
