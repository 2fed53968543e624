//! The rewrite: pooled parameters become locals borrowed at the top of the body.

use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;

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
    let ItemFn {
        attrs, vis, body, ..
    } = item;
    let Body::Block(block) = body else {
        unreachable!("a declaration is refused before the rewrite")
    };
    let prologue: TokenStream = pooled.iter().map(|param| prologue(param, krate)).collect();
    // A one-expression body `{ buf.len() }` nested as the tail of our block would trip
    // `unused_braces` on braces the user wrote as a fn body; its expression goes in
    // bare instead. It has no statements, locals or inner attributes to keep apart.
    let body = match syn::parse2::<Expr>(block.stream()) {
        Ok(expr) => expr.into_token_stream(),
        Err(_) => block.to_token_stream(),
    };
    let mut outer = Group::new(Delimiter::Brace, quote!(#prologue #body));
    outer.set_span(block.span());
    quote!(#(#attrs)* #vis #rewritten #outer)
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
/// let mut req = ::poolable::__private::Pool::get(::poolable::__private::default_pool::<Request>());
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
            #krate::__private::Pool::get(#krate::__private::default_pool::<#elem>())
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
