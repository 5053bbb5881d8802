//! Compile-fail and compile-pass tests: the permission rules and definition errors as a
//! user sees them. See `ui/README.md`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
