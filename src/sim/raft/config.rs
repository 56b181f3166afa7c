//! Settings of a Raft cluster, with their defaults stated once.

use crate::sim::types::{Micros, MICROS_PER_MS};
use serde::{Deserialize, Serialize};

/// Deliberate departures from Raft that lessons switch on to show why each rule exists.
/// The live safety checks must catch every one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bugs {
    /// Commit an entry of an earlier term once it is on a majority, the mistake of the Raft
    /// paper's Figure 8 (section 5.4.2). New leaders also skip their no-op entry, as in the
    /// figure, so that the old entry can be "committed" on its own.
    pub commit_previous_term_by_count: bool,
    /// Grant votes without the up-to-date check of section 5.4.1.
    pub vote_without_log_check: bool,
    /// Lose votedFor in a crash, so a restarted server may vote twice in one term (Figure 2
    /// requires it on stable storage).
    pub forget_vote_on_restart: bool,
    /// Let a new leader append a configuration change before it has committed an entry of
    /// its own term: the single-server change bug Ongaro reported on raft-dev in 2015.
    #[serde(skip_serializing_if = "is_false")]
    pub config_before_own_term_commit: bool,
    /// Let a leader append a second configuration change before the first is committed, so
    /// that two configurations a change apart no longer need overlapping majorities
    /// (thesis section 4.1 forbids it).
    #[serde(skip_serializing_if = "is_false")]
    pub concurrent_config_changes: bool,
}

/// Files written before the membership switches existed stay the same.
fn is_false(v: &bool) -> bool {
    !*v
}

impl Bugs {
    pub fn any(&self) -> bool {
        self.commit_previous_term_by_count
            || self.vote_without_log_check
            || self.forget_vote_on_restart
            || self.config_before_own_term_commit
            || self.concurrent_config_changes
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RaftConfig {
    pub election_timeout_us_min: Micros,
    pub election_timeout_us_max: Micros,
    /// 0 draws election timeouts to the microsecond. A positive value makes every timeout a
    /// multiple of it, drawn as LogCabin (the implementation the Raft paper measured in
    /// section 9.3) draws its own in whole milliseconds: `Core::Random::randomRange(min, max)`
    /// is `lround(min + u·(max − min))`, a continuous draw rounded to the nearest whole unit.
    /// Coarse timeouts make timers that start together tie exactly more often, which is what
    /// the paper's election figures include; docs/BENCHMARKS.md shows by how much.
    #[serde(skip_serializing_if = "is_zero")]
    pub election_timeout_granularity_us: Micros,
    pub heartbeat_interval_us: Micros,
    /// Thesis section 9.6: a candidate first asks whether it could win before raising its term.
    pub pre_vote: bool,
    /// Thesis section 6.2: a leader that has not heard from a majority for an election
    /// timeout steps down, and followers that hear from a leader ignore vote requests.
    pub check_quorum: bool,
    /// The most entries one AppendEntries carries.
    pub max_entries_per_append: u32,
    /// Take a snapshot after this many entries were applied since the last one (section 7).
    pub snapshot_every_entries: Option<u64>,
    /// The configuration the cluster starts in: servers 1 to this number vote, the others
    /// are spare servers that take part only once a membership change adds them (thesis
    /// chapter 4). 0: every server of the run votes from the start.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub voters_initial: u32,
    /// Membership changes of the voters go through a joint configuration C_old,new, which
    /// needs a majority of both, before C_new (the Raft paper, section 6); off: single-server
    /// changes (thesis chapter 4).
    #[serde(default, skip_serializing_if = "is_false")]
    pub joint_consensus: bool,
    pub bugs: Bugs,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            election_timeout_us_min: 150 * MICROS_PER_MS,
            election_timeout_us_max: 300 * MICROS_PER_MS,
            election_timeout_granularity_us: 0,
            heartbeat_interval_us: 50 * MICROS_PER_MS,
            pre_vote: false,
            check_quorum: false,
            max_entries_per_append: 64,
            snapshot_every_entries: None,
            voters_initial: 0,
            joint_consensus: false,
            bugs: Bugs::default(),
        }
    }
}

/// Files written without the granularity stay readable by builds that do not know it.
fn is_zero(v: &Micros) -> bool {
    *v == 0
}

/// The same for runs that start with every server voting.
fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

impl RaftConfig {
    /// The voters a run of `nodes` servers starts with: `voters_initial` of them, or all.
    pub fn voters_at_start(&self, nodes: u32) -> u32 {
        match self.voters_initial {
            0 => nodes,
            v => v.min(nodes),
        }
    }

    /// The whole multiples of the granularity that lie within the election timeout range, as
    /// `(first, last)`; `None` when the granularity is 0 or no multiple fits.
    pub fn election_timeout_multiples_us(&self) -> Option<(Micros, Micros)> {
        let step = self.election_timeout_granularity_us;
        if step == 0 {
            return None;
        }
        let first = self
            .election_timeout_us_min
            .div_ceil(step)
            .checked_mul(step)?;
        let last = self.election_timeout_us_max / step * step;
        (first <= last).then_some((first, last))
    }

    /// One election timeout from `draw_us`, a uniform draw over `min..=max` microseconds:
    /// `draw_us` itself when the granularity is 0, else the nearest multiple of the granularity
    /// (halves round up, as `lround` does), kept within the multiples inside the range. When the
    /// range's ends are multiples, each inner multiple is as likely as any other and the two
    /// ends, which gather half an interval each, about half as likely, as in LogCabin. No
    /// further random number is drawn, so a run with the granularity at 0 is the same run as
    /// before the field existed. A granularity with no multiple in the range (which validation
    /// refuses) leaves `draw_us` as it is.
    pub fn election_timeout_from_draw_us(&self, draw_us: Micros) -> Micros {
        let step = self.election_timeout_granularity_us;
        match self.election_timeout_multiples_us() {
            None => draw_us,
            Some((first, last)) => {
                let round_up = draw_us % step >= step.div_ceil(2);
                let nearest = (draw_us / step + u64::from(round_up)).saturating_mul(step);
                nearest.clamp(first, last)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::raft::action::Action;
    use crate::sim::raft::settings::Settings;

    fn ranged(min_us: Micros, max_us: Micros, granularity_us: Micros) -> RaftConfig {
        RaftConfig {
            election_timeout_us_min: min_us,
            election_timeout_us_max: max_us,
            election_timeout_granularity_us: granularity_us,
            ..RaftConfig::default()
        }
    }

    #[test]
    fn granularity_zero_keeps_every_draw() {
        let r = RaftConfig::default();
        for draw in [150_000, 150_001, 222_222, 300_000] {
            assert_eq!(r.election_timeout_from_draw_us(draw), draw);
        }
    }

    /// LogCabin's `lround(min + u·(max − min))`: halves round up, and every result is a
    /// multiple within the range, even when the range's ends are not multiples.
    #[test]
    fn draws_round_to_the_nearest_multiple_within_the_range() {
        let r = ranged(150_000, 155_000, 1_000);
        let cases = [
            (150_000, 150_000),
            (150_499, 150_000),
            (150_500, 151_000),
            (152_501, 153_000),
            (154_499, 154_000),
            (154_500, 155_000),
            (155_000, 155_000),
        ];
        for (draw, expected) in cases {
            assert_eq!(r.election_timeout_from_draw_us(draw), expected, "{draw}");
        }
        let odd = ranged(150_400, 152_600, 1_000);
        assert_eq!(
            odd.election_timeout_multiples_us(),
            Some((151_000, 152_000))
        );
        for draw in 150_400..=152_600 {
            let t = odd.election_timeout_from_draw_us(draw);
            assert!(
                t.is_multiple_of(1_000) && (151_000..=152_000).contains(&t),
                "{draw} -> {t}"
            );
        }
        // An odd step: 1.5 rounds up, as lround does.
        let three = ranged(3, 9, 3);
        let rounded: Vec<Micros> = (3..=9)
            .map(|d| three.election_timeout_from_draw_us(d))
            .collect();
        assert_eq!(rounded, [3, 3, 6, 6, 6, 9, 9]);
    }

    #[test]
    fn validation_refuses_a_granularity_without_a_multiple_in_the_range() {
        let mut s = Settings::default();
        s.raft.election_timeout_granularity_us = 1_000;
        assert_eq!(s.validate(), Ok(()));
        // 150-155 ms has no multiple of 100 ms; 400 ms is above the whole range.
        for (min, max, granularity) in [(150_000, 155_000, 100_000), (150_000, 300_000, 400_000)] {
            s.raft = ranged(min, max, granularity);
            let e = s.validate().unwrap_err().english();
            assert!(e.contains("raft.election_timeout_granularity_us"), "{e}");
            let set = Action::SetRaft {
                raft: s.raft.clone(),
            };
            let e = set.validate(5).unwrap_err().english();
            assert!(e.contains("raft.election_timeout_granularity_us"), "{e}");
        }
    }
}
