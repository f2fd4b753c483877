//! Every in-process cache of the backend, in one place. They are leaves: they hold data and
//! know when it is stale, and import nothing of the repositories, services or the session
//! store; the code that fills them reads the database. Nothing in `repo` imports them.
//!
//! | cache | key | lifetime | what invalidates it |
//! | --- | --- | --- | --- |
//! | `SessionCache` (`sessions`) | session id | `SESSION_CACHE_SECONDS` (default 2 s; 0 = off), at most 10,000 | a write or delete of that session through the store; the users generation |
//! | `SessionUsers` (`sessions`) | session id | taken by its request; 2 s at most, 10,000 at most | taken once; the users generation through `SessionCache` |
//! | `UserCache` (`request`) | the request's user | one request | — |
//! | `ClaimerNames` (`claimers`) | reviewer id | until the users generation moves; 10,000 at most | the users generation |
//! | `RecipientCache` (`recipients`) | recipient number | until full (50,000) | never stale (the number decides) |
//! | `PricingVersions` (`pricing`) | (currency, day), (tenant, currency, day) | while the count of published versions is unchanged; 4,096 days at most | publishing a card or a price list (the stamp) |
//!
//! The users generation (`users`) moves when a transaction that wrote users, memberships or
//! tenants commits: the repository functions that write those rows take a `backend::tx::Tx`,
//! and its `commit()` moves it. No call to remember.

mod claimers;
mod pricing;
mod recipients;
mod request;
mod sessions;
pub mod users;

pub use claimers::{ClaimerNames, Lookup};
pub use pricing::PricingVersions;
pub use recipients::RecipientCache;
pub use request::UserCache;
pub use sessions::{SessionCache, SessionUsers};
