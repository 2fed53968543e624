//! Readers for the value of one `key = value` in `#[pool(...)]` and `#[pooled(...)]`,
//! shared so that both attributes accept the same syntax and word their errors alike.
//! `attr` is the attribute's name, for the messages.

use proc_macro2::{TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Expr, LitStr, Path, Token};

/// Consumes what is left of the current key's value, up to the next `,`, so that parsing
/// can go on with the next key after a mistake.
pub(crate) fn skip_value(input: ParseStream) {
    while !input.is_empty() && !input.peek(Token![,]) {
        if input.parse::<TokenTree>().is_err() {
            return;
        }
    }
}

/// The tokens from here to the next `,`, taken for an error span.
pub(crate) fn rest_of_value(input: ParseStream) -> TokenStream {
    let mut rest = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<TokenTree>() {
            Ok(tree) => rest.extend([tree]),
            Err(_) => break,
        }
    }
    rest
}

/// `key` alone: `skip`, `default`.
pub(crate) fn flag_value(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
    } else if !meta.input.peek(syn::token::Paren) {
        // Nothing, or a missing comma (`skip reset`), which syn reports as such.
        return Ok(());
    }
    let value = rest_of_value(meta.input);
    Err(syn::Error::new_spanned(
        value,
        format!("`{key}` takes no value; write `#[{attr}({key})]`"),
    ))
}

/// `key = EXPR`.
pub(crate) fn expr_value(meta: &ParseNestedMeta, attr: &str, key: &str) -> syn::Result<Expr> {
    if !meta.input.peek(Token![=]) {
        return Err(syn::Error::new_spanned(
            &meta.path,
            format!("`{key}` needs a value: `#[{attr}({key} = EXPR)]`"),
        ));
    }
    meta.value()?.parse()
}

/// `key = PATH` or, as serde accepts, `key = "PATH"`.
pub(crate) fn path_value(
    meta: &ParseNestedMeta,
    attr: &str,
    key: &str,
    what: &str,
    example: &str,
) -> syn::Result<Path> {
    if !meta.input.peek(Token![=]) {
        return Err(syn::Error::new_spanned(
            &meta.path,
            format!("`{key}` needs a value: `#[{attr}({key} = PATH)]`"),
        ));
    }
    let input = meta.value()?;
    let expected = format!("expected a path to {what}, like `{key} = {example}`");
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return lit
            .parse::<Path>()
            .map_err(|_| syn::Error::new_spanned(&lit, expected));
    }
    match input.parse::<Expr>()? {
        Expr::Path(expr) if expr.qself.is_none() && expr.attrs.is_empty() => Ok(expr.path),
        other => Err(syn::Error::new_spanned(other, expected)),
    }
}
