//! The facade's public surface is what its crate docs list, and nothing more.
//!
//! Rust cannot list a crate's exports at run time, so this reads the two `lib.rs` files:
//! a re-export added without a line in the docs, a glob that would leak hidden runtime
//! items (`poolable::DefaultPoolSlot`), or a runtime item that is neither re-exported nor
//! hidden fails here rather than in a user's autocomplete.

use std::collections::BTreeSet;

const FACADE: &str = include_str!("../src/lib.rs");
const RUNTIME: &str = include_str!("../pool-runtime/src/lib.rs");

/// One name a `pub use` exports.
struct Export {
    name: String,
    /// The line above is `#[doc(hidden)]`.
    hidden: bool,
    /// The line above is `#[cfg(feature = ...)]`: rustdoc cannot link it when the feature is
    /// off, so the docs may name it in backticks instead.
    feature: bool,
}

/// The names in every `pub use path::{...};` or `pub use path::name;` of `source`.
fn reexports(source: &str) -> Vec<Export> {
    let mut names = Vec::new();
    let (mut hidden_next, mut feature_next) = (false, false);
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line == "#[doc(hidden)]" {
            hidden_next = true;
            continue;
        }
        if line.starts_with("#[cfg(feature") {
            feature_next = true;
            continue;
        }
        // `pub use $crate::...` is the body of a macro (pool-runtime's `__reexport_axum!`,
        // which the facade calls): an export of whatever crate calls it, not of this one.
        if let Some(rest) = line
            .strip_prefix("pub use ")
            .filter(|rest| !rest.starts_with("$crate"))
        {
            let mut statement = rest.to_owned();
            while !statement.contains(';') {
                statement.push_str(lines.next().expect("unterminated `pub use`").trim());
            }
            let list = match statement.split_once('{') {
                Some((_, list)) => list.trim_end_matches(['}', ';']).to_owned(),
                None => statement
                    .rsplit("::")
                    .next()
                    .unwrap()
                    .trim_end_matches(';')
                    .to_owned(),
            };
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                names.push(Export {
                    name: name.to_owned(),
                    hidden: hidden_next,
                    feature: feature_next,
                });
            }
        }
        if !line.starts_with("#[") {
            (hidden_next, feature_next) = (false, false);
        }
    }
    names
}

/// The facade's public re-exports: those before its hidden `__private` module.
fn facade_public() -> Vec<Export> {
    let public_part = FACADE
        .split("pub mod __private")
        .next()
        .expect("the facade has a __private module");
    reexports(public_part)
}

fn facade_public_names() -> BTreeSet<String> {
    facade_public().into_iter().map(|e| e.name).collect()
}

#[test]
fn the_facade_reexports_by_name_never_by_glob() {
    for line in FACADE
        .lines()
        .filter(|l| l.trim_start().starts_with("pub use"))
    {
        assert!(!line.contains('*'), "glob re-export in the facade: {line}");
    }
}

#[test]
fn every_public_reexport_is_listed_in_the_crate_docs() {
    let docs: String = FACADE
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    for Export { name, feature, .. } in facade_public() {
        let linked = [format!("[`{name}`]"), format!("[`{name}`](")];
        let pooled = format!("[`#[{name}]`]");
        let derive = format!("(derive@{name})");
        let named = format!("`{name}`");
        assert!(
            linked.iter().any(|l| docs.contains(l.as_str()))
                || docs.contains(&pooled)
                || docs.contains(&derive)
                || (feature && docs.contains(&named)),
            "`poolable::{name}` is exported but the crate docs never link it"
        );
    }
}

#[test]
fn every_runtime_export_is_public_in_the_facade_or_hidden() {
    // The one module re-exported through a macro (so that it is there whenever
    // pool-runtime has it): the facade calls that macro.
    if RUNTIME.contains("pub mod axum;") {
        assert!(
            FACADE.contains("pool_runtime::__reexport_axum!();"),
            "pool-runtime has `axum`, but the facade does not re-export it"
        );
    }
    let public = facade_public_names();
    for Export { name, hidden, .. } in reexports(RUNTIME) {
        if hidden {
            assert!(
                !public.contains(&name),
                "`{name}` is hidden in pool-runtime but public in the facade"
            );
        } else {
            assert!(
                public.contains(&name),
                "pool-runtime exports `{name}` but the facade neither re-exports it nor is \
                 it `#[doc(hidden)]` in pool-runtime"
            );
        }
    }
}
