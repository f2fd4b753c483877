//! What crosses the wire between the browser and the server: `AppError` with its stable
//! codes, and every request and response type, one file per area. Wasm-safe: it depends on
//! `domain`, serde, the interface's catalogue (error messages) and leptos' server-function
//! error trait, never on `backend` or `api`. The server functions (`api`) and the services
//! (`backend`) both speak these types.

pub mod admin;
pub mod api_keys;
mod error;
pub mod finance;
pub mod health;
pub mod profiles;
pub mod review;
pub mod session;
pub mod staff;
pub mod templates;
pub mod tenants;

pub use admin::*;
pub use api_keys::*;
pub use error::{AppError, ConflictReason};
pub use health::*;
pub use profiles::*;
pub use review::*;
pub use session::*;
pub use staff::*;
pub use templates::*;
pub use tenants::*;
