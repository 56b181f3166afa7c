//! The Yew front end of the Raft playground (wasm32 only). It renders what the simulation
//! says and sends it actions; it holds no protocol logic.
//!
//! Static layers (nodes, logs, panels) are memoized components fed by [`view`] projections;
//! the moving layer (messages, timers) is drawn by [`animator`] from one
//! requestAnimationFrame loop that Yew does not diff.

pub mod animator;
pub mod app;
mod cluster;
mod controls;
mod diagram;
mod disks;
mod events;
pub mod format;
pub mod geometry;
mod inspector;
mod legend;
mod logs;
mod messages;
pub mod model;
mod network;
mod node;
pub mod ring;
mod safety;
pub mod state;
mod transport;
pub mod view;

pub use app::{App, AppProps};

/// Mounts the playground into the page's `<body>`, replacing the loading message.
pub fn start() {
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
    yew::Renderer::<App>::new().render();
}
