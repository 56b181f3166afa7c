//! Messages in flight as a list: what each carries, and a button to drop it. The same
//! messages move on the canvas; this list gives them names for keyboards and screen readers.

use crate::sim::types::{Addr, Micros, MsgId};
use crate::sim::Action;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::format;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

/// One message in flight, for the messages list and the details card.
#[derive(Clone, Debug, PartialEq)]
pub struct FlightView {
    pub id: MsgId,
    pub from: Addr,
    pub to: Addr,
    pub type_name: &'static str,
    pub success: Option<bool>,
    pub details: String,
    pub sent_us: Micros,
    pub deliver_us: Vec<Micros>,
}

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub flights: Rc<Vec<FlightView>>,
    pub selected: Option<MsgId>,
    pub on_msg: Callback<Msg>,
}

#[function_component(Messages)]
pub fn messages(props: &MessagesProps) -> Html {
    use_lang();
    if props.flights.is_empty() {
        return html! { <p class="muted">{ tx("messages.none") }</p> };
    }
    html! {
        <ul class="flight-list" aria-label={t("messages.label")}>
            { for props.flights.iter().map(|f| {
                let id = f.id;
                let select = {
                    let cb = props.on_msg.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(Msg::SelectMessage(Some(id))))
                };
                let drop = {
                    let cb = props.on_msg.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(Msg::Act(Action::DropMessage { id })))
                };
                let outcome = match f.success { Some(true) => " ✓", Some(false) => " ✗", None => "" };
                html! {
                    <li key={f.id.0} class={classes!("flight", (props.selected == Some(f.id)).then_some("selected"))} data-msg={f.id.0.to_string()}>
                        <button class="linkish" onclick={select}
                                aria-label={tf("msg.words", &[("type", &format::type_words(f.type_name)), ("from", &crate::ui::shell::format::addr(f.from)), ("to", &crate::ui::shell::format::addr(f.to)), ("details", &f.details)])}>
                            <span class={format!("chip t-{}", f.type_name)}>{ f.type_name }{ outcome }</span>
                            { format!(" {} → {}", crate::ui::shell::format::addr(f.from), crate::ui::shell::format::addr(f.to)) }
                            <span class="muted">{ format!(" · {}", f.details) }</span>
                        </button>
                        <button class="small danger" data-action="drop-message" data-msg={f.id.0.to_string()} onclick={drop}>{ tx("messages.drop") }</button>
                    </li>
                }
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct MessageCardProps {
    pub flight: FlightView,
    pub on_msg: Callback<Msg>,
}

/// The card shown when a message on the canvas is clicked or tapped.
#[function_component(MessageCard)]
pub fn message_card(props: &MessageCardProps) -> Html {
    use_lang();
    let f = &props.flight;
    let id = f.id;
    let drop = {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Msg::Act(Action::DropMessage { id })))
    };
    let close = {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Msg::SelectMessage(None)))
    };
    html! {
        <div class="message-card card" role="dialog" aria-label={t("card.label")} data-testid="message-card">
            <strong><span class={format!("chip t-{}", f.type_name)}>{ f.type_name }</span>{ format!(" {} → {}", crate::ui::shell::format::addr(f.from), crate::ui::shell::format::addr(f.to)) }</strong>
            <p>{ f.details.clone() }</p>
            <p class="muted">{ tf("card.times", &[("sent", &crate::ui::shell::format::ms(f.sent_us)),
                ("arrives", &f.deliver_us.iter().map(|d| crate::ui::shell::format::ms(*d)).collect::<Vec<_>>().join(t("card.and")))]) }</p>
            <div class="buttons">
                <button class="danger" data-action="drop-message" data-msg={f.id.0.to_string()} onclick={drop}>{ tx("card.drop") }</button>
                <button onclick={close}>{ tx("card.close") }</button>
            </div>
        </div>
    }
}
