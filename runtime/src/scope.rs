//! Graph permissions ("scopes") and what Microsoft's permissions data says about them.

use core::fmt;

use crate::Scheme;

/// What the permissions data says about one permission under one scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemeDetails {
    /// Microsoft's privilege level, 1 (least) to 5 (most); `None` where the data does not
    /// publish one.
    pub privilege_level: Option<u8>,
    /// Whether an administrator must consent.
    pub requires_admin_consent: bool,
}

/// Everything known about one permission, from `permissions.json` and
/// `permissions-descriptions.json`.
#[derive(Debug, PartialEq, Eq)]
pub struct ScopeInfo {
    /// The permission's name, e.g. `User.ReadWrite.All`.
    pub name: &'static str,
    /// Details when the permission exists for delegated work or school accounts.
    pub delegated_work: Option<SchemeDetails>,
    /// Details when the permission exists for delegated personal Microsoft accounts.
    pub delegated_personal: Option<SchemeDetails>,
    /// Details when the permission exists as an application permission.
    pub application: Option<SchemeDetails>,
    /// The GUID of the delegated permission (`oauth2PermissionScope`), if published.
    pub delegated_id: Option<&'static str>,
    /// The GUID of the application permission (`appRole`), if published.
    pub application_id: Option<&'static str>,
}

/// A Microsoft Graph permission, such as `User.ReadWrite.All`.
///
/// Constants for every known permission live in [`crate::scopes`]. Two scopes are equal
/// when their names are equal.
#[derive(Clone, Copy)]
pub struct Scope {
    info: &'static ScopeInfo,
}

impl Scope {
    /// Wraps static permission data. Used by the generated [`crate::scopes`] module.
    pub const fn from_info(info: &'static ScopeInfo) -> Scope {
        Scope { info }
    }

    /// The permission's name, e.g. `User.ReadWrite.All`.
    pub const fn name(self) -> &'static str {
        self.info.name
    }

    /// Everything known about this permission.
    pub const fn info(self) -> &'static ScopeInfo {
        self.info
    }

    /// Details for `scheme`, or `None` when the permission does not exist for it.
    pub const fn details(self, scheme: Scheme) -> Option<SchemeDetails> {
        match scheme {
            Scheme::DelegatedWork => self.info.delegated_work,
            Scheme::DelegatedPersonal => self.info.delegated_personal,
            Scheme::Application => self.info.application,
        }
    }

    /// Whether the permission exists for `scheme`.
    pub const fn is_defined_for(self, scheme: Scheme) -> bool {
        self.details(scheme).is_some()
    }

    /// The GUID an app registration's `requiredResourceAccess` uses for this permission
    /// under `scheme` (delegated schemes share the delegated GUID).
    pub const fn id(self, scheme: Scheme) -> Option<&'static str> {
        match scheme {
            Scheme::Application => self.info.application_id,
            _ => self.info.delegated_id,
        }
    }

    /// Name equality usable in `const` contexts.
    pub const fn same_as(self, other: Scope) -> bool {
        crate::check::str_eq(self.info.name, other.info.name)
    }
}

impl PartialEq for Scope {
    fn eq(&self, other: &Scope) -> bool {
        self.info.name == other.info.name
    }
}

impl Eq for Scope {}

impl PartialOrd for Scope {
    fn partial_cmp(&self, other: &Scope) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scope {
    fn cmp(&self, other: &Scope) -> core::cmp::Ordering {
        self.info.name.cmp(other.info.name)
    }
}

impl core::hash::Hash for Scope {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.info.name.hash(state);
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scope({})", self.info.name)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info.name)
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.info.name)
    }
}
