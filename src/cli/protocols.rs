//! The protocols the command line runs, by the name `--protocol` gives them: the one place a
//! new protocol registers with the CLI.

/// A protocol `--protocol` names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProtocolName {
    Raft,
    Retransmit,
    Ring,
    TwoPc,
    Paxos,
    PrimaryBackup,
}

impl ProtocolName {
    pub const ALL: [ProtocolName; 6] = [
        ProtocolName::Raft,
        ProtocolName::Retransmit,
        ProtocolName::Ring,
        ProtocolName::TwoPc,
        ProtocolName::Paxos,
        ProtocolName::PrimaryBackup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProtocolName::Raft => "raft",
            ProtocolName::Retransmit => "retransmit",
            ProtocolName::Ring => "ring",
            ProtocolName::TwoPc => "2pc",
            ProtocolName::Paxos => "paxos",
            ProtocolName::PrimaryBackup => "primary-backup",
        }
    }

    /// The protocol `--protocol` names (Raft when the flag is absent).
    pub fn from_flag(value: Option<&str>) -> Result<ProtocolName, String> {
        let Some(value) = value else {
            return Ok(ProtocolName::Raft);
        };
        ProtocolName::ALL
            .into_iter()
            .find(|p| p.name() == value)
            .ok_or_else(|| {
                let known: Vec<&str> = ProtocolName::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "--protocol: \"{value}\" is not one of {} (placement strategies: `faultline ring`)",
                    known.join(", ")
                )
            })
    }
}
