//! Compile-time permission checks.
//!
//! `graphspec::credential!` emits, for every declared call, a non-generic
//! `const _: () = ...;` item that evaluates [`call_denial`] and panics with its message.
//! `cargo check` evaluates such items, so a call the grants do not allow fails to compile
//! in the editor, not only in `cargo build`. Everything here is `const fn` and
//! allocation-free; messages are assembled in a fixed-size [`Message`].

use crate::{Credential, OperationInfo, Scheme, SchemePermissions, Scope};

/// `a == b` for `&str`, usable in `const` contexts.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `set` contains `scope` (by name), usable in `const` contexts.
pub const fn contains(set: &[Scope], scope: Scope) -> bool {
    let mut i = 0;
    while i < set.len() {
        if set[i].same_as(scope) {
            return true;
        }
        i += 1;
    }
    false
}

/// The text after the last `::` of a module path (`graphspec::user` → `user`).
pub const fn last_path_segment(path: &'static str) -> &'static str {
    let bytes = path.as_bytes();
    let mut i = bytes.len();
    while i >= 2 {
        if bytes[i - 1] == b':' && bytes[i - 2] == b':' {
            let (_, tail) = bytes.split_at(i);
            return match core::str::from_utf8(tail) {
                Ok(s) => s,
                Err(_) => path,
            };
        }
        i -= 1;
    }
    path
}

/// Capacity of a [`Message`] in bytes.
pub const MESSAGE_CAPACITY: usize = 1536;

/// A diagnostic message built in `const` context. Empty means "no objection".
#[derive(Clone, Copy)]
pub struct Message {
    buf: [u8; MESSAGE_CAPACITY],
    len: usize,
}

impl Message {
    /// An empty message.
    pub const fn new() -> Message {
        Message {
            buf: [0; MESSAGE_CAPACITY],
            len: 0,
        }
    }

    /// Whether nothing was written (the check passed).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `text`, truncating at the capacity (on a character boundary, with `…`).
    pub const fn push(mut self, text: &str) -> Message {
        let bytes = text.as_bytes();
        let ellipsis = "…".as_bytes();
        let room = MESSAGE_CAPACITY - ellipsis.len();
        let mut i = 0;
        while i < bytes.len() {
            if self.len >= room {
                // Back up to a character boundary, then mark the truncation.
                while self.len > 0 && (self.buf[self.len] & 0xC0) == 0x80 {
                    self.len -= 1;
                }
                let mut j = 0;
                while j < ellipsis.len() {
                    self.buf[self.len] = ellipsis[j];
                    self.len += 1;
                    j += 1;
                }
                return self;
            }
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// The text written so far.
    pub const fn as_str(&self) -> &str {
        let (head, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(head) {
            Ok(s) => s,
            Err(_) => "graphspec: permission check failed (message not valid UTF-8)",
        }
    }

    const fn operation(self, info: &OperationInfo) -> Message {
        self.push("`")
            .push(info.resource())
            .push("::")
            .push(info.name)
            .push("`")
    }

    const fn scope_list(mut self, scopes: &[Scope], separator: &str) -> Message {
        let mut i = 0;
        while i < scopes.len() {
            if i > 0 {
                self = self.push(separator);
            }
            self = self.push(scopes[i].name());
            i += 1;
        }
        self
    }

    const fn alternatives(mut self, row: &SchemePermissions) -> Message {
        let alternatives = row.alternatives();
        let mut i = 0;
        while i < alternatives.len() {
            if i > 0 {
                self = self.push(", ");
            }
            self = self.scope_list(alternatives[i].scopes(), " + ");
            i += 1;
        }
        self
    }

    const fn grants(self, name: &str, grants: &[Scope]) -> Message {
        let this = self.push(name);
        if grants.is_empty() {
            this.push(" grants no scopes")
        } else {
            this.push(" grants ").scope_list(grants, ", ")
        }
    }
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

const fn scheme_phrase(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::DelegatedWork => "delegated access with work or school accounts",
        Scheme::DelegatedPersonal => "personal Microsoft accounts",
        Scheme::Application => "application permissions",
    }
}

/// Why credential `C` may not call `op`, or an empty message when it may.
pub const fn call_denial<C: Credential>(op: &OperationInfo) -> Message {
    let row = op.permissions.for_scheme(C::SCHEME);
    let head = Message::new()
        .push("`")
        .push(C::NAME)
        .push("` (")
        .push(C::SCHEME.describe())
        .push(") cannot call ")
        .operation(op);
    match row {
        SchemePermissions::NoneRequired => Message::new(),
        SchemePermissions::NotSupported => head
            .push(": the operation does not support ")
            .push(scheme_phrase(C::SCHEME))
            .push(" (")
            .push(C::SCHEME.as_str())
            .push(" is not supported)"),
        SchemePermissions::Unknown => head
            .push(": its definition has no permission data for ")
            .push(C::SCHEME.as_str())
            .push(", so the call cannot be checked"),
        SchemePermissions::Scopes(_) => {
            if row.allows(C::GRANTS) {
                Message::new()
            } else {
                head.push(": it needs one of ")
                    .alternatives(row)
                    .push("; ")
                    .grants(C::NAME, C::GRANTS)
            }
        }
    }
}

/// Capacity of the scope set [`strict_denial`] computes.
const SET_CAPACITY: usize = 64;

/// For a strict credential: the grants that are not in the least-privileged scope set of
/// its declared calls (over-privilege), or an empty message.
pub const fn strict_denial<C: Credential>() -> Message {
    if !C::STRICT {
        return Message::new();
    }
    // The least-privileged set, computed as `crate::least_privileged_scopes` does.
    let mut chosen: [Option<Scope>; SET_CAPACITY] = [None; SET_CAPACITY];
    let mut count = 0;
    let mut c = 0;
    while c < C::CALLS.len() {
        let row = C::CALLS[c].permissions.for_scheme(C::SCHEME);
        if let Some(set) = row.least_privileged_set() {
            let alternatives = row.alternatives();
            let mut satisfied = false;
            let mut a = 0;
            while a < alternatives.len() {
                let needed = alternatives[a].scopes();
                let mut all = true;
                let mut k = 0;
                while k < needed.len() {
                    if !chosen_contains(&chosen, count, needed[k]) {
                        all = false;
                    }
                    k += 1;
                }
                if all {
                    satisfied = true;
                }
                a += 1;
            }
            if !satisfied {
                let mut k = 0;
                while k < set.len() {
                    if !chosen_contains(&chosen, count, set[k]) && count < SET_CAPACITY {
                        chosen[count] = Some(set[k]);
                        count += 1;
                    }
                    k += 1;
                }
            }
        }
        c += 1;
    }
    let mut message = Message::new();
    let mut unneeded = 0;
    let mut g = 0;
    while g < C::GRANTS.len() {
        if !chosen_contains(&chosen, count, C::GRANTS[g]) {
            if unneeded == 0 {
                message = message
                    .push("strict credential `")
                    .push(C::NAME)
                    .push("` grants scopes that none of its calls needs: ");
            } else {
                message = message.push(", ");
            }
            message = message.push(C::GRANTS[g].name());
            unneeded += 1;
        }
        g += 1;
    }
    if unneeded > 0 {
        message = message.push("; the least-privileged set for its calls is ");
        if count == 0 {
            message = message.push("empty");
        }
        let mut k = 0;
        while k < count {
            if k > 0 {
                message = message.push(", ");
            }
            if let Some(scope) = chosen[k] {
                message = message.push(scope.name());
            }
            k += 1;
        }
    }
    message
}

const fn chosen_contains(chosen: &[Option<Scope>], count: usize, scope: Scope) -> bool {
    let mut i = 0;
    while i < count {
        if let Some(s) = chosen[i]
            && s.same_as(scope)
        {
            return true;
        }
        i += 1;
    }
    false
}
