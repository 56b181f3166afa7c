//! One button and a line of text, with or without Faultline's simulation behind them.

use yew::prelude::*;

#[cfg(feature = "sim")]
mod run {
    use faultline::sim::history::History;
    use faultline::sim::settings::Settings;

    /// The app's whole simulation: a history with checkpoints over an engine that runs every
    /// safety check after every event.
    pub struct Run(Option<History>);

    impl Run {
        pub fn new() -> Run {
            Run(History::new(Settings::default()).ok())
        }

        /// Advances 100 ms of simulated time and says where the run is.
        pub fn step(&mut self) -> String {
            let Some(history) = self.0.as_mut() else {
                return String::new();
            };
            let until = history.now_us() + 100_000;
            history.advance(until);
            let sim = history.sim();
            format!(
                "t={} nodes={} violations={}",
                history.now_us(),
                sim.nodes().len(),
                sim.violations().len()
            )
        }
    }
}

#[cfg(not(feature = "sim"))]
mod run {
    /// A counter standing in for the simulation.
    pub struct Run(u64);

    impl Run {
        pub fn new() -> Run {
            Run(0)
        }

        pub fn step(&mut self) -> String {
            self.0 += 1;
            format!("t={}", self.0)
        }
    }
}

#[function_component(App)]
fn app() -> Html {
    let run = use_mut_ref(run::Run::new);
    let text = use_state(String::new);
    let onclick = {
        let text = text.clone();
        Callback::from(move |_| text.set(run.borrow_mut().step()))
    };
    html! { <div><button {onclick}>{ "step" }</button><p>{ (*text).clone() }</p></div> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
