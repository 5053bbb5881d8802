//! `graphspec::credential!`: an application's credential — its scheme, granted scopes and
//! the operations it calls — parsed, checked against the permission catalog, and expanded
//! into the compile-time permission checks.
//!
//! ```text
//! graphspec::credential! {
//!     /// The license bot's app registration.
//!     pub struct LicenseBot {
//!         scheme: Application,
//!         grants: ["User.ReadWrite.All"],
//!         calls: [user::ReprocessLicenseAssignment],
//!         strict: true, // optional: reject grants no call needs
//!     }
//! }
//! ```
//!
//! What is known when the macro expands (the grant names, against the catalog of
//! Microsoft's permissions) is checked here; what depends on the operations' permission
//! tables is checked by `const` items that `cargo check` evaluates
//! (`graphspec_runtime::check`).

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned as _;
use syn::{Attribute, Ident, LitBool, LitStr, Token, Visibility, braced, bracketed};

use crate::Errors;
use crate::catalog;
use crate::model::{Scheme, Spanned};

/// A parsed `credential!` item.
#[derive(Clone)]
pub struct CredentialDef {
    /// Attributes, including doc comments.
    pub attrs: Vec<Attribute>,
    /// Visibility.
    pub vis: Visibility,
    /// The credential type's name.
    pub name: Ident,
    /// The scheme.
    pub scheme: Option<Spanned<Scheme>>,
    /// Granted scope names.
    pub grants: Vec<Spanned<String>>,
    /// Operations the credential calls.
    pub calls: Vec<syn::Path>,
    /// Whether over-privilege is rejected.
    pub strict: Option<LitBool>,
}

impl std::fmt::Debug for CredentialDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::model::tokens;
        f.debug_struct("CredentialDef")
            .field("attrs", &self.attrs.iter().map(tokens).collect::<Vec<_>>())
            .field("vis", &tokens(&self.vis))
            .field("name", &self.name)
            .field("scheme", &self.scheme)
            .field("grants", &self.grants)
            .field("calls", &self.calls.iter().map(tokens).collect::<Vec<_>>())
            .field("strict", &self.strict.as_ref().map(|b| b.value))
            .finish()
    }
}

/// Parses the body of a `credential!` call.
pub fn parse(tokens: TokenStream, errors: &mut Errors) -> Option<CredentialDef> {
    let parser = |input: ParseStream| -> syn::Result<CredentialDef> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        input.parse::<Token![struct]>()?;
        let name: Ident = input.parse()?;
        let content;
        let brace = braced!(content in input);
        let mut def = CredentialDef {
            attrs,
            vis,
            name,
            scheme: None,
            grants: Vec::new(),
            calls: Vec::new(),
            strict: None,
        };
        let mut seen: HashMap<String, Span> = HashMap::new();
        while !content.is_empty() {
            let key: Ident = content.parse()?;
            content.parse::<Token![:]>()?;
            if let Some(first) = seen.get(&key.to_string()) {
                let mut e = syn::Error::new(key.span(), format!("`{key}` is given twice"));
                e.combine(syn::Error::new(*first, "first given here"));
                errors.push(e);
            }
            seen.insert(key.to_string(), key.span());
            match key.to_string().as_str() {
                "scheme" => {
                    let scheme: Ident = content.parse()?;
                    match Scheme::from_identifier(&scheme.to_string()) {
                        Some(s) => def.scheme = Some(Spanned::new(s, scheme.span())),
                        None => errors.push(syn::Error::new(
                            scheme.span(),
                            format!("unknown scheme `{scheme}`: expected `DelegatedWork`, `DelegatedPersonal` or `Application`"),
                        )),
                    }
                }
                "grants" => {
                    let list;
                    bracketed!(list in content);
                    let lits =
                        list.parse_terminated(|i: ParseStream| i.parse::<LitStr>(), Token![,])?;
                    def.grants = lits
                        .into_iter()
                        .map(|l| Spanned::new(l.value(), l.span()))
                        .collect();
                }
                "calls" => {
                    let list;
                    bracketed!(list in content);
                    let paths = list.parse_terminated(syn::Path::parse_mod_style, Token![,])?;
                    def.calls = paths.into_iter().collect();
                }
                "strict" => def.strict = Some(content.parse()?),
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown entry `{other}`: expected `scheme`, `grants`, `calls` or `strict`"
                        ),
                    ));
                }
            }
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        for required in ["scheme", "grants", "calls"] {
            if !seen.contains_key(required) {
                errors.push(syn::Error::new(
                    brace.span.join(),
                    format!("credential `{}` needs `{required}: …`", def.name),
                ));
            }
        }
        Ok(def)
    };
    match parser.parse2(tokens) {
        Ok(def) => Some(def),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Checks grant names against Microsoft's permission catalog: known, defined for the
/// scheme, not repeated. Returns the grants that passed.
pub fn validate<'a>(def: &'a CredentialDef, errors: &mut Errors) -> Vec<&'a Spanned<String>> {
    let mut ok = Vec::new();
    let mut first: HashMap<&str, Span> = HashMap::new();
    for grant in &def.grants {
        if let Some(previous) = first.get(grant.value.as_str()) {
            let mut e = syn::Error::new(grant.span, format!("`{}` is granted twice", grant.value));
            e.combine(syn::Error::new(*previous, "first granted here"));
            errors.push(e);
            continue;
        }
        first.insert(&grant.value, grant.span);
        let Some(entry) = catalog::lookup(&grant.value) else {
            let hint = match catalog::suggest(&grant.value) {
                Some(s) => format!("; did you mean `{}`?", s.name),
                None => String::new(),
            };
            errors.push(syn::Error::new(
                grant.span,
                format!(
                    "`{}` is not a known Microsoft Graph permission{hint}",
                    grant.value
                ),
            ));
            continue;
        };
        if let Some(scheme) = &def.scheme {
            let defined = [
                (Scheme::DelegatedWork, entry.delegated_work),
                (Scheme::DelegatedPersonal, entry.delegated_personal),
                (Scheme::Application, entry.application),
            ];
            let here = defined.iter().any(|(s, d)| *s == scheme.value && *d);
            if !here {
                let others: Vec<&str> = defined
                    .iter()
                    .filter(|(_, d)| *d)
                    .map(|(s, _)| s.as_str())
                    .collect();
                errors.push(syn::Error::new(
                    grant.span,
                    format!(
                        "`{}` is not defined for the {} scheme (it exists for {})",
                        grant.value,
                        scheme.value.as_str(),
                        if others.is_empty() {
                            "no scheme".to_owned()
                        } else {
                            others.join(", ")
                        }
                    ),
                ));
                continue;
            }
        }
        ok.push(grant);
    }
    let mut seen_calls: HashMap<String, Span> = HashMap::new();
    for call in &def.calls {
        let key = quote!(#call).to_string();
        if let Some(previous) = seen_calls.get(&key) {
            let mut e = syn::Error::new(
                call.span(),
                format!("`{key}` is listed twice in `calls`").replace(" :: ", "::"),
            );
            e.combine(syn::Error::new(*previous, "first listed here"));
            errors.push(e);
        } else {
            seen_calls.insert(key, call.span());
        }
    }
    ok
}

/// Emits the credential type, its `Credential` and `Calls` impls (with the `CheckedCall`
/// seal that carries each call's check), and the `const` checks.
///
/// When some grants were rejected (`grants_ok` is false), the `const` checks are left out:
/// they would only repeat that error as "grants no scopes". `rt` is the path to the
/// runtime (see [`crate::expand::runtime_path_in`]).
pub fn expand(
    def: &CredentialDef,
    grants: &[&Spanned<String>],
    grants_ok: bool,
    rt: &TokenStream,
) -> TokenStream {
    let CredentialDef {
        attrs, vis, name, ..
    } = def;
    let name_str = name.to_string();
    let scheme = format_ident!(
        "{}",
        def.scheme
            .as_ref()
            .map_or(Scheme::Application, |s| s.value)
            .as_str()
    );
    let grant_tokens = grants.iter().map(|g| {
        let constant = format_ident!("{}", catalog::const_name(&g.value), span = g.span);
        quote_spanned!(g.span=> #rt::scopes::#constant)
    });
    let mut seen = std::collections::HashSet::new();
    let calls: Vec<&syn::Path> = def
        .calls
        .iter()
        .filter(|c| seen.insert(quote!(#c).to_string()))
        .collect();
    let strict = def.strict.as_ref().is_some_and(|b| b.value);
    let call_impls =
        calls.iter().map(|path| {
            let span = path.span();
            let check = grants_ok.then(|| quote_spanned! {span=>
            const _: () = {
                let denial = #rt::check::call_denial::<#name>(<#path as #rt::Endpoint>::INFO);
                if !denial.is_empty() {
                    ::core::panic!("{}", denial.as_str());
                }
            };
        });
            quote_spanned! {span=>
                impl #rt::Calls<#path> for #name {}
                impl #rt::__private::CheckedCall<#path> for #name {
                    const CHECKED: #rt::__private::CallChecked<Self, #path> =
                        #rt::check::checked_call::<Self, #path>();
                }
                #check
            }
        });
    let strict_span = def.strict.as_ref().map_or(name.span(), |s| s.span);
    let strict_check = grants_ok.then(|| {
        quote_spanned! {strict_span=>
            const _: () = {
                let denial = #rt::check::strict_denial::<#name>();
                if !denial.is_empty() {
                    ::core::panic!("{}", denial.as_str());
                }
            };
        }
    });
    quote! {
        #(#attrs)*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #vis struct #name;

        impl #rt::Credential for #name {
            const NAME: &'static str = #name_str;
            const SCHEME: #rt::Scheme = #rt::Scheme::#scheme;
            const GRANTS: &'static [#rt::Scope] = &[#(#grant_tokens),*];
            const CALLS: &'static [&'static #rt::OperationInfo] = &[#(<#calls as #rt::Endpoint>::INFO),*];
            const STRICT: bool = #strict;
        }

        #(#call_impls)*
        impl #rt::Calls<#rt::__private::Unreachable> for #name {}
        impl #rt::__private::CheckedCall<#rt::__private::Unreachable> for #name {
            const CHECKED: #rt::__private::CallChecked<Self, #rt::__private::Unreachable> =
                #rt::__private::CallChecked::UNREACHABLE;
        }
        #strict_check

        impl #name {
            /// Marks `request` as sent with this credential. Compiles only for operations
            /// listed in the credential's `calls`, whose permissions were checked against
            /// its grants.
            pub fn authorize<E: #rt::Endpoint>(&self, request: E) -> #rt::Authorized<Self, E>
            where
                Self: #rt::Calls<E>,
            {
                #rt::Authorized::new(request)
            }

            /// The least-privileged scope set for the declared calls under this
            /// credential's scheme.
            pub fn least_privileged_scopes() -> ::core::result::Result<::std::vec::Vec<#rt::Scope>, #rt::Error> {
                <Self as #rt::Credential>::least_privileged_scopes()
            }
        }
    }
}
