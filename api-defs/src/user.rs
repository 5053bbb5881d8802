//! Operations on the `user` resource.

use crate::OperationInfo;
use crate::model::{AssignLicenseBody, LicenseDetails, User};

/// Every operation of this module.
pub const OPERATIONS: &[&OperationInfo] = &[
    Get::INFO,
    List::INFO,
    AssignLicense::INFO,
    ReprocessLicenseAssignment::INFO,
    ListLicenseDetails::INFO,
];

crate::endpoint! {
    /// Read the properties and relationships of a user.
    pub struct Get {
        GET "/me",
        GET "/users/{id | userPrincipalName}",
        permissions: {
            DelegatedWork: ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: ["User.Read", "User.ReadWrite"],
            Application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
        },
        response: 200 User,
        docs: "user-get",
    }

    /// List the users of the organization.
    pub struct List {
        GET "/users",
        permissions: {
            DelegatedWork: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
        },
        headers: { "ConsistencyLevel": optional },
        response: 200 [User],
        docs: "user-list",
    }

    /// Add or remove subscriptions (licenses) for a user.
    pub struct AssignLicense {
        POST "/users/{id | userPrincipalName}/assignLicense",
        permissions: {
            DelegatedWork: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
        },
        body: AssignLicenseBody,
        response: 200 User,
        docs: "user-assignlicense",
    }

    /// Reprocess all group-based license assignments for a user.
    pub struct ReprocessLicenseAssignment {
        POST "/users/{id}/reprocessLicenseAssignment",
        permissions: {
            DelegatedWork: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: unsupported,
            Application: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
        },
        response: 200 User,
        docs: "user-reprocesslicenseassignment",
    }

    /// List the license details of a user.
    pub struct ListLicenseDetails {
        GET "/me/licenseDetails",
        GET "/users/{id}/licenseDetails",
        permissions: {
            DelegatedWork: ["User.Read", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
            DelegatedPersonal: ["User.Read"],
            Application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
        },
        response: 200 [LicenseDetails],
        docs: "user-list-licensedetails",
    }
}
