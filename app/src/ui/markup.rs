//! Markup written as one string, for the few long, uniform lists on hot pages (the review
//! queue's rows and its filter options). A leptos view builds a node per element and a
//! hydration marker per text; fifty rows of eight cells made the queue page's render cost
//! several times the query's. The string goes into the page with `inner_html`, so the
//! browser gets the same markup from the server and, after an update, from the wasm build.
//!
//! Every text and attribute value passes through `text` or `attr` (html-escape, the escaper
//! leptos itself uses); nothing else appends user data. Only components and the frame call
//! this module, never a page (`scripts/imports.py` checks): the hot spots are fenced here,
//! each behind a component.

mod nav;
mod options;
pub mod queue;
mod writer;

pub use nav::{nav_markup, NavItem};
pub use options::{locale_options, options_markup};
pub use writer::{push_time, Markup};
