//! Component tests of the playground in headless Chromium: mount the app paused, click its
//! controls, let Yew's scheduler and one animation frame run, and read the DOM hooks of
//! docs/ui-hooks.md. Nothing sleeps: each wait is a microtask or an animation frame.

#![cfg(target_arch = "wasm32")]

use faultline::ui::{App, AppProps};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Resolves when a JS callback registered by `arm` runs.
struct Callback {
    done: Rc<RefCell<(bool, Option<Waker>)>>,
}

impl Future for Callback {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut d = self.done.borrow_mut();
        if d.0 {
            Poll::Ready(())
        } else {
            d.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

fn callback(arm: impl FnOnce(&js_sys::Function)) -> Callback {
    let done = Rc::new(RefCell::new((false, None::<Waker>)));
    let d = done.clone();
    let f = Closure::once_into_js(move || {
        let mut d = d.borrow_mut();
        d.0 = true;
        if let Some(w) = d.1.take() {
            w.wake();
        }
    });
    arm(f.unchecked_ref());
    Callback { done }
}

/// Lets Yew's scheduler (which runs in microtasks) finish its renders.
async fn flush() {
    // Yew may schedule its render as a task rather than a microtask: let microtasks run, then
    // one task queued behind whatever Yew queued, then microtasks again. Order, not time: a
    // slow machine delays these callbacks, it does not reorder them.
    for round in 0..2 {
        for _ in 0..3 {
            callback(|f| {
                web_sys::window().unwrap().queue_microtask(f);
            })
            .await;
        }
        if round == 0 {
            callback(|f| {
                let _ = web_sys::window()
                    .unwrap()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(f, 0);
            })
            .await;
        }
    }
}

/// Lets one animation frame run (the playground's wake-ups draw the clock), then renders.
async fn frame() {
    callback(|f| {
        let _ = web_sys::window().unwrap().request_animation_frame(f);
    })
    .await;
    flush().await;
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a paused playground in a fresh element and waits for its first render and frame.
async fn mount() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            settings: None,
            paused: true,
            ..AppProps::default()
        },
    )
    .render();
    flush().await;
    // The app asks for its first wake-up after rendering: two frames see it done.
    frame().await;
    frame().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

fn clock(root: &Element) -> String {
    one(root, "[data-testid=\"sim-time\"]")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mounts_five_nodes_with_roles_and_a_paused_clock() {
    let root = mount().await;
    let nodes = all(&root, "[data-node]");
    assert_eq!(nodes.len(), 5);
    for n in &nodes {
        let role = n.get_attribute("data-role").unwrap_or_default();
        assert!(
            ["follower", "candidate", "leader", "crashed"].contains(&role.as_str()),
            "role {role}"
        );
        assert!(n.get_attribute("data-term").is_some());
        assert!(n
            .get_attribute("aria-label")
            .is_some_and(|l| l.starts_with('S')));
    }
    assert_eq!(
        all(&root, "[data-action=\"play\"]").len(),
        1,
        "starts paused"
    );
    assert_eq!(clock(&root), "0.0000 s");
    let footer = one(&root, "[data-testid=\"version\"]")
        .text_content()
        .unwrap_or_default();
    assert!(footer.contains(faultline::VERSION));
    root.remove();
}

#[wasm_bindgen_test]
async fn play_toggles_to_pause_and_back() {
    let root = mount().await;
    click(&root, "[data-action=\"play\"]");
    flush().await;
    assert_eq!(all(&root, "[data-action=\"pause\"]").len(), 1);
    click(&root, "[data-action=\"pause\"]");
    flush().await;
    assert_eq!(all(&root, "[data-action=\"play\"]").len(), 1);
    root.remove();
}

#[wasm_bindgen_test]
async fn step_runs_one_event_and_moves_the_clock() {
    let root = mount().await;
    let before = clock(&root);
    // The first events are at time 0 (start-up); step until the clock moves.
    for _ in 0..50 {
        click(&root, "[data-action=\"step\"]");
        flush().await;
        frame().await;
        if clock(&root) != before {
            break;
        }
    }
    assert_ne!(clock(&root), before, "stepping never moved the clock");
    assert_eq!(
        all(&root, "[data-action=\"play\"]").len(),
        1,
        "step leaves the run paused"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn clicking_a_node_selects_it_and_crash_applies_to_it() {
    let root = mount().await;
    let node = one(&root, "[data-node=\"3\"]");
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    node.dispatch_event(&event).unwrap();
    flush().await;
    assert_eq!(
        one(&root, "[data-testid=\"target\"]")
            .get_attribute("data-target")
            .as_deref(),
        Some("3")
    );
    assert_eq!(node.get_attribute("aria-pressed").as_deref(), Some("true"));
    click(&root, "[data-action=\"crash\"]");
    flush().await;
    frame().await;
    assert_eq!(
        one(&root, "[data-node=\"3\"]")
            .get_attribute("data-role")
            .as_deref(),
        Some("crashed")
    );
    // The crashed node offers restart instead of crash.
    assert_eq!(all(&root, "[data-action=\"restart\"]").len(), 1);
    click(&root, "[data-action=\"restart\"]");
    flush().await;
    frame().await;
    assert_eq!(
        one(&root, "[data-node=\"3\"]")
            .get_attribute("data-role")
            .as_deref(),
        Some("follower")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn next_interesting_event_elects_a_leader_with_a_log_row_each() {
    let root = mount().await;
    for _ in 0..10 {
        if all(&root, "[data-role=\"leader\"]").len() == 1 {
            break;
        }
        click(&root, "[data-action=\"next\"]");
        flush().await;
        frame().await;
    }
    assert_eq!(
        all(&root, "[data-role=\"leader\"]").len(),
        1,
        "no leader after 10 interesting events"
    );
    assert_eq!(all(&root, "[data-log-row]").len(), 5);
    assert_eq!(all(&root, "[data-kv-node]").len(), 5);
    assert_eq!(
        one(&root, "[data-testid=\"safety\"]")
            .get_attribute("data-state")
            .as_deref(),
        Some("ok")
    );
    root.remove();
}

fn attr(root: &Element, selector: &str, name: &str) -> String {
    one(root, selector).get_attribute(name).unwrap_or_default()
}

/// The data-* hooks of the cluster and the clock: the run as the page shows it, without words.
fn run_hooks(root: &Element) -> String {
    let nodes: Vec<String> = all(root, "[data-node]")
        .iter()
        .map(|n| {
            ["data-node", "data-role", "data-term", "aria-pressed"]
                .iter()
                .map(|a| n.get_attribute(a).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    format!("{} {}", clock(root), nodes.join(" "))
}

fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

/// Hash ring mode, paused: the strategies table is computed a chunk per frame and finishes
/// without playing; a killed node is noticed down at the next interesting event, and the one
/// after it is full replication with no key lost.
#[wasm_bindgen_test]
async fn hash_ring_mode_computes_its_table_in_frames_and_rereplicates_a_killed_node() {
    let root = mount().await;
    click(&root, "[data-action=\"mode-ring\"]");
    flush().await;
    assert_eq!(all(&root, "[data-ring-node]").len(), 8);
    assert_eq!(
        all(&root, "[data-action=\"play\"]").len(),
        1,
        "still paused"
    );
    let table = "[data-testid=\"strategy-table\"]";
    for _ in 0..300 {
        if attr(&root, table, "data-state") == "done" {
            break;
        }
        frame().await;
    }
    assert_eq!(attr(&root, table, "data-state"), "done");
    assert_eq!(
        all(&root, "[data-testid=\"strategy-table\"] tr[data-moved]").len(),
        6
    );
    assert_eq!(
        attr(&root, "[data-testid=\"load-chart\"]", "data-state"),
        "done"
    );

    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    one(&root, "[data-ring-node=\"2\"]")
        .dispatch_event(&event)
        .unwrap();
    flush().await;
    assert_eq!(attr(&root, "[data-testid=\"target\"]", "data-target"), "2");
    click(&root, "[data-action=\"crash\"]");
    flush().await;
    let node = "[data-ring-node=\"2\"]";
    assert_eq!(attr(&root, node, "data-status"), "crashed");
    click(&root, "[data-action=\"next\"]");
    flush().await;
    assert_eq!(attr(&root, node, "data-status"), "down");
    let under: u32 = text(&root, "[data-testid=\"under-replicated\"]")
        .parse()
        .unwrap();
    assert!(under > 0, "the dead node's keys are short of a replica");
    click(&root, "[data-action=\"next\"]");
    flush().await;
    assert_eq!(text(&root, "[data-testid=\"under-replicated\"]"), "0");
    assert_eq!(text(&root, "[data-testid=\"lost-keys\"]"), "0");
    root.remove();
}

#[wasm_bindgen_test]
async fn retransmission_mode_draws_both_ends_and_crashes_the_receiver() {
    let root = mount().await;
    click(&root, "[data-action=\"mode-retransmit\"]");
    flush().await;
    assert_eq!(all(&root, "[data-testid=\"rt-sender\"]").len(), 1);
    assert_eq!(all(&root, "[data-testid=\"rt-receiver\"]").len(), 1);
    assert!(all(&root, "[data-testid=\"sender-window\"] [data-seq]").len() >= 8);
    assert_eq!(
        all(&root, "[data-action=\"play\"]").len(),
        1,
        "still paused"
    );
    // Crash the receiver: it is drawn down and offers a restart.
    click(&root, "[data-action=\"crash\"][data-node=\"2\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(&root, "[data-testid=\"rt-receiver\"]", "data-up"),
        "false"
    );
    click(&root, "[data-action=\"restart\"][data-node=\"2\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(&root, "[data-testid=\"rt-receiver\"]", "data-up"),
        "true"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn paxos_mode_chooses_a_value_and_crashes_an_acceptor() {
    let root = mount().await;
    click(&root, "[data-action=\"mode-paxos\"]");
    flush().await;
    assert_eq!(all(&root, "svg.px-stage [data-node]").len(), 5);
    assert_eq!(
        attr(&root, "[data-testid=\"px-slots\"]", "data-testid"),
        "px-slots"
    );
    // "Next »" runs to the first value learned: S1's, chosen by a majority of acceptors.
    click(&root, "[data-action=\"next\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(
            &root,
            "[data-testid=\"px-slots\"] tr[data-slot=\"1\"]",
            "data-chosen"
        ),
        "true"
    );
    assert!(text(&root, "[data-testid=\"px-chosen-value\"]").contains("S1"));
    // Crash an acceptor: it is drawn crashed and offers a restart.
    click(&root, "[data-action=\"crash\"][data-node=\"3\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(&root, "svg.px-stage [data-node=\"3\"]", "data-role"),
        "crashed"
    );
    click(&root, "[data-action=\"restart\"][data-node=\"3\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(&root, "svg.px-stage [data-node=\"3\"]", "data-role"),
        "acceptor"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn primary_backup_mode_fails_over_when_the_primary_crashes() {
    let root = mount().await;
    click(&root, "[data-action=\"mode-primary-backup\"]");
    flush().await;
    // The view service and three servers.
    assert_eq!(all(&root, "svg.pb-stage [data-node]").len(), 4);
    assert_eq!(
        attr(&root, "svg.pb-stage [data-node=\"1\"]", "data-role"),
        "view-service"
    );
    // "Next »" runs from one milestone to the next: the first view, its primary taking it up,
    // the backups taking its state, the acknowledgement, until the view has two backups and
    // its primary acknowledged it (a primary failing before that leaves the service stuck).
    let vs = "svg.pb-stage [data-node=\"1\"]";
    for _ in 0..20 {
        if all(&root, "svg.pb-stage [data-node][data-role=\"backup\"]").len() == 2
            && attr(&root, vs, "data-acked") == "true"
        {
            break;
        }
        click(&root, "[data-action=\"next\"]");
        flush().await;
    }
    frame().await;
    flush().await;
    assert_eq!(
        all(&root, "svg.pb-stage [data-node][data-role=\"primary\"]").len(),
        1
    );
    assert_eq!(attr(&root, vs, "data-acked"), "true");
    let old = attr(&root, "[data-testid=\"pb-target\"]", "data-target");
    click(&root, "[data-action=\"pb-crash-primary\"]");
    flush().await;
    frame().await;
    flush().await;
    assert_eq!(
        attr(
            &root,
            &format!("svg.pb-stage [data-node=\"{old}\"]"),
            "data-role"
        ),
        "down"
    );
    // The suspicion, then the new view with another primary.
    let story = "[data-testid=\"pb-failover\"]";
    for _ in 0..10 {
        if all(
            &root,
            &format!("{story}[data-new-primary]:not([data-new-primary=\"\"])"),
        )
        .len()
            == 1
        {
            break;
        }
        click(&root, "[data-action=\"next\"]");
        flush().await;
    }
    frame().await;
    flush().await;
    assert_eq!(attr(&root, story, "data-failure"), "crash");
    assert_eq!(attr(&root, story, "data-primary"), old);
    let promoted = attr(&root, story, "data-new-primary");
    assert!(
        !promoted.is_empty() && promoted != old,
        "promoted {promoted}"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_language_switch_rewords_every_component_and_keeps_the_run() {
    // The page fetches the Chinese catalogue; here it is installed directly.
    faultline::ui::i18n::install(include_str!("../static/i18n/zh.txt")).unwrap();
    let root = mount().await;
    for _ in 0..20 {
        click(&root, "[data-action=\"step\"]");
        flush().await;
    }
    frame().await;
    let run = run_hooks(&root);
    assert!(text(&root, "[data-action=\"play\"]").contains("Play"));

    click(&root, "[data-action=\"lang\"][data-lang=\"zh\"]");
    flush().await;
    frame().await;
    // Memoized components whose props did not change re-render too.
    assert!(text(&root, "[data-action=\"play\"]").contains("播放"));
    assert!(text(&root, "[data-testid=\"safety\"]").contains("安全检查"));
    assert!(text(&root, ".legend summary").contains("图例"));
    assert!(text(&root, "[data-tab=\"logs\"]").contains("日志"));
    assert!(text(&root, "[data-action=\"crash\"]").contains("崩溃"));
    assert_eq!(
        one(&root, "[data-testid=\"lang-switch\"]")
            .get_attribute("data-lang")
            .as_deref(),
        Some("zh")
    );
    assert_eq!(run_hooks(&root), run, "the same run, moment and selection");
    assert_eq!(
        all(&root, "[data-action=\"play\"]").len(),
        1,
        "still paused"
    );

    click(&root, "[data-action=\"lang\"][data-lang=\"en\"]");
    flush().await;
    frame().await;
    assert!(text(&root, "[data-action=\"play\"]").contains("Play"));
    assert!(text(&root, ".legend summary").contains("Legend"));
    assert_eq!(run_hooks(&root), run);
    root.remove();
}

/// Numbers on the page are written from integers (no float formatting in the bundle): every
/// requested decimal is written, rounding is to the nearest, and the sign survives.
#[wasm_bindgen_test]
fn decimals_are_written_without_float_formatting() {
    use faultline::ui::shell::geometry::{fixed, num};
    assert_eq!(fixed(26.2, 2), "26.20");
    assert_eq!(fixed(0.005, 2), "0.01");
    assert_eq!(fixed(99.994, 2), "99.99");
    assert_eq!(fixed(1.96, 1), "2.0");
    assert_eq!(fixed(-0.25, 1), "-0.3");
    assert_eq!(fixed(-0.01, 1), "0.0");
    assert_eq!(fixed(7.0, 0), "7");
    assert_eq!(num(4.0), "4");
    assert_eq!(num(0.1), "0.1");
}

#[wasm_bindgen_test]
fn the_reducer_names_its_effects_and_carries_out_none() {
    use faultline::ui::store::{effect::Effect, model::Model, msg::Msg, reduce::reduce};
    let address = || web_sys::window().and_then(|w| w.location().href().ok());
    let before = address();
    let mut model = Model::new(faultline::sim::Settings::default());
    let effects = reduce(&mut model, Msg::Share);
    match effects.as_slice() {
        [Effect::ShowInAddressBar(shown), Effect::Copy(copied)] => {
            assert_eq!(shown, copied);
            assert_eq!(model.share_url.as_deref(), Some(shown.as_str()));
        }
        other => panic!("Share asks to show and copy its link, not {other:?}"),
    }
    assert_eq!(
        address(),
        before,
        "the reducer itself touches no address bar"
    );
    // A change of the run is saved as the session, last.
    let effects = reduce(&mut model, Msg::SetNodes(3));
    let saved = faultline::ui::store::link::address_of(&model).fragment();
    assert_eq!(effects, [Effect::SaveSession(saved)]);
}
