//! sea-orm entities, private to `repo`: nothing outside the repository names a table.
#![allow(clippy::derive_partial_eq_without_eq)]

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod user {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub name: String,
        pub password_hash: Option<String>,
        pub staff_role: Option<String>,
        pub locale: String,
        pub disabled: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod tenant {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub legal_name: String,
        pub display_name: String,
        pub search_name: String,
        pub country: String,
        pub locale: String,
        pub billing_email: String,
        pub alert_emails: String,
        pub currency: String,
        pub account_manager_id: Option<Uuid>,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub stripe_customer_id: Option<String>,
        /// The tenant's own Graph API token (never shown, never logged).
        pub graph_token: Option<String>,
    }
    no_relations!();
}

pub mod waba {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "wabas")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub waba_id: String,
        pub created_at: DateTimeUtc,
        pub portfolio_limit: Option<String>,
        pub ban_state: Option<String>,
        pub ban_date: Option<String>,
        pub restrictions: Option<String>,
        pub violation: Option<String>,
        pub account_event: Option<String>,
        pub health_at: Option<DateTimeUtc>,
        pub time_zone: String,
    }
    no_relations!();
}

pub mod phone_number {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "phone_numbers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub waba_row_id: Uuid,
        pub number: String,
        pub country: String,
        pub phone_number_id: String,
        pub display_name: String,
        pub created_at: DateTimeUtc,
        pub quality_rating: Option<String>,
        pub number_status: Option<String>,
        pub messaging_tier: Option<String>,
        pub flagged_at: Option<DateTimeUtc>,
        pub name_decision: Option<String>,
        pub name_rejection: Option<String>,
        pub throughput: Option<String>,
        pub health_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod membership {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub role: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod invitation {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub email: String,
        pub role: String,
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub invited_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod session {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub data: String,
        pub expires_at: DateTimeUtc,
        /// The signed-in user named in `data` (read with the session in one statement).
        pub user_id: Option<Uuid>,
    }
    no_relations!();
}

pub mod sign_in_attempt {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sign_in_attempts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub window_start: DateTimeUtc,
        pub count: i32,
    }
    no_relations!();
}

pub mod password_reset {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod user_identity {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_identities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub issuer: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub subject: String,
        pub user_id: Uuid,
        pub created_at: DateTimeUtc,
        pub last_used_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod user_totp {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_totp")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub secret_sealed: String,
        pub enabled_at: Option<DateTimeUtc>,
        pub last_step: i64,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod recovery_code {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "recovery_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub code_hash: String,
        pub used_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod known_device {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "known_devices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod email_outbox {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub kind: String,
        pub recipient: String,
        pub locale: String,
        pub payload: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod audit_log {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub at: DateTimeUtc,
        pub actor_id: Option<Uuid>,
        pub actor_label: String,
        pub tenant_id: Option<Uuid>,
        pub action: String,
        pub subject: String,
        pub before: Option<String>,
        pub after: Option<String>,
    }
    no_relations!();
}

pub mod staff_invitation {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub role: String,
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub invited_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod template {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub waba_row_id: Uuid,
        pub name: String,
        pub language: String,
        pub category: String,
        pub created_at: DateTimeUtc,
        pub category_consent: bool,
        pub platform_status_at: Option<DateTimeUtc>,
        pub quality: Option<String>,
        pub quality_at: Option<DateTimeUtc>,
        pub pause_count: i32,
        pub paused_until: Option<DateTimeUtc>,
        pub pause_title: Option<String>,
        pub disable_date: Option<DateTimeUtc>,
        pub platform_reason: Option<String>,
        pub pending_category: Option<String>,
        pub category_change_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod template_revision {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "template_revisions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub template_id: Uuid,
        pub number: i32,
        pub content: String,
        pub status: String,
        pub error_count: i32,
        pub warning_count: i32,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub submitted_at: Option<DateTimeUtc>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub reason: Option<String>,
        pub note: Option<String>,
        pub claimed_by: Option<Uuid>,
        pub claimed_until: Option<DateTimeUtc>,
        pub comments: Option<String>,
        pub platform_id: Option<String>,
        pub submit_error: Option<String>,
        pub submit_attempts: i32,
        pub submit_next_at: Option<DateTimeUtc>,
        pub previous_category: Option<String>,
    }
    no_relations!();
}

pub mod tenant_domain {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenant_domains")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub domain: String,
        pub verified_by: Option<Uuid>,
        pub verified_at: Option<DateTimeUtc>,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod business_profile {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "business_profiles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub phone_row_id: Uuid,
        pub tenant_id: Uuid,
        pub version: i32,
        pub content: String,
        pub sync_status: String,
        pub updated_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
        pub sync_error: Option<String>,
        pub sync_attempts: i32,
        pub sync_next_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod business_profile_version {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "business_profile_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub phone_row_id: Uuid,
        pub version: i32,
        pub content: String,
        pub saved_by: Option<Uuid>,
        pub saved_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod tenant_checklist {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenant_checklists")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub content: String,
        pub complete: bool,
        pub updated_by: Option<Uuid>,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod profile_photo {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "profile_photos")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub content: Vec<u8>,
        pub side: i32,
        pub bytes: i32,
        pub uploaded_by: Option<Uuid>,
        pub uploaded_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod template_media {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "template_media")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub content_type: String,
        pub content: Vec<u8>,
        pub bytes: i32,
        pub uploaded_by: Option<Uuid>,
        pub uploaded_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod oba_request {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "oba_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub phone_row_id: Uuid,
        pub status: String,
        pub content: String,
        pub reason: Option<String>,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
        pub decided_by: Option<String>,
    }
    no_relations!();
}

pub mod webhook_delivery {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub received_at: DateTimeUtc,
        pub body: String,
        pub changes: i32,
        /// When the processor split it into change rows (`None`: still to do).
        pub processed_at: Option<DateTimeUtc>,
        /// SQLite's claim on an unsplit delivery (PostgreSQL locks the row instead).
        pub lease_until: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod platform_event {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "platform_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub delivery_id: Uuid,
        pub seq: i32,
        pub dedupe_key: String,
        pub field: String,
        pub waba_id: String,
        pub phone_number_id: Option<String>,
        pub tenant_id: Option<Uuid>,
        pub payload: String,
        pub event_time: Option<DateTimeUtc>,
        pub status: String,
        pub result: Option<String>,
        pub attempts: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub received_at: DateTimeUtc,
        pub processed_at: Option<DateTimeUtc>,
        pub statuses_only: bool,
    }
    no_relations!();
}

pub mod template_health {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "template_health")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub template_id: Uuid,
        pub kind: String,
        pub value: String,
        pub detail: Option<String>,
        pub at: DateTimeUtc,
        pub event_id: Option<Uuid>,
    }
    no_relations!();
}

pub mod message_status {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "message_statuses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub phone_row_id: Uuid,
        pub wamid: String,
        pub status: String,
        pub rank: i32,
        pub recipient_hash: String,
        pub recipient_country: Option<String>,
        pub category: Option<String>,
        pub pricing_type: Option<String>,
        pub pricing_model: Option<String>,
        pub billable: Option<bool>,
        pub sent_at: Option<DateTimeUtc>,
        pub delivered_at: Option<DateTimeUtc>,
        pub read_at: Option<DateTimeUtc>,
        pub failed_at: Option<DateTimeUtc>,
        pub error_code: Option<i64>,
        pub updated_at: DateTimeUtc,
        pub conversation_id: Option<String>,
        /// The usage state the statuses implied before the latest upsert (written by it).
        pub usage_before: Option<String>,
    }
    no_relations!();
}

pub mod conversation_window {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "conversation_windows")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub phone_row_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_hash: String,
        pub tenant_id: Uuid,
        pub last_inbound: Option<DateTimeUtc>,
        pub last_referral: Option<DateTimeUtc>,
        pub fep_reply: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod alert {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "alerts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub kind: String,
        pub severity: String,
        pub subject_type: String,
        pub subject_id: Option<Uuid>,
        pub subject_label: String,
        pub link: String,
        pub dedupe_key: String,
        pub status: String,
        pub detail: String,
        pub event_id: Option<Uuid>,
        pub opened_at: DateTimeUtc,
        pub acknowledged_by: Option<Uuid>,
        pub acknowledged_at: Option<DateTimeUtc>,
        pub resolved_at: Option<DateTimeUtc>,
        pub resolution: Option<String>,
    }
    no_relations!();
}

pub mod alert_preference {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "alert_preferences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub critical: String,
        pub warning: String,
        pub info: String,
        pub last_digest_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod instance_setting {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "instance_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
    }
    no_relations!();
}

pub mod rate_card {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rate_cards")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub currency: Option<String>,
        pub effective_from: Date,
        pub status: String,
        pub source: String,
        pub note: String,
        pub errors: String,
        pub rows: i32,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub published_by: Option<Uuid>,
        pub published_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod rate_card_rate {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rate_card_rates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub card_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub market: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub category: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub tier_lower: i64,
        pub tier_upper: Option<i64>,
        pub rate_micros: i64,
    }
    no_relations!();
}

pub mod price_list {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_lists")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub currency: String,
        pub effective_from: Date,
        pub status: String,
        pub rules: String,
        pub note: String,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub published_by: Option<Uuid>,
        pub published_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod usage_record {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "usage_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub phone_row_id: Uuid,
        pub wamid: String,
        pub state: String,
        pub country: Option<String>,
        pub market: String,
        pub category: Option<String>,
        pub pricing_type: String,
        pub pricing_model: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
        pub delivered_on: Option<Date>,
        pub month: Option<String>,
        pub currency: String,
        pub cost_micros: Option<i64>,
        pub price_micros: Option<i64>,
        pub cost_card_id: Option<Uuid>,
        pub price_list_id: Option<Uuid>,
        pub tier_prior: Option<i64>,
        pub rated_at: DateTimeUtc,
        pub conversation_id: Option<String>,
    }
    no_relations!();
}

pub mod tier_counter {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tier_counters")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub market: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub category: String,
        pub count: i64,
    }
    no_relations!();
}

pub mod invoice {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Uuid,
        pub period: String,
        pub number: String,
        pub currency: String,
        pub status: String,
        pub total_minor: i64,
        pub billed_minor: i64,
        pub messages: i64,
        pub issued_at: DateTimeUtc,
        pub due_on: Date,
        pub stripe_invoice_id: Option<String>,
        pub stripe_url: Option<String>,
        pub status_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod invoice_line {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoice_lines")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub invoice_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub market: String,
        pub category: String,
        pub messages: i64,
        pub amount_minor: i64,
        pub cost_minor: i64,
    }
    no_relations!();
}

pub mod stripe_call {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "stripe_calls")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub idempotency_key: String,
        pub invoice_id: Uuid,
        pub step: String,
        pub stripe_id: Option<String>,
        pub created_at: DateTimeUtc,
        pub completed_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

pub mod cost_import {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "cost_imports")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub period_start: Date,
        pub period_end: Date,
        pub rows: i32,
        pub errors: String,
        pub note: String,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod platform_cost {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "platform_costs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub import_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub line: i32,
        pub tenant_id: Uuid,
        pub waba_id: String,
        pub period_start: Date,
        pub period_end: Date,
        pub country: String,
        pub pricing_type: String,
        pub category: String,
        pub volume: i64,
        pub cost_micros: i64,
    }
    no_relations!();
}

pub mod invoice_adjustment {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoice_adjustments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub invoice_id: Uuid,
        pub tenant_id: Uuid,
        pub amount_minor: i64,
        pub reason: String,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

pub mod api_key {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub name: String,
        pub rights: String,
        pub shown: String,
        pub digest: String,
        pub created_by: Option<Uuid>,
        pub created_by_label: String,
        pub created_at: DateTimeUtc,
        pub expires_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub last_used_at: Option<DateTimeUtc>,
        pub last_used_addr: Option<String>,
    }
    no_relations!();
}

pub mod api_idempotency {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_idempotency")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub api_key_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub idem_key: String,
        pub fingerprint: String,
        pub state: String,
        pub status: Option<i32>,
        pub content_type: Option<String>,
        pub location: Option<String>,
        pub body: Option<String>,
        pub created_at: DateTimeUtc,
        pub started_at: DateTimeUtc,
    }
    no_relations!();
}
