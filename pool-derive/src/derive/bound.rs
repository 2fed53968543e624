//! The where-clause of the generated impl.
//!
//! Bounds are put on field types, not on type parameters, so that a type is `Poolable`
//! exactly when the fields it resets are. For example
//!
//! ```text
//! #[derive(Poolable)]
//! struct Batch<T, C> {
//!     items: Vec<T>,            // Vec<T>: Poolable holds for every T
//!     cursor: Box<C>,           // Box<C>: Poolable holds when C: Poolable
//!     #[pool(skip)]
//!     name: Rc<str>,            // skipped: no bound
//!     #[pool(reset = None)]
//!     last: Option<T>,          // assigned: no bound
//! }
//! ```
//!
//! gets `where Vec<T>: Poolable, Box<C>: Poolable`, so `Batch<File, u8>` is `Poolable`
//! (a `Vec<File>` can be cleared) while a `T: Poolable` bound would have refused it.
//! Field types that mention no parameter get no bound: the `reset` call checks them where
//! the type is defined, with the error at the field. An enum whose reset may have to make
//! its default variant from nothing also needs `FieldType: Default` for those fields.
//!
//! `#[pool(bound = "...")]` replaces all of the inferred predicates; the user's own
//! where-clause is always kept.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericParam, Type, WhereClause, WherePredicate};

use super::ast::Input;

pub(crate) fn where_clause(input: &Input, krate: &TokenStream) -> Option<WhereClause> {
    let mut clause = input.original.generics.where_clause.clone();
    let extra = match &input.attrs.bound {
        Some(bound) => bound.value.clone(),
        None => inferred(input, krate),
    };
    if !extra.is_empty() {
        let clause = clause.get_or_insert_with(|| syn::parse_quote!(where));
        clause.predicates.extend(extra);
    }
    clause
}

fn inferred(input: &Input, krate: &TokenStream) -> Vec<WherePredicate> {
    let params: Vec<&Ident> = input
        .original
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(&param.ident),
            GenericParam::Const(param) => Some(&param.ident),
            GenericParam::Lifetime(_) => None,
        })
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    let poolable = input
        .reset_fields()
        .iter()
        .filter(|field| field.resets_via_trait())
        .map(|field| field.ty())
        .filter(|ty| mentions(ty, &params))
        .map(|ty| predicate(ty, quote_spanned!(ty.span()=> #krate::__private::Poolable)));
    let default = input
        .fresh_fields()
        .iter()
        .filter(|field| field.attrs.reset.is_none())
        .map(|field| field.ty())
        .filter(|ty| mentions(ty, &params))
        .map(|ty| predicate(ty, quote_spanned!(ty.span()=> ::core::default::Default)));

    let mut predicates: Vec<WherePredicate> = Vec::new();
    for predicate in poolable.chain(default) {
        // Two fields of one type would repeat a bound; harmless, but noise in expansions.
        let text = predicate.to_token_stream().to_string();
        if !predicates
            .iter()
            .any(|p| p.to_token_stream().to_string() == text)
        {
            predicates.push(predicate);
        }
    }
    predicates
}

fn predicate(ty: &Type, bound: TokenStream) -> WherePredicate {
    syn::parse_quote_spanned!(ty.span()=> #ty: #bound)
}

/// Whether `ty` names one of `params` anywhere (`T`, `Vec<T>`, `[u8; N]`, `T::Item`).
/// Walking tokens rather than the syntax tree also sees through macros in type position;
/// it may over-approximate (a path segment that merely shares a parameter's name), which
/// costs at most a bound that holds anyway.
fn mentions(ty: &Type, params: &[&Ident]) -> bool {
    fn walk(tokens: TokenStream, params: &[&Ident]) -> bool {
        let mut after_quote = false;
        for token in tokens {
            match &token {
                // `'a` is a `'` followed by an ident; a lifetime is not a type parameter.
                TokenTree::Ident(ident) if !after_quote && params.contains(&ident) => {
                    return true;
                }
                TokenTree::Group(group) if walk(group.stream(), params) => return true,
                _ => {}
            }
            after_quote = matches!(&token, TokenTree::Punct(p) if p.as_char() == '\'');
        }
        false
    }
    walk(ty.to_token_stream(), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions_t(ty: Type) -> bool {
        let t: Ident = syn::parse_quote!(T);
        mentions(&ty, &[&t])
    }

    #[test]
    fn finds_parameters_at_any_depth() {
        assert!(mentions_t(syn::parse_quote!(T)));
        assert!(mentions_t(syn::parse_quote!(Vec<Box<T>>)));
        assert!(mentions_t(syn::parse_quote!([T; 4])));
        assert!(mentions_t(syn::parse_quote!(<T as Iterator>::Item)));
    }

    #[test]
    fn ignores_other_names_and_lifetimes() {
        assert!(!mentions_t(syn::parse_quote!(String)));
        assert!(!mentions_t(syn::parse_quote!(Vec<Tee>)));
        assert!(!mentions_t(syn::parse_quote!(&'T str)));
    }
}
