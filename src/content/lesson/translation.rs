//! Lesson translations: `lessons/<lang>/<file>` holds a lesson's words in another language,
//! laid out like the lesson itself (title, summary, then per step its title, its paragraphs,
//! its task's text and its prediction's question, choices and explanation) and nothing else. The steps' runs, tasks and highlights stay in the
//! English file, so a translation can never change what a lesson does, only what it says.
//!
//! A translation must match its lesson exactly: the same number of steps, of paragraphs per
//! step, and a task text exactly where the lesson has a task. Anything else is an error that
//! names the step, so a lesson edited without its translation is caught by the tests.

use super::Lesson;
use crate::codec::json::{self, Json};

/// The languages lessons are translated into, besides English.
pub const TRANSLATIONS: [&str; 1] = ["zh"];

/// Puts the words of translation `text` (file `name`, for errors) into `lesson`.
pub fn translate(lesson: &mut Lesson, name: &str, text: &str) -> Result<(), String> {
    let at = |e: String| format!("{name}: {e}");
    let root = json::parse(text).map_err(|e| at(e.into()))?;
    let string = |v: &Json, what: &str| -> Result<String, String> {
        v.get(what)
            .and_then(Json::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("line {}: \"{what}\" should be a non-empty string", v.line))
    };
    let title = string(&root, "title").map_err(at)?;
    let summary = string(&root, "summary").map_err(at)?;
    let steps = root
        .get("steps")
        .and_then(Json::as_array)
        .ok_or_else(|| at("\"steps\" should be a list".into()))?;
    if steps.len() != lesson.steps.len() {
        return Err(at(format!(
            "{} steps, but the lesson has {}",
            steps.len(),
            lesson.steps.len()
        )));
    }
    let mut translated = Vec::with_capacity(steps.len());
    for (i, (words, step)) in steps.iter().zip(&lesson.steps).enumerate() {
        let at_step = |e: String| at(format!("step {}: {e}", i + 1));
        let step_title = string(words, "title").map_err(at_step)?;
        let paragraphs: Vec<String> = words
            .get("text")
            .and_then(Json::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if paragraphs.len() != step.text.len() {
            return Err(at_step(format!(
                "{} paragraphs, but the lesson has {}",
                paragraphs.len(),
                step.text.len()
            )));
        }
        let task = match (&step.task, words.get("task")) {
            (Some(_), Some(_)) => Some(string(words, "task").map_err(at_step)?),
            (None, None) => None,
            (Some(_), None) => return Err(at_step("the lesson's task has no translation".into())),
            (None, Some(_)) => {
                return Err(at_step(
                    "a task text, but the lesson has no task here".into(),
                ))
            }
        };
        let predict = match (&step.predict, words.get("predict")) {
            (Some(p), Some(w)) => {
                let question = string(w, "question").map_err(at_step)?;
                let explain = string(w, "explain").map_err(at_step)?;
                let choices: Vec<String> = w
                    .get("choices")
                    .and_then(Json::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(|c| c.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if choices.len() != p.choices.len() {
                    return Err(at_step(format!(
                        "{} choices, but the lesson's prediction has {}",
                        choices.len(),
                        p.choices.len()
                    )));
                }
                Some((question, choices, explain))
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(at_step("the lesson's prediction has no translation".into()))
            }
            (None, Some(_)) => {
                return Err(at_step(
                    "a prediction, but the lesson has no prediction here".into(),
                ))
            }
        };
        translated.push((step_title, paragraphs, task, predict));
    }
    lesson.title = title;
    lesson.summary = summary;
    for (step, (title, text, task, predict)) in lesson.steps.iter_mut().zip(translated) {
        step.title = title;
        step.text = text;
        if let (Some(t), Some(words)) = (step.task.as_mut(), task) {
            t.text = words;
        }
        if let (Some(p), Some((question, choices, explain))) = (step.predict.as_mut(), predict) {
            p.question = question;
            p.explain = explain;
            for (c, words) in p.choices.iter_mut().zip(choices) {
                c.text = words;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = r#"{
      "version": 1, "id": "t", "title": "T", "summary": "S", "mode": "raft",
      "steps": [
        { "title": "One", "text": ["a", "b"], "at_ms": 0 },
        { "title": "Two", "text": ["c"], "at_ms": 0,
          "task": { "goal": "crash_leader", "text": "Crash it.", "solution": [], "done_by_ms": 10 } },
        { "title": "3", "text": ["d"], "at_ms": 0 },
        { "title": "4", "text": ["e"], "at_ms": 0 },
        { "title": "5", "text": ["f"], "at_ms": 0 }
      ]
    }"#;

    /// A lesson of two steps (files need five; two keep the cases short).
    fn lesson() -> Lesson {
        let mut l = Lesson::parse("t.json", LESSON).unwrap();
        l.steps.truncate(2);
        l
    }

    #[test]
    fn a_translation_replaces_every_word_and_nothing_else() {
        let mut l = lesson();
        let before = l.clone();
        translate(
            &mut l,
            "zh/t.json",
            r#"{"title":"标题","summary":"摘要","steps":[
                {"title":"一","text":["甲","乙"]},
                {"title":"二","text":["丙"],"task":"让它崩溃。"}]}"#,
        )
        .unwrap();
        assert_eq!(l.title, "标题");
        assert_eq!(l.steps[0].text, ["甲", "乙"]);
        assert_eq!(l.steps[1].task.as_ref().unwrap().text, "让它崩溃。");
        assert_eq!(l.steps[1].scenario, before.steps[1].scenario);
        assert_eq!(
            l.steps[1].task.as_ref().unwrap().goal,
            before.steps[1].task.as_ref().unwrap().goal
        );
    }

    #[test]
    fn a_translation_out_of_step_with_its_lesson_is_named() {
        let cases = [
            (
                r#"{"title":"t","summary":"s","steps":[{"title":"一","text":["甲","乙"]}]}"#,
                "1 steps",
            ),
            (
                r#"{"title":"t","summary":"s","steps":[{"title":"一","text":["甲"]},{"title":"二","text":["丙"],"task":"x"}]}"#,
                "step 1: 1 paragraphs",
            ),
            (
                r#"{"title":"t","summary":"s","steps":[{"title":"一","text":["甲","乙"]},{"title":"二","text":["丙"]}]}"#,
                "step 2: the lesson's task",
            ),
            (r#"{"title":"","summary":"s","steps":[]}"#, "\"title\""),
            ("{", "zh/t.json"),
        ];
        for (text, expected) in cases {
            let mut l = lesson();
            let e = translate(&mut l, "zh/t.json", text).unwrap_err();
            assert!(e.contains(expected), "{e} should mention {expected}");
            assert_eq!(l, lesson(), "a failed translation changes nothing");
        }
    }
}
