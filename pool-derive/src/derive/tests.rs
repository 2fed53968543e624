//! Expansion snapshots: what the derive writes for each shape, checked on the tokens.

use proc_macro2::TokenStream;
use syn::DeriveInput;

use super::expand;

fn expand_to_string(input: DeriveInput) -> String {
    expand(input).to_string()
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

#[test]
fn named_struct_destructures_every_field() {
    let out = expand_to_string(syn::parse_quote! {
        struct Request {
            path: String,
            #[pool(skip)]
            config: Arc<Config>,
            #[pool(reset = 1)]
            generation: u64,
        }
    });
    assert!(
        out.contains("let Self { path : ref mut __poolable_field0 , config : _ , generation : ref mut __poolable_field2 } = * self ;"),
        "{out}"
    );
    assert!(!out.contains(".."), "{out}");
    assert!(
        out.contains(
            "< String as :: poolable :: __private :: Poolable > :: reset (__poolable_field0) ;"
        ),
        "{out}"
    );
    assert!(out.contains("* __poolable_field2 = 1 ;"), "{out}");
    assert!(
        !out.contains("Arc < Config > as"),
        "skipped field is reset: {out}"
    );
    assert!(out.contains("# [automatically_derived]"), "{out}");
    assert!(out.contains("fn __default_pool_slot"), "{out}");
    assert!(!out.contains("fn default_pool_capacity"), "{out}");
}

#[test]
fn tuple_and_unit_structs() {
    let out = expand_to_string(syn::parse_quote! {
        struct Pair(Vec<u8>, #[pool(reset_with = my_reset)] String);
    });
    assert!(
        out.contains("let Self (ref mut __poolable_field0 , ref mut __poolable_field1) = * self ;"),
        "{out}"
    );
    assert!(out.contains("my_reset (__poolable_field1) ;"), "{out}");

    let out = expand_to_string(syn::parse_quote!(
        struct Marker;
    ));
    assert!(out.contains("let Self = * self ;"), "{out}");
}

#[test]
fn shrink_to_comes_after_the_reset() {
    let out = expand_to_string(syn::parse_quote! {
        struct Buffer {
            #[pool(shrink_to = 64 * 1024)]
            scratch: Vec<u8>,
        }
    });
    let reset = out.find(":: reset (__poolable_field0)").expect(&out);
    let shrink = out
        .find("__poolable_field0 . shrink_to (64 * 1024)")
        .expect(&out);
    assert!(reset < shrink, "{out}");
}

#[test]
fn enum_resets_in_place_or_replaces() {
    let out = expand_to_string(syn::parse_quote! {
        enum State {
            #[pool(default)]
            Idle { buf: Vec<u8>, #[pool(reset = 7)] n: u8 },
            Busy(File),
        }
    });
    assert!(
        out.contains("match * self { Self :: Idle { buf : ref mut __poolable_field0 , n : ref mut __poolable_field1 } =>"),
        "{out}"
    );
    assert!(
        out.contains(
            "_ => { * self = Self :: Idle { buf : < Vec < u8 > as :: core :: default :: Default > :: default () , n : 7 } ; }"
        ),
        "{out}"
    );
    assert!(
        !out.contains("File"),
        "fields of other variants are dropped, not reset: {out}"
    );
}

#[test]
fn single_variant_enum_has_no_catch_all() {
    let out = expand_to_string(syn::parse_quote! {
        enum Only {
            #[pool(default)]
            One(u8),
        }
    });
    assert!(!out.contains("_ =>"), "{out}");
}

#[test]
fn container_attributes() {
    let out = expand_to_string(syn::parse_quote! {
        #[pool(capacity = 256, new = Self::fresh(), crate = "my::poolable")]
        struct Conn { buf: Vec<u8> }
    });
    assert!(
        out.contains("fn default_pool_capacity () -> :: core :: primitive :: usize { 256 }"),
        "{out}"
    );
    assert!(
        out.contains("impl my :: poolable :: __private :: NewPooled for Conn"),
        "{out}"
    );
    assert!(
        out.contains("fn new_pooled () -> Self { Self :: fresh () }"),
        "{out}"
    );
    let all = out.matches(":: poolable :: __private").count();
    let given = out.matches("my :: poolable :: __private").count();
    assert_eq!(all, given, "the default path is used: {out}");
}

#[test]
fn keep_if_is_a_typed_function_pointer() {
    for value in [quote::quote!(Conn::small), quote::quote!("Conn::small")] {
        let out = expand_to_string(syn::parse_quote! {
            #[pool(keep_if = #value)]
            struct Conn { buf: Vec<u8> }
        });
        assert!(
            out.contains(
                "fn default_pool_keep_if () -> :: core :: option :: Option < fn (& Self) -> :: core :: primitive :: bool > { \
                 let __poolable_keep_if : fn (& Self) -> :: core :: primitive :: bool = Conn :: small ; \
                 :: core :: option :: Option :: Some (__poolable_keep_if) }"
            ),
            "{out}"
        );
    }
}

#[test]
fn generic_bounds_are_on_reset_field_types() {
    let out = expand_to_string(syn::parse_quote! {
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
    });
    let where_clause =
        &out[out.find("where").expect(&out)..out.find("{ # [inline] fn reset").expect(&out)];
    assert_eq!(
        where_clause,
        "where U : Send , Vec < T > : :: poolable :: __private :: Poolable , \
         U : :: poolable :: __private :: Poolable , \
         [u8 ; N] : :: poolable :: __private :: Poolable ",
    );
    assert!(
        !out.contains("__default_pool_slot"),
        "generic types share no static: {out}"
    );
}

#[test]
fn enum_fresh_fields_of_generic_type_need_default() {
    let out = expand_to_string(syn::parse_quote! {
        enum Slot<T> {
            #[pool(default)]
            Empty { scratch: Vec<T> },
            Full(T),
        }
    });
    assert!(
        out.contains("Vec < T > : :: poolable :: __private :: Poolable"),
        "{out}"
    );
    assert!(
        out.contains("Vec < T > : :: core :: default :: Default"),
        "{out}"
    );
    assert!(!out.contains("T : :: poolable"), "{out}");
}

#[test]
fn bound_replaces_inferred_bounds() {
    let out = expand_to_string(syn::parse_quote! {
        #[pool(bound = "T: Copy")]
        struct Wrapper<T> where T: Send { item: Vec<T> }
    });
    assert!(out.contains("where T : Send , T : Copy {"), "{out}");
    assert!(!out.contains("Vec < T > :"), "{out}");

    let out = expand_to_string(syn::parse_quote! {
        #[pool(bound = "")]
        struct Wrapper<T> { item: Vec<T> }
    });
    assert!(!out.contains("where"), "{out}");
}

#[test]
fn lifetime_only_generics_still_get_a_slot() {
    let out = expand_to_string(syn::parse_quote! {
        struct Parser<'a> { #[pool(skip)] input: &'a str, tokens: Vec<u32> }
    });
    assert!(out.contains("fn __default_pool_slot"), "{out}");
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
    assert!(
        out.contains("fn reset (& mut self) { :: core :: unreachable ! () }"),
        "{out}"
    );
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
    let out = expand_to_string(syn::parse_quote! {
        enum State {
            Busy(File),
            #[default]
            Idle { buf: Vec<u8> },
        }
    });
    assert!(
        out.contains("match * self { Self :: Idle { buf : ref mut __poolable_field0 } =>"),
        "{out}"
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
