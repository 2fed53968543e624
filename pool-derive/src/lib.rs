//! Implementation detail of [`poolable`](https://docs.rs/poolable): `#[derive(Poolable)]`
//! and `#[pooled]`. Depend on `poolable`, which re-exports both with their documentation.

use proc_macro::TokenStream;

mod derive;
mod pooled;

/// Writes a field-wise `Poolable::reset`; see the `poolable` crate for the attributes.
#[proc_macro_derive(Poolable, attributes(pool))]
pub fn derive_poolable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(input).into()
}

/// Borrows the `#[pooled]` parameters of a function from their pools and returns them on
/// every way out; see the `poolable` crate.
#[proc_macro_attribute]
pub fn pooled(args: TokenStream, item: TokenStream) -> TokenStream {
    pooled::expand(args.into(), item.into()).into()
}
