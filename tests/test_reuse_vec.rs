//! `ReuseVec` used as a `Vec` user would use it: slice methods through `Deref`, indexing
//! by position and by range, the iterator traits, comparisons and conversions, and
//! `shrink_spares_to` at its bounds.

use std::collections::HashSet;

use poolable::{Poolable, ReuseVec};

fn words(list: &[&str]) -> ReuseVec<String> {
    list.iter().map(|word| word.to_string()).collect()
}

#[test]
fn reads_and_edits_like_a_vec() {
    let mut tags = words(&["pear", "apple", "fig"]);
    tags.sort(); // a slice method, on the live elements only
    assert_eq!(tags, ["apple", "fig", "pear"]);
    assert_eq!(tags[0], "apple");
    assert_eq!(&tags[1..], ["fig", "pear"]);
    tags[2].push('s');
    assert_eq!(tags.last().map(String::as_str), Some("pears"));
    assert!(tags.contains(&"fig".to_owned()));
    assert_eq!(tags.iter().map(String::len).sum::<usize>(), 13);

    for tag in &mut tags {
        tag.make_ascii_uppercase();
    }
    let seen: Vec<&String> = (&tags).into_iter().collect();
    assert_eq!(seen, ["APPLE", "FIG", "PEARS"]);

    tags.extend(["kiwi".to_owned()]);
    assert_eq!(tags.len(), 4);
    let owned: Vec<String> = tags.into_iter().collect();
    assert_eq!(owned, ["APPLE", "FIG", "PEARS", "kiwi"]);
}

#[test]
fn spares_stay_out_of_sight() {
    let mut tags = words(&["a", "b", "c", "d"]);
    tags.truncate(2);
    assert_eq!(tags.len(), 2);
    assert_eq!(tags.iter().count(), 2);
    assert_eq!(format!("{tags:?}"), r#"["a", "b"]"#);
    assert_eq!(tags, words(&["a", "b"]), "equality ignores spares");
    let set: HashSet<ReuseVec<String>> = [tags.clone(), words(&["a", "b"])].into();
    assert_eq!(set.len(), 1, "so does the hash");
    assert_eq!(tags.clone().spare_count(), 0, "a clone has no spares");
    assert_eq!(Vec::from(tags), ["a", "b"]);
}

#[test]
fn push_default_hands_out_spares_before_making_new_ones() {
    let mut lines: ReuseVec<String> = ReuseVec::new();
    for _ in 0..3 {
        lines
            .push_default()
            .push_str("a line long enough to allocate");
    }
    let buffers: Vec<*const u8> = lines.iter().map(|line| line.as_ptr()).collect();
    lines.reset();
    for _ in 0..3 {
        let line = lines.push_default();
        assert!(line.is_empty());
        assert!(
            buffers.contains(&line.as_ptr()),
            "a spare, not a new string"
        );
    }
    assert!(lines.push_default().capacity() == 0, "the fourth is new");
}

#[test]
fn pop_and_remove_hand_the_element_over() {
    let mut tags = words(&["a", "b", "c"]);
    assert_eq!(tags.pop().as_deref(), Some("c"));
    assert_eq!(tags.remove(0), "a");
    assert_eq!(tags, ["b"]);
    assert_eq!(tags.spare_count(), 0, "an element handed over is not kept");
}

#[test]
#[should_panic(expected = "removal index (is 3) should be < len (is 2)")]
fn remove_out_of_bounds_panics_as_vec_does() {
    let mut tags = words(&["a", "b", "c"]);
    tags.truncate(2);
    tags.remove(3);
}

#[test]
fn shrink_spares_to_at_its_bounds() {
    let mut tags = words(&["a", "b", "c", "d"]);
    tags.shrink_spares_to(0); // live elements are never dropped
    assert_eq!(tags.len(), 4);
    tags.retain(|tag| tag != "b");
    tags.shrink_spares_to(usize::MAX);
    assert_eq!((tags.len(), tags.spare_count()), (3, 1));
    tags.clear();
    tags.shrink_spares_to(2);
    assert_eq!(tags.spare_count(), 2);
    tags.shrink_spares_to(0);
    assert_eq!(tags.spare_count(), 0);
    tags.push_default().push_str("again");
    assert_eq!(tags, ["again"]);
}
