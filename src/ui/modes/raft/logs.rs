//! Every node's log as a table (index x node), entries coloured by term, with commitIndex
//! and lastApplied marked, the leader's nextIndex / matchIndex per follower, and each node's
//! key-value state machine.

use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::format::term_hue;
use crate::ui::modes::raft::view::LogsView;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LogsProps {
    pub logs: Rc<LogsView>,
}

#[function_component(Logs)]
pub fn logs(props: &LogsProps) -> Html {
    use_lang();
    let l = &props.logs;
    let columns: Vec<u64> = if l.last == 0 {
        Vec::new()
    } else {
        (l.first..=l.last).collect()
    };
    html! {
        <div class="logs">
            <div class="table-scroll">
            <table class="log-table" aria-label={t("logs.label")}>
                <thead>
                    <tr>
                        <th scope="col">{ tx("logs.node") }</th>
                        { for columns.iter().map(|i| html! { <th scope="col" class="idx">{ i }</th> }) }
                        <th scope="col" title="commitIndex">{ tx("logs.commit") }</th>
                        <th scope="col" title="lastApplied">{ tx("logs.applied") }</th>
                        <th scope="col" title={t("logs.progress_title")}>{ tx("logs.progress") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for l.rows.iter().map(|row| {
                        let cells = columns.iter().map(|i| {
                            let entry = row.cells.iter().find(|c| c.index == *i);
                            let committed = *i <= row.commit;
                            let applied = *i == row.applied && row.applied > 0;
                            let next = row.progress.is_some_and(|(n, _)| n == *i);
                            let class = classes!(
                                "cell",
                                entry.is_some().then_some("entry"),
                                (entry.is_some() && committed).then_some("committed"),
                                (*i <= row.snapshot_index).then_some("compacted"),
                                (*i == row.commit).then_some("commit-mark"),
                                applied.then_some("applied-mark"),
                                next.then_some("next-mark"),
                            );
                            match entry {
                                Some(c) => html! {
                                    <td class={class} style={format!("--hue:{}", term_hue(c.term))}
                                        title={if committed {
                                            tf("logs.cell_committed", &[("index", &c.index), ("term", &c.term), ("cmd", &c.cmd)])
                                        } else {
                                            tf("logs.cell_uncommitted", &[("index", &c.index), ("term", &c.term), ("cmd", &c.cmd)])
                                        }}>
                                        { c.term }
                                    </td>
                                },
                                None if *i <= row.snapshot_index => html! { <td class={class} title={t("logs.in_snapshot")}>{ "▪" }</td> },
                                None => html! { <td class={class}></td> },
                            }
                        });
                        html! {
                            <tr key={row.id.0} data-log-row={row.id.0.to_string()} class={classes!((!row.up).then_some("down"), row.is_leader.then_some("leader"))}>
                                <th scope="row">{ row.id.to_string() }{ if row.is_leader { " ♛" } else if row.up { "" } else { " ✕" } }</th>
                                { for cells }
                                <td class="num" data-commit={row.commit.to_string()}>{ row.commit }</td>
                                <td class="num" data-applied={row.applied.to_string()}>{ row.applied }</td>
                                <td class="num">{ row.progress.map_or_else(String::new, |(n, m)| format!("{n} / {m}")) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            <p class="hint">
                <span class="swatch committed"></span>{ " " }{ tx("logs.key_committed") }{ "  " }
                <span class="swatch uncommitted"></span>{ " " }{ tx("logs.key_uncommitted") }{ "  " }
                <span class="mark-c">{ "┃" }</span>{ " commitIndex  " }
                <span class="mark-a">{ "•" }</span>{ " lastApplied  " }
                <span class="mark-n">{ "▾" }</span>{ " " }{ tx("logs.key_next") }
            </p>
            <h3>{ tx("logs.state_machines") }</h3>
            <table class="kv-table" aria-label={t("logs.kv_label")}>
                <tbody>
                { for l.rows.iter().map(|row| html! {
                    <tr key={row.id.0}>
                        <th scope="row">{ row.id.to_string() }</th>
                        <td data-kv-node={row.id.0.to_string()}>
                            if !row.up {
                                <span class="muted">{ tx("kv.crashed") }</span>
                            } else if row.kv.is_empty() {
                                <span class="muted">{ tx("kv.empty") }</span>
                            } else {
                                { for row.kv.iter().map(|(k, v)| html! { <span class="kv" data-key={k.clone()}>{ format!("{k}={v}") }</span> }) }
                            }
                        </td>
                    </tr>
                }) }
                </tbody>
            </table>
        </div>
    }
}
