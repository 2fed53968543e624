//! Compile-fail cases: each mistake a user can make with `#[derive(Poolable)]`,
//! `#[pooled]` or the runtime's `#[must_use]` types, pinned with the message and caret they get. Regenerate the `.stderr`
//! files with `TRYBUILD=overwrite cargo test -p poolable-test-suite --test compiletest`, then read each one.
//!
//! rustc's wording and layout change between releases, so the `.stderr` files are
//! written for one toolchain, stable 1.95, and `ui` runs only there. So that a toolchain
//! bump cannot turn the suite into one quiet "ignored" line, `ui_suite_ran` fails on any
//! other toolchain unless `POOLABLE_SKIP_UI=1` says the skip is meant. On a bump,
//! regenerate the files in one reviewed commit and change the three `1.95` below.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are written for stable rustc 1.95"
)]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/derive/*.rs");
    t.compile_fail("tests/ui/pooled/*.rs");
    t.compile_fail("tests/ui/runtime/*.rs");
}

#[test]
fn ui_suite_ran() {
    if ui_runs_here() {
        return;
    }
    if std::env::var_os("POOLABLE_SKIP_UI").is_some_and(|value| value == "1") {
        eprintln!("POOLABLE_SKIP_UI=1: the UI suite was skipped on purpose");
        return;
    }
    panic!(
        "the UI suite did not run: its .stderr files are written for stable rustc 1.95, \
         and this is another toolchain. Regenerate them with \
         `TRYBUILD=overwrite cargo test -p poolable-test-suite --test compiletest`, read every changed file, and \
         move the gate in test-suite/tests/compiletest.rs to this toolchain; or set \
         POOLABLE_SKIP_UI=1 to skip the suite knowingly"
    );
}

#[rustversion::stable(1.95)]
fn ui_runs_here() -> bool {
    true
}

#[rustversion::not(stable(1.95))]
fn ui_runs_here() -> bool {
    false
}
