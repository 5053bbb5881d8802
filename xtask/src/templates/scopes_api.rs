/// The permission named `name`: an exact match, or else the first (in [`ALL`]'s order) whose
/// name matches ignoring ASCII case.
pub fn lookup(name: &str) -> Option<Scope> {
    match ALL.binary_search_by(|scope| scope.name().cmp(name)) {
        Ok(index) => Some(ALL[index]),
        Err(_) => ALL
            .iter()
            .copied()
            .find(|scope| scope.name().eq_ignore_ascii_case(name)),
    }
}

/// Details under one scheme; keeps the constants below short.
const fn details(
    privilege_level: Option<u8>,
    requires_admin_consent: bool,
) -> Option<SchemeDetails> {
    Some(SchemeDetails {
        privilege_level,
        requires_admin_consent,
    })
}
