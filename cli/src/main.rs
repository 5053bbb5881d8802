//! `graphspec`: import Microsoft Graph reference pages into the `graphspec` crate, and
//! answer questions about its operations (paths, permissions, least-privileged scopes,
//! app-registration manifests).
//!
//! A thin front end: the importer and the docs reader live in `graphspec-importer`, the
//! operations in `graphspec` (built with every resource group, feature `full`).

#![forbid(unsafe_code)]

mod audit;
mod call;
mod import_cmd;
mod inspect;
mod ops;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Microsoft Graph endpoints as Rust types: import docs pages, look up operations, and
/// compute the permissions an app needs.
///
/// Operations are named as Graph's reference names them (`user.reprocessLicenseAssignment`)
/// or by their Rust path (`user::ReprocessLicenseAssignment`); case does not matter when
/// the name is unambiguous.
#[derive(Parser)]
#[command(name = "graphspec", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import a folder of Graph reference pages into api-defs/ (one Rust file per
    /// resource, the typed models, the feature table and IMPORT-REPORT.md).
    ///
    /// Example: graphspec import ../shared/graph-docs/ru-RU/v1.0
    ///          --permissions ../shared/graph-permissions/permissions.json
    ///          --metadata ../shared/graph-metadata/v1.0-metadata.xml
    Import {
        /// The docs folder: it holds `api/*.md` (operation pages) and `resources/*.md`.
        docs_dir: PathBuf,
        /// Microsoft's permissions.json: cross-check every operation's permissions with it
        /// and repair scope names that translation broke.
        #[arg(long, value_name = "FILE")]
        permissions: Option<PathBuf>,
        /// Microsoft's CSDL ($metadata) for the version: generate a typed model for every
        /// entity, complex and enum type, and answer each operation with its model.
        /// Without it, operations answer untyped JSON objects.
        #[arg(long, value_name = "FILE")]
        metadata: Option<PathBuf>,
        /// The `graphspec` crate folder to write into (its Cargo.toml must carry the
        /// generated-features markers).
        #[arg(long, value_name = "DIR", default_value = "api-defs")]
        out: PathBuf,
    },
    /// Check recorded Graph traffic (a HAR 1.2 file, as browser devtools, Fiddler and Dev
    /// Proxy export it) against the definitions and the models.
    ///
    /// For each exchange: the operation it routes to, its status, and whether its JSON
    /// response reads as the operation's typed response: ok, lossy (with the JSON paths of
    /// properties and enum values the models do not know) or failed (with the reason).
    /// Then the least-privileged scopes per scheme that allow every observed call, and
    /// the manifest fragment. Exits 0 whenever the file was read.
    ///
    /// Example: graphspec audit traffic.har --json
    Audit {
        /// The HAR file.
        file: PathBuf,
        /// One JSON object per exchange, then a summary object (schema in the
        /// graphspec-cli docs, `audit` module).
        #[arg(long)]
        json: bool,
    },
    /// Show one operation: its paths, permissions table (as the docs render it), response
    /// and a Rust snippet that calls it. Name it, or give a request as copied from Graph
    /// Explorer or a log: `graphspec show "GET https://graph.microsoft.com/v1.0/users/8a…/messages?$top=5"`
    /// (a URL alone means GET) finds the operation that sends it and its path arguments.
    Show {
        /// The operation (`user.reprocessLicenseAssignment`, `user::GetUser`) or a request
        /// (`GET /users/{id}/messages`, a URL).
        operation: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the least-privileged set of scopes that allows all the given operations under
    /// one scheme.
    Scopes {
        /// Operations, e.g. `user.getUser group.deleteGroup`.
        #[arg(required = true)]
        operations: Vec<String>,
        /// `application`, `delegated-work` or `delegated-personal`.
        #[arg(long, value_parser = parse_scheme)]
        scheme: graphspec::Scheme,
    },
    /// Print the `requiredResourceAccess` JSON fragment of an app registration that allows
    /// the given operations (least-privileged scopes, with their GUIDs).
    Manifest {
        /// Operations, e.g. `user.reprocessLicenseAssignment`.
        #[arg(required = true)]
        operations: Vec<String>,
        /// `application` (app roles) or `delegated-work` / `delegated-personal` (scopes).
        #[arg(long, value_parser = parse_scheme)]
        scheme: graphspec::Scheme,
    },
    /// Call one operation, the way the license bot does: against Microsoft Graph when
    /// GRAPHSPEC_TENANT_ID, GRAPHSPEC_CLIENT_ID and GRAPHSPEC_CLIENT_SECRET (or the flags)
    /// are given,
    #[cfg_attr(
        feature = "emulator",
        doc = "otherwise against the embedded Graph emulator (an app holding the operation's"
    )]
    #[cfg_attr(
        feature = "emulator",
        doc = "least-privileged application permission, or --roles)."
    )]
    #[cfg_attr(
        not(feature = "emulator"),
        doc = "which this build needs except with --dry-run: it has no embedded emulator (cargo"
    )]
    #[cfg_attr(not(feature = "emulator"), doc = "feature `emulator`).")]
    /// The token's permissions are checked against the operation's table before anything
    /// is sent. Prints the response body; exits non-zero on an error answer.
    ///
    /// Examples: graphspec call user.listUsers --query top=3 --query select=id,displayName
    ///           graphspec call user.reprocessLicenseAssignment --arg id=USER_ID
    ///           graphspec call group.deleteGroup --arg id=x --dry-run
    Call {
        /// The operation, e.g. `user.reprocessLicenseAssignment` or `user::GetUser`.
        operation: String,
        /// A path parameter, `name=value` (repeat for several).
        #[arg(long = "arg", value_name = "NAME=VALUE")]
        args: Vec<String>,
        /// The path form by its constructor name (`me`, `users`, …) when several fit.
        #[arg(long)]
        form: Option<String>,
        /// An OData query option for GET operations: `top=5`, `select=id,displayName`,
        /// `filter=accountEnabled eq true`, …
        #[arg(long, value_name = "NAME=VALUE")]
        query: Vec<String>,
        /// A documented request header, `Name: value`; `Content-Type: …` too for
        /// operations whose body is raw content (a file, a photo).
        #[arg(long, value_name = "NAME: VALUE")]
        header: Vec<String>,
        /// The JSON request body, or `@file.json`; for operations whose body is raw content
        /// (uploading a file or a photo), the content: `@file` sends the file's bytes as
        /// they are.
        #[arg(long, value_name = "JSON|@FILE")]
        body: Option<String>,
        /// Send the count of a list operation (`…/$count`, with `ConsistencyLevel:
        /// eventual`) instead of the list; prints the number.
        #[arg(long)]
        count: bool,
        /// Print the request instead of sending it.
        #[arg(long)]
        dry_run: bool,
        /// The tenant (real Graph).
        #[arg(long, env = "GRAPHSPEC_TENANT_ID")]
        tenant: Option<String>,
        /// The application (client) id (real Graph).
        #[arg(long, env = "GRAPHSPEC_CLIENT_ID")]
        client_id: Option<String>,
        /// The client secret (real Graph).
        #[arg(long, env = "GRAPHSPEC_CLIENT_SECRET", hide_env_values = true)]
        client_secret: Option<String>,
        /// The national cloud: global, usgov-l4, usgov-l5 or china.
        #[arg(long, default_value = "global", value_parser = graphspec::Cloud::parse)]
        cloud: graphspec::Cloud,
        /// A custom service root instead of the cloud's (e.g. a proxy).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Use the beta endpoint.
        #[arg(long)]
        beta: bool,
        /// Emulator only: the application permissions of the calling test app,
        /// comma-separated (default: the operation's least-privileged one).
        #[cfg(feature = "emulator")]
        #[arg(long, value_delimiter = ',')]
        roles: Option<Vec<String>>,
    },
    /// Read docs pages and print the definition read from each and the Rust the
    /// `endpoint!` macro generates for it.
    ///
    /// With --json, prints one JSON object per line per page (schema: docs/importer.md).
    Inspect {
        /// Page files (`user-get.md`) or folders of pages (a docs folder's `api/` is used
        /// when it has one).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// One JSON object per line per page: file, page, status, operation, diagnostics.
        #[arg(long)]
        json: bool,
    },
}

fn parse_scheme(text: &str) -> Result<graphspec::Scheme, String> {
    graphspec::Scheme::parse(text).ok_or_else(|| {
        format!(
            "unknown scheme `{text}`: expected application, delegated-work or delegated-personal"
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import {
            docs_dir,
            permissions,
            metadata,
            out,
        } => import_cmd::run(&docs_dir, permissions.as_deref(), metadata.as_deref(), &out),
        Command::Show { operation, json } => ops::show(&operation, json),
        Command::Audit { file, json } => audit::run(&file, json),
        Command::Scopes { operations, scheme } => ops::scopes(&operations, scheme),
        Command::Manifest { operations, scheme } => ops::manifest(&operations, scheme),
        Command::Inspect { paths, json } => inspect::run(&paths, json),
        Command::Call {
            operation,
            args,
            form,
            query,
            header,
            body,
            count,
            dry_run,
            tenant,
            client_id,
            client_secret,
            cloud,
            base_url,
            beta,
            #[cfg(feature = "emulator")]
            roles,
        } => {
            let credentials = match (tenant, client_id, client_secret) {
                (Some(t), Some(c), Some(s)) => Ok(Some((t, c, s))),
                (None, None, None) => Ok(None),
                _ if cfg!(feature = "emulator") => Err("give all of --tenant, --client-id and --client-secret (or none, for the emulator)".to_owned()),
                _ => Err("give all of --tenant, --client-id and --client-secret".to_owned()),
            };
            credentials.and_then(|credentials| {
                call::run(call::CallArgs {
                    operation,
                    args,
                    form,
                    query,
                    headers: header,
                    body,
                    count,
                    dry_run,
                    credentials,
                    cloud,
                    base_url,
                    beta,
                    #[cfg(feature = "emulator")]
                    roles,
                })
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
