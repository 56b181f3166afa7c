//! Fetching lesson files from the page's own folder. They are copied next to index.html by
//! Trunk and requested only when the learner opens the lesson list, so they cost nothing on
//! the first page load.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where lesson files live, relative to the page (never an absolute path: see ui-hooks.md).
pub const LESSON_DIR: &str = "lessons/";

/// The text of `lessons/<file>`, or a message that names the file and what went wrong.
pub async fn lesson_text(file: &str) -> Result<String, String> {
    let path = format!("{LESSON_DIR}{file}");
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(&path))
        .await
        .map_err(|_| format!("{path} could not be loaded (is the page offline?)"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{path}: the browser returned no response"))?;
    if !response.ok() {
        return Err(format!("{path}: the server answered {}", response.status()));
    }
    let text = response
        .text()
        .map_err(|_| format!("{path}: the body could not be read"))?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("{path}: the body is not text"))
}
