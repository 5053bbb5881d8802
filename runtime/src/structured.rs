//! How generated structured types (OData entity and complex types) read and write JSON.
//!
//! A generated model is a struct whose properties are all [`Field`]s (Graph omits
//! properties freely, and a PATCH body must be able to say "leave", "clear" and "set"),
//! plus an `additional` map that keeps, in the order received, every property the struct
//! does not declare: properties newer than the model, navigation properties, and
//! annotations such as `@odata.type` or `members@odata.bind`. Reading a value and writing
//! it back therefore gives back the same JSON object (nulls included).
//!
//! The generator writes, per type, only what differs between types — one `match` arm per
//! property in [`Structured::read_property`], one [`write_field`] call per property in
//! `Serialize` — and the code that drives them lives here once: [`deserialize`] is every
//! model's `Deserialize`. Compared with `#[derive(Serialize, Deserialize)]`, this keeps
//! the thousands of generated types cheap to compile.
//!
//! ```
//! use graphspec_runtime::edm::Field;
//! use graphspec_runtime::structured::{self, Structured};
//! use serde::de::MapAccess;
//!
//! #[derive(Debug, Default)]
//! struct Thing {
//!     name: Field<String>,
//!     additional: serde_json::Map<String, serde_json::Value>,
//! }
//!
//! impl Structured for Thing {
//!     const ODATA_TYPE: &'static str = "example.thing";
//!     fn read_property<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
//!         match key {
//!             "name" => self.name = map.next_value()?,
//!             _ => structured::keep(&mut self.additional, key, map)?,
//!         }
//!         Ok(())
//!     }
//!     fn additional(&self) -> &serde_json::Map<String, serde_json::Value> {
//!         &self.additional
//!     }
//!     fn additional_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
//!         &mut self.additional
//!     }
//! }
//!
//! let thing: Thing = structured::deserialize(
//!     &mut serde_json::Deserializer::from_str(r#"{"name": null, "size": 3}"#),
//! )
//! .unwrap();
//! assert_eq!(thing.name, Field::Null);
//! assert_eq!(thing.additional["size"], 3);
//! ```

use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::edm::Field;

/// The properties a model keeps without declaring them, in the order received.
pub type Additional = Map<String, Value>;

/// What every generated entity and complex type is.
pub trait Structured: Default + Sized {
    /// The qualified OData name of the type (`microsoft.graph.user`).
    const ODATA_TYPE: &'static str;

    /// Reads the value of the property `key` from `map` into `self`: a declared property
    /// into its field, any other into [`Structured::additional_mut`] (see [`keep`]).
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The properties kept without a field: newer properties, navigation properties and
    /// annotations.
    fn additional(&self) -> &Additional;

    /// See [`Structured::additional`].
    fn additional_mut(&mut self) -> &mut Additional;

    /// The type the value says it is (its `@odata.type`, without the `#`), or `None` when
    /// it does not say (it is then of the declared type).
    fn odata_type(&self) -> Option<&str> {
        self.additional()
            .get("@odata.type")
            .and_then(Value::as_str)
            .map(|t| t.trim_start_matches('#'))
    }
}

/// Every model's `Deserialize`: reads a JSON object property by property through
/// [`Structured::read_property`]. Anything but an object is an error.
pub fn deserialize<'de, T: Structured, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Structured> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::ODATA_TYPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            value.read_property(&key, &mut map)?;
        }
        Ok(value)
    }
}

/// A property name, borrowed from the input when it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// Keeps the value of an undeclared property `key` in `additional` (a later duplicate
/// replaces an earlier one, as with declared properties).
pub fn keep<'de, A: MapAccess<'de>>(
    additional: &mut Additional,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    additional.insert(key.to_owned(), value);
    Ok(())
}

/// Writes a declared property unless it is [`Field::Absent`].
pub fn write_field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    field: &Field<T>,
) -> Result<(), M::Error> {
    match field {
        Field::Absent => Ok(()),
        Field::Null => map.serialize_entry(key, &()),
        Field::Value(value) => map.serialize_entry(key, value),
    }
}

/// Writes the kept properties and ends the object.
pub fn end<M: SerializeMap>(mut map: M, additional: &Additional) -> Result<M::Ok, M::Error> {
    for (key, value) in additional {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Reads an expanded navigation property (or any kept property) as `T`: `None` when the
/// value does not have it (it was not expanded), `Some(Err)` when it does not read as `T`.
pub fn expanded<T: serde::de::DeserializeOwned>(
    additional: &Additional,
    key: &str,
) -> Option<Result<T, serde_json::Error>> {
    additional.get(key).map(T::deserialize)
}

/// Why a value could not be converted to another model type
/// ([`convert`]).
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The value's type is not the wanted type nor derived from it.
    #[error("a {actual} is not a {wanted}")]
    NotA {
        /// The value's type (its `@odata.type`, or the declared type).
        actual: String,
        /// The type asked for.
        wanted: &'static str,
    },
    /// The value says it is of the wanted type but does not read as it.
    #[error("the value does not read as {wanted}: {source}")]
    Decode {
        /// The type asked for.
        wanted: &'static str,
        /// What went wrong.
        source: serde_json::Error,
    },
}

/// Converts a value of one model type to another (`DirectoryObject` to `Group`), without
/// losing anything: `is_a(actual, wanted)` says whether the value's type (its
/// `@odata.type`, or `From`'s own) is `To` or derived from it. Generated crates pass their
/// type hierarchy.
pub fn convert<From, To>(
    value: &From,
    is_a: impl Fn(&str, &str) -> bool,
) -> Result<To, ConvertError>
where
    From: Structured + Serialize,
    To: Structured + serde::de::DeserializeOwned,
{
    let actual = value.odata_type().unwrap_or(From::ODATA_TYPE);
    if !is_a(actual, To::ODATA_TYPE) {
        return Err(ConvertError::NotA {
            actual: actual.to_owned(),
            wanted: To::ODATA_TYPE,
        });
    }
    let json = serde_json::to_value(value).map_err(|source| ConvertError::Decode {
        wanted: To::ODATA_TYPE,
        source,
    })?;
    To::deserialize(json).map_err(|source| ConvertError::Decode {
        wanted: To::ODATA_TYPE,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        name: Field<String>,
        size: Field<i32>,
        additional: Additional,
    }

    impl Structured for Thing {
        const ODATA_TYPE: &'static str = "example.thing";
        fn read_property<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "name" => self.name = map.next_value()?,
                "size" => self.size = map.next_value()?,
                _ => keep(&mut self.additional, key, map)?,
            }
            Ok(())
        }
        fn additional(&self) -> &Additional {
            &self.additional
        }
        fn additional_mut(&mut self) -> &mut Additional {
            &mut self.additional
        }
    }

    impl Serialize for Thing {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(None)?;
            write_field(&mut map, "name", &self.name)?;
            write_field(&mut map, "size", &self.size)?;
            end(map, &self.additional)
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn round_trip_keeps_nulls_unknowns_and_escaped_keys() {
        let text = r##"{"name":null,"@odata.type":"#example.thing","na\u006de2":[1],"size":3}"##;
        let thing: Thing = serde_json::from_str(text).unwrap();
        assert_eq!(thing.name, Field::Null);
        assert_eq!(thing.size, Field::Value(3));
        assert_eq!(thing.odata_type(), Some("example.thing"));
        assert_eq!(thing.additional["name2"], serde_json::json!([1]));
        let back = serde_json::to_value(&thing).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
        // From a `Value` too (owned keys).
        let again: Thing = serde_json::from_value(back).unwrap();
        assert_eq!(again, thing);
    }

    #[test]
    fn wrong_shapes_are_errors() {
        assert!(serde_json::from_str::<Thing>("[]").is_err());
        assert!(serde_json::from_str::<Thing>("\"x\"").is_err());
        assert!(serde_json::from_str::<Thing>(r#"{"size":"big"}"#).is_err());
        let e = serde_json::from_str::<Thing>("3").unwrap_err().to_string();
        assert!(e.contains("example.thing"), "{e}");
    }

    #[test]
    fn convert_checks_the_hierarchy() {
        let thing: Thing =
            serde_json::from_str(r##"{"@odata.type":"#example.other","size":1}"##).unwrap();
        let err = convert::<Thing, Thing>(&thing, |a, w| a == w).unwrap_err();
        assert!(matches!(err, ConvertError::NotA { .. }), "{err}");
        let same: Thing = convert(&thing, |_, _| true).unwrap();
        assert_eq!(same, thing);
    }

    proptest::proptest! {
        #[test]
        fn any_json_reads_or_fails_without_panicking(text in ".{0,64}") {
            let _ = serde_json::from_str::<Thing>(&text);
        }
    }
}
