//! Platform events (webhook deliveries split into changes) and what they keep current: the
//! health of templates, phone numbers and accounts, message statuses, conversation windows.
//! One file per part (`changes`, `log`, `templates`, `numbers`, `messages`); this module
//! holds what they share and names them all.

use super::entities::{
    conversation_window, message_status, phone_number, platform_event, template, template_health,
    template_revision, waba, webhook_delivery,
};
use crate::{
    backend::scope::{SystemScope, TenantScope},
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TemplateId, TenantId, WabaRowId},
        platform::RawChange,
        session_window::Window,
        template::status::TemplateStatus,
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

pub const PENDING: &str = "pending";
pub const APPLIED: &str = "applied";
pub const UNMATCHED: &str = "unmatched";
pub const IGNORED: &str = "ignored";
pub const FAILED: &str = "failed";

mod changes;
mod log;
mod messages;
mod numbers;
mod templates;

pub use changes::*;
pub use log::*;
pub use messages::*;
pub use numbers::*;
pub use templates::*;
