//! A node of a primary-backup run, routed by id: node 1 is the view service, then the
//! servers, then (cold mode) the shared storage. This file hands each input to its part.

use super::config::{PbConfig, VIEW_SERVICE};
use super::message::Message;
use super::record::Record;
use super::server::Server;
use super::storage::Storage;
use super::timer::Timer;
use super::types::{Out, PbCommand, PrimaryBackup};
use super::view_service::ViewService;
use crate::sim::protocol::{Context, Input};
use crate::sim::types::{Addr, Micros, NodeId};

#[derive(Clone, Debug, PartialEq)]
pub enum PbNode {
    ViewService(ViewService),
    Server(Box<Server>),
    Storage(Storage),
}

impl PbNode {
    pub fn boot(
        id: NodeId,
        config: &PbConfig,
        now_us: Micros,
        recovered: &[Record],
        out: &mut Out,
    ) -> PbNode {
        if id == VIEW_SERVICE {
            PbNode::ViewService(ViewService::boot(id, config, now_us, recovered, out))
        } else if config.storage() == Some(id) {
            PbNode::Storage(Storage::boot(id, recovered, out))
        } else {
            PbNode::Server(Box::new(Server::boot(id, config, now_us, out)))
        }
    }

    pub fn handle(
        &mut self,
        ctx: &mut Context<'_, PrimaryBackup>,
        input: Input<PrimaryBackup>,
        out: &mut Out,
    ) {
        let (config, now_us) = (ctx.config, ctx.now_us);
        match self {
            PbNode::ViewService(vs) => match input {
                Input::Receive {
                    from: Addr::Node(from),
                    msg:
                        Message::Ping {
                            view,
                            boot_us,
                            sent_us,
                        },
                } => vs.on_ping(config, now_us, from, (view, boot_us, sent_us), out),
                Input::Timer(Timer::Tick) => vs.on_tick(config, now_us, out),
                _ => {}
            },
            PbNode::Storage(storage) => {
                if let Input::Receive {
                    from: Addr::Node(from),
                    msg,
                } = input
                {
                    storage.on_message(config, from, msg, out);
                }
            }
            PbNode::Server(server) => server.handle(config, now_us, input, out),
        }
    }

    /// The server, if this node is one.
    pub fn server(&self) -> Option<&Server> {
        match self {
            PbNode::Server(s) => Some(s),
            _ => None,
        }
    }

    pub fn view_service(&self) -> Option<&ViewService> {
        match self {
            PbNode::ViewService(vs) => Some(vs),
            _ => None,
        }
    }

    pub fn storage(&self) -> Option<&Storage> {
        match self {
            PbNode::Storage(s) => Some(s),
            _ => None,
        }
    }
}

impl Server {
    fn handle(
        &mut self,
        config: &PbConfig,
        now_us: Micros,
        input: Input<PrimaryBackup>,
        out: &mut Out,
    ) {
        let (from, msg) = match input {
            Input::Timer(Timer::Ping) => return self.ping(config, now_us, out),
            Input::Timer(Timer::Resend) => return self.on_resend(config, out),
            Input::Timer(Timer::Replay) => return self.on_replayed(config, now_us, out),
            Input::Timer(Timer::Ship) => return self.on_ship(out),
            Input::Timer(Timer::Tick) => return,
            Input::Command(PbCommand::Checkpoint) => return self.checkpoint(config, out),
            Input::Receive { from, msg } => (from, msg),
        };
        let from = match from {
            Addr::Client(client) => {
                if let Message::Request { request, cmd } = msg {
                    self.on_request(config, now_us, client, (request, cmd), out);
                }
                return;
            }
            Addr::Node(n) => n,
        };
        match msg {
            Message::ViewReply {
                view,
                sent_us,
                lease,
            } if from == VIEW_SERVICE => self.on_view(config, now_us, (view, sent_us, lease), out),
            Message::Install { view, seq, store } => {
                self.on_install(config, from, (view, seq, store), out)
            }
            Message::Forward { view, entry } => self.on_forward(config, from, (view, entry), out),
            Message::ForwardAck { view, through } => {
                self.on_forward_ack(config, now_us, from, (view, through), out)
            }
            Message::InstallAck { view, seq } => {
                self.on_install_ack(config, now_us, from, (view, seq), out)
            }
            Message::Fenced { view } => self.on_fenced(view),
            Message::Loaded {
                view,
                checkpoint_seq,
                store,
                entries,
            } => self.on_loaded(config, (view, checkpoint_seq, store, entries), out),
            _ => {}
        }
    }
}
