//! Finding the `#[pooled]` parameters of a signature and checking their shape.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, FnArg, Ident, Pat, PatType, Signature, Token, Type, TypeReference};

use super::args::{ParamArgs, is_pooled};
use crate::ctxt::Ctxt;

/// A parameter marked `#[pooled]`, checked: `name: &mut T`.
pub(crate) struct PooledParam {
    /// The parameter's other attributes (`#[cfg]`, lint levels), forwarded to the code
    /// that stands for it.
    pub(crate) attrs: Vec<Attribute>,
    /// `mut name: &mut T` is accepted: the binding may then be pointed elsewhere, as a
    /// `mut` parameter could.
    pub(crate) mutability: Option<Token![mut]>,
    pub(crate) ident: Ident,
    pub(crate) colon_token: Token![:],
    /// `&mut T` as written, lifetime included.
    pub(crate) ty: Type,
    /// `T`: what the pool holds.
    pub(crate) elem: Type,
    /// `pool = EXPR`, if given.
    pub(crate) pool: Option<Expr>,
}

/// A signature split by what is pooled.
pub(crate) struct Split {
    /// The signature with the `#[pooled]` parameters removed: what callers see. A
    /// `#[pooled] self` (refused) stays, less the attribute: it is still the receiver.
    pub(crate) rewritten: Signature,
    /// The signature as written, less our parameter attributes. Emitted when the
    /// function itself is refused (`const fn`, no body) or a name clashes, so the body
    /// still compiles against the parameters it names and rustc reports nothing but the
    /// error.
    pub(crate) stripped: Signature,
    /// The `#[pooled]` parameters that passed every check, in order.
    pub(crate) pooled: Vec<PooledParam>,
    /// Every parameter marked `#[pooled]` but `self`, checked or not, less our
    /// attributes: what `rewritten` leaves out, for the stand-in emitted on error.
    pub(crate) removed: Vec<PatType>,
    /// How many parameters carried `#[pooled]`, checked or not.
    pub(crate) marked: usize,
    /// A `#[pooled]` parameter binds the name of another parameter; rustc reports it.
    pub(crate) clash: bool,
}

/// Separates the `#[pooled]` parameters of `sig` from the others; each mistake in a
/// `#[pooled]` parameter goes to `ctxt`.
///
/// Input:
///
/// ```text
/// fn handle(&self, raw: &[u8], #[pooled(pool = self.buffers)] buf: &mut Vec<u8>) -> usize
/// ```
///
/// Output: `rewritten`, `fn handle(&self, raw: &[u8]) -> usize`; `stripped`,
/// `fn handle(&self, raw: &[u8], buf: &mut Vec<u8>) -> usize`; and `buf` in `pooled` and
/// `buf: &mut Vec<u8>` in `removed`.
/// Everything else in the signature (generics, `where`, `async`, ABI, receiver, the
/// other parameters and their attributes) is kept as it came.
pub(crate) fn split(ctxt: &Ctxt, sig: &Signature) -> Split {
    let mut rewritten = Punctuated::<FnArg, Token![,]>::new();
    let mut stripped = Punctuated::<FnArg, Token![,]>::new();
    let mut pooled = Vec::new();
    let mut removed = Vec::new();
    let mut marked = 0;

    for arg in &sig.inputs {
        let (ours, others): (Vec<&Attribute>, Vec<&Attribute>) =
            attrs_of(arg).iter().partition(|attr| is_pooled(attr));
        if ours.is_empty() {
            rewritten.push(arg.clone());
            stripped.push(arg.clone());
            continue;
        }
        marked += 1;
        let mut without_ours = arg.clone();
        *attrs_of_mut(&mut without_ours) = others.into_iter().cloned().collect();
        if let Some(param) = check(ctxt, &ours, &without_ours) {
            pooled.push(param);
        }
        match &without_ours {
            FnArg::Typed(typed) => removed.push(typed.clone()),
            FnArg::Receiver(_) => rewritten.push(without_ours.clone()),
        }
        stripped.push(without_ours);
    }

    let clash = reuses_a_name(sig, &removed);

    Split {
        rewritten: Signature {
            inputs: rewritten,
            ..sig.clone()
        },
        stripped: Signature {
            inputs: stripped,
            ..sig.clone()
        },
        pooled,
        removed,
        marked,
        clash,
    }
}

/// Whether a `#[pooled]` parameter binds a name that another parameter binds too.
///
/// A pooled parameter becomes a `let` in the body (the borrow, or the stand-in emitted
/// on error), where a second binding of the same name would silently shadow the first
/// instead of failing as it does in a parameter list. When this is true the function
/// is emitted as written (less our attributes), so rustc reports the clash on the
/// original list, in its own words.
fn reuses_a_name(sig: &Signature, removed: &[PatType]) -> bool {
    let mut names = Vec::new();
    for arg in &sig.inputs {
        if let FnArg::Typed(typed) = arg {
            bound_names(&typed.pat, &mut names);
        }
    }
    removed.iter().any(|param| {
        let mut own = Vec::new();
        bound_names(&param.pat, &mut own);
        own.iter()
            .any(|ident| names.iter().filter(|name| *name == ident).count() > 1)
    })
}

/// Collects the names a parameter pattern binds.
fn bound_names<'a>(pat: &'a Pat, names: &mut Vec<&'a Ident>) {
    match pat {
        Pat::Ident(pat) => {
            names.push(&pat.ident);
            if let Some((_, sub)) = &pat.subpat {
                bound_names(sub, names);
            }
        }
        Pat::Tuple(tuple) => tuple.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::TupleStruct(tuple) => tuple.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::Slice(slice) => slice.elems.iter().for_each(|p| bound_names(p, names)),
        Pat::Struct(pat) => pat.fields.iter().for_each(|f| bound_names(&f.pat, names)),
        Pat::Reference(pat) => bound_names(&pat.pat, names),
        Pat::Paren(pat) => bound_names(&pat.pat, names),
        Pat::Type(pat) => bound_names(&pat.pat, names),
        _ => {}
    }
}

fn attrs_of(arg: &FnArg) -> &[Attribute] {
    match arg {
        FnArg::Receiver(receiver) => &receiver.attrs,
        FnArg::Typed(typed) => &typed.attrs,
    }
}

fn attrs_of_mut(arg: &mut FnArg) -> &mut Vec<Attribute> {
    match arg {
        FnArg::Receiver(receiver) => &mut receiver.attrs,
        FnArg::Typed(typed) => &mut typed.attrs,
    }
}

/// Checks one marked parameter, `arg` being it without our attributes. Mistakes in the
/// attribute are all reported; of the parameter's own, the first, in the order a reader
/// meets them: name, then type. `None` when it has one of those.
fn check(ctxt: &Ctxt, ours: &[&Attribute], arg: &FnArg) -> Option<PooledParam> {
    let mut args = ParamArgs::default();
    for (n, attr) in ours.iter().enumerate() {
        if n > 0 {
            ctxt.error_spanned_by(attr, "duplicate `#[pooled]` attribute on this parameter");
        } else {
            args.read_attr(ctxt, attr);
        }
    }
    let typed = match arg {
        FnArg::Typed(typed) => typed,
        FnArg::Receiver(receiver) => {
            ctxt.syn_error(syn::Error::new(
                receiver.self_token.span,
                "`self` cannot be `#[pooled]`: mark a parameter `name: &mut T` instead",
            ));
            return None;
        }
    };
    let checked = check_pat(typed).and_then(|pat| Ok((pat, check_type(&typed.ty)?)));
    let ((mutability, ident), elem) = checked.map_err(|error| ctxt.syn_error(error)).ok()?;
    Some(PooledParam {
        attrs: typed.attrs.clone(),
        mutability,
        ident,
        colon_token: typed.colon_token,
        ty: (*typed.ty).clone(),
        elem,
        pool: args.pool,
    })
}

/// Input: the pattern of `pat: ty`. Output: `name` or `mut name`.
///
/// Anything else is refused: the body gets a `let` of the same shape, and a pattern that
/// destructures would move out of the borrowed object.
fn check_pat(typed: &PatType) -> syn::Result<(Option<Token![mut]>, Ident)> {
    match &*typed.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
            Ok((pat.mutability, pat.ident.clone()))
        }
        other => Err(syn::Error::new_spanned(
            other,
            "a `#[pooled]` parameter must be a name, as in `name: &mut T`, not a pattern",
        )),
    }
}

/// Input: `&mut T` as written. Output: `T`.
fn check_type(ty: &Type) -> syn::Result<Type> {
    match ungroup(ty) {
        Type::Reference(TypeReference {
            mutability: Some(_),
            lifetime,
            elem,
            ..
        }) => {
            if let Some(lifetime) = lifetime.as_ref().filter(|l| l.ident != "_") {
                return Err(syn::Error::new_spanned(
                    lifetime,
                    "a `#[pooled]` parameter cannot name a lifetime: \
                     the object is lent for this call only, so write `&mut T`",
                ));
            }
            check_elem(elem)?;
            Ok((**elem).clone())
        }
        reference @ Type::Reference(_) => Err(syn::Error::new_spanned(
            reference,
            "a `#[pooled]` parameter must be `&mut T`, not `&T`: \
             the object is reset when it goes back, so it is lent mutably",
        )),
        other => Err(syn::Error::new_spanned(
            other,
            "a `#[pooled]` parameter must be `&mut T`: \
             the object stays owned by its pool and is lent for this call",
        )),
    }
}

/// Input: `T` of `&mut T`.
///
/// `T` is written into the body (`global::<T>()`, `Pool::<T>`, the binding's type),
/// where `impl Trait` is not allowed; rustc would say so twice, at positions the user
/// never wrote, so it is refused here once.
fn check_elem(elem: &Type) -> syn::Result<()> {
    match ungroup(elem) {
        Type::ImplTrait(impl_trait) => Err(syn::Error::new(
            impl_trait.impl_token.span,
            "a `#[pooled]` parameter needs a concrete type, not `impl Trait`: \
             the type chooses the pool; use a type parameter instead",
        )),
        _ => Ok(()),
    }
}

/// Sees through the invisible groups that `macro_rules!` puts around a `$ty`, and through
/// parentheses.
fn ungroup(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => ungroup(&group.elem),
        Type::Paren(paren) => ungroup(&paren.elem),
        other => other,
    }
}
