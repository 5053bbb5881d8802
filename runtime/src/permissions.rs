//! Permission tables: which scopes allow an operation, per scheme.

use crate::{Scheme, Scope};

/// One way to satisfy a permissions row: all of these scopes together (usually just one).
///
/// A one-scope alternative ([`Alternative::one`], nearly every row of Graph's tables) holds
/// its scope directly, so the generated tables need no array per alternative.
#[derive(Clone, Copy)]
pub struct Alternative {
    scopes: Scopes,
}

#[derive(Clone, Copy)]
enum Scopes {
    One(Scope),
    All(&'static [Scope]),
}

impl Alternative {
    /// An alternative that needs all of `scopes`.
    pub const fn new(scopes: &'static [Scope]) -> Alternative {
        Alternative {
            scopes: Scopes::All(scopes),
        }
    }

    /// An alternative that needs `scope` alone (the same as `new(&[scope])`).
    pub const fn one(scope: Scope) -> Alternative {
        Alternative {
            scopes: Scopes::One(scope),
        }
    }

    /// The scopes that are all required.
    pub const fn scopes(&self) -> &[Scope] {
        match &self.scopes {
            Scopes::One(scope) => core::slice::from_ref(scope),
            Scopes::All(scopes) => scopes,
        }
    }

    /// Whether every scope of this alternative is in `granted`.
    pub const fn is_satisfied_by(&self, granted: &[Scope]) -> bool {
        let scopes = self.scopes();
        let mut i = 0;
        while i < scopes.len() {
            if !crate::check::contains(granted, scopes[i]) {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// Alternatives are equal when they need the same scopes, however they were written.
impl PartialEq for Alternative {
    fn eq(&self, other: &Self) -> bool {
        self.scopes() == other.scopes()
    }
}

impl Eq for Alternative {}

impl core::fmt::Debug for Alternative {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Alternative")
            .field("scopes", &self.scopes())
            .finish()
    }
}

/// What one row of an operation's permissions table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemePermissions {
    /// Supported; any one alternative suffices. Ordered least → most privileged.
    Scopes(&'static [Alternative]),
    /// Supported, and no permission is needed beyond a valid token.
    NoneRequired,
    /// The operation does not support this scheme.
    NotSupported,
    /// The definition's source gave no data for this scheme.
    Unknown,
}

impl SchemePermissions {
    /// Whether the operation can be called at all with this scheme.
    pub const fn is_supported(&self) -> bool {
        matches!(
            self,
            SchemePermissions::Scopes(_) | SchemePermissions::NoneRequired
        )
    }

    /// The alternatives, least → most privileged (empty unless [`SchemePermissions::Scopes`]).
    pub const fn alternatives(&self) -> &'static [Alternative] {
        match self {
            SchemePermissions::Scopes(alternatives) => alternatives,
            _ => &[],
        }
    }

    /// The least-privileged scope: the first scope of the first alternative.
    ///
    /// When that alternative needs several scopes together, see
    /// [`SchemePermissions::least_privileged_set`].
    pub const fn least_privileged(&self) -> Option<Scope> {
        match self.least_privileged_set() {
            Some([first, ..]) => Some(*first),
            _ => None,
        }
    }

    /// All scopes of the least-privileged alternative.
    pub const fn least_privileged_set(&self) -> Option<&'static [Scope]> {
        match self.alternatives() {
            [first, ..] => Some(first.scopes()),
            [] => None,
        }
    }

    /// Every scope named in the row, least → most privileged, without repeats.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut out: Vec<Scope> = Vec::new();
        for alternative in self.alternatives() {
            for scope in alternative.scopes() {
                if !out.contains(scope) {
                    out.push(*scope);
                }
            }
        }
        out
    }

    /// Whether a token holding `granted` may call the operation with this scheme.
    pub const fn allows(&self, granted: &[Scope]) -> bool {
        match self {
            SchemePermissions::NoneRequired => true,
            SchemePermissions::NotSupported | SchemePermissions::Unknown => false,
            SchemePermissions::Scopes(alternatives) => {
                let mut i = 0;
                while i < alternatives.len() {
                    if alternatives[i].is_satisfied_by(granted) {
                        return true;
                    }
                    i += 1;
                }
                false
            }
        }
    }

    /// Whether a token whose scope names are `granted` (as in a token's `scp` or `roles`
    /// claim) may call the operation. Names compare ASCII-case-insensitively, as Entra ID
    /// treats them.
    pub fn allows_names<S: AsRef<str>>(&self, granted: &[S]) -> bool {
        match self {
            SchemePermissions::NoneRequired => true,
            SchemePermissions::NotSupported | SchemePermissions::Unknown => false,
            SchemePermissions::Scopes(alternatives) => alternatives.iter().any(|alt| {
                alt.scopes().iter().all(|needed| {
                    granted
                        .iter()
                        .any(|g| g.as_ref().eq_ignore_ascii_case(needed.name()))
                })
            }),
        }
    }
}

/// An operation's permissions table: one row per scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionTable {
    /// Delegated, work or school account.
    pub delegated_work: SchemePermissions,
    /// Delegated, personal Microsoft account.
    pub delegated_personal: SchemePermissions,
    /// Application.
    pub application: SchemePermissions,
}

impl PermissionTable {
    /// The row for `scheme`.
    pub const fn for_scheme(&self, scheme: Scheme) -> &SchemePermissions {
        match scheme {
            Scheme::DelegatedWork => &self.delegated_work,
            Scheme::DelegatedPersonal => &self.delegated_personal,
            Scheme::Application => &self.application,
        }
    }
}
