//! Answers before they become HTTP: Graph's JSON bodies and error shape, and `$batch`
//! items.

use axum::body::{Body, Bytes};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::tenant::Failure;

/// An answer before it becomes HTTP (or a `$batch` item).
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: u16,
    headers: Vec<(&'static str, String)>,
    body: Payload,
}

/// What an answer carries.
enum Payload {
    None,
    Json(Value),
    /// Raw content (a photo); base64-encoded in a `$batch` item.
    Content(Vec<u8>),
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: Payload::Json(body),
        }
    }

    /// The answer of a `/$count` request: the number alone, as `text/plain`.
    pub(crate) fn count(n: u64) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type", "text/plain".into())],
            body: Payload::Json(Value::from(n)),
        }
    }

    /// The `@odata.count` of a successful collection answer.
    pub(crate) fn odata_count(&self) -> Option<u64> {
        match &self.body {
            Payload::Json(body) if self.status == 200 => body.get("@odata.count")?.as_u64(),
            _ => None,
        }
    }

    /// Raw content (a photo's bytes) with its `Content-Type`.
    pub(crate) fn content(status: u16, content_type: &str, bytes: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: Payload::Content(bytes),
        }
    }

    /// `302 Found` to `location` (a download's pre-authenticated URL).
    pub(crate) fn redirect(location: String) -> Reply {
        Reply {
            status: 302,
            headers: vec![("location", location)],
            body: Payload::None,
        }
    }

    /// An answer without a body.
    pub(crate) fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Payload::None,
        }
    }

    /// Graph's error shape: `{"error": {"code", "message", "innerError"}}`.
    pub(crate) fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
        let request_id = crate::guid(9, fastrand::u64(..));
        Reply::json(
            status,
            json!({ "error": {
                "code": code,
                "message": message.into(),
                "innerError": { "request-id": request_id, "client-request-id": request_id,
                                "date": httpdate::fmt_http_date(std::time::SystemTime::now()) },
            }}),
        )
    }

    /// The error answer of a failed tenant operation.
    pub(crate) fn failure(f: Failure) -> Reply {
        Reply::error(f.status, f.code, f.message)
    }

    /// 429 `TooManyRequests` with `Retry-After`.
    pub(crate) fn throttled(retry_after: u64) -> Reply {
        let mut reply = Reply::error(
            429,
            "TooManyRequests",
            "Too many requests. Please retry after the time given in Retry-After.",
        );
        reply.headers.push(("retry-after", retry_after.to_string()));
        reply
    }

    /// 503 `serviceNotAvailable` with `Retry-After`.
    pub(crate) fn unavailable(retry_after: u64) -> Reply {
        let mut reply = Reply::error(
            503,
            "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry later.",
        );
        reply.headers.push(("retry-after", retry_after.to_string()));
        reply
    }

    /// The HTTP response; with `drop_midway`, the body stops half-way and the
    /// connection is aborted.
    pub(crate) fn into_response(self, drop_midway: bool) -> Response {
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        let bytes = match self.body {
            Payload::None => Vec::new(),
            Payload::Json(body) => serde_json::to_vec(&body).unwrap_or_default(),
            Payload::Content(content) => content,
        };
        let body = if drop_midway {
            // Promise the whole body, send half of it, then fail the stream: the server
            // aborts the connection mid-response.
            builder = builder.header(http::header::CONTENT_LENGTH, bytes.len().max(2));
            let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(half),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "emulator: injected connection drop",
                )),
            ];
            Body::from_stream(futures::stream::iter(chunks))
        } else {
            Body::from(bytes)
        };
        builder
            .body(body)
            .unwrap_or_else(|_| Response::new(Body::empty()))
    }

    /// The answer as item `id` of a `$batch` response.
    pub(crate) fn to_batch_item(&self, id: &str) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), Value::String(v.clone())))
            .collect();
        let mut item = json!({ "id": id, "status": self.status, "headers": headers });
        match &self.body {
            Payload::None => {}
            Payload::Json(body) => item["body"] = body.clone(),
            Payload::Content(content) => {
                // As Graph: content that is not JSON travels base64-encoded.
                use base64::Engine as _;
                item["body"] =
                    Value::String(base64::engine::general_purpose::STANDARD.encode(content));
            }
        }
        item
    }
}
