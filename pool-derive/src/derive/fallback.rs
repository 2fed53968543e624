//! What is emitted when the input has mistakes: the errors, plus stub impls.
//!
//! Without the stubs, every use of the type as `Poolable` (`global::<T>()`, `#[pooled]`,
//! a containing derive) would add a "`T` does not implement `Poolable`" error on top of
//! the real one. The stubs are never run: the errors stop the compile.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Input;

pub(crate) fn expand(input: &Input, krate: &TokenStream, error: syn::Error) -> TokenStream {
    let ident = input.self_ident();
    let (impl_generics, ty_generics, where_clause) = input.original.generics.split_for_impl();
    let error = error.into_compile_error();
    // Not when `Default` is derived too: that conflict is the error being reported.
    let new_pooled = (input.attrs.new.is_some() && input.derived_default.is_none()).then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::NewPooled for #ident #ty_generics #where_clause {
                fn new_pooled() -> Self {
                    ::core::unreachable!()
                }
            }
        }
    });
    quote! {
        #error
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl #impl_generics #krate::__private::Poolable for #ident #ty_generics #where_clause {
            fn reset(&mut self) {
                ::core::unreachable!()
            }
        }
        #new_pooled
    }
}
