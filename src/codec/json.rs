//! A small JSON reader for lesson and scenario files: a tree of values that remember their
//! line. It exists so that the web page can read them without linking serde_json, which would
//! add to a bundle that is already over its budget; `scenario_json` reads the scenario types
//! from the tree through the field tables.

use crate::i18n::Text;

/// Nesting deeper than this is refused, so that a hostile file cannot exhaust the stack.
const DEPTH_MAX: u32 = 64;

/// One JSON value and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub line: u32,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer.
    Signed(i64),
    String(String),
    Array(Vec<Json>),
    /// Members in file order; a repeated key is an error at parse time.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match &self.value {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self.value {
            Value::Unsigned(u) => Some(u),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
    pub fn members(&self) -> Option<&[(String, Json)]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }
    /// What kind of value this is, for error messages.
    /// What kind of value this is, in words ("a string"), for errors.
    pub fn kind_text(&self) -> Text {
        match self.value {
            Value::Null => Text::new("json.kind.null"),
            Value::Bool(_) => Text::new("json.kind.boolean"),
            Value::Unsigned(_) | Value::Signed(_) => Text::new("json.kind.number"),
            Value::String(_) => Text::new("json.kind.string"),
            Value::Array(_) => Text::new("json.kind.array"),
            Value::Object(_) => Text::new("json.kind.object"),
        }
    }
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Unsigned(_) | Value::Signed(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
    /// A copy of this object without the members named in `keys`.
    pub fn without(&self, keys: &[&str]) -> Json {
        let value = match &self.value {
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .filter(|(k, _)| !keys.contains(&k.as_str()))
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        };
        Json {
            line: self.line,
            value,
        }
    }
}

/// `what` went wrong on line `line` of a file.
pub(crate) fn at_line(line: u32, what: Text) -> Text {
    Text::new("error.json.at_line")
        .with("line", line)
        .with_text("what", what)
}

/// Parses a whole JSON text; the error names the line.
pub fn parse(text: &str) -> Result<Json, Text> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let value = p.value(0)?;
    p.skip_space();
    if p.at != p.bytes.len() {
        return Err(p.error(Text::new("json.after_end")));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
}

impl Parser<'_> {
    fn error(&self, what: Text) -> Text {
        at_line(self.line, what)
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn expect(&mut self, literal: &str) -> Result<(), Text> {
        if self.bytes[self.at..].starts_with(literal.as_bytes()) {
            self.at += literal.len();
            Ok(())
        } else {
            Err(self.error(Text::new("json.expected").with("literal", literal)))
        }
    }

    fn value(&mut self, depth: u32) -> Result<Json, Text> {
        if depth > DEPTH_MAX {
            return Err(self.error(Text::new("json.too_deep")));
        }
        self.skip_space();
        let line = self.line;
        let value = match self.bytes.get(self.at) {
            None => return Err(self.error(Text::new("json.unexpected_end"))),
            Some(b'n') => self.expect("null").map(|_| Value::Null)?,
            Some(b't') => self.expect("true").map(|_| Value::Bool(true))?,
            Some(b'f') => self.expect("false").map(|_| Value::Bool(false))?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.skip_space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.error(Text::new("json.array_separator"))),
                        }
                    }
                }
                Value::Array(items)
            }
            Some(b'{') => {
                self.at += 1;
                let mut members: Vec<(String, Json)> = Vec::new();
                self.skip_space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        if self.bytes.get(self.at) != Some(&b'"') {
                            return Err(self.error(Text::new("json.key_quotes")));
                        }
                        let key = self.string()?;
                        if members.iter().any(|(k, _)| *k == key) {
                            return Err(self.error(Text::new("json.key_twice").with("key", key)));
                        }
                        self.skip_space();
                        self.expect(":")?;
                        let v = self.value(depth + 1)?;
                        members.push((key, v));
                        self.skip_space();
                        match self.bytes.get(self.at) {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.error(Text::new("json.object_separator"))),
                        }
                    }
                }
                Value::Object(members)
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(&b) => {
                return Err(self.error(
                    Text::new("json.unexpected_character")
                        .with("character", format!("{:?}", b as char)),
                ))
            }
        };
        Ok(Json { line, value })
    }

    fn number(&mut self) -> Result<Value, Text> {
        let start = self.at;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("");
        if let Ok(u) = text.parse::<u64>() {
            return Ok(Value::Unsigned(u));
        }
        // Lessons need no fractions; refusing them keeps float parsing out of the page.
        text.parse::<i64>()
            .map(Value::Signed)
            .map_err(|_| self.error(Text::new("json.not_whole").with("text", text)))
    }

    fn string(&mut self) -> Result<String, Text> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a &str and the run stops at ASCII bytes, so it is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or(""));
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self
                        .bytes
                        .get(self.at)
                        .copied()
                        .ok_or_else(|| self.error(Text::new("json.unfinished_escape")))?;
                    self.at += 1;
                    out.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        other => {
                            return Err(self.error(
                                Text::new("json.unknown_escape").with("escape", other as char),
                            ))
                        }
                    });
                }
                Some(_) => return Err(self.error(Text::new("json.control_character"))),
                None => return Err(self.error(Text::new("json.string_open"))),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Text> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error(Text::new("json.hex_digits")))?;
        self.at += 4;
        Ok(digits)
    }

    fn unicode_escape(&mut self) -> Result<char, Text> {
        let first = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&first) {
            self.expect("\\u")?;
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return Err(self.error(Text::new("json.lone_surrogate")));
            }
            0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error(Text::new("json.invalid_escape")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::scenario_json;
    use crate::sim::raft::action::Action;
    use crate::sim::raft::settings::Settings;

    #[test]
    fn parses_values_and_remembers_lines() {
        let doc = parse("{\n \"a\": [1, -2, true, null],\n \"b\": \"x\\u00e9\\n\"\n}").unwrap();
        assert_eq!(doc.line, 1);
        let a = doc.get("a").unwrap();
        assert_eq!(a.line, 2);
        let items = a.as_array().unwrap();
        assert_eq!(items[0].value, Value::Unsigned(1));
        assert_eq!(items[1].value, Value::Signed(-2));
        assert_eq!(items[2].value, Value::Bool(true));
        assert_eq!(doc.get("b").and_then(Json::as_str), Some("xé\n"));
        assert_eq!(doc.get("b").map(|b| b.line), Some(3));
    }

    #[test]
    fn bad_documents_get_errors_with_lines() {
        for (text, expected) in [
            ("", "end of the document"),
            ("{\"a\": 1,\n}", "line 2"),
            ("{\"a\": 1, \"a\": 2}", "twice"),
            ("[1 2]", "expected `,`"),
            ("\"abc", "not closed"),
            ("{} x", "after the end"),
            ("[2.5]", "not a whole number"),
        ] {
            let e = parse(text).unwrap_err().english();
            assert!(e.contains(expected), "{text:?}: {e}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).unwrap_err().english().contains("too deeply"));
    }

    #[test]
    fn reads_the_scenario_types_through_the_field_tables() {
        let doc = parse(r#"{"nodes": 3, "seed": 9, "raft": {"bugs": {"commit_previous_term_by_count": true}}, "disk": {"sync": {"policy": "interval", "interval_us": 5000}}}"#).unwrap();
        let s: Settings = scenario_json::settings(&doc).unwrap();
        assert_eq!(s.nodes, 3);
        assert!(s.raft.bugs.commit_previous_term_by_count);
        let a: Action = scenario_json::action(
            &parse(r#"{"action": "crash", "node": 2, "mode": "lose_unsynced"}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(
            a,
            Action::Crash {
                node: crate::sim::types::NodeId(2),
                mode: crate::sim::disk::CrashMode::LoseUnsynced
            }
        );
        let e = scenario_json::settings(&parse("{\n\"sead\": 1}").unwrap())
            .unwrap_err()
            .english();
        // The field's own line (serde's Deserializer over the tree, which this test used to
        // go through, named the line of the object around it).
        assert!(e.contains("sead") && e.contains("line 2"), "{e}");
        let e = scenario_json::action(&parse(r#"{"action": "explode"}"#).unwrap())
            .unwrap_err()
            .english();
        assert!(e.contains("explode"), "{e}");
    }
}
