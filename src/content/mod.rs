//! What the page teaches with: guided lessons (their format, tasks, translations and the
//! availability calculator) and the named runs that documentation widgets ask for.
//!
//! - [`lesson`]: lesson files (docs/lesson-format.md), the runs their steps show and the tasks
//!   checked against the live run.
//! - [`presets`]: named runs for `data-faultline` widgets (docs/embedding.md).

pub mod lesson;
pub mod presets;
