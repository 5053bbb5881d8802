// Definitions: a scheme is either supported with a list of scopes or `unsupported`, never
// both: one row per scheme.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: ["User.Read.All"],
            DelegatedPersonal: ["User.Read"],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
