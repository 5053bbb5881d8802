//! Naming rules for generated Rust names (documented in `docs/definition-language.md`).

/// Rust keywords (strict and reserved, 2024 edition) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a plain (non-keyword) Rust identifier.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !is_keyword(name)
}

/// `snake_case` of a camelCase, PascalCase, kebab-case or snake_case word
/// (`userPrincipalName` → `user_principal_name`, `item-path` → `item_path`,
/// `siteID` → `site_id`). Characters other than ASCII letters and digits separate words.
pub fn snake_case(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Makes a keyword usable as an identifier by appending `_` (`type` → `type_`).
pub fn unkeyword(name: String) -> String {
    if is_keyword(&name) { name + "_" } else { name }
}

/// The Rust argument name of a path placeholder: the text before the first `|`, trimmed,
/// snake-cased, keyword-escaped. `None` when that text has characters other than ASCII
/// letters, digits, `-` and `_`, or does not start with a letter or `_`.
pub fn param_name(raw: &str) -> Option<String> {
    let head = raw.split('|').next().unwrap_or("").trim();
    let mut chars = head.chars();
    if !matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    if !head
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let name = snake_case(head);
    if name.is_empty() {
        return None;
    }
    Some(unkeyword(name))
}

/// The singular of an English plural as Graph spells its collections (`messages` →
/// `message`, `policies` → `policy`, `mailboxes` → `mailbox`, `statuses` → `status`);
/// any other word is returned as it is. Case is kept.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let cut = |n: usize| word[..word.len() - n].to_owned();
    if lower.ends_with("ies") && word.len() > 3 {
        format!("{}y", cut(3))
    } else if lower.ends_with("sses")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
        || lower.ends_with("xes")
        || lower.ends_with("tuses")
    {
        cut(2)
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("tus")
        && !lower.ends_with("sus")
        && word.len() > 1
    {
        cut(1)
    } else {
        word.to_owned()
    }
}

/// `PascalCase` of a snake_case word (`member_of` → `MemberOf`).
pub fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The words of a path template that name constructors, in order: every literal segment
/// snake_cased, with placeholders (`{id}`), a function's parameters (`(period='{p}')`)
/// and `:` left out; a type cast (`microsoft.graph.group`, a dotted segment without
/// parentheses) is `as_group`, a namespaced function (`microsoft.graph.delta()`) is
/// `delta`; `$ref`, `$value` and `$count` are `ref`, `value` and `count`.
pub fn path_words(path: &str) -> Vec<String> {
    let mut words = Vec::new();
    for segment in graphspec_spec::path::bare_segments(path) {
        let segment = segment.text;
        let called = segment.contains('(');
        let name = segment.split('(').next().unwrap_or("");
        let (cast, local) = match name.rsplit_once('.') {
            Some((_, local)) => (!called, local),
            None => (false, name),
        };
        let word = snake_case(local);
        if word.is_empty() {
            continue;
        }
        words.push(if cast { format!("as_{word}") } else { word });
    }
    words
}

/// [`path_words`], and also the parameter names of a function call
/// (`getEmailActivityUserDetail(period='{p}')` → `…_detail_period`), `path` for an
/// item addressed by path (`root:/{item-path}:` → `root_path`), and each fixed query
/// option's name with its value's parameter names (`?$id=…/users/{user-id}` →
/// `…_id_user_id`): the words that tell apart forms whose [constructor
/// names](constructor_name) collide.
pub fn full_path_words(template: &str) -> Vec<String> {
    let path = graphspec_spec::path::path_part(template);
    let mut words = Vec::new();
    for segment in path.split('/') {
        words.extend(path_words(&format!("/{segment}")));
        if segment.contains('(') {
            words.extend(call_words(segment));
        } else if segment.starts_with('{')
            && segment.ends_with(':')
            && words.last().is_none_or(|w| w != "path")
        {
            words.push("path".to_owned());
        }
    }
    let (parsed, _) = graphspec_spec::path::parse(template);
    for option in &parsed.query {
        let word = snake_case(option.name.trim_start_matches('$'));
        let params = option
            .value
            .iter()
            .filter_map(|piece| piece.param())
            .filter_map(|n| parsed.params.get(n))
            .filter_map(|raw| param_name(raw))
            .filter(|p| *p != word)
            .collect::<Vec<_>>();
        words.push(word);
        words.extend(params);
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The names of a template's fixed query options, snake_cased without `$`
/// (`?includeHiddenFolders=true` → `include_hidden_folders`): what a form with a fixed
/// query adds to a constructor name it would share with a form without one.
pub fn query_words(template: &str) -> Vec<String> {
    graphspec_spec::path::parse(template)
        .0
        .query
        .iter()
        .map(|o| snake_case(o.name.trim_start_matches('$')))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The names of the parameters of a template's function calls, snake_cased, in path
/// order (`…/usedRange(valuesOnly={valuesOnly})` → `values_only`).
pub fn call_words(template: &str) -> Vec<String> {
    let path = graphspec_spec::path::path_part(template);
    let mut words = Vec::new();
    for segment in path.split('/') {
        if let Some((_, args)) = segment.split_once('(') {
            for arg in args.trim_end_matches(')').split(',') {
                if let Some((name, _)) = arg.split_once('=') {
                    let word = snake_case(name);
                    if !word.is_empty() {
                        words.push(word);
                    }
                }
            }
        }
    }
    words
}

/// [`constructor_name`], with the words a form's arguments add: the parameter names of
/// its function calls ([`call_words`]), then its fixed query's options
/// ([`query_words`]): `me_drive_root_token` for `/me/drive/root/delta(token='{token}')`
/// of `Delta`, `me_include_hidden_folders`; a bare `new` becomes those words. The first
/// tie-break of [`constructor_overrides`], which leaves a form without arguments its
/// name.
pub fn constructor_name_with_arguments(operation: &str, template: &str) -> String {
    let name = constructor_name(operation, template);
    let mut added = call_words(template);
    added.extend(query_words(template));
    match (added.is_empty(), name.as_str()) {
        (true, _) => name,
        (false, "new") => unkeyword(added.join("_")),
        (false, _) => format!("{name}_{}", added.join("_")),
    }
}

/// The constructor name of a request form of the operation `operation` (the rule in
/// `docs/naming.md`): the form's [path words](path_words) joined by `_`, after dropping
/// from the end every word the operation's name ends with (as written or singular,
/// PascalCased: `ListMessages` drops `messages`, `GetUser` drops `users`); a form left
/// with no word is `new`. It depends only on the form and the operation's name, so
/// adding a form never renames another.
pub fn constructor_name(operation: &str, path: &str) -> String {
    let mut words = path_words(path);
    let mut rest = operation;
    while let Some(last) = words.last() {
        let plain = pascal_case(last);
        let single = pascal_case(&singular(last));
        let matched = [plain, single]
            .into_iter()
            .find(|w| !w.is_empty() && rest.ends_with(w.as_str()));
        match matched {
            Some(w) => {
                rest = &rest[..rest.len() - w.len()];
                words.pop();
            }
            None => break,
        }
    }
    if words.is_empty() {
        "new".to_owned()
    } else {
        unkeyword(words.join("_"))
    }
}

/// For the forms (`paths`) of the operation `operation`, the explicit constructor names
/// (`as name`) a generator writes so that no two collide: `None` where
/// [`constructor_name`] is unique; otherwise, for a form with a function call's
/// arguments or a fixed query, the name with their [words](constructor_name_with_arguments)
/// (the form without keeps the plain name); for forms still tied, the [full path words](full_path_words), and if
/// those still collide (or are no identifier), that name with `_2`, `_3`, … from the
/// second form on.
pub fn constructor_overrides(operation: &str, paths: &[&str]) -> Vec<Option<String>> {
    let plain: Vec<String> = paths
        .iter()
        .map(|p| constructor_name(operation, p))
        .collect();
    let derived: Vec<String> = paths
        .iter()
        .zip(&plain)
        .map(|(p, name)| {
            if plain.iter().filter(|n| *n == name).count() > 1 {
                constructor_name_with_arguments(operation, p)
            } else {
                name.clone()
            }
        })
        .collect();
    let fulls: Vec<String> = paths
        .iter()
        .map(|p| unkeyword(full_path_words(p).join("_")))
        .collect();
    let params: Vec<Vec<String>> = paths
        .iter()
        .map(|p| {
            graphspec_spec::path::parse(p)
                .0
                .params
                .iter()
                .filter_map(|raw| param_name(raw))
                .collect()
        })
        .collect();
    let mut out: Vec<Option<String>> = vec![None; paths.len()];
    let mut used: Vec<String> = Vec::new();
    for (i, name) in derived.iter().enumerate() {
        let shared = derived.iter().filter(|n| *n == name).count() > 1;
        let mut chosen = if shared {
            let full = &fulls[i];
            // Forms whose full path words are the same too: the one with the fewest
            // parameters keeps them; one with more (an item of what the other lists, an
            // action on one item) takes `_by_` and its last parameter's name.
            let fewest = (0..paths.len())
                .filter(|&j| derived[j] == *name && fulls[j] == *full)
                .map(|j| params[j].len())
                .min()
                .unwrap_or(0);
            let by = match params[i].last() {
                Some(last) if params[i].len() > fewest => format!("{full}_by_{last}"),
                _ => full.clone(),
            };
            if is_identifier(&by) {
                by
            } else {
                "form".to_owned()
            }
        } else {
            name.clone()
        };
        if used.contains(&chosen) || !is_identifier(&chosen) {
            let base = if is_identifier(&chosen) {
                chosen.clone()
            } else {
                "form".to_owned()
            };
            let mut n = 2;
            chosen = format!("{base}_{n}");
            while used.contains(&chosen) || derived.contains(&chosen) {
                n += 1;
                chosen = format!("{base}_{n}");
            }
        }
        if chosen != plain[i] {
            out[i] = Some(chosen.clone());
        }
        used.push(chosen);
    }
    out
}

/// The builder method name for a header (`ConsistencyLevel` → `consistency_level`,
/// `If-Match` → `if_match`).
pub fn header_method(header: &str) -> String {
    unkeyword(snake_case(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_names_follow_the_documented_rule() {
        assert_eq!(param_name("id | userPrincipalName").as_deref(), Some("id"));
        assert_eq!(param_name("user-id").as_deref(), Some("user_id"));
        assert_eq!(param_name("userId").as_deref(), Some("user_id"));
        assert_eq!(param_name("period_value").as_deref(), Some("period_value"));
        assert_eq!(param_name("type").as_deref(), Some("type_"));
        assert_eq!(param_name("siteID").as_deref(), Some("site_id"));
        assert_eq!(param_name("9lives"), None);
        assert_eq!(param_name("a b"), None);
        assert_eq!(param_name(""), None);
    }

    #[test]
    fn constructor_names_follow_the_documented_rule() {
        assert_eq!(constructor_name("GetUser", "/users/{id}"), "new");
        assert_eq!(constructor_name("GetUser", "/me"), "me");
        assert_eq!(constructor_name("ListMessages", "/me/messages"), "me");
        assert_eq!(
            constructor_name(
                "ListMessages",
                "/users/{id}/mailFolders/{folder-id}/messages"
            ),
            "users_mail_folders"
        );
        assert_eq!(
            constructor_name(
                "ReprocessLicenseAssignment",
                "/users/{id}/reprocessLicenseAssignment"
            ),
            "users"
        );
        assert_eq!(
            constructor_name("DeleteMemberRef", "/groups/{id}/members/{member-id}/$ref"),
            "groups"
        );
        assert_eq!(
            constructor_name(
                "ListMemberOfAsGroup",
                "/users/{id}/memberOf/microsoft.graph.group"
            ),
            "users"
        );
        assert_eq!(
            constructor_name("GetItem", "/drives/{d}/items/{i}"),
            "drives"
        );
        assert_eq!(
            constructor_name("GetItem", "/drives/{d}/root:/{path}:"),
            "drives_root"
        );
        assert_eq!(
            constructor_name(
                "GetEmailActivityCounts",
                "/reports/getEmailActivityCounts(period='{period_value}')"
            ),
            "reports"
        );
        assert_eq!(constructor_name("Get", "/users/{id}"), "users");
        assert_eq!(
            constructor_name("Delta", "/users/microsoft.graph.delta()"),
            "users"
        );
    }

    #[test]
    fn colliding_constructors_are_named_by_their_full_path() {
        assert_eq!(
            constructor_overrides("GetDrive", &["/drives/{id}", "/drive", "/me/drive"]),
            [Some("drives".to_owned()), Some("drive".to_owned()), None]
        );
        assert_eq!(
            constructor_overrides(
                "GetEmailActivityUserDetail",
                &[
                    "/reports/getEmailActivityUserDetail(period='{period_value}')",
                    "/reports/getEmailActivityUserDetail(date={date_value})"
                ]
            ),
            [
                Some("reports_period".to_owned()),
                Some("reports_date".to_owned())
            ]
        );
        assert_eq!(
            constructor_overrides(
                "SetContent",
                &[
                    "/drives/{drive-id}/items/{item-id}/content",
                    "/drives/{drive-id}/items/{parent-id}:/{filename}:/content"
                ]
            ),
            [
                Some("drives_items_content".to_owned()),
                Some("drives_items_path_content".to_owned())
            ]
        );
        assert_eq!(
            constructor_overrides("GetUser", &["/users/{id}", "/users/{upn}"]),
            [Some("users".to_owned()), Some("users_2".to_owned())]
        );
        // An item of what another form lists: `_by_` and its key's name.
        assert_eq!(
            constructor_overrides(
                "GetPresence",
                &[
                    "/me/presence",
                    "/communications/presences",
                    "/communications/presences/{presence-id}"
                ]
            ),
            [
                None,
                Some("communications_presences".to_owned()),
                Some("communications_presences_by_presence_id".to_owned())
            ]
        );
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("messages"), "message");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("calendarGroups"), "calendarGroup");
        assert_eq!(singular("address"), "address");
        assert_eq!(singular("mailboxes"), "mailbox");
        assert_eq!(singular("statuses"), "status");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("subscribedSkus"), "subscribedSku");
    }

    #[test]
    fn header_methods() {
        assert_eq!(header_method("ConsistencyLevel"), "consistency_level");
        assert_eq!(header_method("If-Match"), "if_match");
    }
}
