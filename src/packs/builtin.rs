//! The packs shipped inside the binary (every file under `rules/`).

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// The embedded file at `path` (relative to `rules/`).
pub(crate) fn file(path: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, bytes)| *bytes)
}

/// Names of the built-in packs: the `*.yaml` files at the top of `rules/`.
pub(crate) fn pack_names() -> Vec<&'static str> {
    FILES.iter().filter_map(|(p, _)| p.strip_suffix(".yaml")).filter(|p| !p.contains('/')).collect()
}
