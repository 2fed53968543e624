//! The arguments of `#[pooled]`: `crate = PATH` on the function, `pool = EXPR` on a
//! parameter.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, LitStr, Meta, Path};

use crate::symbol::{CRATE, FN_KEYS, PARAM_KEYS, POOLED, POOLED_POOL as POOL, closest};

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
    /// Parses the arguments of `#[pooled(...)]` on the function.
    pub(crate) fn parse(args: proc_macro2::TokenStream) -> syn::Result<FnArgs> {
        let mut out = FnArgs::default();
        let parser = syn::meta::parser(|meta| {
            // crate = my_crate::poolable, or crate = "my_crate::poolable"
            if meta.path.is_ident(CRATE) {
                let path = path_value(&meta)?;
                out.set_krate(&meta, path)
            } else if meta.path.is_ident(POOL) {
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
            }
        });
        syn::parse::Parser::parse2(parser, args)?;
        Ok(out)
    }

    /// One setter per option, each checking on the span of what was written.
    fn set_krate(&mut self, meta: &ParseNestedMeta<'_>, path: Path) -> syn::Result<()> {
        if self.krate.is_some() {
            return Err(meta.error("duplicate `#[pooled]` argument `crate`"));
        }
        self.krate = Some(path);
        Ok(())
    }
}

/// `= path` or `= "path"`.
fn path_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Path> {
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error("expected `crate = PATH`"));
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        value.parse::<LitStr>()?.parse()
    } else {
        value.call(Path::parse_mod_style)
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

/// What one parameter's `#[pooled]` attribute says.
#[derive(Default)]
pub(crate) struct ParamArgs {
    /// `pool = EXPR`: an expression that dereferences to the `Pool<T>` to borrow from.
    /// `None` means `T`'s default pool.
    pub(crate) pool: Option<Expr>,
}

impl ParamArgs {
    /// Reads `#[pooled]`, `#[pooled()]` or `#[pooled(pool = EXPR)]` into `self`.
    pub(crate) fn parse_attr(&mut self, attr: &Attribute) -> syn::Result<()> {
        match &attr.meta {
            // #[pooled]
            Meta::Path(_) => Ok(()),
            // #[pooled(pool = EXPR)]
            Meta::List(list) => list.parse_nested_meta(|meta| self.parse_one(meta)),
            // #[pooled = ...]
            Meta::NameValue(name_value) => Err(syn::Error::new(
                name_value.eq_token.span,
                "expected `#[pooled]` or `#[pooled(pool = EXPR)]`",
            )),
        }
    }

    fn parse_one(&mut self, meta: ParseNestedMeta<'_>) -> syn::Result<()> {
        // pool = EXPR
        if meta.path.is_ident(POOL) {
            if !meta.input.peek(syn::Token![=]) {
                return Err(meta.error("expected `pool = EXPR`"));
            }
            let expr: Expr = meta.value()?.parse()?;
            return self.set_pool(&meta, expr);
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
            return Err(meta.error("duplicate `#[pooled]` argument `pool`"));
        }
        self.pool = Some(expr);
        Ok(())
    }
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
