//! The rewrite: pooled parameters become locals borrowed at the top of the body.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Token, Type, TypeGroup, TypeInfer, TypeParen, TypeTraitObject};

use super::item::{Body, ItemFn};
use super::param::PooledParam;

/// Input:
///
/// ```text
/// #[attrs] vis fn name(raw: &[u8], #[pooled] req: &mut Request) -> usize { body }
/// ```
///
/// Output (`rewritten` is the signature without the pooled parameters, made by
/// [`split`](super::param::split)):
///
/// ```text
/// #[attrs] vis fn name(raw: &[u8]) -> usize {
///     <prologue for req>
///     { body }
/// }
/// ```
///
/// The user's block goes in whole, braces and all, rather than spliced after the
/// prologue: its inner attributes (`#![allow(...)]`) stay first in a block, its spans stay
/// exactly as written, and its locals drop before the guards do, so a local that
/// borrows a pooled object can never outlive it.
pub(crate) fn rewrite_fn(
    item: &ItemFn,
    rewritten: &syn::Signature,
    pooled: &[PooledParam],
    krate: &TokenStream,
) -> TokenStream {
    let prologue: TokenStream = pooled.iter().map(|param| prologue(param, krate)).collect();
    with_prologue(item, rewritten, prologue)
}

/// What is emitted, beside the errors, when a `#[pooled]` parameter is refused but the
/// function could be rewritten: the function as callers expect it, so that a call
/// without the pooled arguments raises no "this function takes 2 arguments" (E0061), and
/// a body that still type-checks, so that the only errors are ours.
///
/// Input:
///
/// ```text
/// fn split(line: &str, #[pooled] words: &mut Vec<&str>) -> usize { body }
/// fn tuple(#[pooled] (a, b): &mut (A, B), #[pooled] out: &mut impl Write) { body }
/// ```
///
/// Output:
///
/// ```text
/// fn split(line: &str) -> usize {
///     #[allow(clippy::redundant_closure_call)]
///     let words: &mut Vec<&str> = (|| ::core::unreachable!())();
///     { body }
/// }
/// fn tuple() {
///     #[allow(clippy::redundant_closure_call)]
///     let (a, b): &mut (A, B) = (|| ::core::unreachable!())();
///     #[allow(clippy::redundant_closure_call)]
///     let out: &mut dyn Write = (|| ::core::unreachable!())();
///     { body }
/// }
/// ```
///
/// Each removed parameter becomes a `let` of its pattern and type as written, so the body
/// finds every name it uses, with the type it was written against. The lifetimes elided
/// in that type are inferred, as in any `let`, so a type that borrows (refused: it is
/// not `'static`) does not also draw rustc's "lifetime may not live long enough" and its
/// advice to name a lifetime, which is the one thing a pooled object cannot do.
///
/// The value is a closure's call rather than `unreachable!()` itself: a diverging
/// initializer makes the body unreachable code, where rustc reports every parameter and
/// every `let` as unused, and a `ref` pattern does not accept `!` at all. The closure
/// never runs, as the function never does: its compile fails on our errors.
///
/// `impl Trait` is not allowed in a `let`'s type: behind a reference it becomes
/// `dyn Trait`, whose methods the body can still call; elsewhere, `_`.
pub(crate) fn stand_in_fn(
    item: &ItemFn,
    rewritten: &syn::Signature,
    removed: &[syn::PatType],
) -> TokenStream {
    let prologue: TokenStream = removed.iter().map(stand_in).collect();
    with_prologue(item, rewritten, prologue)
}

/// Input: `#[cfg(x)] (a, b): &mut (A, B)`. Output:
/// `#[cfg(x)] let (a, b): &mut (A, B) = (|| ::core::unreachable!())();`, spanned at the
/// parameter.
fn stand_in(param: &syn::PatType) -> TokenStream {
    let syn::PatType {
        attrs,
        pat,
        colon_token,
        ty,
    } = param;
    let mut ty = (**ty).clone();
    NoImplTrait { behind_ref: false }.visit_type_mut(&mut ty);
    quote_spanned! {param.span()=>
        #(#attrs)*
        #[allow(clippy::redundant_closure_call)]
        let #pat #colon_token #ty = (|| ::core::unreachable!())();
    }
}

/// Rewrites the `impl Trait` in a type, which a `let` refuses: `dyn Trait` behind a
/// reference or pointer, `_` elsewhere. The `dyn` takes the span of `impl`.
struct NoImplTrait {
    behind_ref: bool,
}

impl VisitMut for NoImplTrait {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        let behind_ref = std::mem::replace(&mut self.behind_ref, false);
        match ty {
            Type::ImplTrait(impl_trait) if behind_ref => {
                *ty = Type::TraitObject(TypeTraitObject {
                    dyn_token: Some(Token![dyn](impl_trait.impl_token.span)),
                    bounds: impl_trait.bounds.clone(),
                });
            }
            Type::ImplTrait(impl_trait) => {
                *ty = Type::Infer(TypeInfer {
                    underscore_token: Token![_](impl_trait.impl_token.span),
                });
            }
            Type::Reference(reference) => {
                self.behind_ref = true;
                self.visit_type_mut(&mut reference.elem);
            }
            Type::Ptr(pointer) => {
                self.behind_ref = true;
                self.visit_type_mut(&mut pointer.elem);
            }
            // Parentheses and `macro_rules!` groups are seen through.
            Type::Paren(TypeParen { elem, .. }) | Type::Group(TypeGroup { elem, .. }) => {
                self.behind_ref = behind_ref;
                self.visit_type_mut(elem);
            }
            other => visit_mut::visit_type_mut(self, other),
        }
    }
}

/// `#[attrs] vis sig { prologue body }`: the body nested whole after `prologue`.
fn with_prologue(item: &ItemFn, sig: &syn::Signature, prologue: TokenStream) -> TokenStream {
    let ItemFn {
        attrs, vis, body, ..
    } = item;
    let Body::Block(block) = body else {
        unreachable!("a declaration is refused before the rewrite")
    };
    // A one-expression body `{ buf.len() }` nested as the tail of our block would trip
    // `unused_braces` on braces the user wrote as a fn body; its expression goes in
    // bare instead. It has no statements, locals or inner attributes to keep apart.
    let body = match syn::parse2::<Expr>(block.stream()) {
        Ok(expr) => expr.into_token_stream(),
        Err(_) => block.to_token_stream(),
    };
    let mut outer = Group::new(Delimiter::Brace, quote!(#prologue #body));
    outer.set_span(block.span());
    quote!(#(#attrs)* #vis #sig #outer)
}

/// Input:
///
/// ```text
/// #[cfg(feature = "x")] #[pooled] mut req: &mut Request
/// #[pooled(pool = Arc::clone(&self.buffers))] buf: &mut Vec<u8>
/// ```
///
/// Output:
///
/// ```text
/// #[cfg(feature = "x")]
/// let mut req = ::poolable::__private::Pool::get(<Request as ::poolable::__private::HasDefaultPool>::default_pool());
/// #[cfg(feature = "x")]
/// #[allow(clippy::shadow_same)]
/// let mut req: &mut Request = &mut *req;
///
/// let __poolable_pool_buf: &::poolable::__private::Pool<Vec<u8>> = &Arc::clone(&self.buffers);
/// let mut buf = ::poolable::__private::Pool::get(__poolable_pool_buf);
/// #[allow(clippy::shadow_same)]
/// let buf: &mut Vec<u8> = &mut *buf;
/// ```
///
/// The guard's `let` (`Pooled<'_, T>`) is a local of the function, so the object goes
/// back to its pool however the function ends (by return, `?`, or the end of the body;
/// when unwinding, the guard drops it instead), and the borrow checker refuses any
/// reference into it that would outlive the call. The next `let` shadows it with the
/// parameter as declared, so the body can reach the object only through that `&mut T`,
/// and reads as if the parameter were still there.
///
/// `pool = EXPR` is evaluated once, at the top of the function, into a reference that
/// lives for the whole call: a `let x = &EXPR;` keeps a temporary `EXPR` alive to the end
/// of the enclosing block (temporary lifetime extension), so `Arc::clone(&self.buffers)`
/// works, and, owning its `Arc`, leaves `self` free for a `&mut self` body
/// (issue: E0716 when the reference was taken inside an inner block).
///
/// The guard takes the parameter's name, with the parameter's span and hygiene, for the
/// messages: returning a reference into the object then reads "cannot return value
/// referencing local variable `buf`" and "`buf` does not live long enough", at the
/// parameter. A `__poolable_` name would show in those messages, and a `mixed_site`
/// one makes rustc call the guard a "temporary value", which it is not.
///
/// `::poolable` is `krate`: the path given with `#[pooled(crate = PATH)]`, if any.
fn prologue(param: &PooledParam, krate: &TokenStream) -> TokenStream {
    let PooledParam {
        attrs,
        mutability,
        ident,
        colon_token,
        ty,
        elem,
        pool,
    } = param;
    // `#[cfg]` must remove every statement; lint levels concern the user's binding only.
    let cfgs: TokenStream = attrs
        .iter()
        .filter(|attr| is_cfg(attr))
        .map(ToTokens::to_token_stream)
        .collect();
    let span = ident.span();
    let mut out = TokenStream::new();

    let borrow = match pool {
        // Spanned at `T`, so that "`T` has no default pool" and the other unmet bounds of
        // the default pool point at the type the user wrote.
        None => quote_spanned! {elem.span()=>
            #krate::__private::Pool::get(<#elem as #krate::__private::HasDefaultPool>::default_pool())
        },
        // `&EXPR` is coerced to `&Pool<T>`, so any expression that dereferences to the
        // pool works (`Pool<T>`, `&Pool<T>`, `Arc<Pool<T>>`, a `LazyLock<Pool<T>>`
        // static). The coercion is a typed `let` rather than a call's argument so that
        // one of the wrong type reads "expected `&Pool<T>`" at EXPR, "expected due to
        // this" at the parameter's `T`, and quotes no runtime source.
        Some(pool) => {
            let pool_ty = quote_spanned!(elem.span()=> &#krate::__private::Pool<#elem>);
            let pool_ref = format_ident!("__poolable_pool_{}", ident, span = Span::mixed_site());
            // `pool = &x` is taken as it is: adding a `&` would make clippy's
            // `needless_borrow` fire on the user's expression.
            let pool_expr = match pool {
                Expr::Reference(_) => pool.to_token_stream(),
                _ => quote_spanned!(pool.span()=> &#pool),
            };
            out.extend(cfgs.clone());
            out.extend(quote_spanned!(pool.span()=> let #pool_ref: #pool_ty = #pool_expr;));
            quote_spanned!(pool.span()=> #krate::__private::Pool::get(#pool_ref))
        }
    };

    out.extend(cfgs);
    out.extend(quote_spanned!(span=> let mut #ident = #borrow;));
    for attr in attrs {
        attr.to_tokens(&mut out);
    }
    // `shadow_same` (a restriction lint, off by default) would flag the shadowing that
    // is the point of this `let`, at the user's parameter.
    out.extend(quote_spanned! {span=>
        #[allow(clippy::shadow_same)]
        let #mutability #ident #colon_token #ty = &mut *#ident;
    });
    out
}

fn is_cfg(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")
}
