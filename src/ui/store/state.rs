//! The app state Yew sees: the shared [`Model`] and the [`View`] last built from it. Every
//! change goes through a [`Msg`]: the pure reducer (`store::reduce`) changes the model and
//! names its effects, which are carried out here, and the view is rebuilt.

use crate::ui::store::model::Model;
use crate::ui::store::msg::Msg;
use crate::ui::store::reduce::reduce;
use crate::ui::store::view::View;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

pub struct AppState {
    pub model: Rc<RefCell<Model>>,
    pub view: Rc<View>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.view == other.view
    }
}

impl AppState {
    pub fn new(model: Model) -> AppState {
        let view = Rc::new(View::build(&model));
        AppState {
            model: Rc::new(RefCell::new(model)),
            view,
        }
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let effects;
        {
            let Ok(mut m) = self.model.try_borrow_mut() else {
                return self;
            };
            effects = reduce(&mut m, msg);
        }
        for effect in effects {
            crate::ui::platform::perform(effect);
        }
        let view = {
            let Ok(m) = self.model.try_borrow() else {
                return self;
            };
            View::build(&m)
        };
        if *self.view == view {
            return self;
        }
        Rc::new(AppState {
            model: self.model.clone(),
            view: Rc::new(view),
        })
    }
}
