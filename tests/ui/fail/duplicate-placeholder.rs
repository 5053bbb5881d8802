// Definitions: each placeholder of a path becomes one constructor argument, so two
// placeholders may not map to the same Rust name (`{id}` twice, or `{user-id}` and
// `{userId}`, both `user_id`).
graphspec::endpoint! {
    pub struct GetMessage {
        GET "/users/{id}/messages/{id}",
        permissions: { DelegatedWork: ["Mail.Read"], DelegatedPersonal: ["Mail.Read"], Application: ["Mail.Read"] },
        response: 200,
    }

    pub struct GetEvent {
        GET "/users/{user-id}/events/{userId}",
        permissions: { DelegatedWork: ["Calendars.Read"], DelegatedPersonal: ["Calendars.Read"], Application: ["Calendars.Read"] },
        response: 200,
    }
}

fn main() {}
