//! The moving layer and the clock, outside Yew's diffing.
//!
//! The simulation advances in wake-ups scheduled for the wall time of its next event (a
//! timer, or an animation frame when events are dense), to "now" = sim time + wall delta x
//! speed, with a bounded number of events per wake-up. Each message in flight is one small
//! element in a layer Yew does not own, moved from sender to receiver by a Web Animation
//! whose duration is its simulated flight time divided by the speed: the compositor moves
//! it, so the main thread only works when something happens. Election timers drain on a
//! canvas redrawn a few times a second. Yew re-renders only when what the static layers show
//! has changed. Paused or hidden, nothing is scheduled: no frame or timer keeps firing.

use crate::sim::types::MsgId;

use crate::ui::shell::clock::wall_ms;
use crate::ui::shell::geometry::VIEW;
use crate::ui::shell::mode::{Look, TimerRing, Trip};
use crate::ui::store::model::{Model, Tab};

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Animation, CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlInputElement,
};
use yew::{Callback, NodeRef};

/// While a panel that lists live details is open, Yew re-renders at most this often.
const LIVE_REFRESH_MS: f64 = 500.0;
/// The clock, the scrubber and the election timers are redrawn at most this often while
/// playing; the longest a wake-up waits.
const TICK_MS: f64 = 500.0;
/// Wake-ups while playing are at least this far apart: events due in between are handled
/// together (each message is still placed where its simulated time puts it), so the page
/// does one small DOM update a few times a second instead of one per event.
const WAKE_MIN_MS: f64 = 150.0;
/// With reduced motion, messages jump between quarter positions at most this often.
const REDUCED_MOTION_STEP_MS: f64 = 250.0;
/// New message elements made per wake-up at most (each costs an element and an animation).
const MAKE_PER_WAKE_MAX: usize = 24;
/// Wake-ups due sooner than this use the next animation frame instead of a timer.
const FRAME_MS: f64 = 12.0;

/// The elements the loop writes to.
#[derive(Clone, Default, PartialEq)]
pub struct Surfaces {
    pub canvas: NodeRef,
    pub layer: NodeRef,
    pub clock: NodeRef,
    pub scrubber: NodeRef,
    pub horizon: NodeRef,
}

/// One drawn message: one delivery of one flight.
struct Shown {
    el: HtmlElement,
    anim: Option<Animation>,
    sent_us: u64,
    deliver_us: u64,
    from: (f64, f64),
    to: (f64, f64),
}

#[derive(Default)]
struct LoopState {
    last_wall: Option<f64>,
    last_refresh: f64,
    last_trace_len: usize,
    last_tick: f64,
    key: Vec<u64>,
    scratch: Vec<u64>,
    shown: BTreeMap<(MsgId, u8), Shown>,
    /// What the shown animations were made for; any change rebuilds them.
    made_for: (u32, i32, bool, u32, crate::ui::i18n::Lang),
    last_now: u64,
    last_selected: Option<MsgId>,
    ctx: Option<CanvasRenderingContext2d>,
    rings: Vec<TimerRing>,
}

/// The wake-up scheduled, held only for its handle: dropping it cancels the wake-up.
enum Wake {
    Frame {
        _handle: gloo_render::AnimationFrame,
    },
    Timer {
        _handle: gloo_timers::callback::Timeout,
    },
}

pub struct Animator {
    model: Rc<RefCell<Model>>,
    refresh: Callback<()>,
    surfaces: Surfaces,
    state: RefCell<LoopState>,
    scheduled: RefCell<Option<Wake>>,
    /// The wake-up running now (see `wake`).
    fired: RefCell<Option<Wake>>,
    /// Itself, for the callbacks of the wake-ups it schedules.
    this: RefCell<std::rc::Weak<Animator>>,
    reduced_motion: bool,
    wakeups: Cell<u64>,
    /// The stage's width in CSS pixels, read once after each resize (reading it every
    /// wake-up would force a layout each time).
    size_px: Cell<f64>,
    /// An embedded widget scrolled out of view sleeps like a hidden tab.
    offscreen: Cell<bool>,
}

impl Animator {
    pub fn new(
        model: Rc<RefCell<Model>>,
        refresh: Callback<()>,
        surfaces: Surfaces,
    ) -> Rc<Animator> {
        let reduced_motion = web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|q| q.matches());
        let animator = Rc::new(Animator {
            model,
            refresh,
            surfaces,
            state: RefCell::new(LoopState::default()),
            scheduled: RefCell::new(None),
            fired: RefCell::new(None),
            this: RefCell::new(std::rc::Weak::new()),
            reduced_motion,
            wakeups: Cell::new(0),
            size_px: Cell::new(0.0),
            offscreen: Cell::new(false),
        });
        *animator.this.borrow_mut() = Rc::downgrade(&animator);
        animator
    }

    /// Wake-ups so far (the component tests read it).
    pub fn wakeups(&self) -> u64 {
        self.wakeups.get()
    }

    /// Whether a wake-up is scheduled: false once paused, which is what "no CPU" means.
    pub fn is_scheduled(&self) -> bool {
        self.scheduled.borrow().is_some()
    }

    /// Schedules a wake-up on the next animation frame (sooner than any pending timer).
    pub fn request(&self) {
        self.schedule(0.0);
    }

    /// The window was resized: measure the stage again and re-place the messages.
    pub fn resized(&self) {
        self.size_px.set(0.0);
        self.request();
    }

    fn stage_size(&self) -> f64 {
        let mut size = self.size_px.get();
        if size <= 0.0 {
            size = self
                .surfaces
                .layer
                .cast::<HtmlElement>()
                .map_or(0.0, |l| l.client_width() as f64);
            self.size_px.set(size);
        }
        size.max(1.0)
    }

    /// The tab became visible again: forget the wall time that passed while hidden.
    pub fn resume(&self) {
        self.state.borrow_mut().last_wall = None;
        self.request();
    }

    /// An embedded widget left or entered the viewport: out of view it sleeps (nothing is
    /// scheduled); back in view it resumes as a tab that became visible.
    pub fn set_offscreen(&self, offscreen: bool) {
        let was = self.offscreen.replace(offscreen);
        if was && !offscreen {
            self.resume();
        }
    }

    fn schedule(&self, delay_ms: f64) {
        let soon = delay_ms < FRAME_MS;
        match &*self.scheduled.borrow() {
            Some(Wake::Frame { .. }) => return,
            // A pending timer stands unless a frame is wanted sooner.
            Some(Wake::Timer { .. }) if !soon => return,
            _ => {}
        }
        let weak = self.this.borrow().clone();
        let wake = if soon {
            Wake::Frame {
                _handle: gloo_render::request_animation_frame(move |_| {
                    if let Some(a) = weak.upgrade() {
                        a.wake();
                    }
                }),
            }
        } else {
            Wake::Timer {
                _handle: gloo_timers::callback::Timeout::new(delay_ms as u32, move || {
                    if let Some(a) = weak.upgrade() {
                        a.wake();
                    }
                }),
            }
        };
        // Replacing a pending timer drops it, which cancels it.
        *self.scheduled.borrow_mut() = Some(wake);
    }

    fn hidden() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden())
    }

    fn wake(&self) {
        // The wake-up that fired is running its own callback: its handle is kept until the
        // next wake-up, so that its closure is not freed while it runs.
        let fired = self.scheduled.borrow_mut().take();
        *self.fired.borrow_mut() = fired;
        self.wakeups.set(self.wakeups.get() + 1);
        let now_wall = wall_ms();
        let hidden = Self::hidden() || self.offscreen.get();
        let (next_delay, refresh) = {
            let Ok(mut m) = self.model.try_borrow_mut() else {
                // The model is busy (a Yew update is running): try again next frame.
                self.request();
                return;
            };
            let mut st = self.state.borrow_mut();
            let playing = m.playing && !hidden;
            if playing {
                let wall = st
                    .last_wall
                    .map_or(0.0, |last| (now_wall - last).clamp(0.0, 250.0));
                m.advance_wall(wall);
                st.last_wall = Some(now_wall);
            } else {
                st.last_wall = None;
            }
            // Background work (Hash ring mode's strategies table) is done a slice per wake-up,
            // paused or not: finite work, and no wake-up is scheduled once it is done.
            let more_work = m.run_mut().work(&wall_ms, now_wall);
            let tick = !playing || now_wall - st.last_tick >= TICK_MS;
            self.sync_messages(&m, &mut st, playing, tick);
            if tick {
                st.last_tick = now_wall;
                self.draw_clock(&m);
                self.draw_timers(&m, &mut st);
            }

            let run = m.run();
            let LoopState { key, scratch, .. } = &mut *st;
            run.static_key(scratch);
            let mut refresh = scratch != key;
            if refresh {
                std::mem::swap(key, scratch);
            }
            let live = matches!(
                m.tab,
                Tab::Events | Tab::Diagram | Tab::Messages | Tab::Node | Tab::Disks
            ) || m.selected_msg.is_some();
            let trace_len = run.trace_len();
            if live
                && trace_len != st.last_trace_len
                && (!playing || now_wall - st.last_refresh >= LIVE_REFRESH_MS)
            {
                refresh = true;
            }
            if refresh {
                st.last_refresh = now_wall;
                st.last_trace_len = trace_len;
            }
            let next_delay = playing
                .then(|| {
                    let event = m.next_event_wall_ms().unwrap_or(TICK_MS).max(WAKE_MIN_MS);
                    let step = if self.reduced_motion {
                        REDUCED_MOTION_STEP_MS
                    } else {
                        TICK_MS
                    };
                    event.min(step)
                })
                .or(more_work.then_some(0.0))
                .map(|delay| if more_work { 0.0 } else { delay });
            (next_delay, refresh)
        };
        if refresh {
            self.refresh.emit(());
        }
        if let Some(delay) = next_delay {
            self.schedule(delay);
        }
    }

    fn draw_clock(&self, m: &Model) {
        let now = m.now_us();
        if let Some(clock) = self.surfaces.clock.cast::<HtmlElement>() {
            clock.set_text_content(Some(&crate::ui::shell::format::time(now)));
        }
        let horizon = m.horizon_us();
        if let Some(scrub) = self.surfaces.scrubber.cast::<HtmlInputElement>() {
            scrub.set_max(&format!("{}", horizon / 1000));
            scrub.set_value_as_number(now as f64 / 1000.0);
            let _ = scrub.set_attribute("aria-valuetext", &crate::ui::shell::format::time(now));
        }
        if let Some(h) = self.surfaces.horizon.cast::<HtmlElement>() {
            h.set_text_content(Some(&crate::ui::shell::format::time(horizon)));
        }
    }

    /// The run's timers: a ring around a node that drains as the timer runs out.
    fn draw_timers(&self, m: &Model, st: &mut LoopState) {
        let Some(canvas) = self.surfaces.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let css = self.stage_size();
        let dpr = web_sys::window()
            .map_or(1.0, |w| w.device_pixel_ratio())
            .clamp(1.0, 3.0);
        let px = (css * dpr).round() as u32;
        if canvas.width() != px || canvas.height() != px {
            canvas.set_width(px);
            canvas.set_height(px);
            st.ctx = None;
        }
        if st.ctx.is_none() {
            st.ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok());
        }
        let Some(ctx) = st.ctx.as_ref() else {
            return;
        };
        let run = m.run();
        run.timer_rings(run.now_us(), &mut st.rings);
        let scale = px as f64 / VIEW;
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, px as f64, px as f64);
        let _ = ctx.set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0);
        let tau = std::f64::consts::TAU;
        ctx.set_line_width(4.0);
        ctx.set_line_cap("round");
        for ring in &st.rings {
            let (x, y) = ring.center;
            ctx.set_stroke_style_str(if ring.left < 0.25 {
                "#d9480f"
            } else {
                "#8a94a6"
            });
            ctx.begin_path();
            let start = -tau / 4.0;
            let _ = ctx.arc(x, y, ring.radius, start, start + tau * ring.left);
            ctx.stroke();
        }
    }

    /// Adds an element for each new delivery in flight, removes delivered ones, and when the
    /// speed, the size, the play state or the moment jumped, re-times all of them.
    fn sync_messages(&self, m: &Model, st: &mut LoopState, playing: bool, tick: bool) {
        let Some(layer) = self.surfaces.layer.cast::<HtmlElement>() else {
            return;
        };
        let run = m.run();
        let now = run.now_us();
        let size = self.stage_size();
        let mut trips = Vec::new();
        let layout = run.trips(now, &mut trips);
        // The language too: a message's label is in the language it was made in.
        let made_for = (
            size as u32,
            m.speed_step,
            playing,
            layout,
            crate::ui::i18n::shown(),
        );
        let jumped = now < st.last_now || !playing;
        if made_for != st.made_for {
            for (_, s) in std::mem::take(&mut st.shown) {
                s.el.remove();
            }
            st.made_for = made_for;
        }
        st.last_now = now;
        let speed = m.speed();
        let px = size / VIEW;

        // Remove what is no longer in flight.
        let mut live: Vec<(MsgId, u8)> = trips.iter().map(|t| t.key).collect();
        live.sort_unstable();
        // A delivered message's animation has ended and left it invisible (its resting style
        // is transparent), so while playing it is removed at the next tick, batched, instead
        // of costing a page update of its own.
        let keep_finished = playing && !jumped && !tick;
        st.shown.retain(|key, s| {
            let keep = live.binary_search(key).is_ok() || keep_finished && s.anim.is_some();
            if !keep {
                s.el.remove();
            }
            keep
        });

        // While playing, a burst (a membership change plans dozens of transfers at once) is
        // spread over wake-ups, each element starting at the progress its times give. Paused
        // or after a jump there is no next wake-up to finish it: everything is made at once.
        let make_max = if playing && !jumped {
            MAKE_PER_WAKE_MAX
        } else {
            usize::MAX
        };
        let mut made = 0;
        for trip in &trips {
            match st.shown.entry(trip.key) {
                std::collections::btree_map::Entry::Vacant(_) if made == make_max => continue,
                std::collections::btree_map::Entry::Vacant(slot) => {
                    made += 1;
                    let selected = m.selected_msg == Some(trip.key.0);
                    let Some(look) = run.look(trip.key) else {
                        continue;
                    };
                    if let Some(s) = self.make(&layer, trip, look, px, speed, selected) {
                        slot.insert(s);
                    }
                }
                std::collections::btree_map::Entry::Occupied(_) if !jumped => continue,
                std::collections::btree_map::Entry::Occupied(_) => {}
            }
            let Some(s) = st.shown.get(&trip.key) else {
                continue;
            };
            let span = s.deliver_us.saturating_sub(s.sent_us).max(1) as f64;
            // Negative while a transfer waits behind others on its sender's link: the
            // animation has not started and the element stays invisible.
            let elapsed = (now as f64 - s.sent_us as f64).min(span);
            match &s.anim {
                Some(a) => {
                    // Play or pause first: play() on an animation before its start rewinds
                    // it to 0, which would launch a queued transfer at once.
                    if playing {
                        let _ = a.play();
                    } else {
                        let _ = a.pause();
                    }
                    a.set_current_time(Some(elapsed / 1000.0 / speed));
                }
                None => {
                    let p = (elapsed / span * 4.0).floor().max(0.0) / 4.0;
                    let x = s.from.0 + (s.to.0 - s.from.0) * p;
                    let y = s.from.1 + (s.to.1 - s.from.1) * p;
                    let _ = s.el.style().set_property("transform", &translate(x, y));
                }
            }
        }
        if st.last_selected != m.selected_msg {
            for ((id, _), s) in &st.shown {
                let _ =
                    s.el.class_list()
                        .toggle_with_force("selected", m.selected_msg == Some(*id));
            }
            st.last_selected = m.selected_msg;
        }
    }

    /// Creates the element of one delivery and its animation (none with reduced motion).
    fn make(
        &self,
        layer: &Element,
        trip: &Trip,
        look: Look,
        px: f64,
        speed: f64,
        selected: bool,
    ) -> Option<Shown> {
        let from = (trip.from.0 * px, trip.from.1 * px);
        let to = (trip.to.0 * px, trip.to.1 * px);
        let document = layer.owner_document()?;
        let el: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
        let Look {
            class,
            letter,
            words,
            type_name,
        } = look;
        el.set_class_name(&format!(
            "msg {class}{}",
            if selected { " selected" } else { "" }
        ));
        el.set_text_content(Some(letter));
        let _ = el.set_attribute("role", "img");
        let _ = el.set_attribute("aria-label", &words);
        let _ = el.set_attribute("title", &words);
        let _ = el.set_attribute("data-msg", &trip.key.0 .0.to_string());
        let _ = el.set_attribute("data-type", type_name);
        // At rest (after its animation ends) it sits invisible at the receiver; with reduced
        // motion it has no animation and is always visible.
        let _ = el.style().set_property("transform", &translate(to.0, to.1));
        if !self.reduced_motion {
            let _ = el.style().set_property("opacity", "0");
        }
        let _ = layer.append_child(&el);
        let anim = (!self.reduced_motion).then(|| {
            // Travel from sender to receiver, then vanish on arrival; `fill: forwards` keeps
            // the last frame, so that finishing needs no page update of its own.
            let frame = |x: f64, y: f64, opacity: f64, offset: f64| {
                let k = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&k, &"transform".into(), &translate(x, y).into());
                let _ = js_sys::Reflect::set(&k, &"opacity".into(), &JsValue::from_f64(opacity));
                let _ = js_sys::Reflect::set(&k, &"offset".into(), &JsValue::from_f64(offset));
                k
            };
            let keyframes: js_sys::Object = js_sys::Array::of3(
                &frame(from.0, from.1, 1.0, 0.0),
                &frame(to.0, to.1, 1.0, 0.999),
                &frame(to.0, to.1, 0.0, 1.0),
            )
            .into();
            let options = js_sys::Object::new();
            let duration =
                trip.deliver_us.saturating_sub(trip.sent_us).max(1) as f64 / 1000.0 / speed;
            let _ =
                js_sys::Reflect::set(&options, &"duration".into(), &JsValue::from_f64(duration));
            let _ = js_sys::Reflect::set(&options, &"fill".into(), &"forwards".into());
            el.unchecked_ref::<Animatable>()
                .animate_with(&keyframes, &options)
        });
        Some(Shown {
            el,
            anim,
            sent_us: trip.sent_us,
            deliver_us: trip.deliver_us,
            from,
            to,
        })
    }
}

#[wasm_bindgen]
extern "C" {
    /// An element, for `Element.animate(keyframes, options)`, which web-sys has only behind
    /// its unstable APIs.
    #[wasm_bindgen(extends = Element)]
    type Animatable;
    #[wasm_bindgen(method, js_name = animate)]
    fn animate_with(
        this: &Animatable,
        keyframes: &js_sys::Object,
        options: &js_sys::Object,
    ) -> Animation;
}

fn translate(x: f64, y: f64) -> String {
    format!("translate({}px,{}px)", x.round() as i64, y.round() as i64)
}
