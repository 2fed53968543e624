//! `#[derive(Poolable)]`: view -> validate -> emit, or errors plus a stub impl.

mod ast;
mod attr;
mod bound;
mod emit;
mod fallback;
mod valid;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use crate::crate_path::crate_path;
use crate::ctxt::Ctxt;

/// Expands the derive over proc_macro2 types, so it can be unit-tested.
pub(crate) fn expand(input: syn::DeriveInput) -> TokenStream {
    let ctxt = Ctxt::new();
    let view = ast::Input::from_syn(&ctxt, &input);
    valid::check(&ctxt, &view);
    let krate = crate_path(view.attrs.krate.as_ref().map(|krate| krate.value.clone()));
    match ctxt.check() {
        Ok(()) => emit::impl_poolable(&view, &krate),
        Err(error) => fallback::expand(&view, &krate, error),
    }
}
