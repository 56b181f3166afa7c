//! `faultline check TRACE`: a protocol's safety checks over a saved trace. The protocol is
//! read from the trace (its lines' kinds name it) unless `--protocol` says.

use super::protocols::ProtocolName;
use super::{Args, Flag};
use crate::codec::trace_jsonl::from_jsonl;
use crate::sim::paxos::Paxos;
use crate::sim::pb::PrimaryBackup;
use crate::sim::protocol::{Checks, Protocol, FRAMING_KINDS};
use crate::sim::raft::Raft;
use crate::sim::retransmit::Retransmit;
use crate::sim::ring::store::RingStore;
use crate::sim::twopc::TwoPc;

const FLAGS: &[Flag] = &[Flag("protocol", true), Flag("liveness", false)];

pub fn main(raw: &[String]) -> Result<i32, String> {
    let args = Args::parse(raw, FLAGS)?;
    let [path] = &args.positional[..] else {
        return Err("check takes exactly one argument: the trace file".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let protocol = match args.value("protocol") {
        Some(_) => ProtocolName::from_flag(args.value("protocol"))?,
        None => protocol_of(&text).map_err(|e| format!("{path}: {e}"))?,
    };
    let liveness = args.switch("liveness");
    match protocol {
        ProtocolName::Raft => check::<Raft>(path, &text, liveness),
        ProtocolName::Retransmit => check::<Retransmit>(path, &text, liveness),
        ProtocolName::Ring => check::<RingStore>(path, &text, liveness),
        ProtocolName::TwoPc => check::<TwoPc>(path, &text, liveness),
        ProtocolName::Paxos => check::<Paxos>(path, &text, liveness),
        ProtocolName::PrimaryBackup => check::<PrimaryBackup>(path, &text, liveness),
    }
}

/// The protocol whose kinds the trace's lines use: the first line of a kind that is not the
/// engine's framing names it. A trace of framing lines only is Raft's (older traces).
fn protocol_of(text: &str) -> Result<ProtocolName, String> {
    for (n, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(raw).map_err(|e| format!("line {}: {e}", n + 1))?;
        let Some(kind) = value.get("kind").and_then(|k| k.as_str()) else {
            return Err(format!("line {}: no \"kind\" field", n + 1));
        };
        if FRAMING_KINDS.contains(&kind) {
            continue;
        }
        let owner = ProtocolName::ALL.into_iter().find(|p| match p {
            ProtocolName::Raft => Raft::TRACE_KINDS.contains(&kind),
            ProtocolName::Retransmit => Retransmit::TRACE_KINDS.contains(&kind),
            ProtocolName::Ring => RingStore::TRACE_KINDS.contains(&kind),
            ProtocolName::TwoPc => TwoPc::TRACE_KINDS.contains(&kind),
            ProtocolName::Paxos => Paxos::TRACE_KINDS.contains(&kind),
            ProtocolName::PrimaryBackup => PrimaryBackup::TRACE_KINDS.contains(&kind),
        });
        return owner.ok_or_else(|| {
            format!(
                "line {}: \"{kind}\" is not a kind any protocol writes (see docs/trace-format.md)",
                n + 1
            )
        });
    }
    Ok(ProtocolName::Raft)
}

fn check<P: Protocol>(path: &str, text: &str, liveness: bool) -> Result<i32, String> {
    let lines = from_jsonl::<P>(text).map_err(|e| format!("{path} {e}"))?;
    let mut checks = P::Checks::default();
    let mut violations: Vec<_> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| checks.observe(line, i as u64))
        .collect();
    if liveness {
        let end_us = lines.last().map_or(0, |l| l.t);
        violations.extend(checks.finish(end_us));
    }
    println!("checked {} {} trace lines", lines.len(), P::NAME);
    for v in &violations {
        println!("VIOLATION {v}");
    }
    if violations.is_empty() {
        let what = if liveness {
            "safety and liveness"
        } else {
            "safety"
        };
        println!("all {what} properties hold");
        Ok(0)
    } else {
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_names_its_protocol_by_its_kinds() {
        let raft = "{\"t\":0,\"kind\":\"crash\",\"node\":1}\n{\"t\":1,\"kind\":\"role\",\"node\":1,\"term\":1,\"role\":\"follower\"}\n";
        assert_eq!(protocol_of(raft), Ok(ProtocolName::Raft));
        let retransmit = "{\"t\":0,\"kind\":\"heal\"}\n{\"t\":1,\"kind\":\"app_deliver\",\"node\":2,\"pair\":0,\"from\":1,\"seq\":1,\"payload\":7}\n";
        assert_eq!(protocol_of(retransmit), Ok(ProtocolName::Retransmit));
        let twopc = "{\"t\":0,\"kind\":\"crash\",\"node\":1}\n{\"t\":1,\"kind\":\"txn_end\",\"node\":1,\"txn\":7}\n";
        assert_eq!(protocol_of(twopc), Ok(ProtocolName::TwoPc));
        let paxos = "{\"t\":0,\"kind\":\"heal\"}\n{\"t\":1,\"kind\":\"paxos_learn\",\"node\":2,\"slot\":1,\"value\":{\"is\":\"noop\"}}\n";
        assert_eq!(protocol_of(paxos), Ok(ProtocolName::Paxos));
        let unknown = "{\"t\":0,\"kind\":\"heal\"}\n{\"t\":1,\"kind\":\"teleport\"}\n";
        let err = protocol_of(unknown).unwrap_err();
        assert!(err.starts_with("line 2: \"teleport\""), "{err}");
        assert!(protocol_of("not json").unwrap_err().starts_with("line 1:"));
    }

    #[test]
    fn no_two_protocols_share_a_trace_kind_and_none_is_a_framing_kind() {
        for kind in Raft::TRACE_KINDS {
            assert!(!FRAMING_KINDS.contains(kind), "{kind}");
            assert!(!Retransmit::TRACE_KINDS.contains(kind), "{kind}");
        }
        for kind in Retransmit::TRACE_KINDS {
            assert!(!FRAMING_KINDS.contains(kind), "{kind}");
        }
        for kind in TwoPc::TRACE_KINDS {
            assert!(!FRAMING_KINDS.contains(kind), "{kind}");
            assert!(!Raft::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!Retransmit::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!RingStore::TRACE_KINDS.contains(kind), "{kind}");
        }
        for kind in Paxos::TRACE_KINDS {
            assert!(!FRAMING_KINDS.contains(kind), "{kind}");
            assert!(!Raft::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!Retransmit::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!RingStore::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!TwoPc::TRACE_KINDS.contains(kind), "{kind}");
        }
        for kind in PrimaryBackup::TRACE_KINDS {
            assert!(!FRAMING_KINDS.contains(kind), "{kind}");
            assert!(!Raft::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!Retransmit::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!RingStore::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!TwoPc::TRACE_KINDS.contains(kind), "{kind}");
            assert!(!Paxos::TRACE_KINDS.contains(kind), "{kind}");
        }
    }
}
