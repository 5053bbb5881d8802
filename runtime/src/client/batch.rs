//! JSON batching (`$batch`): up to 20 requests in one round trip.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use futures::StreamExt as _;

use super::retry::{RetryPolicy, parse_retry_after};
use super::{AccessToken, Check, Client, Counters, OutBody, Outgoing};
use crate::{Authorized, BaseUrl, Credential, Endpoint, Error, GraphError, OperationInfo, Scheme};

/// The most requests Graph accepts in one `$batch`.
pub const MAX_BATCH_ITEMS: usize = 20;

type Erased = Box<dyn Any + Send>;
type Parse = fn(http::Response<Vec<u8>>) -> Result<Erased, Error>;
type Build = Box<dyn Fn(&BaseUrl) -> Result<http::Request<Vec<u8>>, Error> + Send + Sync>;

fn parse_erased<E>(response: http::Response<Vec<u8>>) -> Result<Erased, Error>
where
    E: Endpoint,
    E::Response: Send + 'static,
{
    E::parse_response(response).map(|r| Box::new(r) as Erased)
}

pub(super) struct Item {
    info: &'static OperationInfo,
    scheme: Scheme,
    build: Build,
    depends_on: Vec<usize>,
    parse: Parse,
}

impl Item {
    pub(super) fn new<C, E>(request: Authorized<C, E>, depends_on: Vec<usize>) -> Item
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
    {
        Item {
            info: E::INFO,
            scheme: C::SCHEME,
            build: Box::new(move |base| request.to_http_request(base)),
            depends_on,
            parse: parse_erased::<E>,
        }
    }
}

/// A typed batch of authorized requests, possibly of different operations. Add requests
/// with [`Batch::add`] (or [`Batch::add_after`] for `dependsOn`), send it with
/// [`Client::send_batch`], and read each result with [`BatchResults::take`] and the
/// handle `add` returned.
///
/// A batch of any length is split into `$batch` requests of at most 20; requests that
/// depend on one another stay in the same one.
#[derive(Default)]
pub struct Batch {
    items: Vec<Item>,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.items.iter().map(|i| i.info.name))
            .finish()
    }
}

/// Where one request's result is in a [`BatchResults`].
pub struct BatchHandle<E> {
    index: usize,
    endpoint: PhantomData<fn() -> E>,
}

impl<E> BatchHandle<E> {
    /// The request's position in the batch (what [`Batch::add_after`] takes).
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<E> Clone for BatchHandle<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for BatchHandle<E> {}

impl<E> fmt::Debug for BatchHandle<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchHandle({})", self.index)
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// The number of requests.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch has no request.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds a request.
    pub fn add<C, E>(&mut self, request: Authorized<C, E>) -> BatchHandle<E>
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
    {
        self.push(Item::new(request, Vec::new()))
    }

    /// Adds a request that Graph runs only after the requests at `after` (indices of
    /// requests added earlier, see [`BatchHandle::index`]) succeeded (`dependsOn`).
    pub fn add_after<C, E>(
        &mut self,
        request: Authorized<C, E>,
        after: &[usize],
    ) -> Result<BatchHandle<E>, Error>
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
    {
        let index = self.items.len();
        if let Some(bad) = after.iter().find(|&&d| d >= index) {
            return Err(Error::Batch {
                message: format!(
                    "request {index} cannot depend on request {bad}: dependencies must be added first"
                ),
            });
        }
        Ok(self.push(Item::new(request, after.to_vec())))
    }

    fn push<E>(&mut self, item: Item) -> BatchHandle<E> {
        self.items.push(item);
        BatchHandle {
            index: self.items.len() - 1,
            endpoint: PhantomData,
        }
    }

    pub(super) fn into_items(self) -> Vec<Item> {
        self.items
    }
}

/// The results of a [`Batch`], one per request, in the order the requests were added.
pub struct BatchResults {
    results: Vec<Option<Result<Erased, Error>>>,
    attempts: Vec<u32>,
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("len", &self.results.len())
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl BatchResults {
    /// The number of results (the number of requests in the batch).
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// Whether there are no results.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }

    /// How many times the request at `index` was sent (0 when it was refused or not sent).
    pub fn attempts(&self, index: usize) -> u32 {
        self.attempts.get(index).copied().unwrap_or(0)
    }

    /// Takes the typed result of the request `handle` names. Taking it twice is an error.
    pub fn take<E: Endpoint>(&mut self, handle: BatchHandle<E>) -> Result<E::Response, Error>
    where
        E::Response: 'static,
    {
        let taken = self
            .results
            .get_mut(handle.index)
            .and_then(Option::take)
            .ok_or_else(|| Error::Batch {
                message: format!("result {} was already taken", handle.index),
            })?;
        taken.and_then(|boxed| {
            boxed
                .downcast::<E::Response>()
                .map(|b| *b)
                .map_err(|_| Error::Batch {
                    message: format!(
                        "result {} is not a `{}` response",
                        handle.index,
                        E::INFO.name
                    ),
                })
        })
    }

    pub(super) fn from_parts(outcomes: Vec<(Result<Erased, Error>, u32)>) -> BatchResults {
        let (results, attempts) = outcomes.into_iter().map(|(r, a)| (Some(r), a)).unzip();
        BatchResults { results, attempts }
    }
}

/// A request of a batch, built and checked, ready to go.
struct Ready {
    index: usize,
    method: http::Method,
    url: String,
    headers: serde_json::Map<String, serde_json::Value>,
    body: Option<serde_json::Value>,
    depends_on: Vec<usize>,
    parse: Parse,
    operation: &'static str,
    /// What the token of every post that carries this request must allow.
    check: Option<Check>,
}

fn ready(index: usize, item: &Item, base: &BaseUrl) -> Result<Ready, Error> {
    let request = (item.build)(base)?;
    let (parts, body) = request.into_parts();
    let absolute = parts.uri.to_string();
    let prefix = base.to_string();
    let url = absolute
        .strip_prefix(&prefix)
        .filter(|rest| rest.starts_with('/'))
        .ok_or_else(|| Error::Batch {
            message: format!("`{absolute}` is not under `{prefix}`"),
        })?
        .to_owned();
    let mut headers = serde_json::Map::new();
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            headers.insert(name.as_str().to_owned(), value.into());
        }
    }
    let body = if body.is_empty() {
        None
    } else if item.info.takes_content() {
        // Raw content travels in a batch base64-encoded, beside its `Content-Type`.
        use base64::Engine as _;
        Some(serde_json::Value::String(
            base64::engine::general_purpose::STANDARD.encode(&body),
        ))
    } else {
        Some(
            serde_json::from_slice(&body).map_err(|e| Error::EncodeBody {
                operation: item.info.name,
                message: e.to_string(),
            })?,
        )
    };
    Ok(Ready {
        index,
        method: parts.method,
        url,
        headers,
        body,
        depends_on: item.depends_on.clone(),
        parse: item.parse,
        operation: item.info.name,
        check: Some(Check {
            info: item.info,
            scheme: item.scheme,
        }),
    })
}

/// Groups ready requests into `$batch` requests of at most `size`, keeping requests linked
/// by `dependsOn` together; a linked group larger than `size` is returned separately.
fn chunk(ready: Vec<Ready>, size: usize) -> (Vec<Vec<Ready>>, Vec<Ready>) {
    // Union-find over positions.
    let position: HashMap<usize, usize> = ready
        .iter()
        .enumerate()
        .map(|(p, r)| (r.index, p))
        .collect();
    let mut parent: Vec<usize> = (0..ready.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (p, r) in ready.iter().enumerate() {
        for d in &r.depends_on {
            if let Some(&q) = position.get(d) {
                let (a, b) = (find(&mut parent, p), find(&mut parent, q));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: Vec<Vec<Ready>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (p, r) in ready.into_iter().enumerate() {
        let root = find(&mut parent, p);
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(r);
    }
    let mut chunks: Vec<Vec<Ready>> = Vec::new();
    let mut too_big = Vec::new();
    for group in groups {
        if group.len() > size {
            too_big.extend(group);
            continue;
        }
        match chunks.last_mut() {
            Some(last) if last.len() + group.len() <= size => last.extend(group),
            _ => chunks.push(group),
        }
    }
    (chunks, too_big)
}

/// What one item of a `$batch` answer said.
struct ItemAnswer {
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

fn parse_batch_answer(body: &[u8]) -> Result<HashMap<String, ItemAnswer>, Error> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        responses: Vec<Response>,
    }
    #[derive(serde::Deserialize)]
    struct Response {
        id: String,
        status: u16,
        #[serde(default)]
        headers: HashMap<String, serde_json::Value>,
        #[serde(default)]
        body: Option<serde_json::Value>,
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| Error::Batch {
        message: format!("the answer is not a batch response: {e}"),
    })?;
    let mut answers = HashMap::with_capacity(envelope.responses.len());
    for r in envelope.responses {
        let mut headers = http::HeaderMap::new();
        for (name, value) in r.headers {
            let text = match &value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(&text),
            ) {
                headers.insert(name, value);
            }
        }
        let json = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|t| t.to_ascii_lowercase().contains("json"));
        let body = match r.body {
            None | Some(serde_json::Value::Null) => Vec::new(),
            // Content that is not JSON (a file, a photo, a count's text) comes
            // base64-encoded; text that does not decode is kept as it is.
            Some(serde_json::Value::String(text)) if !json => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .unwrap_or_else(|_| text.into_bytes())
            }
            Some(value) => serde_json::to_vec(&value).unwrap_or_default(),
        };
        answers.insert(
            r.id,
            ItemAnswer {
                status: r.status,
                headers,
                body,
            },
        );
    }
    Ok(answers)
}

impl Client {
    /// Sends a [`Batch`]: checks every request against the token (a refused request is
    /// not sent, and neither is anything that depends on it), sends the rest as `$batch`
    /// requests of at most 20, one at a time, retries throttled items on their own, and
    /// returns one result per request in the order they were added.
    pub async fn send_batch(&self, batch: Batch) -> BatchResults {
        BatchResults::from_parts(self.run_items(batch.into_items(), 1, MAX_BATCH_ITEMS).await)
    }

    /// Runs `items` as `$batch` requests of at most `size`, `concurrency` at a time.
    pub(super) async fn run_items(
        &self,
        items: Vec<Item>,
        concurrency: usize,
        size: usize,
    ) -> Vec<(Result<Erased, Error>, u32)> {
        let size = size.clamp(1, MAX_BATCH_ITEMS);
        let mut outcomes: Vec<Option<(Result<Erased, Error>, u32)>> =
            (0..items.len()).map(|_| None).collect();
        let token = match self.token().await {
            Ok(token) => token,
            Err(e) => {
                return items.iter().map(|_| (Err(e.clone()), 0)).collect();
            }
        };
        let mut ready_items = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let failed_dependency = item
                .depends_on
                .iter()
                .any(|d| matches!(outcomes.get(*d), Some(Some((Err(_), _)))));
            let result = if failed_dependency {
                Err(Error::DependencyFailed {
                    operation: item.info.name,
                })
            } else if let Err(e) = self.check_scheme(item.info, item.scheme, &token) {
                Err(e)
            } else {
                ready(index, item, &self.inner.base)
            };
            match result {
                Ok(r) => ready_items.push(r),
                Err(e) => outcomes[index] = Some((Err(e), 0)),
            }
        }
        let (chunks, too_big) = chunk(ready_items, size);
        for r in too_big {
            outcomes[r.index] = Some((
                Err(Error::Batch {
                    message: format!(
                        "more than {size} requests are linked by dependsOn; they cannot share one batch"
                    ),
                }),
                0,
            ));
        }
        let mut finished = futures::stream::iter(chunks)
            .map(|chunk| self.run_chunk(chunk, token.clone()))
            .buffer_unordered(concurrency.max(1));
        while let Some(results) = finished.next().await {
            for (index, result, attempts) in results {
                outcomes[index] = Some((result, attempts));
            }
        }
        outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    (
                        Err(Error::Batch {
                            message: "internal error: request without result".into(),
                        }),
                        0,
                    )
                })
            })
            .collect()
    }

    /// Checks the items at `pending` against `token`: a refused item gets its refusal, and
    /// an item that depends on a refused one `DependencyFailed`; the others stay pending.
    fn check_pending(
        &self,
        chunk: &[Ready],
        pending: Vec<usize>,
        token: &AccessToken,
        last: &mut [Option<Result<Erased, Error>>],
    ) -> Vec<usize> {
        let mut dropped = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(pending.len());
        // Dependencies come first, so one pass in order catches chains.
        for k in pending {
            let r = &chunk[k];
            let refusal = if r.depends_on.iter().any(|d| dropped.contains(d)) {
                Some(Error::DependencyFailed {
                    operation: r.operation,
                })
            } else {
                r.check
                    .and_then(|c| self.check_scheme(c.info, c.scheme, token).err())
            };
            match refusal {
                Some(error) => {
                    dropped.insert(r.index);
                    last[k] = Some(Err(error));
                }
                None => kept.push(k),
            }
        }
        kept
    }

    /// Sends one `$batch` (at most 20 requests), then again with only the items that were
    /// throttled (and those that failed only because they depend on one), within the retry
    /// policy's bounds per item. Each post goes out with a token every item in it was
    /// checked against (`checked`, which the items were checked against already, or a
    /// newer one they are checked against now); a 401 makes it fetch a new token once,
    /// check each item against it and send again.
    async fn run_chunk(
        &self,
        chunk: Vec<Ready>,
        mut checked: AccessToken,
    ) -> Vec<(usize, Result<Erased, Error>, u32)> {
        let policy = self.inner.retry;
        let url = format!("{}/$batch", self.inner.base);
        let mut attempts = vec![0u32; chunk.len()];
        let mut last: Vec<Option<Result<Erased, Error>>> = (0..chunk.len()).map(|_| None).collect();
        let mut pending: Vec<usize> = (0..chunk.len()).collect();
        let mut waited = Duration::ZERO;
        let mut round: u32 = 0;
        let mut reauthenticated = false;
        loop {
            round += 1;
            let token = match self.token().await {
                Ok(token) => token,
                Err(error) => {
                    for &k in &pending {
                        last[k] = Some(Err(error.clone()));
                    }
                    break;
                }
            };
            if !token.is_same(&checked) {
                pending = self.check_pending(&chunk, pending, &token, &mut last);
                checked = token.clone();
            }
            if pending.is_empty() {
                break;
            }
            let in_round: std::collections::HashSet<usize> =
                pending.iter().map(|&k| chunk[k].index).collect();
            let requests: Vec<serde_json::Value> = pending
                .iter()
                .map(|&k| {
                    let r = &chunk[k];
                    let mut item = serde_json::json!({
                        "id": r.index.to_string(),
                        "method": r.method.as_str(),
                        "url": r.url,
                    });
                    if !r.headers.is_empty() {
                        item["headers"] = serde_json::Value::Object(r.headers.clone());
                    }
                    if let Some(body) = &r.body {
                        item["body"] = body.clone();
                    }
                    let deps: Vec<String> = r
                        .depends_on
                        .iter()
                        .filter(|d| in_round.contains(d))
                        .map(|d| d.to_string())
                        .collect();
                    if !deps.is_empty() {
                        item["dependsOn"] = deps.into();
                    }
                    item
                })
                .collect();
            for &k in &pending {
                attempts[k] += 1;
            }
            let body = serde_json::to_vec(&serde_json::json!({ "requests": requests }))
                .unwrap_or_default();
            let mut headers = http::HeaderMap::new();
            headers.insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            let outgoing = Outgoing {
                operation: "$batch",
                method: http::Method::POST,
                url: url.clone(),
                headers,
                body: OutBody::Bytes(body.into()),
                checks: Vec::new(),
                reauthenticate: false,
            };
            let once = RetryPolicy {
                max_attempts: 1,
                ..policy
            };
            let (answer, _) = self.execute_with(outgoing, once, Some(token)).await;
            if let Ok(response) = &answer
                && response.status() == http::StatusCode::UNAUTHORIZED
                && !reauthenticated
            {
                // As for a single request: the token may have been revoked or expired
                // early; get a new one once (the next round checks every item against
                // it) and send again, whatever the retry policy.
                reauthenticated = true;
                self.inner.tokens.invalidate();
                let error = whole_batch_error(response);
                for &k in &pending {
                    Counters::bump(&self.inner.counters.retries);
                    last[k] = Some(Err(error.clone()));
                }
                continue;
            }

            // Decide, per pending item: its latest result, and whether to send it again.
            let mut again: Vec<usize> = Vec::new();
            let mut hint: Option<Duration> = None;
            match answer {
                Err(error) => {
                    // The whole batch was lost in transit: retry the items whose method
                    // the policy allows to be repeated.
                    for &k in &pending {
                        if policy.retries_transport(&chunk[k].method) {
                            again.push(k);
                        }
                        last[k] = Some(Err(error.clone()));
                    }
                }
                Ok(response) if RetryPolicy::is_retryable_status(response.status().as_u16()) => {
                    hint = super::retry::retry_after(response.headers());
                    let error = whole_batch_error(&response);
                    for &k in &pending {
                        again.push(k);
                        last[k] = Some(Err(error.clone()));
                    }
                }
                Ok(response) if !response.status().is_success() => {
                    let error = whole_batch_error(&response);
                    for &k in &pending {
                        last[k] = Some(Err(error.clone()));
                    }
                }
                Ok(response) => match parse_batch_answer(response.body()) {
                    Err(error) => {
                        for &k in &pending {
                            last[k] = Some(Err(error.clone()));
                        }
                    }
                    Ok(mut answers) => {
                        let mut throttled_ids = std::collections::HashSet::new();
                        let mut failed_dependency = Vec::new();
                        for &k in &pending {
                            let r = &chunk[k];
                            let Some(answer) = answers.remove(&r.index.to_string()) else {
                                last[k] = Some(Err(Error::Batch {
                                    message: format!("no answer for request {}", r.index),
                                }));
                                continue;
                            };
                            self.inner.counters.status(answer.status);
                            if RetryPolicy::is_retryable_status(answer.status) {
                                let after = answer
                                    .headers
                                    .get(http::header::RETRY_AFTER)
                                    .and_then(|v| v.to_str().ok())
                                    .and_then(|v| {
                                        parse_retry_after(v, std::time::SystemTime::now())
                                    });
                                hint = hint.max(after);
                                throttled_ids.insert(r.index);
                                again.push(k);
                            } else if answer.status == 424 {
                                failed_dependency.push(k);
                            }
                            let mut response = http::Response::new(answer.body);
                            *response.status_mut() = http::StatusCode::from_u16(answer.status)
                                .unwrap_or(http::StatusCode::BAD_GATEWAY);
                            *response.headers_mut() = answer.headers;
                            last[k] = Some((r.parse)(response));
                        }
                        // An item that failed because a throttled item it depends on was
                        // not run is sent again with it.
                        // Dependencies come first, so one pass in order also catches
                        // chains (A throttled, B after A, C after B).
                        for k in failed_dependency {
                            if chunk[k]
                                .depends_on
                                .iter()
                                .any(|d| throttled_ids.contains(d))
                            {
                                throttled_ids.insert(chunk[k].index);
                                again.push(k);
                            }
                        }
                    }
                },
            }
            again.retain(|&k| attempts[k] < policy.max_attempts);
            again.sort_unstable();
            if again.is_empty() {
                break;
            }
            let Some(delay) = policy.delay(round, hint) else {
                break;
            };
            if waited + delay > policy.max_total_delay {
                break;
            }
            for _ in &again {
                Counters::bump(&self.inner.counters.retries);
            }
            tracing::debug!(
                items = again.len(),
                delay_ms = delay.as_millis() as u64,
                "retrying batch items"
            );
            tokio::time::sleep(delay).await;
            waited += delay;
            pending = again;
        }
        chunk
            .iter()
            .zip(last)
            .zip(attempts)
            .map(|((r, result), attempts)| {
                let result = result.unwrap_or_else(|| {
                    Err(Error::Batch {
                        message: format!("request {} ({}) got no result", r.index, r.operation),
                    })
                });
                (r.index, result, attempts)
            })
            .collect()
    }
}

fn whole_batch_error(response: &http::Response<Vec<u8>>) -> Error {
    let status = response.status().as_u16();
    match GraphError::parse(status, response.body()) {
        Some(error) => error.into(),
        None => Error::UnexpectedStatus {
            operation: "$batch",
            status,
            body: response.body().clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready_item(index: usize, depends_on: Vec<usize>) -> Ready {
        Ready {
            index,
            method: http::Method::GET,
            url: format!("/users/{index}"),
            headers: serde_json::Map::new(),
            body: None,
            depends_on,
            parse: |_| Ok(Box::new(())),
            operation: "Get",
            check: None,
        }
    }

    #[test]
    fn chunks_hold_at_most_the_size_and_keep_dependencies_together() {
        let items: Vec<Ready> = (0..45)
            .map(|i| match i {
                19 => ready_item(19, vec![18]),
                20 => ready_item(20, vec![19]),
                _ => ready_item(i, vec![]),
            })
            .collect();
        let (chunks, too_big) = chunk(items, 20);
        assert!(too_big.is_empty());
        assert!(chunks.iter().all(|c| c.len() <= 20));
        let mut all: Vec<usize> = chunks.iter().flatten().map(|r| r.index).collect();
        all.sort_unstable();
        assert_eq!(all, (0..45).collect::<Vec<_>>());
        let holder = |i: usize| chunks.iter().position(|c| c.iter().any(|r| r.index == i));
        assert_eq!(holder(18), holder(19));
        assert_eq!(holder(19), holder(20));
    }

    #[test]
    fn a_dependency_chain_longer_than_a_batch_is_refused() {
        let items: Vec<Ready> = (0..3)
            .map(|i| ready_item(i, if i > 0 { vec![i - 1] } else { vec![] }))
            .collect();
        let (chunks, too_big) = chunk(items, 2);
        assert!(chunks.is_empty());
        assert_eq!(too_big.len(), 3);
    }

    #[test]
    fn batch_answers_parse_in_any_order() {
        let body = br#"{"responses":[
            {"id":"2","status":429,"headers":{"Retry-After":"3"}},
            {"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"u"}}]}"#;
        let answers = parse_batch_answer(body).unwrap();
        assert_eq!(answers["1"].status, 200);
        assert_eq!(answers["1"].body, br#"{"id":"u"}"#);
        assert_eq!(answers["2"].headers["retry-after"], "3");
        assert!(parse_batch_answer(b"[]").is_err());
    }

    #[test]
    fn content_in_batch_answers_is_base64_decoded() {
        // `\x89PNG` base64-encoded, as Graph sends content that is not JSON; a JSON
        // string stays JSON; text that is no base64 stays as it came.
        let body = br#"{"responses":[
            {"id":"1","status":200,"headers":{"Content-Type":"image/png"},"body":"iVBORw=="},
            {"id":"2","status":200,"headers":{"Content-Type":"application/json"},"body":"iVBORw=="},
            {"id":"3","status":200,"headers":{"Content-Type":"text/plain"},"body":"not base64!"}]}"#;
        let answers = parse_batch_answer(body).unwrap();
        assert_eq!(answers["1"].body, b"\x89PNG");
        assert_eq!(answers["2"].body, br#""iVBORw==""#);
        assert_eq!(answers["3"].body, b"not base64!");
    }
}
