//! The page's address and its autosave, in the browser: reads the address the page was opened
//! with ([`crate::codec::address`] parses it), writes the current run back as a share link, and
//! keeps the learner's last session in local storage so a reload loses nothing.

use crate::codec::address::Address;
use crate::codec::scenario::Scenario;
use crate::content::presets;
use crate::i18n::Text;
use crate::ui::i18n::{self, t};
#[cfg(feature = "mode-paxos")]
use crate::ui::modes::paxos::model::PaxosRun;
#[cfg(feature = "mode-pb")]
use crate::ui::modes::pb::model::PbRun;
#[cfg(feature = "mode-retransmit")]
use crate::ui::modes::retransmit::model::RetransmitRun;
#[cfg(feature = "mode-ring")]
use crate::ui::modes::ring::model::RingModel;
#[cfg(feature = "mode-2pc")]
use crate::ui::modes::twopc::model::TwoPcRun;
use crate::ui::modes::Mode;
use crate::ui::store::model::{Model, PendingLesson, Tab};

/// The address the page was opened with, and one message per parameter that could not be read.
pub fn page_address() -> (Address, Vec<Text>) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return (Address::default(), Vec::new());
    };
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    Address::parse(&search, &hash)
}

/// The model an address asks for: its run (from the start, then run or scrubbed to its
/// moment), mode, selected node and panel. What cannot be honoured is said in the notice;
/// the rest still applies. Without a run the page starts a fresh one, or the autosaved
/// session when there is one.
pub fn model_from(address: &Address, mut errors: Vec<Text>) -> Model {
    let (address, restored) = with_session(address);
    let mode = match address.mode.as_deref() {
        None => Mode::Raft,
        Some(id) => Mode::from_id(id).unwrap_or_else(|| {
            let known: Vec<&str> = Mode::ALL.iter().map(|m| m.id()).collect();
            errors.push(
                Text::new("link.bad_mode")
                    .with("mode", id)
                    .with("modes", known.join(", ")),
            );
            Mode::Raft
        }),
    };
    let mut model = match &address.run {
        Some(run) => Model::from_recording(mode, run.clone()).unwrap_or_else(|e| {
            errors.push(Text::new("link.bad_run").with_text("error", e));
            Model::for_mode(mode)
        }),
        None => Model::for_mode(mode),
    };
    model.present = address.present;
    if let Some(stem) = &address.lesson {
        let step = address.step.unwrap_or(1).max(1) as usize - 1;
        model.pending_lesson = Some(PendingLesson {
            stem: stem.clone(),
            step,
            revision: address.lesson_revision.unwrap_or(1),
            keep_run: address.run.is_some(),
        });
    }
    // A link's language wins over the learner's usual one.
    model.lang = address.lang.unwrap_or_else(i18n::preferred);
    if let Some(t) = address.t_us {
        model.seek_raft(t);
        model.playing = false;
    }
    #[cfg(feature = "mode-ring")]
    if let Some(ring) = address.ring.clone() {
        match RingModel::restore(ring, &crate::ui::shell::clock::wall_ms) {
            Ok(ring) => {
                model.ring = Some(ring);
                model.playing = false;
            }
            Err(e) => errors.push(Text::new("link.bad_ring").with("error", e)),
        }
    }
    #[cfg(feature = "mode-retransmit")]
    if let Some(run) = address.retransmit.clone() {
        match RetransmitRun::restore(run) {
            Ok(run) => {
                model.retransmit = Some(run);
                model.playing = false;
            }
            Err(e) => errors.push(Text::new("link.bad_retransmit").with_text("error", e)),
        }
    }
    #[cfg(feature = "mode-2pc")]
    if let Some(run) = address.twopc.clone() {
        match TwoPcRun::restore(run) {
            Ok(run) => {
                model.twopc = Some(run);
                model.playing = false;
            }
            Err(e) => errors.push(Text::new("link.bad_2pc").with_text("error", e)),
        }
    }
    #[cfg(feature = "mode-paxos")]
    if let Some(run) = address.paxos.clone() {
        match PaxosRun::restore(run) {
            Ok(run) => {
                model.paxos = Some(run);
                model.playing = false;
            }
            Err(e) => errors.push(Text::new("link.bad_paxos").with_text("error", e)),
        }
    }
    #[cfg(feature = "mode-pb")]
    if let Some(run) = address.pb.clone() {
        match PbRun::restore(run) {
            Ok(run) => {
                model.pb = Some(run);
                model.playing = false;
            }
            Err(e) => errors.push(Text::new("link.bad_pb").with_text("error", e)),
        }
    }
    if let Some(n) = address.node {
        if n >= 1 && n <= model.raft.sim().settings().nodes {
            model.selected = Some(crate::sim::types::NodeId(n));
        } else {
            errors.push(Text::new("link.bad_node").with("node", n));
        }
    }
    if let Some(id) = &address.tab {
        match Tab::ALL.iter().find(|t| t.id() == id) {
            Some(tab) => model.tab = *tab,
            None => errors.push(Text::new("link.bad_tab").with("tab", id)),
        }
    }
    if !errors.is_empty() {
        model.notice =
            Some(Text::new("link.partly_used").with_list("errors", errors, "link.error_separator"));
    } else if restored {
        model.notice = Some(Text::new("link.restored"));
    }
    model
}

/// `address`, or when it names no run the autosaved session (and whether it was that).
pub fn with_session(address: &Address) -> (Address, bool) {
    if address.run.is_some()
        || address.lesson.is_some()
        || address.ring.is_some()
        || address.retransmit.is_some()
        || address.twopc.is_some()
        || address.paxos.is_some()
        || pb_run(address)
    {
        return (address.clone(), false);
    }
    let Some(saved) = crate::ui::platform::load_session() else {
        return (address.clone(), false);
    };
    let (saved, saved_errors) = Address::parse("", &saved);
    if saved_errors.is_empty() && saved.run.is_some() {
        let address = Address {
            embed: address.embed,
            present: address.present || saved.present,
            ..saved
        };
        (address, true)
    } else {
        crate::ui::platform::clear_session();
        (address.clone(), false)
    }
}

/// Whether `address` holds a primary-backup run (never, in a build without that mode).
fn pb_run(_address: &Address) -> bool {
    #[cfg(feature = "mode-pb")]
    return _address.pb.is_some();
    #[cfg(not(feature = "mode-pb"))]
    false
}

/// Where the full page is, beside this one: it holds every mode and the lesson player, and
/// the default page (built without them to load fast) opens it for what it does not hold.
pub const FULL_PAGE_DIR: &str = "full/";

/// Whether this bundle can show everything `address` asks for. The full page can (it says
/// what is wrong with an address itself); the default page sends any mode but its own there,
/// an unknown one included, as the early redirect in index.html does.
pub fn in_bundle(address: &Address) -> bool {
    if cfg!(all(
        feature = "lessons",
        feature = "mode-ring",
        feature = "mode-retransmit",
        feature = "mode-2pc",
        feature = "mode-paxos",
        feature = "mode-pb"
    )) {
        return true;
    }
    let mode_here = address
        .mode
        .as_deref()
        .is_none_or(|id| Mode::from_id(id).is_some_and(Mode::in_bundle));
    mode_here && address.lesson.is_none() && address.unread.is_empty()
}

/// The full page at `address`, keeping this page's query (`?embed=1`).
pub fn full_page_url(address: &Address) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let base = page_base();
    let dir = &base[..base.rfind('/').map_or(0, |i| i + 1)];
    let search = location.search().unwrap_or_default();
    format!("{dir}{FULL_PAGE_DIR}{search}#{}", address.fragment())
}

/// A widget in a documentation page, as its element asks: `data-faultline` (a preset name),
/// `data-nodes`, `data-seed`.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetSpec {
    pub name: String,
    pub nodes: Option<String>,
    pub seed: Option<String>,
}

/// The model a widget asks for, embedded; what cannot be honoured is said in its notice and
/// the widget runs the default cluster instead.
pub fn model_for_widget(spec: &WidgetSpec) -> Model {
    let number = |what: &str, value: &Option<String>| -> Result<Option<u64>, Text> {
        value
            .as_deref()
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    Text::new("widget.not_a_number")
                        .with("attribute", format!("data-{what}"))
                        .with("value", crate::codec::share::shorten(v))
                })
            })
            .transpose()
    };
    if spec.name == Mode::Retransmit.id() && !Mode::Retransmit.in_bundle()
        || spec.name == Mode::TwoPc.id() && !Mode::TwoPc.in_bundle()
        || spec.name == Mode::Paxos.id() && !Mode::Paxos.in_bundle()
        || spec.name == Mode::PrimaryBackup.id() && !Mode::PrimaryBackup.in_bundle()
    {
        return not_in_bundle(spec);
    }
    #[cfg(feature = "mode-2pc")]
    if spec.name == Mode::TwoPc.id() {
        let mut model = Model::for_mode(Mode::TwoPc);
        match number("seed", &spec.seed).and_then(TwoPcRun::for_widget) {
            Ok(run) => model.twopc = Some(run),
            Err(e) => {
                model.notice = Some(Text::new("widget.default_cluster").with_text("error", e))
            }
        }
        model.embed = true;
        model.lang = i18n::browser_lang();
        return model;
    }
    #[cfg(feature = "mode-paxos")]
    if spec.name == Mode::Paxos.id() {
        let mut model = Model::for_mode(Mode::Paxos);
        match number("seed", &spec.seed).and_then(PaxosRun::for_widget) {
            Ok(run) => model.paxos = Some(run),
            Err(e) => {
                model.notice = Some(Text::new("widget.default_cluster").with_text("error", e))
            }
        }
        model.embed = true;
        model.lang = i18n::browser_lang();
        return model;
    }
    #[cfg(feature = "mode-pb")]
    if spec.name == Mode::PrimaryBackup.id() {
        let mut model = Model::for_mode(Mode::PrimaryBackup);
        match number("seed", &spec.seed).and_then(PbRun::for_widget) {
            Ok(run) => model.pb = Some(run),
            Err(e) => {
                model.notice = Some(Text::new("widget.default_cluster").with_text("error", e))
            }
        }
        model.embed = true;
        model.lang = i18n::browser_lang();
        return model;
    }
    #[cfg(feature = "mode-retransmit")]
    if spec.name == Mode::Retransmit.id() {
        let mut model = Model::for_mode(Mode::Retransmit);
        match number("seed", &spec.seed).and_then(RetransmitRun::for_widget) {
            Ok(run) => model.retransmit = Some(run),
            Err(e) => {
                model.notice = Some(Text::new("widget.default_cluster").with_text("error", e))
            }
        }
        model.embed = true;
        model.lang = i18n::browser_lang();
        return model;
    }
    let chosen = number("nodes", &spec.nodes).and_then(|nodes| {
        let nodes = nodes.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        let seed = number("seed", &spec.seed)?;
        presets::preset(&spec.name, nodes, seed)
    });
    let mut model = match chosen {
        #[cfg(feature = "mode-ring")]
        Ok(presets::Preset {
            ring: Some(store), ..
        }) => {
            let mut model = Model::for_mode(Mode::Ring);
            match RingModel::with_store(store) {
                Ok(ring) => model.ring = Some(ring),
                Err(e) => model.notice = Some(Text::new("widget.default_cluster").with("error", e)),
            }
            model
        }
        Ok(preset) if !Mode::from_id(preset.mode).is_none_or(Mode::in_bundle) => {
            return not_in_bundle(spec)
        }
        Ok(preset) => {
            let mode = Mode::from_id(preset.mode).unwrap_or(Mode::Raft);
            let run = Scenario {
                settings: mode.settings(&preset.run.settings),
                actions: preset.run.actions,
            };
            Model::from_recording(mode, run).unwrap_or_else(|e| {
                let mut model = Model::for_mode(mode);
                model.notice = Some(e);
                model
            })
        }
        Err(e) => {
            let mut model = Model::for_mode(Mode::Raft);
            model.notice = Some(Text::new("widget.default_cluster").with_text("error", e));
            model
        }
    };
    model.embed = true;
    model.lang = i18n::browser_lang();
    model
}

/// A widget of a mode this bundle does not hold (static/embed.js loads the full page's app for
/// those): the default cluster, and a notice that says so.
fn not_in_bundle(spec: &WidgetSpec) -> Model {
    let mut model = Model::for_mode(Mode::Raft);
    let error = Text::new("widget.not_in_bundle").with("name", &spec.name);
    model.notice = Some(Text::new("widget.default_cluster").with_text("error", error));
    model.embed = true;
    model.lang = i18n::browser_lang();
    model
}

/// The address of what the learner sees now: the run so far, the moment, mode, node, panel.
pub fn address_of(model: &Model) -> Address {
    let sim = model.raft.sim();
    Address {
        run: Some(Scenario {
            settings: sim.settings().clone(),
            actions: model.raft.history.actions().to_vec(),
        }),
        // The Raft run's moment; the Hash ring's travels in its own run.
        t_us: Some(model.raft.history.now_us()),
        #[cfg(feature = "mode-ring")]
        ring: model.ring.as_ref().map(RingModel::run),
        #[cfg(feature = "mode-retransmit")]
        retransmit: model.retransmit.as_ref().map(RetransmitRun::link),
        #[cfg(feature = "mode-2pc")]
        twopc: model.twopc.as_ref().map(TwoPcRun::link),
        #[cfg(feature = "mode-paxos")]
        paxos: model.paxos.as_ref().map(PaxosRun::link),
        #[cfg(feature = "mode-pb")]
        pb: model.pb.as_ref().map(PbRun::link),
        mode: Some(model.mode.id().to_string()),
        node: model.selected.map(|n| n.0),
        tab: Some(model.tab.id().to_string()),
        present: model.present,
        lesson: model.lesson.as_ref().map(|s| {
            let file = s.lesson.source.as_str();
            file.strip_suffix(".json").unwrap_or(file).to_string()
        }),
        step: model.lesson.as_ref().map(|s| s.step as u32 + 1),
        // Revision 1 is what a link without `lv` means: only later revisions are written.
        lesson_revision: model
            .lesson
            .as_ref()
            .map(|s| s.lesson.revision)
            .filter(|r| *r > 1),
        lang: Some(model.lang),
        ..Address::default()
    }
}

/// The full share link of `model`: this page (without its query) with the address as its
/// fragment.
pub fn share_url(model: &Model) -> String {
    format!("{}#{}", page_base(), address_of(model).fragment())
}

/// An iframe that shows `model`'s run embedded in another page, for docs pages.
pub fn embed_snippet(model: &Model) -> String {
    format!(
        "<iframe src=\"{}?embed=1#{}\" title=\"{}\" width=\"640\" height=\"480\" style=\"border:0\" loading=\"lazy\"></iframe>",
        page_base(),
        address_of(model).fragment(),
        t("share.iframe_title")
    )
}

fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .and_then(|href| href.split(['?', '#']).next().map(str::to_string))
        .unwrap_or_default()
}
