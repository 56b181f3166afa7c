//! The actions of a Raft run, described once: each variant's name in files (`"action":
//! "crash"`), its number in share links, and its fields in the order both write them.
//! Numbers are never reused: a new action takes the next free one.

use super::settings::{NETWORK, RAFT};
use super::Field;
use crate::sim::disk::CrashMode;
use crate::sim::net::NetConfig;
use crate::sim::raft::action::Action;
use crate::sim::raft::settings::Settings;
use crate::sim::raft::{Command, RaftConfig};
use crate::sim::types::{ClientId, MsgId, NodeId};

/// One way to write an action: its name, its link number and its fields.
pub struct Variant {
    pub name: &'static str,
    pub code: u64,
    pub fields: &'static [ActionField],
    /// The action with every field at its default (the placeholders of required fields are
    /// always overwritten by the readers).
    pub new: fn() -> Action,
}

pub struct ActionField {
    pub name: &'static str,
    /// Files may leave it out (it keeps its default from `new`).
    pub optional: bool,
    pub value: ActionValue,
}

/// What an action's field holds, and how to get it from and set it on the action.
#[derive(Clone, Copy)]
pub enum ActionValue {
    Node(fn(&Action) -> NodeId, fn(&mut Action, NodeId)),
    Client(fn(&Action) -> ClientId, fn(&mut Action, ClientId)),
    CrashMode(fn(&Action) -> CrashMode, fn(&mut Action, CrashMode)),
    /// A direction flag (`both`).
    Bool(fn(&Action) -> bool, fn(&mut Action, bool)),
    MessageId(fn(&Action) -> MsgId, fn(&mut Action, MsgId)),
    Command(fn(&Action) -> &Command, fn(&mut Action, Command)),
    Groups(
        fn(&Action) -> &[Vec<NodeId>],
        fn(&mut Action, Vec<Vec<NodeId>>),
    ),
    /// Settings the action carries, described by `table` (part of the settings table): in
    /// files an object; in links the values of `tags`, in that order, each one written.
    /// `put` copies the action's settings into a `Settings`, `take` back.
    Settings {
        table: &'static [Field<Settings>],
        tags: &'static [u64],
        put: fn(&Action, &mut Settings),
        take: fn(&mut Action, &Settings),
    },
}

/// Crash modes by their number in links.
pub const CRASH_MODES: [(&str, CrashMode); 3] = [
    ("clean", CrashMode::Clean),
    ("lose_unsynced", CrashMode::LoseUnsynced),
    ("tear_last", CrashMode::TearLast),
];

/// Every way to write an action, by link number. `set_raft` has three: number 13 carries the
/// settings links had before the election timeout granularity, number 15 those and the
/// granularity, number 18 those and `voters_initial`, number 19 those and `joint_consensus`; a writer takes the first that carries everything the action holds, so runs
/// without a granularity give the links they always gave.
pub static ACTIONS: &[Variant] = &[
    variant("crash", 1, &[NODE, MODE], || Action::Crash {
        node: NodeId(0),
        mode: CrashMode::Clean,
    }),
    variant("restart", 2, &[NODE], || Action::Restart {
        node: NodeId(0),
    }),
    variant("timeout", 3, &[NODE], || Action::Timeout {
        node: NodeId(0),
    }),
    variant("request", 4, &[NODE, CMD], || Action::Request {
        node: NodeId(0),
        cmd: Command::Noop,
    }),
    variant("request_from", 5, &[CLIENT, NODE, CMD], || {
        Action::RequestFrom {
            client: ClientId(0),
            node: NodeId(0),
            cmd: Command::Noop,
        }
    }),
    variant("transfer", 6, &[TO], || Action::Transfer { to: NodeId(0) }),
    variant("snapshot", 7, &[NODE], || Action::Snapshot {
        node: NodeId(0),
    }),
    variant("partition", 8, &[GROUPS], || Action::Partition {
        groups: Vec::new(),
    }),
    variant("heal", 9, &[], || Action::Heal),
    variant("cut", 10, &[FROM, TO, BOTH], || Action::Cut {
        from: NodeId(0),
        to: NodeId(0),
        both: false,
    }),
    variant("repair", 11, &[FROM, TO, BOTH], || Action::Repair {
        from: NodeId(0),
        to: NodeId(0),
        both: false,
    }),
    variant("set_network", 12, &[NETWORK_FIELD], || Action::SetNetwork {
        network: NetConfig::default(),
    }),
    variant(
        "set_raft",
        13,
        &[raft(&[3, 4, 5, 6, 7, 8, 9, 10])],
        new_set_raft,
    ),
    variant("drop_message", 14, &[ID], || Action::DropMessage {
        id: MsgId(0),
    }),
    variant(
        "set_raft",
        15,
        &[raft(&[3, 4, 5, 6, 7, 8, 9, 10, 29])],
        new_set_raft,
    ),
    variant("add_server", 16, &[NODE], || Action::AddServer {
        node: NodeId(0),
    }),
    variant("remove_server", 17, &[NODE], || Action::RemoveServer {
        node: NodeId(0),
    }),
    // `voters_initial` (tag 30) is fixed for a run, but the table is shared with the
    // settings, so a `set_raft` that holds it needs a code that carries it.
    variant(
        "set_raft",
        18,
        &[raft(&[3, 4, 5, 6, 7, 8, 9, 10, 29, 30])],
        new_set_raft,
    ),
    // And `joint_consensus` (tag 31, paper section 6), which the page switches during a run.
    variant(
        "set_raft",
        19,
        &[raft(&[3, 4, 5, 6, 7, 8, 9, 10, 29, 30, 31])],
        new_set_raft,
    ),
];

const fn variant(
    name: &'static str,
    code: u64,
    fields: &'static [ActionField],
    new: fn() -> Action,
) -> Variant {
    Variant {
        name,
        code,
        fields,
        new,
    }
}

const fn field(name: &'static str, value: ActionValue) -> ActionField {
    ActionField {
        name,
        optional: false,
        value,
    }
}

fn new_set_raft() -> Action {
    Action::SetRaft {
        raft: RaftConfig::default(),
    }
}

const NODE: ActionField = field(
    "node",
    ActionValue::Node(
        |a| match a {
            Action::Crash { node, .. }
            | Action::Restart { node }
            | Action::Timeout { node }
            | Action::Request { node, .. }
            | Action::RequestFrom { node, .. }
            | Action::Snapshot { node }
            | Action::AddServer { node }
            | Action::RemoveServer { node } => *node,
            _ => NodeId(0),
        },
        |a, n| match a {
            Action::Crash { node, .. }
            | Action::Restart { node }
            | Action::Timeout { node }
            | Action::Request { node, .. }
            | Action::RequestFrom { node, .. }
            | Action::Snapshot { node }
            | Action::AddServer { node }
            | Action::RemoveServer { node } => *node = n,
            _ => {}
        },
    ),
);

const TO: ActionField = field(
    "to",
    ActionValue::Node(
        |a| match a {
            Action::Transfer { to } | Action::Cut { to, .. } | Action::Repair { to, .. } => *to,
            _ => NodeId(0),
        },
        |a, n| match a {
            Action::Transfer { to } | Action::Cut { to, .. } | Action::Repair { to, .. } => *to = n,
            _ => {}
        },
    ),
);

const FROM: ActionField = field(
    "from",
    ActionValue::Node(
        |a| match a {
            Action::Cut { from, .. } | Action::Repair { from, .. } => *from,
            _ => NodeId(0),
        },
        |a, n| {
            if let Action::Cut { from, .. } | Action::Repair { from, .. } = a {
                *from = n
            }
        },
    ),
);

const BOTH: ActionField = ActionField {
    optional: true,
    ..field(
        "both",
        ActionValue::Bool(
            |a| match a {
                Action::Cut { both, .. } | Action::Repair { both, .. } => *both,
                _ => false,
            },
            |a, b| {
                if let Action::Cut { both, .. } | Action::Repair { both, .. } = a {
                    *both = b
                }
            },
        ),
    )
};

const MODE: ActionField = ActionField {
    optional: true,
    ..field(
        "mode",
        ActionValue::CrashMode(
            |a| match a {
                Action::Crash { mode, .. } => *mode,
                _ => CrashMode::Clean,
            },
            |a, m| {
                if let Action::Crash { mode, .. } = a {
                    *mode = m
                }
            },
        ),
    )
};

/// What a field getter returns for an action without the field (never asked).
static NO_COMMAND: Command = Command::Noop;

const CMD: ActionField = field(
    "cmd",
    ActionValue::Command(
        |a| match a {
            Action::Request { cmd, .. } | Action::RequestFrom { cmd, .. } => cmd,
            _ => &NO_COMMAND,
        },
        |a, c| {
            if let Action::Request { cmd, .. } | Action::RequestFrom { cmd, .. } = a {
                *cmd = c
            }
        },
    ),
);

const CLIENT: ActionField = field(
    "client",
    ActionValue::Client(
        |a| match a {
            Action::RequestFrom { client, .. } => *client,
            _ => ClientId(0),
        },
        |a, c| {
            if let Action::RequestFrom { client, .. } = a {
                *client = c
            }
        },
    ),
);

const GROUPS: ActionField = field(
    "groups",
    ActionValue::Groups(
        |a| match a {
            Action::Partition { groups } => groups,
            _ => &[],
        },
        |a, g| {
            if let Action::Partition { groups } = a {
                *groups = g
            }
        },
    ),
);

const ID: ActionField = field(
    "id",
    ActionValue::MessageId(
        |a| match a {
            Action::DropMessage { id } => *id,
            _ => MsgId(0),
        },
        |a, i| {
            if let Action::DropMessage { id } = a {
                *id = i
            }
        },
    ),
);

const NETWORK_FIELD: ActionField = field(
    "network",
    ActionValue::Settings {
        table: NETWORK,
        tags: &[11, 12, 13, 14, 15],
        put: |a, s| {
            if let Action::SetNetwork { network } = a {
                s.network = network.clone()
            }
        },
        take: |a, s| {
            if let Action::SetNetwork { network } = a {
                *network = s.network.clone()
            }
        },
    },
);

const fn raft(tags: &'static [u64]) -> ActionField {
    field(
        "raft",
        ActionValue::Settings {
            table: RAFT,
            tags,
            put: |a, s| {
                if let Action::SetRaft { raft } = a {
                    s.raft = raft.clone()
                }
            },
            take: |a, s| {
                if let Action::SetRaft { raft } = a {
                    *raft = s.raft.clone()
                }
            },
        },
    )
}

/// The first variant (in link-number order) of the action's kind, by file name.
pub fn by_name(name: &str) -> Option<&'static Variant> {
    ACTIONS.iter().find(|v| v.name == name)
}

/// The variant a link writes `a` with: the first of its kind whose settings fields carry
/// every setting the action holds (settings a variant does not carry are at their default).
pub fn for_link(a: &Action) -> &'static Variant {
    let defaults = Settings::default();
    let carries = |v: &Variant| {
        v.fields.iter().all(|f| match f.value {
            ActionValue::Settings {
                table, tags, put, ..
            } => {
                let mut s = Settings::default();
                put(a, &mut s);
                let mut all = true;
                super::each_leaf(table, &mut |leaf| {
                    let carried = leaf.link.tag().is_some_and(|t| tags.contains(&t));
                    all &= carried || leaf.link_value(&s) == leaf.link_value(&defaults);
                });
                all
            }
            _ => true,
        })
    };
    of_kind(a)
        .find(|v| carries(v))
        .unwrap_or_else(|| for_file(a))
}

/// The variant of `a`'s kind (the first by link number), for files.
pub fn for_file(a: &Action) -> &'static Variant {
    of_kind(a).next().unwrap_or(&ACTIONS[0])
}

/// The variants of `a`'s kind, by link number.
fn of_kind(a: &Action) -> impl Iterator<Item = &'static Variant> {
    let kind = std::mem::discriminant(a);
    ACTIONS
        .iter()
        .filter(move |v| std::mem::discriminant(&(v.new)()) == kind)
}
