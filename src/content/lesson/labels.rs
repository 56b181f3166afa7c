//! Control labels in lesson text. A step names a button or a field as `{ui:KEY}`, the key of
//! its label in the interface catalogue (`static/i18n/`), and the page shows the label in the
//! learner's language: the text can never name a control the page does not have, nor one
//! spelled differently (`tests/lessons.rs` checks that every key exists in every catalogue).

/// The marker that opens a label placeholder.
const OPEN: &str = "{ui:";

/// `text` with each `{ui:KEY}` replaced by `label(KEY)`; a key `label` does not know stays
/// as written, so a mistake shows on the page instead of vanishing.
pub fn fill(text: &str, label: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len()..];
        match after
            .find('}')
            .and_then(|close| Some((close, label(&after[..close])?)))
        {
            Some((close, words)) => {
                out.push_str(&words);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The catalogue keys `text` names, in order, repeats included.
pub fn keys(text: &str) -> Vec<&str> {
    text.split(OPEN)
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(key, _)| key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_filled_and_unknown_keys_stay_visible() {
        let label = |k: &str| (k == "controls.crash").then(|| "Crash".to_string());
        assert_eq!(
            fill("Press “{ui:controls.crash}” (C).", &label),
            "Press “Crash” (C)."
        );
        assert_eq!(fill("{ui:nope} and {ui:", &label), "{ui:nope} and {ui:");
        assert_eq!(
            keys("a {ui:controls.crash} b {ui:tab.logs}"),
            ["controls.crash", "tab.logs"]
        );
    }
}
