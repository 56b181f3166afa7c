//! A server: the primary, a backup, a cold standby or idle, as the view service's views say.
//! This file holds what every server does (ping, adopt views, answer clients that asked the
//! wrong server); `backup.rs` and `primary.rs` hold each role's steps. Servers keep their
//! state in memory only (6.824's servers do): a restarted server comes back empty, the view
//! service sees its new boot time, and a primary brings it up to date if it joins again.

use super::config::{PbConfig, Replication, VIEW_SERVICE};
use super::message::Message;
use super::note::{Note, Part};
use super::primary_state::PrimaryState;
use super::timer::Timer;
use super::types::{Entry, Out, Seq, View};
use crate::sim::kv::{Command, KvStore};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, ClientId, Micros, NodeId};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    pub id: NodeId,
    pub boot_us: Micros,
    /// The latest view the view service told it of.
    pub view: View,
    /// The view it pings with: the latest it holds (a primary: the latest it is ready in,
    /// which acknowledges it).
    pub ping_view: u64,
    pub store: KvStore,
    /// The last write its store holds.
    pub last_seq: Seq,
    /// As a backup: the view whose primary's state it took (0: none yet), and the writes of
    /// that view that arrived ahead of a missing one.
    pub installed: u64,
    pub(super) ahead: BTreeMap<Seq, Entry>,
    /// As a primary.
    pub primary: Option<PrimaryState>,
    /// It may serve until here (the lease the view service granted).
    pub lease_until_us: Micros,
}

impl Server {
    pub fn boot(id: NodeId, config: &PbConfig, now_us: Micros, out: &mut Out) -> Server {
        out.push(Effect::Note(Note::PbBoot {
            node: id,
            part: Part::Server,
            view: None,
            replication: None,
        }));
        let mut server = Server {
            id,
            boot_us: now_us,
            view: View::default(),
            ping_view: 0,
            store: KvStore::default(),
            last_seq: 0,
            installed: 0,
            ahead: BTreeMap::new(),
            primary: None,
            lease_until_us: 0,
        };
        server.ping(config, now_us, out);
        server
    }

    pub(super) fn ping(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        out.push(Effect::Send {
            to: Addr::Node(VIEW_SERVICE),
            msg: Message::Ping {
                view: self.ping_view,
                boot_us: self.boot_us,
                sent_us: now_us,
            },
        });
        out.push(Effect::SetTimer {
            timer: Timer::Ping,
            after_us: config.ping_interval_us,
        });
    }

    /// The view service's answer to a ping.
    pub(super) fn on_view(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        (view, sent_us, lease): (View, Micros, bool),
        out: &mut Out,
    ) {
        if sent_us < self.boot_us || view.num < self.view.num {
            return; // an answer to an earlier life, or overtaken by a newer one
        }
        if view.num > self.view.num {
            self.adopt(config, now_us, view, out);
        }
        // The lease runs from when the ping left, not from when the service granted it, so
        // it ends no later than the service's own reckoning of it.
        if lease && self.view.primary == Some(self.id) && self.ping_view == self.view.num {
            self.lease_until_us = self.lease_until_us.max(sent_us + config.lease_us);
            self.reply_ready(config, now_us, out);
        }
    }

    /// Takes a newer view: becomes its primary, or one of its backups, or idle.
    fn adopt(&mut self, config: &PbConfig, now_us: Micros, view: View, out: &mut Out) {
        let was_primary_of = self.primary.as_ref().map(|p| p.view);
        self.view = view;
        if self.view.primary == Some(self.id) {
            self.become_primary(config, now_us, was_primary_of, out);
            return;
        }
        // Deposed or never primary: nothing of a primary's survives.
        self.primary = None;
        out.push(Effect::CancelTimer {
            timer: Timer::Resend,
        });
        if !self.view.backups.contains(&self.id) || self.installed == self.view.num {
            self.ping_view = self.view.num;
        }
    }

    /// A client's request: the primary runs it, anyone else points at the primary.
    pub(super) fn on_request(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        client: ClientId,
        (request, cmd): (u64, Command),
        out: &mut Out,
    ) {
        if self.serving(config, now_us) {
            self.run_request(config, now_us, client, request, cmd, out);
            return;
        }
        let primary = self.view.primary.filter(|p| *p != self.id);
        out.push(Effect::Send {
            to: Addr::Client(client),
            msg: Message::Redirect { request, primary },
        });
    }

    /// Whether it may answer clients now: the ready primary of its view, holding a lease.
    pub fn serving(&self, config: &PbConfig, now_us: Micros) -> bool {
        let Some(p) = &self.primary else {
            return false;
        };
        p.ready
            && !p.deposed
            && (config.bugs.no_lease || now_us < self.lease_until_us)
            && self.view.primary == Some(self.id)
    }

    /// What it stands for in the run's mode, for summaries.
    pub fn role(&self, config: &PbConfig) -> &'static str {
        if self.view.primary == Some(self.id) {
            "primary"
        } else if self.view.backups.contains(&self.id) {
            "backup"
        } else if config.replication == Replication::Cold {
            "standby"
        } else {
            "idle"
        }
    }
}
