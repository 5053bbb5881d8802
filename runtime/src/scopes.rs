//! Every Microsoft Graph permission in Microsoft's permissions data, as a [`Scope`].
//!
//! # Names
//!
//! A constant is named after its permission: the name upper-cased, with `.` and `-`
//! replaced by `_`. `User.ReadWrite.All` is `USER_READWRITE_ALL`, and
//! `TenantGovernance-Invitation.Read.All` is `TENANTGOVERNANCE_INVITATION_READ_ALL`.
//! Upper-casing loses case, so where the data has two names that differ only in case,
//! one of them gets a constant name of its own (listed in
//! [`graphspec_spec::catalogue::CASE_VARIANTS`]; today `Calls.JoinGroupCallasGuest.All` is
//! [`CALLS_JOINGROUPCALLASGUEST_ALL_CASE_VARIANT`]). The rule is
//! [`graphspec_spec::catalogue::const_name`], the one the proc macros use.
//!
//! [`ALL`] holds every constant, sorted by name (byte order), in the order of
//! [`graphspec_spec::catalogue::PERMISSIONS`]; [`lookup`] finds one by name at run time.
//!
//! # Facts
//!
//! Schemes, privilege levels (1 least to 5 most privileged) and admin-consent flags
//! come from `permissions.json`; the GUIDs an app registration needs come from
//! `permissions-descriptions.json`. Where `permissions.json` publishes no privilege
//! level for a scheme, the constant's level is `None` and its documentation says
//! "level not published". Resource-specific consent (RSC) permissions are included;
//! their documentation says so.
//!
//! # Regenerating
//!
//! The constants are generated (`src/generated/scopes.rs`); this module's code is
//! written by hand. After updating `../shared/graph-permissions`, run
//!
//! ```text
//! cargo run -p xtask -- scopes
//! ```
//!
//! (`--shared DIR` reads the data from another folder). `cargo test -p xtask` fails
//! while a generated file differs from what the generator writes.

use crate::{SchemeDetails, Scope};

pub use crate::generated::scopes::*;

/// The permission named `name`: an exact match, or else the first (in [`ALL`]'s order) whose
/// name matches ignoring ASCII case (see
/// [`graphspec_spec::catalogue::position_ignoring_case`]).
pub fn lookup(name: &str) -> Option<Scope> {
    graphspec_spec::catalogue::position_ignoring_case(name)
        .and_then(|index| ALL.get(index).copied())
}

/// Details under one scheme; keeps the generated constants short.
pub(crate) const fn details(
    privilege_level: Option<u8>,
    requires_admin_consent: bool,
) -> Option<SchemeDetails> {
    Some(SchemeDetails {
        privilege_level,
        requires_admin_consent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_the_catalogue_order() {
        let catalogue = graphspec_spec::catalogue::PERMISSIONS;
        assert_eq!(ALL.len(), catalogue.len());
        for (scope, entry) in ALL.iter().zip(catalogue) {
            assert_eq!(scope.name(), entry.name);
        }
    }

    #[test]
    fn all_is_sorted_without_duplicates() {
        for pair in ALL.windows(2) {
            assert!(pair[0].name() < pair[1].name(), "{pair:?}");
        }
    }

    #[test]
    fn lookup_finds_every_constant_by_exact_name() {
        for &scope in ALL {
            assert_eq!(lookup(scope.name()), Some(scope));
        }
    }

    #[test]
    fn lookup_falls_back_to_ascii_case_insensitive() {
        assert_eq!(lookup("User.ReadWrite.All"), Some(USER_READWRITE_ALL));
        assert_eq!(lookup("user.readwrite.all"), Some(USER_READWRITE_ALL));
        assert_eq!(lookup("USER.READWRITE.ALL"), Some(USER_READWRITE_ALL));
        for &scope in ALL {
            let found = lookup(&scope.name().to_ascii_lowercase()).unwrap();
            assert!(found.name().eq_ignore_ascii_case(scope.name()));
        }
    }

    #[test]
    fn lookup_rejects_unknown_names() {
        assert_eq!(lookup("User.ReadWrite.Al"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("User.ReadWrite.All "), None);
    }

    #[test]
    fn constants_carry_the_data() {
        let info = USER_READWRITE_ALL.info();
        assert_eq!(info.name, "User.ReadWrite.All");
        assert!(info.delegated_work.is_some() && info.application.is_some());
        assert_eq!(info.delegated_personal, None);
        assert_eq!(
            info.delegated_id,
            Some("204e0828-b5ca-4ad8-b9f3-f32a958e7cc4")
        );
        assert_eq!(
            info.application_id,
            Some("741f803b-c850-494e-b5df-cde7c675a1ca")
        );
    }
}
