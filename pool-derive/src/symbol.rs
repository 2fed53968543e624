//! Every keyword of both macros, in one place: the attribute names, then the keys of
//! `#[pool(...)]` (the derive's helper attribute) and of `#[pooled(...)]`, grouped by
//! where they go.

/// The derive's helper attribute: `#[pool(...)]`.
pub(crate) const POOL: &str = "pool";
/// The function attribute, also written on its parameters: `#[pooled(...)]`.
pub(crate) const POOLED: &str = "pooled";

// `#[pool(...)]`

// Container attributes, on the struct or enum.
/// `capacity = EXPR`: how many objects the type's default pool keeps.
pub(crate) const CAPACITY: &str = "capacity";
/// `new = EXPR`: how the type's default pool makes an object.
pub(crate) const NEW: &str = "new";
/// `crate = PATH` or `crate = "PATH"`: where the `poolable` facade is.
pub(crate) const CRATE: &str = "crate";
/// `bound = "T: Poolable, ..."`: where-predicates replacing the inferred ones.
pub(crate) const BOUND: &str = "bound";
/// `keep_if = PATH`: which returned objects the type's default pool keeps.
pub(crate) const KEEP_IF: &str = "keep_if";

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

pub(crate) const CONTAINER_KEYS: &[&str] = &[CAPACITY, NEW, KEEP_IF, CRATE, BOUND];
pub(crate) const VARIANT_KEYS: &[&str] = &[DEFAULT];
pub(crate) const FIELD_KEYS: &[&str] = &[SKIP, RESET, RESET_WITH, SHRINK_TO];

// `#[pooled(...)]`
/// `#[pooled(pool = EXPR)]` on a parameter: the pool it borrows from. The same word as the
/// derive's attribute name, `POOL`, but a key of another attribute.
pub(crate) const POOLED_POOL: &str = "pool";

/// `#[pooled(...)]` on the function: `crate = PATH`, as the derive's container key.
pub(crate) const FN_KEYS: &[&str] = &[CRATE];
/// `#[pooled(...)]` on a parameter.
pub(crate) const PARAM_KEYS: &[&str] = &[POOLED_POOL];

/// The key of `candidates` closest to what was written, if one is close enough to be a
/// slip of the fingers (`capacty`, `defualt`, `reset_wiht`): at most one edit in three
/// characters, at least one.
pub(crate) fn closest(written: &str, candidates: &[&'static str]) -> Option<&'static str> {
    let limit = (written.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|candidate| (edit_distance(written, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between a[..i] and b[..j].
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_key_one_slip_away() {
        assert_eq!(closest("capacty", CONTAINER_KEYS), Some(CAPACITY));
        assert_eq!(closest("defualt", VARIANT_KEYS), Some(DEFAULT));
        assert_eq!(closest("skipp", FIELD_KEYS), Some(SKIP));
        assert_eq!(closest("resetwith", FIELD_KEYS), Some(RESET_WITH));
        assert_eq!(closest("shrink", FIELD_KEYS), None);
        assert_eq!(closest("pol", PARAM_KEYS), Some(POOLED_POOL));
    }

    #[test]
    fn suggests_nothing_for_another_word() {
        assert_eq!(closest("colour", FIELD_KEYS), None);
        assert_eq!(closest("fresh", FN_KEYS), None);
        assert_eq!(closest("x", VARIANT_KEYS), None);
    }
}
