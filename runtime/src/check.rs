//! Compile-time permission checks.
//!
//! `graphspec::credential!` emits, for every declared call, a non-generic
//! `const _: () = ...;` item that evaluates [`call_denial`] and panics with its message.
//! `cargo check` evaluates such items, so a call the grants do not allow fails to compile
//! in the editor, not only in `cargo build`. Everything here is `const fn` and
//! allocation-free; messages are assembled in a fixed-size [`Message`].
//!
//! [`least_privileged`] is the one computation of an exact least-privileged scope set:
//! `strict: true` (rule 6) evaluates it in `const` context, and
//! [`crate::least_privileged_scopes`] (and with it `Credential::least_privileged_scopes`
//! and the `graphspec scopes` command) calls it at run time.

use crate::{Credential, OperationInfo, Scheme, SchemeDetails, SchemePermissions, Scope};

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

/// The proof that credential `C` may call `E`, for `credential!`'s implementation of the
/// seal of [`crate::Calls`]. Panics with [`call_denial`]'s message when `C`'s grants do
/// not allow `E`: in `const` context, a compile error.
pub const fn checked_call<C: Credential, E: crate::Endpoint>()
-> crate::credential::CallChecked<C, E> {
    let denial = call_denial::<C>(E::INFO);
    if !denial.is_empty() {
        panic!("{}", denial.as_str());
    }
    crate::credential::CallChecked::new()
}

/// For a strict credential: the grants that are not in the least-privileged scope set of
/// its declared calls ([`least_privileged`]), or an empty message.
///
/// A call the scheme cannot make is left to [`call_denial`], which reports it; a set too
/// large to compute is reported here.
pub const fn strict_denial<C: Credential>() -> Message {
    if !C::STRICT {
        return Message::new();
    }
    let least = match least_privileged(C::CALLS, C::SCHEME) {
        Ok(set) => set,
        Err(LeastPrivilegeError::Unsatisfiable { .. }) => return Message::new(),
        Err(LeastPrivilegeError::TooLarge) => {
            return Message::new()
                .push("strict credential `")
                .push(C::NAME)
                .push("`: the least-privileged set of its calls is too large to compute; declare fewer calls or drop `strict`");
        }
    };
    let mut message = Message::new();
    let mut unneeded = 0;
    let mut g = 0;
    while g < C::GRANTS.len() {
        if !least.contains(C::GRANTS[g]) {
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
        if least.is_empty() {
            message = message.push("empty");
        }
        let mut k = 0;
        while k < least.len() {
            if k > 0 {
                message = message.push(", ");
            }
            if let Some(scope) = least.get(k) {
                message = message.push(scope.name());
            }
            k += 1;
        }
    }
    message
}

/// The most distinct scopes [`least_privileged`] weighs (the scopes of the alternatives
/// within the needed privilege level) and so the most a [`ScopeSet`] holds.
pub const LEAST_PRIVILEGE_SCOPES: usize = 128;
/// The most distinct permission rows [`least_privileged`] weighs.
const ROW_CAPACITY: usize = 128;
/// The most alternatives, over all rows, [`least_privileged`] weighs.
const ALTERNATIVE_CAPACITY: usize = 1024;
/// The most steps [`least_privileged`]'s exact search may take before it gives up with
/// [`LeastPrivilegeError::TooLarge`]. Real credentials take a handful.
pub const LEAST_PRIVILEGE_STEPS: u32 = 100_000;
/// The level [`privilege_level`] gives a permission whose level Microsoft's data does not
/// publish for the scheme: above every published level (1–5), so such a permission is
/// chosen only when nothing with a known level will do.
pub const UNPUBLISHED_PRIVILEGE_LEVEL: u8 = 6;

/// `scope`'s privilege level under `scheme`: Microsoft's 1 (least) to 5 (most), or
/// [`UNPUBLISHED_PRIVILEGE_LEVEL`] when the data publishes none.
pub const fn privilege_level(scope: Scope, scheme: Scheme) -> u8 {
    match scope.details(scheme) {
        Some(SchemeDetails {
            privilege_level: Some(level),
            ..
        }) => level,
        _ => UNPUBLISHED_PRIVILEGE_LEVEL,
    }
}

/// `a` compared with `b` byte by byte, usable in `const` contexts.
pub const fn str_cmp(a: &str, b: &str) -> core::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return if a[i] < b[i] {
                core::cmp::Ordering::Less
            } else {
                core::cmp::Ordering::Greater
            };
        }
        i += 1;
    }
    if a.len() < b.len() {
        core::cmp::Ordering::Less
    } else if a.len() > b.len() {
        core::cmp::Ordering::Greater
    } else {
        core::cmp::Ordering::Equal
    }
}

/// A set of scopes computed in `const` context: at most [`LEAST_PRIVILEGE_SCOPES`], in
/// the order [`least_privileged`] documents.
#[derive(Clone, Copy)]
pub struct ScopeSet {
    scopes: [Option<Scope>; LEAST_PRIVILEGE_SCOPES],
    len: usize,
}

impl ScopeSet {
    const fn new() -> ScopeSet {
        ScopeSet {
            scopes: [None; LEAST_PRIVILEGE_SCOPES],
            len: 0,
        }
    }

    const fn push(&mut self, scope: Scope) {
        self.scopes[self.len] = Some(scope);
        self.len += 1;
    }

    /// How many scopes the set holds.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty (the operations need no permission).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `index`th scope.
    pub const fn get(&self, index: usize) -> Option<Scope> {
        if index < self.len {
            self.scopes[index]
        } else {
            None
        }
    }

    /// Whether the set holds `scope` (by name).
    pub const fn contains(&self, scope: Scope) -> bool {
        let mut i = 0;
        while i < self.len {
            if let Some(s) = self.scopes[i]
                && s.same_as(scope)
            {
                return true;
            }
            i += 1;
        }
        false
    }

    /// The scopes, in order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.scopes[..self.len].iter().flatten().copied()
    }
}

impl core::fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for ScopeSet {
    fn eq(&self, other: &ScopeSet) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for ScopeSet {}

/// Why [`least_privileged`] has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeastPrivilegeError {
    /// `operations[index]` cannot be called with the scheme: its row says "not supported",
    /// has no permission data, or lists no alternative.
    Unsatisfiable {
        /// The index of the first such operation.
        index: usize,
    },
    /// More than [`LEAST_PRIVILEGE_SCOPES`] candidate scopes, more rows or alternatives
    /// than the search holds, or more than [`LEAST_PRIVILEGE_STEPS`] search steps.
    TooLarge,
}

/// The exact least-privileged scope set that allows every operation in `operations`
/// under `scheme`.
///
/// An operation is allowed when the set holds every scope of one alternative of its row
/// (operations that need no permission add nothing). Among all allowed sets, the answer
/// is the first in this order:
///
/// 1. the lowest **highest privilege level** in the set ([`privilege_level`]: Microsoft's
///    1–5, [`UNPUBLISHED_PRIVILEGE_LEVEL`] where unpublished);
/// 2. then the **fewest scopes**;
/// 3. then the lowest **sum of privilege levels**;
/// 4. then the lowest **sum of documented positions**: a scope's position is the index of
///    the first alternative that names it in the rows of `operations`, minimised over the
///    rows (the docs list alternatives least → most privileged, so of two scopes at the
///    same level, `User.Read.All` is preferred to `Directory.Read.All` for `user::GetUser`);
/// 5. then **names**: the set whose names, sorted in byte order, come first
///    lexicographically.
///
/// Every step depends only on the set of rows, so the answer does not depend on the
/// order of `operations`. The scopes come out by privilege level, then name.
///
/// The search is exact (branch and bound over the alternatives of each row, after
/// dropping alternatives above the needed level and alternatives that include another
/// of the same row), `const`, and allocation-free; see [`LeastPrivilegeError`] for its
/// limits.
pub const fn least_privileged(
    operations: &[&OperationInfo],
    scheme: Scheme,
) -> Result<ScopeSet, LeastPrivilegeError> {
    // The needed level: each row needs one alternative, so the lowest highest level of
    // an allowed set is the largest, over rows, of the row's cheapest alternative.
    let mut ceiling = 0;
    let mut i = 0;
    while i < operations.len() {
        match operations[i].permissions.for_scheme(scheme) {
            SchemePermissions::NoneRequired => {}
            SchemePermissions::Scopes(alternatives) if !alternatives.is_empty() => {
                let mut cheapest = u8::MAX;
                let mut a = 0;
                while a < alternatives.len() {
                    let level = alternative_level(alternatives[a].scopes(), scheme);
                    if level < cheapest {
                        cheapest = level;
                    }
                    a += 1;
                }
                if cheapest > ceiling {
                    ceiling = cheapest;
                }
            }
            _ => return Err(LeastPrivilegeError::Unsatisfiable { index: i }),
        }
        i += 1;
    }
    let problem = match Problem::build(operations, scheme, ceiling) {
        Some(problem) => problem,
        None => return Err(LeastPrivilegeError::TooLarge),
    };
    let mut best = Best {
        found: false,
        mask: 0,
    };
    let mut steps = LEAST_PRIVILEGE_STEPS;
    if !problem.search(problem.forced, &mut best, &mut steps) || !best.found {
        return Err(LeastPrivilegeError::TooLarge);
    }
    Ok(problem.scope_set(best.mask))
}

/// The highest level among `scopes` (0 for none).
const fn alternative_level(scopes: &[Scope], scheme: Scheme) -> u8 {
    let mut level = 0;
    let mut k = 0;
    while k < scopes.len() {
        let l = privilege_level(scopes[k], scheme);
        if l > level {
            level = l;
        }
        k += 1;
    }
    level
}

/// The best allowed set found so far, as a mask over [`Problem::candidates`].
struct Best {
    found: bool,
    mask: u128,
}

/// The least-privilege search: candidate scopes sorted by name (bit `i` of a mask is
/// `candidates[i]`), and each distinct row as the masks of its alternatives.
struct Problem {
    candidates: [Option<Scope>; LEAST_PRIVILEGE_SCOPES],
    levels: [u8; LEAST_PRIVILEGE_SCOPES],
    positions: [u16; LEAST_PRIVILEGE_SCOPES],
    len: usize,
    alternatives: [u128; ALTERNATIVE_CAPACITY],
    /// Row `r`'s alternatives are `alternatives[row_start[r]..row_start[r + 1]]`.
    row_start: [usize; ROW_CAPACITY + 1],
    rows: usize,
    /// The scopes of rows with a single alternative.
    forced: u128,
}

impl Problem {
    /// The candidates (the scopes of alternatives at or below `ceiling`) and the rows.
    /// `None` when a capacity is exceeded.
    const fn build(operations: &[&OperationInfo], scheme: Scheme, ceiling: u8) -> Option<Problem> {
        let mut p = Problem {
            candidates: [None; LEAST_PRIVILEGE_SCOPES],
            levels: [0; LEAST_PRIVILEGE_SCOPES],
            positions: [u16::MAX; LEAST_PRIVILEGE_SCOPES],
            len: 0,
            alternatives: [0; ALTERNATIVE_CAPACITY],
            row_start: [0; ROW_CAPACITY + 1],
            rows: 0,
            forced: 0,
        };
        // Candidates.
        let mut i = 0;
        while i < operations.len() {
            let alternatives = operations[i].permissions.for_scheme(scheme).alternatives();
            let mut a = 0;
            while a < alternatives.len() {
                let scopes = alternatives[a].scopes();
                if alternative_level(scopes, scheme) <= ceiling {
                    let mut k = 0;
                    while k < scopes.len() {
                        if !p.insert(scopes[k], scheme) {
                            return None;
                        }
                        k += 1;
                    }
                }
                a += 1;
            }
            i += 1;
        }
        // Documented positions, over every alternative of every row.
        let mut i = 0;
        while i < operations.len() {
            let alternatives = operations[i].permissions.for_scheme(scheme).alternatives();
            let mut a = 0;
            while a < alternatives.len() {
                let scopes = alternatives[a].scopes();
                let mut k = 0;
                while k < scopes.len() {
                    if let Some(index) = p.find(scopes[k])
                        && (a as u16) < p.positions[index]
                    {
                        p.positions[index] = a as u16;
                    }
                    k += 1;
                }
                a += 1;
            }
            i += 1;
        }
        // Rows.
        let mut i = 0;
        while i < operations.len() {
            let alternatives = operations[i].permissions.for_scheme(scheme).alternatives();
            if !alternatives.is_empty() {
                if p.rows == ROW_CAPACITY {
                    return None;
                }
                let start = p.row_start[p.rows];
                let mut end = start;
                let mut a = 0;
                while a < alternatives.len() {
                    let scopes = alternatives[a].scopes();
                    if alternative_level(scopes, scheme) <= ceiling {
                        let mask = p.mask(scopes);
                        // Drop an alternative that includes another of the row (it can
                        // only add scopes), and the ones that include this one.
                        let mut dominated = false;
                        let mut e = start;
                        while e < end {
                            if p.alternatives[e] & mask == p.alternatives[e] {
                                dominated = true;
                                e += 1;
                            } else if p.alternatives[e] & mask == mask {
                                end -= 1;
                                p.alternatives[e] = p.alternatives[end];
                            } else {
                                e += 1;
                            }
                        }
                        if !dominated {
                            if end == ALTERNATIVE_CAPACITY {
                                return None;
                            }
                            p.alternatives[end] = mask;
                            end += 1;
                        }
                    }
                    a += 1;
                }
                p.sort(start, end);
                if !p.repeats_a_row(start, end) {
                    if end - start == 1 {
                        p.forced |= p.alternatives[start];
                    }
                    p.rows += 1;
                    p.row_start[p.rows] = end;
                }
            }
            i += 1;
        }
        Some(p)
    }

    /// The index of `scope` among the candidates (binary search by name).
    const fn find(&self, scope: Scope) -> Option<usize> {
        let (mut low, mut high) = (0, self.len);
        while low < high {
            let mid = (low + high) / 2;
            let Some(here) = self.candidates[mid] else {
                return None;
            };
            match str_cmp(here.name(), scope.name()) {
                core::cmp::Ordering::Equal => return Some(mid),
                core::cmp::Ordering::Less => low = mid + 1,
                core::cmp::Ordering::Greater => high = mid,
            }
        }
        None
    }

    /// Adds `scope` to the candidates, in name order; false when they are full.
    const fn insert(&mut self, scope: Scope, scheme: Scheme) -> bool {
        let (mut low, mut high) = (0, self.len);
        while low < high {
            let mid = (low + high) / 2;
            let Some(here) = self.candidates[mid] else {
                return false;
            };
            match str_cmp(here.name(), scope.name()) {
                core::cmp::Ordering::Equal => return true,
                core::cmp::Ordering::Less => low = mid + 1,
                core::cmp::Ordering::Greater => high = mid,
            }
        }
        if self.len == LEAST_PRIVILEGE_SCOPES {
            return false;
        }
        let mut j = self.len;
        while j > low {
            self.candidates[j] = self.candidates[j - 1];
            self.levels[j] = self.levels[j - 1];
            j -= 1;
        }
        self.candidates[low] = Some(scope);
        self.levels[low] = privilege_level(scope, scheme);
        self.len += 1;
        true
    }

    /// The mask of `scopes`, all of which are candidates.
    const fn mask(&self, scopes: &[Scope]) -> u128 {
        let mut mask = 0;
        let mut k = 0;
        while k < scopes.len() {
            if let Some(index) = self.find(scopes[k]) {
                mask |= 1 << index;
            }
            k += 1;
        }
        mask
    }

    /// Sorts `alternatives[start..end]` best first ([`Problem::better`]), so the search
    /// tries the cheapest alternative first and equal rows compare equal.
    const fn sort(&mut self, start: usize, end: usize) {
        let mut i = start + 1;
        while i < end {
            let mut j = i;
            while j > start && self.better(self.alternatives[j], self.alternatives[j - 1]) {
                let t = self.alternatives[j];
                self.alternatives[j] = self.alternatives[j - 1];
                self.alternatives[j - 1] = t;
                j -= 1;
            }
            i += 1;
        }
    }

    /// Whether the row in `alternatives[start..end]` equals an earlier row.
    const fn repeats_a_row(&self, start: usize, end: usize) -> bool {
        let mut r = 0;
        while r < self.rows {
            let (s, e) = (self.row_start[r], self.row_start[r + 1]);
            if e - s == end - start {
                let mut same = true;
                let mut k = 0;
                while k < e - s {
                    if self.alternatives[s + k] != self.alternatives[start + k] {
                        same = false;
                    }
                    k += 1;
                }
                if same {
                    return true;
                }
            }
            r += 1;
        }
        false
    }

    /// `(highest level, sum of levels, sum of positions)` of the scopes in `mask`.
    const fn weigh(&self, mut mask: u128) -> (u8, u32, u32) {
        let (mut highest, mut levels, mut positions) = (0, 0, 0);
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if self.levels[i] > highest {
                highest = self.levels[i];
            }
            levels += self.levels[i] as u32;
            positions += self.positions[i] as u32;
        }
        (highest, levels, positions)
    }

    /// Whether set `a` comes before set `b` in [`least_privileged`]'s order.
    const fn better(&self, a: u128, b: u128) -> bool {
        let (a_high, a_levels, a_positions) = self.weigh(a);
        let (b_high, b_levels, b_positions) = self.weigh(b);
        if a_high != b_high {
            return a_high < b_high;
        }
        if a.count_ones() != b.count_ones() {
            return a.count_ones() < b.count_ones();
        }
        if a_levels != b_levels {
            return a_levels < b_levels;
        }
        if a_positions != b_positions {
            return a_positions < b_positions;
        }
        // Of two sets of the same size, the one holding the first name where they
        // differ comes first in sorted-name order (candidates are sorted by name).
        let differ = a ^ b;
        differ != 0 && a & (1 << differ.trailing_zeros()) != 0
    }

    /// Whether `chosen` satisfies row `r`.
    const fn satisfies(&self, r: usize, chosen: u128) -> bool {
        let mut k = self.row_start[r];
        while k < self.row_start[r + 1] {
            if self.alternatives[k] & !chosen == 0 {
                return true;
            }
            k += 1;
        }
        false
    }

    /// Branch and bound: extends `chosen` with an alternative of the unsatisfied row that
    /// has the fewest alternatives, each in turn, and keeps the best allowed set. Every
    /// optimal set is the union of one alternative per row (a larger set holds a smaller
    /// allowed one, which comes first), so trying every alternative of each unsatisfied
    /// row finds it. False when the steps run out.
    const fn search(&self, chosen: u128, best: &mut Best, steps: &mut u32) -> bool {
        if *steps == 0 {
            return false;
        }
        *steps -= 1;
        // More scopes than the best set cannot come first: every allowed set reaches
        // the same highest level (the needed one), and then size decides.
        if best.found && chosen.count_ones() > best.mask.count_ones() {
            return true;
        }
        let mut pick = ROW_CAPACITY;
        let mut fewest = usize::MAX;
        let mut r = 0;
        while r < self.rows {
            let count = self.row_start[r + 1] - self.row_start[r];
            if count < fewest && !self.satisfies(r, chosen) {
                pick = r;
                fewest = count;
            }
            r += 1;
        }
        if pick == ROW_CAPACITY {
            if !best.found || self.better(chosen, best.mask) {
                best.found = true;
                best.mask = chosen;
            }
            return true;
        }
        if best.found && chosen.count_ones() + 1 > best.mask.count_ones() {
            return true;
        }
        let mut k = self.row_start[pick];
        while k < self.row_start[pick + 1] {
            if !self.search(chosen | self.alternatives[k], best, steps) {
                return false;
            }
            k += 1;
        }
        true
    }

    /// The scopes of `mask`, by privilege level, then name.
    const fn scope_set(&self, mask: u128) -> ScopeSet {
        let mut order = [0usize; LEAST_PRIVILEGE_SCOPES];
        let mut count = 0;
        let mut rest = mask;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            // Indices arrive in name order; insert by level, after equal levels.
            let mut j = count;
            while j > 0 && self.levels[order[j - 1]] > self.levels[i] {
                order[j] = order[j - 1];
                j -= 1;
            }
            order[j] = i;
            count += 1;
        }
        let mut set = ScopeSet::new();
        let mut k = 0;
        while k < count {
            if let Some(scope) = self.candidates[order[k]] {
                set.push(scope);
            }
            k += 1;
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::scopes::*;
    use crate::{
        Alternative, ApiVersion, Method, PermissionTable, ResponseKind, ResponseSpec,
        SchemePermissions,
    };

    /// An operation whose application and delegated-work rows are both `row`.
    const fn op(name: &'static str, row: SchemePermissions) -> OperationInfo {
        OperationInfo {
            name,
            module_path: "graphspec::test",
            docs_page: None,
            summary: "",
            version: ApiVersion::V1,
            method: Method::Get,
            paths: &[],
            permissions: PermissionTable {
                delegated_work: row,
                delegated_personal: SchemePermissions::NotSupported,
                application: row,
            },
            headers: &[],
            body: None,
            response: ResponseSpec {
                status: 200,
                kind: ResponseKind::None,
            },
        }
    }

    // The application rows of `user::ListUsers`, `user::ReprocessLicenseAssignment` and
    // `user::GetUser`, as the docs give them.
    const LIST: OperationInfo = op(
        "List",
        SchemePermissions::Scopes(&[
            Alternative::new(&[USER_READ_ALL]),
            Alternative::new(&[USER_READWRITE_ALL]),
            Alternative::new(&[DIRECTORY_READ_ALL]),
            Alternative::new(&[DIRECTORY_READWRITE_ALL]),
        ]),
    );
    const REPROCESS: OperationInfo = op(
        "ReprocessLicenseAssignment",
        SchemePermissions::Scopes(&[
            Alternative::new(&[USER_READWRITE_ALL]),
            Alternative::new(&[DIRECTORY_READWRITE_ALL]),
        ]),
    );
    const GET: OperationInfo = LIST;
    const DELETE_GROUP: OperationInfo = op(
        "Delete",
        SchemePermissions::Scopes(&[Alternative::new(&[GROUP_READWRITE_ALL])]),
    );

    fn names(set: &ScopeSet) -> Vec<&'static str> {
        set.iter().map(Scope::name).collect()
    }

    #[test]
    fn one_scope_that_allows_every_call_beats_a_greedy_pair() {
        let ops: [&OperationInfo; 3] = [&LIST, &REPROCESS, &GET];
        let set = least_privileged(&ops, Scheme::Application).unwrap();
        assert_eq!(names(&set), ["User.ReadWrite.All"]);
        assert_eq!(
            crate::least_privileged_scopes(&ops, Scheme::Application).unwrap(),
            [USER_READWRITE_ALL]
        );
        // Same level, documented first: User.Read.All rather than Directory.Read.All.
        let set = least_privileged(&[&GET], Scheme::Application).unwrap();
        assert_eq!(names(&set), ["User.Read.All"]);
        // Lowest highest level first: two level-4 scopes, by level then name.
        let set = least_privileged(&[&DELETE_GROUP, &GET], Scheme::Application).unwrap();
        assert_eq!(names(&set), ["User.Read.All", "Group.ReadWrite.All"]);
        assert!(
            least_privileged(&[], Scheme::Application)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            least_privileged(&[&LIST, &REPROCESS], Scheme::DelegatedPersonal),
            Err(LeastPrivilegeError::Unsatisfiable { index: 0 })
        );
    }

    /// A strict credential over `CALLS`, granting `User.Read.All` and `User.ReadWrite.All`.
    macro_rules! strict_credential {
        ($name:ident, [$($call:expr),*]) => {
            struct $name;
            impl Credential for $name {
                const NAME: &'static str = stringify!($name);
                const SCHEME: Scheme = Scheme::Application;
                const GRANTS: &'static [Scope] = &[USER_READ_ALL, USER_READWRITE_ALL];
                const CALLS: &'static [&'static OperationInfo] = &[$(&$call),*];
                const STRICT: bool = true;
            }
        };
    }
    strict_credential!(ListFirst, [LIST, REPROCESS]);
    strict_credential!(ReprocessFirst, [REPROCESS, LIST]);

    #[test]
    fn rule_6_does_not_depend_on_the_order_of_calls() {
        const LIST_FIRST: Message = strict_denial::<ListFirst>();
        const REPROCESS_FIRST: Message = strict_denial::<ReprocessFirst>();
        for (denial, name) in [
            (LIST_FIRST, "ListFirst"),
            (REPROCESS_FIRST, "ReprocessFirst"),
        ] {
            assert_eq!(
                denial.as_str(),
                format!(
                    "strict credential `{name}` grants scopes that none of its calls needs: \
                     User.Read.All; the least-privileged set for its calls is User.ReadWrite.All"
                )
            );
        }
    }

    /// Permissions with levels 2 to 4 and one whose delegated level is not published.
    const POOL: [Scope; 10] = [
        USER_READ_ALL,
        USER_READWRITE_ALL,
        USER_READBASIC_ALL,
        DIRECTORY_READ_ALL,
        DIRECTORY_READWRITE_ALL,
        GROUP_READ_ALL,
        GROUP_READWRITE_ALL,
        GROUPMEMBER_READ_ALL,
        MAIL_READ,
        BACKUPRESTORE_CONFIGURATION_READ_ALL,
    ];

    /// Rows of up to 4 alternatives of 1 or 2 scopes from [`POOL`]; a few need nothing.
    fn rows() -> impl Strategy<Value = Vec<Option<Vec<Vec<usize>>>>> {
        let alternative = prop::collection::vec(0..POOL.len(), 1..=2);
        let row = prop_oneof![
            1 => Just(None),
            8 => prop::collection::vec(alternative, 1..=4).prop_map(Some),
        ];
        prop::collection::vec(row, 1..=5)
    }

    fn leak_operations(rows: &[Option<Vec<Vec<usize>>>]) -> Vec<&'static OperationInfo> {
        rows.iter()
            .map(|row| {
                let row = match row {
                    None => SchemePermissions::NoneRequired,
                    Some(alternatives) => {
                        let alternatives: Vec<Alternative> = alternatives
                            .iter()
                            .map(|a| {
                                let scopes: Vec<Scope> = a.iter().map(|&i| POOL[i]).collect();
                                Alternative::new(Vec::leak(scopes))
                            })
                            .collect();
                        SchemePermissions::Scopes(Vec::leak(alternatives))
                    }
                };
                &*Box::leak(Box::new(op("Op", row)))
            })
            .collect()
    }

    /// The answer by brute force over every subset of the scopes the rows name, ranked
    /// by the documented order, written independently of the search.
    fn brute_force(operations: &[&OperationInfo], scheme: Scheme) -> Vec<Scope> {
        let rows: Vec<&SchemePermissions> = operations
            .iter()
            .map(|o| o.permissions.for_scheme(scheme))
            .collect();
        let union: Vec<Scope> = rows
            .iter()
            .flat_map(|r| r.scopes())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let position = |scope: Scope| -> u32 {
            rows.iter()
                .filter_map(|r| {
                    r.alternatives()
                        .iter()
                        .position(|a| a.scopes().contains(&scope))
                })
                .min()
                .unwrap() as u32
        };
        let level = |scope: Scope| -> u32 { u32::from(privilege_level(scope, scheme)) };
        /// Highest level, size, sum of levels, sum of positions, sorted names.
        type Rank<'a> = (u32, usize, u32, u32, Vec<&'a str>);
        let mut best: Option<(Rank<'_>, Vec<Scope>)> = None;
        for bits in 0u32..(1 << union.len()) {
            let set: Vec<Scope> = (0..union.len())
                .filter(|i| bits & (1 << i) != 0)
                .map(|i| union[i])
                .collect();
            if !rows.iter().all(|r| r.allows(&set)) {
                continue;
            }
            let key = (
                set.iter().map(|&s| level(s)).max().unwrap_or(0),
                set.len(),
                set.iter().map(|&s| level(s)).sum(),
                set.iter().map(|&s| position(s)).sum(),
                set.iter().map(|s| s.name()).collect::<Vec<_>>(), // union is name-sorted
            );
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, set));
            }
        }
        let mut set = best.expect("every row has an alternative").1;
        set.sort_by_key(|&s| (level(s), s.name()));
        set
    }

    /// Every ordering of `items` (Heap's algorithm).
    fn permutations<T: Copy>(items: &[T]) -> Vec<Vec<T>> {
        fn heap<T: Copy>(k: usize, items: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
            if k <= 1 {
                out.push(items.clone());
                return;
            }
            for i in 0..k {
                heap(k - 1, items, out);
                let j = if k.is_multiple_of(2) { i } else { 0 };
                items.swap(j, k - 1);
            }
        }
        let mut out = Vec::new();
        heap(items.len(), &mut items.to_vec(), &mut out);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// The answer allows every call, equals the brute-force minimum (so no allowed
        /// set has a lower highest level, or as low a level and fewer scopes), and is the
        /// same for every ordering of the calls.
        #[test]
        fn least_privileged_is_exact_and_order_free(
            rows in rows(),
            delegated in any::<bool>(),
        ) {
            let scheme = if delegated { Scheme::DelegatedWork } else { Scheme::Application };
            let operations = leak_operations(&rows);
            let answer: Vec<Scope> = least_privileged(&operations, scheme).unwrap().iter().collect();
            for operation in &operations {
                prop_assert!(operation.permissions.for_scheme(scheme).allows(&answer));
            }
            prop_assert_eq!(&answer, &brute_force(&operations, scheme));
            for order in permutations(&operations) {
                let again: Vec<Scope> = least_privileged(&order, scheme).unwrap().iter().collect();
                prop_assert_eq!(&again, &answer);
                prop_assert_eq!(
                    crate::least_privileged_scopes(&order, scheme).unwrap(),
                    answer.clone()
                );
            }
        }
    }
}
