//! The permission catalogue, as the proc macro uses it: the names, schemes and constant
//! naming rule of [`graphspec_spec::catalogue`] (re-exported here), and [`suggest`], the
//! "did you mean" for a misspelt grant.

pub use graphspec_spec::catalogue::{
    CASE_VARIANTS, CaseVariant, CatalogEntry, PERMISSIONS, const_name, lookup,
};

/// How similar a name must be to a known permission for [`suggest`] to offer it
/// (Jaro-Winkler similarity of the ASCII-lowercased names, 0 to 1).
pub const SUGGESTION_THRESHOLD: f64 = 0.8;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggest_offers_close_names() {
        let suggested = |name| suggest(name).map(|entry| entry.name);
        assert_eq!(suggested("User.ReadWrite.Al"), Some("User.ReadWrite.All"));
        assert_eq!(suggested("Usr.Read"), Some("User.Read"));
        assert_eq!(suggested("user.readwrite.all"), Some("User.ReadWrite.All"));
        assert_eq!(suggested("Group.ReadWrte.All"), Some("Group.ReadWrite.All"));
        assert_eq!(suggested("User.Read"), Some("User.Read"));
    }

    #[test]
    fn suggest_offers_nothing_for_unrelated_names() {
        for name in ["Foo.Bar.Baz", "", "xyzzy", "12345"] {
            assert_eq!(suggest(name), None, "{name:?}");
        }
    }
}
