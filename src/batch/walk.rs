//! From the paths on a command line to the inputs of a run: files as they
//! are, directories walked recursively (in name order), globs matched, `-`
//! for standard input; and where each one's output goes.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

use super::pipeline::{Input, Source, Target};

/// Where outputs go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outputs {
    /// All to standard output, in input order (files named one by one only).
    Stdout,
    /// A tree mirroring the inputs under this directory.
    Dir(PathBuf),
    /// Each input replaced by its output.
    InPlace,
    /// Nowhere (scanning).
    Discard,
}

fn has_glob_chars(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The leading components of a glob pattern that hold no glob character.
fn glob_base(pattern: &Path) -> PathBuf {
    let mut base = PathBuf::new();
    for c in pattern.components() {
        if has_glob_chars(&c.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(c);
    }
    base
}

/// A display name for a path found under a root.
fn name_of(path: &Path) -> String {
    path.display().to_string()
}

struct Walker<'a> {
    exclude: Option<PathBuf>,
    outputs: &'a Outputs,
    inputs: Vec<Input>,
}

impl Walker<'_> {
    fn add_file(&mut self, path: PathBuf, rel: PathBuf) {
        let target = match self.outputs {
            Outputs::Stdout => Target::Stdout,
            Outputs::Dir(d) => Target::File(d.join(rel)),
            Outputs::InPlace => Target::InPlace,
            Outputs::Discard => Target::Discard,
        };
        let name = name_of(&path);
        self.inputs.push(Input { source: Source::File(path), name, target, format: None, skip: None });
    }

    fn add_skip(&mut self, path: &Path, why: Skip) {
        self.inputs.push(Input {
            source: Source::File(path.to_path_buf()),
            name: name_of(path),
            target: Target::Discard,
            format: None,
            skip: Some(why),
        });
    }

    /// Walks `root` (a directory), keeping files whose path `keep` accepts.
    fn walk(&mut self, root: &Path, keep: &dyn Fn(&Path) -> bool) {
        let mut it = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
        while let Some(entry) = it.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let io = e.into_io_error().unwrap_or_else(|| std::io::Error::other("file system loop"));
                    self.add_skip(&path, Skip::Error(Error::io(&path, io).to_string()));
                    continue;
                }
            };
            let path = entry.path();
            let ft = entry.file_type();
            if ft.is_dir() {
                if entry.depth() > 0 && self.excluded(path) {
                    it.skip_current_dir();
                }
                continue;
            }
            if !keep(path) {
                continue;
            }
            if ft.is_symlink() {
                self.add_skip(path, Skip::Reason("symbolic link, not followed".into()));
            } else if !ft.is_file() {
                self.add_skip(path, Skip::Reason("not a regular file".into()));
            } else if path.to_string_lossy().ends_with(".cloak-tmp") {
                self.add_skip(path, Skip::Reason("a temporary file of an unfinished run".into()));
            } else {
                let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                self.add_file(path.to_path_buf(), rel);
            }
        }
    }

    fn excluded(&self, dir: &Path) -> bool {
        match &self.exclude {
            Some(ex) => dir.canonicalize().is_ok_and(|c| c == *ex),
            None => false,
        }
    }
}

/// Why an input is not processed although it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Skipped on purpose (a link, a device): reported, not an error.
    Reason(String),
    /// Could not be looked at (an unreadable directory, a glob matching
    /// nothing): reported as a failure.
    Error(String),
}

/// The inputs named by `args`, with their outputs. Standard input is `-`
/// (also when `args` is empty). Paths that do not exist are kept, so that
/// reading them fails with their name.
pub fn expand(args: &[PathBuf], outputs: &Outputs) -> Result<Vec<Input>, Error> {
    let exclude = match outputs {
        Outputs::Dir(d) => d.canonicalize().ok(),
        _ => None,
    };
    let mut w = Walker { exclude, outputs, inputs: Vec::new() };
    let stdin = [PathBuf::from("-")];
    let args = if args.is_empty() { &stdin[..] } else { args };
    for arg in args {
        if arg.as_os_str() == "-" {
            let target = match outputs {
                Outputs::Stdout => Target::Stdout,
                Outputs::Discard => Target::Discard,
                Outputs::Dir(_) | Outputs::InPlace => {
                    return Err(Error::config(
                        "standard input can only be written to standard output (drop -o/--in-place)",
                    ));
                }
            };
            w.inputs.push(Input {
                source: Source::Stdin,
                name: "-".into(),
                target,
                format: None,
                skip: None,
            });
            continue;
        }
        match std::fs::metadata(arg) {
            Ok(m) if m.is_dir() => {
                if *outputs == Outputs::Stdout {
                    return Err(Error::config(format!(
                        "{}: is a directory; give -o DIR for a mirrored tree, or --in-place",
                        arg.display()
                    )));
                }
                w.walk(arg, &|_| true);
            }
            Ok(_) => {
                let rel = arg.file_name().map(PathBuf::from).unwrap_or_else(|| arg.clone());
                w.add_file(arg.clone(), rel);
            }
            Err(_) if has_glob_chars(&arg.to_string_lossy()) => {
                let pattern = arg.to_string_lossy().into_owned();
                let glob = globset::GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| Error::config(format!("bad glob '{pattern}': {}", e.kind())))?
                    .compile_matcher();
                let base = glob_base(arg);
                let root = if base.as_os_str().is_empty() { PathBuf::from(".") } else { base.clone() };
                let before = w.inputs.len();
                let implicit = base.as_os_str().is_empty();
                w.walk(&root, &|p: &Path| {
                    let p = if implicit { p.strip_prefix(".").unwrap_or(p) } else { p };
                    glob.is_match(p)
                });
                if w.inputs.len() == before {
                    w.add_skip(arg, Skip::Error(format!("{pattern}: no file matches")));
                }
            }
            Err(_) => {
                let rel = arg.file_name().map(PathBuf::from).unwrap_or_else(|| arg.clone());
                w.add_file(arg.clone(), rel);
            }
        }
    }
    check_outputs(&w.inputs)?;
    Ok(w.inputs)
}

/// Two inputs may not write the same output, and no output may be its own
/// input (that is what --in-place is for).
fn check_outputs(inputs: &[Input]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for i in inputs {
        let Target::File(out) = &i.target else { continue };
        let key = normalize(out);
        if !seen.insert(key.clone()) {
            return Err(Error::config(format!("two inputs would both be written to {}", out.display())));
        }
        if let Source::File(p) = &i.source {
            let same = match (p.canonicalize(), out.parent().and_then(|d| d.canonicalize().ok())) {
                (Ok(a), Some(dir)) => out.file_name().is_some_and(|n| dir.join(n) == a),
                _ => false,
            };
            if same {
                return Err(Error::config(format!(
                    "{}: the output would replace the input; use --in-place for that",
                    p.display()
                )));
            }
        }
    }
    Ok(())
}

/// A path with `.` components dropped, for comparing outputs.
fn normalize(p: &Path) -> PathBuf {
    p.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inputs: &[Input]) -> Vec<String> {
        inputs.iter().map(|i| i.name.clone()).collect()
    }

    #[test]
    fn directories_globs_and_mirrored_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("in/sub")).unwrap();
        for f in ["in/b.txt", "in/a.jsonl", "in/sub/c.txt", "in/sub/d.csv"] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let out = d.join("out");
        let inputs = expand(&[d.join("in")], &Outputs::Dir(out.clone())).unwrap();
        let rels: Vec<PathBuf> = inputs
            .iter()
            .map(|i| match &i.target {
                Target::File(p) => p.strip_prefix(&out).unwrap().to_path_buf(),
                t => panic!("{t:?}"),
            })
            .collect();
        let want: Vec<PathBuf> =
            ["a.jsonl", "b.txt", "sub/c.txt", "sub/d.csv"].iter().map(PathBuf::from).collect();
        assert_eq!(rels, want);

        let pattern = d.join("in/**/*.txt");
        let inputs = expand(&[pattern], &Outputs::Discard).unwrap();
        assert_eq!(
            names(&inputs),
            [d.join("in/b.txt").display().to_string(), d.join("in/sub/c.txt").display().to_string()]
        );
        let none = expand(&[d.join("in/*.xml")], &Outputs::Discard).unwrap();
        assert!(matches!(none[0].skip, Some(Skip::Error(_))));

        assert!(expand(&[d.join("in")], &Outputs::Stdout).is_err(), "a directory needs -o or --in-place");
        assert!(expand(&[PathBuf::from("-")], &Outputs::InPlace).is_err());
        // Two files of the same name from different places collide under -o.
        let twice = [d.join("in/sub/c.txt"), d.join("in/sub/c.txt")];
        assert!(expand(&twice, &Outputs::Dir(out.clone())).is_err());
        // An output directory inside the input tree is not walked.
        std::fs::create_dir_all(d.join("in/out")).unwrap();
        std::fs::write(d.join("in/out/old.txt"), "x").unwrap();
        let inputs = expand(&[d.join("in")], &Outputs::Dir(d.join("in/out"))).unwrap();
        assert_eq!(inputs.len(), 4);
        // Writing a file onto itself is refused.
        assert!(expand(&[d.join("in/b.txt")], &Outputs::Dir(d.join("in"))).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("in")).unwrap();
        std::fs::write(d.join("target.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("target.txt"), d.join("in/link.txt")).unwrap();
        let inputs = expand(&[d.join("in")], &Outputs::InPlace).unwrap();
        assert_eq!(inputs.len(), 1);
        assert!(matches!(&inputs[0].skip, Some(Skip::Reason(r)) if r.contains("symbolic link")));
    }
}
