//! BSP Console: the application crate shared by the server (feature `ssr`) and the
//! browser (feature `hydrate`).
//!
//! - `domain`: pure rules, no I/O, compiled into both builds.
//! - `i18n`: the one catalogue of user-facing text (English, French).
//! - `api`: server functions, the wire contract.
//! - `ui`: pages and components.
//! - `backend` (ssr only): state, auth, scopes, services, repositories, outbox.
#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::app::{shell, App};
