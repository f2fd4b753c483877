//! The tenant filter, written once: every repository function on tenant-owned rows narrows
//! its statement to the scope's tenant through `scoped::of` (or `find`, `delete`),
//! never by naming the column itself. The scope is proof of access (`backend::auth` made it);
//! the tenant id comes from it, never from input.

use super::entities::*;
use crate::backend::scope::TenantScope;
use sea_orm::{ColumnTrait, Condition, DeleteMany, EntityTrait, QueryFilter, Select};

/// A table whose rows belong to a tenant (`tenant_id NOT NULL`, or NULL for the BSP's own).
pub(super) trait TenantOwned: EntityTrait {
    fn tenant_column() -> Self::Column;
}

macro_rules! tenant_owned {
    ($($m:ident,)*) => {
        $(impl TenantOwned for $m::Entity {
            fn tenant_column() -> Self::Column {
                $m::Column::TenantId
            }
        })*
    };
}

tenant_owned! {
    api_key,
    waba,
    phone_number,
    membership,
    invitation,
    email_outbox,
    audit_log,
    template,
    template_revision,
    tenant_domain,
    business_profile,
    business_profile_version,
    tenant_checklist,
    profile_photo,
    template_media,
    oba_request,
    platform_event,
    template_health,
    message_status,
    conversation_window,
    alert,
    alert_preference,
    price_list,
    usage_record,
    tier_counter,
    invoice,
    platform_cost,
    invoice_adjustment,
}

/// The condition "this row is the scope's tenant's".
pub(super) fn of<E: TenantOwned>(scope: &TenantScope) -> Condition {
    Condition::all().add(E::tenant_column().eq(scope.tenant_id().0))
}

/// `SELECT` of the scope's tenant's rows.
pub(super) fn find<E: TenantOwned>(scope: &TenantScope) -> Select<E> {
    E::find().filter(of::<E>(scope))
}

/// `DELETE` of the scope's tenant's rows.
pub(super) fn delete<E: TenantOwned>(scope: &TenantScope) -> DeleteMany<E> {
    E::delete_many().filter(of::<E>(scope))
}
