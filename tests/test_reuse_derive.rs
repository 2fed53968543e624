//! The reuse collections as users hold them: fields of derived types, with
//! `#[pool(shrink_to = N)]`, inside `Option`, nested (a `ReuseVec` of derived rows that
//! hold reuse collections of their own), of types made by `#[pool(new = ...)]`, in generic
//! types, and borrowed through `#[pooled]`.

use poolable::{Pool, Poolable, ReuseMap, ReuseVec, pooled};

#[derive(Poolable, Default, Debug)]
struct Request {
    path: String,
    headers: ReuseMap<String, String>,
    tags: ReuseVec<String>,
    body: Vec<u8>,
}

fn fill(request: &mut Request, round: usize) {
    request.path.push_str("/orders");
    for (name, value) in [("host", "shop.example"), ("accept", "*/*")] {
        request
            .headers
            .insert_with(name, |v| v.push_str(&format!("{value}#{round}")));
    }
    request.tags.push_default().push_str("fresh");
    request.tags.push_default().push_str("organic");
    request.body.extend_from_slice(b"item=widget");
}

#[test]
fn a_derived_reset_keeps_the_inner_strings_as_spares() {
    let mut request = Request::default();
    fill(&mut request, 0);
    let host_buffer = request.headers["host"].as_ptr();
    let tag_buffer = request.tags[0].as_ptr();

    request.reset();
    assert!(request.path.is_empty() && request.headers.is_empty() && request.tags.is_empty());
    assert_eq!(
        (request.headers.spare_count(), request.tags.spare_count()),
        (2, 2)
    );

    fill(&mut request, 1);
    assert_eq!(request.headers["host"], "shop.example#1");
    assert_eq!(
        request.headers["host"].as_ptr(),
        host_buffer,
        "the value came back"
    );
    assert_eq!(request.tags[0].as_ptr(), tag_buffer, "the tag came back");
    assert_eq!(request.tags, ["fresh", "organic"]);
}

#[derive(Poolable, Default)]
struct Capped {
    #[pool(shrink_to = 4)]
    tags: ReuseVec<String>,
    #[pool(shrink_to = 2)]
    headers: ReuseMap<String, String>,
}

#[test]
fn shrink_to_on_a_field_caps_the_spares_kept() {
    let mut capped = Capped::default();
    for i in 0..100 {
        capped.tags.push_default().push_str("a rare huge request");
        capped
            .headers
            .insert_with(i.to_string().as_str(), |v| v.push('x'));
    }
    capped.reset();
    assert_eq!(capped.tags.spare_count(), 4);
    assert_eq!(capped.headers.spare_count(), 2);
}

#[derive(Poolable, Default)]
struct Optional {
    tags: Option<ReuseVec<String>>,
}

#[test]
fn inside_option_the_reset_is_options() {
    let mut optional = Optional::default();
    optional
        .tags
        .get_or_insert_with(ReuseVec::new)
        .push_default()
        .push_str("tag");
    optional.reset();
    // `Option`'s reset is `None`: the collection goes with it. Hold the collection
    // directly to keep its spares.
    assert!(optional.tags.is_none());
}

/// A row of a table: derived, holding reuse collections of its own.
#[derive(Poolable, Default, Debug, PartialEq)]
struct Row {
    name: String,
    cells: ReuseVec<String>,
    attributes: ReuseMap<String, u32>,
}

#[derive(Poolable, Default)]
struct Table {
    rows: ReuseVec<Row>,
}

#[test]
fn nested_reuse_keeps_every_level() {
    let mut table = Table::default();
    for r in 0..3 {
        let row = table.rows.push_default();
        row.name.push_str("row");
        for c in 0..4 {
            row.cells.push_default().push_str(&format!("{r}:{c}"));
        }
        *row.attributes.get_or_insert_default("width") = 4;
    }
    let cell_buffer = table.rows[2].cells[3].as_ptr();

    table.reset();
    assert!(table.rows.is_empty());
    assert_eq!(table.rows.spare_count(), 3);

    for _ in 0..3 {
        let row = table.rows.push_default();
        assert_eq!(
            *row,
            Row::default(),
            "a spare row is reset all the way down"
        );
        assert_eq!(row.cells.spare_count(), 4, "and keeps its own spares");
        assert_eq!(row.attributes.spare_count(), 1);
    }
    let reused = (0..4)
        .map(|_| table.rows[2].cells.push_default().as_ptr())
        .any(|buffer| buffer == cell_buffer);
    assert!(reused, "the last row's cell strings are its spares");
}

/// A type with no `Default`, made by `#[pool(new = ...)]`.
#[derive(Poolable)]
#[pool(new = Frame { pixels: Vec::with_capacity(64) })]
struct Frame {
    pixels: Vec<u8>,
}

#[test]
fn push_default_uses_the_derives_new() {
    let mut frames: ReuseVec<Frame> = ReuseVec::new();
    assert!(frames.push_default().pixels.capacity() >= 64);
}

#[derive(Poolable, Default)]
struct Generic<T> {
    items: ReuseVec<T>,
}

#[test]
fn a_generic_wrapper_is_poolable_when_its_elements_are() {
    fn assert_poolable<T: Poolable>() {}
    assert_poolable::<Generic<String>>();
    assert_poolable::<Generic<Row>>();
    let mut generic: Generic<Vec<u8>> = Generic::default();
    generic.items.push_default().push(1);
    generic.reset();
    assert_eq!(generic.items.spare_count(), 1);
}

#[pooled]
fn handle(round: usize, #[pooled] request: &mut Request) -> (usize, usize) {
    fill(request, round);
    (request.headers.len(), request.tags.len())
}

#[test]
fn through_pooled_each_call_sees_a_reset_request() {
    for round in 0..10 {
        assert_eq!(handle(round), (2, 2));
    }
}

#[test]
fn in_a_pool_a_returned_object_keeps_its_spares() {
    let pool: Pool<Request> = Pool::with_capacity(1);
    let mut request = pool.get();
    fill(&mut request, 0);
    drop(request);
    let request = pool.get();
    assert!(request.tags.is_empty() && request.headers.is_empty());
    assert_eq!(
        (request.tags.spare_count(), request.headers.spare_count()),
        (2, 2)
    );
}
