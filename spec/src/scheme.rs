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

    /// The position in [`Scheme::ALL`] (0, 1 or 2): an index for per-scheme arrays.
    pub const fn index(self) -> usize {
        match self {
            Scheme::DelegatedWork => 0,
            Scheme::DelegatedPersonal => 1,
            Scheme::Application => 2,
        }
    }

    /// The scheme whose identifier ([`Scheme::as_str`]) is exactly `text`: how
    /// definitions and `permissions.json` name schemes.
    pub fn from_identifier(text: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Parses what a person types: `DelegatedWork`, `DelegatedPersonal` or `Application`,
    /// ignoring ASCII case and `-`/`_` separators (so `delegated-work` works on a command
    /// line), and the short forms `work`, `personal` and `app`.
    pub fn parse(text: &str) -> Option<Scheme> {
        let folded = || {
            text.chars()
                .filter(|c| *c != '-' && *c != '_')
                .map(|c| c.to_ascii_lowercase())
        };
        let is = |word: &str| folded().eq(word.chars());
        if is("delegatedwork") || is("work") {
            Some(Scheme::DelegatedWork)
        } else if is("delegatedpersonal") || is("personal") {
            Some(Scheme::DelegatedPersonal)
        } else if is("application") || is("app") {
            Some(Scheme::Application)
        } else {
            None
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_exact_and_parse_is_lenient() {
        for (i, s) in Scheme::ALL.into_iter().enumerate() {
            assert_eq!(Scheme::from_identifier(s.as_str()), Some(s));
            assert_eq!(Scheme::parse(s.as_str()), Some(s));
            assert_eq!(s.index(), i);
        }
        assert_eq!(Scheme::from_identifier("application"), None);
        assert_eq!(Scheme::parse("delegated-work"), Some(Scheme::DelegatedWork));
        assert_eq!(
            Scheme::parse("Delegated_Personal"),
            Some(Scheme::DelegatedPersonal)
        );
        assert_eq!(Scheme::parse("APP"), Some(Scheme::Application));
        assert_eq!(Scheme::parse("apps"), None);
        assert_eq!(Scheme::parse(""), None);
    }
}
