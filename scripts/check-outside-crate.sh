#!/usr/bin/env bash
# Checks graphspec as a new user meets it, from crates OUTSIDE the workspace that depend
# on it by path:
#
# 1. a crate written from the README alone compiles the allowed calls and fails
#    `cargo check` on each of the permission rules 1-4 with a message that names the
#    operation and the scopes;
# 2. the README's offline example (the block after `<!-- outside-crate: offline -->`)
#    builds and runs against the emulator: it lists users with typed fields, gets the
#    groups out of `memberOf` and sends a PATCH that sets one field and clears another;
# 3. the Rust snippet `graphspec show` prints for an operation with a typed body compiles.
#
#   scripts/check-outside-crate.sh            # uses a temporary directory
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/outside-crate}"
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "outside"
version = "0.1.0"
edition = "2024"
[dependencies]
graphspec = { path = "$repo/api-defs" }
http = "1"
[workspace]
TOML
cat > "$work/src/main.rs" <<'RS'
use graphspec::prelude::*;
use graphspec::user::{self, ReprocessLicenseAssignment};

graphspec::credential! {
    /// The license bot's app registration.
    pub struct LicenseBot {
        scheme: Application,
        grants: ["User.ReadWrite.All"],
        calls: [user::ReprocessLicenseAssignment],
    }
}

fn main() -> Result<(), graphspec::Error> {
    let req = ReprocessLicenseAssignment::users("047dd774-f1c4-40f2-82f0-278de79f9b83");
    let http: http::Request<Vec<u8>> = req.to_http_request(&graphspec::Cloud::Global.v1())?;
    println!("{} {}", http.method(), http.uri());
    let _authorized = LicenseBot.authorize(ReprocessLicenseAssignment::users("x"));
    Ok(())
}
RS
cp "$work/src/main.rs" "$work/main.ok"
(cd "$work" && cargo run -q) || { echo "FAIL: the allowed program does not build and run"; exit 1; }

fail=0
expect() { # rule, sed expression, text the error must contain
  cp "$work/main.ok" "$work/src/main.rs"
  sed -i "$2" "$work/src/main.rs"
  if out=$(cd "$work" && cargo check -q 2>&1); then
    echo "FAIL: rule $1 compiled"; fail=1
  elif grep -qF "$3" <<<"$out"; then
    echo "ok: rule $1: $(grep -m1 '^error' <<<"$out")"
  else
    echo "FAIL: rule $1 message lacks: $3"; echo "$out"; fail=1
  fi
}
expect 1 's/grants: \["User.ReadWrite.All"\]/grants: ["User.Read.All"]/' \
  'cannot call `user::ReprocessLicenseAssignment`: it needs one of User.ReadWrite.All, Directory.ReadWrite.All'
expect 2 's/scheme: Application/scheme: DelegatedPersonal/; s/grants: \["User.ReadWrite.All"\]/grants: ["User.ReadWrite"]/' \
  'does not support personal Microsoft accounts'
expect 3 's/LicenseBot.authorize(ReprocessLicenseAssignment::users("x"))/LicenseBot.authorize(graphspec::group::DeleteGroup::new("x"))/' \
  'does not declare a call to `DeleteGroup`'
expect 4 's/grants: \["User.ReadWrite.All"\]/grants: ["User.ReadWrite.Al"]/' \
  'did you mean `User.ReadWrite.All`?'

# 2. The README's offline example, as it is written there.
offline=$(mktemp -d)
trap 'rm -rf "$work" "$offline"' EXIT
mkdir -p "$offline/src"
cat > "$offline/Cargo.toml" <<TOML
[package]
name = "offline"
version = "0.1.0"
edition = "2024"
[dependencies]
graphspec = { path = "$repo/api-defs", features = ["client"] }
graphspec-emulator = { path = "$repo/emulator" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
futures = "0.3"
[workspace]
TOML
awk '/<!-- outside-crate: offline -->/ { found = 1; next }
     found && /^```rust/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$repo/README.md" > "$offline/src/main.rs"
if [ ! -s "$offline/src/main.rs" ]; then
  echo "FAIL: no offline example in README.md"; fail=1
elif out=$(cd "$offline" && cargo run -q 2>&1); then
  echo "ok: the README's offline example runs:"; sed 's/^/    /' <<<"$out"
else
  echo "FAIL: the README's offline example does not build or run:"; echo "$out"; fail=1
fi

# 3. What `graphspec show` prints for an operation with a model body compiles.
(cd "$repo" && cargo run -q -p graphspec-cli -- show user.updateUser) > "$work/show.txt"
snippet=$(awk '/^Rust$/ { inside = 1; next }
  inside && /^[^ ]/ { inside = 0 }
  inside { sub(/^    /, ""); print }' "$work/show.txt")
{
  grep '^use ' <<<"$snippet"
  echo 'fn main() -> Result<(), Box<dyn std::error::Error>> {'
  grep -v '^use ' <<<"$snippet" | grep -v '^$'
  echo '    Ok(())'
  echo '}'
} > "$work/src/main.rs"
if out=$(cd "$work" && cargo check -q 2>&1); then
  echo "ok: the snippet of graphspec show user.updateUser compiles"
else
  echo "FAIL: the snippet of graphspec show user.updateUser does not compile:"; cat "$work/src/main.rs"; echo "$out"; fail=1
fi
exit $fail
