//! The Log replay panel: each node's disk as a strip (snapshot, then log records; synced and
//! written-only records look different, torn ones are marked), the replay cursor of a
//! recovering node with its state machine filling in, crash options, the disk and checkpoint
//! policies, and recovery time against checkpoint interval measured by running the simulation.

use crate::sim::disk::{CrashMode, DiskConfig, SyncPolicy};
use crate::sim::raft::action::Action;
use crate::sim::raft::RaftConfig;
use crate::sim::types::NodeId;
use crate::ui::i18n::{t, tf, tx, use_lang};
use crate::ui::modes::raft::view::DiskView;
use crate::ui::store::model::RecoveryChart;
use crate::ui::store::msg::Msg;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DisksProps {
    pub disks: Rc<Vec<DiskView>>,
    pub target: NodeId,
    pub disk_config: DiskConfig,
    pub raft: RaftConfig,
    pub chart: Option<Rc<RecoveryChart>>,
    pub on_msg: Callback<Msg>,
}

/// Sync policies offered, by name.
fn sync_choices() -> [(&'static str, &'static str); 3] {
    [
        ("every", t("disks.sync_every")),
        ("group", t("disks.sync_group")),
        ("never", t("disks.sync_never")),
    ]
}

/// Checkpoint intervals offered, in applied entries (0: never).
const CHECKPOINT_CHOICES: [u64; 5] = [0, 10, 25, 50, 100];

#[function_component(Disks)]
pub fn disks(props: &DisksProps) -> Html {
    use_lang();
    let target = props.target;
    let act = |action: Action| {
        let on_msg = props.on_msg.clone();
        Callback::from(move |_: MouseEvent| on_msg.emit(Msg::Act(action.clone())))
    };
    let crash = |mode: CrashMode| act(Action::Crash { node: target, mode });
    let sync_now = match props.disk_config.sync {
        SyncPolicy::EveryWrite => "every",
        SyncPolicy::Interval { .. } => "group",
        SyncPolicy::Never => "never",
    };
    let on_sync = {
        let on_msg = props.on_msg.clone();
        let config = props.disk_config.clone();
        Callback::from(move |e: Event| {
            let Some(value) = select_value(&e) else {
                return;
            };
            let sync = match value.as_str() {
                "group" => SyncPolicy::Interval {
                    interval_us: 20_000,
                },
                "never" => SyncPolicy::Never,
                _ => SyncPolicy::EveryWrite,
            };
            on_msg.emit(Msg::SetDisk(DiskConfig {
                sync,
                ..config.clone()
            }));
        })
    };
    let on_checkpoint = {
        let on_msg = props.on_msg.clone();
        let raft = props.raft.clone();
        Callback::from(move |e: Event| {
            let Some(every) = select_value(&e).and_then(|v| v.parse::<u64>().ok()) else {
                return;
            };
            let raft = RaftConfig {
                snapshot_every_entries: (every > 0).then_some(every),
                ..raft.clone()
            };
            on_msg.emit(Msg::Act(Action::SetRaft { raft }));
        })
    };
    let every_now = props.raft.snapshot_every_entries.unwrap_or(0);
    html! {
        <div class="disks" data-testid="disks">
            <div class="disk-controls">
                <div class="row">
                    <strong>{ format!("{target}: ") }</strong>
                    <button class="danger" data-action="crash-clean" title={t("disks.crash_title")} onclick={crash(CrashMode::Clean)}>{ tx("disks.crash") }</button>
                    <button class="danger" data-action="crash-lose-unsynced" title={t("disks.power_loss_title")} onclick={crash(CrashMode::LoseUnsynced)}>{ tx("disks.power_loss") }</button>
                    <button class="danger" data-action="crash-tear" title={t("disks.tear_title")} onclick={crash(CrashMode::TearLast)}>{ tx("disks.tear") }</button>
                    <button data-action="replay-restart" onclick={act(Action::Restart { node: target })}>{ tx("disks.restart") }</button>
                    <button data-action="checkpoint" onclick={act(Action::Snapshot { node: target })}>{ tx("disks.checkpoint") }</button>
                </div>
                <div class="row">
                    <label>{ tx("disks.disk") }{ " " }
                        <select data-testid="sync-policy" onchange={on_sync} title={t("disks.new_run_title")}>
                            { for sync_choices().iter().map(|(v, label)| html! { <option value={*v} selected={*v == sync_now}>{ *label }</option> }) }
                        </select>
                    </label>
                    <label>{ " " }{ tx("disks.checkpoint_every") }{ " " }
                        <select data-testid="snapshot-every" onchange={on_checkpoint}>
                            { for CHECKPOINT_CHOICES.iter().map(|v| html! {
                                <option value={v.to_string()} selected={*v == every_now}>{ if *v == 0 { t("disks.never").to_string() } else { tf("disks.every_entries", &[("count", v)]) } }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <p class="hint">{ tf("disks.hint", &[("entry_ms", &crate::ui::shell::geometry::num(props.disk_config.replay_us_per_entry as f64 / 1000.0)), ("kb_ms", &crate::ui::shell::geometry::num(props.disk_config.load_us_per_snapshot_kb as f64 / 1000.0))]) }</p>
                <p class="legend-line"><span class="rec synced">{ tx("disks.synced") }</span><span class="rec unsynced">{ tx("disks.unsynced") }</span><span class="rec torn">{ tx("disks.torn") }</span><span class="rec replayed synced">{ tx("disks.replayed") }</span><span class="snap">{ tx("disks.snapshot") }</span></p>
            </div>
            { for props.disks.iter().map(disk_strip) }
            <RecoveryBars chart={props.chart.clone()} current={props.raft.snapshot_every_entries} on_msg={props.on_msg.clone()} />
        </div>
    }
}

fn disk_strip(d: &DiskView) -> Html {
    let cursor = d.cursor.map(|(at, to)| {
        let pct = if to == 0 { 100 } else { (at * 100 / to.max(1)).min(100) };
        html! {
            <div class="replay" data-testid="replay-cursor" data-replay-node={d.id.0.to_string()} data-cursor={at.to_string()}>
                { tf("disks.replaying", &[("at", &at), ("to", &to)]) }
                <div class="bar" aria-hidden="true"><div style={format!("width:{pct}%")}></div></div>
            </div>
        }
    });
    html! {
        <div class={classes!("disk", d.status)} data-disk={d.id.0.to_string()} data-status={d.status} data-applied={d.applied.to_string()}>
            <div class="disk-head">
                <strong>{ d.id.to_string() }</strong>
                <span>{ " " }{ tf("disks.head", &[("status", &status_words(d.status)), ("applied", &d.applied), ("bytes", &d.bytes_written)]) }</span>
            </div>
            { for cursor }
            <div class="strip" role="group" data-testid="disk-strip" aria-label={tf("disks.strip_label", &[("node", &d.id)])}>
                if let Some((index, bytes)) = d.snapshot {
                    <span class="snap" title={tf("disks.bytes", &[("bytes", &bytes)])}>{ tf("disks.snapshot_upto", &[("index", &index)]) }</span>
                }
                if d.hidden_records > 0 {
                    <span class="more">{ tf("disks.older", &[("count", &d.hidden_records)]) }</span>
                }
                { for d.records.iter().map(|r| html! {
                    <span class={classes!("rec", r.kind, if r.synced { "synced" } else { "unsynced" }, r.torn.then_some("torn"), r.replayed.then_some("replayed"))}
                        title={record_title(r)}>
                        { &r.label }
                    </span>
                }) }
            </div>
            <div class="kv" data-disk-kv={d.id.0.to_string()}>
                if d.kv.is_empty() {
                    <span class="empty">{ tx("disks.kv_empty") }</span>
                }
                { for d.kv.iter().map(|(k, v)| html! { <span class="pair">{ format!("{k}={v}") }</span> }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ChartProps {
    chart: Option<Rc<RecoveryChart>>,
    current: Option<u64>,
    on_msg: Callback<Msg>,
}

/// Bars of recovery time and bytes written per checkpoint interval, the current one marked.
#[function_component(RecoveryBars)]
fn recovery_chart(props: &ChartProps) -> Html {
    use_lang();
    let compute = props
        .on_msg
        .reform(|_: MouseEvent| Msg::ComputeRecoveryChart);
    let Some(rows) = props.chart.as_ref() else {
        return html! {
            <div class="chart">
                <button data-action="compute-chart" onclick={compute}>{ tx("chart.measure") }</button>
                <p class="hint">{ tx("chart.measure_hint") }</p>
            </div>
        };
    };
    let max_ms = rows
        .iter()
        .map(|(_, r)| r.recovery_us)
        .max()
        .unwrap_or(1)
        .max(1);
    let max_bytes = rows
        .iter()
        .map(|(_, r)| r.bytes_written)
        .max()
        .unwrap_or(1)
        .max(1);
    let bar = |label: String, value: u64, max: u64, text: String, current: bool| {
        let width = value * 100 / max;
        html! {
            <div class={classes!("chart-row", current.then_some("current"))}>
                <span class="chart-label">{ label }</span>
                <span class="chart-bar"><span style={format!("width:{width}%")}></span></span>
                <span class="chart-value">{ text }</span>
            </div>
        }
    };
    html! {
        <div class="chart" data-testid="recovery-chart">
            <h4>{ tx("chart.recovery") }</h4>
            { for rows.iter().map(|(every, r)| bar(interval_label(*every), r.recovery_us, max_ms, format!("{} ms", crate::ui::shell::geometry::fixed(r.recovery_us as f64 / 1000.0, 1)), *every == props.current)) }
            <h4>{ tx("chart.bytes") }</h4>
            { for rows.iter().map(|(every, r)| bar(interval_label(*every), r.bytes_written, max_bytes, format!("{} KB", r.bytes_written / 1000), *every == props.current)) }
            <p class="hint">{ tx("chart.hint") }</p>
        </div>
    }
}

fn interval_label(every: Option<u64>) -> String {
    match every {
        Some(n) => tf("chart.every", &[("count", &n)]),
        None => t("disks.never").into(),
    }
}

/// A disk's status ("up", "recovering", "crashed") in words.
fn status_words(status: &str) -> &'static str {
    match status {
        "up" => t("disks.status_up"),
        "recovering" => t("disks.status_recovering"),
        _ => t("disks.status_crashed"),
    }
}

/// A record's tooltip: its kind, whether it is synced, whether it is torn.
fn record_title(r: &crate::ui::modes::raft::view::RecordView) -> String {
    let s = if r.synced {
        tf("disks.record_synced", &[("kind", &r.kind)])
    } else {
        tf("disks.record_unsynced", &[("kind", &r.kind)])
    };
    if r.torn {
        tf("disks.record_torn", &[("text", &s)])
    } else {
        s
    }
}

fn select_value(e: &Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
}
