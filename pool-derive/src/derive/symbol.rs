//! Every `#[pool(...)]` keyword, in one place, grouped by where it goes.

/// The helper attribute's name: `#[pool(...)]`.
pub(crate) const POOL: &str = "pool";

// Container attributes, on the struct or enum.
/// `capacity = EXPR`: how many objects the type's default pool keeps.
pub(crate) const CAPACITY: &str = "capacity";
/// `new = EXPR`: how the type's default pool makes an object.
pub(crate) const NEW: &str = "new";
/// `crate = PATH` or `crate = "PATH"`: where the `poolable` facade is.
pub(crate) const CRATE: &str = "crate";
/// `bound = "T: Poolable, ..."`: where-predicates replacing the inferred ones.
pub(crate) const BOUND: &str = "bound";

// Variant attributes, on an enum variant.
/// `default`: the variant that reset turns the value into.
pub(crate) const DEFAULT: &str = "default";

// Field attributes.
/// `skip`: kept as is across reuse.
pub(crate) const SKIP: &str = "skip";
/// `reset = EXPR`: assigned `EXPR`.
pub(crate) const RESET: &str = "reset";
/// `reset_with = PATH`: reset by calling `PATH(&mut field)`.
pub(crate) const RESET_WITH: &str = "reset_with";
/// `shrink_to = EXPR`: after the reset, capacity shrunk to at most `EXPR`.
pub(crate) const SHRINK_TO: &str = "shrink_to";

pub(crate) const CONTAINER_KEYS: &[&str] = &[CAPACITY, NEW, CRATE, BOUND];
pub(crate) const VARIANT_KEYS: &[&str] = &[DEFAULT];
pub(crate) const FIELD_KEYS: &[&str] = &[SKIP, RESET, RESET_WITH, SHRINK_TO];
