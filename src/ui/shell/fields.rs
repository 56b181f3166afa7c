//! A settings form's number field, shared by the modes whose every setting change is a new
//! run: what is typed is read as a whole number and applied to a copy of the settings, which
//! the mode's `restart` turns into its message; anything else becomes a notice that names the
//! field and what was typed, never a panic.

use crate::i18n::Text;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// One number field: `hook` is its `data-field`, `apply` sets the typed value on `settings`.
pub fn number_field<S: Clone + 'static>(
    hook: &'static str,
    label: &'static str,
    value: u64,
    settings: Rc<S>,
    apply: fn(&mut S, u64),
    restart: fn(S) -> Msg,
    on_msg: Callback<Msg>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let text = input.value();
        match text.trim().parse::<u64>() {
            Ok(v) => {
                let mut next = (*settings).clone();
                apply(&mut next, v);
                on_msg.emit(restart(next));
            }
            Err(_) => on_msg.emit(Msg::ShowNotice(
                Text::new("rt.not_a_number")
                    .with("field", label)
                    .with("value", crate::codec::share::shorten(&text)),
            )),
        }
    });
    html! {
        <label>
            <span>{ label }</span>
            <input data-field={hook} inputmode="numeric" value={value.to_string()} {onchange} />
        </label>
    }
}
