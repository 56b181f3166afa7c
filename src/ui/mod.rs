//! The Yew front end of the playground (wasm32 only). It renders what the simulation says and
//! sends it actions; it holds no protocol logic.
//!
//! - [`shell`]: what every mode shares: the page, the transport, the cluster stage and its
//!   moving layer, the event log, the space-time diagram, the safety alarm, share.
//! - [`store`]: the model, the messages that change it, the reducer, the views built from it and
//!   the page's address.
//! - [`modes`]: what is particular to one protocol, one folder each.
//! - [`lesson`]: the lesson player.
//! - [`platform`]: the browser, where the store's effects are carried out.
//!
//! Static layers (nodes, logs, panels) are memoized components fed by the store's views; the
//! moving layer (messages, timers) is drawn by the shell's animator from one loop that Yew does
//! not diff.

pub mod i18n;
pub mod lesson;
pub mod modes;
pub mod platform;
pub mod shell;
pub mod store;

pub use shell::app::{App, AppProps};

/// Mounts the playground: into each `[data-faultline]` element of a documentation page as an
/// independent widget when there are any (see static/embed.js), else into the page's `<body>`,
/// replacing the loading message.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let widgets = document.query_selector_all("[data-faultline]").ok();
    let widgets: Vec<web_sys::Element> = widgets
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
                .collect()
        })
        .unwrap_or_default();
    if widgets.is_empty() {
        // The default page is built without some modes and the lesson player: an address (or
        // the autosaved session) that asks for one of them opens the full page instead.
        let (address, _) = store::link::with_session(&store::link::page_address().0);
        if !store::link::in_bundle(&address) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().replace(&store::link::full_page_url(&address));
                return;
            }
        }
        // A page that opens in Chinese waits (on the loading message) for its catalogue, rather
        // than flashing English first; if the fetch fails it opens in English and says why.
        let wanted = store::link::page_address()
            .0
            .lang
            .unwrap_or_else(i18n::preferred);
        let mounted = std::rc::Rc::new(std::cell::Cell::new(false));
        let mount = move || {
            if mounted.replace(true) {
                return;
            }
            if let Some(loading) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("loading"))
            {
                loading.remove();
            }
            yew::Renderer::<App>::with_props(AppProps {
                from_address: true,
                ..AppProps::default()
            })
            .render();
        };
        if i18n::is_loaded(wanted) {
            mount();
        } else {
            i18n::choose(wanted);
            i18n::load(wanted, yew::Callback::from(move |_| mount()));
        }
        return;
    }
    for element in widgets {
        mount_widget(&document, &element);
    }
}

/// Mounts one widget inside `element` only: into the mount point static/embed.js made in its
/// shadow root (where the widget's own stylesheet is), or else into a new child.
fn mount_widget(document: &web_sys::Document, element: &web_sys::Element) {
    let attr = |name: &str| element.get_attribute(name);
    let spec = store::link::WidgetSpec {
        name: attr("data-faultline").unwrap_or_default(),
        nodes: attr("data-nodes"),
        seed: attr("data-seed"),
    };
    let root = element
        .shadow_root()
        .and_then(|shadow| {
            shadow
                .query_selector("[data-faultline-root]")
                .ok()
                .flatten()
        })
        .or_else(|| {
            let div = document.create_element("div").ok()?;
            div.set_attribute("data-faultline-root", "").ok()?;
            element.append_child(&div).ok()?;
            Some(div)
        });
    let Some(root) = root else {
        return;
    };
    // Our own files (the Chinese catalogue) are beside embed.js, not beside the host page.
    if let Some(base) = root.get_attribute("data-faultline-base") {
        i18n::set_base(&base);
    }
    let height = attr("data-height")
        .and_then(|h| h.trim().parse::<u32>().ok())
        .map_or(360, |h| h.clamp(200, 2000));
    let _ = root.set_attribute("style", &format!("height:{height}px"));
    yew::Renderer::<App>::with_root_and_props(
        root,
        AppProps {
            widget: Some(spec),
            ..AppProps::default()
        },
    )
    .render();
}
