//! What the platform's webhooks say (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/), as typed values: the envelope split into
//! changes, each change read into what it means for a template, a number or an account.
//! Pure: no I/O; unknown shapes become `Change::Unknown`, never a panic.

mod change;
mod envelope;
mod fold;
pub mod incidents;
mod interpret;
mod messages;
mod redact;
pub mod vocabulary;

pub use change::*;
pub use envelope::{split, split_parsed, statuses_only, unix, EnvelopeError, RawChange};
pub use fold::{
    fold_account, fold_number, is_stale, pause_outlook, AccountState, NumberState, PauseOutlook,
};
pub use interpret::interpret;
pub use messages::{
    pricing_category, DeliveryStatus, Inbound, MessageState, Pricing, StatusUpdate,
};
pub use redact::{redact_people, NAME_REMOVED};
pub use vocabulary::{
    AccountEvent, AlertEntity, AlertSeverity, AlertStatus, AlertType, BanState, NameDecision,
    NumberEvent,
};

#[cfg(test)]
mod tests;
