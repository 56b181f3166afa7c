//! Fetching lesson files from the page's own folder. They are copied next to index.html by
//! Trunk and requested only when the learner opens the lesson list, so they cost nothing on
//! the first page load.

use crate::ui::i18n::{t, tf};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where lesson files live, relative to the page (never an absolute path: see ui-hooks.md).
pub const LESSON_DIR: &str = "lessons/";

/// The text of `lessons/<file>`, or a message that names the file and what went wrong.
pub async fn lesson_text(file: &str) -> Result<String, String> {
    let path = format!("{LESSON_DIR}{file}");
    let window = web_sys::window().ok_or_else(|| t("lesson.fetch.no_window"))?;
    let response = JsFuture::from(window.fetch_with_str(&path))
        .await
        .map_err(|_| tf("lesson.fetch.offline", &[("path", &path)]))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| tf("lesson.fetch.no_response", &[("path", &path)]))?;
    if !response.ok() {
        return Err(tf(
            "lesson.fetch.status",
            &[("path", &path), ("status", &response.status())],
        ));
    }
    let text = response
        .text()
        .map_err(|_| tf("lesson.fetch.unreadable", &[("path", &path)]))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| tf("lesson.fetch.not_text", &[("path", &path)]))
}
