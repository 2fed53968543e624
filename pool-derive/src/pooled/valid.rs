//! Rules checked once the function and its `#[pooled]` parameters are read, as the
//! derive's `valid.rs` does for its attributes: what the function must be for the
//! rewrite to apply, and what a pooled type must be for its object to go back to a pool.
//! Every broken rule is reported (into the `Ctxt`), not just the first.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Lifetime, ParenthesizedGenericArguments, TraitBound, Type, TypeBareFn, TypeReference};

use super::item::{Body, ItemFn};
use super::param::Split;
use crate::ctxt::Ctxt;

pub(crate) fn check(ctxt: &Ctxt, function: &ItemFn, split: &Split) {
    check_not_const(ctxt, function);
    check_has_body(ctxt, function);
    check_has_pooled_parameter(ctxt, function, split);
    for param in &split.pooled {
        check_static(ctxt, &param.elem);
    }
}

/// Borrowing from a pool runs at run time; a `const fn` may be called at compile time.
/// The error is on `const`.
fn check_not_const(ctxt: &Ctxt, function: &ItemFn) {
    if let Some(constness) = &function.sig.constness {
        ctxt.syn_error(syn::Error::new(
            constness.span,
            "`#[pooled]` cannot be applied to a `const fn`: borrowing from a pool is not const",
        ));
    }
}

/// The borrow is written at the top of the body, so there must be one. A trait method's
/// declaration has none, and its `impl` is where the attribute belongs.
fn check_has_body(ctxt: &Ctxt, function: &ItemFn) {
    if let Body::Missing(semi) = &function.body {
        ctxt.syn_error(syn::Error::new(
            semi.span,
            "`#[pooled]` needs a function body to borrow in; \
             on a trait method, put it on the method in the `impl` instead",
        ));
    }
}

/// The attribute on a function with nothing to borrow is a slip (the parameter's own
/// `#[pooled]` forgotten); the error is on the parameter list.
fn check_has_pooled_parameter(ctxt: &Ctxt, function: &ItemFn, split: &Split) {
    if split.marked == 0 {
        ctxt.syn_error(syn::Error::new(
            function.sig.paren_token.span.join(),
            "this function has no `#[pooled]` parameter; \
             mark the one to borrow: `#[pooled] name: &mut T`",
        ));
    }
}

/// The object goes back to its pool when the call ends and is lent to later calls, so
/// `T` must be `'static`: what it borrows would not outlive the call. rustc's own error
/// for this ("lifetime may not live long enough ... '1 must outlive 'static") names
/// neither the pool nor the way out, so a borrow in `T` (a reference, or a lifetime
/// other than `'static`) is refused here, at the reference or lifetime.
fn check_static(ctxt: &Ctxt, elem: &Type) {
    struct FindBorrow(Option<TokenStream>);

    impl VisitMut for FindBorrow {
        fn visit_type_reference_mut(&mut self, reference: &mut TypeReference) {
            let is_static = reference
                .lifetime
                .as_ref()
                .is_some_and(|lifetime| lifetime.ident == "static");
            if self.0.is_none() && !is_static {
                self.0 = Some(reference.to_token_stream());
            }
            visit_mut::visit_type_reference_mut(self, reference);
        }

        // `fn(&str)`, `Fn(&str)` and `for<'a> ...` borrow nothing: their lifetimes are
        // the callee's, bound at each call.
        fn visit_type_bare_fn_mut(&mut self, _: &mut TypeBareFn) {}

        fn visit_parenthesized_generic_arguments_mut(
            &mut self,
            _: &mut ParenthesizedGenericArguments,
        ) {
        }

        fn visit_trait_bound_mut(&mut self, bound: &mut TraitBound) {
            if bound.lifetimes.is_none() {
                visit_mut::visit_trait_bound_mut(self, bound);
            }
        }

        fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
            if self.0.is_none() && lifetime.ident != "static" {
                self.0 = Some(lifetime.to_token_stream());
            }
        }
    }

    let mut find = FindBorrow(None);
    find.visit_type_mut(&mut elem.clone());
    if let Some(borrow) = find.0 {
        let written = borrow.to_string().replace("& ", "&").replace("' ", "'");
        ctxt.error_spanned_by(
            &borrow,
            format!(
                "a `#[pooled]` object outlives the call (it goes back to its pool for \
                 later calls), so its type must be `'static`, and `{written}` borrows; \
                 store owned data (`String`, `Vec<u8>`) or ranges into a buffer instead"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn borrows(ty: Type) -> bool {
        let ctxt = Ctxt::new();
        check_static(&ctxt, &ty);
        ctxt.check().is_err()
    }

    #[test]
    fn references_and_lifetimes_borrow() {
        assert!(borrows(syn::parse_quote!(Vec<&str>)));
        assert!(borrows(syn::parse_quote!(Parser<'a>)));
        assert!(borrows(syn::parse_quote!(Parser<'_>)));
        assert!(borrows(syn::parse_quote!(Box<dyn Read + 'a>)));
        assert!(borrows(syn::parse_quote!((String, &'a [u8]))));
    }

    #[test]
    fn static_data_and_signatures_do_not() {
        assert!(!borrows(syn::parse_quote!(Vec<&'static str>)));
        assert!(!borrows(syn::parse_quote!(Vec<String>)));
        assert!(!borrows(syn::parse_quote!(Vec<fn(&str) -> usize>)));
        assert!(!borrows(syn::parse_quote!(Vec<Box<dyn Fn(&str) -> usize>>)));
        assert!(!borrows(syn::parse_quote!(Box<dyn for<'a> Visit<'a>>)));
        assert!(!borrows(syn::parse_quote!(T)));
    }
}
