//! Serde impls for the runtime's few JSON objects (token claims, Graph's error body,
//! collection pages), written out instead of derived: without `serde_derive`, a build of
//! graphspec with its default features compiles one proc-macro crate less (10 s of a
//! clean check's 100 s of compile time, `cargo check --timings`). Each object is a few
//! known properties plus the rest kept in order.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Removes `key` from `object` and reads it as `T`; absent or `null` is `None`.
pub(crate) fn take<T: DeserializeOwned, E: serde::de::Error>(
    object: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, E> {
    match object.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
    }
}

/// Like [`take`], for a property that must be present.
pub(crate) fn take_required<T: DeserializeOwned, E: serde::de::Error>(
    object: &mut Map<String, Value>,
    key: &'static str,
) -> Result<T, E> {
    take(object, key)?.ok_or_else(|| E::missing_field(key))
}

/// Reads a JSON object (anything else is an error).
pub(crate) fn object<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Map<String, Value>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

/// Writes `known` (present ones) then `rest` as one JSON object.
pub(crate) fn write<S: serde::Serializer>(
    serializer: S,
    known: &[(&str, Option<Value>)],
    rest: &Map<String, Value>,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let present = known.iter().filter(|(_, v)| v.is_some()).count();
    let mut map = serializer.serialize_map(Some(present + rest.len()))?;
    for (key, value) in known {
        if let Some(value) = value {
            map.serialize_entry(key, value)?;
        }
    }
    for (key, value) in rest {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// `value` as JSON, for [`write`]; `None` stays absent.
pub(crate) fn json<T: serde::Serialize, E: serde::ser::Error>(
    value: Option<&T>,
) -> Result<Option<Value>, E> {
    value
        .map(|v| serde_json::to_value(v).map_err(E::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_reads_and_removes() {
        let mut object: Map<String, Value> =
            serde_json::from_str(r#"{"a": "x", "b": null, "c": 1}"#).unwrap();
        let a: Option<String> = take::<_, serde_json::Error>(&mut object, "a").unwrap();
        assert_eq!(a.as_deref(), Some("x"));
        let b: Option<String> = take::<_, serde_json::Error>(&mut object, "b").unwrap();
        assert_eq!(b, None);
        assert!(take::<String, serde_json::Error>(&mut object, "c").is_err());
        assert!(take_required::<String, serde_json::Error>(&mut object, "d").is_err());
        assert!(object.is_empty());
    }
}
