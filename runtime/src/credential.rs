//! Credentials: what an application was granted, and which operations it calls.

use core::marker::PhantomData;

use crate::{Endpoint, OperationInfo, Scheme, Scope};

/// An application's credential, declared with `graphspec::credential!`: its scheme, the
/// scopes it was granted, and the operations it calls. The macro checks at compile time
/// that the grants allow every declared call.
pub trait Credential: 'static {
    /// The credential's type name.
    const NAME: &'static str;
    /// How the application holds its permissions.
    const SCHEME: Scheme;
    /// The scopes the application was granted.
    const GRANTS: &'static [Scope];
    /// The operations the application declared it calls.
    const CALLS: &'static [&'static OperationInfo];
    /// Whether grants that no declared call needs are rejected.
    const STRICT: bool;

    /// The least-privileged scope set for the declared calls under this scheme.
    fn least_privileged_scopes() -> Result<Vec<Scope>, crate::Error> {
        least_privileged_scopes(Self::CALLS, Self::SCHEME)
    }
}

/// Implemented by `credential!` for every operation the credential declares in `calls`.
///
/// Sealed: its supertrait [`CheckedCall`] (not public API) carries the call's permission
/// check, and only the macro implements it, so `impl Calls<E> for MyCredential {}` written
/// by hand does not compile.
#[diagnostic::on_unimplemented(
    message = "credential `{Self}` does not declare a call to `{E}`",
    label = "`{E}` is not in the `calls` list of `{Self}`",
    note = "add the operation to `calls: [...]` in `graphspec::credential!`, so its permissions are checked against the grants at compile time"
)]
pub trait Calls<E: Endpoint>: Credential + CheckedCall<E> {}

/// The seal of [`Calls`]: implemented by `credential!` beside every `Calls<E>`, with the
/// call's permission check as its constant. Not public API.
///
/// Even an implementation that names this hidden trait must give [`CheckedCall::CHECKED`]
/// a [`CallChecked<Self, E>`], which only [`crate::check::checked_call`] makes (it fails
/// to compile when the grants do not allow the call), and [`Authorized::new`] evaluates
/// it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`Calls<{E}>` for `{Self}` is not written by `graphspec::credential!`",
    label = "only `graphspec::credential!` implements `Calls`, after checking the call's permissions against the grants",
    note = "add the operation to `calls: [...]` in `graphspec::credential!` instead of implementing `Calls` by hand"
)]
pub trait CheckedCall<E: Endpoint> {
    /// Proof that `Self`'s grants allow `E`.
    const CHECKED: CallChecked<Self, E>;
}

/// Proof that credential `C`'s grants allow calling `E`, made only by
/// [`crate::check::checked_call`]. Not public API.
#[doc(hidden)]
pub struct CallChecked<C: ?Sized, E> {
    _proof: PhantomData<fn(*const C) -> E>,
}

impl<C: ?Sized, E> CallChecked<C, E> {
    /// Made by the check, once it has passed.
    pub(crate) const fn new() -> CallChecked<C, E> {
        CallChecked {
            _proof: PhantomData,
        }
    }
}

impl<C: ?Sized> CallChecked<C, Unreachable> {
    /// For `Calls<Unreachable>`: no request of that type exists, so nothing is allowed.
    pub const UNREACHABLE: CallChecked<C, Unreachable> = CallChecked::new();
}

/// A type no value has, implementing [`Endpoint`]. Every credential implements
/// `Calls<Unreachable>` as well as its declared calls, so that the compiler never infers
/// the operation of `authorize` from a credential with a single declared call and reports
/// an undeclared call as a missing `Calls` implementation. Not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Unreachable {}

impl Endpoint for Unreachable {
    const INFO: &'static OperationInfo = &OperationInfo {
        name: "Unreachable",
        module_path: "graphspec",
        docs_page: None,
        summary: "",
        version: crate::ApiVersion::V1,
        method: crate::Method::Get,
        paths: &[],
        permissions: crate::PermissionTable {
            delegated_work: crate::SchemePermissions::NotSupported,
            delegated_personal: crate::SchemePermissions::NotSupported,
            application: crate::SchemePermissions::NotSupported,
        },
        headers: &[],
        body: None,
        response: crate::ResponseSpec {
            status: 200,
            kind: crate::ResponseKind::None,
        },
    };
    type Response = ();
    fn parts(&self) -> &crate::RequestParts {
        match *self {}
    }
    fn parse_response<B: AsRef<[u8]>>(_: http::Response<B>) -> Result<(), crate::Error> {
        Ok(())
    }
}

/// A request that a credential is allowed to send: made by the credential's `authorize`
/// method, which only compiles for operations the credential declared (and whose
/// permissions its grants were checked against).
pub struct Authorized<C, E> {
    request: E,
    credential: PhantomData<fn() -> C>,
}

impl<C: Calls<E>, E: Endpoint> Authorized<C, E> {
    /// Wraps `request`. Generated `authorize` methods call this.
    ///
    /// Evaluates the call's permission check ([`CheckedCall::CHECKED`]) when this
    /// function is compiled for `C` and `E`.
    pub fn new(request: E) -> Authorized<C, E> {
        const { <C as CheckedCall<E>>::CHECKED };
        Authorized {
            request,
            credential: PhantomData,
        }
    }
}

impl<C, E> Authorized<C, E> {
    /// The request.
    pub fn request(&self) -> &E {
        &self.request
    }

    /// The request, unwrapped.
    pub fn into_request(self) -> E {
        self.request
    }
}

impl<C: Credential, E: Endpoint> Authorized<C, E> {
    /// The credential's scheme.
    pub fn scheme(&self) -> Scheme {
        C::SCHEME
    }

    /// Builds the HTTP request against `base`.
    pub fn to_http_request(
        &self,
        base: &crate::BaseUrl,
    ) -> Result<http::Request<Vec<u8>>, crate::Error> {
        self.request.to_http_request(base)
    }
}

impl<C, E: Clone> Clone for Authorized<C, E> {
    fn clone(&self) -> Self {
        Authorized {
            request: self.request.clone(),
            credential: PhantomData,
        }
    }
}

impl<C, E: core::fmt::Debug> core::fmt::Debug for Authorized<C, E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Authorized")
            .field("credential", &core::any::type_name::<C>())
            .field("request", &self.request)
            .finish()
    }
}

/// The least-privileged scope set that allows every operation in `operations` under
/// `scheme`: the exact minimum of [`crate::check::least_privileged`] (lowest highest
/// privilege level, then fewest scopes, then lowest sum of levels, then earliest
/// documented positions, then names; see there), by privilege level then name. The
/// order of `operations` does not change the answer. Operations that need no permission
/// add nothing.
///
/// An operation that does not support the scheme (or has no data for it) is an error
/// naming the first such operation; a set too large to compute is
/// [`crate::Error::LeastPrivilegeTooLarge`].
pub fn least_privileged_scopes(
    operations: &[&OperationInfo],
    scheme: Scheme,
) -> Result<Vec<Scope>, crate::Error> {
    use crate::check::{LeastPrivilegeError, least_privileged};
    match least_privileged(operations, scheme) {
        Ok(set) => Ok(set.iter().collect()),
        Err(LeastPrivilegeError::Unsatisfiable { index }) => {
            Err(crate::Error::SchemeNotSupported {
                operation: operations[index].rust_path(),
                scheme,
            })
        }
        Err(LeastPrivilegeError::TooLarge) => Err(crate::Error::LeastPrivilegeTooLarge {
            operations: operations.len(),
        }),
    }
}
