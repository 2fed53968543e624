//! `#[pooled]`: borrows the marked parameters of a function from their pools.
//!
//! - [`args`]: the attribute's arguments, on the function and on parameters.
//! - [`item`]: the function, parsed down to its signature.
//! - [`param`]: which parameters are pooled, and whether each is `name: &mut T`.
//! - [`valid`]: the rules that span the function and its parameters.
//! - [`rewrite`]: the function with those parameters turned into borrowed locals.
//!
//! As the derive: parse (arguments, function, parameters) -> validate -> emit, with
//! every mistake collected in one `Ctxt`.
//!
//! On any mistake the output is the errors, each at its token, plus a function that
//! draws no more: as callers expect it (the `#[pooled]` parameters removed) with a body
//! that type-checks against stand-ins for them ([`rewrite::stand_in_fn`]); or, when the
//! function itself is refused (`const fn`, no body) or a name clashes, the function as
//! written, less the `#[pooled]` parameter attributes.

mod args;
mod item;
mod param;
mod rewrite;
#[cfg(test)]
mod tests;
mod valid;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::crate_path::crate_path;
use crate::ctxt::Ctxt;
use item::{Body, ItemFn, NotFn};

/// Expands `#[pooled(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match ItemFn::parse(item.clone()) {
        Ok(function) => function,
        Err(NotFn::OtherItem(span)) => {
            let error = syn::Error::new(span, "`#[pooled]` can only be applied to a function");
            return with_errors(item, Some(error));
        }
        Err(NotFn::Unreadable(error)) => {
            let message = format!("`#[pooled]` could not read this function: {error}");
            return with_errors(item, Some(syn::Error::new(error.span(), message)));
        }
    };

    let ctxt = Ctxt::new();
    let args = args::FnArgs::from_tokens(&ctxt, args);
    let split = param::split(&ctxt, &function.sig);
    valid::check(&ctxt, &function, &split);

    match ctxt.check() {
        Ok(()) if !split.clash => {
            let krate = crate_path(args.krate);
            rewrite::rewrite_fn(&function, &split.rewritten, &split.pooled, &krate)
        }
        Err(error) if !split.clash && could_be_rewritten(&function) => {
            let stand_in = rewrite::stand_in_fn(&function, &split.rewritten, &split.removed);
            with_errors(stand_in, Some(error))
        }
        outcome => {
            let original = ItemFn {
                sig: split.stripped,
                ..function
            };
            with_errors(original.into_token_stream(), outcome.err())
        }
    }
}

/// Whether the refusal, if any, leaves the function itself alone: a `const fn` or a
/// declaration is emitted as written, since no rewrite of it is what the user meant.
fn could_be_rewritten(function: &ItemFn) -> bool {
    function.sig.constness.is_none() && matches!(function.body, Body::Block(_))
}

/// The errors first, then `item`, so rustc still sees the item and reports no
/// follow-on errors about a missing function (tokio's `token_stream_with_error`).
fn with_errors(item: TokenStream, error: Option<syn::Error>) -> TokenStream {
    let error = error.map(syn::Error::into_compile_error);
    quote!(#error #item)
}
