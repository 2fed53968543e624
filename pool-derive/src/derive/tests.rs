//! Expansion snapshots: what the derive writes for each shape, compared as whole token
//! streams (as `#[pooled]`'s tests are), so nothing extra can slip into an expansion.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::expand;

#[track_caller]
fn assert_expands(input: DeriveInput, expected: TokenStream) {
    assert_eq!(expand(input).to_string(), expected.to_string());
}

fn expand_to_string(input: DeriveInput) -> String {
    expand(input).to_string()
}

/// The static of a non-generic type's default pool, as every such impl ends.
fn slot(krate: TokenStream) -> TokenStream {
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

fn errors(input: DeriveInput) -> Vec<String> {
    let out: TokenStream = expand(input);
    // Each error is `::core::compile_error! { "message" }`.
    let text = out.to_string();
    text.split("compile_error !")
        .skip(1)
        .map(|rest| {
            let start = rest.find('"').expect("message") + 1;
            let end = start + rest[start..].find("\" }").expect("end of message");
            rest[start..end].to_owned()
        })
        .collect()
}

/// Every field named, no `..`; each reset through its type's `Poolable`, spanned there;
/// a skipped field matched by `_` and left alone.
#[test]
fn named_struct_destructures_every_field() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            struct Request {
                path: String,
                #[pool(skip)]
                config: Arc<Config>,
                #[pool(reset = 1)]
                generation: u64,
            }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for Request {
                #[inline]
                fn reset(&mut self) {
                    let Self {
                        path: ref mut __poolable_field0,
                        config: _,
                        generation: ref mut __poolable_field2
                    } = *self;
                    <String as ::poolable::__private::Poolable>::reset(__poolable_field0);
                    *__poolable_field2 = 1;
                }
                #slot
            }
        },
    );
}

#[test]
fn tuple_and_unit_structs() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            struct Pair(Vec<u8>, #[pool(reset_with = my_reset)] String);
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for Pair {
                #[inline]
                fn reset(&mut self) {
                    let Self(ref mut __poolable_field0, ref mut __poolable_field1) = *self;
                    <Vec<u8> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                    my_reset(__poolable_field1);
                }
                #slot
            }
        },
    );
    assert_expands(
        syn::parse_quote!(
            struct Marker;
        ),
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for Marker {
                #[inline]
                fn reset(&mut self) {
                    let Self = *self;
                }
                #slot
            }
        },
    );
}

/// `shrink_to` comes after the reset, as a method call (any type with its own
/// `shrink_to` works), with the fallback trait in scope for the error on types without.
#[test]
fn shrink_to_comes_after_the_reset() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            struct Buffer {
                #[pool(shrink_to = 64 * 1024)]
                scratch: Vec<u8>,
            }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for Buffer {
                #[inline]
                fn reset(&mut self) {
                    let Self { scratch: ref mut __poolable_field0 } = *self;
                    <Vec<u8> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                    {
                        use ::poolable::__private::{ShrinkSpares as _, ShrinkToFallback as _};
                        ::poolable::__private::ShrinkTo::<Vec<u8> >::check(&__poolable_field0.shrink_to(64 * 1024));
                    }
                }
                #slot
            }
        },
    );
}

/// Already the default variant: reset in place. Any other: replaced, the default
/// variant's fields made with `Default` or their `reset = EXPR`; the other variants'
/// fields (`File`) are never reset.
#[test]
fn enum_resets_in_place_or_replaces() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            enum State {
                #[pool(default)]
                Idle { buf: Vec<u8>, #[pool(reset = 7)] n: u8 },
                Busy(File),
            }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for State {
                #[inline]
                fn reset(&mut self) {
                    match *self {
                        Self::Idle { buf: ref mut __poolable_field0, n: ref mut __poolable_field1 } => {
                            <Vec<u8> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                            *__poolable_field1 = 7;
                        }
                        _ => {
                            *self = Self::Idle {
                                buf: <Vec<u8> as ::core::default::Default>::default(),
                                n: 7
                            };
                        }
                    }
                }
                #slot
            }
        },
    );
}

#[test]
fn single_variant_enum_has_no_catch_all() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            enum Only {
                #[pool(default)]
                One(u8),
            }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for Only {
                #[inline]
                fn reset(&mut self) {
                    match *self {
                        Self::One(ref mut __poolable_field0) => {
                            <u8 as ::poolable::__private::Poolable>::reset(__poolable_field0);
                        }
                    }
                }
                #slot
            }
        },
    );
}

/// `capacity`, `new` and `crate`; every path goes through the given crate path.
#[test]
fn container_attributes() {
    let slot = slot(quote!(my::poolable));
    assert_expands(
        syn::parse_quote! {
            #[pool(capacity = 256, new = Self::fresh(), crate = "my::poolable")]
            struct Conn { buf: Vec<u8> }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl my::poolable::__private::Poolable for Conn {
                #[inline]
                fn reset(&mut self) {
                    let Self { buf: ref mut __poolable_field0 } = *self;
                    <Vec<u8> as my::poolable::__private::Poolable>::reset(__poolable_field0);
                }
                #[inline]
                fn default_pool_capacity() -> ::core::primitive::usize {
                    256
                }
                #slot
            }
            #[automatically_derived]
            impl my::poolable::__private::NewPooled for Conn {
                #[inline]
                fn new_pooled() -> Self {
                    Self::fresh()
                }
            }
        },
    );
}

/// `keep_if = PATH` (or `"PATH"`): a typed `let`, so a wrong signature is reported at
/// the path.
#[test]
fn keep_if_is_a_typed_function_pointer() {
    let slot = slot(quote!(::poolable));
    for value in [quote!(Conn::small), quote!("Conn::small")] {
        assert_expands(
            syn::parse_quote! {
                #[pool(keep_if = #value)]
                struct Conn { buf: Vec<u8> }
            },
            quote! {
                #[automatically_derived]
                #[diagnostic::do_not_recommend]
                impl ::poolable::__private::Poolable for Conn {
                    #[inline]
                    fn reset(&mut self) {
                        let Self { buf: ref mut __poolable_field0 } = *self;
                        <Vec<u8> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                    }
                    #[inline]
                    fn default_pool_keep_if(
                    ) -> ::core::option::Option<fn(&Self) -> ::core::primitive::bool> {
                        let __poolable_keep_if: fn(&Self) -> ::core::primitive::bool = Conn::small;
                        ::core::option::Option::Some(__poolable_keep_if)
                    }
                    #slot
                }
            },
        );
    }
}

/// Bounds go on the types of the fields reset through `Poolable` that mention a
/// parameter: not on skipped or assigned fields, not on `String`. Generic impls get no
/// static and stay recommendable (rustc's account of the failed bound is the help).
#[test]
fn generic_bounds_are_on_reset_field_types() {
    assert_expands(
        syn::parse_quote! {
            struct Wrapper<'a, T, U: Clone, const N: usize> where U: Send {
                items: Vec<T>,
                inner: U,
                #[pool(skip)]
                kept: T,
                #[pool(reset = None)]
                last: Option<U>,
                fixed: [u8; N],
                name: String,
                borrowed: PhantomData<&'a ()>,
            }
        },
        quote! {
            #[automatically_derived]
            impl<'a, T, U: Clone, const N: usize> ::poolable::__private::Poolable
                for Wrapper<'a, T, U, N>
            where
                U: Send,
                Vec<T>: ::poolable::__private::Poolable,
                U: ::poolable::__private::Poolable,
                [u8; N]: ::poolable::__private::Poolable
            {
                #[inline]
                fn reset(&mut self) {
                    let Self {
                        items: ref mut __poolable_field0,
                        inner: ref mut __poolable_field1,
                        kept: _,
                        last: ref mut __poolable_field3,
                        fixed: ref mut __poolable_field4,
                        name: ref mut __poolable_field5,
                        borrowed: ref mut __poolable_field6
                    } = *self;
                    <Vec<T> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                    <U as ::poolable::__private::Poolable>::reset(__poolable_field1);
                    *__poolable_field3 = None;
                    <[u8; N] as ::poolable::__private::Poolable>::reset(__poolable_field4);
                    <String as ::poolable::__private::Poolable>::reset(__poolable_field5);
                    <PhantomData<&'a ()> as ::poolable::__private::Poolable>::reset(__poolable_field6);
                }
            }
        },
    );
}

#[test]
fn enum_fresh_fields_of_generic_type_need_default() {
    assert_expands(
        syn::parse_quote! {
            enum Slot<T> {
                #[pool(default)]
                Empty { scratch: Vec<T> },
                Full(T),
            }
        },
        quote! {
            #[automatically_derived]
            impl<T> ::poolable::__private::Poolable for Slot<T>
            where
                Vec<T>: ::poolable::__private::Poolable,
                Vec<T>: ::core::default::Default
            {
                #[inline]
                fn reset(&mut self) {
                    match *self {
                        Self::Empty { scratch: ref mut __poolable_field0 } => {
                            <Vec<T> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                        }
                        _ => {
                            *self = Self::Empty {
                                scratch: <Vec<T> as ::core::default::Default>::default()
                            };
                        }
                    }
                }
            }
        },
    );
}

#[test]
fn bound_replaces_inferred_bounds() {
    let reset = quote! {
        #[inline]
        fn reset(&mut self) {
            let Self { item: ref mut __poolable_field0 } = *self;
            <Vec<T> as ::poolable::__private::Poolable>::reset(__poolable_field0);
        }
    };
    assert_expands(
        syn::parse_quote! {
            #[pool(bound = "T: Copy")]
            struct Wrapper<T> where T: Send { item: Vec<T> }
        },
        quote! {
            #[automatically_derived]
            impl<T> ::poolable::__private::Poolable for Wrapper<T> where T: Send, T: Copy {
                #reset
            }
        },
    );
    assert_expands(
        syn::parse_quote! {
            #[pool(bound = "")]
            struct Wrapper<T> { item: Vec<T> }
        },
        quote! {
            #[automatically_derived]
            impl<T> ::poolable::__private::Poolable for Wrapper<T> {
                #reset
            }
        },
    );
}

/// Lifetimes alone do not make distinct `'static` types: the type still owns a static.
#[test]
fn lifetime_only_generics_still_get_a_slot() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            struct Parser<'a> { #[pool(skip)] input: &'a str, tokens: Vec<u32> }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl<'a> ::poolable::__private::Poolable for Parser<'a> {
                #[inline]
                fn reset(&mut self) {
                    let Self { input: _, tokens: ref mut __poolable_field1 } = *self;
                    <Vec<u32> as ::poolable::__private::Poolable>::reset(__poolable_field1);
                }
                #slot
            }
        },
    );
}

#[test]
fn every_mistake_is_reported_with_a_stub_impl() {
    let input: DeriveInput = syn::parse_quote! {
        #[pool(capacity = 8, skip, capacity = 9)]
        struct Mixed {
            #[pool(skip, reset = 1, colour = "red")]
            a: u8,
            #[pool(skip = 1)]
            b: u8,
        }
    };
    assert_eq!(
        errors(input.clone()),
        [
            "`skip` is a field attribute: put it on a field, not on the struct",
            "duplicate container attribute `capacity`",
            "unknown field attribute `colour`; expected one of `skip`, `reset`, `reset_with`, `shrink_to`",
            "`skip` takes no value; write `#[pool(skip)]`",
            "`reset` conflicts with `skip`: a skipped field is kept as is, not reset",
        ]
    );
    let out = expand_to_string(input);
    let stub = quote! {
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl ::poolable::__private::Poolable for Mixed {
            fn reset(&mut self) {
                ::core::unreachable!()
            }
        }
    };
    assert!(out.ends_with(&stub.to_string()), "{out}");
}

#[test]
fn enums_need_exactly_one_default_variant() {
    assert_eq!(
        errors(syn::parse_quote!(
            enum E {
                A,
                B,
            }
        )),
        [
            "an enum deriving `Poolable` needs one variant marked `#[pool(default)]` \
             (or std's `#[default]`): the variant that reset turns the value into"
        ]
    );
    assert_eq!(
        errors(syn::parse_quote!(
            enum E {
                #[pool(default)]
                A,
                #[pool(default)]
                B,
            }
        )),
        ["only one variant can be `#[pool(default)]`, and `A` already is"]
    );
}

#[test]
fn std_default_counts_as_pool_default() {
    let slot = slot(quote!(::poolable));
    assert_expands(
        syn::parse_quote! {
            enum State {
                Busy(File),
                #[default]
                Idle { buf: Vec<u8> },
            }
        },
        quote! {
            #[automatically_derived]
            #[diagnostic::do_not_recommend]
            impl ::poolable::__private::Poolable for State {
                #[inline]
                fn reset(&mut self) {
                    match *self {
                        Self::Idle { buf: ref mut __poolable_field0 } => {
                            <Vec<u8> as ::poolable::__private::Poolable>::reset(__poolable_field0);
                        }
                        _ => {
                            *self = Self::Idle {
                                buf: <Vec<u8> as ::core::default::Default>::default()
                            };
                        }
                    }
                }
                #slot
            }
        },
    );
    let both_on_one: DeriveInput = syn::parse_quote! {
        enum State { #[default] #[pool(default)] Idle, Busy }
    };
    assert!(errors(both_on_one).is_empty());
    assert_eq!(
        errors(syn::parse_quote!(
            enum E {
                #[default]
                A,
                #[pool(default)]
                B,
            }
        )),
        [
            "`B` cannot be `#[pool(default)]`: `#[default]` on `A` already marks the variant \
          reset turns the value into; remove one of the two"
        ]
    );
    assert_eq!(
        errors(syn::parse_quote!(
            enum E {
                #[pool(default)]
                A,
                #[default]
                B,
            }
        )),
        [
            "`#[default]` on `B` conflicts with `#[pool(default)]` on `A`: both mark the variant \
          reset turns the value into; remove one of the two"
        ]
    );
}

#[test]
fn unions_are_refused() {
    let errors = errors(syn::parse_quote!(union U { a: u8 }));
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("a union cannot derive `Poolable`"),
        "{errors:?}"
    );
}
