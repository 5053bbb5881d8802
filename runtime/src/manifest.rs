//! The app-registration manifest fragment (`requiredResourceAccess`) for a set of scopes.

use crate::{Error, Scheme, Scope};

/// The application id of Microsoft Graph, the `resourceAppId` of its
/// `requiredResourceAccess` entry.
pub const GRAPH_RESOURCE_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// The `requiredResourceAccess` fragment of an app registration's manifest that requests
/// `scopes` under `scheme`:
///
/// ```json
/// [{ "resourceAppId": "00000003-0000-0000-c000-000000000000",
///    "resourceAccess": [{ "id": "741f803b-…", "type": "Role" }] }]
/// ```
///
/// Application permissions have type `Role` and their `appRole` GUID; delegated ones type
/// `Scope` and their `oauth2PermissionScope` GUID. A scope without a published GUID for
/// the scheme is an error naming it.
pub fn required_resource_access(
    scheme: Scheme,
    scopes: &[Scope],
) -> Result<serde_json::Value, Error> {
    let kind = if scheme.is_delegated() {
        "Scope"
    } else {
        "Role"
    };
    let mut access = Vec::with_capacity(scopes.len());
    for scope in scopes {
        let id = scope.id(scheme).ok_or(Error::ScopeWithoutId {
            scope: scope.name(),
            scheme,
        })?;
        access.push(serde_json::json!({ "id": id, "type": kind }));
    }
    Ok(serde_json::json!([{
        "resourceAppId": GRAPH_RESOURCE_APP_ID,
        "resourceAccess": access,
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes;

    #[test]
    fn application_and_delegated_fragments() {
        let app =
            required_resource_access(Scheme::Application, &[scopes::USER_READWRITE_ALL]).unwrap();
        assert_eq!(app[0]["resourceAppId"], GRAPH_RESOURCE_APP_ID);
        assert_eq!(app[0]["resourceAccess"][0]["type"], "Role");
        assert_eq!(
            app[0]["resourceAccess"][0]["id"],
            scopes::USER_READWRITE_ALL.id(Scheme::Application).unwrap()
        );
        let delegated =
            required_resource_access(Scheme::DelegatedWork, &[scopes::USER_READ]).unwrap();
        assert_eq!(delegated[0]["resourceAccess"][0]["type"], "Scope");
        assert_eq!(
            delegated[0]["resourceAccess"][0]["id"],
            scopes::USER_READ.id(Scheme::DelegatedWork).unwrap()
        );
        assert_eq!(
            required_resource_access(Scheme::Application, &[]).unwrap()[0]["resourceAccess"],
            serde_json::json!([])
        );
    }
}
