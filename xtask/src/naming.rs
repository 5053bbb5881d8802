//! How a permission name becomes a Rust constant name.
//!
//! The rule: upper-case the name and replace `.` and `-` with `_`
//! (`User.ReadWrite.All` → `USER_READWRITE_ALL`,
//! `TenantGovernance-Invitation.Read.All` → `TENANTGOVERNANCE_INVITATION_READ_ALL`).
//!
//! Upper-casing loses case, so two names that differ only in case collide. The generator
//! refuses to guess: every collision is an error unless one of the names is listed in
//! [`CASE_VARIANTS`] with a constant name of its own. The rule and the table live in the
//! vocabulary crate (`graphspec_spec::catalogue`), so the proc macros, the runtime and
//! this generator agree.

use std::collections::BTreeMap;

pub use graphspec_spec::catalogue::{CASE_VARIANTS, plain_const_name};

/// Names the generated modules use for their own items.
pub use graphspec_spec::catalogue::RESERVED_CONST_NAMES as RESERVED;

/// [`CASE_VARIANTS`] as (name, constant) pairs, the form [`assign_const_names`] takes.
pub fn case_variant_pairs() -> Vec<(&'static str, &'static str)> {
    CASE_VARIANTS
        .iter()
        .map(|variant| (variant.name, variant.const_name))
        .collect()
}

/// Accepts names that the naming rule turns into a Rust identifier: an ASCII letter, then
/// ASCII letters, digits, `.`, `-` or `_`.
pub fn check_permission_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if starts_with_letter && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "permission name `{name}` cannot become a Rust constant: expected an ASCII \
             letter followed by ASCII letters, digits, `.`, `-` or `_`"
        ))
    }
}

/// A constant name given to one permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// The constant's name.
    pub const_name: String,
    /// Whether it came from [`CASE_VARIANTS`] rather than the plain rule.
    pub from_case_variants: bool,
}

/// Names every permission (in the order given), taking names listed in `case_variants`
/// (normally [`CASE_VARIANTS`]) from the table, or explains every problem.
pub fn assign_const_names(
    names: &[&str],
    case_variants: &[(&str, &str)],
) -> Result<Vec<Assigned>, String> {
    let mut errors = Vec::new();
    for (variant, _) in case_variants {
        if !names.contains(variant) {
            errors.push(format!(
                "`{variant}` is in CASE_VARIANTS (spec/src/catalogue.rs) but not in \
                 permissions.json; remove it from the table"
            ));
        }
    }
    let assigned: Vec<Assigned> = names
        .iter()
        .map(|name| match case_variants.iter().find(|(n, _)| n == name) {
            Some((_, constant)) => Assigned {
                const_name: (*constant).to_owned(),
                from_case_variants: true,
            },
            None => Assigned {
                const_name: plain_const_name(name),
                from_case_variants: false,
            },
        })
        .collect();
    let mut owners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, a) in names.iter().zip(&assigned) {
        owners.entry(&a.const_name).or_default().push(name);
    }
    for (constant, owners) in &owners {
        if RESERVED.contains(constant) {
            errors.push(format!(
                "permission `{}` maps to the constant `{constant}`, which the generated \
                 module uses itself; give it another name in CASE_VARIANTS \
                 (xtask/src/naming.rs)",
                owners[0]
            ));
        }
        if owners.len() > 1 {
            let mut owners = owners.clone();
            owners.sort_unstable();
            let listed: Vec<String> = owners.iter().map(|n| format!("`{n}`")).collect();
            errors.push(format!(
                "permission names {} both map to the constant `{constant}`; give all \
                 but one of them a constant name in CASE_VARIANTS (spec/src/catalogue.rs)",
                listed.join(" and ")
            ));
        }
    }
    if errors.is_empty() {
        Ok(assigned)
    } else {
        Err(errors.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rule() {
        assert_eq!(plain_const_name("User.ReadWrite.All"), "USER_READWRITE_ALL");
        assert_eq!(
            plain_const_name("TenantGovernance-Invitation.Read.All"),
            "TENANTGOVERNANCE_INVITATION_READ_ALL"
        );
        assert_eq!(plain_const_name("openid"), "OPENID");
    }

    #[test]
    fn case_variant_table_is_well_formed() {
        for variant in CASE_VARIANTS {
            let (name, constant) = (variant.name, variant.const_name);
            assert!(check_permission_name(name).is_ok());
            assert!(
                constant.starts_with(|c: char| c.is_ascii_uppercase())
                    && constant
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{constant}"
            );
            assert_ne!(plain_const_name(name), constant);
        }
    }

    #[test]
    fn collisions_are_all_reported() {
        let names = ["A.Read", "A.read", "B-X", "B.X", "All"];
        let err = assign_const_names(&names, &[]).unwrap_err();
        assert!(err.contains("`A.Read` and `A.read` both map to the constant `A_READ`"));
        assert!(err.contains("`B-X` and `B.X` both map to the constant `B_X`"));
        assert!(err.contains("`All` maps to the constant `ALL`"));
        assert_eq!(err.lines().count(), 3, "{err}");
    }

    #[test]
    fn stale_case_variants_are_reported() {
        let err = assign_const_names(&["A.Read"], &case_variant_pairs()).unwrap_err();
        assert!(err.contains("but not in permissions.json"), "{err}");
    }

    #[test]
    fn case_variants_apply() {
        let variants = [("A.read", "A_READ_LOWER")];
        let assigned = assign_const_names(&["A.read", "A.Read", "User.Read"], &variants).unwrap();
        assert_eq!(assigned[0].const_name, "A_READ_LOWER");
        assert_eq!(assigned[1].const_name, "A_READ");
        assert!(assigned[0].from_case_variants);
        assert!(!assigned[1].from_case_variants);
        assert_eq!(assigned[2].const_name, "USER_READ");
    }

    #[test]
    fn rejects_names_that_are_not_identifiers() {
        for bad in ["", "1.Read", "A Read", "A/Read", "Ä.Read"] {
            assert!(check_permission_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_permission_name("Directory.AccessAsUser.All").is_ok());
    }
}
