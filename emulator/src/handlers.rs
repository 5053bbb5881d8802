//! The operations the in-memory tenant implements, each keyed by its operation type: a
//! renamed or removed operation in `graphspec` is a compile error here, not a silent 501.

use graphspec::claims::TokenClaims;
use graphspec::{Endpoint, OperationInfo, driveitem, group, profilephoto, subscribedsku, user};
use serde_json::{Map, Value, json};

use crate::Shared;
use crate::query::{DEFAULT_PAGE, Query};
use crate::reply::Reply;
use crate::tenant::{Failure, Tenant};

/// What a handler is given: a request the emulator matched to its operation, whose token
/// the operation's permission table allows.
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) claims: &'a TokenClaims,
    /// The path arguments, percent-decoded, in the matched form's parameter order.
    pub(crate) args: &'a [String],
    pub(crate) query: Query,
    pub(crate) body: &'a [u8],
    /// The request's `Content-Type`, if any.
    pub(crate) content_type: Option<&'a str>,
    /// The template of the request form that matched (`…/items/{parent-id}:/{filename}:/content`).
    pub(crate) template: &'static str,
}

/// Answers one operation against the tenant.
pub(crate) type Handler = fn(&Call<'_>, &mut Tenant) -> Reply;

/// An operation type and its handler.
struct Implemented {
    info: &'static OperationInfo,
    handler: Handler,
}

/// `E`'s handler.
const fn on<E: Endpoint>(handler: Handler) -> Implemented {
    Implemented {
        info: E::INFO,
        handler,
    }
}

/// Every operation the emulator implements.
const IMPLEMENTED: &[Implemented] = &[
    on::<user::ListUsers>(list_users),
    on::<user::GetUser>(get_user),
    on::<user::CreateUser>(create_user),
    on::<user::AssignLicense>(assign_license),
    on::<user::ReprocessLicenseAssignment>(reprocess_license_assignment),
    on::<user::ListLicenseDetails>(list_license_details),
    on::<user::ListMemberOf>(list_member_of),
    on::<user::UpdateUser>(update_user),
    on::<subscribedsku::ListSubscribedSkus>(list_subscribed_skus),
    on::<group::ListGroups>(list_groups),
    on::<group::GetGroup>(get_group),
    on::<group::DeleteGroup>(delete_group),
    on::<profilephoto::SetUserPhotoValue>(set_user_photo),
    on::<profilephoto::GetUserPhotoValue>(get_user_photo),
    on::<driveitem::SetContent>(set_content),
    on::<driveitem::GetContent>(get_content),
];

/// The handler of `info`, if the emulator implements that operation.
pub(crate) fn handler_for(info: &OperationInfo) -> Option<Handler> {
    IMPLEMENTED
        .iter()
        .find(|implemented| implemented.info == info)
        .map(|implemented| implemented.handler)
}

/// Whether `info` is `E`.
pub(crate) fn is<E: Endpoint>(info: &OperationInfo) -> bool {
    E::INFO == info
}

impl Call<'_> {
    fn json_body(&self) -> Result<Value, Reply> {
        serde_json::from_slice(self.body)
            .map_err(|e| Reply::error(400, "BadRequest", format!("Invalid JSON body: {e}")))
    }

    /// The user a request is about: its path argument, or for `/me` forms the signed-in
    /// user.
    fn subject(&self) -> Result<String, Reply> {
        match self.args.first() {
            Some(id) => Ok(id.clone()),
            None => self.claims.oid.clone().ok_or_else(|| {
                Reply::error(
                    400,
                    "BadRequest",
                    "/me request is only valid with delegated authentication flow.",
                )
            }),
        }
    }

    /// One object, projected by `$select`, or the failure.
    fn one(&self, result: Result<Map<String, Value>, Failure>, status: u16) -> Reply {
        match result {
            Ok(object) => Reply::json(status, Value::Object(self.query.project(&object))),
            Err(f) => Reply::failure(f),
        }
    }

    /// One page of a collection at `path`, with `@odata.nextLink` when more remain.
    fn page(&self, path: &str, items: &[&Map<String, Value>]) -> Reply {
        self.page_in(path.trim_start_matches('/'), path, items)
    }

    /// [`Call::page`], with `context` after `$metadata#` in `@odata.context` (Graph names
    /// the entity set of a navigation, `directoryObjects` for `memberOf`, not its path).
    /// An item's `@odata.type` is kept whatever `$select` names, as in Graph's answers.
    fn page_in(&self, context: &str, path: &str, items: &[&Map<String, Value>]) -> Reply {
        let (query, root) = (&self.query, &self.shared.root);
        let size = query.top.unwrap_or(DEFAULT_PAGE);
        let start = query.skip.min(items.len());
        let end = (start + size).min(items.len());
        let value: Vec<Value> = items[start..end]
            .iter()
            .map(|o| {
                let mut projected = query.project(o);
                if let Some(odata_type) = o.get("@odata.type") {
                    projected.insert("@odata.type".into(), odata_type.clone());
                }
                Value::Object(projected)
            })
            .collect();
        let mut body = json!({
            "@odata.context": format!("{root}/v1.0/$metadata#{context}"),
            "value": value,
        });
        if query.count {
            body["@odata.count"] = items.len().into();
        }
        if end < items.len() {
            body["@odata.nextLink"] =
                format!("{root}/v1.0{path}?{}", query.next_page(size, end)).into();
        }
        Reply::json(200, body)
    }

    /// The `$filter`ed objects of `all`, as one page at `path`.
    fn filtered_page(&self, path: &str, all: &[Map<String, Value>]) -> Reply {
        let items: Vec<&Map<String, Value>> =
            all.iter().filter(|o| self.query.matches(o)).collect();
        self.page(path, &items)
    }
}

fn set_user_photo(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let key = match call.subject() {
        Ok(key) => key,
        Err(reply) => return reply,
    };
    let content_type = call.content_type.unwrap_or("application/octet-stream");
    if !content_type.to_ascii_lowercase().starts_with("image/") {
        return Reply::error(
            400,
            "ErrorInvalidImage",
            format!("A photo is an image; the request's Content-Type is `{content_type}`."),
        );
    }
    match tenant.set_photo(&key, content_type, call.body.to_vec()) {
        Ok(()) => Reply::empty(200),
        Err(f) => Reply::failure(f),
    }
}

fn get_user_photo(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let key = match call.subject() {
        Ok(key) => key,
        Err(reply) => return reply,
    };
    match tenant.photo(&key) {
        Ok((content_type, bytes)) => Reply::content(200, content_type, bytes.to_vec()),
        Err(f) => Reply::failure(f),
    }
}

/// The drive item a content request addresses: by id (`…/items/{item-id}/content`), or
/// by its parent and name (`…/items/{parent-id}:/{filename}:/content`,
/// `/me/drive/root:/{item-path}:/content`).
fn file_key<'c>(call: &'c Call<'_>) -> (Option<&'c str>, Option<(&'c str, &'c str)>) {
    let args = call.args;
    if call.template.contains("}:/{") && args.len() >= 2 {
        (None, Some((&args[args.len() - 2], &args[args.len() - 1])))
    } else if call.template.contains("/root:/") && !args.is_empty() {
        (None, Some(("root", &args[args.len() - 1])))
    } else {
        (args.last().map(String::as_str), None)
    }
}

fn set_content(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let (item, parent_and_name) = file_key(call);
    let content_type = call.content_type.unwrap_or("application/octet-stream");
    let token = crate::guid(8, fastrand::u64(..));
    match tenant.put_file(
        item,
        parent_and_name,
        content_type,
        call.body.to_vec(),
        token,
    ) {
        Ok((file, created)) => call.one(Ok(file), if created { 201 } else { 200 }),
        Err(f) => Reply::failure(f),
    }
}

/// As Graph: `302 Found` to a pre-authenticated URL that serves the bytes
/// (`GET /download/{item-id}?token=…` on the emulator).
fn get_content(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let (item, parent_and_name) = file_key(call);
    match tenant.file(item, parent_and_name) {
        Ok((id, file)) => Reply::redirect(format!(
            "{}/download/{id}?token={}",
            call.shared.root, file.download_token
        )),
        Err(f) => Reply::failure(f),
    }
}

fn list_users(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    call.filtered_page("/users", tenant.users())
}

fn get_user(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    match call.subject() {
        Ok(key) => call.one(tenant.user(&key).cloned(), 200),
        Err(reply) => reply,
    }
}

fn create_user(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    match call.json_body() {
        Ok(body) => call.one(tenant.create_user(&body), 201),
        Err(reply) => reply,
    }
}

fn assign_license(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    match call.json_body() {
        Ok(body) => call.one(tenant.assign_license(&call.args[0], &body), 200),
        Err(reply) => reply,
    }
}

fn reprocess_license_assignment(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    call.one(tenant.reprocess(&call.args[0]), 200)
}

fn list_license_details(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let key = match call.subject() {
        Ok(key) => key,
        Err(reply) => return reply,
    };
    match tenant.license_details(&key) {
        Ok(details) => {
            let refs: Vec<&Map<String, Value>> = details.iter().collect();
            call.page(&format!("/users/{key}/licenseDetails"), &refs)
        }
        Err(f) => Reply::failure(f),
    }
}

/// `GET /users/{id}/memberOf`, `GET /me/memberOf`: the groups the user is a direct
/// member of, each marked with its `@odata.type` (the collection is of directory objects).
fn list_member_of(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    let key = match call.subject() {
        Ok(key) => key,
        Err(reply) => return reply,
    };
    let groups = match tenant.member_of(&key) {
        Ok(groups) => groups,
        Err(f) => return Reply::failure(f),
    };
    let id = tenant
        .user(&key)
        .ok()
        .and_then(|user| user["id"].as_str())
        .unwrap_or(&key);
    let members: Vec<Map<String, Value>> = groups
        .into_iter()
        .filter(|group| call.query.matches(group))
        .map(|group| {
            let mut member = Map::with_capacity(group.len() + 1);
            member.insert("@odata.type".into(), "#microsoft.graph.group".into());
            member.extend(group.iter().map(|(k, v)| (k.clone(), v.clone())));
            member
        })
        .collect();
    let refs: Vec<&Map<String, Value>> = members.iter().collect();
    // Next links name the user by id: a user principal name may need escaping in a path.
    call.page_in("directoryObjects", &format!("/users/{id}/memberOf"), &refs)
}

/// `PATCH /users/{id}`: merges the body into the user ([`Tenant::update_user`]); 204.
fn update_user(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    if call.body.iter().all(u8::is_ascii_whitespace) {
        return Reply::error(400, "BadRequest", "Empty Payload. JSON content expected.");
    }
    let body = match call.json_body() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    match tenant.update_user(&call.args[0], &body) {
        Ok(()) => Reply::empty(204),
        Err(f) => Reply::failure(f),
    }
}

fn list_subscribed_skus(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    call.filtered_page("/subscribedSkus", tenant.skus())
}

fn list_groups(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    call.filtered_page("/groups", tenant.groups())
}

fn get_group(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    call.one(tenant.group(&call.args[0]).cloned(), 200)
}

fn delete_group(call: &Call<'_>, tenant: &mut Tenant) -> Reply {
    match tenant.delete_group(&call.args[0]) {
        Ok(()) => Reply::empty(204),
        Err(f) => Reply::failure(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_implemented_operation_is_served_by_default_once() {
        let served = graphspec::operations();
        for implemented in IMPLEMENTED {
            assert_eq!(
                served
                    .iter()
                    .filter(|info| ***info == *implemented.info)
                    .count(),
                1,
                "{}",
                implemented.info.rust_path()
            );
        }
        assert!(handler_for(user::ReprocessLicenseAssignment::INFO).is_some());
        assert!(handler_for(user::Delta::INFO).is_none());
        assert!(
            is::<user::GetUser>(user::GetUser::INFO) && !is::<user::GetUser>(user::ListUsers::INFO)
        );
    }
}
