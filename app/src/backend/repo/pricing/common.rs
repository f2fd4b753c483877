//! What the parts of `repo::pricing` share: their imports and a version's states.

pub(super) use super::super::entities::{
    phone_number, price_list, rate_card, rate_card_rate, tenant, tier_counter, usage_record, waba,
};
pub(super) use crate::{
    backend::scope::{CrossTenant, PlatformScope, SystemScope, TenantScope},
    contract::{AppError, ConflictReason},
    domain::{
        ids::TenantId,
        pricing::{
            card::{CardImport, Rate, Rates, RowError, Tier},
            category::Category,
            market::Market,
            prices::PriceRule,
        },
    },
};
pub(super) use chrono::{DateTime, NaiveDate, Utc};
pub(super) use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
pub(super) use std::collections::HashMap;
pub(super) use uuid::Uuid;

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";
