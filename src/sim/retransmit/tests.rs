//! The textbook's and the RFCs' rules, pinned down by driving senders and receivers directly
//! through `Protocol::start`, `handle` and `recover`.
//!
//! `World` below is test code only: a list of messages in flight that each test delivers,
//! drops, duplicates or reorders by hand, the armed timers, one disk per node (every write
//! durable at once) and the trace lines fed to the checks. The engine is what runs the
//! protocol for real.

use super::types::Out;
use super::*;
use crate::sim::protocol::{
    Checks, Context, Effect, Event, Input, Line, Protocol, TimerKind, FRAMING_KINDS,
};
use crate::sim::rng::{SimRng, Stream};
use crate::sim::types::{Addr, Micros, MsgId, NodeId, MICROS_PER_MS};
use std::collections::BTreeMap;

const MS: Micros = MICROS_PER_MS;
/// One-way latency of every message in the test world.
const LATENCY_US: Micros = 10 * MS;
const S1: NodeId = NodeId(1);
const S2: NodeId = NodeId(2);

#[derive(Clone, Debug)]
struct Flight {
    from: NodeId,
    to: NodeId,
    msg: Message,
    arrive_us: Micros,
}

struct World {
    config: RetransmitConfig,
    now_us: Micros,
    /// Live nodes; a crashed node is absent until it restarts.
    nodes: BTreeMap<NodeId, RetransmitNode>,
    disks: BTreeMap<NodeId, Vec<Record>>,
    rngs: BTreeMap<NodeId, SimRng>,
    /// Armed timers by (node, slot): deadline and kind.
    timers: BTreeMap<(NodeId, usize), (Micros, Timer)>,
    wire: Vec<Flight>,
    lines: Vec<Line<Retransmit>>,
    checks: RetransmitChecks,
    violations: Vec<Violation>,
    next_msg_id: u64,
}

impl World {
    fn new(config: RetransmitConfig) -> World {
        assert_eq!(config.validate(), Ok(()));
        let mut w = World {
            config,
            now_us: 0,
            nodes: BTreeMap::new(),
            disks: BTreeMap::new(),
            rngs: BTreeMap::new(),
            timers: BTreeMap::new(),
            wire: Vec::new(),
            lines: Vec::new(),
            checks: RetransmitChecks::default(),
            violations: Vec::new(),
            next_msg_id: 1,
        };
        for id in 1..=w.config.nodes() {
            let id = NodeId(id);
            let node = w.step(id, Retransmit::start);
            w.nodes.insert(id, node);
        }
        w
    }

    /// Runs `f` with node `id`'s context and carries out the effects it produced.
    fn step<R>(
        &mut self,
        id: NodeId,
        f: impl FnOnce(&mut Context<'_, Retransmit>, &mut Out) -> R,
    ) -> R {
        let config = self.config.clone();
        let rng = self
            .rngs
            .entry(id)
            .or_insert_with(|| SimRng::stream(7, Stream::Node(id.0)));
        let mut ctx = Context {
            id,
            nodes: config.nodes(),
            config: &config,
            now_us: self.now_us,
            observing: true,
            rng,
        };
        let mut out = Vec::new();
        let result = f(&mut ctx, &mut out);
        self.apply(id, out);
        result
    }

    fn apply(&mut self, id: NodeId, out: Out) {
        for effect in out {
            match effect {
                Effect::Send { to, msg } => {
                    let Addr::Node(to) = to else {
                        panic!("retransmit sends only to nodes")
                    };
                    let arrive_us = self.now_us + LATENCY_US;
                    self.line(Event::Send {
                        id: MsgId(self.next_msg_id),
                        from: Addr::Node(id),
                        to: Addr::Node(to),
                        deliver_t: vec![arrive_us],
                        msg: msg.clone(),
                    });
                    self.next_msg_id += 1;
                    self.wire.push(Flight {
                        from: id,
                        to,
                        msg,
                        arrive_us,
                    });
                }
                Effect::SetTimer { timer, after_us } => {
                    let deadline = self.now_us + after_us;
                    self.timers.insert((id, timer.slot()), (deadline, timer));
                }
                Effect::CancelTimer { timer } => {
                    self.timers.remove(&(id, timer.slot()));
                }
                Effect::Persist(record) => self.disks.entry(id).or_default().push(record),
                Effect::Note(note) => {
                    assert_eq!(note.node(), id, "a note names the node that wrote it");
                    self.line(Event::Protocol(note));
                }
            }
        }
    }

    fn line(&mut self, event: Event<Retransmit>) {
        let line = Line {
            t: self.now_us,
            event,
        };
        let position = self.lines.len() as u64;
        if let Some(v) = self.checks.observe(&line, position) {
            self.violations.push(v);
        }
        self.lines.push(line);
    }

    fn input(&mut self, id: NodeId, input: Input<Retransmit>) {
        let Some(mut node) = self.nodes.remove(&id) else {
            return;
        };
        self.step(id, |ctx, out| {
            Retransmit::handle(&mut node, ctx, input, out)
        });
        self.nodes.insert(id, node);
    }

    /// Takes flight `i` off the wire and hands it to its receiver (lost if it is down).
    fn deliver(&mut self, i: usize) {
        let f = self.wire.remove(i);
        self.arrive(f);
    }

    /// Hands flight `i` to its receiver and leaves a copy on the wire: a duplicate.
    fn duplicate(&mut self, i: usize) {
        let f = self.wire[i].clone();
        self.arrive(f);
    }

    fn arrive(&mut self, f: Flight) {
        self.now_us = self.now_us.max(f.arrive_us);
        let input = Input::Receive {
            from: Addr::Node(f.from),
            msg: f.msg,
        };
        self.input(f.to, input);
    }

    fn drop_where(&mut self, lost: impl Fn(&Flight) -> bool) {
        self.wire.retain(|f| !lost(f));
    }

    /// Delivers everything in flight, oldest first, including what the deliveries send.
    fn deliver_all(&mut self) {
        while !self.wire.is_empty() {
            self.deliver(0);
        }
    }

    /// Fires the earliest armed timer, advancing the clock to it; false if none is armed.
    fn fire_next_timer(&mut self) -> bool {
        let Some((&key, &(deadline, timer))) =
            self.timers.iter().min_by_key(|(k, (d, _))| (*d, **k))
        else {
            return false;
        };
        self.timers.remove(&key);
        self.now_us = self.now_us.max(deadline);
        self.input(key.0, Input::Timer(timer));
        true
    }

    /// Runs without faults until nothing is in flight and no timer is armed: messages arrive
    /// at their time, timers fire at theirs, whichever comes first.
    fn run_quiet(&mut self) {
        assert!(self.run_at_most(100_000), "the run never went quiet");
    }

    /// As `run_quiet`, for at most `steps` deliveries and timeouts; true if it went quiet.
    /// A sender with the forget-unacked bug may retransmit forever into a receiver that
    /// ignores it.
    fn run_at_most(&mut self, steps: u32) -> bool {
        for _ in 0..steps {
            let next_flight = self
                .wire
                .iter()
                .enumerate()
                .min_by_key(|(i, f)| (f.arrive_us, *i))
                .map(|(i, f)| (i, f.arrive_us));
            let next_timer = self.timers.values().map(|(d, _)| *d).min();
            match (next_flight, next_timer) {
                (Some((i, arrive)), Some(deadline)) if arrive <= deadline => self.deliver(i),
                (Some((i, _)), None) => self.deliver(i),
                (_, Some(_)) => {
                    self.fire_next_timer();
                }
                (None, None) => return true,
            }
        }
        false
    }

    fn crash(&mut self, id: NodeId) {
        self.nodes.remove(&id);
        self.timers.retain(|(node, _), _| *node != id);
        self.line(Event::Crash { node: id });
    }

    fn restart(&mut self, id: NodeId) {
        self.line(Event::Restart { node: id });
        let disk = self.disks.get(&id).cloned().unwrap_or_default();
        let node = self.step(id, |ctx, out| Retransmit::recover(ctx, disk.clone(), out));
        self.nodes.insert(id, node);
    }

    fn finish(&mut self) -> Option<Violation> {
        self.checks.finish(self.now_us)
    }

    fn notes(&self) -> impl Iterator<Item = &Note> + '_ {
        self.lines.iter().filter_map(|l| match &l.event {
            Event::Protocol(n) => Some(n),
            _ => None,
        })
    }

    /// The messages delivered to the application of `receiver`, in order.
    fn delivered(&self, receiver: NodeId) -> Vec<Seq> {
        self.notes()
            .filter_map(|n| match *n {
                Note::AppDeliver { node, seq, .. } if node == receiver => Some(seq),
                _ => None,
            })
            .collect()
    }

    /// Sequence number and attempt of each data message now in flight.
    fn data_in_flight(&self) -> Vec<(Seq, u32)> {
        self.wire
            .iter()
            .filter_map(|f| match f.msg {
                Message::Data { seq, attempt, .. } => Some((seq, attempt)),
                Message::Ack { .. } => None,
            })
            .collect()
    }

    fn acks_in_flight(&self) -> Vec<(Seq, Vec<SackBlock>)> {
        self.wire
            .iter()
            .filter_map(|f| match &f.msg {
                Message::Ack {
                    cumulative, sack, ..
                } => Some((*cumulative, sack.clone())),
                Message::Data { .. } => None,
            })
            .collect()
    }

    fn index_of_data(&self, wanted: Seq) -> usize {
        self.wire
            .iter()
            .position(|f| matches!(f.msg, Message::Data { seq, .. } if seq == wanted))
            .unwrap_or_else(|| panic!("data {wanted} is not in flight"))
    }

    fn count(&self, kind: impl Fn(&Note) -> bool) -> usize {
        self.notes().filter(|n| kind(n)).count()
    }
}

fn config(scheme: Scheme, window: u32, ack: AckMode, messages: u64) -> RetransmitConfig {
    RetransmitConfig {
        scheme,
        window,
        ack,
        messages,
        rto: RtoPolicy::Fixed { rto_us: 100 * MS },
        ..RetransmitConfig::default()
    }
}

fn is_data(f: &Flight, wanted: Seq) -> bool {
    matches!(f.msg, Message::Data { seq, .. } if seq == wanted)
}

fn in_order(n: Seq) -> Vec<Seq> {
    (1..=n).collect()
}

// ----- the schemes (Kurose & Ross, section 3.4) -----

/// Kurose & Ross 3.4.1 (rdt3.0): the sender waits for the acknowledgement of each message
/// before it sends the next, whatever the configured window.
#[test]
fn stop_and_wait_sends_one_message_at_a_time() {
    let mut w = World::new(config(Scheme::StopAndWait, 8, AckMode::Cumulative, 5));
    assert_eq!(w.data_in_flight(), [(1, 1)]);
    while !w.wire.is_empty() {
        assert!(w.data_in_flight().len() <= 1, "{:?}", w.data_in_flight());
        w.deliver(0);
    }
    assert_eq!(w.delivered(S2), in_order(5));
    assert!(w.timers.is_empty(), "nothing in flight, no timer");
    assert_eq!(w.finish(), None);
}

/// Kurose & Ross 3.4.3: the go-back-N receiver throws away what arrives after a lost message
/// and acknowledges the last in-order one again; when the one timer fires, the sender resends
/// every message in flight.
#[test]
fn go_back_n_resends_the_whole_window_after_a_timeout() {
    let mut w = World::new(config(Scheme::GoBackN, 4, AckMode::Cumulative, 4));
    assert_eq!(w.data_in_flight(), [(1, 1), (2, 1), (3, 1), (4, 1)]);
    assert_eq!(w.timers.len(), 1, "one timer for the oldest message");
    w.drop_where(|f| is_data(f, 1));
    for _ in 0..3 {
        w.deliver(0);
    }
    let discarded = |n: &Note| {
        matches!(
            n,
            Note::Discard {
                reason: DiscardReason::OutOfOrder,
                ..
            }
        )
    };
    assert_eq!(w.count(discarded), 3);
    assert_eq!(w.acks_in_flight(), vec![(0, vec![]); 3]);
    w.deliver_all();
    assert!(w.delivered(S2).is_empty());
    assert!(w.fire_next_timer());
    assert_eq!(w.data_in_flight(), [(1, 2), (2, 2), (3, 2), (4, 2)]);
    let retransmits = |n: &Note| {
        matches!(
            n,
            Note::Retransmit {
                reason: RetransmitReason::Timeout,
                ..
            }
        )
    };
    assert_eq!(w.count(retransmits), 4);
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(4));
    assert_eq!(w.violations, []);
    assert_eq!(w.finish(), None);
}

/// Kurose & Ross 3.4.4 with RFC 2018 blocks: the receiver keeps what arrives after a gap and
/// reports it; only the lost message's own timer fires and only it goes again. Without the
/// blocks the sender cannot know the others arrived, and their timers resend them too.
#[test]
fn selective_repeat_resends_only_the_lost_message() {
    let mut w = World::new(config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 4));
    assert_eq!(w.timers.len(), 4, "one timer per message in flight");
    w.drop_where(|f| is_data(f, 2));
    for _ in 0..3 {
        w.deliver(0);
    }
    assert_eq!(w.delivered(S2), [1]);
    assert_eq!(w.count(|n| matches!(n, Note::Buffer { .. })), 2);
    let blocks = w.acks_in_flight();
    assert_eq!(blocks[2], (1, vec![SackBlock { first: 3, last: 4 }]));
    w.deliver_all();
    assert_eq!(w.timers.len(), 1, "only message 2 is still timed");
    assert!(w.fire_next_timer());
    assert_eq!(w.data_in_flight(), [(2, 2)]);
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(4));
    assert_eq!(w.count(|n| matches!(n, Note::Retransmit { .. })), 1);
    assert_eq!(w.finish(), None);

    let mut w = World::new(config(Scheme::SelectiveRepeat, 4, AckMode::Cumulative, 4));
    w.drop_where(|f| is_data(f, 2));
    w.deliver_all();
    assert_eq!(w.delivered(S2), [1]);
    assert_eq!(w.timers.len(), 3, "messages 2, 3 and 4 still timed");
    for _ in 0..3 {
        assert!(w.fire_next_timer());
    }
    assert_eq!(w.data_in_flight(), [(2, 2), (3, 2), (4, 2)]);
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(4));
    assert_eq!(w.violations, []);
}

/// The receiver drops a copy of a message it already delivered and acknowledges again, since
/// the copy means the sender may not have heard (Kurose & Ross 3.4.4: "an ACK must be
/// generated, even though this is a packet that the receiver has previously acknowledged").
#[test]
fn duplicates_are_dropped_and_acknowledged_again() {
    for scheme in [
        Scheme::StopAndWait,
        Scheme::GoBackN,
        Scheme::SelectiveRepeat,
    ] {
        let mut w = World::new(config(scheme, 2, AckMode::Cumulative, 1));
        w.duplicate(0);
        w.deliver(0);
        assert_eq!(w.delivered(S2), [1], "{scheme:?}");
        assert_eq!(w.count(|n| matches!(n, Note::Duplicate { seq: 1, .. })), 1);
        assert_eq!(w.acks_in_flight(), vec![(1, vec![]); 2]);
        w.run_quiet();
        assert_eq!(w.violations, []);
        assert_eq!(w.finish(), None);
    }
}

/// A selective-repeat receiver also drops a second copy of a message it is keeping.
#[test]
fn selective_repeat_drops_a_second_copy_of_a_kept_message() {
    let mut w = World::new(config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 3));
    w.drop_where(|f| is_data(f, 1));
    let i = w.index_of_data(3);
    w.duplicate(i);
    w.deliver(i);
    assert_eq!(w.count(|n| matches!(n, Note::Buffer { seq: 3, .. })), 1);
    assert_eq!(w.count(|n| matches!(n, Note::Duplicate { seq: 3, .. })), 1);
    let disk = &w.disks[&S2];
    assert_eq!(
        disk.iter()
            .filter(|r| matches!(r, Record::Buffered { seq: 3, .. }))
            .count(),
        1
    );
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(3));
}

/// RFC 2018 section 4: the first block reports the one holding the message that just arrived.
#[test]
fn the_first_sack_block_holds_the_message_that_just_arrived() {
    let mut w = World::new(config(Scheme::SelectiveRepeat, 8, AckMode::Selective, 8));
    w.drop_where(|f| is_data(f, 1) || is_data(f, 3) || is_data(f, 6));
    let i = w.index_of_data(2);
    w.deliver(i);
    let i = w.index_of_data(5);
    w.deliver(i);
    let i = w.index_of_data(4);
    w.deliver(i);
    let acks = w.acks_in_flight();
    let last = &acks.last().unwrap().1;
    assert_eq!(
        last,
        &[
            SackBlock { first: 4, last: 5 },
            SackBlock { first: 2, last: 2 }
        ]
    );
}

/// A message lying beyond a selective-repeat receiver's window is ignored without an
/// acknowledgement (Kurose & Ross 3.4.4, "otherwise: ignore the packet").
#[test]
fn selective_repeat_ignores_messages_beyond_its_window() {
    let cfg = config(Scheme::SelectiveRepeat, 2, AckMode::Selective, 5);
    let mut ctx_rng = SimRng::stream(1, Stream::Node(2));
    let mut ctx = Context {
        id: S2,
        nodes: 2,
        config: &cfg,
        now_us: 0,
        observing: true,
        rng: &mut ctx_rng,
    };
    let mut out = Vec::new();
    let mut node = Retransmit::start(&mut ctx, &mut out);
    let data = Message::Data {
        seq: 3,
        payload: payload_of(0, 3),
        attempt: 1,
    };
    let input = Input::Receive {
        from: Addr::Node(S1),
        msg: data,
    };
    Retransmit::handle(&mut node, &mut ctx, input, &mut out);
    assert_eq!(
        out,
        [Effect::Note(Note::Discard {
            node: S2,
            pair: 0,
            seq: 3,
            reason: DiscardReason::BeyondWindow,
        })]
    );
}

// ----- durability: what is written before what leaves -----

fn position(out: &Out, wanted: impl Fn(&Effect<Retransmit>) -> bool) -> usize {
    out.iter().position(wanted).expect("effect present")
}

/// The sender writes a message to its log before its first transmission, and the receiver
/// writes what an acknowledgement reports before the acknowledgement: under every-write sync
/// the engine holds each send until the writes before it are durable.
#[test]
fn records_come_before_the_messages_that_depend_on_them() {
    let cfg = config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 4);
    let mut rng = SimRng::stream(1, Stream::Node(1));
    let mut ctx = Context {
        id: S1,
        nodes: 2,
        config: &cfg,
        now_us: 0,
        observing: true,
        rng: &mut rng,
    };
    let mut out = Vec::new();
    Retransmit::start(&mut ctx, &mut out);
    for seq in 1..=4 {
        let written = position(
            &out,
            |e| matches!(e, Effect::Persist(Record::Accepted { seq: s, .. }) if *s == seq),
        );
        let sent = position(
            &out,
            |e| matches!(e, Effect::Send { msg: Message::Data { seq: s, .. }, .. } if *s == seq),
        );
        assert!(written < sent, "message {seq}");
    }

    let mut ctx = Context {
        id: S2,
        nodes: 2,
        config: &cfg,
        now_us: 0,
        observing: true,
        rng: &mut rng,
    };
    let mut out = Vec::new();
    let mut receiver = Retransmit::start(&mut ctx, &mut out);
    let data = |seq| Input::Receive {
        from: Addr::Node(S1),
        msg: Message::Data {
            seq,
            payload: payload_of(0, seq),
            attempt: 1,
        },
    };
    Retransmit::handle(&mut receiver, &mut ctx, data(2), &mut out);
    let written = position(&out, |e| {
        matches!(e, Effect::Persist(Record::Buffered { seq: 2, .. }))
    });
    let acked = position(&out, |e| matches!(e, Effect::Send { .. }));
    assert!(written < acked);
    out.clear();
    Retransmit::handle(&mut receiver, &mut ctx, data(1), &mut out);
    assert_eq!(
        out[0],
        Effect::Persist(Record::DeliveredThrough { seq: 2 }),
        "one record covers both deliveries, before them and before the ack"
    );
    assert!(matches!(out.last(), Some(Effect::Send { .. })));
}

/// The sender's acknowledgement record is lazy: it follows the sends of the same step, so under
/// every-write syncing no message waits for it. A new message's own record still precedes it.
#[test]
fn the_acknowledgement_record_holds_back_no_send() {
    let cfg = config(Scheme::GoBackN, 1, AckMode::Cumulative, 2);
    let mut rng = SimRng::stream(1, Stream::Node(1));
    let mut ctx = Context {
        id: S1,
        nodes: 2,
        config: &cfg,
        now_us: 0,
        observing: true,
        rng: &mut rng,
    };
    let mut out = Vec::new();
    let mut sender = Retransmit::start(&mut ctx, &mut out);
    out.clear();
    let ack = Message::Ack {
        cumulative: 1,
        sack: vec![],
        answers_seq: 1,
    };
    let input = Input::Receive {
        from: Addr::Node(S2),
        msg: ack,
    };
    Retransmit::handle(&mut sender, &mut ctx, input, &mut out);
    let accepted = position(&out, |e| {
        matches!(e, Effect::Persist(Record::Accepted { seq: 2, .. }))
    });
    let sent = position(&out, |e| matches!(e, Effect::Send { .. }));
    let acked = position(&out, |e| {
        matches!(e, Effect::Persist(Record::AckedThrough { seq: 1 }))
    });
    assert!(accepted < sent && sent < acked, "{out:?}");
}

// ----- the timeout (RFC 6298) as the sender uses it -----

fn adaptive_config(scheme: Scheme, messages: u64) -> RetransmitConfig {
    RetransmitConfig {
        scheme,
        window: 1,
        messages,
        rto: RtoPolicy::Adaptive {
            initial_us: 1_000 * MS,
            min_us: MS,
            max_us: 10_000 * MS,
        },
        ..RetransmitConfig::default()
    }
}

/// RFC 6298 section 2.2 on a measured round trip of twice the latency: SRTT = R,
/// RTTVAR = R/2, RTO = SRTT + 4 * RTTVAR; the next timer is armed with it.
#[test]
fn the_first_round_trip_sets_the_timeout() {
    let mut w = World::new(adaptive_config(Scheme::StopAndWait, 2));
    assert_eq!(
        w.timers.values().next().unwrap().0,
        1_000 * MS,
        "initial RTO"
    );
    w.deliver(0);
    w.deliver(0);
    let r = 2 * LATENCY_US;
    let samples: Vec<&Note> = w
        .notes()
        .filter(|n| matches!(n, Note::RttSample { .. }))
        .collect();
    assert_eq!(
        samples,
        [&Note::RttSample {
            node: S1,
            seq: 1,
            rtt_us: r,
            srtt_us: r,
            rttvar_us: r / 2,
            rto_us: r + 4 * (r / 2),
        }]
    );
    let (deadline, _) = w.timers[&(S1, Timer::Oldest.slot())];
    assert_eq!(
        deadline,
        w.now_us + 3 * r,
        "message 2 is timed with the new RTO"
    );
}

/// Karn's rule (RFC 6298 section 3; Karn and Partridge 1987): the acknowledgement of a
/// retransmitted message gives no sample, since it may answer either copy; the next message,
/// sent once, does. Meanwhile each timeout of the same message doubles the timer (section 5.5),
/// and the doubled timer stays until that valid sample.
#[test]
fn karn_no_sample_from_a_retransmitted_message_and_backoff_until_a_valid_one() {
    let mut w = World::new(adaptive_config(Scheme::StopAndWait, 2));
    w.drop_where(|f| is_data(f, 1));
    assert!(w.fire_next_timer());
    assert_eq!(w.data_in_flight(), [(1, 2)]);
    let backoffs: Vec<Micros> = w
        .notes()
        .filter_map(|n| match n {
            Note::Backoff { rto_us, .. } => Some(*rto_us),
            _ => None,
        })
        .collect();
    assert_eq!(backoffs, [2_000 * MS]);
    w.drop_where(|f| is_data(f, 1));
    let fired_at = w.now_us;
    assert!(w.fire_next_timer());
    assert_eq!(
        w.now_us - fired_at,
        2_000 * MS,
        "the doubled timer was armed"
    );
    assert_eq!(
        w.count(|n| matches!(n, Note::Backoff { rto_us, .. } if *rto_us == 4_000 * MS)),
        1
    );
    // Message 1's acknowledgement arrives: no sample from it, and message 2 is timed with the
    // backed-off timeout.
    w.deliver(0);
    w.deliver(0);
    assert_eq!(w.count(|n| matches!(n, Note::RttSample { .. })), 0);
    assert_eq!(
        w.timers[&(S1, Timer::Oldest.slot())].0,
        w.now_us + 4_000 * MS
    );
    // Message 2 went once: its round trip is a valid sample, and the backoff ends.
    w.deliver(0);
    w.deliver(0);
    assert_eq!(w.count(|n| matches!(n, Note::RttSample { seq: 2, .. })), 1);
    let sender = match &w.nodes[&S1] {
        RetransmitNode::Sender(s) => s,
        RetransmitNode::Receiver(_) | RetransmitNode::Spare => unreachable!(),
    };
    let r = 2 * LATENCY_US;
    assert_eq!(sender.rto().current_us(&w.config.rto), r + 4 * (r / 2));
    assert_eq!(w.finish(), None);
}

/// Under selective repeat a message's own timer is armed with the timeout at its sending, and
/// a retransmission after a timeout is timed with the doubled one (RFC 6298 section 5.5).
#[test]
fn selective_repeat_rearms_a_timed_out_message_with_the_backed_off_timeout() {
    let mut cfg = adaptive_config(Scheme::SelectiveRepeat, 2);
    cfg.window = 2;
    let mut w = World::new(cfg);
    w.drop_where(|f| is_data(f, 1));
    assert!(w.fire_next_timer());
    assert_eq!(w.data_in_flight(), [(2, 1), (1, 2)]);
    assert_eq!(
        w.timers[&(S1, Timer::of_message(1).slot())].0,
        w.now_us + 2_000 * MS
    );
    assert_eq!(w.timers[&(S1, Timer::of_message(2).slot())].0, 1_000 * MS);
}

// ----- crashes and recovery -----

/// A sender that crashes with messages unacknowledged reads them back from its log and sends
/// them again (counted as retransmissions: they may have left before the crash), and the
/// receiver still delivers each once, in order.
#[test]
fn a_crashed_sender_resends_what_its_log_holds_unacknowledged() {
    for scheme in [
        Scheme::StopAndWait,
        Scheme::GoBackN,
        Scheme::SelectiveRepeat,
    ] {
        let mut w = World::new(config(scheme, 4, AckMode::Selective, 10));
        // Some messages arrive, then the sender dies with the rest of its window in flight;
        // those are lost, and so are the acknowledgements on their way back.
        w.deliver(0);
        w.deliver(0);
        w.deliver(0);
        w.crash(S1);
        w.wire.clear();
        w.restart(S1);
        let recovered = w
            .notes()
            .find(|n| matches!(n, Note::SenderRecovered { .. }))
            .cloned();
        let Some(Note::SenderRecovered { unacked, .. }) = recovered else {
            panic!("no recovery note")
        };
        assert!(unacked > 0, "{scheme:?}");
        assert!(
            w.count(|n| matches!(
                n,
                Note::Retransmit {
                    reason: RetransmitReason::Recovery,
                    ..
                }
            )) > 0
        );
        w.run_quiet();
        assert_eq!(w.delivered(S2), in_order(10), "{scheme:?}");
        assert_eq!(w.violations, [], "{scheme:?}");
        assert_eq!(w.finish(), None, "{scheme:?}");
    }
}

/// A receiver that crashes keeps what it wrote before acknowledging: how far it delivered (so a
/// resent message is a duplicate, not a second delivery) and, under selective repeat, what it
/// kept above a gap (so the sender, told those arrived, need never send them again).
#[test]
fn a_crashed_receiver_delivers_nothing_twice_and_loses_nothing_it_acknowledged() {
    let mut w = World::new(config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 6));
    w.drop_where(|f| is_data(f, 2));
    for _ in 0..3 {
        w.deliver(0);
    }
    assert_eq!(w.delivered(S2), [1]);
    w.crash(S2);
    w.restart(S2);
    assert!(w.notes().any(|n| *n
        == Note::ReceiverRecovered {
            node: S2,
            delivered_through: 1,
            buffered: 2,
        }));
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(6));
    assert_eq!(
        w.count(|n| matches!(n, Note::Retransmit { seq: 3 | 4, .. })),
        0
    );
    assert_eq!(w.violations, []);
    assert_eq!(w.finish(), None);

    // Under go-back-N: a crash after delivering, with the acknowledgements lost; the sender
    // resends and the restarted receiver drops the copies.
    let mut w = World::new(config(Scheme::GoBackN, 4, AckMode::Cumulative, 6));
    for _ in 0..4 {
        w.deliver(0);
    }
    w.crash(S2);
    w.wire.clear();
    w.restart(S2);
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(6));
    assert!(w.count(|n| matches!(n, Note::Duplicate { .. })) >= 4);
    assert_eq!(w.violations, []);
    assert_eq!(w.finish(), None);
}

/// A sender whose acknowledgement record did not make it still converges: it resends a few
/// acknowledged messages, which the receiver drops as duplicates (why it may be lazy).
#[test]
fn a_sender_that_lost_its_acknowledgement_records_resends_harmlessly() {
    let mut w = World::new(config(Scheme::GoBackN, 4, AckMode::Cumulative, 8));
    for _ in 0..8 {
        w.deliver(0);
    }
    w.crash(S1);
    w.wire.clear();
    let disk = w.disks.get_mut(&S1).unwrap();
    disk.retain(|r| !matches!(r, Record::AckedThrough { .. }));
    w.restart(S1);
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(8));
    assert!(w.count(|n| matches!(n, Note::Duplicate { .. })) >= 4);
    assert_eq!(w.violations, []);
    assert_eq!(w.finish(), None);
}

// ----- the broken switches make a check fail -----

/// `no_duplicate_suppression`: the network duplicates one message and the receiver hands it
/// to its application twice, which No Duplicate Delivery reports. The same run without the
/// bug is clean.
#[test]
fn no_duplicate_suppression_is_caught_by_no_duplicate_delivery() {
    for bug in [false, true] {
        let mut cfg = config(Scheme::GoBackN, 4, AckMode::Cumulative, 3);
        cfg.bugs.no_duplicate_suppression = bug;
        let mut w = World::new(cfg);
        w.duplicate(0);
        w.deliver(0);
        w.run_quiet();
        if !bug {
            assert_eq!(w.violations, []);
            continue;
        }
        let v = &w.violations[0];
        assert_eq!(v.property, Property::NoDuplicateDelivery);
        assert_eq!((v.pair, v.seq, v.nodes.as_slice()), (0, 1, &[S2][..]));
        let text = v.to_string();
        assert!(
            text.starts_with("No Duplicate Delivery violated at t="),
            "{text}"
        );
        assert!(text.contains("S2 delivered message 1 again"), "{text}");
    }
}

/// `forget_unacked_on_crash`: the sender crashes with messages in flight, which the network
/// loses; restarted, it has forgotten them, and the receiver waits for them forever, which
/// Liveness reports at the end of the quiet run. The same run without the bug is clean.
#[test]
fn forget_unacked_on_crash_is_caught_by_liveness() {
    for scheme in [
        Scheme::StopAndWait,
        Scheme::GoBackN,
        Scheme::SelectiveRepeat,
    ] {
        for bug in [false, true] {
            let mut cfg = config(scheme, 4, AckMode::Selective, 6);
            cfg.bugs.forget_unacked_on_crash = bug;
            let mut w = World::new(cfg);
            w.crash(S1);
            w.wire.clear();
            w.restart(S1);
            w.run_quiet();
            assert_eq!(w.violations, [], "{scheme:?}: safety holds either way");
            let end = w.finish();
            if !bug {
                assert_eq!(end, None, "{scheme:?}");
                continue;
            }
            let v = end.expect("liveness must fail");
            assert_eq!(v.property, Property::Liveness, "{scheme:?}");
            assert_eq!((v.seq, v.nodes.as_slice()), (1, &[S1, S2][..]));
            assert!(
                v.to_string()
                    .contains("S1 accepted message 1 at t=0us and S2 never delivered it"),
                "{v}"
            );
        }
    }
}

// ----- several pairs, offered load, commands -----

/// Pair k is sender 2k+1 and receiver 2k+2; each pair runs its own stream.
#[test]
fn pairs_run_their_own_streams() {
    let mut cfg = config(Scheme::SelectiveRepeat, 3, AckMode::Selective, 5);
    cfg.pairs = 3;
    let mut w = World::new(cfg);
    assert_eq!(w.nodes.len(), 6);
    for f in &w.wire {
        assert_eq!(f.to.0, f.from.0 + 1, "senders talk to their own receiver");
    }
    w.drop_where(|f| f.from == NodeId(3) && is_data(f, 1));
    w.run_quiet();
    for receiver in [2, 4, 6] {
        assert_eq!(w.delivered(NodeId(receiver)), in_order(5));
    }
    for n in w.notes() {
        if let Note::AppDeliver {
            node,
            pair,
            from,
            seq,
            payload,
        } = *n
        {
            assert_eq!((pair, from), (pair_of(node), NodeId(node.0 - 1)));
            assert_eq!(payload, payload_of(pair, seq));
        }
    }
    assert_eq!(w.finish(), None);
}

/// A node beyond the configured pairs is a spare that does nothing.
#[test]
fn nodes_beyond_the_pairs_are_spares() {
    let cfg = config(Scheme::GoBackN, 4, AckMode::Cumulative, 3);
    let mut rng = SimRng::stream(1, Stream::Node(3));
    let mut ctx = Context {
        id: NodeId(3),
        nodes: 4,
        config: &cfg,
        now_us: 0,
        observing: true,
        rng: &mut rng,
    };
    let mut out = Vec::new();
    let mut node = Retransmit::start(&mut ctx, &mut out);
    assert_eq!(node, RetransmitNode::Spare);
    Retransmit::handle(
        &mut node,
        &mut ctx,
        Input::Command(Command::HandOver),
        &mut out,
    );
    assert_eq!(out, []);
}

/// With an offered interval the application hands one message per interval; those the window
/// cannot take wait at the sender, already on its log.
#[test]
fn an_offered_interval_paces_the_application() {
    let mut cfg = config(Scheme::StopAndWait, 1, AckMode::Cumulative, 3);
    cfg.offered_interval_us = 5 * MS;
    let mut w = World::new(cfg);
    assert_eq!(w.count(|n| matches!(n, Note::Accept { .. })), 1);
    assert!(w.fire_next_timer(), "the offer timer, at 5 ms");
    assert_eq!(w.now_us, 5 * MS);
    assert_eq!(w.count(|n| matches!(n, Note::Accept { .. })), 2);
    assert_eq!(
        w.data_in_flight(),
        [(1, 1)],
        "message 2 waits for the window"
    );
    w.run_quiet();
    assert_eq!(w.delivered(S2), in_order(3));
    assert_eq!(
        w.count(|n| matches!(
            n,
            Note::Accept {
                last: true,
                seq: 3,
                ..
            }
        )),
        1
    );
    assert_eq!(w.finish(), None);
}

#[test]
fn a_hand_over_command_adds_one_message() {
    let mut cfg = config(Scheme::GoBackN, 4, AckMode::Cumulative, 3);
    cfg.offered_interval_us = 60_000 * MS;
    let mut w = World::new(cfg);
    w.input(S1, Input::Command(Command::HandOver));
    w.input(S2, Input::Command(Command::HandOver));
    assert_eq!(w.data_in_flight(), [(1, 1), (2, 1)]);
}

// ----- random schedules -----

/// Random schedules over every scheme and acknowledgement mode: messages delivered in any
/// order, dropped or duplicated, timers fired early, either node crashed and restarted; then
/// everything restarts and the run goes quiet. Nothing may be delivered twice or out of order,
/// and everything must arrive.
#[test]
fn random_faults_never_break_exactly_once_in_order_delivery() {
    for seed in 0..40 {
        for scheme in [
            Scheme::StopAndWait,
            Scheme::GoBackN,
            Scheme::SelectiveRepeat,
        ] {
            for ack in [AckMode::Cumulative, AckMode::Selective] {
                let w = random_run(seed, config(scheme, 4, ack, 12));
                let context = format!("seed {seed}, {scheme:?}, {ack:?}");
                assert_eq!(w.violations, [], "{context}");
                assert_eq!(w.delivered(S2), in_order(12), "{context}");
            }
        }
    }
}

/// The same random schedules find the duplicate bug without being told where it is.
#[test]
fn random_faults_find_the_duplicate_bug() {
    let mut cfg = config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 12);
    cfg.bugs.no_duplicate_suppression = true;
    let found = (0..40).any(|seed| {
        let w = random_run(seed, cfg.clone());
        w.violations
            .iter()
            .any(|v| v.property == Property::NoDuplicateDelivery)
    });
    assert!(found);
}

/// And the forgetting sender, which only Liveness can catch.
#[test]
fn random_faults_find_the_forgetting_sender() {
    let mut cfg = config(Scheme::GoBackN, 4, AckMode::Cumulative, 12);
    cfg.bugs.forget_unacked_on_crash = true;
    let found = (0..40).any(|seed| {
        let w = random_run(seed, cfg.clone());
        w.violations
            .iter()
            .any(|v| v.property == Property::Liveness)
    });
    assert!(found);
}

fn random_run(seed: u64, cfg: RetransmitConfig) -> World {
    let mut rng = SimRng::stream(seed, Stream::Faults);
    let mut w = World::new(cfg);
    for _ in 0..200 {
        let roll = rng.below(100);
        if !w.wire.is_empty() && roll < 55 {
            let i = rng.below(w.wire.len() as u64) as usize;
            w.deliver(i);
        } else if !w.wire.is_empty() && roll < 70 {
            let i = rng.below(w.wire.len() as u64) as usize;
            w.wire.remove(i);
        } else if !w.wire.is_empty() && roll < 78 {
            let i = rng.below(w.wire.len() as u64) as usize;
            w.duplicate(i);
        } else if roll < 94 {
            w.fire_next_timer();
        } else {
            let node = NodeId(1 + rng.below(2) as u32);
            if w.nodes.contains_key(&node) {
                w.crash(node);
            } else {
                w.restart(node);
            }
        }
    }
    for node in [S1, S2] {
        if !w.nodes.contains_key(&node) {
            w.restart(node);
        }
    }
    let quiet = w.run_at_most(20_000);
    assert!(quiet || w.config.bugs.any(), "the run never went quiet");
    if let Some(v) = w.finish() {
        w.violations.push(v);
    }
    w
}

// ----- the checks fire on hand-made traces -----

fn note_line(t: Micros, note: Note) -> Line<Retransmit> {
    Line {
        t,
        event: Event::Protocol(note),
    }
}

fn accept(seq: Seq, last: bool) -> Line<Retransmit> {
    note_line(
        seq,
        Note::Accept {
            node: S1,
            pair: 0,
            seq,
            payload: payload_of(0, seq),
            last,
        },
    )
}

fn app_deliver(seq: Seq, payload: u32) -> Line<Retransmit> {
    note_line(
        100 + seq,
        Note::AppDeliver {
            node: S2,
            pair: 0,
            from: S1,
            seq,
            payload,
        },
    )
}

fn real(seq: Seq) -> Line<Retransmit> {
    app_deliver(seq, payload_of(0, seq))
}

#[test]
fn a_clean_trace_passes_every_check() {
    let lines = [accept(1, false), accept(2, true), real(1), real(2)];
    assert_eq!(RetransmitChecks::check_all(&lines, 1_000), []);
}

#[test]
fn no_duplicate_delivery_fires_on_a_second_delivery() {
    let lines = [accept(1, true), real(1), real(1)];
    let found = RetransmitChecks::check_all(&lines, 1_000);
    assert_eq!(found.len(), 1);
    let v = &found[0];
    assert_eq!(
        (v.property, v.line, v.seq),
        (Property::NoDuplicateDelivery, 2, 1)
    );
    assert_eq!(
        v.to_string(),
        "No Duplicate Delivery violated at t=101us (trace line 3), nodes S2, pair 0, seq 1: \
         S2 delivered message 1 again; it already did at trace line 2"
    );
}

#[test]
fn in_order_delivery_fires_on_a_gap_a_wrong_payload_and_a_made_up_message() {
    let gap = [accept(1, false), accept(2, true), real(2), real(1)];
    let found = RetransmitChecks::check_all(&gap, 1_000);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].detail,
        checks::Detail::Order(checks::OrderDetail::Gap {
            receiver: S2,
            seq: 2,
            expected: 1,
        })
    );
    assert_eq!(
        found[0].to_string(),
        "In-Order Delivery violated at t=102us (trace line 3), nodes S2, pair 0, seq 2: \
         S2 delivered message 2 before message 1"
    );

    let stale = [accept(1, true), app_deliver(1, payload_of(0, 1) ^ 1)];
    let found = RetransmitChecks::check_all(&stale, 1_000);
    assert!(matches!(
        found[0].detail,
        checks::Detail::Order(checks::OrderDetail::WrongPayload { seq: 1, .. })
    ));

    let made_up = [real(1)];
    let found = RetransmitChecks::check_all(&made_up, 1_000);
    assert!(matches!(
        found[0].detail,
        checks::Detail::Order(checks::OrderDetail::NeverAccepted { seq: 1, .. })
    ));
}

#[test]
fn liveness_fires_on_an_accepted_message_never_delivered() {
    // A bounded run: the application handed over its last message, so all are owed.
    let lines = [accept(1, false), accept(2, true), real(1)];
    let found = RetransmitChecks::check_all(&lines, 5_000);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].to_string(),
        "Liveness violated at the end of the run t=5000us (trace line 2), nodes S1, S2, \
         pair 0, seq 2: S1 accepted message 2 at t=2us and S2 never delivered it"
    );

    // A stream that never ends owes what was accepted by the last fault.
    let restart = Line {
        t: 3,
        event: Event::Restart { node: S1 },
    };
    let unbounded = [
        accept(1, false),
        accept(2, false),
        restart,
        accept(3, false),
        real(1),
    ];
    let found = RetransmitChecks::check_all(&unbounded, 5_000);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].seq, 2);
    let mut delivered = unbounded.to_vec();
    delivered.push(real(2));
    assert_eq!(RetransmitChecks::check_all(&delivered, 5_000), []);
}

// ----- the trace format -----

#[test]
fn note_kinds_stay_clear_of_the_framing_and_lines_read_back() {
    let mut w = World::new(config(Scheme::SelectiveRepeat, 4, AckMode::Selective, 6));
    w.drop_where(|f| is_data(f, 2));
    w.run_quiet();
    w.crash(S2);
    w.restart(S2);
    w.crash(S1);
    w.restart(S1);
    w.run_quiet();
    let mut kinds = std::collections::BTreeSet::new();
    for line in &w.lines {
        let json = serde_json::to_string(line).unwrap();
        let back: Line<Retransmit> = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, line, "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let kind = value["kind"].as_str().unwrap().to_string();
        if let Event::Protocol(_) = line.event {
            assert!(!FRAMING_KINDS.contains(&kind.as_str()), "{kind} collides");
            assert!(value["node"].is_u64(), "every note names its node: {json}");
        }
        kinds.insert(kind);
    }
    for kind in [
        "accept",
        "retransmit",
        "acked",
        "app_deliver",
        "buffer",
        "sender_recovered",
    ] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    let first_send = w
        .lines
        .iter()
        .find(|l| matches!(l.event, Event::Send { .. }));
    let send = serde_json::to_string(first_send.unwrap()).unwrap();
    assert_eq!(
        send,
        format!(
            r#"{{"t":0,"kind":"send","id":1,"from":1,"to":2,"deliver_t":[10000],"type":"data","seq":1,"payload":{},"attempt":1}}"#,
            payload_of(0, 1)
        )
    );
}

/// Payloads are part of every trace and every shared run: pin them.
#[test]
fn payloads_are_pinned() {
    assert_eq!(
        [payload_of(0, 1), payload_of(0, 2), payload_of(3, 1)],
        PINNED_PAYLOADS
    );
}

const PINNED_PAYLOADS: [u32; 3] = [4_290_534_743, 2_345_624_336, 1_203_311_871];

/// The example in docs/trace-format.md reads back as retransmission lines, and is what this
/// protocol writes for a first message under the default settings.
#[test]
fn the_documented_example_reads_back() {
    let doc = include_str!("../../../docs/trace-format.md");
    let section = &doc[doc.find("## Retransmission mode").unwrap()..];
    // Up to the next section (another protocol's lines follow).
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let lines: Vec<Line<Retransmit>> = section
        .lines()
        .filter(|l| l.starts_with("{\"t\""))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(lines.len(), 6);
    let mut w = World::new(RetransmitConfig {
        messages: 1,
        ..RetransmitConfig::default()
    });
    w.run_quiet();
    assert_eq!(w.lines, lines);
}
