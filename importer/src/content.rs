//! Stage 4, raw content: the forms of a read that address raw content answer its bytes,
//! not the JSON the operation's other forms answer.
//!
//! A page may document reading an object and reading its content together:
//! profilephoto-get lists `GET /me/photo` (the photo's metadata, JSON) and
//! `GET /me/photo/$value` (the image), message-get a message and its MIME content
//! (`…/messages/{id}/$value`), attachment-get an attachment and its raw bytes. One
//! operation cannot answer both: its typed response would read the image as JSON. A form
//! addresses raw content when its last segment is `$value`, or when the CSDL reads its
//! path as a property of type `Edm.Stream` (`…/items/{item-id}/content`;
//! [`Metadata::resolve_request`]).
//!
//! [`split`] gives such forms of a `GET` whose response is JSON an operation of their
//! own, answering `Vec<u8>` (read as the body's bytes), with the page's permissions and
//! headers; when every form addresses content, the operation answers `Vec<u8>`. The
//! operations are named by [`crate::naming`] like any other (`GetUserPhoto` and
//! `GetUserPhotoValue`).
//!
//! A `PUT` whose every form addresses content replaces that content: its body is the raw
//! bytes (`body: Vec<u8>`, sent as they are with the caller's `Content-Type`), whatever
//! the page's example suggests (driveitem-put-content, profilephoto-update,
//! userflowlanguagepage-update's HTML). A `PATCH` of content keeps its body: OneNote's
//! `PATCH …/pages/{id}/content` sends JSON commands.

use graphspec_codegen::model::{Operation, ResponseBody, Spanned, TypeRef};

use crate::csdl::Metadata;
use crate::read::request;

/// Whether `path` (a template) addresses raw content (module docs).
pub fn addresses_content(path: &str, metadata: Option<&Metadata>) -> bool {
    let bare = graphspec_spec::path::path_part(path);
    let segments: Vec<String> = request::split_segments(bare)
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if segments
        .last()
        .is_some_and(|s| s.eq_ignore_ascii_case("$value"))
    {
        return true;
    }
    metadata
        .and_then(|m| m.resolve_request(&crate::csdl::items_for_paths(&segments)))
        .is_some_and(|r| r.content)
}

/// Whether `response` is JSON: one object or a collection of a type other than
/// `Vec<u8>`.
fn answers_json(op: &Operation) -> bool {
    match &op.response.body {
        ResponseBody::None => false,
        ResponseBody::One(t) => !graphspec_codegen::expand::is_bytes(&t.ty),
        ResponseBody::Collection(_) => true,
    }
}

/// What [`split`] did to one page's operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentSplit {
    /// The page's file stem.
    pub page: String,
    /// The operation's name before naming (`module::Name` comes from [`crate::naming`]).
    pub operation: String,
    /// Whether its content forms became an operation of their own (`false`: every form
    /// addresses content, and the operation answers `Vec<u8>`).
    pub split: bool,
}

fn bytes() -> ResponseBody {
    ResponseBody::One(TypeRef {
        ty: syn::parse_quote!(Vec<u8>),
    })
}

/// Gives a `PUT` whose every form addresses content a raw body (module docs); returns
/// whether it changed.
pub fn content_body(op: &mut Operation, metadata: Option<&Metadata>) -> bool {
    let put = !op.forms.is_empty() && op.forms.iter().all(|f| f.method.value == "PUT");
    if !put
        || !op
            .forms
            .iter()
            .all(|f| addresses_content(&f.path.value, metadata))
        || op
            .body
            .as_ref()
            .is_some_and(|b| graphspec_codegen::expand::is_bytes(&b.ty))
    {
        return false;
    }
    op.body = Some(TypeRef {
        ty: syn::parse_quote!(Vec<u8>),
    });
    true
}

/// An operation with the query string each of its forms was written with.
pub type WithQueries = (Operation, Vec<Option<String>>);

/// Splits the content forms of `op` (a page's operation, with the query string each form
/// was written with) off into an operation answering `Vec<u8>` (module docs). Returns the
/// operations, the JSON one first, and whether anything changed.
pub fn split(
    mut op: Operation,
    form_queries: Vec<Option<String>>,
    metadata: Option<&Metadata>,
) -> (Vec<WithQueries>, bool) {
    let get = op.forms.iter().all(|f| f.method.value == "GET");
    if !get || !answers_json(&op) {
        return (vec![(op, form_queries)], false);
    }
    let content: Vec<bool> = op
        .forms
        .iter()
        .map(|f| addresses_content(&f.path.value, metadata))
        .collect();
    if !content.contains(&true) {
        return (vec![(op, form_queries)], false);
    }
    if content.iter().all(|c| *c) {
        op.response.body = bytes();
        return (vec![(op, form_queries)], true);
    }
    let mut raw = op.clone();
    raw.name = Spanned::unspanned(format!("{}Content", op.name.value));
    raw.response.body = bytes();
    let mut json_queries = Vec::new();
    let mut raw_queries = Vec::new();
    let mut json_forms = Vec::new();
    let mut raw_forms = Vec::new();
    for (i, form) in op.forms.into_iter().enumerate() {
        let query = form_queries.get(i).cloned().flatten();
        if content[i] {
            raw_forms.push(form);
            raw_queries.push(query);
        } else {
            json_forms.push(form);
            json_queries.push(query);
        }
    }
    op.forms = json_forms;
    raw.forms = raw_forms;
    crate::read::names::name_constructors(&mut op);
    crate::read::names::name_constructors(&mut raw);
    (vec![(op, json_queries), (raw, raw_queries)], true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_segments_address_content() {
        assert!(addresses_content("/me/photo/$value", None));
        assert!(addresses_content("/me/messages/{id}/$VALUE", None));
        assert!(!addresses_content("/me/photo", None));
        assert!(!addresses_content("/me/messages/{id}/value", None));
    }

    #[test]
    fn content_forms_of_a_read_become_their_own_operation() {
        let op = crate::definitions::tests::operation(
            r#"
            /// Get photo.
            pub struct GetPhoto {
                GET "/me/photo",
                GET "/me/photo/$value",
                GET "/users/{id}/photo/$value",
                permissions: {
                    DelegatedWork: ["User.Read"],
                    DelegatedPersonal: ["User.Read"],
                    Application: unsupported,
                },
                response: 200 model::ProfilePhoto,
            }
            "#,
        );
        let (ops, changed) = split(op, vec![None, None, None], None);
        assert!(changed);
        assert_eq!(ops.len(), 2);
        let (json, raw) = (&ops[0].0, &ops[1].0);
        assert_eq!(json.forms.len(), 1);
        assert!(answers_json(json));
        assert_eq!(raw.forms.len(), 2);
        assert!(
            matches!(&raw.response.body, ResponseBody::One(t) if graphspec_codegen::expand::is_bytes(&t.ty))
        );
        assert_eq!(raw.permissions, json.permissions);
        assert_eq!(ops[1].1.len(), 2);
    }

    #[test]
    fn writes_and_operations_without_json_are_left_alone() {
        let op = crate::definitions::tests::operation(
            r#"
            /// Set photo.
            pub struct SetPhoto {
                PUT "/me/photo/$value",
                permissions: {
                    DelegatedWork: ["User.ReadWrite"],
                    DelegatedPersonal: ["User.ReadWrite"],
                    Application: unsupported,
                },
                response: 200 model::ProfilePhoto,
            }
            "#,
        );
        let (ops, changed) = split(op, vec![None], None);
        assert!(!changed);
        assert_eq!(ops.len(), 1);
    }
}
