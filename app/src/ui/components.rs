//! What more than one page uses, one concept per file (see `style/main.css` for the design
//! system). Hand-written HTML lives in `ui::markup`, called only from here.

mod actions;
pub(crate) mod badges;
mod diff;
mod echo;
mod errors;
mod field;
mod findings;
mod flash;
mod health_card;
mod preview;
pub mod queue;
mod submission;
pub(crate) mod text;

pub use actions::{action_error, action_ok, follow, reset_on_ok, succeeded};
pub use badges::{status_badge, ComplianceBadge, StatusBadge};
pub use diff::DiffList;
pub use echo::{echoed, echoed_after_error, EchoedForm, ECHO_SESSION_KEY};
pub use errors::{ErrorView, NotFound};
pub use field::{Field, FormError, SelectField};
pub use findings::FindingItem;
pub use flash::Flash;
pub use health_card::{quality_badge, remaining, HealthCard};
pub use preview::{Preview, PreviewBubble};
pub use submission::SubmissionPanel;
pub use text::{fmt_time, t, use_locale};
