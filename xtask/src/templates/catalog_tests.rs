#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(lookup("user.readwrite.all"), None);
        assert_eq!(lookup("User.ReadWrite.Al"), None);
        assert_eq!(lookup(""), None);
        for entry in PERMISSIONS {
            assert_eq!(lookup(entry.name), Some(entry));
        }
    }

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
    fn const_names_are_unique() {
        let mut names: Vec<String> = PERMISSIONS.iter().map(|e| const_name(e.name)).collect();
        names.sort_unstable();
        for pair in names.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
    }
}
