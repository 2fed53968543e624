//! The arguments of `#[pooled]`: `crate = PATH` on the function, `pool = EXPR` on a
//! parameter.
//!
//! Read as the derive reads `#[pool(...)]`: each mistake goes to the [`Ctxt`] and reading
//! goes on with the next key, with the same value readers (`crate::value`), the same
//! `crate = PATH` parser (`crate::crate_path`) and the same keyword table
//! (`crate::symbol`).

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Meta, Path};

use crate::crate_path;
use crate::ctxt::Ctxt;
use crate::symbol::{CRATE, FN_KEYS, PARAM_KEYS, POOLED, POOLED_POOL, closest};
use crate::value::{expr_value, skip_value};

/// What the function attribute, `#[pooled(...)]` on the `fn`, says.
///
/// What to borrow, and from where, is said on each parameter, next to the type it
/// concerns; the function only says where the runtime is.
#[derive(Default)]
pub(crate) struct FnArgs {
    /// `crate = PATH`; `None` means `::poolable`.
    pub(crate) krate: Option<Path>,
}

impl FnArgs {
    /// Reads the arguments of `#[pooled(...)]` on the function; mistakes go to `ctxt`.
    pub(crate) fn from_tokens(ctxt: &Ctxt, args: TokenStream) -> FnArgs {
        let mut out = FnArgs::default();
        let parser = syn::meta::parser(|meta| {
            let outcome = if meta.path.is_ident(CRATE) {
                // crate = my_crate::poolable, or crate = "my_crate::poolable"
                crate_path::parse(&meta, POOLED).and_then(|path| out.set_krate(&meta, path))
            } else if meta.path.is_ident(POOLED_POOL) {
                // The likely slip: the pool named on the function instead of the parameter.
                Err(meta.error(
                    "`pool = ...` goes on the parameter, not on the function: \
                     `#[pooled(pool = EXPR)] name: &mut T`",
                ))
            } else if let Some(key) = suggestion(&meta.path, FN_KEYS) {
                Err(meta.error(format_args!(
                    "unknown `#[pooled]` argument `{}` on a function; did you mean `{key}`?",
                    path_text(&meta.path),
                )))
            } else {
                Err(meta.error(format_args!(
                    "unknown `#[pooled]` argument `{}` on a function; the only one is \
                     `crate = PATH`, and parameters take `#[pooled(pool = EXPR)]`",
                    path_text(&meta.path),
                )))
            };
            recover(ctxt, &meta, outcome);
            Ok(())
        });
        // Only malformed syntax gets here (a missing comma, `#[pooled(= x)]`).
        if let Err(error) = syn::parse::Parser::parse2(parser, args) {
            ctxt.syn_error(error);
        }
        out
    }

    /// One setter per option, each checking on the span of what was written.
    fn set_krate(&mut self, meta: &ParseNestedMeta<'_>, path: Path) -> syn::Result<()> {
        if self.krate.is_some() {
            return Err(syn::Error::new_spanned(
                &meta.path,
                "duplicate `#[pooled]` argument `crate`",
            ));
        }
        self.krate = Some(path);
        Ok(())
    }
}

/// What one parameter's `#[pooled]` attribute says.
#[derive(Default)]
pub(crate) struct ParamArgs {
    /// `pool = EXPR`: an expression that dereferences to the `Pool<T>` to borrow from.
    /// `None` means `T`'s default pool.
    pub(crate) pool: Option<Expr>,
}

impl ParamArgs {
    /// Reads `#[pooled]`, `#[pooled()]` or `#[pooled(pool = EXPR)]` into `self`; mistakes
    /// go to `ctxt`.
    pub(crate) fn read_attr(&mut self, ctxt: &Ctxt, attr: &Attribute) {
        match &attr.meta {
            // #[pooled]
            Meta::Path(_) => {}
            // #[pooled(pool = EXPR)]
            Meta::List(list) => {
                let parsed = list.parse_nested_meta(|meta| {
                    let outcome = self.read_key(&meta);
                    recover(ctxt, &meta, outcome);
                    Ok(())
                });
                if let Err(error) = parsed {
                    ctxt.syn_error(error);
                }
            }
            // #[pooled = ...]
            Meta::NameValue(name_value) => ctxt.syn_error(syn::Error::new(
                name_value.eq_token.span,
                "expected `#[pooled]` or `#[pooled(pool = EXPR)]`",
            )),
        }
    }

    fn read_key(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        // pool = EXPR
        if meta.path.is_ident(POOLED_POOL) {
            let expr = expr_value(meta, POOLED, POOLED_POOL)?;
            return self.set_pool(meta, expr);
        }
        if meta.path.is_ident(CRATE) {
            return Err(meta.error(
                "`crate = ...` goes on the function, not on a parameter: \
                 `#[pooled(crate = PATH)] fn ...`",
            ));
        }
        if let Some(key) = suggestion(&meta.path, PARAM_KEYS) {
            return Err(meta.error(format_args!(
                "unknown `#[pooled]` argument `{}`; did you mean `{key}`?",
                path_text(&meta.path),
            )));
        }
        Err(meta.error(format_args!(
            "unknown `#[pooled]` argument `{}`; the only one is `pool = EXPR`",
            path_text(&meta.path),
        )))
    }

    /// One setter per option, each checking on the span of what was written.
    fn set_pool(&mut self, meta: &ParseNestedMeta<'_>, expr: Expr) -> syn::Result<()> {
        if self.pool.is_some() {
            return Err(syn::Error::new_spanned(
                &meta.path,
                "duplicate `#[pooled]` argument `pool`",
            ));
        }
        self.pool = Some(expr);
        Ok(())
    }
}

/// Records a refused key and skips what is left of its value, so that the keys after it
/// are still read and every mistake is reported in one compile.
fn recover(ctxt: &Ctxt, meta: &ParseNestedMeta<'_>, outcome: syn::Result<()>) {
    if let Err(error) = outcome {
        ctxt.syn_error(error);
        skip_value(meta.input);
    }
}

/// The key of `keys` that `path` is a slip for (`pol` for `pool`), if any.
fn suggestion(path: &Path, keys: &[&'static str]) -> Option<&'static str> {
    closest(&path.get_ident()?.to_string(), keys)
}

fn path_text(path: &Path) -> String {
    quote::ToTokens::to_token_stream(path)
        .to_string()
        .replace(' ', "")
}

/// Whether `attr` is ours: `#[pooled]`, whatever its arguments.
///
/// Only the last path segment is looked at, so `#[poolable::pooled]` on a parameter is
/// recognised as well: the attribute on a parameter is never resolved by rustc (this
/// macro removes it first), so its path only has to read right.
pub(crate) fn is_pooled(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == POOLED && segment.arguments.is_none())
}
