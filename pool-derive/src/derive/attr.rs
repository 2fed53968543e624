//! `#[pool(...)]` attributes, parsed into typed records.
//!
//! One walker ([`for_each_key`]) handles what every position shares: unknown keys, keys
//! that belong to another position, duplicates, and skipping past a bad value so that the
//! keys after it are still checked. Each position then only says how to read its own keys.
//! Rules that involve two keys (`skip` with `reset`, ...) are in `valid.rs`.

use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, LitStr, Path, Token, WherePredicate};

use crate::crate_path;
use crate::ctxt::Ctxt;
use crate::symbol::*;
use crate::value::{expr_value, flag_value, path_value, rest_of_value, skip_value};

/// Where an attribute sits. It decides which keys are valid there and how errors name
/// the place.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// On the type itself; the `&str` is its keyword (`struct`, `enum`, `union`).
    Container(&'static str),
    Variant,
    Field,
}

impl Place {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Place::Container(_) => CONTAINER_KEYS,
            Place::Variant => VARIANT_KEYS,
            Place::Field => FIELD_KEYS,
        }
    }

    /// "container attribute", "variant attribute", "field attribute".
    fn kind(self) -> &'static str {
        match self {
            Place::Container(_) => "container attribute",
            Place::Variant => "variant attribute",
            Place::Field => "field attribute",
        }
    }

    /// How an error names this spot: "the struct", "a variant", "a field".
    fn spot(self) -> String {
        match self {
            Place::Container(keyword) => format!("the {keyword}"),
            Place::Variant => "a variant".to_owned(),
            Place::Field => "a field".to_owned(),
        }
    }
}

/// One key as written. `order` counts the keys of the item in source order, so a rule
/// between two keys can point at whichever came second.
pub(crate) struct Setting<T> {
    pub(crate) key: Path,
    pub(crate) order: usize,
    pub(crate) value: T,
}

/// Attributes on the struct or enum.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) capacity: Option<Setting<Expr>>,
    pub(crate) new: Option<Setting<Expr>>,
    pub(crate) keep_if: Option<Setting<Path>>,
    pub(crate) krate: Option<Setting<Path>>,
    pub(crate) bound: Option<Setting<Vec<WherePredicate>>>,
}

/// Attributes on an enum variant.
#[derive(Default)]
pub(crate) struct Variant {
    pub(crate) default: Option<Setting<()>>,
}

/// Attributes on a field.
#[derive(Default)]
pub(crate) struct Field {
    pub(crate) skip: Option<Setting<()>>,
    pub(crate) reset: Option<Setting<Expr>>,
    pub(crate) reset_with: Option<Setting<Path>>,
    pub(crate) shrink_to: Option<Setting<Expr>>,
}

impl Container {
    pub(crate) fn from_syn(ctxt: &Ctxt, attrs: &[Attribute], keyword: &'static str) -> Self {
        let mut out = Container::default();
        for_each_key(
            ctxt,
            attrs,
            Place::Container(keyword),
            |key, meta, order| {
                match key {
                    // #[pool(capacity = 256)]
                    CAPACITY => out.capacity = setting(meta, order, expr_value(meta, POOL, key)?),
                    // #[pool(new = Request::with_capacity(4096))]
                    NEW => out.new = setting(meta, order, expr_value(meta, POOL, key)?),
                    // #[pool(keep_if = Request::small_enough)] or #[pool(keep_if = "...")]
                    KEEP_IF => {
                        out.keep_if = setting(
                            meta,
                            order,
                            path_value(meta, POOL, key, "a function", "Self::worth_keeping")?,
                        );
                    }
                    // #[pool(crate = my_crate::poolable)] or #[pool(crate = "my_crate::poolable")]
                    CRATE => out.krate = setting(meta, order, crate_path::parse(meta, POOL)?),
                    // #[pool(bound = "T: Poolable + Clone")]
                    BOUND => out.bound = setting(meta, order, bound_value(meta, key)?),
                    _ => unreachable!("`{key}` is listed in CONTAINER_KEYS but not read"),
                }
                Ok(())
            },
        );
        out
    }
}

impl Variant {
    pub(crate) fn from_syn(ctxt: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Variant::default();
        for_each_key(ctxt, attrs, Place::Variant, |key, meta, order| {
            match key {
                // #[pool(default)]
                // Recorded even with a stray value, so that the enum does not also get
                // "needs a default variant".
                DEFAULT => {
                    out.default = setting(meta, order, ());
                    flag_value(meta, POOL, key)?;
                }
                _ => unreachable!("`{key}` is listed in VARIANT_KEYS but not read"),
            }
            Ok(())
        });
        out
    }
}

impl Field {
    pub(crate) fn from_syn(ctxt: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Field::default();
        for_each_key(ctxt, attrs, Place::Field, |key, meta, order| {
            match key {
                // #[pool(skip)]
                SKIP => {
                    out.skip = setting(meta, order, ());
                    flag_value(meta, POOL, key)?;
                }
                // #[pool(reset = 1)]
                RESET => out.reset = setting(meta, order, expr_value(meta, POOL, key)?),
                // #[pool(reset_with = Vec::clear)] or #[pool(reset_with = "Vec::clear")]
                RESET_WITH => {
                    out.reset_with = setting(
                        meta,
                        order,
                        path_value(meta, POOL, key, "a function", "my_reset")?,
                    );
                }
                // #[pool(shrink_to = 64 * 1024)]
                SHRINK_TO => out.shrink_to = setting(meta, order, expr_value(meta, POOL, key)?),
                _ => unreachable!("`{key}` is listed in FIELD_KEYS but not read"),
            }
            Ok(())
        });
        out
    }
}

fn setting<T>(meta: &ParseNestedMeta, order: usize, value: T) -> Option<Setting<T>> {
    Some(Setting {
        key: meta.path.clone(),
        order,
        value,
    })
}

/// Calls `read` for each valid, first-seen key in the `#[pool(...)]` attributes of one item,
/// with the key's order among all the keys of the item.
///
/// Mistakes go to `ctxt` and parsing goes on with the next key, so one compile reports all
/// of them: an unknown key (listing the valid ones), a key of another position (saying
/// where it goes), a duplicate (at its second occurrence), and whatever `read` refuses.
fn for_each_key(
    ctxt: &Ctxt,
    attrs: &[Attribute],
    place: Place,
    mut read: impl FnMut(&'static str, &ParseNestedMeta, usize) -> syn::Result<()>,
) {
    let mut seen: Vec<&'static str> = Vec::new();
    let mut order = 0;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(POOL)) {
        let parsed = attr.parse_nested_meta(|meta| {
            order += 1;
            let outcome = match known_key(&meta.path) {
                // A slip of the fingers (`capacty`): said once, with the key meant, which is
                // then read as if it were written right, so that nothing that follows only
                // from the slip is reported too (`defualt` would leave the enum without a
                // default variant).
                None => match suggestion(&meta.path, place) {
                    Some(key) if !seen.contains(&key) => {
                        ctxt.syn_error(unknown_key(&meta.path, place));
                        seen.push(key);
                        read(key, &meta, order)
                    }
                    _ => Err(unknown_key(&meta.path, place)),
                },
                Some(key) if !place.keys().contains(&key) => {
                    Err(misplaced_key(&meta.path, key, place))
                }
                Some(key) if seen.contains(&key) => Err(syn::Error::new_spanned(
                    &meta.path,
                    format!("duplicate {} `{key}`", place.kind()),
                )),
                Some(key) => {
                    seen.push(key);
                    read(key, &meta, order)
                }
            };
            if let Err(error) = outcome {
                ctxt.syn_error(error);
                skip_value(meta.input);
            }
            Ok(())
        });
        // Only malformed syntax gets here (`#[pool]`, `#[pool = 1]`, a missing comma):
        // the rest of this attribute cannot be read, but the other attributes still are.
        if let Err(error) = parsed {
            ctxt.syn_error(error);
        }
    }
}

/// The keyword constant for `path`, if it is one of ours in any position.
fn known_key(path: &Path) -> Option<&'static str> {
    let ident = path.get_ident()?.to_string();
    [CONTAINER_KEYS, VARIANT_KEYS, FIELD_KEYS]
        .into_iter()
        .flatten()
        .copied()
        .find(|key| *key == ident)
}

/// The valid key of `place` that `path` is a slip for, if any.
fn suggestion(path: &Path, place: Place) -> Option<&'static str> {
    closest(&path.get_ident()?.to_string(), place.keys())
}

fn unknown_key(path: &Path, place: Place) -> syn::Error {
    let written = path.to_token_stream().to_string().replace(' ', "");
    let kind = place.kind();
    let message = match (suggestion(path, place), place.keys()) {
        (Some(key), _) => format!("unknown {kind} `{written}`; did you mean `{key}`?"),
        (None, [only]) => format!("unknown {kind} `{written}`; the only one is `{only}`"),
        (None, keys) => format!(
            "unknown {kind} `{written}`; expected one of {}",
            keys.iter()
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    syn::Error::new_spanned(path, message)
}

/// A key we know, written where it does not belong.
fn misplaced_key(path: &Path, key: &str, found: Place) -> syn::Error {
    let here = found.spot();
    let message = if CONTAINER_KEYS.contains(&key) {
        format!("`{key}` is a container attribute: put it on the struct or enum, not on {here}")
    } else if VARIANT_KEYS.contains(&key) {
        let what = "is a variant attribute";
        let target = "the enum variant that reset returns to";
        match found {
            Place::Container(keyword @ ("struct" | "union")) => {
                format!("`{key}` {what}: it marks {target}, and a {keyword} has no variants")
            }
            _ => format!("`{key}` {what}: put it on {target}, not on {here}"),
        }
    } else {
        format!("`{key}` is a field attribute: put it on a field, not on {here}")
    };
    syn::Error::new_spanned(path, message)
}

/// `bound = "T: Poolable, U: Clone"` (a string, as serde's `bound`, since a where-clause
/// is not an expression); an empty string means no bounds at all.
fn bound_value(meta: &ParseNestedMeta, key: &str) -> syn::Result<Vec<WherePredicate>> {
    let expected =
        format!("expected a string of where-clause predicates, like `{key} = \"T: Poolable\"`");
    if !meta.input.peek(Token![=]) {
        return Err(syn::Error::new_spanned(&meta.path, expected));
    }
    let input = meta.value()?;
    if !input.peek(LitStr) {
        return Err(syn::Error::new_spanned(rest_of_value(input), expected));
    }
    let lit: LitStr = input.parse()?;
    let predicates = lit
        .parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
        .map_err(|error| syn::Error::new_spanned(&lit, format!("invalid `{key}`: {error}")))?;
    Ok(predicates.into_iter().collect())
}
