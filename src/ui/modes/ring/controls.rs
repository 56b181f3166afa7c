//! Hash ring controls: actions on the selected node (crash, restart, remove), adding a node,
//! a partition preset, and the settings form (nodes, V, R, W, R_read, keys, skew, strategy,
//! bounded-load factor) whose problems are named rather than panicked on.

use super::model::{RingForm, RingMsg, MAX_KEYS, MAX_NODES};
use super::stage::status_words;
use super::view::RingView;
use crate::sim::ring::store::{NodeStatus, RingAction, RingSettings};
use crate::sim::ring::{Skew, Strategy};
use crate::sim::types::NodeId;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::store::msg::Msg;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Actions on the target node and the network (a plain function of the ring page's view).
pub fn node_actions(view: &RingView, on_msg: &Callback<Msg>) -> Html {
    let act = |action: RingAction| {
        on_msg.reform(move |_: MouseEvent| Msg::Ring(RingMsg::Act(action.clone())))
    };
    let node = view
        .target
        .and_then(|id| view.nodes.iter().find(|n| n.id == id));
    let halves: Vec<NodeId> = view
        .nodes
        .iter()
        .take(view.nodes.len() / 2)
        .map(|n| n.id)
        .collect();
    let full = view.nodes.len() as u32 >= MAX_NODES;
    let target_line = match node {
        Some(n) => {
            tf(
                "ring.target",
                &[("node", &n.id), ("status", &status_words(n.status))],
            ) + if view.selected.is_some() {
                ""
            } else {
                t("ring.target_hint")
            }
        }
        None => t("ring.no_node").to_string(),
    };
    html! {
        <section class="controls card" aria-label={t("ring.actions.label")}>
            <h2 class="target" data-testid="target" data-target={view.target.map(|t| t.0.to_string())}>{ target_line }</h2>
            if let Some(n) = node {
                <div class="row buttons">
                    if n.status == NodeStatus::Up || n.status == NodeStatus::Leaving {
                        <button class="danger" data-action="crash" onclick={act(RingAction::Crash { node: n.id })}
                                title={t("ring.actions.kill_title")}>{ tx("ring.actions.kill") }</button>
                    } else {
                        <button data-action="restart" onclick={act(RingAction::Restart { node: n.id })}
                                title={t("ring.actions.restart_title")}>{ tx("ring.actions.restart") }</button>
                    }
                    <button data-action="ring-remove" disabled={n.status == NodeStatus::Leaving} onclick={act(RingAction::Remove { node: n.id })}
                            title={t("ring.actions.remove_title")}>{ tx("ring.actions.remove") }</button>
                    <button data-action="ring-add" disabled={full} onclick={act(RingAction::Add)}
                            title={t("ring.actions.add_title")}>{ tx("ring.actions.add") }</button>
                </div>
            }
            <div class="row buttons net">
                <span class="label">{ tx("ring.actions.network") }</span>
                <button data-action="partition" data-preset="halves" disabled={halves.is_empty()}
                        onclick={act(RingAction::Partition { groups: vec![halves] })}
                        title={t("ring.actions.split_title")}>{ tx("ring.actions.split") }</button>
                <button data-action="heal" disabled={!view.partitioned} onclick={act(RingAction::Heal)}
                        title={t("ring.actions.heal_title")}>{ tx("ring.actions.heal") }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RingSettingsProps {
    pub form: RingForm,
    pub error: Option<String>,
    pub on_msg: Callback<Msg>,
}

/// The form's fields: hook name, label, what it sets and its bounds on this page.
fn fields() -> [(&'static str, &'static str, &'static str); 7] {
    [
        (
            "ring-nodes",
            t("ring.field.nodes"),
            t("ring.field.nodes_bounds"),
        ),
        (
            "ring-vnodes",
            t("ring.field.vnodes"),
            t("ring.field.vnodes_bounds"),
        ),
        ("ring-r", t("ring.field.r"), t("ring.field.r_bounds")),
        ("ring-w", t("ring.field.w"), t("ring.field.quorum_bounds")),
        (
            "ring-rread",
            t("ring.field.rread"),
            t("ring.field.quorum_bounds"),
        ),
        (
            "ring-keys",
            t("ring.field.keys"),
            t("ring.field.keys_bounds"),
        ),
        ("ring-c", t("ring.field.c"), t("ring.field.c_bounds")),
    ]
}

fn field_values(form: &RingForm) -> [String; 7] {
    let (s, c) = (&form.store, form.load_factor_milli);
    [
        s.nodes.to_string(),
        s.vnodes.to_string(),
        s.replication.to_string(),
        s.write_quorum.to_string(),
        s.read_quorum.to_string(),
        s.keys.to_string(),
        // Thousandths with their leading zeros: 1050 is "1.050".
        (c / 1000).to_string() + "." + &(1000 + c % 1000).to_string()[1..],
    ]
}

/// "1.25" as 1250, without pulling float parsing into the bundle.
fn thousandths(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded = fraction.to_string() + &"000"[fraction.len()..];
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    whole.checked_mul(1000)?.checked_add(padded.parse().ok()?)
}

/// The form as typed, or which field is not a number.
fn parse(
    values: &[String; 7],
    skew: &str,
    strategy: &str,
    store: &RingSettings,
) -> Result<RingForm, String> {
    let mut numbers = [0u32; 6];
    let fields = fields();
    for (i, number) in numbers.iter_mut().enumerate() {
        let text = values[i].trim();
        *number = text.parse().map_err(|_| {
            tf(
                "ring.error.not_whole",
                &[
                    ("field", &fields[i].1),
                    ("text", &text),
                    ("bounds", &fields[i].2),
                ],
            )
        })?;
    }
    let c = thousandths(values[6].trim())
        .filter(|c| (1000..=100_000).contains(c))
        .ok_or_else(|| t("ring.error.c").to_string())?;
    Ok(RingForm {
        store: RingSettings {
            nodes: numbers[0],
            vnodes: numbers[1],
            replication: numbers[2],
            write_quorum: numbers[3],
            read_quorum: numbers[4],
            keys: numbers[5],
            ..store.clone()
        },
        skew: skew.parse().unwrap_or(Skew::Uniform),
        strategy: strategy.parse().unwrap_or(Strategy::Ring),
        load_factor_milli: c,
    })
}

#[function_component(RingSettingsForm)]
pub fn ring_settings_form(props: &RingSettingsProps) -> Html {
    use_lang();
    let values = use_state(|| field_values(&props.form));
    let skew = use_state(|| props.form.skew.name().to_string());
    let strategy = use_state(|| props.form.strategy.name().to_string());
    let parse_error = use_state(|| None::<String>);
    // A new applied form (a new run) resets what is typed.
    {
        let (values, skew, strategy) = (values.clone(), skew.clone(), strategy.clone());
        use_effect_with(props.form.clone(), move |form| {
            values.set(field_values(form));
            skew.set(form.skew.name().to_string());
            strategy.set(form.strategy.name().to_string());
        });
    }
    let inputs = fields().into_iter().enumerate().map(|(i, (hook, label, bounds))| {
        let oninput = {
            let values = values.clone();
            Callback::from(move |e: InputEvent| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let mut next = (*values).clone();
                next[i] = input.value();
                values.set(next);
            })
        };
        html! {
            <label>
                <span>{ label }</span>
                <input data-field={hook} inputmode={if i == 6 { "decimal" } else { "numeric" }} value={values[i].clone()} {oninput} title={bounds} />
            </label>
        }
    });
    let select = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            state.set(s.value());
        })
    };
    let on_apply = {
        let (values, skew, strategy, parse_error) = (
            values.clone(),
            skew.clone(),
            strategy.clone(),
            parse_error.clone(),
        );
        let on_msg = props.on_msg.clone();
        let store = props.form.store.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match parse(&values, &skew, &strategy, &store) {
                Ok(form) => {
                    parse_error.set(None);
                    on_msg.emit(Msg::Ring(RingMsg::Apply(form)));
                }
                Err(message) => parse_error.set(Some(message)),
            }
        })
    };
    // What the typed quorums mean, live.
    let typed = |i: usize| values[i].trim().parse::<u32>().ok();
    let quorum = match (typed(2), typed(3), typed(4)) {
        (Some(r), Some(w), Some(rr)) if rr + w > r => html! {
            <p class="quorum ok" data-testid="quorum-note">{ tf("ring.quorum.ok", &[("sum", &(rr + w)), ("r", &r)]) }</p>
        },
        (Some(r), Some(w), Some(rr)) => html! {
            <p class="quorum warn" data-testid="quorum-note">{ tf("ring.quorum.warn", &[("sum", &(rr + w)), ("r", &r)]) }</p>
        },
        _ => html! {},
    };
    let error = (*parse_error).clone().or_else(|| props.error.clone());
    html! {
        <form class="settings ring-settings card" onsubmit={on_apply} aria-label={t("ring.settings.label")}>
            <h3>{ tx("ring.settings.title") }</h3>
            <div class="grid">
                { for inputs }
                <label><span>{ tx("ring.settings.skew") }</span>
                    <select data-field="ring-skew" onchange={select(&skew)}>
                        <option value="uniform" selected={*skew == "uniform"}>{ tx("ring.settings.uniform") }</option>
                        <option value="zipf" selected={*skew == "zipf"}>{ tx("ring.settings.zipf") }</option>
                    </select>
                </label>
                <label><span>{ tx("ring.settings.strategy") }</span>
                    <select data-field="ring-strategy" onchange={select(&strategy)}>
                        { for Strategy::ALL.iter().map(|s| html! { <option value={s.name()} selected={*strategy == s.name()}>{ s.name() }</option> }) }
                    </select>
                </label>
            </div>
            { quorum }
            if let Some(e) = error {
                <p class="form-error" role="alert" data-testid="ring-settings-error">{ e }</p>
            }
            <button type="submit" class="primary" data-action="ring-apply" title={t("ring.settings.apply_title")}>{ tx("ring.settings.apply") }</button>
            <span class="hint">{ tf("ring.settings.hint", &[("nodes", &MAX_NODES), ("keys", &MAX_KEYS)]) }</span>
        </form>
    }
}
