//! Pages and components. Every mutation is an `ActionForm` (works before wasm loads); every
//! text comes from the `i18n` catalogue; errors are shown by `ErrorView` or next to fields.

pub mod app;
pub mod components;
pub mod frame;
pub mod markup;
pub mod pages;
pub mod session;
