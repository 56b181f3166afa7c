//! Lessons in the language the page is shown in: the lesson file (which defines what each
//! step does) and, for a language other than English, its translation file from
//! `lessons/<lang>/` (which only rewords it; `content::lesson::translation`). A translation that
//! cannot be fetched or does not fit its lesson leaves the lesson in English: the lesson still
//! works, and the failure is said in the page's notice by the caller.

use super::fetch::lesson_text;
#[cfg(feature = "lessons")]
use crate::content::lesson::translation::translate;
#[cfg(feature = "lessons")]
use crate::content::lesson::Lesson;
use crate::content::lesson::{self, IndexEntry};
use crate::i18n::Lang;
use crate::ui::i18n::shown;

/// The lesson list, with titles in the language shown (English when that list is missing).
pub async fn index() -> Result<Vec<IndexEntry>, String> {
    if let Some(dir) = dir(shown()) {
        let file = format!("{dir}/index.json");
        let translated = lesson_text(&file)
            .await
            .and_then(|text| lesson::parse_index(&format!("lessons/{file}"), &text));
        if let Ok(entries) = translated {
            return Ok(entries);
        }
    }
    let text = lesson_text("index.json").await?;
    lesson::parse_index("lessons/index.json", &text)
}

/// Lesson `file`, worded in the language shown when a translation fits it.
#[cfg(feature = "lessons")]
pub async fn lesson(file: &str) -> Result<Lesson, String> {
    let text = lesson_text(file).await?;
    let mut lesson = Lesson::parse(file, &text)?;
    if let Some(dir) = dir(shown()) {
        let name = format!("{dir}/{file}");
        if let Ok(words) = lesson_text(&name).await {
            // On a mismatch `translate` changes nothing: the lesson stays in English.
            let _ = translate(&mut lesson, &name, &words);
        }
    }
    Ok(lesson)
}

/// Where a language's lesson translations live, if it has any.
fn dir(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Zh => Some("zh"),
    }
}
