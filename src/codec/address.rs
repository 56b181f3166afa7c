//! The page's address as a place in a run: which mode, which moment, which node and panel, and
//! the run itself (a [`share`] string). A teacher's link reproduces exactly what the class
//! sees; the page also keeps its last session in this form.
//!
//! Parameters come from the query (`?embed=1`) and the fragment (`#mode=replay&t=1500000&run=1.…`),
//! the fragment winning, so that links can change without reloading the page. Values are
//! plain tokens (letters, digits, `.`, `-`, `_`): anything else, an unknown mode or a time that
//! is not a number is an error that names the parameter. Unknown parameter names are ignored,
//! as hosts add their own (`utm_source`).
//!
//! The page interprets `mode`, `tab` and `lesson` (names it owns); this module only checks that
//! they are tokens.

#[cfg(feature = "mode-paxos")]
use crate::codec::paxos_link;
use crate::codec::paxos_link::PaxosLink;
#[cfg(feature = "mode-pb")]
use crate::codec::pb_link::{self, PbLink};
#[cfg(feature = "mode-retransmit")]
use crate::codec::retransmit_link;
use crate::codec::retransmit_link::RetransmitLink;
#[cfg(feature = "mode-ring")]
use crate::codec::ring_link;
use crate::codec::ring_link::RingRun;
use crate::codec::scenario::Scenario;
use crate::codec::share::{self, shorten};
#[cfg(feature = "mode-2pc")]
use crate::codec::twopc_link;
use crate::codec::twopc_link::TwoPcLink;
use crate::i18n::{Lang, Text};
use crate::sim::types::Micros;

/// The longest parameter value read; a share string of the largest allowed run fits.
const MAX_VALUE_CHARS: usize = 400_000;

/// What an address asks the page to show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Address {
    /// The run: settings, seed and timed actions.
    pub run: Option<Scenario>,
    /// The moment to show, in simulated microseconds; a link with a moment opens paused.
    pub t_us: Option<Micros>,
    pub mode: Option<String>,
    /// The selected node (1-based, as the page numbers them).
    pub node: Option<u32>,
    pub tab: Option<String>,
    pub lesson: Option<String>,
    /// The lesson step (1-based).
    pub step: Option<u32>,
    /// The lesson's revision the step number counts in (`lv=`); a link without one counts in
    /// revision 1, from before any step was added.
    pub lesson_revision: Option<u32>,
    /// Only the cluster and a minimal control bar, for an iframe in a docs page.
    pub embed: bool,
    /// Presentation mode: large type and high contrast for a projector.
    pub present: bool,
    /// The language of the page's text.
    pub lang: Option<Lang>,
    /// The Hash ring's run, when the learner has opened that mode.
    pub ring: Option<RingRun>,
    /// The retransmission run, when the learner has opened that mode (`rt=`).
    pub retransmit: Option<RetransmitLink>,
    /// The two-phase commit run, when the learner has opened that mode (`tp=`).
    pub twopc: Option<TwoPcLink>,
    /// The Paxos run, when the learner has opened that mode (`px=`).
    pub paxos: Option<PaxosLink>,
    /// The primary-backup run, when the learner has opened that mode (`pb=`). Only in builds
    /// with that mode: the default page's app would otherwise carry the code that compares,
    /// copies and prints its settings and actions.
    #[cfg(feature = "mode-pb")]
    pub pb: Option<PbLink>,
    /// Parameters this build does not read (the default page's bundle leaves out the Hash
    /// ring's and retransmission's runs), kept as written so that the page that reads them
    /// gets them unchanged.
    pub unread: Vec<(String, String)>,
}

impl Address {
    /// Reads `search` (with or without its `?`) and `fragment` (with or without its `#`).
    /// Returns what could be read and one message per parameter that could not: a bad
    /// parameter is left out, the others still apply.
    pub fn parse(search: &str, fragment: &str) -> (Address, Vec<Text>) {
        let mut address = Address::default();
        let mut errors = Vec::new();
        let pairs = search
            .trim_start_matches('?')
            .split('&')
            .chain(fragment.trim_start_matches('#').split('&'))
            .filter(|p| !p.is_empty());
        for pair in pairs {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if let Err(e) = address.set(name, value) {
                errors.push(e);
            }
        }
        (address, errors)
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), Text> {
        let known = matches!(
            name,
            "run"
                | "ring"
                | "rt"
                | "tp"
                | "px"
                | "pb"
                | "t"
                | "mode"
                | "node"
                | "tab"
                | "lesson"
                | "step"
                | "lv"
                | "embed"
                | "present"
                | "lang"
        );
        if !known {
            return Ok(());
        }
        if value.len() > MAX_VALUE_CHARS {
            return Err(Text::new("link.too_long")
                .with("name", name)
                .with("count", value.len()));
        }
        if !is_token(value) {
            return Err(Text::new("link.bad_characters").with("name", name));
        }
        // `what` is the key of what the value should be ("a node number").
        let number = |what: &'static str| -> Result<u64, Text> {
            value.parse::<u64>().map_err(|_| {
                Text::new("link.not_a_number")
                    .with("name", name)
                    .with_text("what", Text::new(what))
                    .with("value", shorten(value))
            })
        };
        match name {
            "run" => {
                let run = share::decode(value)
                    .map_err(|e| Text::new("link.unreadable_run").with_text("error", e))?;
                self.run = Some(run);
            }
            #[cfg(not(feature = "mode-ring"))]
            "ring" => self.unread.push((name.to_string(), value.to_string())),
            #[cfg(not(feature = "mode-retransmit"))]
            "rt" => self.unread.push((name.to_string(), value.to_string())),
            #[cfg(not(feature = "mode-2pc"))]
            "tp" => self.unread.push((name.to_string(), value.to_string())),
            #[cfg(not(feature = "mode-paxos"))]
            "px" => self.unread.push((name.to_string(), value.to_string())),
            #[cfg(not(feature = "mode-pb"))]
            "pb" => self.unread.push((name.to_string(), value.to_string())),
            #[cfg(feature = "mode-pb")]
            "pb" => {
                let run = pb_link::decode(value)
                    .map_err(|e| Text::new("link.unreadable_pb").with_text("error", e))?;
                self.pb = Some(run);
            }
            #[cfg(feature = "mode-paxos")]
            "px" => {
                let run = paxos_link::decode(value)
                    .map_err(|e| Text::new("link.unreadable_paxos").with_text("error", e))?;
                self.paxos = Some(run);
            }
            #[cfg(feature = "mode-2pc")]
            "tp" => {
                let run = twopc_link::decode(value)
                    .map_err(|e| Text::new("link.unreadable_2pc").with_text("error", e))?;
                self.twopc = Some(run);
            }
            #[cfg(feature = "mode-ring")]
            "ring" => {
                let ring = ring_link::decode(value)
                    .map_err(|e| Text::new("link.unreadable_ring").with_text("error", e))?;
                self.ring = Some(ring);
            }
            #[cfg(feature = "mode-retransmit")]
            "rt" => {
                let run = retransmit_link::decode(value)
                    .map_err(|e| Text::new("link.unreadable_retransmit").with_text("error", e))?;
                self.retransmit = Some(run);
            }
            "t" => self.t_us = Some(number("link.what.time")?),
            "node" => {
                let node = number("link.what.node")?;
                self.node = Some(
                    u32::try_from(node)
                        .map_err(|_| Text::new("link.bad_node").with("node", node))?,
                );
            }
            "step" => {
                let step = number("link.what.step")?;
                self.step = Some(
                    u32::try_from(step)
                        .map_err(|_| Text::new("link.bad_step").with("step", step))?,
                );
            }
            "lv" => {
                let revision = number("link.what.revision")?;
                // A revision beyond u32 is no revision a lesson has: it counts as the newest.
                self.lesson_revision = Some(u32::try_from(revision).unwrap_or(u32::MAX));
            }
            "embed" => self.embed = value != "0",
            "present" => self.present = value != "0",
            "mode" => self.mode = Some(value.to_string()),
            "tab" => self.tab = Some(value.to_string()),
            "lang" => {
                self.lang = Some(
                    Lang::from_id(value)
                        .ok_or_else(|| Text::new("link.bad_lang").with("lang", shorten(value)))?,
                )
            }
            _ => self.lesson = Some(value.to_string()),
        }
        Ok(())
    }

    /// The fragment (without `#`) that [`Address::parse`] reads back as this address. The run
    /// comes last: it is the long part, and everything before it stays readable.
    pub fn fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(mode) = &self.mode {
            parts.push(format!("mode={mode}"));
        }
        if let Some(lesson) = &self.lesson {
            parts.push(format!("lesson={lesson}"));
        }
        if let Some(step) = self.step {
            parts.push(format!("step={step}"));
        }
        if let Some(revision) = self.lesson_revision {
            parts.push(format!("lv={revision}"));
        }
        if let Some(lang) = self.lang {
            parts.push(format!("lang={}", lang.id()));
        }
        if let Some(t) = self.t_us {
            parts.push(format!("t={t}"));
        }
        if let Some(node) = self.node {
            parts.push(format!("node={node}"));
        }
        if let Some(tab) = &self.tab {
            parts.push(format!("tab={tab}"));
        }
        if self.embed {
            parts.push("embed=1".to_string());
        }
        if self.present {
            parts.push("present=1".to_string());
        }
        #[cfg(feature = "mode-ring")]
        if let Some(ring) = &self.ring {
            parts.push(format!("ring={}", ring_link::encode(ring)));
        }
        #[cfg(feature = "mode-retransmit")]
        if let Some(run) = &self.retransmit {
            parts.push(format!("rt={}", retransmit_link::encode(run)));
        }
        #[cfg(feature = "mode-2pc")]
        if let Some(run) = &self.twopc {
            parts.push(format!("tp={}", twopc_link::encode(run)));
        }
        #[cfg(feature = "mode-paxos")]
        if let Some(run) = &self.paxos {
            parts.push(format!("px={}", paxos_link::encode(run)));
        }
        #[cfg(feature = "mode-pb")]
        if let Some(run) = &self.pb {
            parts.push(format!("pb={}", pb_link::encode(run)));
        }
        for (name, value) in &self.unread {
            parts.push(format!("{name}={value}"));
        }
        if let Some(run) = &self.run {
            parts.push(format!("run={}", share::encode(run)));
        }
        parts.join("&")
    }
}

fn is_token(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    ))]
    use crate::sim::raft::action::{Action, TimedAction};
    #[cfg(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    ))]
    use crate::sim::raft::settings::Settings;
    #[cfg(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    ))]
    use crate::sim::types::NodeId;

    #[cfg(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    ))]
    fn scenario() -> Scenario {
        Scenario {
            settings: Settings {
                nodes: 3,
                seed: 77,
                ..Settings::default()
            },
            actions: vec![TimedAction {
                at_us: 1_500,
                action: Action::Crash {
                    node: NodeId(2),
                    mode: Default::default(),
                },
            }],
        }
    }

    /// The default page's build reads no Hash ring or retransmission run: it keeps them as
    /// written, so that the full page it opens for them gets them unchanged.
    #[cfg(not(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    )))]
    #[test]
    fn a_build_without_a_mode_keeps_its_run_as_written() {
        let (address, errors) = Address::parse(
            "?embed=1",
            "#mode=ring&ring=AbC-1_x&rt=q9&tp=Zz&px=Yy&pb=Ww",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let kept: Vec<&str> = address.unread.iter().map(|(n, _)| n.as_str()).collect();
        #[cfg(not(feature = "mode-ring"))]
        assert!(kept.contains(&"ring") && address.ring.is_none());
        #[cfg(not(feature = "mode-retransmit"))]
        assert!(kept.contains(&"rt") && address.retransmit.is_none());
        #[cfg(not(feature = "mode-2pc"))]
        assert!(kept.contains(&"tp") && address.twopc.is_none());
        #[cfg(not(feature = "mode-paxos"))]
        assert!(kept.contains(&"px") && address.paxos.is_none());
        #[cfg(not(feature = "mode-pb"))]
        assert!(kept.contains(&"pb"));
        let fragment = address.fragment();
        #[cfg(not(feature = "mode-ring"))]
        assert!(fragment.contains("ring=AbC-1_x"), "{fragment}");
        #[cfg(not(feature = "mode-retransmit"))]
        assert!(fragment.contains("rt=q9"), "{fragment}");
        #[cfg(not(feature = "mode-2pc"))]
        assert!(fragment.contains("tp=Zz"), "{fragment}");
        #[cfg(not(feature = "mode-paxos"))]
        assert!(fragment.contains("px=Yy"), "{fragment}");
        #[cfg(not(feature = "mode-pb"))]
        assert!(fragment.contains("pb=Ww"), "{fragment}");
        assert_eq!(Address::parse("", &fragment).0, address);
    }

    #[cfg(all(
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    ))]
    #[test]
    fn an_address_reads_back_what_it_wrote() {
        let address = Address {
            run: Some(scenario()),
            t_us: Some(2_000_000),
            mode: Some("replay".into()),
            node: Some(2),
            tab: Some("disks".into()),
            lesson: Some("raft-election".into()),
            step: Some(3),
            lesson_revision: Some(2),
            embed: true,
            present: true,
            lang: Some(Lang::Zh),
            ring: Some(RingRun {
                settings: crate::sim::ring::store::RingSettings::default(),
                skew: crate::sim::ring::Skew::Zipf,
                strategy: crate::sim::ring::Strategy::Jump,
                load_factor_milli: 1250,
                actions: vec![(
                    500_000,
                    crate::sim::ring::store::RingAction::Crash { node: NodeId(2) },
                )],
                now_us: 900_000,
            }),
            retransmit: Some(RetransmitLink {
                settings: Default::default(),
                actions: vec![crate::sim::engine::TimedAction {
                    at_us: 300_000,
                    action: crate::sim::retransmit::RetransmitAction::HandOver { node: NodeId(1) },
                }],
                now_us: 400_000,
            }),
            twopc: Some(TwoPcLink {
                settings: crate::sim::twopc::page_settings(),
                actions: vec![crate::sim::engine::TimedAction {
                    at_us: 100_000,
                    action: crate::sim::twopc::TwoPcAction::VoteNo { node: NodeId(3) },
                }],
                now_us: 200_000,
            }),
            paxos: Some(PaxosLink {
                settings: crate::sim::paxos::page_settings(crate::sim::paxos::Variant::Multi),
                actions: vec![crate::sim::engine::TimedAction {
                    at_us: 100_000,
                    action: crate::sim::paxos::PaxosAction::Propose { node: NodeId(2) },
                }],
                now_us: 300_000,
            }),
            pb: Some(PbLink {
                settings: crate::sim::pb::page::page_settings(crate::sim::pb::Replication::Warm),
                actions: vec![crate::sim::engine::TimedAction {
                    at_us: 100_000,
                    action: crate::sim::pb::page::crash_primary(),
                }],
                now_us: 400_000,
            }),
            unread: Vec::new(),
        };
        let (back, errors) = Address::parse("", &format!("#{}", address.fragment()));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, address);
    }

    #[test]
    fn query_and_fragment_both_count_and_the_fragment_wins() {
        let (a, errors) = Address::parse("?embed=1&mode=raft&utm_source=x", "#mode=replay");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(a.embed);
        assert_eq!(a.mode.as_deref(), Some("replay"));
    }

    #[test]
    fn each_bad_parameter_is_named_and_the_rest_still_apply() {
        let (a, errors) = Address::parse("", "#t=soon&node=2&run=1.%%%&tab=<script>&mode=raft");
        assert_eq!(a.node, Some(2));
        assert_eq!(a.mode.as_deref(), Some("raft"));
        assert_eq!(a.t_us, None);
        assert_eq!(a.run, None);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].english().contains("\"t\"") && errors[0].english().contains("soon"),
            "{:?}",
            errors[0]
        );
        assert!(errors[1].english().contains("\"run\""), "{:?}", errors[1]);
        assert!(errors[2].english().contains("\"tab\""), "{:?}", errors[2]);
    }

    #[test]
    fn the_language_is_read_and_an_unknown_one_is_named() {
        let (a, errors) = Address::parse("", "#lang=zh&mode=raft");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(a.lang, Some(Lang::Zh));
        assert!(a.fragment().contains("lang=zh"), "{}", a.fragment());
        let (a, errors) = Address::parse("", "#lang=fr&mode=raft");
        assert_eq!(a.lang, None);
        assert_eq!(a.mode.as_deref(), Some("raft"));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].english().contains("language") && errors[0].english().contains("fr"),
            "{:?}",
            errors[0]
        );
    }

    #[test]
    fn a_run_that_does_not_decode_says_why() {
        let (_, errors) = Address::parse("", "#run=1.AAAA");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .english()
                .starts_with("the link's run could not be read"),
            "{:?}",
            errors[0]
        );
        let (_, errors) = Address::parse("", "#run=9.AAAA");
        assert!(errors[0].english().contains("version 9"), "{:?}", errors[0]);
    }
}

#[cfg(test)]
mod wording {
    use super::*;
    use crate::i18n::Catalogue;

    /// Every error a hostile link can get is worded completely in both languages: no key left
    /// unlooked-up (the parser passes some keys as values), no placeholder left unfilled.
    #[test]
    fn every_link_error_is_worded_in_english_and_chinese() {
        let zh = Catalogue::parse(include_str!("../../static/i18n/zh.txt")).unwrap_or_default();
        let chinese = |key: &'static str| zh.get(key).unwrap_or(key);
        let hostile = [
            "#t=soon&node=99999999999&step=x&lv=two&lang=fr&tab=%3Cb%3E&run=1.____&ring=2.AAAA",
            "#run=1.AAAA&ring=1.%2A",
            &format!("#run={}", "A".repeat(MAX_VALUE_CHARS + 1)),
        ];
        let mut seen = 0;
        for fragment in hostile {
            let (_, errors) = Address::parse("", fragment);
            for e in errors {
                for words in [e.english(), e.words(&chinese)] {
                    seen += 1;
                    assert!(
                        !words.contains('{')
                            && !words.contains("link.")
                            && !words.contains("wire."),
                        "{words}"
                    );
                }
            }
        }
        assert!(seen >= 16, "only {seen} wordings checked");
    }
}
