#[cfg(test)]
mod tests {
    use super::*;

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
