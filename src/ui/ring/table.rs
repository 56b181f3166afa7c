//! The strategies table: every placement strategy on the same keys and the same membership
//! change, with keys moved, balance and lookup cost. Rows fill in as the chunked recompute
//! finishes each strategy; clicking a row shows that strategy in the load chart.

use super::charts::percent;
use super::model::RingMsg;
use super::view::TableView;
use crate::ui::geometry::num;
use crate::ui::state::Msg;
use yew::prelude::*;

/// `v` with two decimals, without float formatting.
fn hundredths(v: f64) -> String {
    let h = (v * 100.0).round().max(0.0) as u64;
    h.div_euclid(100).to_string() + "." + &(h % 100 / 10).to_string() + &(h % 10).to_string()
}

pub fn strategy_table(t: &TableView, on_msg: &Callback<Msg>) -> Html {
    let rows = t.rows.iter().map(|row| {
        let strategy = row.strategy;
        let show = on_msg.reform(move |_: MouseEvent| Msg::Ring(RingMsg::ShowStrategy(strategy)));
        let shown = t.shown == strategy;
        let cells = match (&row.report, &row.error) {
            (_, Some(e)) => html! { <td colspan="4" class="error">{ e.clone() }</td> },
            (Some(r), None) => {
                let (unit, _) = strategy.cost_model();
                html! {
                    <>
                        <td class="num">{ r.movement.moved_keys.to_string() }<span class="muted">{ " (" }{ percent(r.movement.moved_fraction) }{ ")" }</span></td>
                        <td class="num">{ hundredths(r.after.keys.max_over_mean) }</td>
                        <td class="num">{ percent(r.after.keys.rel_std_dev) }</td>
                        <td class="num" title={strategy.cost_model().1}>{ num(r.lookup.ops_per_key_mean) }<span class="muted">{ " " }{ unit }</span></td>
                    </>
                }
            }
            (None, None) => html! { <td colspan="4" class="muted">{ "computing…" }</td> },
        };
        html! {
            <tr class={classes!(shown.then_some("shown"), t.computing.then_some("stale"))} data-strategy={strategy.name()}
                data-moved={row.report.as_ref().map(|r| r.movement.moved_keys.to_string())} data-work-ms={hundredths(row.work_ms)}>
                <th scope="row">
                    <button class="linkish" onclick={show} aria-pressed={shown.to_string()} title="Show its load per node">
                        { strategy.name() }
                    </button>
                </th>
                { cells }
            </tr>
        }
    });
    let progress = t.progress.map(|(done, total)| {
        html! { <progress max={total.to_string()} value={done.to_string()} aria-label="Recompute progress"></progress> }
    });
    html! {
        <section class="strategies" data-testid="strategy-table" data-state={if t.computing { "computing" } else { "done" }}
                 data-work-ms={hundredths(t.work_ms)} data-slice-max-ms={hundredths(t.slice_max_ms)}>
            <h3>{ "Strategies on the same keys" }</h3>
            <p class="hint">{ t.label.clone() }{ " · click a strategy to chart its load" }{ for progress }</p>
            <div class="table-scroll">
                <table class="strategy-table">
                    <thead><tr>
                        <th scope="col">{ "strategy" }</th>
                        <th scope="col" title="Keys whose owner changed">{ "keys moved" }</th>
                        <th scope="col" title="The busiest node's keys over the mean">{ "max/mean" }</th>
                        <th scope="col" title="Standard deviation of keys per node, relative to the mean">{ "std dev" }</th>
                        <th scope="col" title="Mean operations per lookup">{ "lookup cost" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if t.work_ms > 0.0 {
                <p class="hint">{ "Last recompute: " }{ hundredths(t.work_ms) }{ " ms of work, at most " }{ hundredths(t.slice_max_ms) }{ " ms in one frame." }</p>
            }
        </section>
    }
}
