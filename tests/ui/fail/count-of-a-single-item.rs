// `into_count` exists only on operations that answer a collection: one user has no
// `…/$count`.
use graphspec::prelude::*;
use graphspec::user;

fn main() {
    let _ = user::GetUser::me().into_count();
}
