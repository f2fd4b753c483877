//! Server-side only (feature `ssr`): state, identity, authentication and scopes, services
//! (one transaction per use case, `tx::Tx`), repositories (the only code that names tables),
//! the in-process caches (`cache`), the outbox.

pub mod api_token;
pub mod auth;
pub mod cache;
pub mod client_addr;
pub mod clock;
pub mod context;
pub mod device;
pub mod error;
pub mod graph;
pub mod identity;
pub mod outbox;
pub mod password;
pub mod payments;
pub mod photo;
pub mod repo;
pub mod scope;
pub mod sealed;
pub mod services;
pub mod session_store;
pub mod sso;
pub mod state;
pub mod tx;
