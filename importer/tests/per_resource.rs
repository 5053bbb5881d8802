//! Pages whose permissions table has one row per resource, or one table per anchored
//! sub-heading, read from both real editions (ru-RU 2023, ja-JP 2019): every request
//! form gets the table of the row its path addresses (`graphspec_importer::split`), never
//! the union of every row.

use std::path::{Path, PathBuf};

use graphspec_codegen::model::{Operation, RowValue};
use graphspec_importer::csdl::Metadata;
use graphspec_importer::{import, read};
use graphspec_spec::Scheme;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

fn metadata() -> Metadata {
    let xml = std::fs::read_to_string(shared().join("graph-metadata/v1.0-metadata.xml"))
        .expect("the CSDL in ../shared");
    Metadata::parse(&xml).unwrap()
}

/// The operations the page `stem` of `edition` became.
fn operations(edition: &str, stem: &str, metadata: &Metadata) -> Vec<Operation> {
    let file = shared().join(format!("graph-docs/{edition}/v1.0/api/{stem}.md"));
    let pages = read::read_files(&[file], &mut |_, _| {}).unwrap();
    let import = import(pages, None, Some(metadata), edition);
    import
        .modules
        .into_values()
        .flat_map(|m| m.operations)
        .collect()
}

fn scopes(op: &Operation, scheme: Scheme) -> Option<Vec<String>> {
    match &op.permissions.row(scheme)?.value {
        RowValue::Scopes(alternatives) => Some(
            alternatives
                .iter()
                .flatten()
                .map(|s| s.value.clone())
                .collect(),
        ),
        _ => None,
    }
}

fn serving<'a>(ops: &'a [Operation], path_part: &str) -> &'a Operation {
    ops.iter()
        .find(|op| op.forms.iter().any(|f| f.path.value.contains(path_part)))
        .unwrap_or_else(|| panic!("no operation sends a path with {path_part}"))
}

#[test]
fn each_resource_gets_its_own_rows_table_in_both_editions() {
    let metadata = metadata();
    for edition in ["ru-RU", "ja-JP"] {
        let ops = operations(edition, "opentypeextension-get", &metadata);
        assert!(ops.len() >= 5, "{edition}: {} operations", ops.len());
        // Every form belongs to exactly one operation.
        let forms: usize = ops.iter().map(|op| op.forms.len()).sum();
        let mut paths: Vec<&str> = ops
            .iter()
            .flat_map(|op| op.forms.iter().map(|f| f.path.value.as_str()))
            .collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), forms, "{edition}");

        let device = serving(&ops, "/devices/");
        assert_eq!(
            scopes(device, Scheme::DelegatedWork).unwrap(),
            ["Directory.Read.All"],
            "{edition}"
        );
        assert_eq!(scopes(device, Scheme::DelegatedPersonal), None, "{edition}");

        let message = serving(&ops, "/messages/");
        for scheme in Scheme::ALL {
            let listed = scopes(message, scheme).unwrap();
            assert!(
                listed.contains(&"Mail.Read".to_owned()),
                "{edition} {scheme:?}"
            );
            assert!(
                listed.iter().all(|s| s.starts_with("Mail.")),
                "{edition} {scheme:?}: {listed:?}"
            );
        }
        let user_extension = ops
            .iter()
            .find(|op| {
                op.forms.iter().any(|f| {
                    f.path.value.ends_with("/extensions/{extensionId}")
                        && f.path.value.starts_with("/me/extensions")
                })
            })
            .or_else(|| Some(serving(&ops, "/users/{Id|userPrincipalName}/extensions")))
            .unwrap();
        assert_eq!(
            scopes(user_extension, Scheme::DelegatedWork).unwrap(),
            ["User.Read"],
            "{edition}"
        );
    }
}

#[test]
fn attachments_of_events_messages_and_posts_are_separate_operations() {
    let metadata = metadata();
    // The 2019 ja-JP page gives these permissions as a bulleted list, not a table: it is
    // not imported (`permissions.no-table`).
    let edition = "ru-RU";
    let ops = operations(edition, "attachment-get", &metadata);
    assert!(ops.len() >= 2, "{edition}: {} operations", ops.len());
    let post = serving(&ops, "/posts/");
    assert_eq!(scopes(post, Scheme::DelegatedPersonal), None, "{edition}");
    assert!(
        scopes(post, Scheme::DelegatedWork)
            .unwrap()
            .iter()
            .all(|s| s.starts_with("Group.")),
        "{edition}"
    );
    let message = serving(&ops, "/messages/");
    assert!(
        scopes(message, Scheme::Application)
            .unwrap()
            .iter()
            .all(|s| s.starts_with("Mail.")),
        "{edition}"
    );
}

/// All scopes of every scheme of `op`.
fn all_scopes(op: &Operation) -> Vec<String> {
    Scheme::ALL
        .into_iter()
        .flat_map(|scheme| scopes(op, scheme).unwrap_or_default())
        .collect()
}

/// Pages with one permissions table per sub-heading, whose anchors (English in every
/// edition) say what each table is for: each form gets the table of what its path
/// addresses.
#[test]
fn tables_under_anchored_sub_headings_are_kept_apart() {
    let metadata = metadata();
    // ru-RU: the signed-in user's requests and another user's.
    let ops = operations("ru-RU", "authentication-list-methods", &metadata);
    let mine = serving(&ops, "/me/authentication/methods");
    let theirs = serving(&ops, "/users/");
    assert_eq!(
        scopes(mine, Scheme::DelegatedWork).unwrap(),
        [
            "UserAuthenticationMethod.Read",
            "UserAuthenticationMethod.ReadWrite"
        ]
    );
    assert_eq!(scopes(mine, Scheme::Application), None);
    assert_eq!(
        scopes(theirs, Scheme::Application).unwrap(),
        [
            "UserAuthenticationMethod.Read.All",
            "UserAuthenticationMethod.ReadWrite.All"
        ]
    );
    assert_eq!(mine.forms.len() + theirs.forms.len(), 2);

    // ru-RU: a channel's messages and a chat's.
    let ops = operations("ru-RU", "chatmessage-get", &metadata);
    let channel = all_scopes(serving(&ops, "/channels/"));
    let chat = all_scopes(serving(&ops, "/chats/"));
    assert!(channel.contains(&"ChannelMessage.Read.All".to_owned()));
    assert!(
        channel.iter().all(|s| !s.starts_with("Chat.")),
        "{channel:?}"
    );
    assert!(chat.iter().all(|s| s.starts_with("Chat.")), "{chat:?}");

    // ru-RU: member checks per object type.
    let ops = operations("ru-RU", "directoryobject-checkmembergroups", &metadata);
    let device = all_scopes(serving(&ops, "/devices/"));
    let group = all_scopes(serving(&ops, "/groups/"));
    assert!(device.contains(&"Device.Read.All".to_owned()), "{device:?}");
    assert!(device.iter().all(|s| !s.starts_with("User.")), "{device:?}");
    assert!(group.iter().all(|s| !s.starts_with("Device.")), "{group:?}");
    assert!(ops.len() >= 6, "{} operations", ops.len());

    // ru-RU: a team's photo, whose table writes `TeamReadBasicAll`: the only permission
    // that name spells without its dots.
    let ops = operations("ru-RU", "profilephoto-get", &metadata);
    let team = serving(&ops, "/team/");
    assert_eq!(
        scopes(team, Scheme::Application).unwrap(),
        [
            "Team.ReadBasic.All",
            "TeamSettings.Read.All",
            "TeamSettings.ReadWrite.All"
        ]
    );

    // Both editions: deleted items cast to their type.
    for edition in ["ru-RU", "ja-JP"] {
        let ops = operations(edition, "directory-deleteditems-list", &metadata);
        let users = all_scopes(serving(&ops, "/microsoft.graph.user"));
        let groups = all_scopes(serving(&ops, "/microsoft.graph.group"));
        assert!(users.contains(&"User.Read.All".to_owned()), "{edition}");
        assert!(
            users.iter().all(|s| !s.starts_with("Group.")),
            "{edition}: {users:?}"
        );
        assert!(
            groups.iter().all(|s| !s.starts_with("User.")),
            "{edition}: {groups:?}"
        );
    }
}

#[test]
fn rows_labelled_in_prose_are_told_apart_by_their_scopes() {
    // calendar-get's rows are "the user's calendar" and "the group's calendar" in the
    // page's language: no link, no code, no anchor. Their scopes name what they grant
    // (`Calendars.…`, `Group.…`).
    let metadata = metadata();
    for edition in ["ru-RU", "ja-JP"] {
        for stem in [
            "calendar-get",
            "calendar-list-events",
            "calendar-post-events",
        ] {
            let ops = operations(edition, stem, &metadata);
            assert_eq!(ops.len(), 2, "{edition} {stem}");
            let group = serving(&ops, "/groups/");
            assert!(
                group
                    .forms
                    .iter()
                    .all(|f| f.path.value.starts_with("/groups/")),
                "{edition} {stem}"
            );
            assert!(
                scopes(group, Scheme::DelegatedWork)
                    .unwrap()
                    .iter()
                    .all(|s| s.starts_with("Group.")),
                "{edition} {stem}"
            );
            assert!(
                scopes(group, Scheme::Application).is_none(),
                "{edition} {stem}"
            );
            let user = serving(&ops, "/me/");
            assert!(
                user.forms
                    .iter()
                    .all(|f| !f.path.value.starts_with("/groups/")),
                "{edition} {stem}"
            );
            assert!(
                scopes(user, Scheme::DelegatedWork)
                    .unwrap()
                    .iter()
                    .all(|s| s.starts_with("Calendars.")),
                "{edition} {stem}"
            );
        }
    }
    // One form, a table per deleted object's type: `Directory.…` fits the path, but the
    // `user` and `group` rows would fit no form, so the table stays merged.
    let ops = operations("ru-RU", "directory-deleteditems-delete", &metadata);
    assert_eq!(ops.len(), 1);
    let work = scopes(&ops[0], Scheme::DelegatedWork).unwrap();
    assert!(work.iter().any(|s| s.starts_with("User.")), "{work:?}");
    assert!(work.iter().any(|s| s.starts_with("Group.")), "{work:?}");
}

#[test]
fn a_form_no_table_names_takes_the_one_table_no_form_takes() {
    // group-list-settings: `list-tenant-wide-settings` and `list-group-specific-settings`.
    // The group table names `/groups/{id}/settings`; `/groupSettings` takes the other.
    // (The 2019 ja-JP edition gives one table.)
    let metadata = metadata();
    let edition = "ru-RU";
    for stem in ["group-list-settings", "groupsetting-get"] {
        let ops = operations(edition, stem, &metadata);
        assert_eq!(ops.len(), 2, "{stem}");
        let tenant = serving(&ops, "/groupSettings");
        assert_eq!(
            scopes(tenant, Scheme::Application).unwrap(),
            ["Directory.Read.All", "Directory.ReadWrite.All"],
            "{stem}"
        );
        let group = serving(&ops, "/groups/");
        assert!(
            scopes(group, Scheme::Application)
                .unwrap()
                .iter()
                .all(|s| s.starts_with("Group.")),
            "{stem}"
        );
    }
}
