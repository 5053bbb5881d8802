//! Authentication schemes: how an application holds its permissions.

use core::fmt;

/// The three ways Microsoft Graph grants permissions, as the permissions table of every
/// reference page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// Delegated permissions, signed in with a work or school account (token claim `scp`).
    DelegatedWork,
    /// Delegated permissions, signed in with a personal Microsoft account (token claim `scp`).
    DelegatedPersonal,
    /// Application permissions, no signed-in user (token claim `roles`).
    Application,
}

impl Scheme {
    /// All schemes, in the order the docs tables list them.
    pub const ALL: [Scheme; 3] = [
        Scheme::DelegatedWork,
        Scheme::DelegatedPersonal,
        Scheme::Application,
    ];

    /// The identifier used in definitions and in `permissions.json` (`DelegatedWork`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::DelegatedWork => "DelegatedWork",
            Scheme::DelegatedPersonal => "DelegatedPersonal",
            Scheme::Application => "Application",
        }
    }

    /// A short human description, used in diagnostics (`application`, …).
    pub const fn describe(self) -> &'static str {
        match self {
            Scheme::DelegatedWork => "delegated, work or school account",
            Scheme::DelegatedPersonal => "delegated, personal Microsoft account",
            Scheme::Application => "application",
        }
    }

    /// Whether a signed-in user is present (delegated schemes).
    pub const fn is_delegated(self) -> bool {
        !matches!(self, Scheme::Application)
    }

    /// Parses `DelegatedWork`, `DelegatedPersonal` or `Application`, ignoring ASCII case
    /// and `-`/`_` separators (so `delegated-work` works on a command line).
    pub fn parse(text: &str) -> Option<Scheme> {
        let folded: String = text
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "delegatedwork" | "work" => Some(Scheme::DelegatedWork),
            "delegatedpersonal" | "personal" => Some(Scheme::DelegatedPersonal),
            "application" | "app" => Some(Scheme::Application),
            _ => None,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
