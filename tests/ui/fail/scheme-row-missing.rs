// Definitions: the permissions table has a row for every scheme — write `unsupported`
// or `unknown` rather than leaving one out.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: ["User.Read.All"],
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
