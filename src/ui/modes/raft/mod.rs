pub mod controls;
pub mod disks;
pub mod format;
pub mod inspector;
pub mod legend;
pub mod logs;
pub mod network;
pub mod run;
