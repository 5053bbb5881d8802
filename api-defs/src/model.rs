//! Microsoft Graph's types: every entity, complex and enum type of the v1.0 CSDL, generated
//! (`src/generated/models/`), plus what is written by hand here.
//!
//! - Types of `microsoft.graph` are here directly ([`User`], [`Group`], [`DirectoryObject`]);
//!   types of the other namespaces are in a module named for theirs
//!   (`microsoft.graph.callRecords.session` is `call_records::Session`).
//! - Every property is an [`edm::Field`]: absent, `null` or a value. Graph omits properties
//!   freely (`$select`, defaults), and a PATCH body says per property "leave it"
//!   ([`Field::Absent`], the default), "clear it" ([`Field::Null`]) or "set it".
//! - Every type keeps what it does not declare in `additional`, in the order received:
//!   navigation properties, annotations such as `@odata.type`, and properties newer than
//!   this crate. Reading a value and writing it back gives the same JSON.
//! - Navigation properties come back only when a request expands them
//!   (`$expand=manager`): each has an accessor that reads it on demand
//!   ([`User::manager`]), compiled only when the target type is.
//! - A value declared as a base type keeps its `@odata.type`: [`Cast::cast`] turns a
//!   [`DirectoryObject`] from `memberOf` into the [`Group`] it is, without a request.
//! - Enums keep members they do not know (`Unrecognized(String)`); flags enums are
//!   [`edm::Flags`].
//! - The parameters of an action are its request body: [`AssignLicenseBody`].
//!
//! Each type is compiled with the cargo features whose operations reach it (response and
//! body types, and the types of their properties); `full` compiles every type.
//!
//! ```
//! use graphspec::model::{Cast, DirectoryObject, Group, User};
//! use graphspec::edm::Field;
//!
//! let member: DirectoryObject = serde_json::from_str(
//!     r##"{"@odata.type": "#microsoft.graph.group", "id": "1", "displayName": "Sales"}"##,
//! )?;
//! let group: Group = member.cast()?;
//! assert_eq!(group.display_name.value().map(String::as_str), Some("Sales"));
//! assert!(member.cast::<User>().is_err());
//!
//! // A PATCH body that clears one property and sets another.
//! let update = User {
//!     office_location: Field::Null,
//!     job_title: "Engineer".to_owned().into(),
//!     ..User::default()
//! };
//! assert_eq!(
//!     serde_json::to_string(&update)?,
//!     r#"{"jobTitle":"Engineer","officeLocation":null}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use crate::edm::{self, Field};
pub use crate::generated::models::*;
pub use crate::structured::{Additional, ConvertError, Structured};

/// Any Graph object as its JSON properties, in the order received, losslessly: what an
/// operation answers when its page names no type the CSDL defines.
pub type Object = Map<String, Value>;

/// Whether the type `actual` (qualified, as in `@odata.type`) is `wanted` or derived from
/// it, by the CSDL's base types (ASCII case ignored).
pub fn is_a(actual: &str, wanted: &str) -> bool {
    let mut current = actual.trim_start_matches('#');
    // The hierarchy has no cycles; the bound only guards against a damaged table.
    for _ in 0..64 {
        if current.eq_ignore_ascii_case(wanted) {
            return true;
        }
        match base_of(current) {
            Some(base) if !base.is_empty() => current = base,
            _ => return false,
        }
    }
    false
}

/// The base type of a type the CSDL declares (`""` for none), `None` for a type it does not.
fn base_of(name: &str) -> Option<&'static str> {
    let bases = crate::generated::models::TYPE_BASES;
    bases
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .or_else(|| bases.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)))
        .map(|i| bases[i].1)
}

/// Converts a model to another model type it is (a [`Group`] out of the
/// [`DirectoryObject`]s of `memberOf`), or to a base type, without a request and without
/// losing anything.
pub trait Cast: Structured + Serialize {
    /// This value as `T`: an error when its type (its `@odata.type`, or its declared
    /// type) is not `T` nor derived from it, or when it does not read as `T`.
    ///
    /// A value whose `@odata.type` names a type this crate does not know (newer than it)
    /// is taken as its declared type: it casts to that type and its bases only.
    fn cast<T: Structured + DeserializeOwned>(&self) -> Result<T, ConvertError> {
        crate::structured::convert(self, |actual, wanted| {
            if base_of(actual.trim_start_matches('#')).is_some() {
                is_a(actual, wanted)
            } else {
                is_a(Self::ODATA_TYPE, wanted)
            }
        })
    }
}

impl<M: Structured + Serialize> Cast for M {}

/// What the models know about one CSDL type, as data (feature `by-name`): the rows of
/// [`SCHEMA`].
#[cfg(feature = "by-name")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSchema {
    /// An entity or complex type.
    Structured {
        /// Qualified name (`microsoft.graph.user`).
        name: &'static str,
        /// Qualified base type, `""` for none.
        base: &'static str,
        /// The structural properties it declares (inherited ones are its base's): JSON
        /// name and CSDL type (`Collection(microsoft.graph.assignedLicense)`, `Edm.String`).
        properties: &'static [(&'static str, &'static str)],
        /// The navigation properties it declares, likewise.
        navigation: &'static [(&'static str, &'static str)],
    },
    /// An enum type.
    Enum {
        /// Qualified name.
        name: &'static str,
        /// Whether a value is a comma-separated set of members.
        flags: bool,
        /// Every member.
        members: &'static [&'static str],
    },
}

#[cfg(feature = "by-name")]
impl TypeSchema {
    /// The qualified name.
    pub fn name(&self) -> &'static str {
        match self {
            TypeSchema::Structured { name, .. } | TypeSchema::Enum { name, .. } => name,
        }
    }
}

/// The schema of a CSDL type by its qualified name (ASCII case ignored), or by the name
/// operation definitions give it (`model::User`).
#[cfg(feature = "by-name")]
pub fn schema(name: &str) -> Option<&'static TypeSchema> {
    let name = name.trim_start_matches('#');
    let name = match TYPE_PATHS.binary_search_by(|(path, _)| (*path).cmp(name)) {
        Ok(i) => TYPE_PATHS[i].1,
        Err(_) => name,
    };
    SCHEMA
        .binary_search_by(|t| t.name().cmp(name))
        .ok()
        .or_else(|| {
            SCHEMA
                .iter()
                .position(|t| t.name().eq_ignore_ascii_case(name))
        })
        .map(|i| &SCHEMA[i])
}

/// Something a JSON value carries that the models do not know (feature `by-name`).
#[cfg(feature = "by-name")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// A property no type along the value's type and its bases declares (it is kept in
    /// `additional`).
    Property {
        /// Its JSON path (`$.value[0].futureProperty`).
        path: String,
    },
    /// An enum value that is not a member (kept as `Unrecognized`).
    EnumMember {
        /// Its JSON path.
        path: String,
        /// The enum type.
        enum_type: &'static str,
        /// The value.
        value: String,
    },
    /// An `@odata.type` naming a type the CSDL does not define (read as the declared type).
    Type {
        /// The JSON path of the object.
        path: String,
        /// The type it names.
        name: String,
    },
}

#[cfg(feature = "by-name")]
impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unknown::Property { path } => write!(f, "{path}: unknown property"),
            Unknown::EnumMember {
                path,
                enum_type,
                value,
            } => write!(f, "{path}: `{value}` is not a member of {enum_type}"),
            Unknown::Type { path, name } => write!(f, "{path}: unknown type {name}"),
        }
    }
}

/// What `value`, read as the type `type_name` (qualified, or as the definitions name it),
/// carries that the models do not know: properties, enum values and derived types, with
/// their JSON paths. Annotations (`@odata.context`, `manager@odata.bind`) are not
/// findings. An object's `@odata.type` selects the derived type it is checked against.
#[cfg(feature = "by-name")]
pub fn unknowns(type_name: &str, value: &Value) -> Vec<Unknown> {
    let mut out = Vec::new();
    let name = schema(type_name).map_or(type_name, |t| t.name());
    walk(name, value, "$", &mut out, 0);
    out
}

#[cfg(feature = "by-name")]
fn walk(ty: &str, value: &Value, path: &str, out: &mut Vec<Unknown>, depth: usize) {
    // Graph's JSON is shallow; the bound keeps hostile input from exhausting the stack.
    if depth > 64 {
        return;
    }
    if let Some(inner) = ty
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                walk(inner, item, &format!("{path}[{i}]"), out, depth + 1);
            }
        }
        return;
    }
    match (schema(ty), value) {
        (
            Some(TypeSchema::Enum {
                name,
                flags,
                members,
            }),
            Value::String(text),
        ) => {
            let parts: Vec<&str> = if *flags {
                text.split(',').map(str::trim).collect()
            } else {
                vec![text.as_str()]
            };
            for part in parts {
                if !members.contains(&part) {
                    out.push(Unknown::EnumMember {
                        path: path.to_owned(),
                        enum_type: name,
                        value: part.to_owned(),
                    });
                }
            }
        }
        (Some(TypeSchema::Structured { name, .. }), Value::Object(object)) => {
            let mut actual: &str = name;
            if let Some(said) = object.get("@odata.type").and_then(Value::as_str) {
                match schema(said) {
                    Some(t @ TypeSchema::Structured { .. }) => actual = t.name(),
                    _ => out.push(Unknown::Type {
                        path: path.to_owned(),
                        name: said.trim_start_matches('#').to_owned(),
                    }),
                }
            }
            for (key, item) in object {
                if key.contains('@') {
                    continue;
                }
                let child = format!("{path}.{key}");
                match declared(actual, key) {
                    Some(t) => walk(t, item, &child, out, depth + 1),
                    None => out.push(Unknown::Property { path: child }),
                }
            }
        }
        _ => {}
    }
}

/// The CSDL type of the property `key` of `ty` or of one of its bases.
#[cfg(feature = "by-name")]
fn declared(ty: &str, key: &str) -> Option<&'static str> {
    let mut current = schema(ty);
    for _ in 0..64 {
        let Some(TypeSchema::Structured {
            base,
            properties,
            navigation,
            ..
        }) = current
        else {
            return None;
        };
        if let Some((_, t)) = properties
            .iter()
            .chain(navigation.iter())
            .find(|(n, _)| *n == key)
        {
            return Some(t);
        }
        if base.is_empty() {
            return None;
        }
        current = schema(base);
    }
    None
}

impl AssignLicenseBody {
    /// The body of `assignLicense`: Graph requires both lists, so both are always sent
    /// (empty when there is nothing to add or remove).
    pub fn new(add: Vec<AssignedLicense>, remove: Vec<edm::Guid>) -> AssignLicenseBody {
        AssignLicenseBody {
            add_licenses: Field::Value(add),
            remove_licenses: Field::Value(remove),
            ..AssignLicenseBody::default()
        }
    }
}

impl AssignedLicense {
    /// A license of the SKU `sku_id`, with no plans disabled.
    pub fn new(sku_id: impl Into<edm::Guid>) -> AssignedLicense {
        AssignedLicense {
            sku_id: Field::Value(sku_id.into()),
            disabled_plans: Field::Value(Vec::new()),
            ..AssignedLicense::default()
        }
    }
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
        assert_eq!(user.account_enabled, Field::Value(true));
        assert_eq!(user.city.as_deref(), Some("city-value"));
        assert_eq!(user.company_name.as_deref(), Some("companyName-value"));
        assert_eq!(
            user.business_phones.as_deref(),
            Some(&["businessPhones-value".to_owned()][..])
        );
        let licenses = user.assigned_licenses.value().unwrap();
        assert_eq!(
            licenses[0].sku_id.value().map(edm::Guid::as_str),
            Some("skuId-value")
        );
        assert_eq!(
            licenses[0].disabled_plans.value().unwrap()[0].as_str(),
            "11b0131d-43c8-4bbb-b2c8-e80f9a50834a"
        );
        let plans = user.assigned_plans.value().unwrap();
        assert_eq!(
            plans[0].assigned_date_time.value().map(|t| t.as_str()),
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
            user.assigned_licenses.value().unwrap()[0].odata_type(),
            Some("microsoft.graph.assignedLicense")
        );
    }

    #[test]
    fn subscribed_skus_list_response_round_trips() {
        let page = example_json("subscribedsku-list.md", "response");
        let skus: Vec<SubscribedSku> = round_trip_collection(&page);
        assert!(!skus.is_empty());
        assert!(skus.iter().all(|s| s.sku_part_number.value().is_some()));
    }

    #[test]
    fn license_details_list_response_round_trips() {
        let page = example_json("user-list-licensedetails.md", "response");
        let details: Vec<LicenseDetails> = round_trip_collection(&page);
        assert!(details[0].sku_id.value().is_some());
    }

    #[test]
    fn assign_license_request_body_round_trips() {
        let body = example_json("user-assignlicense.md", "request");
        let parsed: AssignLicenseBody = round_trip(&body);
        assert!(parsed.add_licenses.value().is_some_and(|l| !l.is_empty()));
    }

    #[test]
    fn assign_license_body_always_sends_both_collections() {
        let body = AssignLicenseBody::new(vec![AssignedLicense::new("sku")], Vec::new());
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"addLicenses": [{"disabledPlans": [], "skuId": "sku"}], "removeLicenses": []})
        );
    }

    #[test]
    fn explicit_null_is_kept_and_absent_is_left_out() {
        let user: User =
            serde_json::from_value(json!({"id": "1", "mail": null, "businessPhones": []})).unwrap();
        assert_eq!(user.mail, Field::Null);
        assert_eq!(user.surname, Field::Absent);
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"id": "1", "businessPhones": [], "mail": null})
        );
    }

    #[test]
    fn enums_keep_members_they_do_not_know() {
        let state: LicenseAssignmentState =
            serde_json::from_value(json!({"state": "Active", "error": "SomethingNew"})).unwrap();
        assert_eq!(state.state.as_deref(), Some("Active"));
        let value = json!({"type": "singleInstance", "importance": "urgent-in-2030"});
        let event: Event = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            event.importance,
            Field::Value(Importance::Unrecognized("urgent-in-2030".into()))
        );
        assert_eq!(event.type_, Field::Value(EventType::SingleInstance));
        assert_eq!(serde_json::to_value(&event).unwrap(), value);
    }

    #[test]
    fn a_group_out_of_member_of() {
        let page = json!({"value": [
            {"@odata.type": "#microsoft.graph.group", "id": "g", "displayName": "Sales", "groupTypes": ["Unified"]},
            {"@odata.type": "#microsoft.graph.user", "id": "u", "displayName": "Adele"},
            {"@odata.type": "#microsoft.graph.futureThing", "id": "f", "shiny": true}
        ]});
        let members: Vec<DirectoryObject> = round_trip_collection(&page);
        let group: Group = members[0].cast().unwrap();
        assert_eq!(group.display_name.as_deref(), Some("Sales"));
        assert_eq!(group.group_types.value().unwrap()[0], "Unified");
        assert!(members[1].cast::<Group>().is_err());
        assert!(members[1].cast::<User>().is_ok());
        // A derived type this crate does not know stays a directory object, with
        // nothing lost; it casts to what it was declared as, not to a sibling.
        assert_eq!(members[2].additional["shiny"], true);
        assert!(members[2].cast::<DirectoryObject>().is_ok());
        assert!(members[2].cast::<Group>().is_err());
        // Every group is a directory object and an entity.
        assert!(is_a("microsoft.graph.group", "microsoft.graph.entity"));
        assert!(!is_a("microsoft.graph.entity", "microsoft.graph.group"));
    }

    #[cfg(feature = "by-name")]
    #[test]
    fn unknowns_name_what_the_models_do_not_know() {
        let value = json!({
            "@odata.type": "#microsoft.graph.event",
            "@odata.etag": "W/\"x\"",
            "calendar@odata.navigationLink": "https://graph.microsoft.com/v1.0/calendar",
            "importance": "urgent-in-2030",
            "futureThing": 1,
            "attendees": [{"type": "required", "status": {"response": "maybeLater"}}],
            "calendar": {"name": "Work", "newer": true},
        });
        // Declared as the base type; `@odata.type` selects the event's properties.
        let found: Vec<String> = unknowns("model::OutlookItem", &value)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "$.importance: `urgent-in-2030` is not a member of microsoft.graph.importance",
                "$.futureThing: unknown property",
                "$.attendees[0].status.response: `maybeLater` is not a member of microsoft.graph.responseType",
                "$.calendar.newer: unknown property",
            ]
        );
        let newer = json!({"@odata.type": "#microsoft.graph.futureItem", "id": "1"});
        assert_eq!(
            unknowns("microsoft.graph.outlookItem", &newer),
            [Unknown::Type {
                path: "$".into(),
                name: "microsoft.graph.futureItem".into()
            }]
        );
        assert!(
            unknowns(
                "microsoft.graph.user",
                &json!({"id": "1", "displayName": "A"})
            )
            .is_empty()
        );
        // Flags: each member of the set is checked.
        assert!(schema("microsoft.graph.weekIndex").is_some());
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        assert!(serde_json::from_value::<User>(json!([])).is_err());
        assert!(serde_json::from_value::<User>(json!({"accountEnabled": "yes"})).is_err());
        assert!(serde_json::from_value::<Group>(json!({"groupTypes": {}})).is_err());
    }
}
