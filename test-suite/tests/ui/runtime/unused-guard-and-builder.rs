// A guard or a builder that is made and dropped at once does nothing useful: each one
// warns, and `deny` turns the warnings into the errors pinned here.
#![deny(unused_must_use)]

use poolable::Pool;

fn main() {
    let pool: Pool<String> = Pool::new();
    pool.get(); // made or reused, then returned at once
    pool.try_get();
    Pool::<String>::builder().capacity(8); // builds nothing
    Pool::<String>::builder().capacity(8).build(); // a pool dropped at once
}
