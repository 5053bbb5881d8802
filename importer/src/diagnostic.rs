//! Findings about pages: how serious each is ([`Severity`]), what it is ([`Code`], one
//! variant per finding, with its stable code string, severity and description attached),
//! and the message ([`Diagnostic`]).
//!
//! A code's severity is fixed: an error means the page is not imported
//! ([`PageResult::operation`](crate::page::PageResult::operation) is `None`); a warning
//! means it is imported but something is approximate ("partly"); a note records a
//! normalization. Codes are `area.what` strings (`permissions.missing-row`), stable
//! across versions: the import report and `graphspec inspect --json` show them.

use std::cmp::Ordering;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A normalization worth knowing (a query string removed, a placeholder renamed).
    Note,
    /// The page is imported, but part of it is approximate or missing.
    Warning,
    /// The page cannot be imported.
    Error,
}

/// Declares [`Code`]: one line per finding, `Variant = "area.what", Severity, "description";`.
macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $description:literal;)*) => {
        /// What a finding is. Each code has a stable string ([`Code::as_str`]), a fixed
        /// [`Severity`] ([`Code::severity`]) and a description ([`Code::description`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", $code, "` (", stringify!($severity), "): ", $description, ".")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the reader's stages.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable code string, `area.what` (`permissions.missing-row`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// How serious a finding with this code is.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, for people.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    PermissionsMissingSection = "permissions.missing-section", Error, "no section anchored `permissions` or `prerequisites`";
    PermissionsNoTable = "permissions.no-table", Error, "the permissions section has no permissions table";
    PermissionsMissingRow = "permissions.missing-row", Warning, "a scheme has no row (recorded as unknown)";
    PermissionsUnrecognisedCell = "permissions.unrecognised-cell", Warning, "a cell without scopes that says none of not supported / not applicable / none (unknown)";
    PermissionsEmptyCell = "permissions.empty-cell", Warning, "an empty cell (unknown)";
    PermissionsMergedTables = "permissions.merged-tables", Warning, "several tables (per form or object type) were merged";
    PermissionsPerResourceTable = "permissions.per-resource-table", Warning, "a table with one row per resource was merged";
    PermissionsConditional = "permissions.conditional", Warning, "rows disagree (scopes here, not supported there); scopes kept";
    PermissionsQualifiedCell = "permissions.qualified-cell", Warning, "a cell lists scopes under conditions; all kept";
    PermissionsDuplicateRow = "permissions.duplicate-row", Warning, "a scheme has two rows in one table; merged";
    PermissionsDuplicateScope = "permissions.duplicate-scope", Note, "a scope listed twice in one row (merged tables); the repetition dropped";
    PermissionsSchemeByPosition = "permissions.scheme-by-position", Warning, "scheme labels not recognised; the original row order assumed";
    PermissionsNotApplicable = "permissions.not-applicable", Note, "\"not applicable\" read as not supported";
    PermissionsOrderReversed = "permissions.order-reversed", Note, "the header says most → least privileged and the scopes agree; order reversed";
    PermissionsOrderClaimIgnored = "permissions.order-claim-ignored", Note, "the header says most → least privileged but the scopes are least → most; kept";
    PermissionsIgnoredTable = "permissions.ignored-table", Note, "a table in the section is not a permissions table";
    PermissionsIgnoredRow = "permissions.ignored-row", Note, "a row whose label is not a scheme";
    PermissionsScopeRepaired = "permissions.scope-repaired", Note, "a scope name damaged by translation (spaces around a dot, an ideographic full stop, full-width letters) was rejoined into the known permission it spells";
    PermissionsBrokenScope = "permissions.broken-scope", Warning, "a scope name damaged by translation spells no known permission; not read as a scope";
    PermissionsUnknownScope = "permissions.unknown-scope", Note, "a scope-shaped name that is not a known permission (the cross-check may repair it)";
    PermissionsUnrepairedScope = "permissions.unrepaired-scope", Warning, "a scope that is not a known permission after the cross-check with permissions.json; kept as written, without permissions data";
    PermissionsTextBetweenScopes = "permissions.text-between-scopes", Note, "text other than and/or between scopes; read as alternatives";
    RequestNoForms = "request.no-forms", Error, "no request line found";
    RequestBadTemplate = "request.bad-template", Warning, "a request line could not be read as a template; skipped";
    RequestMixedMethods = "request.mixed-methods", Warning, "request lines with another method than the operation's; dropped";
    RequestSectionNotFound = "request.section-not-found", Note, "no `http-request` section; code blocks before the first example used";
    RequestLineWithoutMethod = "request.line-without-method", Note, "a path line without a method took the method of the line before";
    RequestOtherLines = "request.other-lines", Note, "lines in request blocks that are not request lines were skipped";
    RequestQueryStripped = "request.query-stripped", Note, "a query string was removed from a template";
    RequestQueryParameters = "request.query-parameters", Note, "query options that are the request's own parameters (not OData's caller options) stay in the form as its fixed query";
    RequestQueryForm = "request.query-form", Warning, "a request line whose meaning is in its query string (another page's path, not the page's own path, or `$expand`) is not a form";
    RequestQueryFormsOnly = "request.query-forms-only", Warning, "every request line's meaning is in its query string (the page documents no request of its own); they stay forms, which send the paths without their queries";
    RequestSectionForm = "request.section-form", Note, "a request a later section of the page documents (a template, not an example), with the operation's method and response, is one more form of the operation";
    RequestSectionOperation = "request.section-operation", Note, "a request a later section of the page documents with another method or response is an operation of its own, with the page's permissions";
    RequestSectionSkipped = "request.section-skipped", Warning, "a request a later section of the page documents could not become a form or an operation (no example response, or a body the page does not describe)";
    RequestRooted = "request.rooted", Note, "a form written from below the service root (`/workbook/…`) was rooted at the paths the page's examples show it under";
    RequestUnrooted = "request.unrooted", Warning, "a form written from below the service root, which no example of the page roots; left as written (Graph serves no such path)";
    RequestExampleContent = "request.example-content", Note, "an example reads (or replaces) the raw content (`$value`, an `Edm.Stream` property) of what the page reads (or updates), which no operation serves; an operation of its own, answering (or sending) the bytes";
    RequestExampleForm = "request.example-form", Note, "an example request no operation serves, whose path the CSDL reads as addressing what the operation's forms address, is one more form";
    RequestLookupOperation = "request.lookup-operation", Note, "a request line whose meaning is a `$filter` lookup with the caller's value (`JoinWebUrl eq '{joinWebUrl}'`) is an operation of its own, the `$filter` fixed, answering a collection";
    RequestFunctionArgument = "request.function-argument", Note, "a literal OData function argument became a parameter";
    RequestFunctionParameters = "request.function-parameters", Note, "a bound function called by its bare name got the parameters its CSDL overload takes (the form replaced when the CSDL has no overload without parameters, one more form otherwise)";
    RequestFunctionParametersUnwritten = "request.function-parameters-unwritten", Warning, "a bound function called by its bare name takes a parameter of a type this importer does not write into a path (an enum, a date, a complex value); the form is left as written";
    RequestRepairedParenthesis = "request.repaired-parenthesis", Note, "an unclosed `(` was closed";
    RequestRepairedSlash = "request.repaired-slash", Note, "a placeholder glued to the word before it was split off";
    RequestLiteralId = "request.literal-id", Note, "a literal GUID or host name in a template became a placeholder";
    RequestRepairedBrace = "request.repaired-brace", Note, "an unbalanced `{` or `}` was repaired";
    RequestRenamedPlaceholder = "request.renamed-placeholder", Note, "a placeholder was renamed (duplicate or not an identifier)";
    RequestDuplicateForm = "request.duplicate-form", Note, "a form equal to another up to parameter names was dropped";
    RequestConstructorNamed = "request.constructor-named", Note, "forms whose derived constructor names collide got explicit names";
    HeadersUnidentified = "headers.unidentified", Warning, "a header row that names no catalogued Graph request header by name, translation or value; not emitted";
    HeadersTranslatedName = "headers.translated-name", Note, "a header row named in translation was identified by a translation found in real pages";
    HeadersIdentifiedByValue = "headers.identified-by-value", Note, "a header row was identified by the shape of its value (a bearer token, `application/json`, a preference)";
    BodyIgnoredForMethod = "body.ignored-for-method", Note, "a GET/DELETE example shows a body; not modelled";
    ResponseMissingSection = "response.missing-section", Warning, "no section anchored `response`";
    ResponseStatusDisagreement = "response.status-disagreement", Warning, "the prose and the example response give different status codes; prose taken";
    ResponseStatusAssumed = "response.status-assumed", Warning, "no status code anywhere; 200 assumed";
    ResponseTypeUnknown = "response.type-unknown", Warning, "an example body without a type; serde_json::Value used";
    ResponseTypeUnmapped = "response.type-unmapped", Warning, "a Graph type without a Rust name; serde_json::Value used";
    ResponseTypeDisagreement = "response.type-disagreement", Note, "the annotation and the prose links name different types; annotation taken";
    DefinitionInvalid = "definition.invalid", Error, "the imported definition fails validation (what the macro would reject)";
    NamingRenamed = "naming.renamed", Note, "the operation name was taken in its module; renamed";
}

impl Code {
    /// The code whose string ([`Code::as_str`]) is `text`.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == text)
    }
}

/// Codes order by their strings, as the report lists them.
impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialized as its string.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One finding about a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// How serious it is (the code's severity).
    pub severity: Severity,
    /// What it is.
    pub code: Code,
    /// What was found, for people.
    pub message: String,
}

impl Diagnostic {
    /// A finding; its severity is the code's.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            assert!(code.as_str().contains('.'), "{code}");
            assert!(!code.description().is_empty());
            assert!(Code::ALL[..i].iter().all(|c| c.as_str() != code.as_str()));
        }
        assert_eq!(Code::parse("permissions.nothing"), None);
        let d = Diagnostic::new(Code::RequestNoForms, "none");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({"severity": "error", "code": "request.no-forms", "message": "none"})
        );
    }
}
