//! Lesson 9's availability calculator: n servers, each down with probability p; the chance
//! that a majority is up, beside the same chance for the neighbouring cluster sizes.

use crate::content::lesson::availability::{failures_tolerated, majority_up};
use crate::content::lesson::Calculator;
use crate::ui::i18n::{tf, tx, use_lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CalculatorProps {
    pub start: Calculator,
}

fn percent(p: f64) -> String {
    crate::ui::shell::geometry::fixed(p * 100.0, 2) + "%"
}

#[function_component(AvailabilityCalculator)]
pub fn availability_calculator(props: &CalculatorProps) -> Html {
    use_lang();
    let nodes = use_state(|| props.start.nodes);
    let down = use_state(|| props.start.down_percent);
    let on_nodes = {
        let nodes = nodes.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = s.value().parse::<u32>() {
                nodes.set(n.clamp(1, 9));
            }
        })
    };
    let on_down = {
        let down = down.clone();
        Callback::from(move |e: InputEvent| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(p) = i.value().trim().parse::<u32>() {
                down.set(p.min(100));
            }
        })
    };
    let p = *down as f64 / 100.0;
    let n = *nodes;
    html! {
        <div class="calculator" data-testid="calculator">
            <div class="row">
                <label>{ tx("lesson.calc.nodes") }
                    <select data-field="calc-nodes" onchange={on_nodes}>
                        { for (1..=9u32).map(|k| html! { <option value={k.to_string()} selected={k == n}>{ k }</option> }) }
                    </select>
                </label>
                <label>{ tx("lesson.calc.down") }
                    <input data-field="calc-down" type="number" min="0" max="100" step="1" size="3"
                        value={down.to_string()} oninput={on_down} />{ " %" }
                </label>
            </div>
            <p class="calc-result" data-testid="calc-result" aria-live="polite">
                { tf("lesson.calc.result", &[("n", &n), ("p", &percent(majority_up(n, p)))]) }
                <span class="muted">{ " · " }{ tf("lesson.calc.needs", &[("up", &(n / 2 + 1)), ("down", &failures_tolerated(n))]) }</span>
            </p>
            <table class="calc-table">
                <thead><tr><th>{ "n" }</th><th>{ tx("lesson.calc.survives") }</th><th>{ tx("lesson.calc.p_up") }</th></tr></thead>
                <tbody>
                    { for (1..=7u32).map(|k| html! {
                        <tr class={classes!((k == n).then_some("current"))}>
                            <td>{ k }</td><td>{ failures_tolerated(k) }</td><td>{ percent(majority_up(k, p)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
