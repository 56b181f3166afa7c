//! The Log replay panel: each node's disk as a strip (snapshot, then log records; synced and
//! written-only records look different, torn ones are marked), the replay cursor of a
//! recovering node with its state machine filling in, crash options, the disk and checkpoint
//! policies, and recovery time against checkpoint interval measured by running the simulation.

use super::model::RecoveryChart;
use super::state::Msg;
use super::view::DiskView;
use crate::sim::action::Action;
use crate::sim::disk::{CrashMode, DiskConfig, SyncPolicy};
use crate::sim::raft::RaftConfig;
use crate::sim::types::NodeId;
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
const SYNC_CHOICES: [(&str, &str); 3] = [
    ("every", "sync every write"),
    ("group", "group commit every 20 ms"),
    ("never", "never sync"),
];

/// Checkpoint intervals offered, in applied entries (0: never).
const CHECKPOINT_CHOICES: [u64; 5] = [0, 10, 25, 50, 100];

#[function_component(Disks)]
pub fn disks(props: &DisksProps) -> Html {
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
                    <button class="danger" data-action="crash-clean" title="The process dies; the operating system still writes out what it had written" onclick={crash(CrashMode::Clean)}>{ "Crash" }</button>
                    <button class="danger" data-action="crash-lose-unsynced" title="Power loss: whatever was not synced is gone" onclick={crash(CrashMode::LoseUnsynced)}>{ "Power loss" }</button>
                    <button class="danger" data-action="crash-tear" title="Power loss in the middle of a write: the record being written is torn" onclick={crash(CrashMode::TearLast)}>{ "Power loss mid-write" }</button>
                    <button data-action="replay-restart" onclick={act(Action::Restart { node: target })}>{ "Restart" }</button>
                    <button data-action="checkpoint" onclick={act(Action::Snapshot { node: target })}>{ "Checkpoint now" }</button>
                </div>
                <div class="row">
                    <label>{ "Disk " }
                        <select data-testid="sync-policy" onchange={on_sync} title="Changing the disk starts a new run">
                            { for SYNC_CHOICES.iter().map(|(v, label)| html! { <option value={*v} selected={*v == sync_now}>{ *label }</option> }) }
                        </select>
                    </label>
                    <label>{ " checkpoint " }
                        <select data-testid="snapshot-every" onchange={on_checkpoint}>
                            { for CHECKPOINT_CHOICES.iter().map(|v| html! {
                                <option value={v.to_string()} selected={*v == every_now}>{ if *v == 0 { "never".to_string() } else { format!("every {v} entries") } }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <p class="hint">{ format!("Restart replays the log from the last checkpoint: {} ms per entry, {} ms per KB of snapshot. Changing the disk starts a new run.",
                    props.disk_config.replay_us_per_entry as f64 / 1000.0, props.disk_config.load_us_per_snapshot_kb as f64 / 1000.0) }</p>
                <p class="legend-line"><span class="rec synced">{ "synced" }</span><span class="rec unsynced">{ "written, not synced" }</span><span class="rec torn">{ "torn" }</span><span class="rec replayed synced">{ "replayed" }</span><span class="snap">{ "snapshot" }</span></p>
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
                { format!("Replaying the log: entry {at} of {to}") }
                <div class="bar" aria-hidden="true"><div style={format!("width:{pct}%")}></div></div>
            </div>
        }
    });
    html! {
        <div class={classes!("disk", d.status)} data-disk={d.id.0.to_string()} data-status={d.status} data-applied={d.applied.to_string()}>
            <div class="disk-head">
                <strong>{ d.id.to_string() }</strong>
                <span>{ format!(" {} · state machine at {} · {} bytes written", d.status, d.applied, d.bytes_written) }</span>
            </div>
            { for cursor }
            <div class="strip" data-testid="disk-strip" aria-label={format!("Disk of {}", d.id)}>
                if let Some((index, bytes)) = d.snapshot {
                    <span class="snap" title={format!("{bytes} bytes")}>{ format!("snapshot ≤ #{index}") }</span>
                }
                if d.hidden_records > 0 {
                    <span class="more">{ format!("… {} older", d.hidden_records) }</span>
                }
                { for d.records.iter().map(|r| html! {
                    <span class={classes!("rec", r.kind, if r.synced { "synced" } else { "unsynced" }, r.torn.then_some("torn"), r.replayed.then_some("replayed"))}
                        title={format!("{} record, {}{}", r.kind, if r.synced { "synced" } else { "not synced" }, if r.torn { ", torn: fails its checksum" } else { "" })}>
                        { &r.label }
                    </span>
                }) }
            </div>
            <div class="kv" data-disk-kv={d.id.0.to_string()}>
                if d.kv.is_empty() {
                    <span class="empty">{ "state machine empty" }</span>
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
    let compute = props
        .on_msg
        .reform(|_: MouseEvent| Msg::ComputeRecoveryChart);
    let Some(rows) = props.chart.as_ref() else {
        return html! {
            <div class="chart">
                <button data-action="compute-chart" onclick={compute}>{ "Measure recovery time against checkpoint interval" }</button>
                <p class="hint">{ "Runs the simulation once per interval (a 3-node cluster, 200 committed entries, then a crash and a restart) and plots what it measured." }</p>
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
            <h4>{ "Recovery time (simulated)" }</h4>
            { for rows.iter().map(|(every, r)| bar(interval_label(*every), r.recovery_us, max_ms, format!("{:.1} ms", r.recovery_us as f64 / 1000.0), *every == props.current)) }
            <h4>{ "Bytes written before the crash" }</h4>
            { for rows.iter().map(|(every, r)| bar(interval_label(*every), r.bytes_written, max_bytes, format!("{} KB", r.bytes_written / 1000), *every == props.current)) }
            <p class="hint">{ "The current setting is marked. Frequent checkpoints make recovery short and cost bytes written." }</p>
        </div>
    }
}

fn interval_label(every: Option<u64>) -> String {
    match every {
        Some(n) => format!("every {n}"),
        None => "never".into(),
    }
}

fn select_value(e: &Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
}
