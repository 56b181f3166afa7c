//! What broke, in the page's words: each `Detail` and each value as a catalogue key with its
//! values (`Display` stays the command line's English).

use super::property::Detail;
use crate::i18n::Text;
use crate::sim::paxos::types::Value;

/// A value as the page names it: a proposer's own value, a no-op or a client's command.
pub fn value_text(value: &Value) -> Text {
    match value {
        Value::Noop => Text::new("px.value.noop"),
        Value::Own { proposer } => Text::new("px.value.own").with("node", proposer),
        Value::Command {
            client,
            request,
            cmd,
        } => Text::new("px.value.command")
            .with("client", client)
            .with("request", request)
            .with("cmd", cmd),
    }
}

impl Detail {
    pub fn text(&self) -> Text {
        match self {
            Detail::TwoChosen {
                first,
                first_ballot,
                second,
                second_ballot,
                ..
            } => Text::new("violation.px_two_chosen")
                .with_text("first", value_text(first))
                .with("first_ballot", first_ballot)
                .with_text("second", value_text(second))
                .with("second_ballot", second_ballot),
            Detail::NeverProposed { value, ballot } => Text::new("violation.px_never_proposed")
                .with_text("value", value_text(value))
                .with("ballot", ballot),
            Detail::LearnedOther {
                node,
                learned,
                chosen: Some(chosen),
            } => Text::new("violation.px_learned_other")
                .with("node", node)
                .with_text("learned", value_text(learned))
                .with_text("chosen", value_text(chosen)),
            Detail::LearnedOther {
                node,
                learned,
                chosen: None,
            } => Text::new("violation.px_learned_unchosen")
                .with("node", node)
                .with_text("learned", value_text(learned)),
            Detail::AckedElsewhere {
                client, request, ..
            } => Text::new("violation.px_acked_elsewhere")
                .with("client", client)
                .with("request", request),
            Detail::WrongResult {
                client,
                request,
                key,
                ..
            } => Text::new("violation.px_wrong_result")
                .with("client", client)
                .with("request", request)
                .with("key", key),
            Detail::TookEffectTooEarly {
                client,
                request,
                key,
                earlier_done,
            } => Text::new("violation.px_too_early")
                .with("client", client)
                .with("request", request)
                .with("key", key)
                .with("slot", earlier_done),
        }
    }
}
