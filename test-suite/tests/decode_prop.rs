//! Property: decoding in place into a pooled object gives exactly what
//! `serde_json::from_slice` gives into a fresh one, whatever the pooled object held
//! before; and input that `from_slice` refuses is refused too, leaving the next user a
//! clean object.

use std::collections::BTreeMap;

use poolable::{Pool, Poolable, ReuseMap, ReuseVec};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Poolable, Serialize, Deserialize, Default, Debug, PartialEq, Clone)]
struct Item {
    sku: String,
    quantity: u16,
    tags: Vec<String>,
}

#[derive(Poolable, Serialize, Deserialize, Default, Debug, PartialEq, Clone)]
struct Order {
    id: String,
    items: Vec<Item>,
    body: Vec<u8>,
    meta: BTreeMap<String, String>,
    pair: (String, u8),
    #[serde(default)]
    comment: String,
    rush: bool,
    headers: ReuseMap<String, String>,
    labels: ReuseVec<String>,
    lines: ReuseVec<Item>,
}

fn text() -> impl Strategy<Value = String> {
    // Escapes and non-ASCII too, so serde_json's copying paths are exercised.
    "[a-z0-9 \"\\\\\u{e9}\u{1f600}\n]{0,24}"
}

fn item() -> impl Strategy<Value = Item> {
    (text(), any::<u16>(), vec(text(), 0..4)).prop_map(|(sku, quantity, tags)| Item {
        sku,
        quantity,
        tags,
    })
}

fn order() -> impl Strategy<Value = Order> {
    (
        text(),
        vec(item(), 0..4),
        vec(any::<u8>(), 0..64),
        btree_map(text(), text(), 0..4),
        (text(), any::<u8>()),
        text(),
        any::<bool>(),
        (
            btree_map(text(), text(), 0..6),
            vec(text(), 0..6),
            vec(item(), 0..3),
        ),
    )
        .prop_map(
            |(id, items, body, meta, pair, comment, rush, (headers, labels, lines))| Order {
                id,
                items,
                body,
                meta,
                pair,
                comment,
                rush,
                headers: headers.into_iter().collect(),
                labels: labels.into(),
                lines: lines.into(),
            },
        )
}

/// An order as JSON, sometimes with `comment` left out (it is `#[serde(default)]`).
fn json(order: &Order, leave_out_comment: bool) -> Vec<u8> {
    let mut value = serde_json::to_value(order).unwrap();
    if leave_out_comment {
        value.as_object_mut().unwrap().remove("comment");
    }
    serde_json::to_vec(&value).unwrap()
}

fn decode(pool: &Pool<Order>, bytes: &[u8]) -> serde_json::Result<Order> {
    let mut input = serde_json::Deserializer::from_slice(bytes);
    let order = pool.decode(&mut input)?;
    input.end()?;
    Ok(order.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 4 } else { 256 }))]

    #[test]
    fn decoded_in_place_equals_from_slice(
        orders in vec((order(), any::<bool>()), 1..6),
    ) {
        // One object serves every decode in turn, so each starts from the last one's
        // leftovers (reset, capacity kept).
        let pool: Pool<Order> = Pool::with_capacity(1);
        for (order, leave_out_comment) in &orders {
            let bytes = json(order, *leave_out_comment);
            let fresh: Order = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(decode(&pool, &bytes).unwrap(), fresh);
        }
        prop_assert_eq!(pool.stats().made, 1);
    }

    #[test]
    fn damaged_input_fails_as_from_slice_does_and_leaves_nothing(
        order in order(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let pool: Pool<Order> = Pool::with_capacity(1);
        let whole = json(&order, false);
        let mut damaged = [
            whole[..cut.index(whole.len())].to_vec(),
            whole.clone(),
        ];
        let at = flip.index(whole.len());
        damaged[1][at] = byte;
        for bytes in damaged {
            // Leftovers to leak, if a failed decode could leak them.
            decode(&pool, &whole).unwrap();
            let fresh = serde_json::from_slice::<Order>(&bytes);
            match decode(&pool, &bytes) {
                Ok(ours) => prop_assert_eq!(ours, fresh.unwrap()),
                Err(ours) => {
                    let theirs = fresh.expect_err("from_slice accepted it");
                    prop_assert_eq!(ours.to_string(), theirs.to_string());
                    prop_assert_eq!(&*pool.get(), &Order::default());
                }
            }
        }
    }
}
