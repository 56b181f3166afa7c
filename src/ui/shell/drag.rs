//! Dragging nodes to partition the cluster: drop a node on another and it joins that node's
//! side; drop it on empty space and it stands alone (`Msg::DropNode`). Works with a mouse, a
//! pen or a finger (pointer events); the keyboard has the presets and the Network panel.
//!
//! While dragging, a dashed line follows the pointer. It is an element Yew does not own, moved
//! directly, so a drag costs no re-render; a press that does not move is a click (select).

use crate::sim::types::NodeId;
use crate::ui::shell::geometry::{node_center, num, VIEW};
use crate::ui::store::msg::Msg;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// How far (in CSS pixels) a press must move to be a drag rather than a click.
const DRAG_THRESHOLD_PX: f64 = 6.0;

#[derive(Clone, Copy)]
struct Press {
    node: NodeId,
    x: f64,
    y: f64,
    dragging: bool,
}

/// The stage's pointer handlers and the drag line, from [`use_node_drag`].
pub struct NodeDrag {
    pub onpointerdown: Callback<PointerEvent>,
    pub onpointermove: Callback<PointerEvent>,
    pub onpointerup: Callback<PointerEvent>,
    pub onpointercancel: Callback<PointerEvent>,
    /// The `<svg>` holding the drag line, laid over the stage.
    pub overlay: NodeRef,
    /// Set when a drag just ended: the click that follows must not select.
    pub swallow_click: Rc<Cell<bool>>,
}

fn node_of(target: Option<Element>) -> Option<NodeId> {
    target?
        .closest("[data-node]")
        .ok()??
        .get_attribute("data-node")?
        .parse::<u32>()
        .ok()
        .map(NodeId)
}

/// The element under the pointer, looked up in the stage's own tree (a widget lives in a
/// shadow root, where the document would only see the host element).
fn element_at(stage: &Element, x: f64, y: f64) -> Option<Element> {
    let root = stage.get_root_node();
    if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        return shadow.element_from_point(x as f32, y as f32);
    }
    web_sys::window()?
        .document()?
        .element_from_point(x as f32, y as f32)
}

/// Where a pointer is in the stage's 400 x 400 view box.
fn in_view_box(stage: &Element, x: f64, y: f64) -> (f64, f64) {
    let r = stage.get_bounding_client_rect();
    let scale = VIEW / r.width().max(1.0);
    ((x - r.left()) * scale, (y - r.top()) * scale)
}

#[hook]
pub fn use_node_drag(on_msg: Callback<Msg>, node_count: u32) -> NodeDrag {
    let press = use_mut_ref(|| None::<Press>);
    let overlay = use_node_ref();
    let swallow_click = use_memo((), |_| Rc::new(Cell::new(false)));
    let swallow_click: Rc<Cell<bool>> = (*swallow_click).clone();

    let line = {
        let overlay = overlay.clone();
        move || {
            overlay
                .cast::<Element>()
                .and_then(|svg| svg.query_selector("line").ok().flatten())
        }
    };
    let stage_of =
        |e: &PointerEvent| -> Option<Element> { e.current_target()?.dyn_into::<Element>().ok() };

    let onpointerdown = {
        let press = press.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
            if let Some(node) = node_of(target) {
                *press.borrow_mut() = Some(Press {
                    node,
                    x: e.client_x() as f64,
                    y: e.client_y() as f64,
                    dragging: false,
                });
            }
        })
    };
    let onpointermove = {
        let press = press.clone();
        let line = line.clone();
        Callback::from(move |e: PointerEvent| {
            let mut p = press.borrow_mut();
            let Some(p) = p.as_mut() else {
                return;
            };
            let (x, y) = (e.client_x() as f64, e.client_y() as f64);
            if !p.dragging && crate::ui::shell::math::hypot(x - p.x, y - p.y) < DRAG_THRESHOLD_PX {
                return;
            }
            p.dragging = true;
            e.prevent_default();
            let (Some(stage), Some(line)) = (stage_of(&e), line()) else {
                return;
            };
            let (fx, fy) = node_center(p.node.slot(), node_count);
            let (tx, ty) = in_view_box(&stage, x, y);
            for (name, value) in [("x1", fx), ("y1", fy), ("x2", tx), ("y2", ty)] {
                let _ = line.set_attribute(name, &num(value));
            }
            let _ = line.set_attribute("visibility", "visible");
        })
    };
    let finish = {
        let press = press.clone();
        let line = line.clone();
        move || {
            if let Some(line) = line() {
                let _ = line.set_attribute("visibility", "hidden");
            }
            press.borrow_mut().take()
        }
    };
    let onpointerup = {
        let finish = finish.clone();
        let swallow_click = swallow_click.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(p) = finish() else {
                return;
            };
            if !p.dragging {
                return;
            }
            swallow_click.set(true);
            let onto = stage_of(&e)
                .and_then(|stage| element_at(&stage, e.client_x() as f64, e.client_y() as f64))
                .and_then(|el| node_of(Some(el)));
            on_msg.emit(Msg::DropNode { node: p.node, onto });
        })
    };
    let onpointercancel = Callback::from(move |_: PointerEvent| {
        finish();
    });
    NodeDrag {
        onpointerdown,
        onpointermove,
        onpointerup,
        onpointercancel,
        overlay,
        swallow_click,
    }
}
