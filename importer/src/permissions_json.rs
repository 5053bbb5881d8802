//! Reader of Microsoft's `permissions.json` (the kibali format of
//! `graph-permissions/permissions.json`): which permissions allow which (method, path),
//! per scheme, indexed for the importer's cross-check ([`crate::import`]).
//!
//! The file lists, per permission, `pathSets`: scheme keys, methods and paths (lower-cased,
//! every parameter written `{id}` or `{value}`), each path marked `least=<schemes>` where
//! the permission is the least privileged one for those schemes. [`PermissionsData`]
//! inverts this into (method, [normalized path](normalize_path)) → scopes per scheme.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use graphspec_codegen::model::Scheme;

#[derive(Deserialize)]
struct File {
    permissions: BTreeMap<String, Permission>,
}

#[derive(Deserialize)]
struct Permission {
    #[serde(default, rename = "pathSets")]
    path_sets: Vec<PathSet>,
}

#[derive(Deserialize)]
struct PathSet {
    #[serde(default, rename = "schemeKeys")]
    scheme_keys: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    paths: BTreeMap<String, String>,
}

/// What `permissions.json` says about one (method, path): per scheme, the permissions
/// that allow it and those marked least privileged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPermissions {
    /// Permissions allowing the path, per scheme (index: [`Scheme::ALL`] order).
    pub scopes: [BTreeSet<String>; 3],
    /// Permissions marked `least=` for the scheme.
    pub least: [BTreeSet<String>; 3],
}

impl PathPermissions {
    /// The permissions that allow the path under `scheme`.
    pub fn scopes(&self, scheme: Scheme) -> &BTreeSet<String> {
        &self.scopes[scheme_index(scheme)]
    }

    /// The permissions marked least privileged under `scheme`.
    pub fn least(&self, scheme: Scheme) -> &BTreeSet<String> {
        &self.least[scheme_index(scheme)]
    }

    /// Adds what `other` says (several forms of one operation).
    pub fn merge(&mut self, other: &PathPermissions) {
        for i in 0..3 {
            self.scopes[i].extend(other.scopes[i].iter().cloned());
            self.least[i].extend(other.least[i].iter().cloned());
        }
    }
}

/// The index position of a scheme in [`PathPermissions`].
pub fn scheme_index(scheme: Scheme) -> usize {
    match scheme {
        Scheme::DelegatedWork => 0,
        Scheme::DelegatedPersonal => 1,
        Scheme::Application => 2,
    }
}

/// `permissions.json`, indexed by (method, normalized path).
#[derive(Debug, Default)]
pub struct PermissionsData {
    paths: HashMap<(String, String), PathPermissions>,
    names: BTreeSet<String>,
}

impl PermissionsData {
    /// Parses the text of `permissions.json`.
    pub fn from_json(text: &str) -> Result<PermissionsData, serde_json::Error> {
        let file: File = serde_json::from_str(text)?;
        let mut data = PermissionsData::default();
        for (name, permission) in &file.permissions {
            data.names.insert(name.clone());
            for set in &permission.path_sets {
                let schemes: Vec<Scheme> = set
                    .scheme_keys
                    .iter()
                    .filter_map(|s| Scheme::parse(s))
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
                            .filter_map(|s| Scheme::parse(s.trim()))
                            .collect();
                        for &scheme in &schemes {
                            let i = scheme_index(scheme);
                            entry.scopes[i].insert(name.clone());
                            if least.contains(&scheme) {
                                entry.least[i].insert(name.clone());
                            }
                        }
                    }
                }
            }
        }
        Ok(data)
    }

    /// What the data says about `method` on `path` (a template as the docs write it).
    pub fn lookup(&self, method: &str, path: &str) -> Option<&PathPermissions> {
        self.paths
            .get(&(method.to_ascii_uppercase(), normalize_path(path)))
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
