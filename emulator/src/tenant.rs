//! The in-memory tenant: users, groups, group membership, subscribed SKUs and license
//! assignments, seeded deterministically.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

/// A deterministic GUID-shaped id for the `n`-th object of kind `kind` (splitmix64).
pub fn guid(kind: u64, n: u64) -> String {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let a = mix(kind.wrapping_mul(0x1_0000_0001) ^ n);
    let b = mix(a ^ n.rotate_left(17));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// A SKU the tenant subscribes to: part number, id and service plans `(name, id)`.
struct SkuSeed {
    part_number: &'static str,
    sku_id: &'static str,
    plans: &'static [(&'static str, &'static str)],
}

const SKUS: &[SkuSeed] = &[
    SkuSeed {
        part_number: "ENTERPRISEPACK",
        sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
        plans: &[
            (
                "EXCHANGE_S_ENTERPRISE",
                "efb87545-963c-4e0d-99df-69c6916d9eb0",
            ),
            (
                "SHAREPOINTENTERPRISE",
                "5dbe027f-2339-4123-9542-606e4d348a72",
            ),
        ],
    },
    SkuSeed {
        part_number: "EMS",
        sku_id: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
        plans: &[("INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5")],
    },
    SkuSeed {
        part_number: "POWER_BI_PRO",
        sku_id: "f8a1db68-be16-40ed-86d5-cb42ce701560",
        plans: &[("BI_AZURE_P2", "70d33638-9c74-4d01-bfd3-562de28bd4ba")],
    },
];

/// The directory: objects as Graph's JSON, in a stable order.
///
/// Two tenants are equal when they hold the same objects, indexes and counters: a test
/// snapshots one (`emulator.with_tenant(Tenant::clone)`) before a request and compares
/// it after, to check that a refused request wrote nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    /// The tenant id.
    pub id: String,
    /// The verified domain user principal names end with.
    pub domain: String,
    users: Vec<Map<String, Value>>,
    user_index: HashMap<String, usize>,
    groups: Vec<Map<String, Value>>,
    /// Direct group membership: per user id, the ids of the groups it is a member of.
    member_of: HashMap<String, Vec<String>>,
    skus: Vec<Map<String, Value>>,
    reprocessed: HashMap<String, u32>,
    /// Users' photos by user id: (content type, bytes).
    photos: HashMap<String, (String, Vec<u8>)>,
    /// Files by drive item id, in one drive.
    files: HashMap<String, StoredFile>,
}

/// A file the tenant's drive keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The id of its parent item (`root`, or a folder's id).
    pub parent: String,
    /// Its name.
    pub name: String,
    /// The `Content-Type` it was uploaded with.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The secret of its pre-authenticated download URL.
    pub download_token: String,
}

/// Why an operation on the tenant failed: Graph's status, code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// HTTP status.
    pub status: u16,
    /// Graph error code.
    pub code: &'static str,
    /// Message.
    pub message: String,
}

impl Failure {
    /// 404 `Request_ResourceNotFound` for `id`.
    pub fn not_found(id: &str) -> Failure {
        Failure {
            status: 404,
            code: "Request_ResourceNotFound",
            message: format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        }
    }

    /// 400 `Request_BadRequest`.
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure {
            status: 400,
            code: "Request_BadRequest",
            message: message.into(),
        }
    }
}

impl Tenant {
    /// A tenant with `users` users, `users / 100` groups (at least 3), the three seed SKUs,
    /// group-based licenses for every user and a direct license for every fifth. User `n`
    /// is a direct member of group `n % groups`, the group its group-based license comes
    /// from (`licenseAssignmentStates[0].assignedByGroup`).
    pub fn seed(users: usize) -> Tenant {
        let id = guid(0, 0);
        let domain = "contoso.example".to_owned();
        let group_count = (users / 100).max(3);
        let groups: Vec<Map<String, Value>> = (0..group_count)
            .map(|g| {
                let sku = &SKUS[g % SKUS.len()];
                obj(json!({
                    "id": guid(2, g as u64),
                    "displayName": format!("License group {g:03}"),
                    "mailNickname": format!("licgroup{g:03}"),
                    "mailEnabled": false,
                    "securityEnabled": true,
                    "groupTypes": [],
                    "assignedLicenses": [{ "skuId": sku.sku_id, "disabledPlans": [] }],
                }))
            })
            .collect();
        let mut tenant = Tenant {
            id,
            domain,
            users: Vec::with_capacity(users),
            user_index: HashMap::with_capacity(users),
            groups,
            member_of: HashMap::with_capacity(users),
            skus: Vec::new(),
            reprocessed: HashMap::new(),
            photos: HashMap::new(),
            files: HashMap::new(),
        };
        for n in 0..users {
            let g = n % group_count;
            let group_id = guid(2, g as u64);
            let group_sku = SKUS[g % SKUS.len()].sku_id;
            let mut assigned = vec![json!({ "skuId": group_sku, "disabledPlans": [] })];
            let mut states = vec![json!({
                "skuId": group_sku, "assignedByGroup": group_id, "state": "Active",
                "error": "None", "disabledPlans": [],
            })];
            if n % 5 == 0 {
                let direct = SKUS[(g + 1) % SKUS.len()].sku_id;
                assigned.push(json!({ "skuId": direct, "disabledPlans": [] }));
                states.push(json!({
                    "skuId": direct, "assignedByGroup": null, "state": "Active",
                    "error": "None", "disabledPlans": [],
                }));
            }
            let given = FIRST[n % FIRST.len()];
            let surname = LAST[(n / FIRST.len()) % LAST.len()];
            let user = obj(json!({
                "id": guid(1, n as u64),
                "displayName": format!("{given} {surname} {n}"),
                "givenName": given,
                "surname": surname,
                "userPrincipalName": format!("user{n:05}@{}", tenant.domain),
                "mail": format!("user{n:05}@{}", tenant.domain),
                "mailNickname": format!("user{n:05}"),
                "jobTitle": JOBS[n % JOBS.len()],
                "department": DEPARTMENTS[n % DEPARTMENTS.len()],
                "accountEnabled": n % 17 != 0,
                "usageLocation": "US",
                "userType": "Member",
                "businessPhones": [],
                "assignedLicenses": assigned,
                "licenseAssignmentStates": states,
            }));
            tenant.member_of.insert(guid(1, n as u64), vec![group_id]);
            tenant.insert_user(user);
        }
        tenant.skus = SKUS
            .iter()
            .enumerate()
            .map(|(i, sku)| {
                obj(json!({
                    "id": format!("{}_{}", tenant.id, sku.sku_id),
                    "skuId": sku.sku_id,
                    "skuPartNumber": sku.part_number,
                    "accountId": tenant.id,
                    "accountName": "contoso",
                    "appliesTo": "User",
                    "capabilityStatus": "Enabled",
                    "consumedUnits": 0,
                    "prepaidUnits": { "enabled": users + 100 * (i + 1), "suspended": 0, "warning": 0, "lockedOut": 0 },
                    "servicePlans": sku.plans.iter().map(|(name, id)| json!({
                        "servicePlanId": id, "servicePlanName": name,
                        "provisioningStatus": "Success", "appliesTo": "User",
                    })).collect::<Vec<_>>(),
                }))
            })
            .collect();
        tenant.recount_units();
        tenant
    }

    fn insert_user(&mut self, user: Map<String, Value>) {
        let id = user["id"].as_str().unwrap_or_default().to_owned();
        self.user_index
            .insert(id.to_ascii_lowercase(), self.users.len());
        if let Some(upn) = user.get("userPrincipalName").and_then(Value::as_str) {
            self.user_index
                .insert(upn.to_ascii_lowercase(), self.users.len());
        }
        self.users.push(user);
    }

    fn recount_units(&mut self) {
        let mut consumed: HashMap<String, u64> = HashMap::new();
        for user in &self.users {
            for license in user["assignedLicenses"].as_array().into_iter().flatten() {
                if let Some(sku) = license["skuId"].as_str() {
                    *consumed.entry(sku.to_owned()).or_default() += 1;
                }
            }
        }
        for sku in &mut self.skus {
            let id = sku["skuId"].as_str().unwrap_or_default().to_owned();
            sku.insert(
                "consumedUnits".into(),
                consumed.get(&id).copied().unwrap_or(0).into(),
            );
        }
    }

    /// All users, in seed order.
    pub fn users(&self) -> &[Map<String, Value>] {
        &self.users
    }

    /// The ids of all users, in seed order.
    pub fn user_ids(&self) -> Vec<String> {
        self.users
            .iter()
            .filter_map(|u| u["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// A user by id or user principal name (case-insensitive).
    pub fn user(&self, key: &str) -> Result<&Map<String, Value>, Failure> {
        self.user_index
            .get(&key.to_ascii_lowercase())
            .map(|&i| &self.users[i])
            .ok_or_else(|| Failure::not_found(key))
    }

    /// Sets the photo of the user `key` (id or user principal name).
    pub fn set_photo(
        &mut self,
        key: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), Failure> {
        let id = self.user(key)?["id"].as_str().unwrap_or(key).to_owned();
        self.photos.insert(id, (content_type.to_owned(), bytes));
        Ok(())
    }

    /// The photo of the user `key`: (content type, bytes); 404 `ImageNotFound` when it
    /// has none.
    pub fn photo(&self, key: &str) -> Result<(&str, &[u8]), Failure> {
        let id = self.user(key)?["id"].as_str().unwrap_or(key);
        self.photos
            .get(id)
            .map(|(t, b)| (t.as_str(), b.as_slice()))
            .ok_or(Failure {
                status: 404,
                code: "ImageNotFound",
                message: "The photo wasn't found.".to_owned(),
            })
    }

    /// Stores a file's bytes: replaces the item `item` when given (404 when there is no
    /// such item), else the file `name` under `parent`, created when missing. Returns the
    /// item as Graph answers it and whether it was created.
    pub fn put_file(
        &mut self,
        item: Option<&str>,
        parent_and_name: Option<(&str, &str)>,
        content_type: &str,
        bytes: Vec<u8>,
        token: String,
    ) -> Result<(Map<String, Value>, bool), Failure> {
        let id = match (item, parent_and_name) {
            (Some(id), _) => {
                if !self.files.contains_key(id) {
                    return Err(Failure::not_found(id));
                }
                id.to_owned()
            }
            (None, Some((parent, name))) => self
                .files
                .iter()
                .find(|(_, f)| f.parent == parent && f.name == name)
                .map(|(id, _)| id.clone())
                .unwrap_or_else(|| guid(7, self.files.len() as u64 + 1)),
            (None, None) => return Err(Failure::not_found("")),
        };
        let created = !self.files.contains_key(&id);
        let (parent, name) = match (self.files.get(&id), parent_and_name) {
            (Some(f), _) => (f.parent.clone(), f.name.clone()),
            (None, Some((p, n))) => (p.to_owned(), n.to_owned()),
            (None, None) => return Err(Failure::not_found(&id)),
        };
        self.files.insert(
            id.clone(),
            StoredFile {
                parent,
                name,
                content_type: content_type.to_owned(),
                bytes,
                download_token: token,
            },
        );
        Ok((self.file_item(&id)?, created))
    }

    /// A stored file as Graph answers a drive item.
    pub fn file_item(&self, id: &str) -> Result<Map<String, Value>, Failure> {
        let f = self.files.get(id).ok_or_else(|| Failure::not_found(id))?;
        Ok(obj(json!({
            "id": id,
            "name": f.name,
            "size": f.bytes.len(),
            "file": { "mimeType": f.content_type },
            "parentReference": { "id": f.parent },
        })))
    }

    /// A stored file by item id, or by its parent and name.
    pub fn file(
        &self,
        item: Option<&str>,
        parent_and_name: Option<(&str, &str)>,
    ) -> Result<(&str, &StoredFile), Failure> {
        match (item, parent_and_name) {
            (Some(id), _) => self
                .files
                .get_key_value(id)
                .map(|(k, f)| (k.as_str(), f))
                .ok_or_else(|| Failure::not_found(id)),
            (None, Some((parent, name))) => self
                .files
                .iter()
                .find(|(_, f)| f.parent == parent && f.name == name)
                .map(|(k, f)| (k.as_str(), f))
                .ok_or_else(|| Failure::not_found(name)),
            (None, None) => Err(Failure::not_found("")),
        }
    }

    fn user_mut(&mut self, key: &str) -> Result<&mut Map<String, Value>, Failure> {
        match self.user_index.get(&key.to_ascii_lowercase()) {
            Some(&i) => Ok(&mut self.users[i]),
            None => Err(Failure::not_found(key)),
        }
    }

    /// Creates a user from a `POST /users` body; needs `displayName`, `mailNickname` and
    /// `userPrincipalName`.
    pub fn create_user(&mut self, body: &Value) -> Result<Map<String, Value>, Failure> {
        let Some(fields) = body.as_object() else {
            return Err(Failure::bad_request(
                "The request body must be a user object.",
            ));
        };
        for required in ["displayName", "mailNickname", "userPrincipalName"] {
            if !fields.get(required).is_some_and(Value::is_string) {
                return Err(Failure::bad_request(format!(
                    "Property '{required}' is required and must be a string."
                )));
            }
        }
        let upn = fields["userPrincipalName"].as_str().unwrap_or_default();
        if self.user_index.contains_key(&upn.to_ascii_lowercase()) {
            return Err(Failure::bad_request(format!(
                "Another object with the same value for property userPrincipalName already exists: {upn}"
            )));
        }
        let mut user = fields.clone();
        user.remove("passwordProfile");
        user.insert("id".into(), guid(3, self.users.len() as u64).into());
        user.entry("assignedLicenses").or_insert_with(|| json!([]));
        user.entry("licenseAssignmentStates")
            .or_insert_with(|| json!([]));
        self.insert_user(user.clone());
        Ok(user)
    }

    /// `PATCH /users/{id}`: merges `body` into the user. A property absent from the body is
    /// left as it is, one sent as `null` is cleared (stored as `null`, so `GET` shows it as
    /// `null`), one with a value is set. 400 `Request_BadRequest` when the body is not an
    /// object, names a property `microsoft.graph.user` does not declare, sets a read-only
    /// one (`id`, `createdDateTime`, the licenses, …), gives a value of the wrong type, clears a required one, or
    /// takes another user's `userPrincipalName`; nothing is changed then.
    pub fn update_user(&mut self, key: &str, body: &Value) -> Result<(), Failure> {
        let Some(patch) = body.as_object() else {
            return Err(Failure::bad_request(
                "The request body must be a JSON object of user properties.",
            ));
        };
        let index = *self
            .user_index
            .get(&key.to_ascii_lowercase())
            .ok_or_else(|| Failure::not_found(key))?;
        let mut changes = Vec::with_capacity(patch.len());
        for (name, value) in patch {
            if name.contains('@') {
                check_annotation(name, value)?;
                continue;
            }
            check_user_property(name, value)?;
            if name != "passwordProfile" {
                // Graph never returns a password profile; it is accepted, not kept.
                changes.push((name, value));
            }
        }
        let old_upn = self.users[index]
            .get("userPrincipalName")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let new_upn = patch
            .get("userPrincipalName")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        if let Some(upn) = &new_upn
            && self
                .user_index
                .get(upn)
                .is_some_and(|&other| other != index)
        {
            return Err(Failure::bad_request(format!(
                "Another object with the same value for property userPrincipalName already exists: {upn}"
            )));
        }
        let user = &mut self.users[index];
        for (name, value) in changes {
            user.insert(name.clone(), value.clone());
        }
        if let Some(upn) = new_upn
            && old_upn.as_ref() != Some(&upn)
        {
            if let Some(old) = old_upn {
                self.user_index.remove(&old);
            }
            self.user_index.insert(upn, index);
        }
        Ok(())
    }

    /// The groups a user (by id or user principal name) is a direct member of, in the
    /// tenant's group order.
    pub fn member_of(&self, key: &str) -> Result<Vec<&Map<String, Value>>, Failure> {
        let user = self.user(key)?;
        let id = user["id"].as_str().unwrap_or_default();
        let ids = self
            .member_of
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        Ok(self
            .groups
            .iter()
            .filter(|g| {
                g["id"]
                    .as_str()
                    .is_some_and(|g| ids.iter().any(|m| m.eq_ignore_ascii_case(g)))
            })
            .collect())
    }

    /// `assignLicense`: adds and removes licenses; unknown SKUs are a 400.
    pub fn assign_license(
        &mut self,
        key: &str,
        body: &Value,
    ) -> Result<Map<String, Value>, Failure> {
        let add = body["addLicenses"].as_array().cloned().unwrap_or_default();
        let remove: Vec<String> = body["removeLicenses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
            .collect();
        if body.get("addLicenses").is_none() || body.get("removeLicenses").is_none() {
            return Err(Failure::bad_request(
                "Both addLicenses and removeLicenses are required.",
            ));
        }
        let known: Vec<String> = SKUS.iter().map(|s| s.sku_id.to_owned()).collect();
        for license in &add {
            let sku = license["skuId"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if !known.contains(&sku) {
                return Err(Failure::bad_request(format!(
                    "License {sku} does not correspond to a valid company License."
                )));
            }
        }
        let user = self.user_mut(key)?;
        let mut assigned: Vec<Value> = user["assignedLicenses"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assigned.retain(|l| {
            let sku = l["skuId"].as_str().unwrap_or_default().to_ascii_lowercase();
            !remove.contains(&sku)
                && !add.iter().any(|a| {
                    a["skuId"]
                        .as_str()
                        .unwrap_or_default()
                        .eq_ignore_ascii_case(&sku)
                })
        });
        for license in add {
            assigned.push(json!({
                "skuId": license["skuId"],
                "disabledPlans": license.get("disabledPlans").cloned().unwrap_or(json!([])),
            }));
        }
        user.insert("assignedLicenses".into(), assigned.into());
        let user = user.clone();
        self.recount_units();
        Ok(user)
    }

    /// `reprocessLicenseAssignment`: re-evaluates group-based licenses (the seed's are all
    /// consistent, so this marks them processed) and returns the user.
    pub fn reprocess(&mut self, key: &str) -> Result<Map<String, Value>, Failure> {
        let user = self.user_mut(key)?;
        let id = user["id"].as_str().unwrap_or_default().to_owned();
        if let Some(states) = user
            .get_mut("licenseAssignmentStates")
            .and_then(Value::as_array_mut)
        {
            for state in states {
                state["state"] = "Active".into();
                state["error"] = "None".into();
            }
        }
        let user = user.clone();
        *self.reprocessed.entry(id).or_default() += 1;
        Ok(user)
    }

    /// How many times each user's license assignment was reprocessed (by id).
    pub fn reprocessed(&self) -> &HashMap<String, u32> {
        &self.reprocessed
    }

    /// A user's `licenseDetails`.
    pub fn license_details(&self, key: &str) -> Result<Vec<Map<String, Value>>, Failure> {
        let user = self.user(key)?;
        let user_id = user["id"].as_str().unwrap_or_default();
        Ok(user["assignedLicenses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| {
                let sku_id = l["skuId"].as_str()?;
                let sku = SKUS
                    .iter()
                    .find(|s| s.sku_id.eq_ignore_ascii_case(sku_id))?;
                Some(obj(json!({
                    "id": format!("{user_id}_{sku_id}"),
                    "skuId": sku.sku_id,
                    "skuPartNumber": sku.part_number,
                    "servicePlans": sku.plans.iter().map(|(name, id)| json!({
                        "servicePlanId": id, "servicePlanName": name,
                        "provisioningStatus": "Success", "appliesTo": "User",
                    })).collect::<Vec<_>>(),
                })))
            })
            .collect())
    }

    /// The subscribed SKUs.
    pub fn skus(&self) -> &[Map<String, Value>] {
        &self.skus
    }

    /// All groups.
    pub fn groups(&self) -> &[Map<String, Value>] {
        &self.groups
    }

    /// A group by id.
    pub fn group(&self, id: &str) -> Result<&Map<String, Value>, Failure> {
        self.groups
            .iter()
            .find(|g| g["id"].as_str().is_some_and(|g| g.eq_ignore_ascii_case(id)))
            .ok_or_else(|| Failure::not_found(id))
    }

    /// Deletes a group.
    pub fn delete_group(&mut self, id: &str) -> Result<(), Failure> {
        let before = self.groups.len();
        self.groups
            .retain(|g| !g["id"].as_str().is_some_and(|g| g.eq_ignore_ascii_case(id)));
        if self.groups.len() == before {
            return Err(Failure::not_found(id));
        }
        for groups in self.member_of.values_mut() {
            groups.retain(|g| !g.eq_ignore_ascii_case(id));
        }
        Ok(())
    }
}

/// The properties of `microsoft.graph.user` (and of its bases) a `PATCH` cannot set:
/// those Graph's user resource documents as read-only, and the licenses, which change
/// through `assignLicense`.
const READ_ONLY: &[&str] = &[
    "id",
    "deletedDateTime",
    "createdDateTime",
    "creationType",
    "assignedLicenses",
    "assignedPlans",
    "licenseAssignmentStates",
    "provisionedPlans",
    "proxyAddresses",
    "imAddresses",
    "securityIdentifier",
    "signInSessionsValidFromDateTime",
    "lastPasswordChangeDateTime",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "onPremisesDistinguishedName",
    "onPremisesDomainName",
    "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "onPremisesUserPrincipalName",
];

/// The properties a user cannot be without (those `POST /users` requires).
const REQUIRED: &[&str] = &[
    "accountEnabled",
    "displayName",
    "mailNickname",
    "userPrincipalName",
];

/// Checks one property of a user update: declared by `microsoft.graph.user`, writable,
/// and its value (or `null`) readable as its type.
fn check_user_property(name: &str, value: &Value) -> Result<(), Failure> {
    use graphspec::model::{Structured as _, User};
    if User::default().property_mut(name).is_none() {
        return Err(Failure::bad_request(format!(
            "Property '{name}' does not exist as a declared property or extension property."
        )));
    }
    if READ_ONLY.contains(&name) {
        return Err(Failure::bad_request(format!(
            "Property '{name}' is read-only and cannot be set."
        )));
    }
    let invalid = || {
        Failure::bad_request(format!(
            "Invalid value specified for property '{name}' of resource 'User'."
        ))
    };
    if value.is_null() && REQUIRED.contains(&name) {
        return Err(invalid());
    }
    let mut single = Map::new();
    single.insert(name.to_owned(), value.clone());
    serde_json::from_value::<User>(Value::Object(single))
        .map(drop)
        .map_err(|_| invalid())
}

/// Checks an instance annotation of a user update: only `@odata.type` naming
/// `microsoft.graph.user` (or a type derived from it) is understood.
fn check_annotation(name: &str, value: &Value) -> Result<(), Failure> {
    if name == "@odata.type" {
        return match value.as_str() {
            Some(t) if graphspec::model::is_a(t, "microsoft.graph.user") => Ok(()),
            _ => Err(Failure::bad_request(format!(
                "A user cannot be updated as {value}: '@odata.type' must name microsoft.graph.user."
            ))),
        };
    }
    Err(Failure::bad_request(format!(
        "The emulator does not support the annotation '{name}' in a user update."
    )))
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Niklaus",
    "Hedy",
    "John",
    "Katherine",
    "Tim",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Wirth",
    "Lamarr",
    "Backus",
    "Johnson",
    "Berners-Lee",
];
const JOBS: &[&str] = &["Engineer", "Analyst", "Manager", "Designer", "Accountant"];
const DEPARTMENTS: &[&str] = &["Engineering", "Finance", "Sales", "Operations", "Legal"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_is_deterministic_and_ids_are_unique() {
        let a = Tenant::seed(500);
        let b = Tenant::seed(500);
        assert_eq!(a.user_ids(), b.user_ids());
        let mut ids = a.user_ids();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 500);
        assert_eq!(a.groups().len(), 5);
        assert_eq!(a.skus().len(), 3);
        let consumed: u64 = a
            .skus()
            .iter()
            .map(|s| s["consumedUnits"].as_u64().unwrap())
            .sum();
        assert_eq!(consumed, 500 + 100);
    }

    #[test]
    fn licenses_and_lookups() {
        let mut t = Tenant::seed(10);
        let id = t.user_ids()[3].clone();
        assert_eq!(
            t.user("USER00003@contoso.example").unwrap()["id"],
            id.as_str()
        );
        assert_eq!(t.user("nope").unwrap_err().code, "Request_ResourceNotFound");
        let user = t
            .assign_license(
                &id,
                &json!({"addLicenses": [{"skuId": SKUS[2].sku_id}], "removeLicenses": []}),
            )
            .unwrap();
        assert_eq!(user["assignedLicenses"].as_array().unwrap().len(), 2);
        assert_eq!(t.license_details(&id).unwrap().len(), 2);
        let bad = t.assign_license(
            &id,
            &json!({"addLicenses": [{"skuId": "x"}], "removeLicenses": []}),
        );
        assert_eq!(bad.unwrap_err().status, 400);
        t.reprocess(&id).unwrap();
        t.reprocess(&id).unwrap();
        assert_eq!(t.reprocessed()[&id], 2);
        let gid = t.groups()[0]["id"].as_str().unwrap().to_owned();
        t.delete_group(&gid).unwrap();
        assert_eq!(t.delete_group(&gid).unwrap_err().status, 404);
        let created = t
            .create_user(&json!({"displayName": "N", "mailNickname": "n", "userPrincipalName": "n@contoso.example", "accountEnabled": true}))
            .unwrap();
        assert_eq!(t.user("n@contoso.example").unwrap()["id"], created["id"]);
        assert!(t.member_of("n@contoso.example").unwrap().is_empty());
    }

    #[test]
    fn each_user_is_a_member_of_the_group_that_licenses_it() {
        let mut t = Tenant::seed(10);
        for (n, user) in t.users().iter().enumerate() {
            let id = user["id"].as_str().unwrap();
            let groups = t.member_of(id).unwrap();
            assert_eq!(groups.len(), 1, "user {n}");
            assert_eq!(groups[0]["id"], guid(2, (n % 3) as u64).as_str());
            assert_eq!(
                groups[0]["id"],
                user["licenseAssignmentStates"][0]["assignedByGroup"]
            );
        }
        assert_eq!(
            t.member_of("USER00004@contoso.example").unwrap()[0]["displayName"],
            "License group 001"
        );
        assert_eq!(t.member_of("nobody").unwrap_err().status, 404);
        let gid = guid(2, 1);
        t.delete_group(&gid).unwrap();
        assert!(t.member_of("user00004@contoso.example").unwrap().is_empty());
        assert_eq!(t.member_of("user00003@contoso.example").unwrap().len(), 1);
    }

    #[test]
    fn updates_merge_set_and_clear() {
        let mut t = Tenant::seed(3);
        let id = t.user_ids()[1].clone();
        let before = t.user(&id).unwrap().clone();
        t.update_user(
            &id,
            &json!({"@odata.type": "#microsoft.graph.user", "jobTitle": "Director", "department": null, "passwordProfile": {"password": "x"}}),
        )
        .unwrap();
        let after = t.user(&id).unwrap();
        assert_eq!(after["jobTitle"], "Director");
        assert_eq!(after["department"], Value::Null);
        assert!(!after.contains_key("passwordProfile"));
        assert!(!after.contains_key("@odata.type"));
        for (name, value) in &before {
            if name != "jobTitle" && name != "department" {
                assert_eq!(&after[name], value, "{name}");
            }
        }
        t.update_user(&id, &json!({})).unwrap();

        // The user principal name is a key: the old one is gone, the new one finds the user.
        t.update_user(
            &id,
            &json!({"userPrincipalName": "Renamed@contoso.example"}),
        )
        .unwrap();
        assert_eq!(
            t.user("renamed@contoso.example").unwrap()["id"],
            id.as_str()
        );
        assert_eq!(t.user("user00001@contoso.example").unwrap_err().status, 404);
        let taken = t.update_user(
            &id,
            &json!({"userPrincipalName": "USER00002@contoso.example"}),
        );
        assert_eq!(taken.unwrap_err().status, 400);
        t.update_user(
            &id,
            &json!({"userPrincipalName": "renamed@contoso.example"}),
        )
        .unwrap();
    }

    #[test]
    fn updates_that_graph_refuses_change_nothing() {
        let mut t = Tenant::seed(3);
        let id = t.user_ids()[0].clone();
        let before = t.user(&id).unwrap().clone();
        for (body, message) in [
            (json!([]), "must be a JSON object"),
            (json!("x"), "must be a JSON object"),
            (
                json!({"jobTitle": "A", "id": "other"}),
                "Property 'id' is read-only",
            ),
            (json!({"assignedLicenses": []}), "is read-only"),
            (
                json!({"jobTitle": "A", "favouriteColour": "red"}),
                "'favouriteColour' does not exist",
            ),
            (
                json!({"jobTitle": "A", "accountEnabled": "yes"}),
                "property 'accountEnabled'",
            ),
            (json!({"jobTitle": 7}), "property 'jobTitle'"),
            (json!({"displayName": null}), "property 'displayName'"),
            (
                json!({"@odata.type": "#microsoft.graph.group"}),
                "@odata.type",
            ),
            (json!({"manager@odata.bind": "x"}), "annotation"),
        ] {
            let failure = t.update_user(&id, &body).unwrap_err();
            assert_eq!(failure.status, 400, "{body}");
            assert_eq!(failure.code, "Request_BadRequest", "{body}");
            assert!(
                failure.message.contains(message),
                "{body}: {}",
                failure.message
            );
            assert_eq!(t.user(&id).unwrap(), &before, "{body}");
        }
        let missing = t.update_user("nobody", &json!({"jobTitle": "A"}));
        assert_eq!(missing.unwrap_err().status, 404);
    }
}
