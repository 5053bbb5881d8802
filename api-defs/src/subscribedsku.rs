//! Operations on the `subscribedSku` resource.

use crate::OperationInfo;
use crate::model::SubscribedSku;

/// Every operation of this module.
pub const OPERATIONS: &[&OperationInfo] = &[List::INFO];

crate::endpoint! {
    /// List the commercial subscriptions the organization has acquired.
    pub struct List {
        GET "/subscribedSkus",
        permissions: {
            DelegatedWork: ["Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"],
        },
        response: 200 [SubscribedSku],
        docs: "subscribedsku-list",
    }
}
