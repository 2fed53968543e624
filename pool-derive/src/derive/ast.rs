//! A view of the `DeriveInput` with our attributes parsed, keeping the original syn nodes
//! for spans.

use proc_macro2::{Ident, Span};
use syn::{Data as SynData, DeriveInput, Index, Member, Type};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) struct Input<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) attrs: attr::Container,
    /// `Default` in a `#[derive(...)]` that this derive can see: one written after the
    /// attribute that lists `Poolable` (rustc hands a derive the item without its own
    /// `derive` attribute, nor the ones before it).
    pub(crate) derived_default: Option<syn::Path>,
    pub(crate) data: Data<'a>,
}

pub(crate) enum Data<'a> {
    Struct(Fields<'a>),
    Enum(Vec<Variant<'a>>),
    /// Refused by `valid.rs`; kept so the fallback can still emit a stub impl.
    Union(&'a syn::DataUnion),
}

pub(crate) struct Variant<'a> {
    pub(crate) original: &'a syn::Variant,
    pub(crate) attrs: attr::Variant,
    /// std's `#[default]`, the variant `derive(Default)` makes: it counts as
    /// `#[pool(default)]`, so the user names the fresh state once.
    pub(crate) std_default: Option<&'a syn::Attribute>,
    pub(crate) fields: Fields<'a>,
}

/// The fields of a struct or variant, and how they are written (which decides the
/// pattern and constructor syntax that generated code uses).
pub(crate) struct Fields<'a> {
    pub(crate) style: Style,
    pub(crate) fields: Vec<Field<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `{ a: A }`
    Named,
    /// `(A)`
    Tuple,
    /// nothing
    Unit,
}

pub(crate) struct Field<'a> {
    pub(crate) original: &'a syn::Field,
    pub(crate) attrs: attr::Field,
    /// `a` or `0`: how the field is named in a pattern or a constructor.
    pub(crate) member: Member,
}

impl<'a> Input<'a> {
    pub(crate) fn from_syn(ctxt: &Ctxt, node: &'a DeriveInput) -> Self {
        let keyword = match node.data {
            SynData::Struct(_) => "struct",
            SynData::Enum(_) => "enum",
            SynData::Union(_) => "union",
        };
        let attrs = attr::Container::from_syn(ctxt, &node.attrs, keyword);
        let data = match &node.data {
            SynData::Struct(data) => Data::Struct(Fields::from_syn(ctxt, &data.fields)),
            SynData::Enum(data) => Data::Enum(
                data.variants
                    .iter()
                    .map(|variant| Variant::from_syn(ctxt, variant))
                    .collect(),
            ),
            SynData::Union(data) => Data::Union(data),
        };
        Input {
            original: node,
            attrs,
            derived_default: derived_default(&node.attrs),
            data,
        }
    }

    /// The type's name for an impl header. Spanned at the derive rather than at the name,
    /// so that implementing a trait for a `#[deprecated]` type does not warn (rustc does
    /// not report deprecation inside derive expansions, as for its own derives).
    pub(crate) fn self_ident(&self) -> Ident {
        let mut ident = self.original.ident.clone();
        ident.set_span(Span::call_site());
        ident
    }

    /// The variant that reset returns to: for an enum that passed validation, the one
    /// marked `#[pool(default)]` or `#[default]`.
    pub(crate) fn default_variant(&self) -> Option<&Variant<'a>> {
        match &self.data {
            Data::Enum(variants) => variants.iter().find(|v| v.is_default()),
            Data::Struct(_) | Data::Union(_) => None,
        }
    }

    /// The fields that reset may have to make from nothing: those of the default variant
    /// when the enum has another variant to replace. Each gets `Default::default()`, or
    /// its `reset = EXPR`.
    pub(crate) fn fresh_fields(&self) -> &[Field<'a>] {
        match (&self.data, self.default_variant()) {
            (Data::Enum(variants), Some(default)) if variants.len() > 1 => &default.fields.fields,
            _ => &[],
        }
    }

    /// The fields reset in place: a struct's, or the default variant's.
    pub(crate) fn reset_fields(&self) -> &[Field<'a>] {
        match (&self.data, self.default_variant()) {
            (Data::Struct(fields), _) => &fields.fields,
            (_, Some(default)) => &default.fields.fields,
            _ => &[],
        }
    }

    /// Whether the type has type or const parameters (lifetimes alone do not count: they
    /// do not make distinct `'static` types).
    pub(crate) fn is_generic(&self) -> bool {
        self.original
            .generics
            .params
            .iter()
            .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)))
    }
}

/// The `Default` path in the item's visible `#[derive(...)]` attributes, if any.
fn derived_default(attrs: &[syn::Attribute]) -> Option<syn::Path> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| {
            attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flatten()
        .find(|path| path.segments.last().is_some_and(|s| s.ident == "Default"))
}

impl<'a> Variant<'a> {
    fn from_syn(ctxt: &Ctxt, node: &'a syn::Variant) -> Self {
        Variant {
            original: node,
            attrs: attr::Variant::from_syn(ctxt, &node.attrs),
            std_default: node.attrs.iter().find(
                |attr| matches!(&attr.meta, syn::Meta::Path(path) if path.is_ident("default")),
            ),
            fields: Fields::from_syn(ctxt, &node.fields),
        }
    }

    /// Marked `#[pool(default)]` or `#[default]`.
    pub(crate) fn is_default(&self) -> bool {
        self.attrs.default.is_some() || self.std_default.is_some()
    }
}

impl<'a> Fields<'a> {
    fn from_syn(ctxt: &Ctxt, node: &'a syn::Fields) -> Self {
        let style = match node {
            syn::Fields::Named(_) => Style::Named,
            syn::Fields::Unnamed(_) => Style::Tuple,
            syn::Fields::Unit => Style::Unit,
        };
        let fields = node
            .iter()
            .enumerate()
            .map(|(index, field)| Field::from_syn(ctxt, field, index))
            .collect();
        Fields { style, fields }
    }
}

impl<'a> Field<'a> {
    fn from_syn(ctxt: &Ctxt, node: &'a syn::Field, index: usize) -> Self {
        let member = match &node.ident {
            Some(ident) => Member::Named(ident.clone()),
            None => Member::Unnamed(Index {
                index: index as u32,
                span: Span::call_site(),
            }),
        };
        Field {
            original: node,
            attrs: attr::Field::from_syn(ctxt, &node.attrs),
            member,
        }
    }

    pub(crate) fn ty(&self) -> &'a Type {
        &self.original.ty
    }

    /// Whether the field's own reset goes through `Poolable` (so its type must be
    /// `Poolable`): not skipped, and no `reset` or `reset_with` instead.
    pub(crate) fn resets_via_trait(&self) -> bool {
        self.attrs.skip.is_none() && self.attrs.reset.is_none() && self.attrs.reset_with.is_none()
    }
}
