//! The page's text in the learner's language: `t("key")` for a text, `tx("key")` for the same
//! as a text node in `html!`, `tf("key", &[("node", &n)])` for one with values (docs/i18n.md).
//! English is compiled in; Chinese is fetched from our own files once it is chosen. A key missing from the chosen catalogue falls back to English (the
//! catalogue test makes sure none is).
//!
//! The chosen language is page-wide state here, not a parameter of every call, so that text
//! built outside components (`format`, `view`) follows it too. Components re-render on a
//! switch through the `Lang` context that `App` provides ([`use_lang`]).

pub use crate::i18n::Lang;
use crate::i18n::{english, fill, Catalogue, Text};
use std::cell::{Cell, RefCell};
use std::fmt::Display;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew::virtual_dom::VText;

/// The local-storage key of the language the learner chose.
const LANG_KEY: &str = "faultline.lang";

thread_local! {
    static CHOSEN: Cell<Lang> = const { Cell::new(Lang::En) };
    static CHINESE: RefCell<Option<Catalogue>> = const { RefCell::new(None) };
    /// Who waits for the catalogue on its way (every widget of a docs page asks for it).
    static WAITING: RefCell<Vec<Callback<Result<(), String>>>> = const { RefCell::new(Vec::new()) };
    /// Where our own files are: "" on the page (relative to it), the folder of embed.js for
    /// widgets on a documentation page.
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The text of `key` in the language shown.
// Never inlined: the page makes hundreds of these calls, and an inlined lookup would copy
// its body into every one of them (tens of KB of wasm).
#[inline(never)]
pub fn t(key: &'static str) -> &'static str {
    if shown() == Lang::Zh {
        if let Some(text) = CHINESE.with_borrow(|c| c.as_ref().and_then(|c| c.get(key))) {
            return text;
        }
    }
    english(key)
}

/// The text of `key` as a text node: `{ tx("key") }` in `html!`. Built here, once, rather
/// than at every call site (a `&str` child expression makes Yew copy it into a new string).
#[inline(never)]
pub fn tx(key: &'static str) -> Html {
    VText::new(AttrValue::Static(t(key))).into()
}

/// The text of `key` with its `{name}` placeholders filled from `args`.
#[inline(never)]
pub fn tf(key: &'static str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// Words the simulation handed over ([`Text`]), in the language shown.
#[inline(never)]
pub fn words(text: &Text) -> String {
    text.words(&t)
}

/// The language the learner chose; it is shown once its catalogue is here.
pub fn choose(lang: Lang) {
    CHOSEN.set(lang);
}

/// The language the page's text is in now.
pub fn shown() -> Lang {
    match CHOSEN.get() {
        Lang::Zh if CHINESE.with_borrow(Option::is_some) => Lang::Zh,
        _ => Lang::En,
    }
}

pub fn is_loaded(lang: Lang) -> bool {
    lang == Lang::En || CHINESE.with_borrow(Option::is_some)
}

/// Widgets fetch our files from beside embed.js, not from the host page.
pub fn set_base(base: &str) {
    BASE.with_borrow_mut(|b| *b = base.to_string());
}

/// Fetches `lang`'s catalogue unless it is here, then calls `done` with `Ok(())` or what went
/// wrong; a second request while the fetch is on its way waits for the same answer. The
/// catalogue is kept for the life of the page.
pub fn load(lang: Lang, done: Callback<Result<(), String>>) {
    if is_loaded(lang) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_its_way = WAITING.with_borrow_mut(|waiting| {
        waiting.push(done);
        waiting.len() > 1
    });
    if on_its_way {
        return;
    }
    let url = format!("{}i18n/{}.txt", BASE.with_borrow(String::clone), lang.id());
    let network_failed = |e: JsValue| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map_or_else(|| "the network failed".to_string(), |e| e.message().into());
        finish(Err(why));
    };
    let got_text = |text: JsValue| match text.as_string() {
        // Kept for the life of the page: lookups hand out its texts as &'static str.
        Some(text) => finish(install(Box::leak(text.into_boxed_str()))),
        None => finish(Err("the file is not text".into())),
    };
    let request = window.fetch_with_str(&url);
    let got_response = move |response: JsValue| {
        let response = response.dyn_into::<web_sys::Response>().ok();
        let status = response.as_ref().map_or(0, web_sys::Response::status);
        match response.filter(|r| r.ok()).and_then(|r| r.text().ok()) {
            Some(text) => when_settled(&text, got_text, network_failed),
            None => finish(Err(format!("{url}: HTTP {status}"))),
        }
    };
    when_settled(&request, got_response, network_failed);
}

/// Makes `text` the Chinese catalogue (Chinese is the only one that is not compiled in), or
/// says why it cannot be.
pub fn install(text: &'static str) -> Result<(), String> {
    match Catalogue::parse(text) {
        Ok(c) if !c.is_empty() => {
            CHINESE.with_borrow_mut(|slot| *slot = Some(c));
            Ok(())
        }
        Ok(_) => Err("the file is empty".into()),
        Err(e) => Err(e),
    }
}

/// Tells everyone waiting for the catalogue how its fetch ended.
fn finish(result: Result<(), String>) {
    for done in WAITING.take() {
        done.emit(result.clone());
    }
}

/// Calls `ok` or `failed` once `promise` settles.
fn when_settled(
    promise: &js_sys::Promise,
    ok: impl FnOnce(JsValue) + 'static,
    failed: impl FnOnce(JsValue) + 'static,
) {
    let ok = Closure::once(ok);
    let failed = Closure::once(failed);
    let _ = promise.then2(&ok, &failed);
    // The unused one of the two is never freed: a few bytes per fetch, and a catalogue is
    // fetched once per page (again only after a failure).
    ok.forget();
    failed.forget();
}

/// The language to start in: the learner's earlier choice, else the browser's language.
pub fn preferred() -> Lang {
    storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|id| Lang::from_id(&id))
        .unwrap_or_else(browser_lang)
}

/// The browser's language (`navigator.language`); all a widget on a docs page goes by, as it
/// reads nothing of its host's storage.
pub fn browser_lang() -> Lang {
    let tag = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    Lang::from_browser_tag(&tag)
}

/// Remembers the learner's choice for the next visit.
pub fn remember(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.id());
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language shown, for components: calling it makes a component re-render when the
/// language changes even if its props did not.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
