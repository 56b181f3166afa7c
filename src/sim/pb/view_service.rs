//! The view service (MIT 6.824 Lab 2, "Primary/Backup Key/Value Service", Part A; the same
//! role as VMware FT's test-and-set on shared storage, Scales et al. 2010, section 2.3: one
//! arbiter decides who is primary, so two servers that cannot see each other never both go
//! live). Servers ping it; it declares a server dead after `dead_timeout_us` of silence or
//! when it pings with a new boot time, and moves to a new view.
//!
//! Its rules, from the lab: the primary of a new view must have been a backup in the previous
//! view (cold mode excepted: there the state comes from shared storage, not from the standby),
//! and the service "must not change views (i.e., return a different view to callers) until
//! the primary from the current view acknowledges that it is operating in the current view",
//! by pinging with its number. Here a primary acknowledges only once every backup has taken
//! its state, so a promoted backup always holds the acknowledged history. Two more rules make
//! the lease sound: it grants leases only to the acknowledged primary, and it promotes no one
//! else until the last lease it granted has run out (a restarted service waits a whole lease,
//! not knowing what it granted before).

use super::config::{PbConfig, Replication};
use super::message::Message;
use super::note::{DeadReason, Note, Part};
use super::record::Record;
use super::timer::Timer;
use super::types::{Out, View};
use crate::sim::protocol::Effect;
use crate::sim::types::{Addr, Micros, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// What the service last heard from a server.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Heard {
    pub at_us: Micros,
    pub boot_us: Micros,
    /// When the ping heard left the server.
    pub sent_us: Micros,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ViewService {
    id: NodeId,
    pub view: View,
    /// The view's primary pinged with its number.
    pub acked: bool,
    pub heard: BTreeMap<NodeId, Heard>,
    /// The boot time each member of the view had when it joined (a new one means it
    /// restarted and lost its state).
    joined_boot: BTreeMap<NodeId, Micros>,
    /// No other primary before this: the end of the last lease granted.
    pub lease_until_us: Micros,
    /// Servers suspected and not heard from since (each suspicion is traced once).
    suspected: BTreeSet<NodeId>,
    /// Members of the view known to have restarted (until the next view).
    restarted_members: BTreeSet<NodeId>,
}

impl ViewService {
    /// A view service booting, with the view its log holds (view 0 on an empty log).
    pub fn boot(
        id: NodeId,
        config: &PbConfig,
        now_us: Micros,
        recovered: &[Record],
        out: &mut Out,
    ) -> ViewService {
        let (view, boots) = recovered
            .iter()
            .rev()
            .find_map(|r| match r {
                Record::View { view, boots } => Some((view.clone(), boots.clone())),
                _ => None,
            })
            .unwrap_or_default();
        let acked = recovered
            .iter()
            .any(|r| matches!(r, Record::Acked { view: v } if *v == view.num));
        out.push(Effect::Note(Note::PbBoot {
            node: id,
            part: Part::ViewService,
            view: Some(view.clone()),
            replication: Some(config.replication),
        }));
        out.push(Effect::SetTimer {
            timer: Timer::Tick,
            after_us: config.ping_interval_us,
        });
        let restarted = !recovered.is_empty();
        ViewService {
            id,
            view,
            acked,
            heard: BTreeMap::new(),
            joined_boot: boots.into_iter().collect(),
            // It cannot know what leases it granted before the crash: it waits a whole one.
            lease_until_us: if restarted {
                now_us + config.lease_us
            } else {
                0
            },
            suspected: BTreeSet::new(),
            restarted_members: BTreeSet::new(),
        }
    }

    pub fn on_ping(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        from: NodeId,
        (view, boot_us, sent_us): (u64, Micros, Micros),
        out: &mut Out,
    ) {
        if !config.is_server(from) {
            return;
        }
        self.heard.insert(
            from,
            Heard {
                at_us: now_us,
                boot_us,
                sent_us,
            },
        );
        let restarted = self.restarted(from);
        if !restarted {
            self.suspected.remove(&from);
        }
        if self.view.primary == Some(from) && view == self.view.num && !restarted && !self.acked {
            self.acked = true;
            out.push(Effect::Persist(Record::Acked { view }));
            out.push(Effect::Note(Note::PbAck {
                node: self.id,
                view,
            }));
        }
        self.advance(config, now_us, out);
        let lease =
            self.acked && self.view.primary == Some(from) && view == self.view.num && !restarted;
        if lease {
            self.lease_until_us = self.lease_until_us.max(now_us + config.lease_us);
        }
        out.push(Effect::Send {
            to: Addr::Node(from),
            msg: Message::ViewReply {
                view: self.view.clone(),
                sent_us,
                lease,
            },
        });
    }

    pub fn on_tick(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        out.push(Effect::SetTimer {
            timer: Timer::Tick,
            after_us: config.ping_interval_us,
        });
        self.advance(config, now_us, out);
    }

    /// Heard from within the timeout.
    fn live(&self, config: &PbConfig, now_us: Micros, server: NodeId) -> bool {
        self.heard
            .get(&server)
            .is_some_and(|h| now_us < h.at_us + config.dead_timeout_us)
    }

    /// Pinged with a boot time other than the one it joined the view with.
    pub fn restarted(&self, server: NodeId) -> bool {
        if self.restarted_members.contains(&server) {
            return true;
        }
        match (self.joined_boot.get(&server), self.heard.get(&server)) {
            (Some(joined), Some(heard)) => heard.boot_us != *joined,
            _ => false,
        }
    }

    /// A member of the view that is gone: traced once per suspicion.
    fn gone(&mut self, config: &PbConfig, now_us: Micros, server: NodeId, out: &mut Out) -> bool {
        let reason = if self.restarted(server) {
            DeadReason::Restarted
        } else if !self.live(config, now_us, server) {
            DeadReason::Timeout
        } else {
            return false;
        };
        if reason == DeadReason::Restarted {
            self.restarted_members.insert(server);
        }
        if self.suspected.insert(server) {
            out.push(Effect::Note(Note::PbDead {
                node: self.id,
                suspect: server,
                reason,
                last_heard_us: self.heard.get(&server).map_or(0, |h| h.at_us),
                last_sent_us: self.heard.get(&server).map_or(0, |h| h.sent_us),
            }));
        }
        true
    }

    /// Moves to the next view if the current one is acknowledged and something changed.
    fn advance(&mut self, config: &PbConfig, now_us: Micros, out: &mut Out) {
        let mut gone = BTreeSet::new();
        let members: Vec<NodeId> = self
            .view
            .primary
            .iter()
            .chain(&self.view.backups)
            .copied()
            .collect();
        for member in members {
            if self.gone(config, now_us, member, out) || self.suspected.contains(&member) {
                gone.insert(member);
            }
        }
        if self.view.num > 0 && !self.acked {
            return; // 6.824: never move on from a view its primary has not acknowledged
        }
        let idle: Vec<NodeId> = config
            .server_ids()
            .filter(|s| !self.view.has(*s) && self.live(config, now_us, *s))
            .filter(|s| !self.suspected.contains(s))
            .collect();
        let mut next = self.view.clone();
        match self.view.primary {
            None => {
                // The first server heard from becomes the first primary.
                let Some(first) = idle.first() else { return };
                next.primary = Some(*first);
            }
            Some(primary) if gone.contains(&primary) => {
                if now_us < self.lease_until_us {
                    return; // the old primary may still serve until its lease ends
                }
                let promoted = match config.replication {
                    Replication::Hot | Replication::Warm => self
                        .view
                        .backups
                        .iter()
                        .find(|b| !gone.contains(b))
                        .copied(),
                    // A cold standby takes its state from shared storage.
                    Replication::Cold => idle.first().copied(),
                };
                let Some(promoted) = promoted else { return };
                next.primary = Some(promoted);
                next.backups.retain(|b| *b != promoted);
            }
            Some(_) => {}
        }
        next.backups.retain(|b| !gone.contains(b));
        if config.replication != Replication::Cold {
            for s in idle {
                if next.backups.len() as u32 >= config.backups {
                    break;
                }
                if Some(s) != next.primary && !next.backups.contains(&s) {
                    next.backups.push(s);
                }
            }
        }
        if next == self.view {
            return;
        }
        next.num = self.view.num + 1;
        self.view = next;
        self.acked = false;
        self.joined_boot = self
            .view
            .primary
            .iter()
            .chain(&self.view.backups)
            .filter_map(|m| self.heard.get(m).map(|h| (*m, h.boot_us)))
            .collect();
        for member in self.view.primary.iter().chain(&self.view.backups) {
            self.suspected.remove(member);
        }
        self.restarted_members.clear();
        out.push(Effect::Persist(Record::View {
            view: self.view.clone(),
            boots: self.joined_boot.iter().map(|(n, b)| (*n, *b)).collect(),
        }));
        out.push(Effect::Note(Note::PbView {
            node: self.id,
            view: self.view.clone(),
        }));
    }
}
