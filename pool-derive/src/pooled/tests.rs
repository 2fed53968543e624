//! Expansion tests: a function in, tokens out, compared as text.
//!
//! What the expansion does at run time and how its errors read are tested in the
//! `poolable` crate (`tests/test_pooled.rs`, `test-suite/tests/ui/pooled/`); these pin its shape.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::expand;

fn assert_tokens(actual: TokenStream, expected: TokenStream) {
    assert_eq!(actual.to_string(), expected.to_string());
}

/// The messages of the `compile_error!`s in `output`, in order.
fn errors(output: &TokenStream) -> Vec<String> {
    let text = output.to_string();
    text.match_indices(":: core :: compile_error ! {")
        .map(|(start, _)| {
            let rest = &text[start..];
            let open = rest.find('"').unwrap() + 1;
            let close = open + rest[open..].find("\" }").unwrap();
            rest[open..close].replace("\\\"", "\"")
        })
        .collect()
}

#[test]
fn default_pool() {
    let output = expand(
        quote!(),
        quote! {
            /// Docs stay.
            pub(crate) fn handle(raw: &[u8], #[pooled] req: &mut Request) -> usize {
                req.body.extend_from_slice(raw);
                req.body.len()
            }
        },
    );
    assert_tokens(
        output,
        quote! {
            /// Docs stay.
            pub(crate) fn handle(raw: &[u8]) -> usize {
                let mut req = ::poolable::__private::Pool::get(
                    <Request as ::poolable::__private::HasDefaultPool>::default_pool()
                );
                #[allow(clippy::shadow_same)]
                let req: &mut Request = &mut *req;
                {
                    req.body.extend_from_slice(raw);
                    req.body.len()
                }
            }
        },
    );
}

#[test]
fn named_pool_is_evaluated_once_at_entry_and_coerced() {
    let output = expand(
        quote!(),
        quote! {
            fn line(&self, #[pooled(pool = self.lines)] mut line: &mut String) {}
        },
    );
    assert_tokens(
        output,
        quote! {
            fn line(&self) {
                let __poolable_pool_line: &::poolable::__private::Pool<String> = &self.lines;
                let mut line = ::poolable::__private::Pool::get(__poolable_pool_line);
                #[allow(clippy::shadow_same)]
                let mut line: &mut String = &mut *line;
                {}
            }
        },
    );
}

#[test]
fn a_reference_to_the_pool_is_not_borrowed_again() {
    let output = expand(
        quote!(),
        quote!(
            fn f(#[pooled(pool = &POOL)] buf: &mut Vec<u8>) {}
        ),
    );
    assert_tokens(
        output,
        quote! {
            fn f() {
                let __poolable_pool_buf: &::poolable::__private::Pool<Vec<u8> > = &POOL;
                let mut buf = ::poolable::__private::Pool::get(__poolable_pool_buf);
                #[allow(clippy::shadow_same)]
                let buf: &mut Vec<u8> = &mut *buf;
                {}
            }
        },
    );
}

#[test]
fn several_parameters_in_order_others_kept() {
    let output = expand(
        quote!(),
        quote! {
            async unsafe fn f<T: Bound>(#[pooled] a: &mut A, #[cfg(x)] n: T, #[pooled] b: &mut B)
            where
                T: Other,
            {
                body()
            }
        },
    );
    assert_tokens(
        output,
        quote! {
            async unsafe fn f<T: Bound>(#[cfg(x)] n: T)
            where
                T: Other,
            {
                let mut a = ::poolable::__private::Pool::get(<A as ::poolable::__private::HasDefaultPool>::default_pool());
                #[allow(clippy::shadow_same)]
                let a: &mut A = &mut *a;
                let mut b = ::poolable::__private::Pool::get(<B as ::poolable::__private::HasDefaultPool>::default_pool());
                #[allow(clippy::shadow_same)]
                let b: &mut B = &mut *b;
                body()
            }
        },
    );
}

#[test]
fn cfg_goes_on_both_statements_lint_levels_on_the_binding() {
    let output = expand(
        quote!(),
        quote!(
            fn f(
                #[cfg(feature = "x")]
                #[pooled]
                #[allow(unused)]
                a: &mut A,
            ) {
            }
        ),
    );
    assert_tokens(
        output,
        quote! {
            fn f() {
                #[cfg(feature = "x")]
                let mut a = ::poolable::__private::Pool::get(<A as ::poolable::__private::HasDefaultPool>::default_pool());
                #[cfg(feature = "x")]
                #[allow(unused)]
                #[allow(clippy::shadow_same)]
                let a: &mut A = &mut *a;
                {}
            }
        },
    );
}

#[test]
fn the_body_is_kept_whole_inner_attributes_included() {
    let output = expand(
        quote!(),
        quote!(
            fn f(#[pooled] a: &mut A) {
                #![allow(unused)]
                let x = 1;
            }
        ),
    );
    let text = output.to_string();
    assert!(
        text.ends_with("{ # ! [allow (unused)] let x = 1 ; } }"),
        "{text}"
    );
}

#[test]
fn crate_path_names_the_runtime() {
    for args in [quote!(crate = my::pool), quote!(crate = "my::pool")] {
        let output = expand(
            args,
            quote!(
                fn f(#[pooled] a: &mut A) {}
            ),
        );
        assert_tokens(
            output,
            quote! {
                fn f() {
                    let mut a = my::pool::__private::Pool::get(<A as my::pool::__private::HasDefaultPool>::default_pool());
                    #[allow(clippy::shadow_same)]
                    let a: &mut A = &mut *a;
                    {}
                }
            },
        );
    }
}

#[test]
fn poolable_path_is_accepted_on_parameters() {
    let output = expand(
        quote!(),
        quote!(
            fn f(#[poolable::pooled] a: &mut A) {}
        ),
    );
    assert_tokens(
        output,
        quote! {
            fn f() {
                let mut a = ::poolable::__private::Pool::get(
                    <A as ::poolable::__private::HasDefaultPool>::default_pool()
                );
                #[allow(clippy::shadow_same)]
                let a: &mut A = &mut *a;
                {}
            }
        },
    );
}

/// Every mistake is reported in one compile, in the order parse -> validate: the
/// function's arguments, each parameter's, then the rules on the whole function.
#[test]
fn every_mistake_at_once() {
    let output = expand(
        quote!(crat = x, crate = 1),
        quote!(
            const fn f(#[pooled(pol = P, pool)] a: &mut A, #[pooled] b: &mut Vec<&str>) {}
        ),
    );
    assert_eq!(
        errors(&output),
        [
            "unknown `#[pooled]` argument `crat` on a function; did you mean `crate`?",
            "expected a path to the `poolable` crate, like `crate = my_crate::poolable`",
            "unknown `#[pooled]` argument `pol`; did you mean `pool`?",
            "`pool` needs a value: `#[pooled(pool = EXPR)]`",
            "`#[pooled]` cannot be applied to a `const fn`: borrowing from a pool is not const",
            "a `#[pooled]` object outlives the call (it goes back to its pool for \
             later calls), so its type must be `'static`, and `&str` borrows; \
             store owned data (`String`, `Vec<u8>`) or ranges into a buffer instead",
        ]
    );
}

/// The output after the errors: the function, attributes included.
fn function_of(output: &TokenStream) -> TokenStream {
    // Each error is `:: core :: compile_error ! { "..." }`: eight token trees.
    let mut trees: &[TokenTree] = &output.clone().into_iter().collect::<Vec<_>>();
    while trees.len() > 8
        && matches!(&trees[5], TokenTree::Ident(ident) if ident == "compile_error")
    {
        trees = &trees[8..];
    }
    trees.iter().cloned().collect()
}

/// On a refused parameter: the errors, then the function as callers expect it, with a
/// stand-in `let` for each `#[pooled]` parameter, pattern and type as written, so the
/// body still type-checks and calls without the pooled arguments draw no E0061.
#[test]
fn on_a_refused_parameter_the_fn_loses_it_and_the_body_gets_a_stand_in() {
    let output = expand(
        quote!(),
        quote!(
            /// Docs stay.
            pub fn f(
                #[pooled] (a, b): &mut (A, B),
                #[pooled]
                #[cfg(x)]
                c: &C,
                d: D,
            ) -> u8 {
                a;
                b;
                c;
                d
            }
        ),
    );
    assert_eq!(
        errors(&output),
        [
            "a `#[pooled]` parameter must be a name, as in `name: &mut T`, not a pattern",
            "a `#[pooled]` parameter must be `&mut T`, not `&T`: \
             the object is reset when it goes back, so it is lent mutably",
        ]
    );
    assert_tokens(
        function_of(&output),
        quote!(
            /// Docs stay.
            pub fn f(d: D) -> u8 {
                #[allow(clippy::redundant_closure_call)]
                let (a, b): &mut (A, B) = (|| ::core::unreachable!())();
                #[cfg(x)]
                #[allow(clippy::redundant_closure_call)]
                let c: &C = (|| ::core::unreachable!())();
                {
                    a;
                    b;
                    c;
                    d
                }
            }
        ),
    );
}

/// A type that borrows keeps its elided lifetimes in the stand-in, where they are
/// inferred: no "lifetime may not live long enough" follows our error.
#[test]
fn a_borrowing_type_is_kept_as_written_in_the_stand_in() {
    let output = expand(
        quote!(),
        quote!(
            fn split(line: &str, #[pooled] mut words: &mut Vec<&str>) -> usize {
                words.extend(line.split(','));
                words.len()
            }
        ),
    );
    assert_eq!(errors(&output).len(), 1);
    assert_tokens(
        function_of(&output),
        quote!(
            fn split(line: &str) -> usize {
                #[allow(clippy::redundant_closure_call)]
                let mut words: &mut Vec<&str> = (|| ::core::unreachable!())();
                {
                    words.extend(line.split(','));
                    words.len()
                }
            }
        ),
    );
}

/// `impl Trait` cannot be a `let`'s type: `dyn` behind a reference, `_` elsewhere.
#[test]
fn impl_trait_becomes_dyn_in_the_stand_in() {
    let output = expand(
        quote!(),
        quote!(
            fn write(#[pooled] out: &mut impl Write, #[pooled] it: Vec<impl Copy>) {
                out.write_all(b"x").unwrap();
            }
        ),
    );
    assert_eq!(errors(&output).len(), 2);
    assert_tokens(
        function_of(&output),
        quote!(
            fn write() {
                #[allow(clippy::redundant_closure_call)]
                let out: &mut dyn Write = (|| ::core::unreachable!())();
                #[allow(clippy::redundant_closure_call)]
                let it: Vec<_> = (|| ::core::unreachable!())();
                {
                    out.write_all(b"x").unwrap();
                }
            }
        ),
    );
}

/// A `#[pooled] self` is refused but stays the receiver, so method calls still resolve;
/// a mistake in the function's own arguments also leaves the parameters out.
#[test]
fn a_pooled_self_stays_the_receiver() {
    let output = expand(
        quote!(crat = x),
        quote!(
            fn handle(#[pooled] &mut self, #[pooled] buf: &mut Vec<u8>) -> usize {
                buf.len()
            }
        ),
    );
    assert_eq!(errors(&output).len(), 2);
    assert_tokens(
        function_of(&output),
        quote!(
            fn handle(&mut self) -> usize {
                #[allow(clippy::redundant_closure_call)]
                let buf: &mut Vec<u8> = (|| ::core::unreachable!())();
                buf.len()
            }
        ),
    );
}

/// When the function itself is refused, it is emitted as written less the `#[pooled]`
/// parameter attributes: there is no rewrite of it that the user meant.
#[test]
fn a_refused_function_is_kept_without_our_attributes() {
    for (item, expected) in [
        (
            quote!(
                const fn f(#[pooled] (a, b): &mut (A, B), d: D) -> D {
                    d
                }
            ),
            quote!(
                const fn f((a, b): &mut (A, B), d: D) -> D {
                    d
                }
            ),
        ),
        (
            quote!(
                fn f(&self, #[pooled] c: &C);
            ),
            quote!(
                fn f(&self, c: &C);
            ),
        ),
    ] {
        let output = expand(quote!(), item);
        assert!(!errors(&output).is_empty());
        assert_tokens(function_of(&output), expected);
    }
}

#[test]
fn refused_forms() {
    let cases: &[(TokenStream, TokenStream, &str)] = &[
        (
            quote!(),
            quote!(
                struct S;
            ),
            "`#[pooled]` can only be applied to a function",
        ),
        (
            quote!(),
            quote!(
                pub const X: u8 = 1;
            ),
            "`#[pooled]` can only be applied to a function",
        ),
        (
            quote!(),
            quote!(
                fn f(a: &mut A) {}
            ),
            "this function has no `#[pooled]` parameter; \
             mark the one to borrow: `#[pooled] name: &mut T`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] _: &mut A) {}
            ),
            "a `#[pooled]` parameter must be a name, as in `name: &mut T`, not a pattern",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] ref a: &mut A) {}
            ),
            "a `#[pooled]` parameter must be a name, as in `name: &mut T`, not a pattern",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] a: A) {}
            ),
            "a `#[pooled]` parameter must be `&mut T`: \
             the object stays owned by its pool and is lent for this call",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] a: Box<A>) {}
            ),
            "a `#[pooled]` parameter must be `&mut T`: \
             the object stays owned by its pool and is lent for this call",
        ),
        (
            quote!(),
            quote!(
                fn f<'a>(#[pooled] a: &'a mut A) {}
            ),
            "a `#[pooled]` parameter cannot name a lifetime: \
             the object is lent for this call only, so write `&mut T`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] a: &mut impl Tr) {}
            ),
            "a `#[pooled]` parameter needs a concrete type, not `impl Trait`: \
             the type chooses the pool; use a type parameter instead",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] fields: &mut Vec<&str>) {}
            ),
            "a `#[pooled]` object outlives the call (it goes back to its pool for \
             later calls), so its type must be `'static`, and `&str` borrows; \
             store owned data (`String`, `Vec<u8>`) or ranges into a buffer instead",
        ),
        (
            quote!(),
            quote!(
                fn f<'a>(#[pooled] parser: &mut Parser<'a>) {}
            ),
            "a `#[pooled]` object outlives the call (it goes back to its pool for \
             later calls), so its type must be `'static`, and `'a` borrows; \
             store owned data (`String`, `Vec<u8>`) or ranges into a buffer instead",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] &mut self) {}
            ),
            "`self` cannot be `#[pooled]`: mark a parameter `name: &mut T` instead",
        ),
        (
            quote!(),
            quote!(
                const fn f(#[pooled] a: &mut A) {}
            ),
            "`#[pooled]` cannot be applied to a `const fn`: borrowing from a pool is not const",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled] a: &mut A);
            ),
            "`#[pooled]` needs a function body to borrow in; \
             on a trait method, put it on the method in the `impl` instead",
        ),
        (
            quote!(pool = P),
            quote!(
                fn f(#[pooled] a: &mut A) {}
            ),
            "`pool = ...` goes on the parameter, not on the function: \
             `#[pooled(pool = EXPR)] name: &mut T`",
        ),
        (
            quote!(fresh),
            quote!(
                fn f(#[pooled] a: &mut A) {}
            ),
            "unknown `#[pooled]` argument `fresh` on a function; the only one is \
             `crate = PATH`, and parameters take `#[pooled(pool = EXPR)]`",
        ),
        (
            quote!(crate = a, crate = b),
            quote!(
                fn f(#[pooled] a: &mut A) {}
            ),
            "duplicate `#[pooled]` argument `crate`",
        ),
        (
            quote!(crate),
            quote!(
                fn f(#[pooled] a: &mut A) {}
            ),
            "`crate` needs a value: `#[pooled(crate = PATH)]`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled(crate = a)] a: &mut A) {}
            ),
            "`crate = ...` goes on the function, not on a parameter: \
             `#[pooled(crate = PATH)] fn ...`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled(capacity = 1)] a: &mut A) {}
            ),
            "unknown `#[pooled]` argument `capacity`; the only one is `pool = EXPR`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled(pool)] a: &mut A) {}
            ),
            "`pool` needs a value: `#[pooled(pool = EXPR)]`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled = P] a: &mut A) {}
            ),
            "expected `#[pooled]` or `#[pooled(pool = EXPR)]`",
        ),
        (
            quote!(),
            quote!(
                fn f(#[pooled(pool = P, pool = Q)] a: &mut A) {}
            ),
            "duplicate `#[pooled]` argument `pool`",
        ),
        (
            quote!(),
            quote!(
                fn f(
                    #[pooled]
                    #[pooled]
                    a: &mut A,
                ) {
                }
            ),
            "duplicate `#[pooled]` attribute on this parameter",
        ),
    ];
    for (args, item, message) in cases {
        let output = expand(args.clone(), item.clone());
        assert_eq!(errors(&output), [*message], "for {item}");
    }
}

/// A name clash is left to rustc, which reports it on the original parameter list.
#[test]
fn a_name_clash_is_emitted_as_written() {
    let output = expand(
        quote!(),
        quote!(
            fn f(a: u8, #[pooled] a: &mut A) {}
        ),
    );
    assert_tokens(
        output,
        quote!(
            fn f(a: u8, a: &mut A) {}
        ),
    );
}

/// Also when the clashing parameter is refused: its stand-in `let` would shadow the
/// other parameter and hide the clash.
#[test]
fn a_name_clash_in_a_refused_parameter_is_emitted_as_written() {
    let output = expand(
        quote!(),
        quote!(
            fn f(a: u8, #[pooled] (a, b): &mut (A, B)) {}
        ),
    );
    assert_eq!(errors(&output).len(), 1);
    assert_tokens(
        function_of(&output),
        quote!(
            fn f(a: u8, (a, b): &mut (A, B)) {}
        ),
    );
}
