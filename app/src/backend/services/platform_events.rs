//! Platform events: receiving webhook deliveries (signature checked, stored before the 200)
//! and processing their changes in a job (batched, idempotent, in event-time order, retried),
//! keeping templates, numbers and accounts current and raising alerts.
//!
//! `receive` takes deliveries in; `process` runs a batch, `bulk` applies status-only changes
//! in bulk (`statuses` writes them) and the rest one by one; `apply` matches every other change to its tenant and hands it to the handler of
//! its kind (`templates`, `numbers`, `accounts`, `messages`); `incidents` announces alerts.

mod accounts;
mod apply;
mod bulk;
mod common;
mod incidents;
mod messages;
mod numbers;
mod process;
mod receive;
mod statuses;
mod templates;

pub use numbers::poll_numbers;
pub use process::{process_all, process_due, Lane, Processed};
pub use receive::{dedupe_key, receive, recipient_hash, retry_at, sign, signature_valid, Received};
