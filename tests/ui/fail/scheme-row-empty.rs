// Definitions: a permissions row that lists scopes lists at least one; an empty list
// would mean nothing allows the call.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: [],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
