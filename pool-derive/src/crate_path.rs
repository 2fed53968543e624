//! The one place that decides how generated code names the `poolable` facade.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

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
