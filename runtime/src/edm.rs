//! The building blocks of Graph models: how OData's primitive types, enums and updates are
//! represented, so that reading a value and writing it back loses nothing.
//!
//! | OData | Rust | why |
//! |---|---|---|
//! | `Edm.String` | `String` | |
//! | `Edm.Boolean` | `bool` | |
//! | `Edm.Int16`, `Int32` | `i16`, `i32` | |
//! | `Edm.Int64` | [`Int64`] | exact (never through `f64`); also read from a string (`IEEE754Compatible`) |
//! | `Edm.Double`, `Single` | [`Double`] | also the strings `NaN`, `INF`, `-INF` that OData allows |
//! | `Edm.Decimal` | [`Decimal`] | exact when sent as a string (`IEEE754Compatible=true`); a JSON number has `f64` precision |
//! | `Edm.DateTimeOffset` | [`DateTimeOffset`] | the text as sent: fractional seconds and offsets survive a round trip |
//! | `Edm.Date`, `TimeOfDay` | [`Date`], [`TimeOfDay`] | the text as sent |
//! | `Edm.Duration` | [`Duration`] | ISO 8601 text (`P1DT2H`), as sent |
//! | `Edm.Guid` | [`Guid`] | the text as sent (case kept) |
//! | `Edm.Binary` | [`Binary`] | the base64 text as sent |
//! | `Edm.Untyped`, open-type extras | `serde_json::Value` | |
//! | `Edm.Stream` | not a JSON property | fetched from the stream's own URL |
//! | enum types | an enum with an `Unrecognized(String)` variant ([`graph_enum!`](crate::graph_enum)) | a value newer than the model is kept, not an error |
//! | flags enum types | [`Flags<E>`] | the comma-separated form, as a set in order |
//! | a property in a PATCH body | [`Field<T>`] | absent (leave unchanged), `null` (clear) or a value (set) |
//!
//! The text-keeping types validate nothing when reading: a value Graph sends is never a
//! reason to fail a whole response. They check their text when asked for its parts.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A property of an update (PATCH) body: leave it unchanged, clear it, or set it.
///
/// Use it with `#[serde(default, skip_serializing_if = "Field::is_absent")]`: an absent
/// field is not serialized, [`Field::Null`] is written as `null`, [`Field::Value`] as the
/// value. Reading, a missing property is [`Field::Absent`] and `null` is [`Field::Null`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    /// Not sent: the property keeps its value.
    #[default]
    Absent,
    /// Sent as `null`: the property is cleared.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the field is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Whether the field is `null` (cleared).
    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// The value, if set.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if set, mutably.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if set, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value dereferenced, if set: `Option<&str>` for a `Field<String>`,
    /// `Option<&[T]>` for a `Field<Vec<T>>`.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: core::ops::Deref,
    {
        self.value().map(|v| &**v)
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when the field is not skipped: an absent field inside a
            // sequence or map value is written as `null`.
            Field::Absent | Field::Null => serializer.serialize_none(),
            Field::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Field::Value(value),
            None => Field::Null,
        })
    }
}

/// `Edm.Int64`: an exact 64-bit integer. Reads a JSON integer, or a string holding one
/// (what OData sends with `IEEE754Compatible=true`), and writes it back in the form it
/// was read in (the string as sent); a value made with [`Int64::new`] is written as a JSON
/// integer. Two values are equal when their integers are.
#[derive(Debug, Clone, Default)]
pub struct Int64 {
    value: i64,
    text: Option<Box<str>>,
}

impl Int64 {
    /// This integer, written as a JSON integer.
    pub fn new(value: i64) -> Int64 {
        Int64 { value, text: None }
    }

    /// Its value.
    pub fn value(&self) -> i64 {
        self.value
    }
}

impl From<i64> for Int64 {
    fn from(value: i64) -> Self {
        Int64::new(value)
    }
}

impl PartialEq for Int64 {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for Int64 {}

impl core::hash::Hash for Int64 {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialOrd for Int64 {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Int64 {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.text {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_i64(self.value),
        }
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Int64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 64-bit integer, as a number or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int64, E> {
                Ok(Int64::new(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int64, E> {
                i64::try_from(v)
                    .map(Int64::new)
                    .map_err(|_| E::custom(format!("{v} is out of range for Edm.Int64")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int64, E> {
                v.trim()
                    .parse()
                    .map(|value| Int64 {
                        value,
                        text: Some(v.into()),
                    })
                    .map_err(|_| E::custom(format!("`{v}` is not an Edm.Int64")))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `Edm.Double` (and `Edm.Single`): a float, read from a JSON number or from the strings
/// `NaN`, `INF` and `-INF` OData uses for values JSON numbers cannot carry (a numeric
/// string is read too). It is written back in the form it was read in — an integer as an
/// integer (`99`, not `99.0`), a string as the same string — so a round trip does not
/// change the JSON; a value made with [`Double::new`] is written as a number (or as one of
/// those strings). Two doubles are equal when their values are.
#[derive(Debug, Clone, Default)]
pub struct Double {
    value: f64,
    form: DoubleForm,
}

/// How a [`Double`] was written in the JSON it came from.
#[derive(Debug, Clone, Default)]
enum DoubleForm {
    /// A JSON number with a fraction or exponent, or made by [`Double::new`].
    #[default]
    Float,
    /// A JSON integer, kept exactly.
    Signed(i64),
    /// A JSON integer above `i64::MAX`, kept exactly.
    Unsigned(u64),
    /// A string (`"NaN"`, `"4.2"`), kept as sent.
    Text(String),
}

impl Double {
    /// A double with this value.
    pub fn new(value: f64) -> Double {
        Double {
            value,
            form: DoubleForm::Float,
        }
    }

    /// Its value.
    pub fn value(&self) -> f64 {
        self.value
    }
}

impl From<f64> for Double {
    fn from(value: f64) -> Self {
        Double::new(value)
    }
}

impl PartialEq for Double {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialOrd for Double {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = self.value;
        match &self.form {
            DoubleForm::Signed(i) => serializer.serialize_i64(*i),
            DoubleForm::Unsigned(u) => serializer.serialize_u64(*u),
            DoubleForm::Text(text) => serializer.serialize_str(text),
            DoubleForm::Float if v.is_nan() => serializer.serialize_str("NaN"),
            DoubleForm::Float if v == f64::INFINITY => serializer.serialize_str("INF"),
            DoubleForm::Float if v == f64::NEG_INFINITY => serializer.serialize_str("-INF"),
            DoubleForm::Float => serializer.serialize_f64(v),
        }
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Double;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or NaN, INF or -INF as a string")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Double, E> {
                Ok(Double::new(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Double, E> {
                Ok(Double {
                    value: v as f64,
                    form: DoubleForm::Signed(v),
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Double, E> {
                Ok(match i64::try_from(v) {
                    Ok(i) => Double {
                        value: v as f64,
                        form: DoubleForm::Signed(i),
                    },
                    Err(_) => Double {
                        value: v as f64,
                        form: DoubleForm::Unsigned(v),
                    },
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Double, E> {
                let value = match v {
                    "NaN" => f64::NAN,
                    "INF" => f64::INFINITY,
                    "-INF" => f64::NEG_INFINITY,
                    other => other
                        .trim()
                        .parse()
                        .ok()
                        .filter(|f: &f64| f.is_finite())
                        .ok_or_else(|| E::custom(format!("`{v}` is not an Edm.Double")))?,
                };
                Ok(Double {
                    value,
                    form: DoubleForm::Text(v.to_owned()),
                })
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Defines a type that keeps a value's text exactly as Graph sent it.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $expecting:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(String);

        impl $name {
            /// The value from its text (not checked).
            pub fn new(text: impl Into<String>) -> Self {
                $name(text.into())
            }

            /// The text, as sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl core::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<&String> for $name {
            fn from(text: &String) -> Self {
                $name(text.clone())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name(v.to_owned()))
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name(v))
                    }
                }
                deserializer.deserialize_str(V)
            }
        }
    };
}

text_type!(
    /// `Edm.DateTimeOffset`: an ISO 8601 date-time with offset (`2026-12-01T19:04:44.1234567Z`),
    /// kept as sent so fractional seconds and offsets survive a round trip.
    DateTimeOffset,
    "an ISO 8601 date-time string"
);
text_type!(
    /// `Edm.Date`: an ISO 8601 date (`2026-12-01`), kept as sent.
    Date,
    "an ISO 8601 date string"
);
text_type!(
    /// `Edm.TimeOfDay`: an ISO 8601 time (`19:04:44.0000000`), kept as sent.
    TimeOfDay,
    "an ISO 8601 time string"
);
text_type!(
    /// `Edm.Duration`: an ISO 8601 duration (`P1DT2H30M`), kept as sent.
    Duration,
    "an ISO 8601 duration string"
);
text_type!(
    /// `Edm.Guid`: a GUID, kept as sent (case included).
    Guid,
    "a GUID string"
);
text_type!(
    /// `Edm.Binary`: base64 text, kept as sent.
    Binary,
    "a base64 string"
);

/// `Edm.Decimal`: a decimal number as text. Sent as a string (Graph does so when the
/// request carries `IEEE754Compatible=true`), every digit is kept and written back as the
/// same string; sent as a JSON number, it is read as `serde_json` reads numbers (`f64`
/// precision for fractions) and written back as that number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Decimal {
    text: String,
    /// Sent as a JSON string (and so written back as one).
    quoted: bool,
}

impl Decimal {
    /// The decimal's text (`12.50`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A decimal from its text, to be sent as a JSON number; `None` unless the text is
    /// a JSON number.
    pub fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        serde_json::from_str::<serde_json::Number>(text).ok()?;
        Some(Decimal {
            text: text.to_owned(),
            quoted: false,
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match serde_json::from_str::<serde_json::Number>(&self.text) {
            Ok(number) if !self.quoted => number.serialize(serializer),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Number(number) => Ok(Decimal {
                text: number.to_string(),
                quoted: false,
            }),
            serde_json::Value::String(text) => Ok(Decimal { text, quoted: true }),
            other => Err(de::Error::custom(format!("{other} is not an Edm.Decimal"))),
        }
    }
}

/// What every generated enum is: known members, and the text of members it does not know.
pub trait GraphEnum: Sized + Clone + Ord {
    /// The member's JSON text.
    fn as_str(&self) -> &str;
    /// The member whose JSON text is `text`, or the unknown member keeping it.
    fn from_text(text: &str) -> Self;
    /// Whether this is a member the model knows.
    fn is_known(&self) -> bool;
}

/// Defines a Graph enum type: its members with their JSON texts, and an `Unrecognized(String)`
/// member for values newer than the model (kept, never an error). The type gets
/// [`GraphEnum`], `Display`, `FromStr` (infallible) and serde impls writing the text.
///
/// ```
/// graphspec_runtime::graph_enum! {
///     /// `microsoft.graph.color`.
///     pub enum Color {
///         /// `red`
///         Red = "red",
///         /// `blue`
///         Blue = "blue",
///     }
/// }
/// let c: Color = serde_json::from_str("\"magenta\"").unwrap();
/// assert_eq!(c, Color::Unrecognized("magenta".into()));
/// assert_eq!(serde_json::to_string(&c).unwrap(), "\"magenta\"");
/// ```
#[macro_export]
macro_rules! graph_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this model does not know (newer than it), as sent.
            Unrecognized(::std::string::String),
        }

        impl $crate::edm::GraphEnum for $name {
            fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unrecognized(text) => text,
                }
            }
            fn from_text(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Unrecognized(::std::string::ToString::to_string(other)),
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, $name::Unrecognized(_))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::edm::GraphEnum::as_str(self))
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($crate::edm::GraphEnum::from_text(text))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::edm::GraphEnum::as_str(self))
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::edm::deserialize_enum(deserializer)
            }
        }
    };
}

/// Reads an enum member from a JSON string. Generated enums' `Deserialize` calls this.
pub fn deserialize_enum<'de, E: GraphEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    struct V<E>(PhantomData<E>);
    impl<E: GraphEnum> Visitor<'_> for V<E> {
        type Value = E;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum member as a string")
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<E, Er> {
            Ok(E::from_text(v))
        }
    }
    deserializer.deserialize_str(V(PhantomData))
}

/// A value of a flags enum type (`IsFlags`): a set of members, written as OData writes it,
/// comma-separated in one string (`"read,write"`). Members keep the order they were read
/// in, repeats are dropped, and unknown members are kept like known ones.
#[derive(Debug, Clone)]
pub struct Flags<E> {
    members: Vec<E>,
    /// The text read, written back as it was until the set is changed.
    text: Option<String>,
}

impl<E> Default for Flags<E> {
    fn default() -> Self {
        Flags {
            members: Vec::new(),
            text: None,
        }
    }
}

impl<E: PartialEq> PartialEq for Flags<E> {
    fn eq(&self, other: &Self) -> bool {
        self.members == other.members
    }
}

impl<E: Eq> Eq for Flags<E> {}

impl<E: GraphEnum> Flags<E> {
    /// The empty set.
    pub fn new() -> Self {
        Flags::default()
    }

    /// Adds `member` (no effect when present).
    pub fn insert(&mut self, member: E) {
        if !self.members.contains(&member) {
            self.members.push(member);
            self.text = None;
        }
    }

    /// Whether `member` is in the set.
    pub fn contains(&self, member: &E) -> bool {
        self.members.contains(member)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = &E> {
        self.members.iter()
    }

    /// The set from OData's comma-separated text (spaces around members ignored). The
    /// text is kept: the set is written back exactly as read until it is changed.
    pub fn parse(text: &str) -> Self {
        let mut flags = Flags::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            flags.insert(E::from_text(part));
        }
        flags.text = Some(text.to_owned());
        flags
    }
}

impl<E: GraphEnum> FromIterator<E> for Flags<E> {
    fn from_iter<I: IntoIterator<Item = E>>(iter: I) -> Self {
        let mut flags = Flags::new();
        for member in iter {
            flags.insert(member);
        }
        flags
    }
}

impl<E: GraphEnum> fmt::Display for Flags<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = &self.text {
            return f.write_str(text);
        }
        for (i, member) in self.members.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(member.as_str())?;
        }
        Ok(())
    }
}

impl<E: GraphEnum> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, E: GraphEnum> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<E>(PhantomData<E>);
        impl<E: GraphEnum> Visitor<'_> for V<E> {
            type Value = Flags<E>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("flags as a comma-separated string")
            }
            fn visit_str<Er: de::Error>(self, v: &str) -> Result<Flags<E>, Er> {
                Ok(Flags::parse(v))
            }
        }
        deserializer.deserialize_str(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    crate::graph_enum! {
        /// A test enum.
        pub enum Access {
            /// `read`
            Read = "read",
            /// `write`
            Write = "write",
            /// `unknownFutureValue`
            UnknownFutureValue = "unknownFutureValue",
            /// after `unknownFutureValue`: still a member
            Admin = "admin",
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Update {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        display_name: Field<String>,
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        job_title: Field<String>,
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        access: Field<Flags<Access>>,
    }

    #[test]
    fn a_patch_body_says_leave_clear_or_set() {
        let update = Update {
            display_name: Field::Value("Ada".into()),
            job_title: Field::Null,
            access: Field::Absent,
        };
        let text = serde_json::to_value(&update).unwrap();
        assert_eq!(text, json!({"displayName": "Ada", "jobTitle": null}));
        let back: Update = serde_json::from_value(text).unwrap();
        assert_eq!(back, update);
        assert_eq!(serde_json::to_value(Update::default()).unwrap(), json!({}));
    }

    #[test]
    fn enums_keep_unknown_members_and_members_after_unknown_future_value() {
        let read = |text: &str| serde_json::from_value::<Access>(json!(text)).unwrap();
        assert_eq!(read("admin"), Access::Admin);
        assert_eq!(read("owner"), Access::Unrecognized("owner".into()));
        assert!(!read("owner").is_known());
        assert_eq!(serde_json::to_value(read("owner")).unwrap(), json!("owner"));
        assert_eq!("write".parse::<Access>().unwrap(), Access::Write);
        assert!(serde_json::from_value::<Access>(json!(3)).is_err());
    }

    #[test]
    fn flags_read_the_comma_separated_form_as_a_set() {
        let flags: Flags<Access> = serde_json::from_value(json!("read, write,owner,read")).unwrap();
        assert!(flags.contains(&Access::Write));
        assert_eq!(flags.iter().count(), 3);
        // Written back as read, until changed.
        assert_eq!(
            serde_json::to_value(&flags).unwrap(),
            json!("read, write,owner,read")
        );
        let mut changed = flags.clone();
        changed.insert(Access::Unrecognized("admin".into()));
        assert_eq!(
            serde_json::to_value(&changed).unwrap(),
            json!("read,write,owner,admin")
        );
        assert_eq!(Flags::<Access>::parse("").iter().count(), 0);
    }

    #[test]
    fn int64_is_exact_and_reads_strings() {
        let big = json!(9_007_199_254_740_993_i64); // 2^53 + 1: not representable in f64
        let n: Int64 = serde_json::from_value(big.clone()).unwrap();
        assert_eq!(n, Int64::new(9_007_199_254_740_993));
        assert_eq!(serde_json::to_value(&n).unwrap(), big);
        let s: Int64 = serde_json::from_value(json!("-42")).unwrap();
        assert_eq!(s, Int64::new(-42));
        assert_eq!(s.value(), -42);
        // Written back as it was sent.
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("-42"));
        assert_eq!(serde_json::to_value(Int64::new(-42)).unwrap(), json!(-42));
        assert!(serde_json::from_value::<Int64>(json!(u64::MAX)).is_err());
        assert!(serde_json::from_value::<Int64>(json!("4x")).is_err());
    }

    #[test]
    fn doubles_read_and_write_the_odata_special_values() {
        for text in ["NaN", "INF", "-INF", "4.2"] {
            let d: Double = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(serde_json::to_value(d).unwrap(), json!(text));
        }
        let d: Double = serde_json::from_value(json!(1.5)).unwrap();
        assert_eq!(d, Double::new(1.5));
        assert_eq!(serde_json::to_value(d).unwrap(), json!(1.5));
        assert!(serde_json::from_value::<Double>(json!("inf")).is_err());
        assert_eq!(
            serde_json::to_value(Double::new(f64::NAN)).unwrap(),
            json!("NaN")
        );
    }

    #[test]
    fn doubles_keep_the_form_they_were_read_in() {
        for value in [
            json!(99),
            json!(99.0),
            json!(-3),
            json!(u64::MAX),
            json!(1e300),
        ] {
            let d: Double = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(serde_json::to_value(&d).unwrap(), value);
        }
        let integer: Double = serde_json::from_str("99").unwrap();
        assert_eq!(integer, Double::new(99.0));
        assert_eq!(integer.value(), 99.0);
    }

    #[test]
    fn text_types_keep_the_text() {
        for text in [
            "2026-12-01T19:04:44.1234567Z",
            "2026-12-01T19:04:44+05:30",
            "2026-12-01T19:04:44.100Z",
        ] {
            let v: DateTimeOffset = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(v.as_str(), text);
            assert_eq!(serde_json::to_value(&v).unwrap(), json!(text));
        }
        let g: Guid =
            serde_json::from_value(json!("A1B2C3D4-0000-0000-0000-000000000000")).unwrap();
        assert_eq!(g.as_str(), "A1B2C3D4-0000-0000-0000-000000000000");
        assert!(serde_json::from_value::<Duration>(json!(5)).is_err());
    }

    #[test]
    fn decimals_sent_as_strings_keep_every_digit() {
        let text = "\"12345678901234567890.123456789\"";
        let d: Decimal = serde_json::from_str(text).unwrap();
        assert_eq!(d.as_str(), "12345678901234567890.123456789");
        // Written back as the number it is: JSON has no other way to say it.
        let d: Decimal = serde_json::from_str("12.5").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "12.5");
        let s: Decimal = serde_json::from_value(json!("7.10")).unwrap();
        assert_eq!(s.as_str(), "7.10");
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("7.10"));
        assert!(serde_json::from_value::<Decimal>(json!(true)).is_err());
        assert_eq!(Decimal::parse(" 1.50 ").unwrap().as_str(), "1.50");
    }

    proptest! {
        #[test]
        fn reading_any_json_never_panics(value in any_json()) {
            let _ = serde_json::from_value::<Int64>(value.clone());
            let _ = serde_json::from_value::<Double>(value.clone());
            let _ = serde_json::from_value::<Decimal>(value.clone());
            let _ = serde_json::from_value::<DateTimeOffset>(value.clone());
            let _ = serde_json::from_value::<Access>(value.clone());
            let _ = serde_json::from_value::<Flags<Access>>(value.clone());
            let _ = serde_json::from_value::<Field<Vec<Int64>>>(value);
        }

        #[test]
        fn flags_round_trip(members in proptest::collection::vec("[a-z]{1,8}", 0..6)) {
            let flags: Flags<Access> = members.iter().map(|m| Access::from_text(m)).collect();
            let back: Flags<Access> = serde_json::from_value(serde_json::to_value(&flags).unwrap()).unwrap();
            prop_assert_eq!(back, flags);
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(".{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
