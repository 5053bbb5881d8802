//! Stage 4, names: the Rust name of every generated operation, read from its HTTP
//! request, so that a user who knows the request can predict the name (the rule, with
//! examples, is `docs/naming.md`).
//!
//! 1. **The naming request** is the operation's first form whose path does not start
//!    with `/me`; when every form does, the first, with `/me` read as `/users/{id}`.
//! 2. From the end of its path: `$ref`, `$value` and `$count` become the suffixes `Ref`,
//!    `Value` and `Count`; a type cast (`microsoft.graph.group`) becomes `AsGroup`; a
//!    placeholder (`{id}`) means the request addresses one item *by key*; the first other
//!    segment is the **target**.
//! 3. A target that is an action or function (written with parentheses, or named in the
//!    CSDL as a bound action or function and as no property) is the name itself: `AssignLicense`, `Delta`,
//!    `GetEmailActivityCounts`.
//! 4. Otherwise the name is a verb chosen by the method, then the target PascalCased:
//!    `GET` → `List` when the path addresses a collection (an entity set or a collection
//!    navigation property in the CSDL; without an answer there, when the page's response
//!    is one), else `Get`; `POST` → `Create`;
//!    `PATCH` → `Update`; `PUT` → `Set`; `DELETE` → `Delete`. The target is singular
//!    ([`naming::singular`]) when addressed by key or created (`GetMessage`,
//!    `CreateUser`), as written otherwise (`ListMessages`, `GetMailboxSettings`).
//! 5. When operations of one module get the same name, the one whose path has more
//!    literal segments before the target puts the nearest of them in front of the target
//!    (singular when a key follows it: `ListCalendarEvents`), and again until the names
//!    differ; operations that tie all do. Then an operation whose every request is under
//!    `/me` takes `My` after its verb (`ListMyMethods` beside `ListMethods`, where the
//!    docs give the signed-in user's requests their own permissions), and an operation
//!    whose naming request has a fixed query (the request's own parameters,
//!    `?format={format}`) takes `By` and the options' names (`GetContentByFormat`,
//!    `ListSitesBySearch`). Names that nothing
//!    tells apart get `2`, `3`, … in page order, an operation whose requests were
//!    written with a query string after those written without (listed in
//!    `IMPORT-REPORT.md`).
//!
//! Constructors follow [`naming::constructor_name`]; the forms of one operation whose
//! constructors would collide are named `as` their full path words.

use std::collections::{BTreeMap, BTreeSet};

use graphspec_codegen::model::{Operation, ResponseBody, Spanned};
use graphspec_codegen::naming;

use crate::csdl::Metadata;

/// What the CSDL tells the rule: which segments are bound actions or functions, and
/// which address collections.
pub struct Context<'m> {
    names: BTreeSet<String>,
    metadata: Option<&'m Metadata>,
}

impl<'m> Context<'m> {
    /// The bound actions and functions of `metadata` (none without it), less the names
    /// that are also a property or navigation property of some type (`columns` is an
    /// Excel function and a list's columns): such a segment is read as the property.
    pub fn new(metadata: Option<&'m Metadata>) -> Self {
        let Some(metadata) = metadata else {
            return Context {
                names: BTreeSet::new(),
                metadata: None,
            };
        };
        let properties: BTreeSet<String> = metadata
            .structured
            .values()
            .flat_map(|t| {
                t.properties
                    .iter()
                    .map(|p| p.name.as_str())
                    .chain(t.navigation.iter().map(|n| n.property.name.as_str()))
            })
            .map(str::to_ascii_lowercase)
            .collect();
        let names = metadata
            .callables
            .iter()
            .filter(|c| c.is_bound)
            .map(|c| {
                c.name
                    .rsplit('.')
                    .next()
                    .unwrap_or(&c.name)
                    .to_ascii_lowercase()
            })
            .filter(|local| !properties.contains(local))
            .collect();
        Context {
            names,
            metadata: Some(metadata),
        }
    }

    /// Whether the CSDL says the last segment of `path` named `target` addresses a
    /// collection (`None` when it does not say).
    fn collection(&self, path: &str, target: &str) -> Option<bool> {
        self.metadata?
            .path_segments(path)
            .iter()
            .rev()
            .find(|s| s.word.eq_ignore_ascii_case(target))?
            .collection
    }

    fn contains(&self, local: &str) -> bool {
        self.names.contains(&local.to_ascii_lowercase())
    }
}

/// One segment of a naming path, read from the end.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `{id}`, `{path}:`: an item addressed by key.
    Key,
    /// `$ref`, `$value`, `$count`: a suffix word.
    Suffix(&'static str),
    /// `microsoft.graph.group`: a cast to this type (local name).
    Cast(String),
    /// An action or function call, by its local name.
    Call(String),
    /// Any other literal segment.
    Literal(String),
}

fn segments(path: &str, context: &Context) -> Vec<Segment> {
    let mut out = Vec::new();
    for segment in graphspec_spec::path::bare_segments(path) {
        let (bare, had_key) = (segment.text, segment.keyed);
        let called = bare.contains('(');
        let name = bare.split('(').next().unwrap_or("").trim_matches(':');
        let word: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '$')
            .collect();
        let segment = match word.as_str() {
            "" if had_key => Segment::Key,
            "" => continue,
            "$ref" => Segment::Suffix("Ref"),
            "$value" => Segment::Suffix("Value"),
            "$count" => Segment::Suffix("Count"),
            w => {
                let w = w.trim_start_matches('$');
                let (dotted, local) = match w.rsplit_once('.') {
                    Some((_, local)) => (true, local),
                    None => (false, w),
                };
                if local.is_empty() {
                    continue;
                }
                if called || context.contains(local) {
                    Segment::Call(local.to_owned())
                } else if dotted {
                    Segment::Cast(local.to_owned())
                } else {
                    Segment::Literal(local.to_owned())
                }
            }
        };
        out.push(segment);
    }
    out
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// An operation's name before module collisions are resolved, with the qualifiers it
/// can take.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    /// The verb (empty for a call).
    verb: String,
    /// The target, PascalCased (singular where the rule says so).
    target: String,
    /// Casts and suffixes after the target.
    tail: String,
    /// The literal segments before the target, nearest first, PascalCased (singular
    /// when a key follows them).
    qualifiers: Vec<String>,
    /// `By` and the naming form's fixed query options, PascalCased (`ByFormat`); empty
    /// without a fixed query.
    by_query: String,
    /// Whether every form addresses the signed-in user's resources (`/me/…`).
    mine: bool,
}

impl Parts {
    fn name(&self, qualified: usize) -> String {
        self.name_with(qualified, false)
    }

    /// The name, with `My` after the verb when `my` (the signed-in user's operation of a
    /// shared name).
    fn name_with(&self, qualified: usize, my: bool) -> String {
        let mut name = self.verb.clone();
        if my {
            name.push_str("My");
        }
        for q in self.qualifiers[..qualified].iter().rev() {
            name.push_str(q);
        }
        name.push_str(&self.target);
        name.push_str(&self.tail);
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert_str(0, "Op");
        }
        if name.is_empty() {
            name.push_str("Operation");
        }
        name
    }
}

/// Whether `template` addresses the signed-in user's resources (`/me`, `/me/…`).
fn under_me(template: &str) -> bool {
    let p = template.trim_start_matches('/');
    p.split(['/', '?']).next() == Some("me")
}

/// The path an operation is named after (rule 1).
fn naming_path(op: &Operation) -> String {
    if let Some(form) = op.forms.iter().find(|f| !under_me(&f.path.value)) {
        return form.path.value.clone();
    }
    match op.forms.first() {
        Some(form) => {
            let rest = form.path.value.trim_start_matches('/');
            let rest = rest.strip_prefix("me").unwrap_or(rest);
            format!("/users/{{id}}{rest}")
        }
        None => String::new(),
    }
}

fn parts(op: &Operation, context: &Context) -> Parts {
    let path = naming_path(op);
    let method = op
        .forms
        .first()
        .map(|f| f.method.value.to_ascii_uppercase())
        .unwrap_or_default();
    let segs = segments(&path, context);
    let mut tail = Vec::new();
    let mut by_key = false;
    let mut index = segs.len();
    let mut target = None;
    while index > 0 {
        index -= 1;
        match &segs[index] {
            Segment::Key => by_key = true,
            Segment::Suffix(s) => tail.push((*s).to_owned()),
            Segment::Cast(t) => tail.push(format!("As{}", upper_first(t))),
            other => {
                target = Some(other.clone());
                break;
            }
        }
    }
    tail.reverse();
    let mut qualifiers = Vec::new();
    let mut keyed = false;
    for seg in segs[..index].iter().rev() {
        match seg {
            Segment::Key => keyed = true,
            Segment::Literal(w) | Segment::Call(w) | Segment::Cast(w) => {
                let w = if keyed {
                    naming::singular(w)
                } else {
                    w.clone()
                };
                qualifiers.push(upper_first(&w));
                keyed = false;
            }
            Segment::Suffix(_) => {}
        }
    }
    let (verb, target) = match target {
        Some(Segment::Call(name)) => (String::new(), upper_first(&name)),
        Some(Segment::Literal(word)) => {
            // The CSDL says whether the path addresses a collection; the page's response
            // only when it does not.
            let collection = context
                .collection(&path, &word)
                .unwrap_or(matches!(op.response.body, ResponseBody::Collection(_)));
            let verb = match method.as_str() {
                "GET" if collection && !by_key => "List",
                "GET" => "Get",
                "POST" => "Create",
                "PATCH" => "Update",
                "PUT" => "Set",
                "DELETE" => "Delete",
                _ => "Call",
            };
            let word = if by_key || verb == "Create" {
                naming::singular(&word)
            } else {
                word
            };
            (verb.to_owned(), upper_first(&word))
        }
        _ => (upper_first(&method.to_ascii_lowercase()), String::new()),
    };
    let (fixed, _) = graphspec_spec::path::parse(&path);
    let by_query = if fixed.query.is_empty() {
        String::new()
    } else {
        let words: String = fixed
            .query
            .iter()
            .map(|o| upper_first(o.name.trim_start_matches('$')))
            .collect();
        format!("By{words}")
    };
    let mine = !op.forms.is_empty() && op.forms.iter().all(|f| under_me(&f.path.value));
    Parts {
        verb,
        target,
        tail: tail.concat(),
        qualifiers,
        by_query,
        mine,
    }
}

/// A name given by rule 5's last step (a number), for a `naming.renamed` note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    /// The operation's index in the module.
    pub index: usize,
    /// The name the rule gave before numbering.
    pub wanted: String,
}

/// Names the operations of one module by the rule (see [the module](self)): sets each
/// operation's name and, where two of its forms would share a constructor, names them
/// `as` their full path words. `queried` tells, per operation, whether every form was
/// written with a query string. Operations are numbered in the given (page) order, those
/// written without a query first. Returns the operations that had to be numbered.
pub fn name_module(ops: &mut [Operation], queried: &[bool], context: &Context) -> Vec<Numbered> {
    let all: Vec<Parts> = ops.iter().map(|op| parts(op, context)).collect();
    let mut used = vec![0usize; ops.len()];
    loop {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in all.iter().enumerate() {
            by_name.entry(p.name(used[i])).or_default().push(i);
        }
        let mut grew = false;
        for group in by_name.values().filter(|g| g.len() > 1) {
            let left: Vec<usize> = group
                .iter()
                .map(|&i| all[i].qualifiers.len() - used[i])
                .collect();
            let most = left.iter().copied().max().unwrap_or(0);
            let rest = |i: usize| &all[i].qualifiers[used[i]..];
            if most == 0 || group.iter().all(|&i| rest(i) == rest(group[0])) {
                // No qualifier can tell them apart: they are numbered.
                continue;
            }
            for (&i, &l) in group.iter().zip(&left) {
                if l == most {
                    used[i] += 1;
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
    let mut wanted: Vec<String> = all.iter().zip(&used).map(|(p, &u)| p.name(u)).collect();
    // Names the path cannot tell apart: the operation of the signed-in user's requests
    // (every form under `/me`) takes `My` after its verb (`ListMyMethods` beside
    // `ListMethods`), and an operation whose request has a fixed query names its options
    // (`GetContentByFormat`).
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for name in &wanted {
        *count.entry(name.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = wanted.iter().map(|n| count[n.as_str()] > 1).collect();
    for (i, name) in wanted.iter_mut().enumerate() {
        if shared[i] {
            *name = all[i].name_with(used[i], all[i].mine);
            name.push_str(&all[i].by_query);
        }
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut numbered = Vec::new();
    // Operations written without a query string first: they keep a shared name.
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&i| (queried.get(i).copied().unwrap_or(false), i));
    for i in order {
        let op = &mut ops[i];
        let mut name = wanted[i].clone();
        if taken.contains(&name) {
            let mut n = 2;
            while taken.contains(&format!("{name}{n}")) {
                n += 1;
            }
            name = format!("{name}{n}");
            numbered.push(Numbered {
                index: i,
                wanted: wanted[i].clone(),
            });
        }
        taken.insert(name.clone());
        op.name = Spanned::unspanned(name);
        crate::read::names::name_constructors(op);
    }
    numbered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::tests::operation;

    fn op(forms: &[(&str, &str)], collection: bool) -> Operation {
        let forms: String = forms
            .iter()
            .map(|(m, p)| format!("{m} \"{p}\",\n"))
            .collect();
        let response = if collection {
            "[crate::model::Object]"
        } else {
            "crate::model::Object"
        };
        operation(&format!(
            r#"pub struct X {{
                {forms}
                permissions: {{ DelegatedWork: ["User.Read"], DelegatedPersonal: ["User.Read"], Application: ["User.Read.All"] }},
                response: 200 {response},
            }}"#
        ))
    }

    fn names(ops: &[Operation]) -> Vec<String> {
        let mut ops = ops.to_vec();
        name_module(&mut ops, &[], &Context::new(None));
        ops.iter().map(|o| o.name.value.clone()).collect()
    }

    #[test]
    fn verbs_follow_the_method_and_the_response() {
        let ops = [
            op(&[("GET", "/users")], true),
            op(&[("GET", "/me"), ("GET", "/users/{id}")], false),
            op(&[("POST", "/users")], false),
            op(&[("PATCH", "/users/{id}")], false),
            op(&[("DELETE", "/users/{id}")], false),
            op(&[("PUT", "/users/{id}/manager/$ref")], false),
            op(
                &[("GET", "/me/messages"), ("GET", "/users/{id}/messages")],
                true,
            ),
            op(&[("GET", "/users/{id}/photo/$value")], false),
            op(
                &[("GET", "/users/{id}/memberOf/microsoft.graph.group")],
                true,
            ),
            op(&[("GET", "/users/delta()")], true),
            op(&[("DELETE", "/groups/{id}/members/{m}/$ref")], false),
        ];
        assert_eq!(
            names(&ops),
            [
                "ListUsers",
                "GetUser",
                "CreateUser",
                "UpdateUser",
                "DeleteUser",
                "SetManagerRef",
                "ListMessages",
                "GetPhotoValue",
                "ListMemberOfAsGroup",
                "Delta",
                "DeleteMemberRef",
            ]
        );
    }

    #[test]
    fn a_shared_name_is_qualified_by_the_longer_path() {
        let ops = [
            op(&[("GET", "/users/{id}/events")], true),
            op(&[("GET", "/users/{id}/calendars/{c}/events")], true),
        ];
        assert_eq!(names(&ops), ["ListEvents", "ListCalendarEvents"]);
        let ops = [
            op(&[("GET", "/users/{id}/calendar/events")], true),
            op(&[("GET", "/users/{id}/calendars/{c}/events")], true),
        ];
        assert_eq!(names(&ops), ["ListEvents", "ListEvents2"]);
    }

    #[test]
    fn an_operation_written_with_a_query_yields_a_shared_name() {
        let mut ops = [
            op(&[("GET", "/drive/items/{id}/content")], false),
            op(&[("GET", "/drives/{d}/items/{id}/content")], false),
        ];
        name_module(&mut ops, &[true, false], &Context::new(None));
        let names: Vec<&str> = ops.iter().map(|o| o.name.value.as_str()).collect();
        assert_eq!(names, ["GetContent2", "GetContent"]);
    }

    #[test]
    fn a_fixed_query_names_its_options_when_the_path_cannot() {
        let ops = [
            op(&[("GET", "/drive/items/{id}/content")], false),
            op(
                &[
                    ("GET", "/drive/items/{id}/content?format={format}"),
                    ("GET", "/me/drive/items/{id}/content?format={format}"),
                ],
                false,
            ),
            op(&[("GET", "/sites?search={query}")], true),
            op(
                &[("GET", "/me/calendarView?startDateTime={s}&endDateTime={e}")],
                true,
            ),
        ];
        assert_eq!(
            names(&ops),
            [
                "GetContent",
                "GetContentByFormat",
                "ListSites",
                "ListCalendarView"
            ]
        );
    }

    #[test]
    fn colliding_constructors_take_their_full_path() {
        let mut ops = [op(&[("GET", "/drives/{id}"), ("GET", "/drive")], false)];
        name_module(&mut ops, &[], &Context::new(None));
        assert_eq!(ops[0].name.value, "GetDrive");
        let ctors: Vec<_> = ops[0]
            .forms
            .iter()
            .map(|f| f.constructor.as_ref().map(|c| c.value.clone()))
            .collect();
        assert_eq!(ctors, [Some("drives".to_owned()), Some("drive".to_owned())]);
    }
}
