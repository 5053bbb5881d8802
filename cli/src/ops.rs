//! `show`, `scopes` and `manifest`: questions about the operations of `graphspec`.

use std::fmt::Write;

use graphspec::{OperationInfo, ResponseKind, Scheme, SchemePermissions};

/// Finds an operation by its Graph name (`user.reprocessLicenseAssignment`) or Rust path
/// (`user::ReprocessLicenseAssignment`, optionally `graphspec::`-prefixed): exact first,
/// then case-insensitively when that is unambiguous. Unknown names get suggestions.
pub fn find(name: &str) -> Result<&'static OperationInfo, String> {
    let name = name.trim();
    let wanted = name.strip_prefix("graphspec::").unwrap_or(name);
    let all = graphspec::operations();
    if let Some(op) = all
        .iter()
        .find(|op| op.graph_name() == wanted || op.rust_path() == wanted)
    {
        return Ok(op);
    }
    let folded: Vec<&&OperationInfo> = all
        .iter()
        .filter(|op| {
            op.graph_name().eq_ignore_ascii_case(wanted)
                || op.rust_path().eq_ignore_ascii_case(wanted)
        })
        .collect();
    match folded.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => {
            let names: Vec<String> = many.iter().map(|op| op.graph_name()).collect();
            return Err(format!(
                "`{name}` is ambiguous: it matches {}",
                names.join(", ")
            ));
        }
    }
    let lower = wanted.to_ascii_lowercase().replace("::", ".");
    let mut scored: Vec<(f64, String)> = all
        .iter()
        .map(|op| {
            let graph = op.graph_name();
            let score = strsim::jaro_winkler(&lower, &graph.to_ascii_lowercase());
            (score, graph)
        })
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(3);
    if scored.is_empty() {
        Err(format!(
            "no operation `{name}` (write `resource.operation`, e.g. `user.getUser`)"
        ))
    } else {
        let names: Vec<String> = scored.into_iter().map(|(_, n)| format!("`{n}`")).collect();
        Err(format!(
            "no operation `{name}`; did you mean {}?",
            names.join(", ")
        ))
    }
}

fn find_all(names: &[String]) -> Result<Vec<&'static OperationInfo>, String> {
    names.iter().map(|n| find(n)).collect()
}

/// The docs' label of a scheme row.
fn scheme_label(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::DelegatedWork => "Delegated (work or school account)",
        Scheme::DelegatedPersonal => "Delegated (personal Microsoft account)",
        Scheme::Application => "Application",
    }
}

/// A row's cell as the docs write it.
fn cell(row: &SchemePermissions) -> String {
    match row {
        SchemePermissions::Scopes(alternatives) => alternatives
            .iter()
            .map(|alt| {
                alt.scopes()
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect::<Vec<_>>()
            .join(", "),
        SchemePermissions::NoneRequired => "None.".to_owned(),
        SchemePermissions::NotSupported => "Not supported.".to_owned(),
        SchemePermissions::Unknown => "Unknown (the docs give no data).".to_owned(),
    }
}

fn response_text(op: &OperationInfo) -> String {
    match op.response.kind {
        ResponseKind::None => format!("{} (no content)", op.response.status),
        ResponseKind::Content => format!("{} raw content (Vec<u8>)", op.response.status),
        ResponseKind::One(ty) => format!("{} {}", op.response.status, rust_type(ty)),
        ResponseKind::Collection(ty) => {
            format!("{} collection of {}", op.response.status, rust_type(ty))
        }
    }
}

/// A type as a user's crate names it: definitions write models as `model::User`.
fn rust_type(ty: &str) -> String {
    if ty.starts_with("model::") {
        format!("graphspec::{ty}")
    } else {
        ty.to_owned()
    }
}

/// A Rust snippet that builds the request with the first path form.
fn snippet(op: &OperationInfo) -> String {
    let form = &op.paths[0];
    let mut args: Vec<String> = form.params.iter().map(|p| format!("\"<{p}>\"")).collect();
    for h in op.headers.iter().filter(|h| h.required) {
        args.push(format!("\"<{}>\"", h.name));
    }
    let mut out = String::new();
    out.push_str("use graphspec::prelude::*;\n");
    let _ = writeln!(out, "use graphspec::{}::{};", op.resource(), op.name);
    out.push('\n');
    if let Some(body) = op.body.filter(|b| b.starts_with("model::")) {
        let _ = writeln!(
            out,
            "let body = {}::default(); // set the fields to send",
            rust_type(body)
        );
        args.push("body".to_owned());
    } else if op.body.is_some() {
        let _ = writeln!(
            out,
            "let body = /* {} */ serde_json::from_str(r#\"{{ }}\"#)?;",
            op.body.unwrap_or_default()
        );
        args.push("body".to_owned());
    }
    let _ = writeln!(
        out,
        "let req = {}::{}({});",
        op.name,
        form.constructor,
        args.join(", ")
    );
    let _ = writeln!(
        out,
        "let http = req.to_http_request(&graphspec::Cloud::Global.v1())?;"
    );
    let _ = writeln!(
        out,
        "// {} https://graph.microsoft.com/{}{}",
        op.method,
        op.version.as_str(),
        form.template
    );
    out
}

/// Whether `text` is a request (`GET /users/1`, a URL, a path) rather than an operation's
/// name.
fn is_request(text: &str) -> bool {
    let text = text.trim();
    text.contains('/') || text.contains(char::is_whitespace)
}

/// A request's operation, its arguments by name (`id` = `8a2f`), and whether it asks for
/// the number of the operation's items (`…/$count`).
type Found = (&'static OperationInfo, Vec<(String, String)>, bool);

/// The operation that serves a request line, URL or path, and its path arguments by name.
fn find_by_request(line: &str) -> Result<Found, String> {
    let found = graphspec::find_request(line)
        .map_err(|e| format!("`{}`: {e}", line.trim()))?
        .ok_or_else(|| {
            format!(
                "no operation sends `{}` (the features this build has: {} operations; \
                 write `METHOD URL`, e.g. `GET https://graph.microsoft.com/v1.0/users/{{id}}`)",
                line.trim(),
                graphspec::operations().len()
            )
        })?;
    let template = &found.operation.paths[found.form];
    let args = template
        .params
        .iter()
        .map(|p| (*p).to_owned())
        .zip(found.args)
        .collect();
    Ok((found.operation, args, found.count))
}

/// `graphspec show`: by name, or by a request (`GET https://graph.microsoft.com/v1.0/…`).
pub fn show(name: &str, json: bool) -> Result<(), String> {
    let (op, args, count) = if is_request(name) {
        find_by_request(name)?
    } else {
        (find(name)?, Vec::new(), false)
    };
    if json {
        let rows: Vec<serde_json::Value> = Scheme::ALL
            .iter()
            .map(|&s| {
                let row = op.permissions.for_scheme(s);
                let (kind, scopes): (&str, Vec<Vec<&str>>) = match row {
                    SchemePermissions::Scopes(alts) => (
                        "scopes",
                        alts.iter()
                            .map(|a| a.scopes().iter().map(|s| s.name()).collect())
                            .collect(),
                    ),
                    SchemePermissions::NoneRequired => ("none", Vec::new()),
                    SchemePermissions::NotSupported => ("unsupported", Vec::new()),
                    SchemePermissions::Unknown => ("unknown", Vec::new()),
                };
                serde_json::json!({"scheme": s.as_str(), "kind": kind, "scopes": scopes})
            })
            .collect();
        let (kind, ty) = match op.response.kind {
            ResponseKind::None => ("none", None),
            ResponseKind::Content => ("content", Some("Vec<u8>")),
            ResponseKind::One(t) => ("one", Some(t)),
            ResponseKind::Collection(t) => ("collection", Some(t)),
        };
        let value = serde_json::json!({
            "name": op.graph_name(),
            "rust_path": op.rust_path(),
            "docs_page": op.docs_page,
            "summary": op.summary,
            "version": op.version.as_str(),
            "method": op.method.as_str(),
            "paths": op.paths.iter().map(|p| serde_json::json!({
                "template": p.template, "constructor": p.constructor, "params": p.params,
            })).collect::<Vec<_>>(),
            "permissions": rows,
            "headers": op.headers.iter().map(|h| serde_json::json!({
                "name": h.name, "required": h.required,
            })).collect::<Vec<_>>(),
            "body": op.body.map(rust_type),
            "response": {"status": op.response.status, "kind": kind, "type": ty.map(rust_type)},
            "arguments": args.iter().map(|(k, v)| serde_json::json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "count": count,
        });
        println!("{value}");
        return Ok(());
    }
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", op.graph_name(), op.rust_path());
    if !op.summary.is_empty() {
        let _ = writeln!(out, "{}", op.summary);
    }
    if let Some(page) = op.docs_page {
        let _ = writeln!(out, "docs: {page}");
    }
    if count {
        out.push_str(
            "\nThe request asks for the number of this operation's items (`/$count`): \
             Graph answers a bare number, and this operation's permissions apply.\n",
        );
    }
    if !args.is_empty() {
        out.push_str("\nArguments of the request (path and fixed query)\n");
        for (name, value) in &args {
            let _ = writeln!(out, "    {name} = {value}");
        }
    }
    out.push_str("\nHTTP request\n");
    for p in op.paths {
        let _ = writeln!(
            out,
            "    {} {}    ({})",
            op.method, p.template, p.constructor
        );
    }
    out.push_str("\nPermissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:---|:---|\n");
    for s in Scheme::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            scheme_label(s),
            cell(op.permissions.for_scheme(s))
        );
    }
    if !op.headers.is_empty() {
        out.push_str("\nHeaders\n");
        for h in op.headers {
            let _ = writeln!(
                out,
                "    {} ({})",
                h.name,
                if h.required { "required" } else { "optional" }
            );
        }
    }
    if let Some(body) = op.body {
        let _ = writeln!(out, "\nRequest body: {}", rust_type(body));
    }
    let _ = writeln!(out, "\nResponse: {}", response_text(op));
    out.push_str("\nRust\n\n");
    for line in snippet(op).lines() {
        let _ = writeln!(out, "    {line}");
    }
    print!("{out}");
    Ok(())
}

fn least(ops: &[&'static OperationInfo], scheme: Scheme) -> Result<Vec<graphspec::Scope>, String> {
    for op in ops {
        if matches!(
            op.permissions.for_scheme(scheme),
            SchemePermissions::Unknown
        ) {
            return Err(format!(
                "`{}` has no permission data for {}",
                op.graph_name(),
                scheme.describe()
            ));
        }
    }
    graphspec::least_privileged_scopes(ops, scheme).map_err(|e| e.to_string())
}

/// `graphspec scopes`.
pub fn scopes(names: &[String], scheme: Scheme) -> Result<(), String> {
    let ops = find_all(names)?;
    let scopes = least(&ops, scheme)?;
    if scopes.is_empty() {
        println!("(no permission needed beyond a valid token)");
    }
    for s in scopes {
        println!("{s}");
    }
    Ok(())
}

/// `graphspec manifest`.
pub fn manifest(names: &[String], scheme: Scheme) -> Result<(), String> {
    let ops = find_all(names)?;
    let scopes = least(&ops, scheme)?;
    let fragment =
        graphspec::required_resource_access(scheme, &scopes).map_err(|e| e.to_string())?;
    let value = serde_json::json!({ "requiredResourceAccess": fragment });
    println!(
        "{}",
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
    );
    Ok(())
}
