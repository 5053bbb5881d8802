//! `call`: one operation, sent the way the license bot sends — against the embedded Graph
//! emulator by default (cargo feature `emulator`), or against Microsoft Graph when given a
//! tenant, client id and secret — with the token's permissions checked before anything is
//! sent.

use std::collections::BTreeMap;

use graphspec::client::{Client, ClientCredentials, ClientSecret, RawBody, check_token};
use graphspec::{
    ApiVersion, BaseUrl, Cloud, GraphError, OperationInfo, QueryOptions, RequestParts, Scheme,
};
#[cfg(feature = "emulator")]
use graphspec_emulator::{Config, Emulator};

/// What `graphspec call` was asked to do.
pub struct CallArgs {
    /// The operation's name.
    pub operation: String,
    /// `name=value` path arguments.
    pub args: Vec<String>,
    /// The constructor (path form) to use, when the arguments do not decide it.
    pub form: Option<String>,
    /// `name=value` OData query options (`top=5`, `$select=id,displayName`).
    pub query: Vec<String>,
    /// `Name: value` request headers.
    pub headers: Vec<String>,
    /// The JSON body, or `@file`.
    pub body: Option<String>,
    /// Send the list's count request (`…/$count`) instead of the list.
    pub count: bool,
    /// Print the request instead of sending it.
    pub dry_run: bool,
    /// Real Graph: tenant, client id and secret.
    pub credentials: Option<(String, String, String)>,
    /// The national cloud.
    pub cloud: Cloud,
    /// A custom service root.
    pub base_url: Option<String>,
    /// Use `beta`.
    pub beta: bool,
    /// Application permissions of the emulator's test app (default: the operation's
    /// least-privileged application scope).
    #[cfg(feature = "emulator")]
    pub roles: Option<Vec<String>>,
}

/// Runs `graphspec call`.
pub fn run(call: CallArgs) -> Result<(), String> {
    let info = crate::ops::find(&call.operation)?;
    if call.count
        && !(info.method == graphspec::Method::Get
            && matches!(info.response.kind, graphspec::ResponseKind::Collection(_)))
    {
        return Err(format!(
            "`{}` answers no collection, so it has no count (`--count` is for list operations)",
            info.graph_name()
        ));
    }
    let (form, args) = choose_form(info, &call.args, call.form.as_deref())?;
    let mut parts = RequestParts::new(form, args);
    *parts.query_mut() = query_options(info, &call.query)?;
    set_headers(info, &mut parts, &call.headers)?;
    let body = body(info, call.body.as_deref())?;
    let version = if call.beta {
        ApiVersion::Beta
    } else {
        ApiVersion::V1
    };

    if call.dry_run {
        let base = match &call.base_url {
            Some(root) => BaseUrl::new(root.clone(), version),
            None => BaseUrl::new(call.cloud.root(), version),
        };
        let mut request = graphspec::build(info, &parts, body, &base).map_err(|e| e.to_string())?;
        if call.count {
            request = graphspec::count_request(request).map_err(|e| e.to_string())?;
        }
        println!("{} {}", request.method(), request.uri());
        for (name, value) in request.headers() {
            println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
        }
        if info.takes_content() {
            println!();
            println!("<{} bytes of content>", request.body().len());
        } else if !request.body().is_empty() {
            println!();
            println!("{}", String::from_utf8_lossy(request.body()));
        }
        return Ok(());
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(send(info, parts, body, version, call))
}

async fn send(
    info: &'static OperationInfo,
    parts: RequestParts,
    body: Option<Vec<u8>>,
    version: ApiVersion,
    call: CallArgs,
) -> Result<(), String> {
    // Kept alive until the call is done.
    let mut embedded_emulator = None;
    let client = match &call.credentials {
        Some((tenant, client_id, secret)) => {
            let base = match &call.base_url {
                Some(root) => BaseUrl::new(root.clone(), version),
                None => BaseUrl::new(call.cloud.root(), version),
            };
            let tokens =
                ClientCredentials::new(tenant, client_id, ClientSecret::new(secret.clone()))
                    .cloud(call.cloud);
            eprintln!("calling Microsoft Graph at {base}");
            Client::builder(tokens)
                .base_url(base)
                .build()
                .map_err(|e| e.to_string())?
        }
        None => {
            let (emulator, client) = embedded(info, &call, version).await?;
            embedded_emulator = Some(emulator);
            client
        }
    };
    let token = client.token().await.map_err(|e| e.to_string())?;
    check_token(info, Scheme::Application, &token)
        .map_err(|e| format!("refused before sending: {e}"))?;
    let mut request =
        graphspec::build(info, &parts, body, client.base_url()).map_err(|e| e.to_string())?;
    if call.count {
        request = graphspec::count_request(request).map_err(|e| e.to_string())?;
    }
    eprintln!("{} {}", request.method(), request.uri());
    let response = client
        .send_raw(request.map(RawBody::bytes))
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    eprintln!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let bytes = response.body();
    let content = matches!(info.response.kind, graphspec::ResponseKind::Content)
        && status.is_success()
        && !call.count;
    if content {
        // Raw content (a file, a photo): its bytes as they came, to be redirected.
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| format!("writing the content: {e}"))?;
    } else {
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(json) => println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            ),
            Err(_) if bytes.is_empty() => {}
            Err(_) => println!("{}", String::from_utf8_lossy(bytes)),
        }
    }
    // A server failure of the embedded emulator is reported too.
    if let Some(emulator) = embedded_emulator {
        emulator.shutdown().await.map_err(|e| e.to_string())?;
    }
    if status.is_success() {
        Ok(())
    } else {
        Err(match GraphError::parse(status.as_u16(), bytes) {
            Some(error) => error.to_string(),
            None => format!("Graph returned {status}"),
        })
    }
}

/// Starts the embedded emulator with a test app holding `call.roles` (default: the
/// operation's least-privileged application permission), and a client for it.
#[cfg(feature = "emulator")]
async fn embedded(
    info: &OperationInfo,
    call: &CallArgs,
    version: ApiVersion,
) -> Result<(Emulator, Client), String> {
    let emulator = Emulator::start(Config::default())
        .await
        .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let roles: Vec<String> = match &call.roles {
        Some(roles) => roles.clone(),
        None => info
            .permissions
            .application
            .least_privileged_set()
            .unwrap_or_default()
            .iter()
            .map(|s| s.name().to_owned())
            .collect(),
    };
    let roles_ref: Vec<&str> = roles.iter().map(String::as_str).collect();
    let secret = format!("cli-{:016x}", u64::from(std::process::id()) * 0x9e37_79b9);
    emulator.register_app("graphspec-cli", &secret, &roles_ref);
    let tokens = ClientCredentials::new(
        emulator.tenant_id(),
        "graphspec-cli",
        ClientSecret::new(secret),
    )
    .authority(emulator.authority());
    eprintln!(
        "calling the embedded emulator at {} as an application with roles [{}]",
        emulator.root(),
        roles.join(", ")
    );
    let client = Client::builder(tokens)
        .base_url(emulator.base_url(version))
        .build()
        .map_err(|e| e.to_string())?;
    Ok((emulator, client))
}

/// Stands in for the emulator in builds without it (cargo feature `emulator`): never
/// exists.
#[cfg(not(feature = "emulator"))]
enum Emulator {}

#[cfg(not(feature = "emulator"))]
impl Emulator {
    async fn shutdown(self) -> Result<(), std::convert::Infallible> {
        match self {}
    }
}

/// Without the embedded emulator, a call without credentials is refused.
#[cfg(not(feature = "emulator"))]
async fn embedded(
    _info: &OperationInfo,
    _call: &CallArgs,
    _version: ApiVersion,
) -> Result<(Emulator, Client), String> {
    Err(NO_EMULATOR.to_owned())
}

/// Why a call without credentials is refused in builds without the embedded emulator.
#[cfg(not(feature = "emulator"))]
pub const NO_EMULATOR: &str = "this graphspec was built without the embedded emulator (cargo feature `emulator`): give --tenant, --client-id and --client-secret (or set GRAPHSPEC_TENANT_ID, GRAPHSPEC_CLIENT_ID and GRAPHSPEC_CLIENT_SECRET) to call Microsoft Graph, or use --dry-run";

/// Picks the path form: `--form` names a constructor; otherwise the form whose parameters
/// are exactly the `--arg` names given.
fn choose_form(
    info: &OperationInfo,
    raw: &[String],
    form: Option<&str>,
) -> Result<(usize, Vec<String>), String> {
    let mut given: BTreeMap<&str, &str> = BTreeMap::new();
    for arg in raw {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| format!("`--arg {arg}`: expected name=value"))?;
        if given.insert(name.trim(), value).is_some() {
            return Err(format!("`--arg {name}` is given twice"));
        }
    }
    let forms_text = || {
        info.paths
            .iter()
            .map(|p| {
                format!(
                    "{}({}) for {} {}",
                    p.constructor,
                    p.params.join(", "),
                    info.method,
                    p.template
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let index = match form {
        Some(name) => info
            .paths
            .iter()
            .position(|p| p.constructor == name)
            .ok_or_else(|| format!("`{}` has no form `{name}`; its forms: {}", info.graph_name(), forms_text()))?,
        None => info
            .paths
            .iter()
            .position(|p| {
                p.params.len() == given.len() && p.params.iter().all(|name| given.contains_key(name))
            })
            .ok_or_else(|| {
                format!(
                    "the arguments [{}] fit no form of `{}`; its forms: {} (pass --arg name=value for each parameter of one)",
                    given.keys().copied().collect::<Vec<_>>().join(", "),
                    info.graph_name(),
                    forms_text()
                )
            })?,
    };
    let template = &info.paths[index];
    let mut args = Vec::with_capacity(template.params.len());
    for name in template.params {
        match given.remove(name) {
            Some(value) => args.push(value.to_owned()),
            None => {
                return Err(format!(
                    "form `{}` needs --arg {name}=…",
                    template.constructor
                ));
            }
        }
    }
    if let Some(extra) = given.keys().next() {
        return Err(format!(
            "form `{}` has no parameter `{extra}`",
            template.constructor
        ));
    }
    Ok((index, args))
}

fn query_options(info: &OperationInfo, raw: &[String]) -> Result<QueryOptions, String> {
    let mut query = QueryOptions::default();
    if !raw.is_empty() && info.method != graphspec::Method::Get {
        return Err(format!(
            "OData query options apply to GET operations; `{}` is {}",
            info.graph_name(),
            info.method
        ));
    }
    let list = |v: &str| {
        v.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
    };
    for option in raw {
        let (name, value) = option
            .split_once('=')
            .ok_or_else(|| format!("`--query {option}`: expected name=value, e.g. top=5"))?;
        let number = |v: &str| {
            v.parse::<u32>()
                .map_err(|_| format!("`--query {option}`: expected a number"))
        };
        match name
            .trim()
            .trim_start_matches('$')
            .to_ascii_lowercase()
            .as_str()
        {
            "select" => query.select.extend(list(value)),
            "expand" => query.expand.extend(list(value)),
            "orderby" => query.orderby.extend(list(value)),
            "filter" => query.filter = Some(value.to_owned()),
            "search" => query.search = Some(value.to_owned()),
            "top" => query.top = Some(number(value)?),
            "skip" => query.skip = Some(number(value)?),
            "count" => {
                query.count = Some(
                    value
                        .parse()
                        .map_err(|_| format!("`--query {option}`: expected true or false"))?,
                )
            }
            other => {
                return Err(format!(
                    "unknown query option `{other}`: expected select, expand, filter, orderby, top, skip, search or count"
                ));
            }
        }
    }
    Ok(query)
}

fn set_headers(
    info: &OperationInfo,
    parts: &mut RequestParts,
    raw: &[String],
) -> Result<(), String> {
    for header in raw {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| format!("`--header {header}`: expected `Name: value`"))?;
        let name = name.trim();
        if info.takes_content() && name.eq_ignore_ascii_case("content-type") {
            parts.set_header("Content-Type", value.trim().to_owned());
            continue;
        }
        let spec = info
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                let known: Vec<&str> = info.headers.iter().map(|h| h.name).collect();
                format!(
                    "`{}` documents no header `{name}` (it documents: {})",
                    info.graph_name(),
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )
            })?;
        parts.set_header(spec.name, value.trim().to_owned());
    }
    for spec in info.headers.iter().filter(|h| h.required) {
        if !parts.headers().iter().any(|(n, _)| *n == spec.name) {
            return Err(format!(
                "`{}` requires the header `{}`: pass --header '{}: …'",
                info.graph_name(),
                spec.name,
                spec.name
            ));
        }
    }
    Ok(())
}

fn body(info: &OperationInfo, raw: Option<&str>) -> Result<Option<Vec<u8>>, String> {
    if info.takes_content() {
        let raw = raw.ok_or_else(|| {
            format!(
                "`{}` sends raw content: pass --body @file (and --header 'Content-Type: …')",
                info.graph_name()
            )
        })?;
        return match raw.strip_prefix('@') {
            Some(path) => std::fs::read(path)
                .map(Some)
                .map_err(|e| format!("cannot read {path}: {e}")),
            None => Ok(Some(raw.as_bytes().to_vec())),
        };
    }
    match (info.body, raw) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(format!("`{}` takes no request body", info.graph_name())),
        (Some(ty), None) => Err(format!(
            "`{}` needs a JSON body ({ty}): pass --body '{{…}}' or --body @file.json",
            info.graph_name()
        )),
        (Some(_), Some(text)) => {
            let text = match text.strip_prefix('@') {
                Some(path) => {
                    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
                }
                None => text.to_owned(),
            };
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("the body is not JSON: {e}"))?;
            serde_json::to_vec(&json)
                .map(Some)
                .map_err(|e| e.to_string())
        }
    }
}
