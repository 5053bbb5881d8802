//! Checking `permissions.json` and `permissions-descriptions.json`, read by the one
//! reader of Microsoft's permissions data, `graphspec_importer::permissions_json`.
//!
//! Only facts are used: names, schemes, privilege levels, consent flags, authorization
//! types and GUIDs. Display names and descriptions are never deserialized.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use graphspec_importer::permissions_json::{Described, DescriptionsFile, PermissionsFile};
use graphspec_spec::Scheme;

use crate::naming;

/// What the data says about one permission under one scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Details {
    /// Microsoft's privilege level, 1 to 5; `None` when the data does not publish one.
    pub privilege_level: Option<u8>,
    /// Whether an administrator must consent.
    pub requires_admin_consent: bool,
}

/// One permission with everything the generated files need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// The name, e.g. `User.ReadWrite.All`.
    pub name: String,
    /// The Rust constant naming it in `graphspec_runtime::scopes`.
    pub const_name: String,
    /// Details for delegated work or school accounts.
    pub delegated_work: Option<Details>,
    /// Details for delegated personal Microsoft accounts.
    pub delegated_personal: Option<Details>,
    /// Details for application permissions.
    pub application: Option<Details>,
    /// GUID from `delegatedScopesList`.
    pub delegated_id: Option<String>,
    /// GUID from `applicationScopesList`.
    pub application_id: Option<String>,
    /// Whether `authorizationType` is `RSC` (resource-specific consent).
    pub resource_specific_consent: bool,
}

/// Counts printed by the generator and checked by its tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Permissions in `permissions.json`.
    pub permissions: usize,
    /// Of which resource-specific consent (`authorizationType: RSC`).
    pub resource_specific_consent: usize,
    /// Permissions defined for delegated work or school accounts.
    pub delegated_work: usize,
    /// Permissions defined for delegated personal accounts.
    pub delegated_personal: usize,
    /// Permissions defined as application permissions.
    pub application: usize,
    /// Scheme entries without a `privilegeLevel`.
    pub missing_privilege_levels: usize,
    /// Delegated GUIDs attached to a permission.
    pub delegated_ids: usize,
    /// Application GUIDs attached to a permission.
    pub application_ids: usize,
    /// Delegated GUIDs whose name is not in `permissions.json` (ignored).
    pub ignored_delegated_ids: usize,
    /// Application GUIDs whose name is not in `permissions.json` (ignored).
    pub ignored_application_ids: usize,
    /// Delegated GUIDs for permissions that `permissions.json` lists with no delegated scheme.
    pub delegated_ids_without_scheme: usize,
    /// Application GUIDs for permissions that `permissions.json` lists with no application scheme.
    pub application_ids_without_scheme: usize,
    /// Permissions whose constant comes from [`naming::CASE_VARIANTS`].
    pub case_variants: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} permissions ({} resource-specific consent)",
            self.permissions, self.resource_specific_consent
        )?;
        writeln!(
            f,
            "schemes: {} delegated work, {} delegated personal, {} application; \
             {} scheme entries without a privilege level",
            self.delegated_work,
            self.delegated_personal,
            self.application,
            self.missing_privilege_levels
        )?;
        writeln!(
            f,
            "delegated GUIDs: {} used, {} ignored (name not in permissions.json), \
             {} for a permission without a delegated scheme",
            self.delegated_ids, self.ignored_delegated_ids, self.delegated_ids_without_scheme
        )?;
        writeln!(
            f,
            "application GUIDs: {} used, {} ignored (name not in permissions.json), \
             {} for a permission without the application scheme",
            self.application_ids, self.ignored_application_ids, self.application_ids_without_scheme
        )?;
        write!(
            f,
            "{} constant(s) named from the case-variant table",
            self.case_variants
        )
    }
}

/// The checked contents of both files, sorted by name (byte order).
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Every permission, sorted by name.
    pub permissions: Vec<Permission>,
    /// Counts for the printed summary.
    pub summary: Summary,
}

/// Reads both files from `shared/graph-permissions` and checks them.
pub fn load(shared: &Path) -> Result<Catalog, String> {
    let folder = shared.join("graph-permissions");
    if !folder.is_dir() {
        return Err(format!(
            "{} is not a directory; pass the shared data folder with --shared DIR \
             (it must contain graph-permissions/permissions.json)",
            folder.display()
        ));
    }
    let permissions_path = folder.join("permissions.json");
    let descriptions_path = folder.join("permissions-descriptions.json");
    let permissions = PermissionsFile::from_json(&read(&permissions_path)?)
        .map_err(|e| format!("parsing {}: {e}", permissions_path.display()))?;
    let descriptions = DescriptionsFile::from_json(&read(&descriptions_path)?)
        .map_err(|e| format!("parsing {}: {e}", descriptions_path.display()))?;
    build(permissions, descriptions, &naming::case_variant_pairs())
        .map_err(|e| format!("{}: {e}", folder.display()))
}

/// Builds the catalog from the two files' JSON text, with `case_variants` in place of
/// [`naming::CASE_VARIANTS`].
pub fn from_json(
    permissions: &str,
    descriptions: &str,
    case_variants: &[(&str, &str)],
) -> Result<Catalog, String> {
    let permissions = PermissionsFile::from_json(permissions)
        .map_err(|e| format!("parsing permissions.json: {e}"))?;
    let descriptions = DescriptionsFile::from_json(descriptions)
        .map_err(|e| format!("parsing permissions-descriptions.json: {e}"))?;
    build(permissions, descriptions, case_variants)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn build(
    permissions: PermissionsFile,
    descriptions: DescriptionsFile,
    case_variants: &[(&str, &str)],
) -> Result<Catalog, String> {
    let mut summary = Summary::default();
    let mut by_name: BTreeMap<String, Permission> = BTreeMap::new();

    for (name, raw) in permissions.permissions.0 {
        naming::check_permission_name(&name)?;
        let mut permission = Permission {
            const_name: String::new(),
            delegated_work: None,
            delegated_personal: None,
            application: None,
            delegated_id: None,
            application_id: None,
            resource_specific_consent: raw.authorization_type.as_deref() == Some("RSC"),
            name,
        };
        for (scheme, details) in raw.schemes.0 {
            if let Some(level) = details.privilege_level {
                if !(1..=5).contains(&level) {
                    return Err(format!(
                        "`{}` {scheme}: privilegeLevel {level} is outside 1..=5",
                        permission.name
                    ));
                }
            } else {
                summary.missing_privilege_levels += 1;
            }
            let details = Some(Details {
                privilege_level: details.privilege_level,
                requires_admin_consent: details.requires_admin_consent,
            });
            let slot = match Scheme::from_identifier(&scheme) {
                Some(Scheme::DelegatedWork) => &mut permission.delegated_work,
                Some(Scheme::DelegatedPersonal) => &mut permission.delegated_personal,
                Some(Scheme::Application) => &mut permission.application,
                None => {
                    return Err(format!(
                        "`{}`: unknown scheme `{scheme}` (expected DelegatedWork, \
                         DelegatedPersonal or Application)",
                        permission.name
                    ));
                }
            };
            *slot = details;
        }
        summary.permissions += 1;
        summary.resource_specific_consent += usize::from(permission.resource_specific_consent);
        summary.delegated_work += usize::from(permission.delegated_work.is_some());
        summary.delegated_personal += usize::from(permission.delegated_personal.is_some());
        summary.application += usize::from(permission.application.is_some());
        // Keys are unique (checked while parsing), so this never replaces an entry.
        by_name.insert(permission.name.clone(), permission);
    }

    attach_ids(
        "delegatedScopesList",
        descriptions.delegated_scopes_list,
        &mut by_name,
        |p| {
            (
                &mut p.delegated_id,
                p.delegated_work.is_some() || p.delegated_personal.is_some(),
            )
        },
        (
            &mut summary.delegated_ids,
            &mut summary.ignored_delegated_ids,
            &mut summary.delegated_ids_without_scheme,
        ),
    )?;
    attach_ids(
        "applicationScopesList",
        descriptions.application_scopes_list,
        &mut by_name,
        |p| (&mut p.application_id, p.application.is_some()),
        (
            &mut summary.application_ids,
            &mut summary.ignored_application_ids,
            &mut summary.application_ids_without_scheme,
        ),
    )?;

    let names: Vec<&str> = by_name.keys().map(String::as_str).collect();
    let const_names = naming::assign_const_names(&names, case_variants)?;
    summary.case_variants = const_names.iter().filter(|c| c.from_case_variants).count();
    let mut permissions: Vec<Permission> = by_name.into_values().collect();
    for (permission, assigned) in permissions.iter_mut().zip(const_names) {
        permission.const_name = assigned.const_name;
    }
    Ok(Catalog {
        permissions,
        summary,
    })
}

type IdSlot<'a> = (&'a mut Option<String>, bool);

fn attach_ids(
    list: &str,
    entries: Vec<Described>,
    by_name: &mut BTreeMap<String, Permission>,
    slot: impl Fn(&mut Permission) -> IdSlot<'_>,
    (used, ignored, without_scheme): (&mut usize, &mut usize, &mut usize),
) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for Described { id, value } in entries {
        if !is_guid(&id) {
            return Err(format!(
                "{list}: `{value}` has id `{id}`, which is not a GUID"
            ));
        }
        if !seen.insert(value.clone()) {
            return Err(format!("{list}: `{value}` is listed more than once"));
        }
        let Some(permission) = by_name.get_mut(&value) else {
            *ignored += 1;
            continue;
        };
        let (target, has_scheme) = slot(permission);
        *target = Some(id);
        *used += 1;
        if !has_scheme {
            *without_scheme += 1;
        }
    }
    Ok(())
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with hexadecimal digits.
fn is_guid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESCRIPTIONS: &str = r#"{
        "delegatedScopesList": [
            {"id": "00000000-0000-0000-0000-00000000000a", "value": "A.Read", "isAdmin": false},
            {"id": "00000000-0000-0000-0000-00000000000b", "value": "Gone.Read", "isAdmin": false}
        ],
        "applicationScopesList": [
            {"id": "00000000-0000-0000-0000-00000000000c", "value": "A.Read", "isAdmin": true}
        ]
    }"#;

    #[test]
    fn reads_schemes_ids_and_counts() {
        let permissions = r#"{"permissions": {
            "B.Write": {"authorizationType": "RSC", "schemes": {
                "Application": {"requiresAdminConsent": true}}},
            "A.Read": {"schemes": {
                "DelegatedWork": {"privilegeLevel": 1, "requiresAdminConsent": false},
                "DelegatedPersonal": {"privilegeLevel": 2, "requiresAdminConsent": false}}}
        }}"#;
        let catalog = from_json(permissions, DESCRIPTIONS, &[]).unwrap();
        let names: Vec<&str> = catalog
            .permissions
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["A.Read", "B.Write"]);
        let a = &catalog.permissions[0];
        assert_eq!(a.const_name, "A_READ");
        assert_eq!(
            a.delegated_work,
            Some(Details {
                privilege_level: Some(1),
                requires_admin_consent: false
            })
        );
        assert_eq!(a.application, None);
        assert_eq!(
            a.delegated_id.as_deref(),
            Some("00000000-0000-0000-0000-00000000000a")
        );
        assert_eq!(
            a.application_id.as_deref(),
            Some("00000000-0000-0000-0000-00000000000c")
        );
        let b = &catalog.permissions[1];
        assert!(b.resource_specific_consent);
        assert_eq!(b.application.unwrap().privilege_level, None);
        let s = &catalog.summary;
        assert_eq!((s.permissions, s.resource_specific_consent), (2, 1));
        assert_eq!((s.delegated_ids, s.ignored_delegated_ids), (1, 1));
        assert_eq!(
            (s.application_ids, s.application_ids_without_scheme),
            (1, 1)
        );
        assert_eq!(s.missing_privilege_levels, 1);
    }

    #[test]
    fn rejects_bad_data_with_a_message() {
        let cases = [
            (
                r#"{"permissions": {"A.Read": {"schemes": {}}, "A.Read": {"schemes": {}}}}"#,
                "duplicate key `A.Read`",
            ),
            (
                r#"{"permissions": {"A.Read": {"schemes": {"Delegated": {"requiresAdminConsent": true}}}}}"#,
                "unknown scheme `Delegated`",
            ),
            (
                r#"{"permissions": {"A.Read": {"schemes": {"Application": {"privilegeLevel": 9, "requiresAdminConsent": true}}}}}"#,
                "outside 1..=5",
            ),
            (
                r#"{"permissions": {"A.read": {"schemes": {}}, "A.Read": {"schemes": {}}}}"#,
                "`A.Read` and `A.read` both map to the constant `A_READ`",
            ),
            (
                r#"{"permissions": {"A Read": {"schemes": {}}}}"#,
                "`A Read`",
            ),
        ];
        for (permissions, expected) in cases {
            let err = from_json(permissions, DESCRIPTIONS, &[]).unwrap_err();
            assert!(
                err.contains(expected),
                "{err:?} should mention {expected:?}"
            );
        }
    }

    #[test]
    fn rejects_bad_guids_and_repeated_names() {
        let permissions = r#"{"permissions": {"A.Read": {"schemes": {}}}}"#;
        let bad_guid = r#"{"delegatedScopesList": [{"id": "nope", "value": "A.Read"}],
                           "applicationScopesList": []}"#;
        assert!(
            from_json(permissions, bad_guid, &[])
                .unwrap_err()
                .contains("not a GUID")
        );
        let repeated = r#"{"delegatedScopesList": [],
            "applicationScopesList": [
                {"id": "00000000-0000-0000-0000-00000000000c", "value": "A.Read"},
                {"id": "00000000-0000-0000-0000-00000000000d", "value": "A.Read"}]}"#;
        assert!(
            from_json(permissions, repeated, &[])
                .unwrap_err()
                .contains("listed more than once")
        );
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("204e0828-b5ca-4ad8-b9f3-f32a958e7cc4"));
        assert!(!is_guid("204e0828-b5ca-4ad8-b9f3-f32a958e7cc"));
        assert!(!is_guid("204e0828b5ca-4ad8-b9f3-f32a958e7cc4-"));
        assert!(!is_guid("204e0828-b5ca-4ad8-b9f3-f32a958e7ccg"));
    }
}
