// Definitions: a placeholder must become a Rust argument name: the text before `|` is
// letters, digits, `-` and `_`, starting with a letter (`{id | userPrincipalName}` → `id`,
// `{user-id}` → `user_id`).
graphspec::endpoint! {
    pub struct Odd {
        GET "/users/{1st}/items/{a.b}",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }
}

fn main() {}
