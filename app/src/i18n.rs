//! User-facing text, in English and French: the compile-checked catalogue (`catalogue`) and
//! the mappings of values to its texts (`text`). UI and emails read from here.

mod catalogue;
mod text;

pub use catalogue::T;
pub use text::*;
