// Definitions: a path template starts with `/`, has balanced, non-empty braces, no
// whitespace outside a placeholder, and no `?` (query options are builder methods).
graphspec::endpoint! {
    pub struct NoSlash {
        GET "users/{id}",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct Unbalanced {
        GET "/users/{id",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct StrayClose {
        GET "/users/id}",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct EmptyBraces {
        GET "/users/{}",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct Whitespace {
        GET "/users/ {id}",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct Query {
        GET "/users?$top=5",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }
}

fn main() {}
