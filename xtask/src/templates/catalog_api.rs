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

/// A permission whose name differs from another's only in case, and the constant name it
/// gets instead of the plain rule's (which would collide).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseVariant {
    /// The permission's name.
    pub name: &'static str,
    /// Its constant's name in `graphspec_runtime::scopes`.
    pub const_name: &'static str,
}

/// How similar a name must be to a known permission for [`suggest`] to offer it
/// (Jaro-Winkler similarity of the ASCII-lowercased names, 0 to 1).
pub const SUGGESTION_THRESHOLD: f64 = 0.8;

/// The permission named exactly `name` (case-sensitive), if any.
pub fn lookup(name: &str) -> Option<&'static CatalogEntry> {
    PERMISSIONS
        .binary_search_by(|entry| entry.name.cmp(name))
        .ok()
        .map(|index| &PERMISSIONS[index])
}

/// The known permission closest to `name`, for "did you mean" messages.
///
/// Names are compared ASCII-lowercased by Jaro-Winkler similarity. The best match is
/// returned if its similarity is at least [`SUGGESTION_THRESHOLD`]; ties go to the name
/// that sorts first. A name that differs from a permission's only in case suggests that
/// permission.
pub fn suggest(name: &str) -> Option<&'static CatalogEntry> {
    let wanted = name.to_ascii_lowercase();
    let mut best: Option<(f64, &'static CatalogEntry)> = None;
    for entry in PERMISSIONS {
        let similarity = strsim::jaro_winkler(&wanted, &entry.name.to_ascii_lowercase());
        if best.is_none_or(|(best_similarity, _)| similarity > best_similarity) {
            best = Some((similarity, entry));
        }
    }
    best.filter(|&(similarity, _)| similarity >= SUGGESTION_THRESHOLD)
        .map(|(_, entry)| entry)
}

/// The name of the constant for the permission `name` in `graphspec_runtime::scopes`.
///
/// The rule: upper-case the name and replace `.` and `-` with `_`, so `User.ReadWrite.All`
/// is `USER_READWRITE_ALL` and `TenantGovernance-Invitation.Read.All` is
/// `TENANTGOVERNANCE_INVITATION_READ_ALL`. Names in [`CASE_VARIANTS`] get the constant
/// listed there instead. The constant exists only for names that [`lookup`] finds.
pub fn const_name(name: &str) -> String {
    if let Some(variant) = CASE_VARIANTS.iter().find(|variant| variant.name == name) {
        return variant.const_name.to_owned();
    }
    name.chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}
