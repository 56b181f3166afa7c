//! The browser, for the one place that carries out the store's effects: the address bar, the
//! clipboard, new tabs, file downloads, local storage and the language shown.

use crate::codec::scenario::Scenario;
use crate::codec::scenario_file;
use crate::ui::i18n;
use crate::ui::store::effect::Effect;
use wasm_bindgen::{JsCast, JsValue};

/// Does what `effect` asks; a browser that refuses (no storage, no clipboard permission)
/// costs the learner nothing the page does not also show.
pub fn perform(effect: Effect) {
    match effect {
        Effect::ShowInAddressBar(url) => show_in_address_bar(&url),
        Effect::Copy(text) => copy(&text),
        Effect::OpenInNewTab(url) => {
            if let Some(window) = web_sys::window() {
                let _ = window.open_with_url_and_target(&url, "_blank");
            }
        }
        Effect::Download(scenario) => download(&scenario),
        Effect::Navigate(url) => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&url);
            }
        }
        Effect::SaveSession(fragment) => {
            if let Some(storage) = storage() {
                let _ = storage.set_item(SESSION_KEY, &fragment);
            }
        }
        Effect::ChooseLang(lang) => i18n::choose(lang),
        Effect::RememberLang(lang) => i18n::remember(lang),
    }
}

/// The local-storage key of the autosaved session (an address fragment).
const SESSION_KEY: &str = "faultline.session";

/// The session saved by the last visit, if any.
pub fn load_session() -> Option<String> {
    storage()?.get_item(SESSION_KEY).ok().flatten()
}

/// Forgets the saved session (a new run was asked for, or the saved one was unreadable).
pub fn clear_session() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(SESSION_KEY);
    }
}

/// The page's local storage, when the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Puts `url` in the address bar without reloading or adding a history entry.
fn show_in_address_bar(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// Asks the browser to copy `text`; browsers may refuse (no permission, not focused), which
/// is why the page also shows the link in a field the learner can copy from.
fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Offers `scenario` as a file download (a link to a Blob, clicked and revoked).
fn download(scenario: &Scenario) {
    let text = scenario_file::write(scenario);
    let name = format!("faultline-seed-{}.json", scenario.settings.seed);
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(&name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
