// A header list iterated by reference gives `&&str`; the map's key is filled from `&str`.
use poolable::ReuseMap;

fn main() {
    let raw: &[(&str, &str)] = &[("host", "example.com")];
    let mut headers: ReuseMap<String, String> = ReuseMap::new();
    for (name, value) in raw {
        headers.insert_with(name, |v| v.push_str(value));
        headers.entry_ref(name).or_default().push_str(value);
    }
}
