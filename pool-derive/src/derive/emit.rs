//! The `impl Poolable` (and `impl NewPooled`) for an input that passed validation.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::{Data, Field, Fields, Input, Style, Variant};
use super::bound;

pub(crate) fn impl_poolable(input: &Input, krate: &TokenStream) -> TokenStream {
    let ident = input.self_ident();
    let (impl_generics, ty_generics, _) = input.original.generics.split_for_impl();
    let where_clause = bound::where_clause(input, krate);

    let body = match &input.data {
        Data::Struct(fields) => reset_struct(fields, input.is_generic(), krate),
        Data::Enum(variants) => reset_enum(input, variants, krate),
        // Refused by validation, so never emitted; an empty body keeps this total.
        Data::Union(_) => TokenStream::new(),
    };
    let capacity = input.attrs.capacity.as_ref().map(|capacity| {
        let value = &capacity.value;
        quote! {
            #[inline]
            fn default_pool_capacity() -> ::core::primitive::usize {
                #value
            }
        }
    });
    let keep_if = input.attrs.keep_if.as_ref().map(|keep_if| {
        let path = &keep_if.value;
        // A typed `let` spanned at the path, so that a function of the wrong signature
        // reads "expected fn pointer `fn(&Request) -> bool`" at the path, "expected due
        // to this" at `keep_if`.
        let test = Ident::new("__poolable_keep_if", Span::mixed_site());
        let ty = quote_spanned!(keep_if.key.span()=> fn(&Self) -> ::core::primitive::bool);
        let typed = quote_spanned! {path.span()=>
            let #test: #ty = #path;
        };
        quote! {
            #[inline]
            fn default_pool_keep_if(
            ) -> ::core::option::Option<fn(&Self) -> ::core::primitive::bool> {
                #typed
                ::core::option::Option::Some(#test)
            }
        }
    });
    let slot = (!input.is_generic()).then(|| default_pool_slot(krate));
    let new_pooled = impl_new_pooled(input, krate);

    // Keeps "the trait `Poolable` is implemented for `Request`" out of the errors about
    // other types, as for the runtime's impls. Not on generic impls: there rustc's
    // account of which bound failed is the useful part of the error.
    let hidden = (!input.is_generic()).then(|| quote!(#[diagnostic::do_not_recommend]));

    quote! {
        #[automatically_derived]
        #hidden
        impl #impl_generics #krate::__private::Poolable for #ident #ty_generics #where_clause {
            #[inline]
            fn reset(&mut self) {
                #body
            }
            #capacity
            #keep_if
            #slot
        }
        #new_pooled
    }
}

/// A static per type makes finding its default pool one load. Only for types without
/// type or const parameters: a static inside a generic impl would be one static shared by
/// every instantiation.
fn default_pool_slot(krate: &TokenStream) -> TokenStream {
    quote! {
        #[inline]
        fn __default_pool_slot(
        ) -> ::core::option::Option<&'static #krate::__private::DefaultPoolSlot> {
            static __POOLABLE_SLOT: #krate::__private::DefaultPoolSlot =
                #krate::__private::DefaultPoolSlot::new();
            ::core::option::Option::Some(&__POOLABLE_SLOT)
        }
    }
}

/// `#[pool(new = EXPR)]`. Spanned at the `new` key, so that the conflict with the blanket
/// impl for `Default` types (a type with both) is reported at the attribute.
fn impl_new_pooled(input: &Input, krate: &TokenStream) -> Option<TokenStream> {
    let new = input.attrs.new.as_ref()?;
    let ident = input.self_ident();
    let (impl_generics, ty_generics, where_clause) = input.original.generics.split_for_impl();
    let value = &new.value;
    Some(quote_spanned! {new.key.span()=>
        #[automatically_derived]
        impl #impl_generics #krate::__private::NewPooled for #ident #ty_generics #where_clause {
            #[inline]
            fn new_pooled() -> Self {
                #value
            }
        }
    })
}

/// Input: `struct S { a: String, #[pool(skip)] b: Rc<C> }`
/// Output:
/// ```text
/// let Self { a: ref mut __poolable_field0, b: _ } = *self;
/// <String as Poolable>::reset(__poolable_field0);
/// ```
/// The pattern names every field and has no `..`: a field added later without being
/// reset cannot compile.
fn reset_struct(fields: &Fields, generic: bool, krate: &TokenStream) -> TokenStream {
    let pattern = pattern(quote!(Self), fields);
    let resets = fields
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| reset_field(f, i, generic, krate));
    quote! {
        let #pattern = *self;
        #(#resets)*
    }
}

/// Input: `enum E { #[pool(default)] Idle { buf: Vec<u8> }, Busy(File) }`
/// Output:
/// ```text
/// match *self {
///     Self::Idle { buf: ref mut __poolable_field0 } => {
///         <Vec<u8> as Poolable>::reset(__poolable_field0);
///     }
///     _ => {
///         *self = Self::Idle { buf: <Vec<u8> as Default>::default() };
///     }
/// }
/// ```
/// Already the default variant: its fields are reset in place, keeping their allocations.
/// Any other variant is dropped whole and replaced.
fn reset_enum(input: &Input, variants: &[Variant], krate: &TokenStream) -> TokenStream {
    let Some(default) = input.default_variant() else {
        // Refused by validation, so never emitted.
        return TokenStream::new();
    };
    let name = &default.original.ident;
    let pattern = pattern(quote!(Self::#name), &default.fields);
    let resets = default
        .fields
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| reset_field(f, i, input.is_generic(), krate));
    // With one variant the catch-all arm would be unreachable (and warned about).
    let replace = (variants.len() > 1).then(|| {
        let fresh = construct(quote!(Self::#name), &default.fields);
        quote! {
            _ => {
                *self = #fresh;
            }
        }
    });
    quote! {
        match *self {
            #pattern => {
                #(#resets)*
            }
            #replace
        }
    }
}

/// The local a field is bound to. Mixed-site hygiene keeps it out of reach of user
/// expressions (`reset = EXPR`); located at the field's type, so that rustc errors about
/// it (a `reset_with` function taking another type) point at the field, not the derive.
fn binding(field: &Field, index: usize) -> Ident {
    let span = Span::mixed_site().located_at(field.ty().span());
    format_ident!("__poolable_field{}", index, span = span)
}

/// `PATH { a: ref mut __poolable_field0, b: _ }`, `PATH(ref mut __poolable_field0, _)` or
/// `PATH`, matched against `*self`. `ref mut` makes each name a binding even where a
/// constant of that name is in scope (hygiene does not stop a pattern from resolving to
/// an item). Skipped fields are matched by `_` so that no binding goes unused.
fn pattern(path: TokenStream, fields: &Fields) -> TokenStream {
    let bindings = fields.fields.iter().enumerate().map(|(i, field)| {
        if field.attrs.skip.is_some() {
            quote!(_)
        } else {
            let binding = binding(field, i);
            quote!(ref mut #binding)
        }
    });
    match fields.style {
        Style::Named => {
            let members = fields.fields.iter().map(|field| &field.member);
            quote!(#path { #(#members: #bindings),* })
        }
        Style::Tuple => quote!(#path(#(#bindings),*)),
        Style::Unit => path,
    }
}

/// The default variant made from nothing: each field is its `reset = EXPR`, or
/// `Default::default()` (spanned at the field's type, where a missing `Default` is
/// reported).
fn construct(path: TokenStream, fields: &Fields) -> TokenStream {
    let values = fields.fields.iter().map(|field| match &field.attrs.reset {
        Some(reset) => {
            let value = &reset.value;
            quote!(#value)
        }
        None => {
            let ty = field.ty();
            quote_spanned!(ty.span()=> <#ty as ::core::default::Default>::default())
        }
    });
    match fields.style {
        Style::Named => {
            let members = fields.fields.iter().map(|field| &field.member);
            quote!(#path { #(#members: #values),* })
        }
        Style::Tuple => quote!(#path(#(#values),*)),
        Style::Unit => path,
    }
}

/// One field's reset. The `Poolable` call is spanned at the field's type, so that a type
/// without the trait is reported on the user's field, with the trait's own message.
///
/// In a type without generics, an `Option<Inner>` field is checked for `Inner: Poolable` at
/// `Inner` and then set to `None` (what `Option`'s reset does), so that an `Option<File>`
/// is reported as "`File` cannot be reset", at `File`, rather than as `Option<File>`: the
/// `Option` impl is `do_not_recommend`, so a check of `Option<File>` blames the `Option`.
/// In a generic type the field keeps the general call, since its where-clause bounds
/// `Option<T>`, from which `T: Poolable` cannot be derived.
fn reset_field(field: &Field, index: usize, generic: bool, krate: &TokenStream) -> TokenStream {
    let attrs = &field.attrs;
    if attrs.skip.is_some() {
        return TokenStream::new();
    }
    let binding = binding(field, index);
    let ty = field.ty();
    let mut out = if let Some(reset) = &attrs.reset {
        let value = &reset.value;
        quote_spanned!(reset.key.span()=> *#binding = #value;)
    } else if let Some(reset_with) = &attrs.reset_with {
        let path = &reset_with.value;
        quote_spanned!(path.span()=> #path(#binding);)
    } else if let Some(inner) = option_inner(ty).filter(|_| !generic) {
        let check = quote_spanned! {inner.span()=>
            let _: fn(&mut #inner) = <#inner as #krate::__private::Poolable>::reset;
        };
        quote_spanned! {ty.span()=>
            #check
            *#binding = ::core::option::Option::None;
        }
    } else {
        quote_spanned!(ty.span()=> <#ty as #krate::__private::Poolable>::reset(#binding);)
    };
    if let Some(shrink_to) = &attrs.shrink_to {
        let limit = &shrink_to.value;
        // A method call, so that any type with a `shrink_to(usize)` of its own works;
        // for a type without one, the fallback trait's method returns `NoShrinkTo`, which
        // the check refuses with an error that names the attribute and the field's type.
        // The whole call at `shrink_to`, in the binding's (mixed-site) hygiene: tokens of
        // one context join into a span at the key, so an error about the call sits
        // there and not at the derive.
        let span = Span::mixed_site().located_at(shrink_to.key.span());
        let mut receiver = binding.clone();
        receiver.set_span(span);
        out.extend(quote_spanned! {span=>
            {
                use #krate::__private::{ShrinkSpares as _, ShrinkToFallback as _};
                #krate::__private::ShrinkTo::<#ty>::check(&#receiver.shrink_to(#limit));
            }
        });
    }
    out
}

/// `Inner` when `ty` is written `Option<Inner>`, `std::option::Option<Inner>` or
/// `core::option::Option<Inner>` (a leading `::` allowed). A type of the user's own named
/// `Option` would be taken for std's; the generated `None` would then not type-check.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<_> = path.path.segments.iter().collect();
    let prefix_ok = match segments.len() {
        1 => path.path.leading_colon.is_none(),
        3 => {
            ["std", "core"].iter().any(|root| segments[0].ident == root)
                && segments[1].ident == "option"
        }
        _ => false,
    };
    let last = segments.last()?;
    if !prefix_ok || last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}
