//! Platform events (webhook deliveries split into changes) and what they keep current: the
//! health of templates, phone numbers and accounts, message statuses, conversation windows.
//! One file per part (`changes`, `log`, `templates`, `numbers`, `messages`), what they share
//! in `common`; this module names them all.

mod changes;
mod common;
mod deliveries;
mod log;
mod lookup;
mod messages;
mod numbers;
mod templates;

pub use changes::*;
pub use common::{APPLIED, FAILED, IGNORED, PENDING, UNMATCHED};
pub use deliveries::*;
pub use log::*;
pub use lookup::*;
pub use messages::*;
pub use numbers::*;
pub use templates::*;
