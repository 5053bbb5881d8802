//! Microsoft's permissions data, read in one place: the serde types of
//! `graph-permissions/permissions.json` (the kibali format) and
//! `permissions-descriptions.json` ([`PermissionsFile`], [`DescriptionsFile`]), used by
//! the importer's cross-check and by `xtask`, which generates the permission catalogue
//! from them. Only facts are read: names, schemes, privilege levels, consent flags,
//! authorization types, GUIDs and path sets; display names and descriptions are never
//! deserialized. A repeated key in an object of permissions or schemes is an error
//! ([`Entries`]), not a silently dropped value.
//!
//! `permissions.json` lists, per permission, `pathSets`: scheme keys, methods and paths
//! (lower-cased, every parameter written `{id}` or `{value}`), each path marked
//! `least=<schemes>` where the permission is the least privileged one for those schemes.
//! [`PermissionsData`] inverts this into (method, [normalized path](normalize_path)) →
//! scopes per scheme, for the [cross-check](crate::cross_check).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::marker::PhantomData;

use graphspec_spec::Scheme;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};

/// `permissions.json`.
#[derive(Debug, Deserialize)]
pub struct PermissionsFile {
    /// Every permission by name, in file order.
    pub permissions: Entries<Permission>,
}

impl PermissionsFile {
    /// Parses the text of `permissions.json`.
    pub fn from_json(text: &str) -> Result<PermissionsFile, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One permission of `permissions.json`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// `RSC` for resource-specific consent; other values or none for the rest.
    #[serde(default)]
    pub authorization_type: Option<String>,
    /// The schemes the permission exists for, by identifier (`DelegatedWork`, …, see
    /// [`Scheme::from_identifier`]), in file order.
    #[serde(default)]
    pub schemes: Entries<SchemeDetails>,
    /// The (method, path) sets the permission allows.
    #[serde(default)]
    pub path_sets: Vec<PathSet>,
}

/// What `permissions.json` says about one permission under one scheme.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemeDetails {
    /// Microsoft's privilege level (1 to 5 in the data), when published.
    #[serde(default)]
    pub privilege_level: Option<u8>,
    /// Whether an administrator must consent.
    pub requires_admin_consent: bool,
}

/// A set of schemes, methods and paths a permission allows.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathSet {
    /// The schemes (`DelegatedWork`, …) the set applies to.
    #[serde(default)]
    pub scheme_keys: Vec<String>,
    /// HTTP methods (any case).
    #[serde(default)]
    pub methods: Vec<String>,
    /// Paths (lower-cased templates) and their marks (`least=DelegatedWork,Application`).
    #[serde(default)]
    pub paths: BTreeMap<String, String>,
}

/// `permissions-descriptions.json`: the GUID of each permission, per list.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescriptionsFile {
    /// Delegated permissions.
    pub delegated_scopes_list: Vec<Described>,
    /// Application permissions.
    pub application_scopes_list: Vec<Described>,
}

impl DescriptionsFile {
    /// Parses the text of `permissions-descriptions.json`.
    pub fn from_json(text: &str) -> Result<DescriptionsFile, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One entry of a list of `permissions-descriptions.json`.
#[derive(Debug, Deserialize)]
pub struct Described {
    /// The GUID.
    pub id: String,
    /// The permission's name.
    pub value: String,
}

/// A JSON object's entries in file order; a repeated key is an error rather than
/// silently keeping the last value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut seen = BTreeSet::new();
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(A::Error::custom(format!("duplicate key `{key}`")));
                    }
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// What `permissions.json` says about one (method, path): per scheme, the permissions
/// that allow it and those marked least privileged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPermissions {
    /// Permissions allowing the path, per scheme (index: [`Scheme::index`]).
    pub scopes: [BTreeSet<String>; 3],
    /// Permissions marked `least=` for the scheme.
    pub least: [BTreeSet<String>; 3],
}

impl PathPermissions {
    /// The permissions that allow the path under `scheme`.
    pub fn scopes(&self, scheme: Scheme) -> &BTreeSet<String> {
        &self.scopes[scheme.index()]
    }

    /// The permissions marked least privileged under `scheme`.
    pub fn least(&self, scheme: Scheme) -> &BTreeSet<String> {
        &self.least[scheme.index()]
    }

    /// Adds what `other` says (several forms of one operation).
    pub fn merge(&mut self, other: &PathPermissions) {
        for i in 0..3 {
            self.scopes[i].extend(other.scopes[i].iter().cloned());
            self.least[i].extend(other.least[i].iter().cloned());
        }
    }
}

/// `permissions.json`, indexed by (method, normalized path).
#[derive(Debug, Default)]
pub struct PermissionsData {
    paths: HashMap<(String, String), PathPermissions>,
    names: BTreeSet<String>,
}

impl PermissionsData {
    /// Parses the text of `permissions.json` and indexes it.
    pub fn from_json(text: &str) -> Result<PermissionsData, serde_json::Error> {
        Ok(PermissionsData::from_file(&PermissionsFile::from_json(
            text,
        )?))
    }

    /// Indexes a read `permissions.json` by (method, normalized path). Scheme keys and
    /// `least=` marks name schemes exactly ([`Scheme::from_identifier`]).
    pub fn from_file(file: &PermissionsFile) -> PermissionsData {
        let mut data = PermissionsData::default();
        for (name, permission) in &file.permissions.0 {
            data.names.insert(name.clone());
            for set in &permission.path_sets {
                let schemes: Vec<Scheme> = set
                    .scheme_keys
                    .iter()
                    .filter_map(|s| Scheme::from_identifier(s))
                    .collect();
                for method in &set.methods {
                    let method = method.to_ascii_uppercase();
                    for (path, marks) in &set.paths {
                        let entry = data
                            .paths
                            .entry((method.clone(), normalize_path(path)))
                            .or_default();
                        let least: Vec<Scheme> = marks
                            .split(';')
                            .filter_map(|m| m.trim().strip_prefix("least="))
                            .flat_map(|l| l.split(','))
                            .filter_map(|s| Scheme::from_identifier(s.trim()))
                            .collect();
                        for &scheme in &schemes {
                            let i = scheme.index();
                            entry.scopes[i].insert(name.clone());
                            if least.contains(&scheme) {
                                entry.least[i].insert(name.clone());
                            }
                        }
                    }
                }
            }
        }
        data
    }

    /// What the data says about `method` on `path` (a template as the docs write it).
    /// A path whose last segment calls a function with arguments
    /// (`…/usedRange(valuesOnly={valuesOnly})`) that the data does not list is looked up
    /// as the bare call (`…/usedRange`): the data, like the pages, writes a function whose
    /// parameters are listed apart without them.
    pub fn lookup(&self, method: &str, path: &str) -> Option<&PathPermissions> {
        let method = method.to_ascii_uppercase();
        let path = normalize_path(graphspec_spec::path::path_part(path));
        self.paths.get(&(method.clone(), path.clone())).or_else(|| {
            let (head, last) = path.rsplit_once('/')?;
            let (word, _) = last.split_once('(')?;
            self.paths.get(&(method, format!("{head}/{word}")))
        })
    }

    /// Whether `name` is a permission of the file (exact case).
    pub fn has_permission(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// How many (method, path) pairs the file describes.
    pub fn path_count(&self) -> usize {
        self.paths.len()
    }
}

/// A path template in the form both sources can be compared in: ASCII lower-cased, every
/// parameter (`{id | userPrincipalName}`, `'{period_value}'`) written `{}`, no trailing `/`.
///
/// ```
/// use graphspec_importer::permissions_json::normalize_path;
/// assert_eq!(
///     normalize_path("/users/{id | userPrincipalName}/reprocessLicenseAssignment"),
///     "/users/{}/reprocesslicenseassignment"
/// );
/// assert_eq!(
///     normalize_path("/reports/getEmailActivityCounts(period='{period_value}')"),
///     "/reports/getemailactivitycounts(period={})"
/// );
/// ```
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.trim().chars() {
        match c {
            '{' => {
                if depth == 0 {
                    if out.ends_with('\'') {
                        out.pop();
                    }
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            '\'' if depth == 0 && out.ends_with("{}") => {}
            _ if depth > 0 => {}
            _ => out.push(c.to_ascii_lowercase()),
        }
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"permissions": {
        "User.ReadWrite.All": {"schemes": {}, "pathSets": [
            {"schemeKeys": ["DelegatedWork", "Application"], "methods": ["POST"],
             "paths": {"/users/{id}/reprocesslicenseassignment": "least=DelegatedWork,Application"}}]},
        "Directory.ReadWrite.All": {"pathSets": [
            {"schemeKeys": ["DelegatedWork", "Application"], "methods": ["POST", "GET"],
             "paths": {"/users/{id}/reprocesslicenseassignment": ""}}]}
    }}"#;

    #[test]
    fn inverts_path_sets() {
        let data = PermissionsData::from_json(SAMPLE).unwrap();
        let entry = data
            .lookup(
                "post",
                "/users/{id | userPrincipalName}/reprocessLicenseAssignment",
            )
            .unwrap();
        let work: Vec<&str> = entry
            .scopes(Scheme::DelegatedWork)
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(work, ["Directory.ReadWrite.All", "User.ReadWrite.All"]);
        assert!(entry.scopes(Scheme::DelegatedPersonal).is_empty());
        assert_eq!(
            entry.least(Scheme::Application).iter().collect::<Vec<_>>(),
            ["User.ReadWrite.All"]
        );
        assert!(
            data.lookup("DELETE", "/users/{id}/reprocessLicenseAssignment")
                .is_none()
        );
        // A call with arguments the data lists bare is found as the bare call; a path
        // that is not a call is not shortened.
        assert!(
            data.lookup(
                "POST",
                "/users/{id}/reprocessLicenseAssignment(mode='{mode}')"
            )
            .is_some()
        );
        assert!(
            data.lookup("POST", "/users/{id}/reprocessLicenseAssignment/more")
                .is_none()
        );
        assert!(data.has_permission("User.ReadWrite.All"));
        assert_eq!(data.path_count(), 2);
    }

    #[test]
    fn normalizes_templates() {
        assert_eq!(normalize_path("/me/"), "/me");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(
            normalize_path("/drive/root:/{item-path}:/content"),
            "/drive/root:/{}:/content"
        );
        assert_eq!(
            normalize_path("/a/f(on={value})"),
            normalize_path("/a/F(on='{x}')")
        );
    }
}
