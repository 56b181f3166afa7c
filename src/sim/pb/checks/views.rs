//! One Primary per View (6.824's view service hands each view number one primary, and a
//! server acts as a view's primary only if the service named it) and Primary Holds the View
//! (the lease rule: a server answers clients only while the service's current view, and every
//! view since the one it answers in, names it primary; Scales et al. 2010, section 2.3: the
//! split-brain primary must stop before another goes live).

use super::property::{Detail, Finding, Property};
use crate::sim::pb::note::{Note, Part};
use crate::sim::types::NodeId;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Views {
    /// Each view's primary, as the view service gave it.
    pub primary_of: BTreeMap<u64, Option<NodeId>>,
    /// The view the service holds now.
    pub current: u64,
}

impl Views {
    pub fn primary(&self, view: u64) -> Option<NodeId> {
        self.primary_of.get(&view).copied().flatten()
    }

    pub fn observe(&mut self, note: &Note) -> Option<Finding> {
        match note {
            Note::PbView { node, view } => {
                self.current = view.num;
                self.record(*node, view.num, view.primary)
            }
            Note::PbBoot {
                node,
                part: Part::ViewService,
                view: Some(view),
                ..
            } => {
                self.current = view.num;
                self.record(*node, view.num, view.primary)
            }
            Note::PbPrimary { node, view, .. } => {
                let named = self.primary(*view);
                (named != Some(*node)).then(|| Finding {
                    property: Property::OnePrimaryPerView,
                    nodes: vec![*node],
                    detail: Detail::NotNamed {
                        node: *node,
                        view: *view,
                        named,
                    },
                })
            }
            Note::PbServe { node, view, .. } => {
                let other = (*view..=self.current.max(*view))
                    .map(|v| self.primary(v))
                    .find(|p| *p != Some(*node));
                other.map(|other| Finding {
                    property: Property::PrimaryHoldsTheView,
                    nodes: vec![*node],
                    detail: Detail::Deposed {
                        node: *node,
                        view: *view,
                        current: self.current,
                        other,
                    },
                })
            }
            _ => None,
        }
    }

    fn record(&mut self, service: NodeId, num: u64, primary: Option<NodeId>) -> Option<Finding> {
        match self.primary_of.get(&num) {
            Some(first) if *first != primary => Some(Finding {
                property: Property::OnePrimaryPerView,
                nodes: vec![service],
                detail: Detail::TwoPrimaries {
                    view: num,
                    first: first.unwrap_or(service),
                    second: primary,
                },
            }),
            Some(_) => None,
            None => {
                self.primary_of.insert(num, primary);
                None
            }
        }
    }
}
