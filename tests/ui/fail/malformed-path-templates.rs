// Definitions: a path template starts with `/`, has balanced, non-empty braces, no
// whitespace outside a placeholder and no fragment; a fixed query after `?` is
// `name=value` options (options the caller chooses are builder methods).
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

    pub struct QueryWithoutValue {
        GET "/users?$top",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }

    pub struct Fragment {
        GET "/users#top",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 200,
    }
}

fn main() {}
