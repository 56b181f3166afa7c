//! What every symbol means: node roles (colour, shape and word) and message types. Static
//! markup with the words of the language shown, so it ships as strings rather than as
//! rendering code.

use crate::ui::i18n::{t, use_lang};
use yew::prelude::*;

const SYM: &str =
    r#"<svg class="sym" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">"#;

/// Node roles: each symbol's markup and its words.
fn roles() -> [(&'static str, &'static str); 8] {
    [
        (
            r#"<circle class="lg-follower" cx="10" cy="10" r="7"/></svg>"#,
            t("legend.follower"),
        ),
        (
            r#"<circle class="lg-candidate-ring" cx="10" cy="10" r="9"/><circle class="lg-candidate" cx="10" cy="10" r="6"/></svg>"#,
            t("legend.candidate"),
        ),
        (
            r#"<circle class="lg-leader-ring" cx="10" cy="10" r="9"/><circle class="lg-leader" cx="10" cy="10" r="6"/></svg>"#,
            t("legend.leader"),
        ),
        (
            r#"<circle class="lg-crashed" cx="10" cy="10" r="7"/><path class="lg-cross" d="M6 6 L14 14 M6 14 L14 6"/></svg>"#,
            t("legend.crashed"),
        ),
        (
            r#"<path class="lg-timer" d="M10 2 A8 8 0 1 1 2 10"/></svg>"#,
            t("legend.timer"),
        ),
        (
            r#"<circle class="lg-learner" cx="10" cy="10" r="7"/></svg>"#,
            t("legend.learner"),
        ),
        (
            r#"<rect class="lg-quorum" x="1" y="4" width="18" height="12" rx="6"/></svg>"#,
            t("legend.quorum"),
        ),
        ("", t("legend.term")),
    ]
}

/// Message types: each chip's markup and its words.
fn messages() -> [(&'static str, &'static str); 8] {
    [
        (
            r#"<span class="msg static vote" aria-hidden="true">V</span>"#,
            t("legend.request_vote"),
        ),
        (
            r#"<span class="msg static vote-reply ok" aria-hidden="true">✓</span><span class="msg static vote-reply fail" aria-hidden="true">✗</span>"#,
            t("legend.vote_reply"),
        ),
        (
            r#"<span class="msg static heartbeat" aria-hidden="true"></span>"#,
            t("legend.heartbeat"),
        ),
        (
            r#"<span class="msg static append" aria-hidden="true">E</span>"#,
            t("legend.append_entries"),
        ),
        (
            r#"<span class="msg static append-reply ok" aria-hidden="true">✓</span><span class="msg static append-reply fail" aria-hidden="true">✗</span>"#,
            t("legend.append_reply"),
        ),
        (
            r#"<span class="msg static snapshot" aria-hidden="true">S</span>"#,
            t("legend.install_snapshot"),
        ),
        (
            r#"<span class="msg static timeout-now" aria-hidden="true">!</span>"#,
            t("legend.timeout_now"),
        ),
        (
            r#"<span class="msg static client-request" aria-hidden="true">?</span><span class="msg static client-reply" aria-hidden="true">↩</span>"#,
            t("legend.client"),
        ),
    ]
}

/// Catalogue text is text: it goes into the markup escaped.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

fn legend_markup() -> String {
    let mut html = format!(
        r#"<details class="legend" open><summary>{}</summary><ul class="roles">"#,
        escaped(t("legend.title"))
    );
    for (symbol, words) in roles() {
        let sym = if symbol.is_empty() { "" } else { SYM };
        html += &format!("<li>{sym}{symbol}{}</li>", escaped(words));
    }
    html += r#"</ul><ul class="msgs">"#;
    for (chip, words) in messages() {
        html += &format!("<li>{chip}{}</li>", escaped(words));
    }
    html + "</ul></details>"
}

#[function_component(Legend)]
pub fn legend() -> Html {
    let lang = use_lang();
    let markup = use_memo(lang, |_| legend_markup());
    Html::from_html_unchecked(AttrValue::from((*markup).clone()))
}
