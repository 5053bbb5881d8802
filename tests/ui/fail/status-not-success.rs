// Definitions: the documented response is the success response, a 2xx or 3xx status.
graphspec::endpoint! {
    pub struct List {
        GET "/users",
        permissions: { DelegatedWork: ["User.Read.All"], DelegatedPersonal: unsupported, Application: ["User.Read.All"] },
        response: 404,
    }
}

fn main() {}
