//! Sans-IO response parsing.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{Error, GraphError, OperationInfo};

/// A page of a Graph collection: `{"value": [...], "@odata.nextLink": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct Collection<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// The URL of the next page, to be followed verbatim.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// Other annotations (`@odata.context`, …).
    #[serde(flatten)]
    pub additional: serde_json::Map<String, serde_json::Value>,
}

fn check_status<B: AsRef<[u8]>>(
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

/// Parses a response as the operation `info` says: JSON of type `T`, or, for an operation
/// whose success carries no content, nothing (`T` is then `()`, read from `null`). What
/// [`Endpoint::parse_response`](crate::Endpoint::parse_response) does by default.
pub fn parse<T: DeserializeOwned, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: http::Response<B>,
) -> Result<T, Error> {
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
