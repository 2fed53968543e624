//! Compile-fail cases: each mistake a user can make with `#[derive(Poolable)]` or
//! `#[pooled]`, pinned with the message and caret they get. Regenerate the `.stderr`
//! files with `TRYBUILD=overwrite cargo test --test compiletest`, then read each one.

#[rustversion::attr(not(stable(1.95)), ignore = "stderr snapshots are for rustc 1.95")]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/derive/*.rs");
    t.compile_fail("tests/ui/pooled/*.rs");
}
