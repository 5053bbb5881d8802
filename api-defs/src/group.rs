//! Operations on the `group` resource.

use crate::OperationInfo;

/// Every operation of this module.
pub const OPERATIONS: &[&OperationInfo] = &[Delete::INFO];

crate::endpoint! {
    /// Delete a group.
    pub struct Delete {
        DELETE "/groups/{id}",
        permissions: {
            DelegatedWork: ["Group.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["Group.ReadWrite.All"],
        },
        response: 204,
        docs: "group-delete",
    }
}
