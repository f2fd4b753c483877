#![allow(clippy::expect_used, clippy::unwrap_used)]
//! The one integration-test binary: real HTTP against the real router, a fresh database per
//! test, each test on SQLite and PostgreSQL.

mod support;

mod access_matrix;
mod account;
mod api;
mod api_writes;
mod cli;
mod email;
mod graph;
mod incidents;
mod limits;
mod photos;
mod platform_load;
mod pricing;
mod profiles;
mod review;
mod sessions;
mod sign_in_abuse;
mod sso;
mod staff;
mod templates;
mod tenant_isolation;
mod tenants;
mod two_factor;
mod webhooks;
