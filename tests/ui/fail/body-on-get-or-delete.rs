// Definitions: GET and DELETE requests carry no body.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        body: serde_json::Value,
        response: 200,
    }

    pub struct Delete {
        DELETE "/groups/{id}",
        permissions: { DelegatedWork: ["Group.ReadWrite.All"], DelegatedPersonal: unsupported, Application: ["Group.ReadWrite.All"] },
        body: serde_json::Value,
        response: 204,
    }
}

fn main() {}
