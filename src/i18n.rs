//! The page's message catalogues: the languages it speaks, the plain-text catalogue format
//! (docs/i18n.md) and placeholder filling. Pure and tested natively; the page's lookup with
//! its current language lives in `ui::i18n`.
//!
//! A catalogue is a sorted slice of `(key, text)` pairs borrowed from the catalogue file
//! itself: English is compiled in with `include_str!`, Chinese is fetched once and kept for
//! the life of the page, so lookups hand out `&'static str` without copying.

use std::fmt::Display;

/// The English catalogue, compiled in so that the default page needs no extra request.
pub const EN_TEXT: &str = include_str!("../static/i18n/en.txt");

/// The English words of the Paxos page, compiled in only with that mode (Cargo feature
/// `mode-paxos`, in the full page), so that the default page, which cannot show them, does not
/// carry them. Its keys are not in en.txt; zh.txt holds every key of both (it is fetched only
/// when Chinese is chosen). A key is looked up in en.txt first, then here.
#[cfg(feature = "mode-paxos")]
pub const EN_PAXOS_TEXT: &str = include_str!("../static/i18n/en-paxos.txt");
#[cfg(not(feature = "mode-paxos"))]
pub const EN_PAXOS_TEXT: &str = "";

/// The English words of the primary-backup page, compiled in only with that mode (Cargo
/// feature `mode-pb`, in the full page), as the Paxos page's are. A key is looked up in
/// en.txt first, then en-paxos.txt, then here.
#[cfg(feature = "mode-pb")]
pub const EN_PB_TEXT: &str = include_str!("../static/i18n/en-pb.txt");
#[cfg(not(feature = "mode-pb"))]
pub const EN_PB_TEXT: &str = "";

/// A language the page speaks.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's name in links, local storage and `<html lang>`.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn from_id(id: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.id() == id)
    }

    /// The language for a browser's language tag (`navigator.language`): Chinese for any
    /// `zh` tag (`zh`, `zh-CN`, `zh-Hans-SG`), else English.
    pub fn from_browser_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language's name in itself, as the language switch shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "EN",
            Lang::Zh => "中文",
        }
    }
}

/// One language's texts by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalogue {
    /// Sorted by key, keys distinct.
    entries: Vec<(&'static str, &'static str)>,
}

impl Catalogue {
    /// Reads a catalogue file: one `key = text` per line, sorted by key; `#` comment lines
    /// and blank lines ignored; key and text trimmed, a text in double quotes keeps its
    /// spaces. A line without `=`, a malformed key, or a key out of order or given twice is
    /// an error naming its line.
    pub fn parse(text: &'static str) -> Result<Catalogue, String> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(format!("line {}: no \"=\" between key and text", i + 1));
            };
            let key = key.trim();
            let key_ok = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
            if !key_ok {
                return Err(format!(
                    "line {}: \"{key}\" is not a key (lower-case letters, digits, . _ -)",
                    i + 1
                ));
            }
            // A text in double quotes keeps its spaces (a separator such as ", ").
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            // Sorted files keep the page free of sorting code and make the two languages
            // line up line by line.
            if let Some((previous, _)) = entries.last() {
                if *previous >= key {
                    return Err(format!(
                        "line {}: \"{key}\" comes after \"{previous}\" (keys are sorted, each once)",
                        i + 1
                    ));
                }
            }
            entries.push((key, value));
        }
        Ok(Catalogue { entries })
    }

    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.entries
            .binary_search_by(|(k, _)| (*k).cmp(key))
            .ok()
            .map(|i| self.entries[i].1)
    }

    /// Every key, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(k, _)| *k)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Words kept as a catalogue key and the values of its placeholders until they are shown, so
/// that code without a language (the simulation reading a link or a file) can say what went
/// wrong: the command-line tool shows them in English (`english()`), the page in the learner's
/// language, and a notice already on screen follows a language switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// A placeholder's value: shown as it is, or words of their own (a cause inside a message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Value(String),
    Text(Text),
    /// Several causes, joined by the text of the `separator` key.
    List {
        items: Vec<Text>,
        separator: &'static str,
    },
}

impl Text {
    pub fn new(key: &'static str) -> Text {
        Text {
            key,
            args: Vec::new(),
        }
    }

    /// Fills `{name}` with `value` as it is written (a number, a node, a quoted input). `Text`
    /// has no `Display` on purpose: words of their own go through `with_text`, so that they are
    /// never frozen in English inside a translated message.
    pub fn with(mut self, name: &'static str, value: impl Display) -> Text {
        self.args.push((name, Arg::Value(value.to_string())));
        self
    }

    /// Fills `{name}` with words of their own, shown in the same language.
    pub fn with_text(mut self, name: &'static str, value: Text) -> Text {
        self.args.push((name, Arg::Text(value)));
        self
    }

    /// Fills `{name}` with several words of their own, joined by the text of `separator`.
    pub fn with_list(
        mut self,
        name: &'static str,
        items: Vec<Text>,
        separator: &'static str,
    ) -> Text {
        self.args.push((name, Arg::List { items, separator }));
        self
    }

    /// The words, with every key (this one and those of its values) looked up by `lookup`.
    pub fn words(&self, lookup: &dyn Fn(&'static str) -> &'static str) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| match arg {
                Arg::Value(v) => (*name, v.clone()),
                Arg::Text(t) => (*name, t.words(lookup)),
                Arg::List { items, separator } => (
                    *name,
                    items
                        .iter()
                        .map(|t| t.words(lookup))
                        .collect::<Vec<_>>()
                        .join(lookup(separator)),
                ),
            })
            .collect();
        let args: Vec<(&str, &dyn Display)> = values
            .iter()
            .map(|(name, v)| (*name, v as &dyn Display))
            .collect();
        fill(lookup(self.key), &args)
    }
}

thread_local! {
    static ENGLISH: Catalogue = Catalogue::parse(EN_TEXT).unwrap_or_default();
    #[cfg(feature = "mode-paxos")]
    static ENGLISH_PAXOS: Catalogue = Catalogue::parse(EN_PAXOS_TEXT).unwrap_or_default();
    #[cfg(feature = "mode-pb")]
    static ENGLISH_PB: Catalogue = Catalogue::parse(EN_PB_TEXT).unwrap_or_default();
}

/// The English text of `key` (the key itself if English lacks it; the catalogue test makes
/// sure it does not).
pub fn english(key: &'static str) -> &'static str {
    let found = ENGLISH.with(|c| c.get(key));
    // Without the Paxos page, nothing looks up its words: the default page has no second
    // catalogue to search.
    #[cfg(feature = "mode-paxos")]
    let found = found.or_else(|| ENGLISH_PAXOS.with(|c| c.get(key)));
    #[cfg(feature = "mode-pb")]
    let found = found.or_else(|| ENGLISH_PB.with(|c| c.get(key)));
    found.unwrap_or(key)
}

/// In English, for code that reports errors as strings (the command-line tool, tests).
impl From<Text> for String {
    fn from(text: Text) -> String {
        text.english()
    }
}

/// In English: what the command-line tool prints.
impl Text {
    /// The words in English: what the command-line tool prints.
    pub fn english(&self) -> String {
        self.words(&english)
    }
}

/// `template` with each `{name}` replaced by the value `args` gives for `name`; a placeholder
/// without a value stays as written, so a mistake shows on the page instead of vanishing.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(n, _)| *n == &after[..close])?)));
        match value {
            Some((close, (_, v))) => {
                use std::fmt::Write;
                let _ = write!(out, "{v}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names in `template`, sorted and without repeats.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const ZH_TEXT: &str = include_str!("../static/i18n/zh.txt");

    fn catalogue(name: &str, text: &'static str) -> Catalogue {
        Catalogue::parse(text).unwrap_or_else(|e| panic!("static/i18n/{name}.txt: {e}"))
    }

    /// The English texts of en.txt, en-paxos.txt and en-pb.txt as one catalogue; a key in two
    /// of them is an error (which one would win would depend on the build).
    fn english_catalogue() -> Catalogue {
        let main = catalogue("en", EN_TEXT);
        let paxos = catalogue("en-paxos", EN_PAXOS_TEXT);
        let pb = catalogue("en-pb", EN_PB_TEXT);
        let mut entries: Vec<_> = main
            .entries
            .iter()
            .chain(&paxos.entries)
            .chain(&pb.entries)
            .copied()
            .collect();
        entries.sort_unstable();
        for pair in entries.windows(2) {
            assert_ne!(
                pair[0].0, pair[1].0,
                "in two of en.txt, en-paxos.txt, en-pb.txt"
            );
        }
        Catalogue { entries }
    }

    #[test]
    fn the_paxos_words_are_compiled_in_with_the_paxos_page() {
        assert_eq!(cfg!(feature = "mode-paxos"), !EN_PAXOS_TEXT.is_empty());
        if cfg!(feature = "mode-paxos") {
            assert_ne!(english("px.stage.label"), "px.stage.label");
        }
    }

    #[test]
    fn the_primary_backup_words_are_compiled_in_with_its_page() {
        assert_eq!(cfg!(feature = "mode-pb"), !EN_PB_TEXT.is_empty());
        if cfg!(feature = "mode-pb") {
            assert_ne!(english("pb.stage.label"), "pb.stage.label");
        }
    }

    #[test]
    fn both_catalogues_have_the_same_keys_and_placeholders() {
        let en = english_catalogue();
        let zh = catalogue("zh", ZH_TEXT);
        let en_keys: BTreeSet<_> = en.keys().collect();
        let zh_keys: BTreeSet<_> = zh.keys().collect();
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(only_en.is_empty(), "missing in zh.txt: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in en.txt: {only_zh:?}");
        for key in en.keys() {
            let (e, z) = (en.get(key).unwrap_or(""), zh.get(key).unwrap_or(""));
            assert!(
                !z.is_empty() && !e.is_empty(),
                "{key} is empty in a catalogue"
            );
            assert_eq!(
                placeholders(e),
                placeholders(z),
                "{key}: the placeholders differ between en.txt and zh.txt"
            );
        }
    }

    /// The keys the code looks up: the string literal after each `t(`, `tf(`, `tx(` and
    /// `Text::new(` call in the sources (they take only literals, so this scan sees every one).
    fn keys_used(dir: &std::path::Path, out: &mut BTreeSet<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                keys_used(&path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            // Comment lines may show calls as examples.
            let source: String = std::fs::read_to_string(&path)
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for call in ["t(", "tf(", "tx(", "Text::new("] {
                let mut from = 0;
                while let Some(at) = source[from..].find(call).map(|i| i + from) {
                    from = at + call.len();
                    let before = source[..at].bytes().last().unwrap_or(b' ');
                    if before.is_ascii_alphanumeric() || before == b'_' {
                        continue;
                    }
                    // rustfmt may put the key on the next line.
                    let Some(key) = source[from..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    if let Some(end) = key.find('"') {
                        let file = path.display().to_string();
                        out.insert((key[..end].to_string(), file));
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_the_page_looks_up_is_in_the_catalogues() {
        let en = english_catalogue();
        let zh = catalogue("zh", ZH_TEXT);
        let mut used = BTreeSet::new();
        // The page's own lookups, and the words the simulation, the codecs and the content hand
        // it (`Text::new`).
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        keys_used(&src.join("ui"), &mut used);
        keys_used(&src.join("sim"), &mut used);
        keys_used(&src.join("codec"), &mut used);
        keys_used(&src.join("content"), &mut used);
        assert!(used.len() > 100, "the scan found only {} keys", used.len());
        let missing: Vec<_> = used
            .iter()
            .filter(|(key, _)| en.get(key).is_none() || zh.get(key).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from a catalogue: {missing:?}"
        );
    }

    #[test]
    fn a_catalogue_reads_keys_texts_and_comments() {
        let c = Catalogue::parse("# a comment\n\na.key=  Ay \nb.key = Bee = two\nsep = \", \"\n")
            .unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.get("sep"), Some(", "));
        assert_eq!(c.get("a.key"), Some("Ay"));
        assert_eq!(c.get("b.key"), Some("Bee = two"));
        assert_eq!(c.get("c.key"), None);
    }

    #[test]
    fn a_bad_catalogue_line_is_named() {
        let e = Catalogue::parse("ok = yes\nno equals sign\n").unwrap_err();
        assert!(e.starts_with("line 2"), "{e}");
        let e = Catalogue::parse("Bad Key = x").unwrap_err();
        assert!(e.contains("Bad Key"), "{e}");
        let e = Catalogue::parse("k = 1\nk = 2").unwrap_err();
        assert!(e.starts_with("line 2") && e.contains("once"), "{e}");
        let e = Catalogue::parse("b = 1\na = 2").unwrap_err();
        assert!(e.starts_with("line 2") && e.contains("sorted"), "{e}");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let s = fill(
            "{node} votes in term {term} {node}",
            &[("term", &3), ("node", &"S2")],
        );
        assert_eq!(s, "S2 votes in term 3 S2");
        assert_eq!(fill("{missing} {", &[]), "{missing} {");
        assert_eq!(placeholders("{b} {a} {b} {not a name}"), vec!["a", "b"]);
    }

    #[test]
    fn text_is_worded_late_with_its_causes_in_the_same_language() {
        let cause = Text::new("inner").with("n", 2);
        let text = Text::new("outer").with("name", "t").with_text("why", cause);
        let lookup = |key: &'static str| match key {
            "outer" => "{name} is bad: {why}",
            "inner" => "{n} too many",
            _ => "?",
        };
        assert_eq!(text.words(&lookup), "t is bad: 2 too many");
    }

    #[test]
    fn browser_tags_choose_the_language() {
        assert_eq!(Lang::from_browser_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_browser_tag("ZH_tw"), Lang::Zh);
        assert_eq!(Lang::from_browser_tag("zh"), Lang::Zh);
        assert_eq!(Lang::from_browser_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_browser_tag("zu"), Lang::En);
        assert_eq!(Lang::from_browser_tag(""), Lang::En);
        assert_eq!(Lang::from_id("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_id("fr"), None);
    }
}
