//! Hash ring controls: actions on the selected node (crash, restart, remove), adding a node,
//! a partition preset, and the settings form (nodes, V, R, W, R_read, keys, skew, strategy,
//! bounded-load factor) whose problems are named rather than panicked on.

use super::model::{RingForm, RingMsg, MAX_KEYS, MAX_NODES};
use super::stage::status_words;
use super::view::RingView;
use crate::sim::ring::store::{NodeStatus, RingAction, RingSettings};
use crate::sim::ring::{Skew, Strategy};
use crate::sim::types::NodeId;
use crate::ui::state::Msg;
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
            n.id.to_string()
                + " ("
                + status_words(n.status)
                + ")"
                + if view.selected.is_some() {
                    ""
                } else {
                    " — click a node to choose another"
                }
        }
        None => "no node".to_string(),
    };
    html! {
        <section class="controls card" aria-label="Node actions">
            <h2 class="target" data-testid="target" data-target={view.target.map(|t| t.0.to_string())}>{ target_line }</h2>
            if let Some(n) = node {
                <div class="row buttons">
                    if n.status == NodeStatus::Up || n.status == NodeStatus::Leaving {
                        <button class="danger" data-action="crash" onclick={act(RingAction::Crash { node: n.id })}
                                title="Stop the process; its disk keeps its replicas. The others notice after the failure-detection delay.">{ "Kill" }</button>
                    } else {
                        <button data-action="restart" onclick={act(RingAction::Restart { node: n.id })}
                                title="Start it again with the replicas on its disk">{ "Restart" }</button>
                    }
                    <button data-action="ring-remove" disabled={n.status == NodeStatus::Leaving} onclick={act(RingAction::Remove { node: n.id })}
                            title="Take it off the ring for good: it streams its keys away, then leaves">{ "Remove" }</button>
                    <button data-action="ring-add" disabled={full} onclick={act(RingAction::Add)}
                            title="A new, empty node joins and streams its ranges in">{ "Add a node" }</button>
                </div>
            }
            <div class="row buttons net">
                <span class="label">{ "Network" }</span>
                <button data-action="partition" data-preset="halves" disabled={halves.is_empty()}
                        onclick={act(RingAction::Partition { groups: vec![halves] })}
                        title="Split the nodes into two halves that cannot talk">{ "Split in halves" }</button>
                <button data-action="heal" disabled={!view.partitioned} onclick={act(RingAction::Heal)}
                        title="Remove the partition">{ "Heal" }</button>
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
const FIELDS: [(&str, &str, &str); 7] = [
    ("ring-nodes", "Nodes", "1 to 32"),
    ("ring-vnodes", "V (tokens per node)", "1 to 1000"),
    ("ring-r", "R (replicas)", "1 to 5"),
    ("ring-w", "W (write acks)", "1 to R"),
    ("ring-rread", "R_read (read replies)", "1 to R"),
    ("ring-keys", "Keys", "0 to 100000"),
    ("ring-c", "c (bounded loads)", "at least 1"),
];

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
    for (i, number) in numbers.iter_mut().enumerate() {
        let text = values[i].trim();
        *number = text.parse().map_err(|_| {
            FIELDS[i].1.to_string()
                + ": \""
                + text
                + "\" is not a whole number ("
                + FIELDS[i].2
                + ")."
        })?;
    }
    let c = thousandths(values[6].trim())
        .filter(|c| (1000..=100_000).contains(c))
        .ok_or_else(|| {
            "c must be a number from 1 to 100 with at most three decimals (1.25 lets a node take 25% over the mean).".to_string()
        })?;
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
    let inputs = FIELDS.iter().enumerate().map(|(i, (hook, label, bounds))| {
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
                <span>{ *label }</span>
                <input data-field={*hook} inputmode={if i == 6 { "decimal" } else { "numeric" }} value={values[i].clone()} {oninput} title={*bounds} />
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
            <p class="quorum ok" data-testid="quorum-note">{ "R_read + W = " }{ (rr + w).to_string() }{ " > R = " }{ r.to_string() }
                { ": every read asks at least one replica that acknowledged the last successful write, so it sees it." }</p>
        },
        (Some(r), Some(w), Some(rr)) => html! {
            <p class="quorum warn" data-testid="quorum-note">{ "R_read + W = " }{ (rr + w).to_string() }{ " ≤ R = " }{ r.to_string() }
                { ": a read may ask only replicas the last write missed, and return an old value." }</p>
        },
        _ => html! {},
    };
    let error = (*parse_error).clone().or_else(|| props.error.clone());
    html! {
        <form class="settings ring-settings card" onsubmit={on_apply} aria-label="Ring settings">
            <h3>{ "Settings" }</h3>
            <div class="grid">
                { for inputs }
                <label><span>{ "Key skew" }</span>
                    <select data-field="ring-skew" onchange={select(&skew)}>
                        <option value="uniform" selected={*skew == "uniform"}>{ "uniform" }</option>
                        <option value="zipf" selected={*skew == "zipf"}>{ "Zipf (hot keys)" }</option>
                    </select>
                </label>
                <label><span>{ "Strategy (charted)" }</span>
                    <select data-field="ring-strategy" onchange={select(&strategy)}>
                        { for Strategy::ALL.iter().map(|s| html! { <option value={s.name()} selected={*strategy == s.name()}>{ s.name() }</option> }) }
                    </select>
                </label>
            </div>
            { quorum }
            if let Some(e) = error {
                <p class="form-error" role="alert" data-testid="ring-settings-error">{ e }</p>
            }
            <button type="submit" class="primary" data-action="ring-apply" title="Start a new run with these settings">{ "Apply" }</button>
            <span class="hint">{ " Up to " }{ MAX_NODES.to_string() }{ " nodes and " }{ MAX_KEYS.to_string() }{ " keys. The store always places keys on the ring; the strategy picks the table row charted." }</span>
        </form>
    }
}
