//! Server functions: the endpoints between browser and server. Bodies are thin adapters
//! (context → scope → one service call); the types they take and give are in `contract`,
//! rules live in `domain`, work in `backend`.

pub mod admin;
pub mod api_keys;
pub mod auth;
pub mod error;
pub mod health;
pub mod pricing;
pub mod profiles;
pub mod review;
pub mod staff;
pub mod templates;
pub mod tenants;
