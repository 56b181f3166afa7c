//! One description per data type, which every codec walks: each setting of a Raft run and each
//! action is listed once, with its share-link tag, its name in scenario and lesson files, a
//! getter and a setter. The share link ([`crate::codec::share`]), the scenario-file writer
//! ([`crate::codec::scenario_file`]) and the file and lesson reader
//! ([`crate::codec::scenario_json`]) have no list of fields of their own.
//!
//! The tables are `static` slices of plain structs holding `fn` pointers, so each codec is
//! compiled once, not once per field or per field type (generic code instantiated per field
//! would grow the page's wasm; a table of pointers costs a few bytes an entry).
//!
//! Defaults are not repeated here: a field's default is its getter applied to
//! `Settings::default()` (defaults are stated once, in `src/sim/`). Ranges the codecs check
//! come from the field's type (a 32-bit setting refuses a larger number rather than truncating
//! it); the ranges of the simulation (`Settings::validate`, `Action::validate`) are checked
//! after reading, by every reader.
//!
//! # Adding a setting
//!
//! 1. Add the field to its struct in `src/sim/` with its default, as usual.
//! 2. Add one entry to its object's table in [`settings`], for example
//!    `leaf("sync_latency_us", Tag(18), value!(U64, disk.sync_latency_us))` (the macro
//!    writes the getter and setter of that path), with the next free tag
//!    ([`settings::TAG_NEXT`], which you then raise; tags are never reused or renumbered, so
//!    old links open to the same run). Use `.unless_default()` for a field that older builds
//!    must still be able to read files without (it is then written to files only when it is
//!    not its default). `tests::the_tables_describe_every_field_serde_sees` fails if a struct
//!    field has no entry (the structs' serde derives, which traces and tests use, see it).
//!
//! That is all for scenario files, lessons and the link's settings. A Raft or network setting
//! that `set_raft` or `set_network` actions must also carry needs a new action code listing
//! its tags in [`actions`] (old links keep the codes they were written with);
//! `tests::every_leaf_is_carried` fails until it has one. The field's JSON name also goes in
//! the table of docs/scenario-format.md.

pub mod actions;
pub mod settings;
#[cfg(test)]
pub(crate) mod tests;

/// Where a field goes in a share link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Its own tag: the link holds `(tag, value)` when the value is not the default.
    Tag(u64),
    /// One bit of a tag's value, which several flags share (the broken-Raft switches).
    Bit(u64, u32),
    /// Not in links itself: an object, whose fields are.
    None,
}

impl Link {
    pub fn tag(self) -> Option<u64> {
        match self {
            Link::Tag(t) | Link::Bit(t, _) => Some(t),
            Link::None => None,
        }
    }
}

/// When a field is read from and written to files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Optional when read (absent keeps the default); always written.
    Always,
    /// Optional when read; written only when not its default, so that files of runs that do
    /// not use it stay readable by builds that predate it.
    UnlessDefault,
    /// Must be present when its object is.
    Required,
    /// Present exactly when the choice with link tag `tag`, in the same object, holds `code`
    /// (a sync policy's `interval_us`). Links carry it whenever that holds.
    When { tag: u64, code: u64 },
}

/// What a field holds, and how to get and set it on a `T`.
pub enum Value<T: 'static> {
    U64(fn(&T) -> u64, fn(&mut T, u64)),
    /// Refused above `u32::MAX` by every reader.
    U32(fn(&T) -> u32, fn(&mut T, u32)),
    Bool(fn(&T) -> bool, fn(&mut T, bool)),
    /// `null` in files, 0 in links.
    OptionU64(fn(&T) -> Option<u64>, fn(&mut T, Option<u64>)),
    /// One of `names` (files spell the name, links the position).
    Choice(&'static [&'static str], fn(&T) -> u64, fn(&mut T, u64)),
    /// A nested object: its own fields.
    Object(&'static [Field<T>]),
}

/// One field of a `T`: its name in files, its place in links, and its value.
pub struct Field<T: 'static> {
    pub name: &'static str,
    pub link: Link,
    pub presence: Presence,
    pub value: Value<T>,
}

/// A field that is always written and optional when read.
pub const fn leaf<T>(name: &'static str, link: Link, value: Value<T>) -> Field<T> {
    Field {
        name,
        link,
        presence: Presence::Always,
        value,
    }
}

/// A nested object.
pub const fn object<T>(name: &'static str, fields: &'static [Field<T>]) -> Field<T> {
    leaf(name, Link::None, Value::Object(fields))
}

impl<T> Field<T> {
    pub const fn unless_default(mut self) -> Field<T> {
        self.presence = Presence::UnlessDefault;
        self
    }
    pub const fn required(mut self) -> Field<T> {
        self.presence = Presence::Required;
        self
    }
    pub const fn when(mut self, tag: u64, code: u64) -> Field<T> {
        self.presence = Presence::When { tag, code };
        self
    }
}

/// Calls `f` on every field of `table` that holds a value (objects are opened), in order.
pub fn each_leaf<T>(table: &'static [Field<T>], f: &mut dyn FnMut(&'static Field<T>)) {
    for field in table {
        match field.value {
            Value::Object(inner) => each_leaf(inner, f),
            _ => f(field),
        }
    }
}

impl<T> Field<T> {
    /// The value as a link writes it (a bit already in its place).
    pub fn link_value(&self, t: &T) -> u64 {
        let v = match self.value {
            Value::U64(get, _) => get(t),
            Value::U32(get, _) => get(t).into(),
            Value::Bool(get, _) => get(t).into(),
            Value::OptionU64(get, _) => get(t).unwrap_or(0),
            Value::Choice(_, get, _) => get(t),
            Value::Object(_) => 0,
        };
        match self.link {
            Link::Bit(_, bit) => v << bit,
            _ => v,
        }
    }

    /// Sets the field from the value a link holds for its tag.
    pub fn set_link_value(&self, t: &mut T, v: u64) {
        match (self.value, self.link) {
            (Value::Bool(_, set), Link::Bit(_, bit)) => set(t, (v >> bit) & 1 != 0),
            (Value::Bool(_, set), _) => set(t, v != 0),
            (Value::U64(_, set), _) => set(t, v),
            (Value::U32(_, set), _) => set(t, v as u32),
            (Value::OptionU64(_, set), _) => set(t, (v > 0).then_some(v)),
            (Value::Choice(_, _, set), _) => set(t, v),
            (Value::Object(_), _) => {}
        }
    }

    /// The largest value a link may hold for the field: its type's range. (Flags and
    /// choices take any 32-bit value, as links always have: a flag is on when not 0.)
    pub fn link_max(&self) -> u64 {
        match self.value {
            Value::U64(..) | Value::OptionU64(..) => u64::MAX,
            _ => u32::MAX.into(),
        }
    }
}

// Fields are copied out of their tables by value in matches; `fn` pointers are `Copy`.
impl<T> Clone for Value<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Value<T> {}

/// The value link tag `tag` holds for `t`: the values of its fields together (`None`: no field
/// of `table` has the tag).
pub fn tag_value<T>(table: &'static [Field<T>], tag: u64, t: &T) -> Option<u64> {
    let mut value = None;
    each_leaf(table, &mut |f| {
        if f.link.tag() == Some(tag) {
            value = Some(value.unwrap_or(0) | f.link_value(t));
        }
    });
    value
}

/// The largest value link tag `tag` may hold (`None`: no field of `table` has the tag).
pub fn tag_max<T>(table: &'static [Field<T>], tag: u64) -> Option<u64> {
    let mut max = None;
    each_leaf(table, &mut |f| {
        if f.link.tag() == Some(tag) {
            max = Some(max.unwrap_or(0).max(f.link_max()));
        }
    });
    max
}

/// Sets every field of link tag `tag` from the value the link holds.
pub fn set_tag<T>(table: &'static [Field<T>], tag: u64, t: &mut T, value: u64) {
    each_leaf(table, &mut |f| {
        if f.link.tag() == Some(tag) {
            f.set_link_value(t, value);
        }
    });
}

/// The name of link tag `tag` in `table`: its field's, or for bits, their object's.
pub fn tag_name<T>(table: &'static [Field<T>], tag: u64) -> Option<&'static str> {
    table.iter().find_map(|f| match f.value {
        Value::Object(inner) if inner.iter().any(|i| i.link == Link::Bit(tag, 0)) => Some(f.name),
        Value::Object(inner) => tag_name(inner, tag),
        _ => (f.link == Link::Tag(tag)).then_some(f.name),
    })
}

/// The largest tag of `table`.
pub fn tag_last<T>(table: &'static [Field<T>]) -> u64 {
    let mut last = 0;
    each_leaf(table, &mut |f| last = last.max(f.link.tag().unwrap_or(0)));
    last
}

/// Whether a [`Presence::When`] field of `table` is present for `t`; `None` for other fields.
pub fn wanted<T>(table: &'static [Field<T>], field: &Field<T>, t: &T) -> Option<bool> {
    match field.presence {
        Presence::When { tag, code } => Some(tag_value(table, tag, t) == Some(code)),
        Presence::Required => Some(true),
        Presence::Always | Presence::UnlessDefault => None,
    }
}
