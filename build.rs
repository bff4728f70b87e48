//! Embeds every file under `rules/` (the built-in packs and their dictionaries)
//! and `policies/` (the built-in policies) into the binary, as tables of
//! (relative path, bytes).

use std::fs;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> =
        fs::read_dir(dir).expect("rules/ is readable").map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Writes `static NAME: &[(&str, &[u8])]` holding every file under `dir`.
fn table(root: &Path, dir: &str, name: &str) -> String {
    let base = root.join(dir);
    println!("cargo:rerun-if-changed={dir}");
    let mut files = Vec::new();
    walk(&base, &mut files);
    let mut code = format!(
        "/// Every file under `{dir}/`, as (path relative to `{dir}/`, contents).\npub(crate) static {name}: &[(&str, &[u8])] = &[\n"
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&base).expect("under the directory").to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    code
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("builtin_files.rs"), table(&root, "rules", "FILES")).expect("OUT_DIR is writable");
    fs::write(out.join("builtin_policies.rs"), table(&root, "policies", "POLICIES"))
        .expect("OUT_DIR is writable");
}
