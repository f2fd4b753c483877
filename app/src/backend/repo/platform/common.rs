//! What the parts of `repo::platform` share: their imports and the processing states of a
//! platform event.

pub(super) use super::super::entities::{
    conversation_window, message_status, phone_number, platform_event, template, template_health,
    template_revision, waba, webhook_delivery,
};
pub(super) use crate::{
    backend::scope::{CrossTenant, SystemScope, TenantScope},
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TemplateId, TenantId, WabaRowId},
        platform::RawChange,
        session_window::Window,
        template::status::TemplateStatus,
    },
};
pub(super) use chrono::{DateTime, TimeDelta, Utc};
pub(super) use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
pub(super) use uuid::Uuid;

pub const PENDING: &str = "pending";
pub const APPLIED: &str = "applied";
pub const UNMATCHED: &str = "unmatched";
pub const IGNORED: &str = "ignored";
pub const FAILED: &str = "failed";
