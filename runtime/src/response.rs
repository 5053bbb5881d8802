//! Sans-IO response parsing.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{Error, GraphError, OperationInfo};

/// A page of a Graph collection: `{"value": [...], "@odata.nextLink": "..."}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// The URL of the next page, to be followed verbatim.
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    pub count: Option<i64>,
    /// Other annotations (`@odata.context`, …).
    pub additional: serde_json::Map<String, serde_json::Value>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Collection<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Page<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Page<T> {
            type Value = Collection<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a collection page, an object with `value`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Collection<T>, A::Error> {
                use serde::de::Error as _;
                let mut value = None;
                let mut next_link = None;
                let mut count = None;
                let mut additional = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" if value.is_none() => value = Some(map.next_value()?),
                        "value" => return Err(A::Error::duplicate_field("value")),
                        "@odata.nextLink" => next_link = map.next_value()?,
                        "@odata.count" => count = map.next_value()?,
                        _ => {
                            let v = map.next_value()?;
                            additional.insert(key, v);
                        }
                    }
                }
                Ok(Collection {
                    value: value.ok_or_else(|| A::Error::missing_field("value"))?,
                    next_link,
                    count,
                    additional,
                })
            }
        }
        deserializer.deserialize_map(Page(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for Collection<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let known = 1 + usize::from(self.next_link.is_some()) + usize::from(self.count.is_some());
        let mut map = serializer.serialize_map(Some(known + self.additional.len()))?;
        map.serialize_entry("value", &self.value)?;
        if let Some(link) = &self.next_link {
            map.serialize_entry("@odata.nextLink", link)?;
        }
        if let Some(count) = &self.count {
            map.serialize_entry("@odata.count", count)?;
        }
        for (key, value) in &self.additional {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

pub(crate) fn check_status<B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: &http::Response<B>,
) -> Result<(), Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body = response.body().as_ref();
    match GraphError::parse(status.as_u16(), body) {
        Some(error) => Err(error.into()),
        None => Err(Error::UnexpectedStatus {
            operation: info.name,
            status: status.as_u16(),
            body: body.to_vec(),
        }),
    }
}

/// Parses a response as the operation `info` says: JSON of type `T`; for an operation
/// whose success carries no content, nothing (`T` is then `()`, read from `null`); for
/// one that answers raw content ([`ResponseKind::Content`](crate::ResponseKind::Content)),
/// the body's bytes (`T` is then `Vec<u8>`, read as a sequence of bytes). What
/// [`Endpoint::parse_response`](crate::Endpoint::parse_response) does by default.
pub fn parse<T: DeserializeOwned, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: http::Response<B>,
) -> Result<T, Error> {
    if matches!(info.response.kind, crate::ResponseKind::Content) {
        check_status(info, &response)?;
        let body = response.body().as_ref();
        let bytes = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new(
            body.iter().copied(),
        );
        return T::deserialize(bytes).map_err(|e| Error::Decode {
            operation: info.name,
            status: response.status().as_u16(),
            message: e.to_string(),
            body: body.to_vec(),
        });
    }
    if matches!(info.response.kind, crate::ResponseKind::None) {
        let status = response.status().as_u16();
        parse_empty(info, response)?;
        return T::deserialize(serde_json::Value::Null).map_err(|e| Error::Decode {
            operation: info.name,
            status,
            message: e.to_string(),
            body: Vec::new(),
        });
    }
    parse_json(info, response)
}

/// Parses a response whose success body is JSON of type `T`.
pub fn parse_json<T: DeserializeOwned, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: http::Response<B>,
) -> Result<T, Error> {
    check_status(info, &response)?;
    let body = response.body().as_ref();
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        operation: info.name,
        status: response.status().as_u16(),
        message: e.to_string(),
        body: body.to_vec(),
    })
}

/// Parses a response whose success carries no content (`204 No Content`); a body, if the
/// service sends one anyway, is ignored.
pub fn parse_empty<B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: http::Response<B>,
) -> Result<(), Error> {
    check_status(info, &response)
}
