//! The share panel: the link to this run at this moment, the iframe snippet for docs pages,
//! and the run as a scenario file (docs/scenario-format.md) to download, or to open from disk.
//! Files are read by `codec::scenario_file`; a bad one is named in the notice and the run on
//! screen is left as it was.

use crate::codec::scenario_file::MAX_FILE_BYTES;
use crate::i18n::Text;
use crate::ui::i18n::{t, tx};
use crate::ui::store::msg::Msg;
use crate::ui::store::view::View;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub fn share_panel(view: &View, on_msg: &Callback<Msg>) -> Html {
    let (Some(url), Some(code)) = (view.share_url.clone(), view.embed_code.clone()) else {
        return Html::default();
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        }
    });
    let on_file = {
        let on_msg = on_msg.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            read_file(file, on_msg.clone());
        })
    };
    let choose = Callback::from(|e: MouseEvent| {
        let input = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|b| b.parent_element())
            .and_then(|p| p.query_selector("input[type=file]").ok().flatten())
            .and_then(|i| i.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = input {
            input.click();
        }
    });
    // Embedding and scenario files are about Raft runs; a Hash ring run travels by link.
    let raft = crate::ui::modes::shares_files(&view.page);
    html! {
        <div class="share card" role="dialog" aria-label={t("share.label")} data-testid="share-panel">
            <label>{ tx("share.link") }
                <input readonly=true value={url} data-testid="share-url" onfocus={select_all.clone()} />
            </label>
            if raft {
                <label>{ tx("share.embed") }
                    <input readonly=true value={code} data-testid="embed-code" onfocus={select_all} />
                </label>
                <div class="files">
                    <span>{ tx("share.file") }</span>
                    <button class="small" data-action="export-file" onclick={on_msg.reform(|_: MouseEvent| Msg::ExportScenario)}>{ tx("share.download") }</button>
                    <button class="small" data-action="import" onclick={choose}>{ tx("share.open") }</button>
                    <input type="file" accept=".json,application/json" hidden=true data-action="import-file" onchange={on_file} />
                </div>
            }
            <button class="small" data-action="share-close" onclick={on_msg.reform(|_: MouseEvent| Msg::DismissShare)}>{ tx("share.close") }</button>
        </div>
    }
}

/// Reads `file` as text and hands it to the reducer, which parses it.
fn read_file(file: web_sys::File, on_msg: Callback<Msg>) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as f64 {
        on_msg.emit(Msg::ShowNotice(
            Text::new("import.too_big")
                .with("name", name)
                // Whole bytes: an f64 shown as it is would pull float formatting into the page.
                .with("bytes", file.size() as u64),
        ));
        return;
    }
    yew::platform::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string());
        on_msg.emit(match text {
            Some(text) => Msg::ImportScenario { name, text },
            None => Msg::ShowNotice(Text::new("import.unreadable").with("name", name)),
        });
    });
}
