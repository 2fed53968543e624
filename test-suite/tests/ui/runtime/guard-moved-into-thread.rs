// A `Pooled` guard borrows its pool, so it cannot go to a thread that may outlive it.
// rustc's borrow errors cannot carry a crate's words; the fix is `Arc<Pool<T>>` and
// `get_owned()` (see `Pool::get_owned`), or a scoped thread.
use poolable::Pool;

fn main() {
    let pool: Pool<Vec<u8>> = Pool::new();
    let mut buffer = pool.get();
    std::thread::spawn(move || buffer.push(1)).join().unwrap();
}
