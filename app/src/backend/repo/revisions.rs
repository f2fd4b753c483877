//! What the template and review repositories share about template revisions: how a status is
//! stored and read back (strictly), and which revisions a reviewer may act on.

use super::entities::template_revision;
use crate::{
    backend::error::stored,
    contract::AppError,
    domain::{ids::UserId, template::status::TemplateStatus},
};
use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;

/// A status as stored (its serde name, `IN_BSP_REVIEW`).
pub(super) fn status_code(s: TemplateStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A revision's stored status read back: one this version cannot read is an error logged with
/// its row, never a default.
pub(super) fn status_of(raw: &str, row: uuid::Uuid) -> Result<TemplateStatus, AppError> {
    stored(
        serde_json::from_value(serde_json::Value::String(raw.to_owned())).ok(),
        "template_revisions",
        row,
        raw,
    )
}

/// A status as an SQL literal (our own codes: capitals and underscores only).
pub(super) fn status_literal(s: TemplateStatus) -> String {
    let code = status_code(s);
    debug_assert!(
        code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
        "{code}"
    );
    code.chars()
        .filter(|c| c.is_ascii_uppercase() || *c == '_')
        .collect()
}

/// Rows `who` may act on: unclaimed, claimed by `who`, or with a claim that ran out.
pub(super) fn free_for(who: UserId, now: DateTime<Utc>) -> sea_orm::Condition {
    use template_revision::Column as R;
    sea_orm::Condition::any()
        .add(R::ClaimedBy.is_null())
        .add(R::ClaimedBy.eq(who.0))
        .add(R::ClaimedUntil.lte(now))
}
