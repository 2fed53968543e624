//! A function parsed down to its signature: the body stays tokens.
//!
//! `#[pooled]` only changes the parameter list and adds a prologue, so the body is never
//! parsed: that is faster, and whatever is in it (items, macros, syntax newer than our
//! `syn`) reaches rustc exactly as written, spans included.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Signature, Token, Visibility};

/// `#[attrs] vis sig { body }` or `#[attrs] vis sig;`.
pub(crate) struct ItemFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    pub(crate) body: Body,
}

/// What follows the signature.
pub(crate) enum Body {
    /// The braces and everything in them, untouched.
    Block(Group),
    /// A declaration: `fn f();` in a trait or an `extern` block.
    Missing(Token![;]),
}

/// Why an item could not be read as a function.
pub(crate) enum NotFn {
    /// It is another kind of item; the span is its first token after the attributes and
    /// the visibility (`struct`, `impl`, `static`, ...).
    OtherItem(Span),
    /// It starts like a function but `syn` cannot read it. rustc parses an item before
    /// handing it to an attribute, so this is syntax newer than our `syn`: say so rather
    /// than pass the item through with its `#[pooled]` parameters unexpanded.
    Unreadable(syn::Error),
}

impl ItemFn {
    /// Parses `tokens` as a function, telling another item apart from a broken function.
    pub(crate) fn parse(tokens: TokenStream) -> Result<ItemFn, NotFn> {
        syn::parse2::<ItemFn>(tokens.clone()).map_err(|error| {
            match syn::parse2::<ItemHead>(tokens) {
                Ok(ItemHead {
                    fn_like: false,
                    first,
                }) => NotFn::OtherItem(first),
                Ok(ItemHead { fn_like: true, .. }) | Err(_) => NotFn::Unreadable(error),
            }
        })
    }
}

impl Parse for ItemFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body = if input.peek(Token![;]) {
            Body::Missing(input.parse()?)
        } else {
            // The `Group` itself is kept, not rebuilt from its contents, so both braces
            // keep their own spans (rustc points at the closing one for a missing tail
            // expression).
            input.step(|cursor| match cursor.token_tree() {
                Some((TokenTree::Group(group), rest)) if group.delimiter() == Delimiter::Brace => {
                    Ok((Body::Block(group), rest))
                }
                _ => Err(cursor.error("expected `{` or `;` after the signature")),
            })?
        };
        Ok(ItemFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for ItemFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        match &self.body {
            Body::Block(group) => group.to_tokens(tokens),
            Body::Missing(semi) => semi.to_tokens(tokens),
        }
    }
}

/// Enough of an item to tell whether it is meant to be a function: attributes,
/// visibility, then either function qualifiers and `fn` or anything else.
struct ItemHead {
    fn_like: bool,
    /// The first token after attributes and visibility.
    first: Span,
}

impl Parse for ItemHead {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        let first = input.span();
        // const async unsafe safe extern "abi" fn: `const` alone is a constant item.
        let head = input.fork();
        head.parse::<Option<Token![const]>>()?;
        head.parse::<Option<Token![async]>>()?;
        head.parse::<Option<Token![unsafe]>>()?;
        if head.peek(syn::Ident) && head.cursor().ident().is_some_and(|(i, _)| i == "safe") {
            head.parse::<syn::Ident>()?;
        }
        head.parse::<Option<syn::Abi>>()?;
        let fn_like = head.peek(Token![fn]);
        input.parse::<TokenStream>()?;
        Ok(ItemHead { fn_like, first })
    }
}
