//! BSP Console: the application crate shared by the server (feature `ssr`) and the
//! browser (feature `hydrate`).
//!
//! - `domain`: pure rules, no I/O, compiled into both builds.
//! - `i18n`: the one catalogue of user-facing text (English, French).
//! - `contract`: what crosses the wire (`AppError` and every request and response type).
//! - `api`: server functions (endpoints), speaking `contract` types.
//! - `ui`: pages and components.
//! - `backend` (ssr only): state, auth, scopes, services, repositories, outbox.
#![recursion_limit = "256"]

pub mod api;
pub mod contract;
pub mod domain;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use ui::app::{shell, App};
