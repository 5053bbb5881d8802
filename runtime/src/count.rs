//! The number of items of a list operation's collection: `GET …/$count`.
//!
//! Graph answers `GET /users/$count` with a bare number (`text/plain`), counted over the
//! collection the list operation reads, after its `$filter` or `$search`. It is the list
//! operation's request: its permissions apply, and a credential that declares the list
//! operation may send its count. Directory objects (users, groups, …) count only with
//! the header `ConsistencyLevel: eventual`, which a count request carries unless the
//! caller set the header already.

use crate::credential::{CallChecked, Calls, CheckedCall};
use crate::{BaseUrl, Collection, Endpoint, Error, OperationInfo, Query, RequestParts};

/// A count request: `E`'s request with `/$count` after its path, answering a `u64`. Made
/// by [`Query::into_count`] on an operation that answers a collection.
///
/// ```
/// use graphspec_runtime::{Cloud, Count, Endpoint, Query};
/// # fn count<E: Query<Response = graphspec_runtime::Collection<T>>, T>(list: E) {
/// let request: Count<E> = list.filter("accountEnabled eq true").into_count();
/// let http = request.to_http_request(&Cloud::Global.v1()).unwrap();
/// assert!(http.uri().path().ends_with("/$count"));
/// assert_eq!(http.headers()["consistencylevel"], "eventual");
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Count<E> {
    list: E,
}

impl<E> Count<E> {
    /// The list request counted.
    pub fn list(&self) -> &E {
        &self.list
    }
}

impl<E: Query> Count<E> {
    pub(crate) fn new(list: E) -> Count<E> {
        Count { list }
    }
}

impl<E: Query> Endpoint for Count<E> {
    /// The list operation's: its path forms and permissions are the count's.
    const INFO: &'static OperationInfo = E::INFO;

    type Response = u64;

    fn parts(&self) -> &RequestParts {
        self.list.parts()
    }

    /// The list's request with `/$count` after the path, and `ConsistencyLevel:
    /// eventual` unless set ([`count_request`]).
    fn to_http_request(&self, base: &BaseUrl) -> Result<http::Request<Vec<u8>>, Error> {
        count_request(self.list.to_http_request(base)?)
    }

    /// The number Graph answers: the body as text, an unsigned integer (a byte-order mark
    /// and surrounding whitespace ignored); anything else is [`Error::Decode`].
    fn parse_response<B: AsRef<[u8]>>(response: http::Response<B>) -> Result<u64, Error> {
        let status = response.status().as_u16();
        // Graph's error body, typed, as for any operation.
        crate::response::check_status(E::INFO, &response)?;
        let body = response.body().as_ref();
        let text = std::str::from_utf8(body).unwrap_or("");
        let text = text.trim_start_matches('\u{feff}').trim();
        text.parse::<u64>().map_err(|e| Error::Decode {
            operation: E::INFO.name,
            status,
            message: format!("a count is an unsigned integer as text: {e}"),
            body: body.to_vec(),
        })
    }
}

/// Turns a list operation's request into its count request: `/$count` after the path
/// (before the query), and `ConsistencyLevel: eventual` unless the request has the
/// header. What [`Count`] sends, for requests built without a typed builder
/// (`graphspec call --count`).
pub fn count_request<B>(mut request: http::Request<B>) -> Result<http::Request<B>, Error> {
    let uri = request.uri();
    let mut text = String::with_capacity(uri.to_string().len() + 7);
    if let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) {
        text.push_str(scheme);
        text.push_str("://");
        text.push_str(authority.as_str());
    }
    text.push_str(uri.path().trim_end_matches('/'));
    text.push_str("/$count");
    if let Some(query) = uri.query() {
        text.push('?');
        text.push_str(query);
    }
    *request.uri_mut() =
        http::Uri::try_from(text.as_str()).map_err(|_| Error::InvalidUri { uri: text.clone() })?;
    request
        .headers_mut()
        .entry("consistencylevel")
        .or_insert(http::HeaderValue::from_static("eventual"));
    Ok(request)
}

/// A credential that declares a list operation may send its count: the count is the list
/// operation's request, with the same permissions.
impl<C, E> CheckedCall<Count<E>> for C
where
    C: Calls<E>,
    E: Query,
{
    // Referring to the list's check evaluates it: the count compiles only where the list
    // call's permission check passes.
    const CHECKED: CallChecked<Self, Count<E>> = {
        let _list: &CallChecked<C, E> = &<C as CheckedCall<E>>::CHECKED;
        CallChecked::new()
    };
}

impl<C, E> Calls<Count<E>> for C
where
    C: Calls<E>,
    E: Query,
{
}

/// What [`Query::into_count`] makes, on operations that answer a collection.
pub(crate) fn count<E, T>(list: E) -> Count<E>
where
    E: Query + Endpoint<Response = Collection<T>>,
{
    Count::new(list)
}
