//! What every symbol means: node roles (colour, shape and word) and message types. Static
//! markup, so it ships as one string rather than as rendering code.

use yew::prelude::*;

const LEGEND: &str = concat!(
    r#"<details class="legend" open><summary>Legend</summary><ul class="roles">"#,
    r#"<li><svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle class="lg-follower" cx="10" cy="10" r="7"/></svg>follower</li>"#,
    r#"<li><svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle class="lg-candidate-ring" cx="10" cy="10" r="9"/><circle class="lg-candidate" cx="10" cy="10" r="6"/></svg>candidate (dashed ring)</li>"#,
    r#"<li><svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle class="lg-leader-ring" cx="10" cy="10" r="9"/><circle class="lg-leader" cx="10" cy="10" r="6"/></svg>leader (♛ crown, halo)</li>"#,
    r#"<li><svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle class="lg-crashed" cx="10" cy="10" r="7"/><path class="lg-cross" d="M6 6 L14 14 M6 14 L14 6"/></svg>crashed (✕)</li>"#,
    r#"<li><svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><path class="lg-timer" d="M10 2 A8 8 0 1 1 2 10"/></svg>election timer (drains)</li>"#,
    r#"<li>T3 = term 3</li></ul><ul class="msgs">"#,
    r#"<li><span class="msg static vote" aria-hidden="true">V</span>RequestVote (P: PreVote)</li>"#,
    r#"<li><span class="msg static vote-reply ok" aria-hidden="true">✓</span><span class="msg static vote-reply fail" aria-hidden="true">✗</span>vote granted / refused</li>"#,
    r#"<li><span class="msg static heartbeat" aria-hidden="true"></span>heartbeat</li>"#,
    r#"<li><span class="msg static append" aria-hidden="true">E</span>AppendEntries</li>"#,
    r#"<li><span class="msg static append-reply ok" aria-hidden="true">✓</span><span class="msg static append-reply fail" aria-hidden="true">✗</span>append reply ok / failed</li>"#,
    r#"<li><span class="msg static snapshot" aria-hidden="true">S</span>InstallSnapshot</li>"#,
    r#"<li><span class="msg static timeout-now" aria-hidden="true">!</span>TimeoutNow</li>"#,
    r#"<li><span class="msg static client-request" aria-hidden="true">?</span><span class="msg static client-reply" aria-hidden="true">↩</span>client request / reply</li>"#,
    r#"</ul></details>"#,
);

#[function_component(Legend)]
pub fn legend() -> Html {
    Html::from_html_unchecked(AttrValue::Static(LEGEND))
}
