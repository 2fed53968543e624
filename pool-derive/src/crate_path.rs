//! The one place that decides how generated code names the `poolable` facade, and how
//! `crate = PATH` is read, in both `#[pool(...)]` and `#[pooled(...)]`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Path;
use syn::meta::ParseNestedMeta;

use crate::symbol::CRATE;
use crate::value::path_value;

/// Reads the value of `crate = my_crate::poolable` or `crate = "my_crate::poolable"`, in
/// the attribute named `attr`.
pub(crate) fn parse(meta: &ParseNestedMeta, attr: &str) -> syn::Result<Path> {
    path_value(
        meta,
        attr,
        CRATE,
        "the `poolable` crate",
        "my_crate::poolable",
    )
}

/// `::poolable`, or the path the user gave with `crate = ...` (for crates that re-export
/// `poolable` under another name). Generated code then names items as
/// `#crate_path::__private::Item`.
pub(crate) fn crate_path(path: Option<syn::Path>) -> TokenStream {
    match path {
        Some(path) => path.into_token_stream(),
        None => quote!(::poolable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_absolute_facade_path() {
        assert_eq!(crate_path(None).to_string(), ":: poolable");
    }

    #[test]
    fn keeps_a_given_path_as_written() {
        let path: syn::Path = syn::parse_quote!(my_crate::reexported);
        assert_eq!(crate_path(Some(path)).to_string(), "my_crate :: reexported");
    }
}
