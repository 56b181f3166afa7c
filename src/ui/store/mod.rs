pub mod link;
pub mod model;
pub mod msg;
pub mod state;
pub mod view;
