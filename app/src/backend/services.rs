//! Use cases, one transaction each. Services take a scope (the proof of access), call domain
//! rules and repositories, write the audit log and the outbox in the same transaction.

pub mod account;
pub mod alerts;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod domains;
pub mod health;
pub mod invitations;
pub mod invoicing;
pub mod members;
pub mod oba;
pub mod outbox;
pub mod platform_events;
pub mod pricing;
pub mod profiles;
pub mod rating;
pub mod reconcile;
pub mod rerate;
pub mod review;
pub mod sign_in_guard;
pub mod sso;
pub mod staff;
pub mod submission;
pub mod templates;
pub mod tenants;
pub mod two_factor;
pub mod usage;
pub mod users;
