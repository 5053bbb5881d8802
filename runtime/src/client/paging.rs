//! Collections as streams: `@odata.nextLink` followed verbatim.

use futures::Stream;

use super::{Client, Outgoing};
use crate::{Authorized, Collection, Credential, Endpoint, Error};

enum Next<C, E> {
    First(Authorized<C, E>),
    /// The next link, and the first request's headers (`ConsistencyLevel`, …), which
    /// apply to every page.
    Link(String, Vec<(&'static str, String)>),
    Done,
}

pub(super) fn pages<'a, C, E, T>(
    client: &'a Client,
    request: Authorized<C, E>,
) -> impl Stream<Item = Result<Collection<T>, Error>> + Send + 'a
where
    C: Credential,
    E: Endpoint<Response = Collection<T>> + Send + Sync + 'static,
    T: Send + 'static,
{
    futures::stream::unfold(Next::First(request), move |next| async move {
        let (page, headers) = match next {
            Next::Done => return None,
            Next::First(request) => (
                client.send_counted(&request).await.0,
                request.request().parts().headers().to_vec(),
            ),
            Next::Link(link, headers) => (follow::<C, E, T>(client, link, &headers).await, headers),
        };
        match page {
            Ok(page) => {
                let next = match &page.next_link {
                    Some(link) => Next::Link(link.clone(), headers),
                    None => Next::Done,
                };
                Some((Ok(page), next))
            }
            Err(e) => Some((Err(e), Next::Done)),
        }
    })
}

async fn follow<C, E, T>(
    client: &Client,
    link: String,
    headers: &[(&'static str, String)],
) -> Result<Collection<T>, Error>
where
    C: Credential,
    E: Endpoint<Response = Collection<T>>,
{
    let root = client.base_url().root();
    let inside = link
        .strip_prefix(root)
        .is_some_and(|rest| rest.starts_with('/'));
    if !inside {
        return Err(Error::ForeignNextLink {
            operation: E::INFO.name,
            link,
        });
    }
    let token = client.token().await?;
    client.check::<C>(E::INFO, &token)?;
    let mut builder = http::Request::get(&link);
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    let request = builder
        .body(Vec::new())
        .map_err(|_| Error::InvalidUri { uri: link.clone() })?;
    let (answer, _) = client
        .execute(
            Outgoing::from_http(E::INFO.name, request).checked(E::INFO, C::SCHEME),
            Some(token),
        )
        .await;
    E::parse_response(answer?)
}
