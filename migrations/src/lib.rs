//! Schema history. Depends on nothing in `app`: a migration describes tables as they were
//! when it was written.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_foundation;
mod m20261125_000002_create_staff_invitations;
mod m20261125_000003_create_templates;
mod m20261125_000004_add_template_decisions;
mod m20261125_000005_review_claims_domains;
mod m20261125_000006_business_profiles;
mod m20261125_000007_tenant_checklists;
mod m20261125_000008_profile_sync;
mod m20261125_000009_platform_events;
mod m20261125_000010_pricing;
mod m20261125_000011_invoices;
mod m20261125_000012_reconciliation;
mod m20261125_000013_invoice_adjustments;
mod m20261202_000014_profile_photos_oba;
mod m20261202_000015_tenant_graph_token;
mod m20261202_000016_template_media;
mod m20261202_000017_status_fillfactor;
mod m20261203_000018_conversations;
mod m20261203_000019_event_lanes;
mod m20261203_000020_pending_events_index;
mod m20261203_000021_queue_filters;
mod m20261203_000022_delivery_queue;
mod m20261204_000023_session_user;
mod m20261204_000024_rating_writes;
mod m20261207_000025_alert_resolution;
mod m20261207_000026_sign_in_guard;
mod m20261207_000027_password_resets;
mod m20261207_000028_two_factor;
mod m20261208_000029_user_identities;
mod m20261208_000030_api_keys;
mod m20261208_000031_api_idempotency;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_foundation::Migration),
            Box::new(m20261125_000002_create_staff_invitations::Migration),
            Box::new(m20261125_000003_create_templates::Migration),
            Box::new(m20261125_000004_add_template_decisions::Migration),
            Box::new(m20261125_000005_review_claims_domains::Migration),
            Box::new(m20261125_000006_business_profiles::Migration),
            Box::new(m20261125_000007_tenant_checklists::Migration),
            Box::new(m20261125_000008_profile_sync::Migration),
            Box::new(m20261125_000009_platform_events::Migration),
            Box::new(m20261125_000010_pricing::Migration),
            Box::new(m20261125_000011_invoices::Migration),
            Box::new(m20261125_000012_reconciliation::Migration),
            Box::new(m20261125_000013_invoice_adjustments::Migration),
            Box::new(m20261202_000014_profile_photos_oba::Migration),
            Box::new(m20261202_000015_tenant_graph_token::Migration),
            Box::new(m20261202_000016_template_media::Migration),
            Box::new(m20261202_000017_status_fillfactor::Migration),
            Box::new(m20261203_000018_conversations::Migration),
            Box::new(m20261203_000019_event_lanes::Migration),
            Box::new(m20261203_000020_pending_events_index::Migration),
            Box::new(m20261203_000021_queue_filters::Migration),
            Box::new(m20261203_000022_delivery_queue::Migration),
            Box::new(m20261204_000023_session_user::Migration),
            Box::new(m20261204_000024_rating_writes::Migration),
            Box::new(m20261207_000025_alert_resolution::Migration),
            Box::new(m20261207_000026_sign_in_guard::Migration),
            Box::new(m20261207_000027_password_resets::Migration),
            Box::new(m20261207_000028_two_factor::Migration),
            Box::new(m20261208_000029_user_identities::Migration),
            Box::new(m20261208_000030_api_keys::Migration),
            Box::new(m20261208_000031_api_idempotency::Migration),
        ]
    }
}
