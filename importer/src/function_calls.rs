//! Stage 2, function calls the CSDL completes: a form that calls a bound OData function
//! by its bare name gets the parameters the CSDL says the function takes.
//!
//! An OData function's parameters are part of its path (`…/range(address='A1:B2')`).
//! Pages sometimes write the call bare and list the parameters in a table of their own:
//! site-getapplicablecontenttypesforlist writes
//! `GET /sites/{siteId}/getApplicableContentTypesForList` and worksheet-usedrange
//! `…/usedRange`. A table's words are the page's language; the CSDL's function overloads
//! are the truth, read the same way in every edition:
//!
//! - **No overload without parameters** (`getApplicableContentTypesForList(listId)`): the
//!   bare call is not a request Graph serves. When exactly one overload is bound to what
//!   the path before the call addresses, the form takes its parameters
//!   (`…/getApplicableContentTypesForList(listId='{listId}')`).
//! - **An overload without parameters, and others** (`usedRange()`, `usedRange(valuesOnly)`):
//!   the bare call is right. When the call is the form's last segment (what the operation
//!   calls, not a step on the way, as `range` in `…/range/columnsAfter(count={count})`),
//!   exactly one other overload takes parameters, and no form of the operation already
//!   calls the function with arguments, the operation gets one more form that does
//!   (`…/usedRange(valuesOnly={valuesOnly})`).
//!
//! Each change is a `request.function-parameters` note. A parameter is written as an
//! OData literal of its type: a string in quotes, a number or Boolean bare. Parameters of
//! other types (enums, dates, complex values, collections) are not written into a path by
//! this rule; such a call is left as the page wrote it, with a
//! `request.function-parameters-unwritten` warning. Paths the CSDL does not account for are
//! left alone: the rule needs the type the call is bound to.
//!
//! [`complete`] runs over the whole corpus, after reading and before
//! [`import`](crate::definitions::import), which calls it when it has the CSDL.

use graphspec_codegen::Errors;
use graphspec_codegen::model::{Operation, RequestForm, Spanned};
use graphspec_codegen::valid;

use crate::csdl::{Callable, CallableKind, Metadata, TypeRef, local_name};
use crate::diagnostic::{Code, Diagnostic};
use crate::page::PageResult;
use crate::read::request;

/// A call the CSDL completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedCall {
    /// The page's file stem.
    pub page: String,
    /// The form as the page wrote it.
    pub written: String,
    /// The form with the function's parameters.
    pub completed: String,
    /// Whether the written form stays (the function has an overload without parameters)
    /// and the completed one is added, or the written one is replaced.
    pub added: bool,
}

/// What a form's call becomes.
enum Change {
    /// The written form is replaced by this template.
    Replace(String),
    /// This template is one more form.
    Add(String),
    /// The call's parameters cannot be written into a path: (function, parameter, type).
    Unwritten(String, String, String),
}

/// The OData literal of a parameter's value as a placeholder, or `None` when its type is
/// not one this rule writes into a path.
fn literal(name: &str, ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Primitive(p) if p == "String" => Some(format!("{name}='{{{name}}}'")),
        TypeRef::Primitive(p)
            if matches!(
                p.as_str(),
                "Boolean"
                    | "Int16"
                    | "Int32"
                    | "Int64"
                    | "Byte"
                    | "SByte"
                    | "Double"
                    | "Single"
                    | "Decimal"
            ) =>
        {
            Some(format!("{name}={{{name}}}"))
        }
        _ => None,
    }
}

/// The call `word(…)` of `callable` with its arguments as placeholders.
fn call(word: &str, callable: &Callable) -> Result<String, (String, String)> {
    let mut args = Vec::new();
    for p in callable.arguments() {
        match literal(&p.name, &p.ty) {
            Some(a) => args.push(a),
            None => {
                let ty = match &p.ty {
                    TypeRef::Primitive(t) => format!("Edm.{t}"),
                    TypeRef::Named(n) => n.clone(),
                    TypeRef::Collection(_) => "a collection".to_owned(),
                };
                return Err((p.name.clone(), ty));
            }
        }
    }
    Ok(format!("{word}({})", args.join(",")))
}

/// The functions named `word` bound to what `prefix` addresses (`T` or `T[]`).
fn overloads<'m>(metadata: &'m Metadata, prefix: &[String], word: &str) -> Vec<&'m Callable> {
    let Some(resolved) = metadata.resolve_request(prefix) else {
        return Vec::new();
    };
    let (ty, collection) = match resolved.addressed.strip_suffix("[]") {
        Some(t) => (t.to_owned(), true),
        None => (resolved.addressed.clone(), false),
    };
    if !metadata.structured.contains_key(&ty) {
        return Vec::new();
    }
    let ancestry: Vec<&str> = metadata
        .ancestry(&ty)
        .into_iter()
        .map(|a| a.name.as_str())
        .collect();
    // The nearest type's overloads: a derived type's own function hides its base's.
    for name in ancestry {
        let found: Vec<&Callable> = metadata
            .callables
            .iter()
            .filter(|c| {
                c.kind == CallableKind::Function
                    && local_name(&c.name) == word
                    && c.binding().is_some_and(|b| {
                        b.is_collection() == collection
                            && matches!(b.element(), TypeRef::Named(n) if n == name)
                    })
            })
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// What the form `path` (a `GET`) of an operation becomes; `others` are the paths of all
/// the operation's forms.
fn change(metadata: &Metadata, path: &str, others: &[String]) -> Option<Change> {
    let bare = graphspec_spec::path::path_part(path);
    let written = request::split_segments(bare);
    // The first segment of a path from the root is empty.
    let offset = written.iter().take_while(|s| s.is_empty()).count();
    let segments: Vec<String> = written[offset..].to_vec();
    let resolvable = crate::csdl::items_for_paths(&segments);
    // The last bare word that is a function bound to what precedes it.
    for index in (1..segments.len()).rev() {
        let word = &segments[index];
        if word.contains(['(', '{', ':', '$', '.']) || word.is_empty() {
            continue;
        }
        // The same segment in the resolvable list (drive paths only shorten the prefix).
        let shift = segments.len() - resolvable.len();
        let Some(r) = index.checked_sub(shift) else {
            continue;
        };
        if resolvable.get(r) != Some(word) {
            continue;
        }
        let found = overloads(metadata, &resolvable[..r], word);
        if found.is_empty() {
            continue;
        }
        let without = found.iter().any(|c| c.arguments().is_empty());
        let with: Vec<&&Callable> = found.iter().filter(|c| !c.arguments().is_empty()).collect();
        let [callable] = with.as_slice() else {
            return None;
        };
        let written_call = match call(word, callable) {
            Ok(c) => c,
            Err((parameter, ty)) => {
                return (!without).then(|| Change::Unwritten(word.clone(), parameter, ty));
            }
        };
        let mut completed = segments.clone();
        completed[index] = written_call;
        let template = format!("/{}", completed.join("/"));
        if without {
            // A call inside the path (`…/range/columnsAfter(count={count})`) is the
            // overload without parameters, as written: only the operation's own call,
            // the last segment, gets a form with arguments, and only when no form calls
            // the function with arguments already.
            if index + 1 != segments.len() {
                return None;
            }
            let prefix = format!("/{}/{word}(", segments[..index].join("/"));
            let called = others.iter().any(|o| {
                let o = graphspec_spec::path::path_part(o);
                o.starts_with(&prefix) || o.contains(&format!("/{word}("))
            });
            return (!called).then_some(Change::Add(template));
        }
        return Some(Change::Replace(template));
    }
    None
}

/// Completes the calls of one operation; returns what changed.
fn complete_operation(
    metadata: &Metadata,
    page: &str,
    op: &mut Operation,
    form_queries: &mut Vec<Option<String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<CompletedCall> {
    let mut done = Vec::new();
    let paths: Vec<String> = op.forms.iter().map(|f| f.path.value.clone()).collect();
    for (f, path) in paths.iter().enumerate() {
        if op.forms[f].method.value != "GET" {
            continue;
        }
        let Some(change) = change(metadata, path, &paths) else {
            continue;
        };
        let (template, added) = match change {
            Change::Replace(t) => (t, false),
            Change::Add(t) => (t, true),
            Change::Unwritten(function, parameter, ty) => {
                diagnostics.push(Diagnostic::new(
                    Code::RequestFunctionParametersUnwritten,
                    format!(
                        "`GET {path}`: the CSDL's `{function}` takes `{parameter}` ({ty}), which this importer does not write into a path; the form is left as written"
                    ),
                ));
                continue;
            }
        };
        let shape = crate::read::shape_of(&template);
        if op
            .forms
            .iter()
            .any(|other| crate::read::shape_of(&other.path.value) == shape)
        {
            continue;
        }
        let saved = op.clone();
        if added {
            op.forms.push(RequestForm {
                method: Spanned::unspanned("GET".to_owned()),
                path: Spanned::unspanned(template.clone()),
                constructor: None,
            });
        } else {
            op.forms[f].path = Spanned::unspanned(template.clone());
        }
        crate::read::names::name_constructors(op);
        let mut errors = Errors::default();
        let _ = valid::validate(op, &mut errors);
        if !errors.is_empty() {
            *op = saved;
            continue;
        }
        if added {
            form_queries.resize(op.forms.len() - 1, None);
            form_queries.push(None);
        }
        diagnostics.push(Diagnostic::new(
            Code::RequestFunctionParameters,
            if added {
                format!(
                    "`GET {path}`: the CSDL's function also takes parameters; one more form `GET {template}`"
                )
            } else {
                format!(
                    "`GET {path}`: the CSDL's function takes parameters, and has no overload without; the form is `GET {template}`"
                )
            },
        ));
        done.push(CompletedCall {
            page: page.to_owned(),
            written: path.clone(),
            completed: template,
            added,
        });
    }
    done
}

/// Completes the function calls of every page's operations (module docs), and returns
/// them in page order.
pub fn complete(pages: &mut [PageResult], metadata: &Metadata) -> Vec<CompletedCall> {
    let mut done = Vec::new();
    for page in pages.iter_mut() {
        let name = page.page.clone();
        if let Some(op) = page.operation.as_mut() {
            done.extend(complete_operation(
                metadata,
                &name,
                op,
                &mut page.form_queries,
                &mut page.diagnostics,
            ));
        }
        for section in &mut page.sections {
            done.extend(complete_operation(
                metadata,
                &name,
                &mut section.operation,
                &mut section.form_queries,
                &mut page.diagnostics,
            ));
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSDL: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="site" BaseType="graph.entity">
        <Property Name="used" Type="Edm.String" />
      </EntityType>
      <Function Name="forList" IsBound="true" IsComposable="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <Parameter Name="listId" Type="Edm.String" Nullable="false" />
        <ReturnType Type="Collection(graph.site)" />
      </Function>
      <Function Name="usedRange" IsBound="true" IsComposable="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <ReturnType Type="graph.site" />
      </Function>
      <Function Name="usedRange" IsBound="true" IsComposable="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <Parameter Name="valuesOnly" Type="Edm.Boolean" Nullable="false" />
        <ReturnType Type="graph.site" />
      </Function>
      <Function Name="onDay" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <Parameter Name="day" Type="Edm.Date" Nullable="false" />
        <ReturnType Type="graph.site" />
      </Function>
      <Function Name="report" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <Parameter Name="period" Type="Edm.String" />
        <ReturnType Type="graph.site" />
      </Function>
      <Function Name="report" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.site" />
        <Parameter Name="top" Type="Edm.Int32" />
        <ReturnType Type="graph.site" />
      </Function>
      <EntityContainer Name="GraphService">
        <EntitySet Name="sites" EntityType="graph.site" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    fn metadata() -> Metadata {
        Metadata::parse(CSDL).unwrap()
    }

    fn changed(path: &str) -> Option<Change> {
        change(&metadata(), path, &[path.to_owned()])
    }

    #[test]
    fn a_bare_call_without_an_overload_without_parameters_takes_them() {
        assert!(matches!(
            changed("/sites/{site-id}/forList"),
            Some(Change::Replace(t)) if t == "/sites/{site-id}/forList(listId='{listId}')"
        ));
        // Inside the path too, where the call is a step on the way (`usedRange` is
        // bound to one site, not to the collection `forList` answers).
        assert!(matches!(
            changed("/sites/{site-id}/forList/usedRange"),
            Some(Change::Replace(t)) if t == "/sites/{site-id}/forList(listId='{listId}')/usedRange"
        ));
    }

    #[test]
    fn a_bare_call_with_an_overload_without_parameters_gets_one_more_form() {
        assert!(matches!(
            changed("/sites/{site-id}/usedRange"),
            Some(Change::Add(t)) if t == "/sites/{site-id}/usedRange(valuesOnly={valuesOnly})"
        ));
        // Not when a form already calls it with arguments.
        let forms = [
            "/sites/{site-id}/usedRange".to_owned(),
            "/sites/{site-id}/usedRange(valuesOnly=true)".to_owned(),
        ];
        assert!(change(&metadata(), &forms[0], &forms).is_none());
    }

    #[test]
    fn calls_the_rule_cannot_write_are_left_as_written() {
        // A date parameter: not written into a path, said.
        assert!(matches!(
            changed("/sites/{site-id}/onDay"),
            Some(Change::Unwritten(f, p, t)) if f == "onDay" && p == "day" && t == "Edm.Date"
        ));
        // Two overloads with parameters: which one is meant is not the CSDL's to say.
        assert!(changed("/sites/{site-id}/report").is_none());
        // A property, a call with arguments already, and a path the CSDL lacks: nothing.
        assert!(changed("/sites/{site-id}/used").is_none());
        assert!(changed("/sites/{site-id}/forList(listId='{l}')").is_none());
        assert!(changed("/nowhere/{id}/forList").is_none());
    }
}
