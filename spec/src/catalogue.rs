//! The permission catalogue: every permission in Microsoft's permissions data, with the
//! schemes it exists for, and the rule that names its Rust constant.
//!
//! [`PERMISSIONS`] is generated from `permissions.json` (by `cargo run -p xtask --
//! scopes`, into `src/generated/catalogue.rs`); everything else here is written by hand.
//! The runtime's `scopes` constants are generated from the same data in the same order,
//! so an index into [`PERMISSIONS`] is an index into `graphspec_runtime::scopes::ALL`.
//!
//! # Names
//!
//! A permission's constant is its name upper-cased, with `.` and `-` replaced by `_`
//! ([`plain_const_name`]): `User.ReadWrite.All` is `USER_READWRITE_ALL`, and
//! `TenantGovernance-Invitation.Read.All` is `TENANTGOVERNANCE_INVITATION_READ_ALL`.
//! Upper-casing loses case, so where the data has two names that differ only in case,
//! one of them is listed in [`CASE_VARIANTS`] with a constant name of its own; the
//! generator refuses data in which two names would share a constant.

use alloc::string::String;

use crate::Scheme;
pub use crate::generated::catalogue::PERMISSIONS;

/// One permission and the schemes it exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    /// The permission's name, e.g. `User.ReadWrite.All`.
    pub name: &'static str,
    /// Whether it exists for delegated work or school accounts.
    pub delegated_work: bool,
    /// Whether it exists for delegated personal Microsoft accounts.
    pub delegated_personal: bool,
    /// Whether it exists as an application permission.
    pub application: bool,
}

impl CatalogEntry {
    /// Whether the permission exists for `scheme`.
    pub const fn exists_for(&self, scheme: Scheme) -> bool {
        match scheme {
            Scheme::DelegatedWork => self.delegated_work,
            Scheme::DelegatedPersonal => self.delegated_personal,
            Scheme::Application => self.application,
        }
    }
}

/// A permission whose name differs from another's only in case, and the constant name it
/// gets instead of the plain rule's (which would collide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseVariant {
    /// The permission's name.
    pub name: &'static str,
    /// Its constant's name in `graphspec_runtime::scopes`.
    pub const_name: &'static str,
}

/// Permissions whose constant name does not follow the plain rule; see [`const_name`].
///
/// `permissions.json` lists `Calls.JoinGroupCallasGuest.All` (no privilege level, no GUID,
/// no display text) next to `Calls.JoinGroupCallAsGuest.All`; both upper-case to
/// `CALLS_JOINGROUPCALLASGUEST_ALL`. The one with the GUID keeps the plain name. The
/// generator fails when an entry here is not in the data, or when two names still collide.
pub static CASE_VARIANTS: &[CaseVariant] = &[CaseVariant {
    name: "Calls.JoinGroupCallasGuest.All",
    const_name: "CALLS_JOINGROUPCALLASGUEST_ALL_CASE_VARIANT",
}];

/// Constant names the generated `scopes` module uses for its own items, which no
/// permission may take.
pub const RESERVED_CONST_NAMES: &[&str] = &["ALL"];

/// The index in [`PERMISSIONS`] of the permission named exactly `name` (case-sensitive).
pub fn position(name: &str) -> Option<usize> {
    PERMISSIONS
        .binary_search_by(|entry| entry.name.cmp(name))
        .ok()
}

/// The index in [`PERMISSIONS`] of the permission named `name`: an exact match, or else
/// the first (in [`PERMISSIONS`]' order) whose name matches ignoring ASCII case. This is
/// how names read from tokens and command lines are found; definitions use the exact
/// [`lookup`].
pub fn position_ignoring_case(name: &str) -> Option<usize> {
    position(name).or_else(|| {
        PERMISSIONS
            .iter()
            .position(|entry| entry.name.eq_ignore_ascii_case(name))
    })
}

/// The permission named exactly `name` (case-sensitive), if any.
pub fn lookup(name: &str) -> Option<&'static CatalogEntry> {
    position(name).map(|index| &PERMISSIONS[index])
}

/// The permission named `name`, ignoring ASCII case when there is no exact match (see
/// [`position_ignoring_case`]).
pub fn lookup_ignoring_case(name: &str) -> Option<&'static CatalogEntry> {
    position_ignoring_case(name).map(|index| &PERMISSIONS[index])
}

/// The plain naming rule: upper-case the name and replace `.` and `-` with `_`.
pub fn plain_const_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The name of the constant for the permission `name` in `graphspec_runtime::scopes`:
/// the one in [`CASE_VARIANTS`] if listed there, else [`plain_const_name`]. The constant
/// exists only for names that [`lookup`] finds.
pub fn const_name(name: &str) -> String {
    match CASE_VARIANTS.iter().find(|variant| variant.name == name) {
        Some(variant) => variant.const_name.into(),
        None => plain_const_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn permissions_are_sorted_without_duplicates() {
        for pair in PERMISSIONS.windows(2) {
            assert!(pair[0].name < pair[1].name, "{pair:?}");
        }
    }

    #[test]
    fn lookup_is_exact() {
        let entry = lookup("User.ReadWrite.All").unwrap();
        assert_eq!(entry.name, "User.ReadWrite.All");
        assert!(entry.delegated_work && entry.application && !entry.delegated_personal);
        assert!(entry.exists_for(Scheme::Application));
        assert_eq!(lookup("user.readwrite.all"), None);
        assert_eq!(lookup("User.ReadWrite.Al"), None);
        assert_eq!(lookup(""), None);
        for entry in PERMISSIONS {
            assert_eq!(lookup(entry.name), Some(entry));
        }
    }

    #[test]
    fn lookup_ignoring_case_prefers_the_exact_name() {
        let found = |name| lookup_ignoring_case(name).map(|e| e.name);
        assert_eq!(found("user.readwrite.all"), Some("User.ReadWrite.All"));
        assert_eq!(found("USER.READWRITE.ALL"), Some("User.ReadWrite.All"));
        for variant in CASE_VARIANTS {
            assert_eq!(found(variant.name), Some(variant.name));
        }
        assert_eq!(found("User.ReadWrite.All "), None);
        assert_eq!(found(""), None);
    }

    #[test]
    fn const_name_follows_the_rule() {
        assert_eq!(const_name("User.ReadWrite.All"), "USER_READWRITE_ALL");
        assert_eq!(
            const_name("TenantGovernance-Invitation.Read.All"),
            "TENANTGOVERNANCE_INVITATION_READ_ALL"
        );
        for variant in CASE_VARIANTS {
            assert!(lookup(variant.name).is_some(), "{variant:?}");
            assert_eq!(const_name(variant.name), variant.const_name);
        }
    }

    #[test]
    fn const_names_are_unique_and_not_reserved() {
        let mut names: Vec<String> = PERMISSIONS.iter().map(|e| const_name(e.name)).collect();
        names.sort_unstable();
        for pair in names.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        for reserved in RESERVED_CONST_NAMES {
            assert!(names.binary_search(&String::from(*reserved)).is_err());
        }
    }
}
