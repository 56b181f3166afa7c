//! The Raft modes' keys: crash, restart, time out or write to the target node, heal or
//! isolate the leader, jump to the end, presentation mode, select a node by its number.

use crate::sim::disk::CrashMode;
use crate::sim::raft::Command;
use crate::sim::types::NodeId;
use crate::sim::Action;
use crate::ui::modes::raft::controls::preset_groups;
use crate::ui::store::model::Model;
use crate::ui::store::msg::Msg;

/// The message `key` asks for in a Raft mode (the shell has handled the playback keys).
pub fn shortcut(key: &str, m: &Model) -> Option<Msg> {
    let target = m.target();
    let sim = m.raft.sim();
    Some(match key {
        "c" => Msg::Act(Action::Crash {
            node: target,
            mode: CrashMode::Clean,
        }),
        "r" => Msg::Act(Action::Restart { node: target }),
        "t" => Msg::Act(Action::Timeout { node: target }),
        "p" => Msg::Act(Action::Request {
            node: target,
            cmd: Command::Put {
                key: "x".into(),
                value: format!("{}", sim.now_us() / 1000),
            },
        }),
        "h" => Msg::Act(Action::Heal),
        "i" => {
            let nodes = crate::ui::modes::raft::view::nodes(sim);
            Msg::Act(Action::Partition {
                groups: preset_groups("isolate-leader", &nodes, sim.leader(), target)?,
            })
        }
        "l" => Msg::Seek(m.raft.history.horizon_us()),
        "f" if !m.embed => Msg::TogglePresent,
        "Escape" if m.present && m.selected.is_none() => Msg::TogglePresent,
        "Escape" => Msg::Select(Some(m.selected?)),
        k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
            let n = u32::from(k.as_bytes()[0] - b'0');
            if !sim.servers_in_use().contains(&NodeId(n)) {
                return None;
            }
            Msg::Select(Some(NodeId(n)))
        }
        _ => return None,
    })
}
