//! What broke, in the page's words: each `Detail` as a catalogue key with its values
//! (`Display` stays the command line's English).

use super::property::Detail;
use crate::i18n::Text;
use crate::sim::types::NodeId;

fn node_or_nobody(n: &Option<NodeId>) -> Text {
    match n {
        Some(n) => Text::new("pb.word.node").with("node", n),
        None => Text::new("pb.word.nobody"),
    }
}

impl Detail {
    pub fn text(&self) -> Text {
        match self {
            Detail::TwoPrimaries {
                view,
                first,
                second,
            } => Text::new("violation.pb_two_primaries")
                .with("view", view)
                .with("first", first)
                .with_text("second", node_or_nobody(second)),
            Detail::NotNamed { node, view, named } => Text::new("violation.pb_not_named")
                .with("node", node)
                .with("view", view)
                .with_text("named", node_or_nobody(named)),
            Detail::Deposed {
                node,
                view,
                current,
                other,
            } => Text::new("violation.pb_deposed")
                .with("node", node)
                .with("view", view)
                .with("current", current)
                .with_text("other", node_or_nobody(other)),
            Detail::OutOfOrder {
                node,
                view,
                seq,
                expected,
                ..
            } => Text::new("violation.pb_out_of_order")
                .with("node", node)
                .with("view", view)
                .with("seq", seq)
                .with("expected", expected),
            Detail::Lost {
                client,
                request,
                seq,
                view,
            } => Text::new("violation.pb_lost")
                .with("client", client)
                .with("request", request)
                .with("seq", seq)
                .with("view", view),
            Detail::WrongResult {
                client,
                request,
                key,
                ..
            } => Text::new("violation.pb_wrong_result")
                .with("client", client)
                .with("request", request)
                .with("key", key),
            Detail::TookEffectTooEarly {
                client,
                request,
                key,
                earlier_done,
            } => Text::new("violation.pb_too_early")
                .with("client", client)
                .with("request", request)
                .with("key", key)
                .with("position", earlier_done),
        }
    }
}
