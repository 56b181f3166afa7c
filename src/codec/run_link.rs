//! What the links of engine runs other than Raft's share (retransmission `rt=`, two-phase
//! commit `tp=`): the run's settings flattened to numbers, the moment shown, and the learner's
//! timed actions, in the compact, versioned form of [`crate::codec::share`]. Each protocol's
//! link module says how its settings become numbers and how its actions are written and read.
//!
//! Format: `<version>.` followed by unpadded base64url of every setting as (tag, value) pairs
//! ended by tag 0, the moment in microseconds, then the action count and each action as (time
//! since the previous action, the protocol's own fields). A reader skips nothing: an unknown
//! tag or action is an error that names it, and the settings are checked by the simulation
//! before the run is made.

use crate::codec::share::{
    base64url_decode, base64url_encode, read_numbered, versioned_body, write_numbered, Reader,
    Writer,
};
use crate::i18n::Text;
use crate::sim::engine::TimedAction;
use crate::sim::types::Micros;

/// Limits that keep a hostile link from costing memory or time.
const MAX_BYTES: usize = 64 * 1024;
const MAX_ACTIONS: u64 = 1_000;

/// A run as a link holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunLink<S, A> {
    pub settings: S,
    /// The learner's actions at their moments, in time order.
    pub actions: Vec<TimedAction<A>>,
    /// The moment shown.
    pub now_us: Micros,
}

/// How one protocol's runs are written into a link and read back.
pub(crate) struct LinkFormat<S, A> {
    pub version: u32,
    /// The settings as numbers, tag `i` for `[i]` (`[0]` unused).
    pub flat: fn(&S) -> Vec<u64>,
    pub settings: fn(&[u64]) -> S,
    /// The largest value each tag takes.
    pub max_value: fn(u64) -> u64,
    pub validate: fn(&S) -> Result<(), Text>,
    /// Writes an action and says whether it did: the actions a page makes travel, others
    /// (a fault search's) are left out.
    pub write_action: fn(&mut Writer, &A) -> bool,
    pub read_action: fn(&mut Reader) -> Result<A, Text>,
}

impl<S: Default, A> LinkFormat<S, A> {
    pub fn encode(&self, run: &RunLink<S, A>) -> String {
        let mut w = Writer::default();
        write_numbered(&mut w, &(self.flat)(&run.settings));
        w.varint(run.now_us);
        let mut actions = Writer::default();
        let (mut count, mut previous_us) = (0u64, 0);
        for a in &run.actions {
            let mut one = Writer::default();
            if (self.write_action)(&mut one, &a.action) {
                actions.varint(a.at_us.saturating_sub(previous_us));
                actions.bytes.extend_from_slice(&one.bytes);
                previous_us = previous_us.max(a.at_us);
                count += 1;
            }
        }
        w.varint(count);
        w.bytes.extend_from_slice(&actions.bytes);
        format!("{}.{}", self.version, base64url_encode(&w.bytes))
    }

    /// Reads a link string; the error says what is wrong with it.
    pub fn decode(&self, text: &str) -> Result<RunLink<S, A>, Text> {
        let body = versioned_body(text, self.version)?;
        if body.len() > MAX_BYTES * 4 / 3 + 4 {
            return Err(Text::new("error.link.too_long").with("count", body.len()));
        }
        let bytes = base64url_decode(body)?;
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        let mut values = (self.flat)(&S::default());
        read_numbered(&mut r, &mut values, self.max_value)?;
        let settings = (self.settings)(&values);
        (self.validate)(&settings)
            .map_err(|e| Text::new("error.link.settings").with_text("error", e))?;
        let now_us = r.varint(Text::new("wire.moment"))?;
        let actions: Vec<TimedAction<A>> = r
            .timed_actions(MAX_ACTIONS, self.read_action)?
            .into_iter()
            .map(|(at_us, action)| TimedAction { at_us, action })
            .collect();
        if actions.last().is_some_and(|a| a.at_us > now_us) {
            return Err(Text::new("error.link.action_after_moment"));
        }
        r.finished()?;
        Ok(RunLink {
            settings,
            actions,
            now_us,
        })
    }
}
