//! The strategies table: every placement strategy on the same keys and the same membership
//! change, with keys moved, balance and lookup cost. Rows fill in as the chunked recompute
//! finishes each strategy; clicking a row shows that strategy in the load chart.

use super::charts::percent;
use super::model::RingMsg;
use super::view::TableView;
use crate::sim::ring::Strategy;
use crate::ui::i18n::{t, tf, tx};
use crate::ui::shell::geometry::num;
use crate::ui::store::msg::Msg;
use yew::prelude::*;

/// The unit of a lookup's cost and its complexity, in the language shown
/// (`Strategy::cost_model` in words).
fn cost_words(strategy: Strategy) -> (&'static str, &'static str) {
    match strategy {
        Strategy::Modulo => (t("ring.cost.modulo_unit"), t("ring.cost.modulo")),
        Strategy::Ring => (t("ring.cost.ring_unit"), t("ring.cost.ring")),
        Strategy::Rendezvous => (t("ring.cost.rendezvous_unit"), t("ring.cost.rendezvous")),
        Strategy::Jump => (t("ring.cost.jump_unit"), t("ring.cost.jump")),
        Strategy::Maglev => (t("ring.cost.maglev_unit"), t("ring.cost.maglev")),
        Strategy::Bounded => (t("ring.cost.bounded_unit"), t("ring.cost.bounded")),
    }
}

/// `v` with two decimals, without float formatting.
fn hundredths(v: f64) -> String {
    crate::ui::shell::geometry::fixed(v.max(0.0), 2)
}

pub fn strategy_table(table: &TableView, on_msg: &Callback<Msg>) -> Html {
    let rows = table.rows.iter().map(|row| {
        let strategy = row.strategy;
        let show = on_msg.reform(move |_: MouseEvent| Msg::Ring(RingMsg::ShowStrategy(strategy)));
        let shown = table.shown == strategy;
        let cells = match (&row.report, &row.error) {
            (_, Some(e)) => html! { <td colspan="4" class="error">{ e.clone() }</td> },
            (Some(r), None) => {
                let (unit, complexity) = cost_words(strategy);
                html! {
                    <>
                        <td class="num">{ r.movement.moved_keys.to_string() }<span class="muted">{ " (" }{ percent(r.movement.moved_fraction) }{ ")" }</span></td>
                        <td class="num">{ hundredths(r.after.keys.max_over_mean) }</td>
                        <td class="num">{ percent(r.after.keys.rel_std_dev) }</td>
                        <td class="num" title={complexity}>{ num(r.lookup.ops_per_key_mean) }<span class="muted">{ " " }{ unit }</span></td>
                    </>
                }
            }
            (None, None) => html! { <td colspan="4" class="muted">{ tx("ring.table.computing") }</td> },
        };
        html! {
            <tr class={classes!(shown.then_some("shown"), table.computing.then_some("stale"))} data-strategy={strategy.name()}
                data-moved={row.report.as_ref().map(|r| r.movement.moved_keys.to_string())} data-work-ms={hundredths(row.work_ms)}>
                <th scope="row">
                    <button class="linkish" onclick={show} aria-pressed={shown.to_string()} title={t("ring.table.show_title")}>
                        { strategy.name() }
                    </button>
                </th>
                { cells }
            </tr>
        }
    });
    let progress = table.progress.map(|(done, total)| {
        html! { <progress max={total.to_string()} value={done.to_string()} aria-label={t("ring.table.progress")}></progress> }
    });
    html! {
        <section class="strategies" data-testid="strategy-table" data-state={if table.computing { "computing" } else { "done" }}
                 data-work-ms={hundredths(table.work_ms)} data-slice-max-ms={hundredths(table.slice_max_ms)}>
            <h3>{ tx("ring.table.title") }</h3>
            <p class="hint">{ table.label.clone() }{ " · " }{ tx("ring.table.hint") }{ for progress }</p>
            <div class="table-scroll">
                <table class="strategy-table">
                    <thead><tr>
                        <th scope="col">{ tx("ring.table.strategy") }</th>
                        <th scope="col" title={t("ring.table.moved_title")}>{ tx("ring.table.moved") }</th>
                        <th scope="col" title={t("ring.table.max_mean_title")}>{ tx("ring.table.max_mean") }</th>
                        <th scope="col" title={t("ring.table.std_dev_title")}>{ tx("ring.table.std_dev") }</th>
                        <th scope="col" title={t("ring.table.lookup_title")}>{ tx("ring.table.lookup") }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if table.work_ms > 0.0 {
                <p class="hint">{ tf("ring.table.work", &[("work", &hundredths(table.work_ms)), ("slice", &hundredths(table.slice_max_ms))]) }</p>
            }
        </section>
    }
}
