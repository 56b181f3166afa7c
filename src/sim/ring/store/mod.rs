//! The replicated ring store (in progress).
