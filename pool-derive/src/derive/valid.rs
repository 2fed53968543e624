//! Rules that span more than one key, checked after parsing. Every broken rule is
//! reported (into the `Ctxt`), not just the first.

use super::ast::{Data, Field, Input, Variant};
use super::attr::Setting;
use crate::ctxt::Ctxt;
use crate::symbol::DEFAULT;

pub(crate) fn check(ctxt: &Ctxt, input: &Input) {
    check_new_without_default(ctxt, input);
    match &input.data {
        Data::Struct(fields) => fields.fields.iter().for_each(|f| check_field(ctxt, f)),
        Data::Enum(variants) => {
            check_one_default_variant(ctxt, input, variants);
            for variant in variants {
                variant
                    .fields
                    .fields
                    .iter()
                    .for_each(|f| check_field(ctxt, f));
            }
            check_dropped_variant_fields(ctxt, variants);
        }
        Data::Union(data) => check_not_union(ctxt, data),
    }
}

/// `new` tells the default pool how to make an object, and so does `Default` (every
/// `Default` type's objects are made with `Default::default()`): a type cannot have both.
/// rustc would say so as "conflicting implementations of trait `NewPooled`", a trait the
/// user never wrote; where the derive sees `#[derive(Default)]` it says so itself, at
/// `new`. (A `Default` in the same `derive(...)` list as `Poolable`, or a hand-written
/// impl, is out of its sight: rustc's error then remains, also at `new`.)
fn check_new_without_default(ctxt: &Ctxt, input: &Input) {
    let (Some(new), Some(_)) = (&input.attrs.new, &input.derived_default) else {
        return;
    };
    ctxt.error_spanned_by(
        &new.key,
        "`new` conflicts with `#[derive(Default)]`: the default pool of a `Default` type \
         already makes objects with `Default::default()`; remove one of the two",
    );
}

/// A union cannot say which of its fields is live, so no field can be reset safely; the
/// user has to write the reset. The error sits on the `union` keyword, the one token that
/// makes the type what it is.
fn check_not_union(ctxt: &Ctxt, data: &syn::DataUnion) {
    ctxt.error_spanned_by(
        data.union_token,
        "a union cannot derive `Poolable`: which field holds the value is not known, \
         so none can be reset; implement `Poolable` by hand",
    );
}

/// Resetting an enum means turning it into one chosen variant, and only the user knows
/// which variant is the fresh state, so exactly one must be marked: with
/// `#[pool(default)]`, or with std's `#[default]` (already there for `derive(Default)`,
/// which makes the same variant). With none, the error goes on the enum's name (there is
/// no attribute to point at); with more, on the mark of each variant after the first.
/// Two `#[default]`s are left to `derive(Default)`, which reports them.
fn check_one_default_variant(ctxt: &Ctxt, input: &Input, variants: &[Variant]) {
    let mut marked = variants.iter().filter(|v| v.is_default());
    let Some(first) = marked.next() else {
        ctxt.error_spanned_by(
            &input.original.ident,
            format!(
                "an enum deriving `Poolable` needs one variant marked `#[pool({DEFAULT})]` \
                 (or std's `#[default]`): the variant that reset turns the value into"
            ),
        );
        return;
    };
    for other in marked {
        let name = &first.original.ident;
        match (&other.attrs.default, first.attrs.default.is_some()) {
            (Some(setting), true) => ctxt.error_spanned_by(
                &setting.key,
                format!("only one variant can be `#[pool({DEFAULT})]`, and `{name}` already is"),
            ),
            (Some(setting), false) => ctxt.error_spanned_by(
                &setting.key,
                format!(
                    "`{}` cannot be `#[pool({DEFAULT})]`: `#[default]` on `{name}` already \
                     marks the variant reset turns the value into; remove one of the two",
                    other.original.ident
                ),
            ),
            (None, true) => ctxt.error_spanned_by(
                other.std_default.expect("marked"),
                format!(
                    "`#[default]` on `{}` conflicts with `#[pool({DEFAULT})]` on `{name}`: \
                     both mark the variant reset turns the value into; remove one of the two",
                    other.original.ident
                ),
            ),
            (None, false) => {}
        }
    }
}

/// A field is reset one way: kept (`skip`), assigned (`reset`), handed to a function
/// (`reset_with`), or through its own `Poolable`. `shrink_to` comes after a reset, so it
/// cannot go with `skip`. The error is on whichever of the two keys came second.
fn check_field(ctxt: &Ctxt, field: &Field) {
    let attrs = &field.attrs;
    if let Some(skip) = &attrs.skip {
        let kept = "a skipped field is kept as is";
        conflict(
            ctxt,
            skip,
            attrs.reset.as_ref(),
            &format!("{kept}, not reset"),
        );
        conflict(
            ctxt,
            skip,
            attrs.reset_with.as_ref(),
            &format!("{kept}, not reset"),
        );
        conflict(
            ctxt,
            skip,
            attrs.shrink_to.as_ref(),
            &format!("{kept}, not shrunk"),
        );
    }
    if let Some(reset) = &attrs.reset {
        let reason = "a field is reset one way, by assigning or by calling a function";
        conflict(ctxt, reset, attrs.reset_with.as_ref(), reason);
    }
}

fn conflict<A, B>(ctxt: &Ctxt, a: &Setting<A>, b: Option<&Setting<B>>, reason: &str) {
    let Some(b) = b else { return };
    let (first, second) = if a.order < b.order {
        (&a.key, &b.key)
    } else {
        (&b.key, &a.key)
    };
    let name = |path: &syn::Path| quote::quote!(#path).to_string();
    ctxt.error_spanned_by(
        second,
        format!(
            "`{}` conflicts with `{}`: {reason}",
            name(second),
            name(first)
        ),
    );
}

/// Reset replaces any variant but the default one whole, dropping its fields, so a
/// `reset`, `reset_with` or `shrink_to` there would never run: saying so beats silently
/// ignoring what the user asked for. `skip` is accepted there: "not reset" is exactly
/// what happens to those fields, so it promises nothing that is not kept. Without exactly
/// one default variant this is moot (already an error).
fn check_dropped_variant_fields(ctxt: &Ctxt, variants: &[Variant]) {
    let mut defaults = variants.iter().filter(|v| v.is_default());
    let (Some(default), None) = (defaults.next(), defaults.next()) else {
        return;
    };
    for variant in variants.iter().filter(|v| !v.is_default()) {
        for field in &variant.fields.fields {
            let attrs = &field.attrs;
            let keys = [
                attrs.reset.as_ref().map(|s| &s.key),
                attrs.reset_with.as_ref().map(|s| &s.key),
                attrs.shrink_to.as_ref().map(|s| &s.key),
            ];
            for key in keys.into_iter().flatten() {
                ctxt.error_spanned_by(
                    key,
                    format!(
                        "`{}` does nothing here: reset replaces variant `{}` whole with the \
                         `#[pool({DEFAULT})]` variant `{}`",
                        quote::quote!(#key),
                        variant.original.ident,
                        default.original.ident,
                    ),
                );
            }
        }
    }
}
