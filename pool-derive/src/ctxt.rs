//! An error accumulator, so that every mistake in one item is reported in one compile.
//!
//! Passes push errors into a [`Ctxt`] and keep going; the caller asks [`Ctxt::check`] once
//! at the end and gets them all combined. Forgetting to ask would silently drop errors, so
//! dropping an unchecked `Ctxt` is a bug in this crate and panics (never a user mistake:
//! user mistakes only ever become errors in the accumulator).

use std::cell::RefCell;
use std::fmt::Display;

use quote::ToTokens;

/// Collects `syn::Error`s; shared by reference so nested passes can all report.
pub(crate) struct Ctxt {
    /// `None` once [`Ctxt::check`] has taken the errors.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error spanning `tokens` (the smallest node that is wrong).
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.syn_error(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error from a parser.
    pub(crate) fn syn_error(&self, error: syn::Error) {
        self.errors
            .borrow_mut()
            .as_mut()
            .expect("Ctxt used after check")
            .push(error);
    }

    /// Consumes the accumulator: `Ok` if nothing was recorded, else all errors combined.
    pub(crate) fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().expect("Ctxt checked twice");
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        // Only a bug of ours gets here; stay quiet while already unwinding from another.
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("Ctxt dropped without check");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    #[test]
    fn no_errors_is_ok() {
        assert!(Ctxt::new().check().is_ok());
    }

    #[test]
    fn errors_are_combined_in_order() {
        let ctxt = Ctxt::new();
        ctxt.syn_error(syn::Error::new(Span::call_site(), "first"));
        ctxt.syn_error(syn::Error::new(Span::call_site(), "second"));
        let messages: Vec<String> = ctxt
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    #[should_panic = "Ctxt dropped without check"]
    fn unchecked_ctxt_panics() {
        let _ctxt = Ctxt::new();
    }
}
