//! Many requests at once: bounded concurrency, through `$batch` where possible, exactly
//! one result per input.

use futures::StreamExt as _;
use futures::stream::BoxStream;

use super::Client;
use super::batch::{Item, MAX_BATCH_ITEMS};
use crate::{Authorized, Credential, Endpoint, Error};

/// How [`Client::bulk`] sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkOptions {
    /// How many HTTP requests (batches, or single requests) are in flight at once.
    pub concurrency: usize,
    /// Requests per `$batch` (at most 20); 1 sends each request on its own.
    pub batch_size: usize,
}

impl Default for BulkOptions {
    fn default() -> BulkOptions {
        BulkOptions {
            concurrency: 4,
            batch_size: MAX_BATCH_ITEMS,
        }
    }
}

/// The outcome of one request of a bulk run.
#[derive(Debug)]
pub struct BulkResult<T> {
    /// The request's position in the input.
    pub index: usize,
    /// The typed response, or the error after retries.
    pub result: Result<T, Error>,
    /// How many times the request was sent (0 when refused before sending).
    pub attempts: u32,
}

impl Client {
    /// Sends every request, `options.concurrency` HTTP requests at a time, in `$batch`es
    /// of `options.batch_size`, with the client's retry policy per request; yields one
    /// [`BulkResult`] per input as they complete (in any order; `index` says which).
    pub fn bulk_stream<C, E>(
        &self,
        requests: Vec<Authorized<C, E>>,
        options: BulkOptions,
    ) -> BoxStream<'_, BulkResult<E::Response>>
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
    {
        let size = options.batch_size.clamp(1, MAX_BATCH_ITEMS);
        let mut groups: Vec<(usize, Vec<Authorized<C, E>>)> = Vec::new();
        let mut start = 0;
        let mut requests = requests.into_iter().peekable();
        while requests.peek().is_some() {
            let group: Vec<_> = requests.by_ref().take(size).collect();
            let len = group.len();
            groups.push((start, group));
            start += len;
        }
        futures::stream::iter(groups)
            .map(move |(start, group)| async move {
                if size == 1 {
                    let mut out = Vec::with_capacity(group.len());
                    for (i, request) in group.iter().enumerate() {
                        let (result, attempts) = self.send_counted(request).await;
                        out.push(BulkResult {
                            index: start + i,
                            result,
                            attempts,
                        });
                    }
                    return out;
                }
                let items = group
                    .into_iter()
                    .map(|r| Item::new(r, Vec::new()))
                    .collect();
                self.run_items(items, 1, size)
                    .await
                    .into_iter()
                    .enumerate()
                    .map(|(i, (result, attempts))| BulkResult {
                        index: start + i,
                        result: result.and_then(|boxed| {
                            boxed
                                .downcast::<E::Response>()
                                .map(|b| *b)
                                .map_err(|_| Error::Batch {
                                    message: "internal error: result of another type".into(),
                                })
                        }),
                        attempts,
                    })
                    .collect()
            })
            .buffer_unordered(options.concurrency.max(1))
            .flat_map(futures::stream::iter)
            .boxed()
    }

    /// As [`Client::bulk_stream`], collected: exactly one result per input, in input
    /// order.
    pub async fn bulk<C, E>(
        &self,
        requests: Vec<Authorized<C, E>>,
        options: BulkOptions,
    ) -> Vec<BulkResult<E::Response>>
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
    {
        let mut results: Vec<BulkResult<E::Response>> =
            self.bulk_stream(requests, options).collect().await;
        results.sort_by_key(|r| r.index);
        results
    }
}
