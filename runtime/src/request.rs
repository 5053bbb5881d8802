//! Sans-IO request building: path rendering with per-segment encoding, OData query
//! options, headers and body.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::{BaseUrl, Error, OperationInfo, Piece};

/// Characters encoded in a path argument: everything outside RFC 3986 `unreserved` and
/// the sub-delimiters Graph reads literally, plus `/` so a value never adds a segment,
/// `%` so a value is never decoded twice, `'` so a value never reads as the quote of an
/// OData string literal such as `(period='{period_value}')` (OData reads `%27` as `'` too,
/// so inside such a literal [`RequestParts::render_path`] also doubles it, as OData
/// escapes it), `(` and `)` so a value never reads as an OData
/// call or key (`a(` as a whole segment is a function call to Graph and to
/// [`PathTemplate::match_path`](crate::PathTemplate::match_path)), and `:` so it cannot
/// end a drive item path (`root:/{item-path}:/content`) or start path-based addressing.
pub const PATH_ARGUMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b':')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Characters encoded in a query option value: as [`PATH_ARGUMENT`] but `/` and `'` are
/// kept (OData expressions use them) and `&`, `=`, `+` are encoded so a value stays one
/// option.
pub const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// OData system query options (`$select`, `$filter`, …) of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// `$select`: properties to return.
    pub select: Vec<String>,
    /// `$expand`: relationships to expand.
    pub expand: Vec<String>,
    /// `$filter`: an OData filter expression.
    pub filter: Option<String>,
    /// `$orderby`: sort expressions (`displayName desc`).
    pub orderby: Vec<String>,
    /// `$top`: page size.
    pub top: Option<u32>,
    /// `$skip`: items to skip.
    pub skip: Option<u32>,
    /// `$search`: a search expression (Graph wants it quoted: `"displayName:ada"`).
    pub search: Option<String>,
    /// `$count`: include `@odata.count`.
    pub count: Option<bool>,
}

impl QueryOptions {
    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == QueryOptions::default()
    }

    /// Appends `?$select=…&…` (nothing when empty) to `out`.
    pub fn write_to(&self, out: &mut String) {
        write_options(self.options(), out);
    }

    /// The options that are set, in a fixed order, each as (name, unencoded value).
    fn options(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let lists: [(&'static str, &[String]); 5] = [
            ("$select", &self.select),
            ("$expand", &self.expand),
            ("$filter", self.filter.as_slice()),
            ("$orderby", &self.orderby),
            ("$search", self.search.as_slice()),
        ];
        for (name, items) in lists {
            if !items.is_empty() {
                out.push((name, items.join(",")));
            }
        }
        let numbers = [
            ("$top", self.top.map(|n| n.to_string())),
            ("$skip", self.skip.map(|n| n.to_string())),
            ("$count", self.count.map(|b| b.to_string())),
        ];
        out.extend(numbers.into_iter().filter_map(|(n, v)| Some((n, v?))));
        out
    }
}

/// Appends `?name=value&…` (nothing when `options` is empty), each name and value
/// percent-encoded with [`QUERY_VALUE`].
fn write_options<N: AsRef<str>>(options: Vec<(N, String)>, out: &mut String) {
    for (i, (name, value)) in options.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.extend(utf8_percent_encode(name.as_ref(), QUERY_VALUE));
        out.push('=');
        out.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
}

/// The variable part of a request: which path form, its arguments, query options and
/// header values. Generated operation types hold one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestParts {
    /// Index into [`OperationInfo::paths`].
    form: usize,
    /// Path arguments, unencoded, in the form's parameter order.
    args: Vec<String>,
    /// OData query options.
    query: QueryOptions,
    /// Header values set on the request (documented header name, value).
    headers: Vec<(&'static str, String)>,
}

impl RequestParts {
    /// Parts for path form `form` with `args`.
    pub fn new(form: usize, args: Vec<String>) -> RequestParts {
        RequestParts {
            form,
            args,
            ..RequestParts::default()
        }
    }

    /// The index of the path form in [`OperationInfo::paths`].
    pub fn form(&self) -> usize {
        self.form
    }

    /// The path arguments, unencoded, in the form's parameter order.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The OData query options.
    pub fn query(&self) -> &QueryOptions {
        &self.query
    }

    /// The OData query options, to change (the generated builders' `select`, `top`, …).
    pub fn query_mut(&mut self) -> &mut QueryOptions {
        &mut self.query
    }

    /// The header values set on the request (documented header name, value).
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// Sets (replaces) a header value.
    pub fn set_header(&mut self, name: &'static str, value: String) {
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }

    /// The path form this request uses.
    fn template(&self, info: &OperationInfo) -> Result<&'static crate::PathTemplate, Error> {
        info.paths.get(self.form).ok_or(Error::InvalidRequest {
            operation: info.name,
            problem: "path form index out of range",
        })
    }

    /// Argument `n` for `piece` of `template`, checked: empty is never an id, a key, an
    /// item path or a parameter (and `period=''` would not route back to its operation);
    /// as a whole segment, `.` and `..` would change the path and `$count`, `$value` and
    /// `$ref` would address something else.
    fn argument(
        &self,
        info: &OperationInfo,
        template: &crate::PathTemplate,
        n: usize,
        piece: Piece,
    ) -> Result<&str, Error> {
        let value = self.args.get(n).ok_or(Error::InvalidRequest {
            operation: info.name,
            problem: "missing argument",
        })?;
        let problem = match value.as_str() {
            "" => Some("is empty"),
            "." | ".." if matches!(piece, Piece::Segment(_)) => {
                Some("is a dot segment (`.` or `..`)")
            }
            v if matches!(piece, Piece::Segment(_))
                && graphspec_spec::path::is_reserved_segment(v) =>
            {
                Some("is one of OData's own segments (`$count`, `$value`, `$ref`)")
            }
            _ => None,
        };
        match problem {
            Some(problem) => Err(Error::InvalidPathArgument {
                operation: info.name,
                parameter: template.params.get(n).copied().unwrap_or("?"),
                problem,
            }),
            None => Ok(value),
        }
    }

    /// Renders the path (from `/`, without the version) with each argument percent-encoded
    /// on its own.
    pub fn render_path(&self, info: &OperationInfo, out: &mut String) -> Result<(), Error> {
        let template = self.template(info)?;
        for (i, &piece) in template.pieces.iter().enumerate() {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Segment(n) | Piece::Embedded(n) => {
                    let value = self.argument(info, template, n, piece)?;
                    if graphspec_spec::path::in_string_literal(template.pieces, i) {
                        // OData reads `%27` as `'`: inside a string literal
                        // (`(listId='{listId}')`) a `'` is escaped by doubling it.
                        let doubled = value.replace('\'', "''");
                        out.extend(utf8_percent_encode(&doubled, PATH_ARGUMENT));
                    } else {
                        out.extend(utf8_percent_encode(value, PATH_ARGUMENT));
                    }
                }
            }
        }
        Ok(())
    }
}

impl RequestParts {
    /// Renders the query string (`?…`, nothing when there is none): the form's fixed
    /// options first ([`PathTemplate::query`](crate::PathTemplate::query)), with their
    /// arguments, then the caller's OData options. A caller's option that the form fixes
    /// too is merged into it when it is a list (`$select`, `$expand`, `$orderby`: the
    /// caller's items follow the fixed ones, and the request still routes to its form);
    /// any other fixed option set again (`$filter`, `$top`, …) is an
    /// [`Error::InvalidRequest`], as the request would mean something else. An argument
    /// inside an OData string literal (`'{url}'`) has its `'` doubled, as OData escapes it.
    pub fn render_query(&self, info: &OperationInfo, out: &mut String) -> Result<(), Error> {
        let template = self.template(info)?;
        let mut caller = self.query.options();
        let mut options: Vec<(&'static str, String)> = Vec::with_capacity(template.query.len());
        for option in template.query {
            let mut value = String::new();
            for (i, &piece) in option.value.iter().enumerate() {
                match piece {
                    Piece::Literal(text) => value.push_str(text),
                    Piece::Segment(n) | Piece::Embedded(n) => {
                        let arg = self.argument(info, template, n, piece)?;
                        if graphspec_spec::path::in_string_literal(option.value, i) {
                            value.push_str(&arg.replace('\'', "''"));
                        } else {
                            value.push_str(arg);
                        }
                    }
                }
            }
            let key = graphspec_spec::path::option_key(option.name);
            if let Some(at) = caller
                .iter()
                .position(|(name, _)| graphspec_spec::path::option_key(name) == key)
            {
                let (_, theirs) = caller.remove(at);
                if !graphspec_spec::path::LIST_OPTIONS.contains(&key.as_str()) {
                    return Err(Error::InvalidRequest {
                        operation: info.name,
                        problem: "a query option the request form fixes is set again (only `$select`, `$expand` and `$orderby` items can be added)",
                    });
                }
                value.push(',');
                value.push_str(&theirs);
            }
            options.push((option.name, value));
        }
        options.extend(caller);
        write_options(options, out);
        Ok(())
    }
}

/// Builds the `http::Request` for an operation. Generated code reaches this through
/// [`crate::Endpoint::to_http_request`]. `body` is the JSON body, sent as
/// `application/json`; for an operation whose body is raw content
/// ([`OperationInfo::takes_content`]: a file, a photo), the bytes as they are, with the
/// `Content-Type` the request sets (`application/octet-stream` when it sets none).
pub fn build(
    info: &OperationInfo,
    parts: &RequestParts,
    body: Option<Vec<u8>>,
    base: &BaseUrl,
) -> Result<http::Request<Vec<u8>>, Error> {
    if info.version == crate::ApiVersion::Beta && base.version() == crate::ApiVersion::V1 {
        return Err(Error::VersionMismatch {
            operation: info.name,
            operation_version: info.version,
            base_version: base.version(),
        });
    }
    let render = || -> Result<String, Error> {
        let mut uri = String::with_capacity(base.root().len() + 96);
        uri.push_str(base.root());
        uri.push('/');
        uri.push_str(base.version().as_str());
        parts.render_path(info, &mut uri)?;
        parts.render_query(info, &mut uri)?;
        Ok(uri)
    };
    // The rendered string moves into the `Uri` without a copy; only a rejected URI is
    // rendered again, for the error.
    let uri = http::Uri::try_from(render()?).map_err(|_| Error::InvalidUri {
        uri: render().unwrap_or_default(),
    })?;

    let mut builder = http::Request::builder()
        .method(to_http(info.method))
        .uri(uri.clone());
    for spec in info.headers.iter().filter(|h| h.required) {
        if !parts.headers.iter().any(|(n, _)| *n == spec.name) {
            return Err(Error::MissingHeader {
                operation: info.name,
                header: spec.name,
            });
        }
    }
    for (name, value) in &parts.headers {
        let value = http::HeaderValue::from_str(value).map_err(|_| Error::InvalidHeaderValue {
            operation: info.name,
            header: name,
        })?;
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::InvalidHeaderValue {
                operation: info.name,
                header: name,
            }
        })?;
        builder = builder.header(name, value);
    }
    let body = match body {
        Some(bytes) => {
            let set = parts
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
            if !info.takes_content() {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
            } else if !set {
                builder = builder.header(http::header::CONTENT_TYPE, "application/octet-stream");
            }
            bytes
        }
        None => Vec::new(),
    };
    builder.body(body).map_err(|_| Error::InvalidUri {
        uri: uri.to_string(),
    })
}

/// Serializes a request body to JSON for [`crate::Endpoint::body_json`].
pub fn json_body<T: serde::Serialize>(
    info: &OperationInfo,
    body: &T,
) -> Result<Option<Vec<u8>>, Error> {
    serde_json::to_vec(body)
        .map(Some)
        .map_err(|e| Error::EncodeBody {
            operation: info.name,
            message: e.to_string(),
        })
}

/// The [`http::Method`] for a Graph operation's [`Method`](crate::Method).
fn to_http(method: crate::Method) -> http::Method {
    use crate::Method;
    match method {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Patch => http::Method::PATCH,
        Method::Delete => http::Method::DELETE,
    }
}
