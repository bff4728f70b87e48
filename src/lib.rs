//! Cloak finds personal identifiers in healthcare and finance text and replaces them.
//!
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod batch;
pub mod detection;
pub mod error;
pub mod eval;
pub mod finding;
pub mod label;
pub mod packs;
pub mod tokens;
pub mod transforms;
pub mod validators;
pub mod vault;

pub use detection::{Engine, EngineBuilder};
pub use error::{Error, ErrorKind, Result};
pub use finding::{Finding, RuleIndex, Span};
pub use label::Label;
pub use packs::{Pack, PackSet, WordList};
