// Definitions: the method of a request form must be GET, POST, PUT, PATCH or DELETE.
graphspec::endpoint! {
    pub struct Fetch {
        FETCH "/users",
        permissions: {
            DelegatedWork: ["User.Read.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All"],
        },
        response: 200,
    }
}

fn main() {}
