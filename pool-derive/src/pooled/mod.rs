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
//! On any mistake the output is the function as written, less the `#[pooled]`
//! parameter attributes, plus the errors: the body then compiles as the user meant it,
//! and the only errors are ours, each at its token.

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
use item::{ItemFn, NotFn};

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
        outcome => {
            let original = ItemFn {
                sig: split.stripped,
                ..function
            };
            with_errors(original.into_token_stream(), outcome.err())
        }
    }
}

/// The errors first, then `item`, so rustc still sees the item and reports no
/// follow-on errors about a missing function (tokio's `token_stream_with_error`).
fn with_errors(item: TokenStream, error: Option<syn::Error>) -> TokenStream {
    let error = error.map(syn::Error::into_compile_error);
    quote!(#error #item)
}
