//! `#[pooled]`.

use proc_macro2::TokenStream;

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let _ = args;
    let mut out = syn::Error::new(proc_macro2::Span::call_site(), "#[pooled] is not implemented yet")
        .into_compile_error();
    out.extend(item);
    out
}
