//! The protocols the command line runs, by the name `--protocol` gives them: the one place a
//! new protocol registers with the CLI.

/// A protocol `--protocol` names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProtocolName {
    Raft,
    Retransmit,
}

impl ProtocolName {
    pub const ALL: [ProtocolName; 2] = [ProtocolName::Raft, ProtocolName::Retransmit];

    pub fn name(self) -> &'static str {
        match self {
            ProtocolName::Raft => "raft",
            ProtocolName::Retransmit => "retransmit",
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
                    "--protocol: \"{value}\" is not one of {} (hash rings: `faultline ring`)",
                    known.join(", ")
                )
            })
    }
}
