//! Microsoft Graph resource types: users, groups, licenses and subscriptions.
//!
//! Graph returns only the properties a request selects (`$select`) or a default subset,
//! so every property is an `Option` (or, for the few collections a request body must
//! always carry, a `Vec` that defaults to empty). Property names are Graph's camelCase
//! names; ids and GUIDs are `String`s, and date-times are ISO 8601 `String`s as Graph sends
//! them.
//!
//! Every type keeps what it does not model in `additional`: properties newer than this
//! crate, navigation properties, and OData annotations such as `@odata.context` or
//! `@odata.type`. A modelled property that arrives as `null` reads as `None` and its
//! explicit `null` is kept in `additional`, so deserializing and serializing again gives
//! back the same JSON, nulls included.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Any Graph object this crate has no type for (`microsoft.graph.event`, …): its JSON
/// properties, in the order received, losslessly. Imported operations whose Graph type
/// has no struct here respond with `Object` (or a collection of it).
pub type Object = Map<String, Value>;

/// Implements `Serialize` and `Deserialize` for model types around their derived (remote
/// `Self`) impls: a `null` property is taken out before the derived impl reads the object
/// (so a modelled property reads as `None`) and put into `additional`, from which it is
/// serialized again. Properties listed after `;` are always serialized, so their `null`
/// is left to the derived impl (which rejects it).
macro_rules! keep_nulls {
    ($($ty:ident $(; $($always:literal),+)?),+ $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let always: &[&str] = &[$($($always),+)?];
                let mut object = Map::<String, Value>::deserialize(deserializer)?;
                let nulls: Vec<String> = object
                    .iter()
                    .filter(|(key, value)| value.is_null() && !always.contains(&key.as_str()))
                    .map(|(key, _)| key.clone())
                    .collect();
                for key in &nulls {
                    object.remove(key);
                }
                let mut typed =
                    $ty::deserialize(Value::Object(object)).map_err(serde::de::Error::custom)?;
                typed.additional.extend(nulls.into_iter().map(|key| (key, Value::Null)));
                Ok(typed)
            }
        }
    )+};
}

keep_nulls!(
    User,
    AssignedLicense; "disabledPlans",
    AssignedPlan,
    LicenseAssignmentState,
    LicenseDetails,
    ServicePlanInfo,
    SubscribedSku,
    LicenseUnitsDetail,
    Group,
    AssignLicenseBody; "addLicenses", "removeLicenses",
);

/// A user account in Microsoft Entra ID (`microsoft.graph.user`).
///
/// The most used properties are typed; the rest, and anything selected that is not
/// listed here, land in [`User::additional`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct User {
    /// Unique identifier of the user (a GUID). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name shown in address lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Sign-in name, `alias@domain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    /// Primary SMTP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    /// Mail alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    /// Other addresses the user receives mail at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_mails: Option<Vec<String>>,
    /// Every address of the mailbox, e.g. `SMTP:user@contoso.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_addresses: Option<Vec<String>>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// Department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Employee identifier assigned by the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    /// Employee type, e.g. `Employee` or `Contractor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_type: Option<String>,
    /// `Member` or `Guest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    /// Whether the account can sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_enabled: Option<bool>,
    /// Telephone numbers (Graph allows one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_phones: Option<Vec<String>>,
    /// Mobile telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    /// Fax number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// Office location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_location: Option<String>,
    /// Street address of the place of business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Preferred language, an ISO 639-1 code such as `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    /// Two-letter country code (ISO 3166) deciding which services can be licensed;
    /// required before licenses can be assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    /// When the account was created (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When the account was deleted, for deleted items (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_date_time: Option<String>,
    /// When the password last changed (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_password_change_date_time: Option<String>,
    /// Password policies, e.g. `DisablePasswordExpiration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policies: Option<String>,
    /// Whether the account is synchronized from on-premises Active Directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sync_enabled: Option<bool>,
    /// Last synchronization from on-premises (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_last_sync_date_time: Option<String>,
    /// On-premises immutable id, linking the account to its on-premises object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_immutable_id: Option<String>,
    /// On-premises `sAMAccountName`. Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sam_account_name: Option<String>,
    /// On-premises user principal name. Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_user_principal_name: Option<String>,
    /// Licenses assigned to the user, directly or through groups. Read-only; change them
    /// with `assignLicense` ([`AssignLicenseBody`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_licenses: Option<Vec<AssignedLicense>>,
    /// Service plans the user's licenses include. Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_plans: Option<Vec<AssignedPlan>>,
    /// How each license reached the user (directly or from a group) and its state.
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_assignment_states: Option<Vec<LicenseAssignmentState>>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// A license assigned to a user or group (`microsoft.graph.assignedLicense`); also the
/// entries of [`AssignLicenseBody::add_licenses`].
///
/// `disabledPlans` is always serialized (as `[]` when empty), as `assignLicense` expects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct AssignedLicense {
    /// Service plans of the SKU that are switched off for this assignment (their
    /// `servicePlanId` GUIDs).
    #[serde(default)]
    pub disabled_plans: Vec<String>,
    /// The SKU (product) GUID, as in [`SubscribedSku::sku_id`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

impl AssignedLicense {
    /// The license for SKU `sku_id` with every service plan enabled.
    pub fn new(sku_id: impl Into<String>) -> AssignedLicense {
        AssignedLicense {
            sku_id: Some(sku_id.into()),
            ..AssignedLicense::default()
        }
    }
}

/// A service plan a user or organization has through a license
/// (`microsoft.graph.assignedPlan`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct AssignedPlan {
    /// When the plan was assigned (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_date_time: Option<String>,
    /// `Enabled`, `Warning`, `Suspended`, `Deleted` or `LockedOut`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_status: Option<String>,
    /// The service, e.g. `exchange`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The service plan's GUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plan_id: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// How one license reached a user and whether it applied
/// (`microsoft.graph.licenseAssignmentState`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct LicenseAssignmentState {
    /// The group the license comes from; `None` for a direct assignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_by_group: Option<String>,
    /// Service plans switched off in this assignment (GUIDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_plans: Option<Vec<String>>,
    /// Why the assignment failed, e.g. `CountViolation`; `None` on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When the state last changed (ISO 8601, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_date_time: Option<String>,
    /// The SKU (product) GUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// `Active`, `ActiveWithError`, `Disabled` or `Error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// A license a user holds, with its service plans (`microsoft.graph.licenseDetails`),
/// as listed by `GET /users/{id}/licenseDetails`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct LicenseDetails {
    /// Identifier of this license record. Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The license's service plans and their provisioning state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plans: Option<Vec<ServicePlanInfo>>,
    /// The SKU (product) GUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// The SKU's part number, e.g. `ENTERPRISEPACK`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_part_number: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// One service plan of a SKU or license (`microsoft.graph.servicePlanInfo`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct ServicePlanInfo {
    /// The service plan's GUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plan_id: Option<String>,
    /// The service plan's name, e.g. `EXCHANGE_S_ENTERPRISE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plan_name: Option<String>,
    /// Provisioning state, e.g. `Success`, `Disabled`, `PendingInput`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_status: Option<String>,
    /// What the plan can be assigned to: `User` or `Company`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// A product the organization subscribes to, with its unit counts
/// (`microsoft.graph.subscribedSku`), as listed by `GET /subscribedSkus`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct SubscribedSku {
    /// Identifier of this subscription record (tenant id and SKU id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `User` or `Company`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
    /// `Enabled`, `Warning`, `Suspended`, `Deleted` or `LockedOut`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_status: Option<String>,
    /// Licenses of this SKU in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_units: Option<i32>,
    /// Purchased licenses by state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepaid_units: Option<LicenseUnitsDetail>,
    /// The SKU's service plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_plans: Option<Vec<ServicePlanInfo>>,
    /// The SKU (product) GUID; what [`AssignedLicense::sku_id`] refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// The SKU's part number, e.g. `ENTERPRISEPREMIUM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_part_number: Option<String>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// Counts of purchased licenses by state (`microsoft.graph.licenseUnitsDetail`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct LicenseUnitsDetail {
    /// Units that can be assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<i32>,
    /// Units of a subscription that is suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<i32>,
    /// Units of a subscription in its grace period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<i32>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// A Microsoft 365 group, security group or distribution list (`microsoft.graph.group`).
///
/// Properties that are objects in Graph but not modelled here (for example
/// `licenseProcessingState` and `onPremisesProvisioningErrors`) land in
/// [`Group::additional`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct Group {
    /// Unique identifier of the group (a GUID). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name shown in address lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Primary SMTP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    /// Whether the group receives mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_enabled: Option<bool>,
    /// Mail alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    /// Whether the group can be used to grant access (a security group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_enabled: Option<bool>,
    /// Security identifier (SID) of the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_identifier: Option<String>,
    /// Kinds of group: `Unified` for Microsoft 365 groups, `DynamicMembership` for rule-based
    /// membership; empty for other groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_types: Option<Vec<String>>,
    /// Membership rule of a dynamic group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_rule: Option<String>,
    /// `On` or `Paused` for a dynamic group's rule processing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_rule_processing_state: Option<String>,
    /// `Public`, `Private` or `HiddenMembership` (Microsoft 365 groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Classification label, e.g. low, medium or high business impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Color theme of a Microsoft 365 group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Preferred language, an ISO 639-1 code such as `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    /// Preferred data location (multi-geo tenants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_data_location: Option<String>,
    /// Whether Entra roles can be assigned to the group. Set only at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_assignable_to_role: Option<bool>,
    /// Whether the group's team is archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_archived: Option<bool>,
    /// Licenses assigned to the group (group-based licensing). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_licenses: Option<Vec<AssignedLicense>>,
    /// Whether some members have license errors from this group's assignments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_members_with_license_errors: Option<bool>,
    /// Every address of the group's mailbox, e.g. `SMTP:team@contoso.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_addresses: Option<Vec<String>>,
    /// When the group was created (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    /// When the group was deleted, for deleted items (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_date_time: Option<String>,
    /// When the group expires under an expiration policy (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<String>,
    /// When the group was last renewed (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewed_date_time: Option<String>,
    /// Whether the group is synchronized from on-premises Active Directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sync_enabled: Option<bool>,
    /// Last synchronization from on-premises (ISO 8601, UTC). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_last_sync_date_time: Option<String>,
    /// On-premises `sAMAccountName`. Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_sam_account_name: Option<String>,
    /// On-premises security identifier (SID). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_premises_security_identifier: Option<String>,
    /// Whether people outside the organization can send mail to the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_external_senders: Option<bool>,
    /// Whether new members are subscribed to group mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_subscribe_new_members: Option<bool>,
    /// Whether the group is hidden from Outlook address lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_from_address_lists: Option<bool>,
    /// Whether the group is hidden in Outlook clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_from_outlook_clients: Option<bool>,
    /// Whether the signed-in user is subscribed to the group's mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_subscribed_by_mail: Option<bool>,
    /// Posts the signed-in user has not seen since their last visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unseen_count: Option<i32>,
    /// Behaviours chosen when a Microsoft 365 group was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_behavior_options: Option<Vec<String>>,
    /// Resources provisioned with a Microsoft 365 group, e.g. `Team`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_provisioning_options: Option<Vec<String>>,
    /// Properties and annotations not modelled above, kept as received.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

/// The request body of `POST /users/{id}/assignLicense`: licenses to add and SKU ids to
/// remove, in one call.
///
/// Graph needs both collections present, so both are always serialized (empty ones as
/// `[]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct AssignLicenseBody {
    /// Licenses to add, each with the service plans to switch off.
    #[serde(default)]
    pub add_licenses: Vec<AssignedLicense>,
    /// SKU GUIDs of licenses to remove.
    #[serde(default)]
    pub remove_licenses: Vec<String>,
    /// Properties not modelled above, sent as given.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::json;

    const API_PAGES: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/graph-docs/ru-RU/v1.0/api/"
    );

    /// The JSON body of the first `http` example block annotated with
    /// `"blockType": "<block_type>"` on a Graph docs page: what follows the first blank
    /// line of the block (after the request or status line and headers).
    fn example_json(page: &str, block_type: &str) -> Value {
        let path = format!("{API_PAGES}{page}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "reading {path}: {e}; these tests need ../shared/graph-docs next to the workspace"
            )
        });
        let marker = format!("\"blockType\": \"{block_type}\"");
        let after_marker = &text[text
            .find(&marker)
            .unwrap_or_else(|| panic!("{page}: no {marker}"))..];
        let block = &after_marker[after_marker
            .find("```http")
            .unwrap_or_else(|| panic!("{page}: no http block after {marker}"))..];
        let mut lines = block.lines().skip(1);
        let first = lines.next().unwrap_or_default();
        if block_type == "response" {
            assert!(first.starts_with("HTTP/1.1 200 OK"), "{page}: {first}");
        }
        let body: Vec<&str> = lines
            .skip_while(|line| !line.trim().is_empty())
            .take_while(|line| !line.starts_with("```"))
            .collect();
        let body = body.join("\n");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{page}: {e}\n{body}"))
    }

    /// Parses `value` as `T`, serializes it again and checks nothing changed.
    fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
        let parsed: T = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&parsed).unwrap(), value);
        parsed
    }

    /// Round-trips every item of a `{"value": [...]}` collection as `T`, and the
    /// collection with its annotations.
    fn round_trip_collection<T: DeserializeOwned + Serialize>(page: &Value) -> Vec<T> {
        let items: Vec<T> = page["value"]
            .as_array()
            .expect("a collection response")
            .iter()
            .map(round_trip::<T>)
            .collect();
        let mut rebuilt = page.as_object().unwrap().clone();
        rebuilt.insert("value".into(), serde_json::to_value(&items).unwrap());
        assert_eq!(&Value::Object(rebuilt), page);
        items
    }

    #[test]
    fn reprocess_license_assignment_response_round_trips_as_user() {
        let body = example_json("user-reprocesslicenseassignment.md", "response");
        let user: User = round_trip(&body);
        assert_eq!(user.account_enabled, Some(true));
        assert_eq!(user.city.as_deref(), Some("city-value"));
        assert_eq!(user.company_name.as_deref(), Some("companyName-value"));
        assert_eq!(
            user.business_phones,
            Some(vec!["businessPhones-value".to_owned()])
        );
        let licenses = user.assigned_licenses.as_ref().unwrap();
        assert_eq!(licenses[0].sku_id.as_deref(), Some("skuId-value"));
        assert_eq!(
            licenses[0].disabled_plans,
            ["11b0131d-43c8-4bbb-b2c8-e80f9a50834a"]
        );
        let plans = user.assigned_plans.as_ref().unwrap();
        assert_eq!(
            plans[0].service_plan_id.as_deref(),
            Some("bea13e0c-3828-4daa-a392-28af7ff61a0f")
        );
        assert_eq!(
            plans[0].assigned_date_time.as_deref(),
            Some("2016-10-19T10:37:00Z")
        );
        assert!(user.additional.is_empty(), "{:?}", user.additional);
    }

    #[test]
    fn unknown_properties_and_annotations_survive_a_round_trip() {
        let mut body = example_json("user-reprocesslicenseassignment.md", "response");
        let object = body.as_object_mut().unwrap();
        object.insert(
            "@odata.context".into(),
            json!("https://graph.microsoft.com/v1.0/$metadata#users/$entity"),
        );
        object.insert("futureProperty".into(), json!({"nested": [1, "two", null]}));
        object.insert("employeeOrgData".into(), json!({"division": "Sales"}));
        object["assignedLicenses"][0]
            .as_object_mut()
            .unwrap()
            .insert(
                "@odata.type".into(),
                json!("#microsoft.graph.assignedLicense"),
            );
        let user: User = round_trip(&body);
        assert_eq!(
            user.additional["futureProperty"],
            json!({"nested": [1, "two", null]})
        );
        assert!(user.additional.contains_key("@odata.context"));
        assert_eq!(
            user.assigned_licenses.unwrap()[0].additional["@odata.type"],
            "#microsoft.graph.assignedLicense"
        );
    }

    #[test]
    fn subscribed_skus_list_response_round_trips() {
        let page = example_json("subscribedsku-list.md", "response");
        let skus: Vec<SubscribedSku> = round_trip_collection(&page);
        assert_eq!(skus.len(), 2);
        assert_eq!(
            skus[0].sku_part_number.as_deref(),
            Some("ENTERPRISEPREMIUM")
        );
        assert_eq!(skus[0].consumed_units, Some(14));
        let units = skus[1].prepaid_units.as_ref().unwrap();
        assert_eq!(
            (units.enabled, units.suspended, units.warning),
            (Some(0), Some(25), Some(0))
        );
        let plan = &skus[1].service_plans.as_ref().unwrap()[0];
        assert_eq!(plan.service_plan_name.as_deref(), Some("CRMSTANDARD"));
        assert_eq!(plan.provisioning_status.as_deref(), Some("Disabled"));
    }

    #[test]
    fn license_details_list_response_round_trips() {
        // The page's example items carry `disabledPlans`, which licenseDetails does not
        // model: it is kept in `additional`.
        let page = example_json("user-list-licensedetails.md", "response");
        let details: Vec<LicenseDetails> = round_trip_collection(&page);
        assert_eq!(
            details[0].sku_id.as_deref(),
            Some("b05e124f-c7cc-45a0-a6aa-8cf78c946968")
        );
        assert_eq!(details[0].additional["disabledPlans"], json!([]));
    }

    #[test]
    fn license_details_with_service_plans_round_trip() {
        let body = json!({
            "id": "sku-record-id",
            "skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900",
            "skuPartNumber": "ENTERPRISEPACK",
            "servicePlans": [{
                "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0",
                "servicePlanName": "EXCHANGE_S_ENTERPRISE",
                "provisioningStatus": "Success",
                "appliesTo": "User"
            }]
        });
        let details: LicenseDetails = round_trip(&body);
        let plans = details.service_plans.unwrap();
        assert_eq!(plans[0].applies_to.as_deref(), Some("User"));
    }

    #[test]
    fn assign_license_request_body_round_trips() {
        let body = example_json("user-assignlicense.md", "request");
        let parsed: AssignLicenseBody = round_trip(&body);
        assert_eq!(
            parsed.remove_licenses,
            ["bea13e0c-3828-4daa-a392-28af7ff61a0f"]
        );
        assert_eq!(
            parsed.add_licenses[0].sku_id.as_deref(),
            Some("45715bb8-13f9-4bf6-927f-ef96c102d394")
        );
    }

    #[test]
    fn assign_license_body_always_sends_both_collections() {
        let body = AssignLicenseBody {
            add_licenses: vec![AssignedLicense::new("45715bb8-13f9-4bf6-927f-ef96c102d394")],
            ..AssignLicenseBody::default()
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({
                "addLicenses": [
                    {"disabledPlans": [], "skuId": "45715bb8-13f9-4bf6-927f-ef96c102d394"}
                ],
                "removeLicenses": []
            })
        );
        assert_eq!(
            serde_json::to_value(AssignLicenseBody::default()).unwrap(),
            json!({"addLicenses": [], "removeLicenses": []})
        );
    }

    #[test]
    fn group_round_trips() {
        let body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups/$entity",
            "id": "02bd9fd6-8f93-4758-87c3-1fb73740a315",
            "displayName": "HR Taskforce",
            "description": "Only for the HR team",
            "groupTypes": ["Unified"],
            "mail": "HRTaskforce@contoso.com",
            "mailEnabled": true,
            "mailNickname": "HRTaskforce",
            "securityEnabled": false,
            "visibility": "Private",
            "createdDateTime": "2016-08-01T15:17:42Z",
            "isAssignableToRole": false,
            "unseenCount": 3,
            "proxyAddresses": ["SMTP:HRTaskforce@contoso.com"],
            "resourceProvisioningOptions": ["Team"],
            "assignedLicenses": [{"disabledPlans": [], "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"}],
            "licenseProcessingState": {"state": "ProcessingComplete"},
            "onPremisesProvisioningErrors": []
        });
        let group: Group = round_trip(&body);
        assert_eq!(group.group_types, Some(vec!["Unified".to_owned()]));
        assert_eq!(group.mail_enabled, Some(true));
        assert_eq!(group.security_enabled, Some(false));
        assert_eq!(group.unseen_count, Some(3));
        assert_eq!(
            group.additional["licenseProcessingState"],
            json!({"state": "ProcessingComplete"})
        );
    }

    #[test]
    fn license_assignment_states_round_trip() {
        let body = json!({
            "licenseAssignmentStates": [
                {
                    "assignedByGroup": null,
                    "disabledPlans": [],
                    "error": "None",
                    "lastUpdatedDateTime": "2023-01-04T10:00:00Z",
                    "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df",
                    "state": "Active"
                },
                {
                    "assignedByGroup": "02bd9fd6-8f93-4758-87c3-1fb73740a315",
                    "disabledPlans": ["efb87545-963c-4e0d-99df-69c6916d9eb0"],
                    "error": "CountViolation",
                    "skuId": "d17b27af-3f49-4822-99f9-56a661538792",
                    "state": "Error"
                }
            ]
        });
        let body_again = body.clone();
        let user: User = serde_json::from_value(body).unwrap();
        let states = user.license_assignment_states.as_ref().unwrap();
        assert_eq!(states[0].assigned_by_group, None);
        assert_eq!(states[1].error.as_deref(), Some("CountViolation"));
        assert_eq!(
            states[1].disabled_plans,
            Some(vec!["efb87545-963c-4e0d-99df-69c6916d9eb0".to_owned()])
        );
        // The explicit `null` of the first entry is kept too: nothing is lost.
        let again = serde_json::to_value(&user).unwrap();
        assert_eq!(again, body_again);
        let second: User = serde_json::from_value(again).unwrap();
        assert_eq!(second, user);
    }

    #[test]
    fn explicit_null_reads_as_none_and_is_kept() {
        let user: User =
            serde_json::from_value(json!({"id": "1", "mail": null, "businessPhones": []})).unwrap();
        assert_eq!(user.mail, None);
        assert_eq!(user.business_phones, Some(vec![]));
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"id": "1", "mail": null, "businessPhones": []})
        );
        // A body field that is always sent keeps rejecting `null`.
        let err = serde_json::from_value::<AssignLicenseBody>(json!({"addLicenses": null}));
        assert!(err.is_err());
    }

    #[test]
    fn defaults_serialize_as_empty_objects() {
        fn empty<T: Default + Serialize>() -> Value {
            serde_json::to_value(T::default()).unwrap()
        }
        for value in [
            empty::<User>(),
            empty::<AssignedPlan>(),
            empty::<LicenseAssignmentState>(),
            empty::<LicenseDetails>(),
            empty::<ServicePlanInfo>(),
            empty::<SubscribedSku>(),
            empty::<LicenseUnitsDetail>(),
            empty::<Group>(),
        ] {
            assert_eq!(value, json!({}));
        }
        assert_eq!(empty::<AssignedLicense>(), json!({"disabledPlans": []}));
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        assert!(serde_json::from_value::<User>(json!({"accountEnabled": "yes"})).is_err());
        assert!(serde_json::from_value::<SubscribedSku>(json!({"consumedUnits": 1.5})).is_err());
        assert!(serde_json::from_value::<Group>(json!([])).is_err());
    }
}
