// Definitions: a scope in a permissions row is shaped `Name.Action[.Qualifier…]`, as every
// Microsoft Graph permission is. Translated or broken names are rejected.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: ["User.ReadBasic.All", "GroupMember. Read. All", "Directory"],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
