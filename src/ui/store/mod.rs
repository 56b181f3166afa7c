pub mod effect;
pub mod link;
pub mod model;
pub mod msg;
pub mod reduce;
pub mod state;
pub mod tabs;
pub mod view;
