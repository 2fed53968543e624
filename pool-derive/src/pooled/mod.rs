//! `#[pooled]`: borrows the marked parameters of a function from their pools.
//!
//! - [`args`]: the attribute's arguments, on the function and on parameters.
//! - [`item`]: the function, parsed down to its signature.
//! - [`param`]: which parameters are pooled, and whether each is `name: &mut T`.
//! - [`rewrite`]: the function with those parameters turned into borrowed locals.
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

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::crate_path::crate_path;
use item::{Body, ItemFn, NotFn};

/// Expands `#[pooled(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match ItemFn::parse(item.clone()) {
        Ok(function) => function,
        Err(NotFn::OtherItem(span)) => {
            let error = syn::Error::new(span, "`#[pooled]` can only be applied to a function");
            return with_errors(item, vec![error]);
        }
        Err(NotFn::Unreadable(error)) => {
            let message = format!("`#[pooled]` could not read this function: {error}");
            return with_errors(item, vec![syn::Error::new(error.span(), message)]);
        }
    };

    let split = param::split(&function.sig);
    let mut errors = Vec::new();
    let args = args::FnArgs::parse(args).unwrap_or_else(|error| {
        errors.push(error);
        args::FnArgs::default()
    });
    if let Some(constness) = &function.sig.constness {
        errors.push(syn::Error::new(
            constness.span,
            "`#[pooled]` cannot be applied to a `const fn`: borrowing from a pool is not const",
        ));
    }
    if let Body::Missing(semi) = &function.body {
        errors.push(syn::Error::new(
            semi.span,
            "`#[pooled]` needs a function body to borrow in; \
             on a trait method, put it on the method in the `impl` instead",
        ));
    }
    if split.marked == 0 {
        errors.push(syn::Error::new(
            function.sig.paren_token.span.join(),
            "this function has no `#[pooled]` parameter; \
             mark the one to borrow: `#[pooled] name: &mut T`",
        ));
    }
    errors.extend(split.errors);

    if errors.is_empty() && !split.clash {
        let krate = crate_path(args.krate);
        rewrite::rewrite_fn(&function, &split.rewritten, &split.pooled, &krate)
    } else {
        let original = ItemFn {
            sig: split.stripped,
            ..function
        };
        with_errors(original.into_token_stream(), errors)
    }
}

/// The errors first, then `item`, so rustc still sees the item and reports no
/// follow-on errors about a missing function (tokio's `token_stream_with_error`).
fn with_errors(item: TokenStream, errors: Vec<syn::Error>) -> TokenStream {
    let errors = errors.into_iter().map(|error| error.into_compile_error());
    quote!(#(#errors)* #item)
}
