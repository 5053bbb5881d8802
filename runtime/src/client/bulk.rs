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

/// Accounts the results of a bulk run to its inputs: exactly one result per input,
/// whatever a stream yields.
///
/// A second result for an input is never written over the first: the input's outcome
/// becomes [`Error::BulkAccounting`], naming both results (and its `attempts` add up),
/// and [`BulkLedger::record`] returns that error. A result whose index is past the inputs
/// belongs to none; `record` returns an error naming it. [`BulkLedger::finish`] gives
/// every input without a result an [`Error::BulkAccounting`] outcome. So every input is
/// counted once, and nothing is lost without an error saying so.
#[derive(Debug)]
pub struct BulkLedger<T> {
    slots: Vec<Option<BulkResult<T>>>,
    recorded: usize,
}

impl<T> BulkLedger<T> {
    /// A ledger for `inputs` requests, indexed `0..inputs`.
    pub fn new(inputs: usize) -> BulkLedger<T> {
        BulkLedger {
            slots: (0..inputs).map(|_| None).collect(),
            recorded: 0,
        }
    }

    /// Records `result` for input `result.index`. Errors (see [`BulkLedger`]) when the
    /// input already has a result, or there is no such input.
    pub fn record(&mut self, result: BulkResult<T>) -> Result<(), Error> {
        let index = result.index;
        let inputs = self.slots.len();
        let Some(slot) = self.slots.get_mut(index) else {
            return Err(Error::BulkAccounting {
                index,
                problem: format!(
                    "a result ({}) for input {index} of {inputs}: no such input",
                    describe(&result.result)
                ),
            });
        };
        match slot {
            None => {
                *slot = Some(result);
                self.recorded += 1;
                Ok(())
            }
            Some(first) => {
                let error = Error::BulkAccounting {
                    index,
                    problem: format!(
                        "a second result for one request: first {}, then {}",
                        describe(&first.result),
                        describe(&result.result)
                    ),
                };
                first.result = Err(error.clone());
                first.attempts = first.attempts.saturating_add(result.attempts);
                Err(error)
            }
        }
    }

    /// How many inputs have a result.
    pub fn recorded(&self) -> usize {
        self.recorded
    }

    /// One result per input, in input order; an input without a result gets an
    /// [`Error::BulkAccounting`] outcome with no attempts.
    pub fn finish(self) -> Vec<BulkResult<T>> {
        self.slots
            .into_iter()
            .enumerate()
            .map(|(index, slot)| {
                slot.unwrap_or_else(|| BulkResult {
                    index,
                    result: Err(Error::BulkAccounting {
                        index,
                        problem: "the run ended without a result for this request".into(),
                    }),
                    attempts: 0,
                })
            })
            .collect()
    }
}

/// A result, for an accounting message: `success`, or the error.
fn describe<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "success".to_owned(),
        Err(error) => format!("error: {error}"),
    }
}

impl Client {
    /// Sends every request, `options.concurrency` HTTP requests at a time, in `$batch`es
    /// of `options.batch_size`, with the client's retry policy per request; yields one
    /// [`BulkResult`] per input as they complete (in any order; `index` says which).
    ///
    /// `requests` is read lazily, one group at a time as a slot in flight frees: at most
    /// `concurrency × batch_size` requests (and their answers) are held at once, so an
    /// iterator that makes requests on demand keeps memory flat however many it yields.
    pub fn bulk_stream<'a, C, E, I>(
        &'a self,
        requests: I,
        options: BulkOptions,
    ) -> BoxStream<'a, BulkResult<E::Response>>
    where
        C: Credential,
        E: Endpoint + Send + Sync + 'static,
        E::Response: Send + 'static,
        I: IntoIterator<Item = Authorized<C, E>>,
        I::IntoIter: Send + 'a,
    {
        let size = options.batch_size.clamp(1, MAX_BATCH_ITEMS);
        futures::stream::iter(requests)
            .chunks(size)
            .enumerate()
            .map(move |(n, group)| (n * size, group))
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

    /// As [`Client::bulk_stream`], collected through a [`BulkLedger`]: exactly one result
    /// per input, in input order (an accounting error is logged and becomes the outcome
    /// of the input it concerns).
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
        let mut ledger = BulkLedger::new(requests.len());
        let mut results = self.bulk_stream(requests, options);
        while let Some(result) = results.next().await {
            if let Err(error) = ledger.record(result) {
                tracing::error!(%error, "bulk accounting");
            }
        }
        ledger.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(index: usize, value: u32) -> BulkResult<u32> {
        BulkResult {
            index,
            result: Ok(value),
            attempts: 1,
        }
    }

    #[test]
    fn a_duplicate_result_is_an_accounting_error_not_an_overwrite() {
        let mut ledger = BulkLedger::new(3);
        ledger.record(ok(0, 10)).unwrap();
        ledger.record(ok(1, 11)).unwrap();
        // A second result for input 1 (a failure this time): refused, and input 1's
        // outcome becomes an error naming both, not the later or the earlier result.
        let second = BulkResult {
            index: 1,
            result: Err(Error::Batch {
                message: "gone".into(),
            }),
            attempts: 2,
        };
        let error = ledger.record(second).unwrap_err();
        assert!(
            matches!(&error, Error::BulkAccounting { index: 1, problem }
                if problem.contains("first success") && problem.contains("gone")),
            "{error}"
        );
        // No input past the end.
        let stray = ledger.record(ok(7, 17)).unwrap_err();
        assert!(
            matches!(&stray, Error::BulkAccounting { index: 7, problem } if problem.contains("no such input")),
            "{stray}"
        );
        assert_eq!(ledger.recorded(), 2);

        let results = ledger.finish();
        assert_eq!(results.len(), 3, "one result per input");
        assert_eq!(
            results.iter().map(|r| r.index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(results[0].result.as_ref().unwrap(), &10);
        assert!(matches!(
            results[1].result,
            Err(Error::BulkAccounting { index: 1, .. })
        ));
        assert_eq!(results[1].attempts, 3, "both results' attempts are counted");
        // Input 2 never got a result: it is accounted, not missing.
        assert!(matches!(
            &results[2].result,
            Err(Error::BulkAccounting { index: 2, problem }) if problem.contains("without a result")
        ));
        assert_eq!(results[2].attempts, 0);
    }
}
