//! How generated structured types (OData entity and complex types) read and write JSON.
//!
//! A generated model is a struct whose properties are all [`Field`]s (Graph omits
//! properties freely, and a PATCH body must be able to say "leave", "clear" and "set"),
//! plus an `additional` map that keeps, in the order received, every property the struct
//! does not declare: properties newer than the model, navigation properties, and
//! annotations such as `@odata.type` or `members@odata.bind`. Reading a value and writing
//! it back therefore gives back the same JSON object (nulls included).
//!
//! The generator writes, per type, only a table of its properties: one entry per property
//! in [`Structured::with_properties`] (name and field, for writing, printing and comparing)
//! and one `match` arm per property in [`Structured::property_mut`] (for reading). Each
//! field is reached through the object-safe [`Property`] trait, implemented once for
//! every `Field<T>`, so the code that drives reading, writing, `Debug` and `PartialEq` is
//! written here once ([`deserialize`], [`serialize`], [`debug`], [`eq`]) and compiled
//! once, not once per type. [`structured_impls!`](crate::structured_impls) writes the
//! four trait impls that call them. Compared with `#[derive(Serialize, Deserialize,
//! Debug, PartialEq)]` — or with per-type code calling a helper per property — this keeps
//! the thousands of generated types cheap to compile (see `docs/models.md`).
//!
//! ```
//! use graphspec_runtime::edm::Field;
//! use graphspec_runtime::structured::{self, Additional, Property, Structured};
//!
//! #[derive(Clone, Default)]
//! struct Thing {
//!     name: Field<String>,
//!     additional: Additional,
//! }
//!
//! impl Structured for Thing {
//!     const ODATA_TYPE: &'static str = "example.thing";
//!     fn with_properties(&self, visit: structured::Visit<'_>) {
//!         visit(&[("name", &self.name)], &self.additional)
//!     }
//!     fn property_mut(&mut self, key: &str) -> Option<&mut dyn Property> {
//!         Some(match key {
//!             "name" => &mut self.name,
//!             _ => return None,
//!         })
//!     }
//!     fn additional(&self) -> &Additional {
//!         &self.additional
//!     }
//!     fn additional_mut(&mut self) -> &mut Additional {
//!         &mut self.additional
//!     }
//! }
//! graphspec_runtime::structured_impls!(Thing);
//!
//! let thing: Thing = serde_json::from_str(r#"{"name": null, "size": 3}"#).unwrap();
//! assert_eq!(thing.name, Field::Null);
//! assert_eq!(thing.additional["size"], 3);
//! assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"name":null,"size":3}"#);
//! assert_eq!(format!("{thing:?}"), r#"Thing { name: Null, additional: {"size": Number(3)}, .. }"#);
//! ```

use core::any::Any;
use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::edm::Field;

/// The properties a model keeps without declaring them, in the order received.
pub type Additional = Map<String, Value>;

/// What [`Structured::with_properties`] calls: the declared properties, in declaration
/// order, as (JSON name, field), then the kept ones.
pub type Visit<'v> = &'v mut dyn FnMut(&[(&'static str, &dyn Property)], &Additional);

/// What every generated entity and complex type is.
///
/// The methods are a table of the type's properties; everything else — `Serialize`,
/// `Deserialize`, `Debug`, `PartialEq` — is derived from it here (see
/// [`structured_impls!`](crate::structured_impls)).
pub trait Structured: Default + Sized {
    /// The qualified OData name of the type (`microsoft.graph.user`).
    const ODATA_TYPE: &'static str;

    /// Calls `visit` once with the declared properties, in declaration order (each with
    /// its JSON name), and the kept ones.
    fn with_properties(&self, visit: Visit<'_>);

    /// The declared property `key` (its JSON name), or `None` when the type does not
    /// declare it (it is then kept in [`Structured::additional_mut`]).
    fn property_mut(&mut self, key: &str) -> Option<&mut dyn Property>;

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

/// One declared property of a model, whatever its type: what the shared code in this
/// module needs of a field. Implemented for every [`Field<T>`] whose `T` reads, writes,
/// prints and compares.
pub trait Property: Any {
    /// The value to write, or `None` when the field is [`Field::Absent`] (not written).
    /// [`Field::Null`] writes `null`.
    fn value(&self) -> Option<&dyn erased_serde::Serialize>;

    /// Reads the field from `deserializer` (`null` is [`Field::Null`]).
    fn read(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<(), erased_serde::Error>;

    /// The field, to print.
    fn as_debug(&self) -> &dyn fmt::Debug;

    /// The field, to compare with [`Property::eq_property`].
    fn as_any(&self) -> &dyn Any;

    /// Whether `other` is a field of the same type with an equal value.
    fn eq_property(&self, other: &dyn Property) -> bool;
}

impl<T> Property for Field<T>
where
    T: Serialize + DeserializeOwned + fmt::Debug + PartialEq + 'static,
{
    fn value(&self) -> Option<&dyn erased_serde::Serialize> {
        match self {
            Field::Absent => None,
            Field::Null => Some(&()),
            Field::Value(value) => Some(value),
        }
    }

    fn read(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
    ) -> Result<(), erased_serde::Error> {
        *self = erased_serde::deserialize(deserializer)?;
        Ok(())
    }

    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn eq_property(&self, other: &dyn Property) -> bool {
        other.as_any().downcast_ref::<Self>() == Some(self)
    }
}

/// Writes the four trait impls every generated model has — `Serialize`, `Deserialize`,
/// `Debug` and `PartialEq` — for types that implement [`Structured`], each calling the
/// shared code of [`structured`](crate::structured).
#[macro_export]
macro_rules! structured_impls {
    ($($name:ident),* $(,)?) => {$(
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::structured::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::structured::deserialize(deserializer)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::structured::debug(self, f)
            }
        }

        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                $crate::structured::eq(self, other)
            }
        }
    )*};
}

/// Every model's `Deserialize`: reads a JSON object property by property, a declared one
/// into its field ([`Structured::property_mut`]), any other into
/// [`Structured::additional_mut`] (see [`keep`]). Anything but an object is an error.
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
            match value.property_mut(&key) {
                Some(property) => map.next_value_seed(Read(property))?,
                None => keep(value.additional_mut(), &key, &mut map)?,
            }
        }
        Ok(value)
    }
}

/// Reads one property's value into its field.
struct Read<'p>(&'p mut dyn Property);

impl<'de> DeserializeSeed<'de> for Read<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.read(&mut erased).map_err(de::Error::custom)
    }
}

/// Every model's `Serialize`: the declared properties that are not
/// [`Field::Absent`], in declaration order, then the kept ones in the order received.
pub fn serialize<T: Structured, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut serializer = Some(serializer);
    let mut result = None;
    value.with_properties(&mut |properties, additional| {
        if let Some(serializer) = serializer.take() {
            result = Some(write_object(serializer, properties, additional));
        }
    });
    result.unwrap_or_else(|| {
        Err(<S::Error as serde::ser::Error>::custom(format_args!(
            "{} listed no properties",
            T::ODATA_TYPE
        )))
    })
}

fn write_object<S: Serializer>(
    serializer: S,
    properties: &[(&'static str, &dyn Property)],
    additional: &Additional,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (key, property) in properties {
        if let Some(value) = property.value() {
            map.serialize_entry(key, value)?;
        }
    }
    for (key, value) in additional {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Every model's `Debug`: the type's name, then only the properties that are present
/// (a model has up to a few hundred, most of them absent in any one response), each
/// under its JSON name, then the kept ones; `..` stands for the absent ones.
pub fn debug<T: Structured>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let name = core::any::type_name::<T>();
    let name = name.rsplit("::").next().unwrap_or(name);
    let mut result = Ok(());
    value.with_properties(&mut |properties, additional| {
        let mut out = f.debug_struct(name);
        for (key, property) in properties {
            if property.value().is_some() {
                out.field(key, property.as_debug());
            }
        }
        if !additional.is_empty() {
            out.field("additional", additional);
        }
        result = out.finish_non_exhaustive();
    });
    result
}

/// Every model's `PartialEq`: equal fields (absent, `null` and values told apart) and
/// equal kept properties.
pub fn eq<T: Structured>(a: &T, b: &T) -> bool {
    let mut equal = false;
    a.with_properties(&mut |left, left_additional| {
        b.with_properties(&mut |right, right_additional| {
            equal = left_additional == right_additional
                && left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|((_, l), (_, r))| l.eq_property(*r));
        });
    });
    equal
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

    #[derive(Clone, Default)]
    struct Thing {
        name: Field<String>,
        size: Field<i32>,
        additional: Additional,
    }

    impl Structured for Thing {
        const ODATA_TYPE: &'static str = "example.thing";
        fn with_properties(&self, visit: Visit<'_>) {
            visit(
                &[("name", &self.name), ("size", &self.size)],
                &self.additional,
            )
        }
        fn property_mut(&mut self, key: &str) -> Option<&mut dyn Property> {
            Some(match key {
                "name" => &mut self.name,
                "size" => &mut self.size,
                _ => return None,
            })
        }
        fn additional(&self) -> &Additional {
            &self.additional
        }
        fn additional_mut(&mut self) -> &mut Additional {
            &mut self.additional
        }
    }

    crate::structured_impls!(Thing);

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
