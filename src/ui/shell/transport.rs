//! Play, pause, step, next interesting event, speed and the time scrubber. The clock and
//! the scrubber's position are written by the frame loop, not by Yew.

use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::model::{SPEED_STEP_MAX, SPEED_STEP_MIN};
use crate::ui::store::msg::Msg;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    /// Whether the run is recorded for time travel (Hash ring mode's is not).
    pub seekable: bool,
    /// The catalogue key of "next interesting event"'s title (`modes::next_title`).
    pub next_title: &'static str,
    pub playing: bool,
    pub speed_step: i32,
    pub in_past: bool,
    pub horizon_us: u64,
    pub clock: NodeRef,
    pub scrubber: NodeRef,
    pub horizon: NodeRef,
    pub on_msg: Callback<Msg>,
}

#[function_component(Transport)]
pub fn transport(props: &TransportProps) -> Html {
    use_lang();
    let send = |msg: Msg| {
        let cb = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| cb.emit(msg.clone()))
    };
    let on_speed = {
        let cb = props.on_msg.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<i32>() {
                cb.emit(Msg::SetSpeed(v));
            }
        })
    };
    let on_seek = {
        let cb = props.on_msg.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let ms = input.value_as_number();
            if ms.is_finite() && ms >= 0.0 {
                cb.emit(Msg::Seek((ms * 1000.0).round() as u64));
            }
        })
    };
    let speed = crate::ui::shell::math::pow(10.0, props.speed_step as f64 / 10.0);
    let (action, label, icon) = if props.playing {
        ("pause", t("transport.pause"), "M3 2h4v12H3zM9 2h4v12H9z")
    } else {
        ("play", t("transport.play"), "M4 2l10 6-10 6z")
    };
    let key_label = tf("transport.key_space", &[("label", &label)]);
    html! {
        <section class="transport" aria-label={t("transport.label")}>
            <div class="buttons">
                <button class="primary toggle" data-action={action} onclick={send(Msg::TogglePlay)}
                        aria-label={key_label.clone()} title={key_label}>
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d={icon} /></svg>{ label }
                </button>
                <button data-action="step" onclick={send(Msg::Step)} title={t("transport.step_title")}>{ tx("transport.step") }</button>
                <button data-action="next" onclick={send(Msg::StepInteresting)}
                        title={t(props.next_title)}>{ tx("transport.next") }</button>
            </div>
            <label class="speed">
                <span>{ tx("transport.speed") }</span>
                <input type="range" data-action="speed" min={SPEED_STEP_MIN.to_string()} max={SPEED_STEP_MAX.to_string()}
                       step="1" value={props.speed_step.to_string()} oninput={on_speed}
                       aria-valuetext={crate::ui::shell::format::speed(speed)} />
                <output data-testid="speed">{ crate::ui::shell::format::speed(speed) }</output>
            </label>
            <div class="time">
                <span class="clock" data-testid="sim-time" ref={props.clock.clone()} aria-live="off"></span>
                if props.seekable {
                    <input type="range" class="scrubber" data-testid="scrubber" data-action="seek" min="0" step="any"
                           aria-label={t("transport.scrubber")} ref={props.scrubber.clone()}
                           oninput={on_seek} />
                    <span class="horizon" ref={props.horizon.clone()} title={t("transport.horizon")}></span>
                }
                if props.in_past {
                    <button class="live" data-action="live" onclick={send(Msg::Seek(props.horizon_us))}
                            title={t("transport.live_title")}>{ tx("transport.live") }</button>
                }
            </div>
        </section>
    }
}
