//! Printer of the definition language: renders [`Operation`]s as `graphspec::endpoint!`
//! items, in the syntax and entry order of `docs/definition-language.md`. This is what
//! `graphspec import` writes into `api-defs/src/<resource>.rs`.
//!
//! The output is deterministic (same model, same text) and reads like hand-written
//! definitions: doc lines first, one request form per line, one permissions row per
//! line, then headers, body, response and the docs page. Parsing the output with
//! [`graphspec_codegen::dsl::parse_items`] gives back an equal model (spans aside).
//!
//! ```text
//! graphspec::endpoint! {
//!     /// user: reprocessLicenseAssignment
//!     pub struct ReprocessLicenseAssignment {
//!         POST "/users/{id}/reprocessLicenseAssignment",
//!         permissions: {
//!             DelegatedWork: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
//!             DelegatedPersonal: unsupported,
//!             Application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
//!         },
//!         response: 200 crate::model::User,
//!         docs: "user-reprocesslicenseassignment",
//!     }
//! }
//! ```

use std::fmt::Write;

use proc_macro2::Literal;

use graphspec_codegen::model::{Operation, ResponseBody, RowValue};
use graphspec_spec::ApiVersion;

const INDENT: &str = "    ";

/// Renders one operation as a `graphspec::endpoint! { … }` item (ending with a newline).
pub fn print_operation(op: &Operation) -> String {
    let mut out = String::from("graphspec::endpoint! {\n");
    print_item(&mut out, op, 1);
    out.push_str("}\n");
    out
}

/// Renders a whole file: `header` (each line becomes a `//!` line; empty for none),
/// then one `endpoint!` item per operation, separated by blank lines.
pub fn print_file(ops: &[Operation], header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let _ = writeln!(out, "//! {line}");
        }
    }
    for (i, op) in ops.iter().enumerate() {
        if i > 0 || !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&print_operation(op));
    }
    out
}

fn print_item(out: &mut String, op: &Operation, depth: usize) {
    let pad = INDENT.repeat(depth);
    let inner = INDENT.repeat(depth + 1);
    for line in &op.doc {
        for part in split_doc_line(line) {
            if part.is_empty() {
                let _ = writeln!(out, "{pad}///");
            } else {
                let _ = writeln!(out, "{pad}/// {part}");
            }
        }
    }
    let _ = writeln!(out, "{pad}pub struct {} {{", op.name.value);
    for form in &op.forms {
        let _ = write!(
            out,
            "{inner}{} {}",
            form.method.value,
            string_literal(&form.path.value)
        );
        if let Some(ctor) = &form.constructor {
            let _ = write!(out, " as {}", ctor.value);
        }
        out.push_str(",\n");
    }
    if op.version.value != ApiVersion::V1 {
        let _ = writeln!(
            out,
            "{inner}version: {},",
            string_literal(op.version.value.as_str())
        );
    }
    let _ = writeln!(out, "{inner}permissions: {{");
    for row in &op.permissions.rows {
        let _ = writeln!(
            out,
            "{inner}{INDENT}{}: {},",
            row.scheme.value.as_str(),
            row_value(&row.value)
        );
    }
    let _ = writeln!(out, "{inner}}},");
    if !op.headers.is_empty() {
        let _ = writeln!(out, "{inner}headers: {{");
        for header in &op.headers {
            let _ = writeln!(
                out,
                "{inner}{INDENT}{}: {},",
                string_literal(&header.name.value),
                if header.required {
                    "required"
                } else {
                    "optional"
                }
            );
        }
        let _ = writeln!(out, "{inner}}},");
    }
    if let Some(body) = &op.body {
        let _ = writeln!(out, "{inner}body: {},", type_string(&body.ty));
    }
    let status = op.response.status.value;
    match &op.response.body {
        ResponseBody::None => {
            let _ = writeln!(out, "{inner}response: {status},");
        }
        ResponseBody::One(ty) => {
            let _ = writeln!(out, "{inner}response: {status} {},", type_string(&ty.ty));
        }
        ResponseBody::Collection(ty) => {
            let _ = writeln!(out, "{inner}response: {status} [{}],", type_string(&ty.ty));
        }
    }
    if let Some(page) = &op.docs_page {
        let _ = writeln!(out, "{inner}docs: {},", string_literal(&page.value));
    }
    let _ = writeln!(out, "{pad}}}");
}

/// Doc text may hold line breaks; each becomes its own `///` line.
fn split_doc_line(line: &str) -> Vec<&str> {
    let parts: Vec<&str> = line.split('\n').map(|p| p.trim_end_matches('\r')).collect();
    if parts.is_empty() { vec![""] } else { parts }
}

fn row_value(value: &RowValue) -> String {
    match value {
        RowValue::Scopes(alternatives) => {
            let alts: Vec<String> = alternatives
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|s| string_literal(&s.value))
                        .collect::<Vec<_>>()
                        .join(" + ")
                })
                .collect();
            format!("[{}]", alts.join(", "))
        }
        RowValue::NotSupported(_) => "unsupported".to_owned(),
        RowValue::NoneRequired(_) => "none".to_owned(),
        RowValue::Unknown(_) => "unknown".to_owned(),
    }
}

/// A Rust string literal for `text` (escaped as the compiler expects).
fn string_literal(text: &str) -> String {
    Literal::string(text).to_string()
}

/// Renders a type as Rust source (`crate::model::User`, `Vec<u8>`), formatted as
/// `rustfmt` would.
pub fn type_string(ty: &syn::Type) -> String {
    let text = crate::pretty(quote::quote!(type T = #ty;));
    text.trim()
        .strip_prefix("type T = ")
        .and_then(|t| t.strip_suffix(';'))
        .map(str::to_owned)
        .unwrap_or_else(|| quote::ToTokens::to_token_stream(ty).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use graphspec_codegen::model::{
        HeaderDef, PermissionRow, PermissionsTable, RequestForm, ResponseDef, Scheme, Spanned,
        TypeRef,
    };
    use proc_macro2::Span;

    fn s(text: &str) -> Spanned<String> {
        Spanned::unspanned(text.to_owned())
    }

    fn seed() -> Operation {
        Operation {
            doc: vec!["Reprocesses the group-based license assignments of a user.".into()],
            name: s("ReprocessLicenseAssignment"),
            docs_page: Some(s("user-reprocesslicenseassignment")),
            version: Spanned::unspanned(ApiVersion::V1),
            forms: vec![RequestForm {
                method: s("POST"),
                path: s("/users/{id}/reprocessLicenseAssignment"),
                constructor: None,
            }],
            permissions: PermissionsTable {
                span: Span::call_site(),
                rows: vec![
                    PermissionRow {
                        scheme: Spanned::unspanned(Scheme::DelegatedWork),
                        value: RowValue::Scopes(vec![
                            vec![s("User.ReadWrite.All")],
                            vec![s("Directory.ReadWrite.All")],
                        ]),
                    },
                    PermissionRow {
                        scheme: Spanned::unspanned(Scheme::DelegatedPersonal),
                        value: RowValue::NotSupported(Span::call_site()),
                    },
                    PermissionRow {
                        scheme: Spanned::unspanned(Scheme::Application),
                        value: RowValue::Scopes(vec![
                            vec![s("User.ReadWrite.All")],
                            vec![s("Directory.ReadWrite.All")],
                        ]),
                    },
                ],
            },
            headers: Vec::new(),
            body: None,
            response: ResponseDef {
                status: Spanned::unspanned(200),
                body: ResponseBody::One(TypeRef {
                    ty: syn::parse_quote!(User),
                }),
            },
        }
    }

    #[test]
    fn prints_the_seed_operation_as_documented() {
        let expected = r#"graphspec::endpoint! {
    /// Reprocesses the group-based license assignments of a user.
    pub struct ReprocessLicenseAssignment {
        POST "/users/{id}/reprocessLicenseAssignment",
        permissions: {
            DelegatedWork: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
        },
        response: 200 User,
        docs: "user-reprocesslicenseassignment",
    }
}
"#;
        assert_eq!(print_operation(&seed()), expected);
    }

    #[test]
    fn prints_every_entry() {
        let mut op = seed();
        op.doc = vec!["Line one".into(), String::new(), "Line \"three\"".into()];
        op.version = Spanned::unspanned(ApiVersion::Beta);
        op.forms.push(RequestForm {
            method: s("POST"),
            path: s("/me/reprocessLicenseAssignment"),
            constructor: Some(s("me")),
        });
        op.permissions.rows[0].value = RowValue::Scopes(vec![
            vec![s("Policy.Read.All"), s("Application.ReadWrite.All")],
            vec![s("Directory.Read.All")],
        ]);
        op.permissions.rows[1].value = RowValue::NoneRequired(Span::call_site());
        op.permissions.rows[2].value = RowValue::Unknown(Span::call_site());
        op.headers = vec![
            HeaderDef {
                name: s("ConsistencyLevel"),
                required: true,
            },
            HeaderDef {
                name: s("Prefer"),
                required: false,
            },
        ];
        op.body = Some(TypeRef {
            ty: syn::parse_quote!(serde_json::Value),
        });
        op.response = ResponseDef {
            status: Spanned::unspanned(201),
            body: ResponseBody::Collection(TypeRef {
                ty: syn::parse_quote!(crate::model::User),
            }),
        };
        let expected = r#"graphspec::endpoint! {
    /// Line one
    ///
    /// Line "three"
    pub struct ReprocessLicenseAssignment {
        POST "/users/{id}/reprocessLicenseAssignment",
        POST "/me/reprocessLicenseAssignment" as me,
        version: "beta",
        permissions: {
            DelegatedWork: ["Policy.Read.All" + "Application.ReadWrite.All", "Directory.Read.All"],
            DelegatedPersonal: none,
            Application: unknown,
        },
        headers: {
            "ConsistencyLevel": required,
            "Prefer": optional,
        },
        body: serde_json::Value,
        response: 201 [crate::model::User],
        docs: "user-reprocesslicenseassignment",
    }
}
"#;
        assert_eq!(print_operation(&op), expected);
    }

    #[test]
    fn files_have_a_header_and_blank_lines_between_items() {
        let text = print_file(&[seed(), seed()], "Users.\n\nGenerated.");
        assert!(text.starts_with("//! Users.\n//!\n//! Generated.\n\ngraphspec::endpoint! {\n"));
        assert_eq!(text.matches("graphspec::endpoint!").count(), 2);
        assert!(text.contains("}\n\ngraphspec::endpoint! {"));
    }

    #[test]
    fn prints_what_the_parser_reads_back() {
        let mut op = seed();
        op.permissions.rows[0].value = RowValue::Scopes(vec![
            vec![s("Policy.Read.All"), s("Application.ReadWrite.All")],
            vec![s("Directory.Read.All")],
        ]);
        op.headers = vec![HeaderDef {
            name: s("ConsistencyLevel"),
            required: false,
        }];
        op.response.body = ResponseBody::Collection(TypeRef {
            ty: syn::parse_quote!(crate::model::User),
        });
        let text = print_operation(&op);
        let item: syn::ItemMacro = syn::parse_str(&text).unwrap();
        let mut errors = graphspec_codegen::Errors::default();
        let items = graphspec_codegen::dsl::parse_items(item.mac.tokens, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].operation, op);
    }

    #[test]
    fn types_render_like_rustfmt() {
        assert_eq!(
            type_string(&syn::parse_quote!(crate::model::User)),
            "crate::model::User"
        );
        assert_eq!(type_string(&syn::parse_quote!(Vec<u8>)), "Vec<u8>");
    }
}
