//! Errors: building requests, and what Graph answered.

use serde::{Deserialize, Serialize};

use crate::json_object::{self, json, take, take_required};

use crate::ApiVersion;

/// Everything that can go wrong building a request or reading a response.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A path argument cannot be used (empty, or a dot segment that would change the path).
    #[error("`{operation}`: path parameter `{parameter}` {problem}")]
    InvalidPathArgument {
        /// The operation's type name.
        operation: &'static str,
        /// The parameter's Rust name.
        parameter: &'static str,
        /// What is wrong with the value.
        problem: &'static str,
    },
    /// A header value is not a valid HTTP header value (e.g. it contains a newline).
    #[error("`{operation}`: the value of header `{header}` is not a valid HTTP header value")]
    InvalidHeaderValue {
        /// The operation's type name.
        operation: &'static str,
        /// The header.
        header: &'static str,
    },
    /// A required header is missing.
    #[error("`{operation}`: required header `{header}` is missing")]
    MissingHeader {
        /// The operation's type name.
        operation: &'static str,
        /// The header.
        header: &'static str,
    },
    /// The request's parts do not fit the operation (a bug in hand-built parts).
    #[error("`{operation}`: invalid request: {problem}")]
    InvalidRequest {
        /// The operation's type name.
        operation: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// A beta operation was built against a v1.0 endpoint.
    #[error(
        "`{operation}` is a {operation_version} operation; it cannot be sent to a {base_version} endpoint"
    )]
    VersionMismatch {
        /// The operation's type name.
        operation: &'static str,
        /// The operation's version.
        operation_version: ApiVersion,
        /// The endpoint's version.
        base_version: ApiVersion,
    },
    /// The request body could not be serialized.
    #[error("`{operation}`: the request body could not be encoded as JSON: {message}")]
    EncodeBody {
        /// The operation's type name.
        operation: &'static str,
        /// The serializer's message.
        message: String,
    },
    /// The assembled URI is not valid (a base URL that is not an absolute URL).
    #[error("invalid request URI `{uri}`")]
    InvalidUri {
        /// The URI that was rejected.
        uri: String,
    },
    /// Graph answered with an error body (boxed: it is much larger than the other
    /// variants).
    #[error(transparent)]
    Graph(Box<GraphError>),
    /// A non-success status without a Graph error body.
    #[error("`{operation}`: unexpected HTTP status {status}")]
    UnexpectedStatus {
        /// The operation's type name.
        operation: &'static str,
        /// The status code.
        status: u16,
        /// The response body, as received.
        body: Vec<u8>,
    },
    /// A success response whose body does not match the operation's response type.
    #[error("`{operation}`: the {status} response does not match the response type: {message}")]
    Decode {
        /// The operation's type name.
        operation: &'static str,
        /// The status code.
        status: u16,
        /// The deserializer's message.
        message: String,
        /// The response body, as received.
        body: Vec<u8>,
    },
    /// The operation is not supported with this scheme (e.g. a personal account).
    #[error("`{operation}` does not support the {scheme} scheme")]
    SchemeNotSupported {
        /// The operation's `resource::Name`.
        operation: String,
        /// The scheme.
        scheme: crate::Scheme,
    },
    /// The least-privileged scope set of these operations has more candidate scopes or
    /// needs more search steps than `graphspec_runtime::check::least_privileged` allows
    /// (see its limits).
    #[error(
        "the least-privileged scope set of these {operations} operations is too large to compute exactly"
    )]
    LeastPrivilegeTooLarge {
        /// How many operations were given.
        operations: usize,
    },
    /// A permission has no published GUID for a scheme, so it cannot go into an app
    /// registration's manifest.
    #[error("`{scope}` has no published permission id for the {scheme} scheme")]
    ScopeWithoutId {
        /// The permission's name.
        scope: &'static str,
        /// The scheme.
        scheme: crate::Scheme,
    },
    /// The access token does not grant a permission the operation needs; the request was
    /// not sent.
    #[error(
        "the access token cannot call `{operation}` ({scheme}): it needs one of {needs}; the token grants {granted}",
        needs = display_list(needs),
        granted = display_list(granted)
    )]
    PermissionDenied {
        /// The operation's `resource::Name`.
        operation: String,
        /// The scheme of the credential the request was authorized with.
        scheme: crate::Scheme,
        /// The alternatives that would allow the call (each `A + B` when it needs several
        /// scopes together), least → most privileged.
        needs: Vec<String>,
        /// The permissions the token grants (`roles` or `scp`).
        granted: Vec<String>,
    },
    /// The access token's claims cannot be read (it is not a JWT, or its payload is not a
    /// claims object Microsoft's identity platform issues), so whether it allows the call
    /// cannot be checked before sending. Application and work or school account tokens are
    /// always JWTs, so for those credentials the request was not sent (personal-account
    /// tokens are opaque by design: those are sent, with a warning in the logs).
    #[error(
        "the access token's claims cannot be read ({reason}), so whether it allows `{operation}` \
         ({scheme}) cannot be checked; application and work or school tokens are JWTs, so the \
         request was not sent"
    )]
    UncheckableToken {
        /// The operation's `resource::Name`.
        operation: String,
        /// The scheme of the credential the request was authorized with.
        scheme: crate::Scheme,
        /// Why the claims cannot be read (never the token itself).
        reason: String,
    },
    /// The access token was issued for another scheme than the credential the request was
    /// authorized with (an application token carries `roles`, a delegated one `scp`, and a
    /// personal account's its personal-account tenant), so the compile-time check does not
    /// hold for it; the request was not sent.
    #[error(
        "the access token is {token}, but `{operation}` was authorized for a {credential} \
         credential; the request was not sent",
        token = token_kind(*token)
    )]
    TokenSchemeMismatch {
        /// The operation's `resource::Name`.
        operation: String,
        /// The scheme of the credential the request was authorized with.
        credential: crate::Scheme,
        /// The scheme the token was issued for.
        token: crate::Scheme,
    },
    /// A bulk run got a result it cannot account to exactly one input: a second result
    /// for an input (which then has this error as its outcome), a result for no input,
    /// or none for an input (see `client::BulkLedger`).
    #[error("bulk run, request {index}: {problem}")]
    BulkAccounting {
        /// The input's position.
        index: usize,
        /// What went wrong, with the results involved.
        problem: String,
    },
    /// An access token could not be obtained.
    #[error("could not obtain an access token: {message}")]
    Token {
        /// What went wrong (never the secret or a token).
        message: String,
    },
    /// The request could not be sent, or its response not received (connection refused
    /// or dropped, timeout, TLS).
    #[error("`{operation}`: transport error: {message}")]
    Transport {
        /// The operation's type name (`$batch` for batch requests, `token` for tokens).
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// A `$batch` request or response did not fit Graph's JSON batching format, or a batch
    /// was built wrongly (too many items, an unknown or cyclic `dependsOn`).
    #[error("`$batch`: {message}")]
    Batch {
        /// What went wrong.
        message: String,
    },
    /// A batch item was not sent because an item it depends on failed or was refused.
    #[error("`{operation}` was not sent: it depends on a request that failed")]
    DependencyFailed {
        /// The operation's type name.
        operation: &'static str,
    },
    /// A `@odata.nextLink` does not point at the client's service root; following it
    /// would send the token elsewhere.
    #[error("`{operation}`: refusing to follow a next link outside the service root: {link}")]
    ForeignNextLink {
        /// The operation's type name.
        operation: &'static str,
        /// The link.
        link: String,
    },
}

/// How a token of `scheme` is named in messages.
fn token_kind(scheme: crate::Scheme) -> &'static str {
    match scheme {
        crate::Scheme::Application => "an application token (roles)",
        crate::Scheme::DelegatedWork => "a delegated work or school account token (scp)",
        crate::Scheme::DelegatedPersonal => "a delegated personal Microsoft account token (scp)",
    }
}

fn display_list(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_owned()
    } else {
        items.join(", ")
    }
}

impl From<GraphError> for Error {
    fn from(error: GraphError) -> Error {
        Error::Graph(Box::new(error))
    }
}

impl Error {
    /// Graph's error code (`Request_ResourceNotFound`, …) when Graph sent an error body.
    pub fn graph_code(&self) -> Option<&str> {
        match self {
            Error::Graph(e) => Some(&e.code),
            _ => None,
        }
    }

    /// Whether the error is a throttling or availability answer a retry may cure
    /// (429, 503, 504).
    pub fn is_retryable_status(&self) -> bool {
        matches!(self.status(), Some(429 | 503 | 504))
    }

    /// The HTTP status of a response error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Graph(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Graph's error body, `{"error": {"code", "message", "innerError": {…}}}`, with the
/// HTTP status it came with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("Graph returned {status} {code}: {message}")]
pub struct GraphError {
    /// The HTTP status.
    pub status: u16,
    /// The error code, e.g. `Request_ResourceNotFound` or `Authorization_RequestDenied`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// Diagnostics Graph adds (request id, date, client request id).
    pub inner_error: Option<InnerError>,
    /// Everything else the `error` object held (`details`, …), so nothing is lost.
    pub additional: serde_json::Map<String, serde_json::Value>,
}

/// The `innerError` object of a Graph error.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InnerError {
    /// `request-id`.
    pub request_id: Option<String>,
    /// `date`.
    pub date: Option<String>,
    /// `client-request-id`.
    pub client_request_id: Option<String>,
    /// Other properties.
    pub additional: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for InnerError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = json_object::object(deserializer)?;
        Ok(InnerError {
            request_id: take(&mut object, "request-id")?,
            date: take(&mut object, "date")?,
            client_request_id: take(&mut object, "client-request-id")?,
            additional: object,
        })
    }
}

impl Serialize for InnerError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        json_object::write(
            serializer,
            &[
                ("request-id", json(self.request_id.as_ref())?),
                ("date", json(self.date.as_ref())?),
                ("client-request-id", json(self.client_request_id.as_ref())?),
            ],
            &self.additional,
        )
    }
}

impl GraphError {
    /// Parses Graph's error body; `None` when `body` is not one.
    pub fn parse(status: u16, body: &[u8]) -> Option<GraphError> {
        let mut envelope: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).ok()?;
        let serde_json::Value::Object(mut error) = envelope.remove("error")? else {
            return None;
        };
        let code: String = take_required::<_, serde_json::Error>(&mut error, "code").ok()?;
        let message: Option<String> = take::<_, serde_json::Error>(&mut error, "message").ok()?;
        let inner = match error.remove("innerError") {
            Some(value) => Some(value),
            None => error.remove("innererror"),
        };
        let inner_error = match inner {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => Some(serde_json::from_value(value).ok()?),
        };
        Some(GraphError {
            status,
            code,
            message: message.unwrap_or_default(),
            inner_error,
            additional: error,
        })
    }

    /// Renders the error back into Graph's body format.
    pub fn to_body(&self) -> serde_json::Value {
        let mut error = self.additional.clone();
        error.insert("code".into(), self.code.clone().into());
        error.insert("message".into(), self.message.clone().into());
        if let Some(inner) = &self.inner_error {
            error.insert(
                "innerError".into(),
                serde_json::to_value(inner).unwrap_or_default(),
            );
        }
        serde_json::json!({ "error": error })
    }
}
