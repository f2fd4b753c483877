//! Server-side only (feature `ssr`): state, authentication and scopes, services (one
//! transaction per use case), repositories (the only code that names tables), the outbox.

pub mod auth;
pub mod clock;
pub mod context;
pub mod error;
pub mod graph;
pub mod outbox;
pub mod payments;
pub mod photo;
pub mod repo;
pub mod scope;
pub mod services;
pub mod session_store;
pub mod state;
