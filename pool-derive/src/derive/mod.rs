//! `#[derive(Poolable)]`.

use proc_macro2::TokenStream;

pub(crate) fn expand(input: syn::DeriveInput) -> TokenStream {
    syn::Error::new_spanned(&input.ident, "#[derive(Poolable)] is not implemented yet")
        .into_compile_error()
}
