//! Platform events: webhook deliveries and their changes, template / number / account health,
//! message statuses, conversation windows, alerts and alert preferences, and instance settings
//! (the generated webhook secrets of the embedded default).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    ReceivedAt,
    Body,
    Changes,
}
#[derive(DeriveIden)]
enum PlatformEvents {
    Table,
    Id,
    DeliveryId,
    Seq,
    DedupeKey,
    Field,
    WabaId,
    PhoneNumberId,
    TenantId,
    Payload,
    EventTime,
    Status,
    Result,
    Attempts,
    NextAttemptAt,
    ReceivedAt,
    ProcessedAt,
}
#[derive(DeriveIden)]
enum Templates {
    Table,
    PlatformStatusAt,
    Quality,
    QualityAt,
    PauseCount,
    PausedUntil,
    PauseTitle,
    DisableDate,
    PlatformReason,
    PendingCategory,
    CategoryChangeAt,
}
#[derive(DeriveIden)]
enum TemplateRevisions {
    Table,
    PlatformId,
}
#[derive(DeriveIden)]
enum TemplateHealth {
    Table,
    Id,
    TenantId,
    TemplateId,
    Kind,
    Value,
    Detail,
    At,
    EventId,
}
#[derive(DeriveIden)]
enum PhoneNumbers {
    Table,
    QualityRating,
    NumberStatus,
    MessagingTier,
    FlaggedAt,
    NameDecision,
    NameRejection,
    Throughput,
    HealthAt,
}
#[derive(DeriveIden)]
enum Wabas {
    Table,
    PortfolioLimit,
    BanState,
    BanDate,
    Restrictions,
    Violation,
    AccountEvent,
    HealthAt,
}
#[derive(DeriveIden)]
enum MessageStatuses {
    Table,
    Id,
    TenantId,
    PhoneRowId,
    Wamid,
    Status,
    Rank,
    RecipientHash,
    RecipientCountry,
    Category,
    PricingType,
    PricingModel,
    Billable,
    SentAt,
    DeliveredAt,
    ReadAt,
    FailedAt,
    ErrorCode,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum ConversationWindows {
    Table,
    PhoneRowId,
    UserHash,
    TenantId,
    LastInbound,
    LastReferral,
    FepReply,
}
#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    TenantId,
    Kind,
    Severity,
    SubjectType,
    SubjectId,
    SubjectLabel,
    Link,
    DedupeKey,
    Status,
    Detail,
    EventId,
    OpenedAt,
    AcknowledgedBy,
    AcknowledgedAt,
    ResolvedAt,
}
#[derive(DeriveIden)]
enum AlertPreferences {
    Table,
    TenantId,
    UserId,
    Critical,
    Warning,
    Info,
    LastDigestAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum InstanceSettings {
    Table,
    Key,
    Value,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(pk_uuid(WebhookDeliveries::Id))
                .col(timestamp_with_time_zone(WebhookDeliveries::ReceivedAt))
                .col(text(WebhookDeliveries::Body))
                .col(integer(WebhookDeliveries::Changes))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlatformEvents::Table)
                .col(pk_uuid(PlatformEvents::Id))
                .col(uuid(PlatformEvents::DeliveryId))
                .col(integer(PlatformEvents::Seq))
                .col(string_len_uniq(PlatformEvents::DedupeKey, 64))
                .col(string_len(PlatformEvents::Field, 64))
                .col(string_len(PlatformEvents::WabaId, 64))
                .col(string_len_null(PlatformEvents::PhoneNumberId, 64))
                .col(uuid_null(PlatformEvents::TenantId))
                .col(text(PlatformEvents::Payload))
                .col(timestamp_with_time_zone_null(PlatformEvents::EventTime))
                .col(string_len(PlatformEvents::Status, 16))
                .col(text_null(PlatformEvents::Result))
                .col(integer(PlatformEvents::Attempts).default(0))
                .col(timestamp_with_time_zone_null(PlatformEvents::NextAttemptAt))
                .col(timestamp_with_time_zone(PlatformEvents::ReceivedAt))
                .col(timestamp_with_time_zone_null(PlatformEvents::ProcessedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_platform_events_delivery")
                        .from(PlatformEvents::Table, PlatformEvents::DeliveryId)
                        .to(WebhookDeliveries::Table, WebhookDeliveries::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_platform_events_due")
                .table(PlatformEvents::Table)
                .col(PlatformEvents::Status)
                .col(PlatformEvents::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_platform_events_tenant")
                .table(PlatformEvents::Table)
                .col(PlatformEvents::TenantId)
                .col(PlatformEvents::ReceivedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_platform_events_delivery")
                .table(PlatformEvents::Table)
                .col(PlatformEvents::DeliveryId)
                .to_owned(),
        )
        .await?;

        // SQLite adds one column per statement.
        let template_cols = [
            ColumnDef::new(Templates::PlatformStatusAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Templates::Quality)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(Templates::QualityAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Templates::PauseCount)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Templates::PausedUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Templates::PauseTitle)
                .string_len(32)
                .null()
                .to_owned(),
            ColumnDef::new(Templates::DisableDate)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Templates::PlatformReason)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Templates::PendingCategory)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(Templates::CategoryChangeAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for c in template_cols {
            m.alter_table(
                Table::alter()
                    .table(Templates::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("ix_template_revisions_platform_id")
                .table(TemplateRevisions::Table)
                .col(TemplateRevisions::PlatformId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TemplateHealth::Table)
                .col(pk_uuid(TemplateHealth::Id))
                .col(uuid(TemplateHealth::TenantId))
                .col(uuid(TemplateHealth::TemplateId))
                .col(string_len(TemplateHealth::Kind, 16))
                .col(string_len(TemplateHealth::Value, 32))
                .col(text_null(TemplateHealth::Detail))
                .col(timestamp_with_time_zone(TemplateHealth::At))
                .col(uuid_null(TemplateHealth::EventId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_template_health")
                .table(TemplateHealth::Table)
                .col(TemplateHealth::TemplateId)
                .col(TemplateHealth::At)
                .to_owned(),
        )
        .await?;
        // One history line per platform event, however often it is replayed.
        m.create_index(
            Index::create()
                .name("ux_template_health_event")
                .table(TemplateHealth::Table)
                .col(TemplateHealth::EventId)
                .col(TemplateHealth::Kind)
                .unique()
                .to_owned(),
        )
        .await?;

        let phone_cols = [
            ColumnDef::new(PhoneNumbers::QualityRating)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::NumberStatus)
                .string_len(24)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::MessagingTier)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::FlaggedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::NameDecision)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::NameRejection)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::Throughput)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(PhoneNumbers::HealthAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for c in phone_cols {
            m.alter_table(
                Table::alter()
                    .table(PhoneNumbers::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        let waba_cols = [
            ColumnDef::new(Wabas::PortfolioLimit)
                .string_len(16)
                .null()
                .to_owned(),
            ColumnDef::new(Wabas::BanState)
                .string_len(32)
                .null()
                .to_owned(),
            ColumnDef::new(Wabas::BanDate)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Wabas::Restrictions).text().null().to_owned(),
            ColumnDef::new(Wabas::Violation)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Wabas::AccountEvent)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Wabas::HealthAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for c in waba_cols {
            m.alter_table(Table::alter().table(Wabas::Table).add_column(c).to_owned())
                .await?;
        }

        m.create_table(
            Table::create()
                .table(MessageStatuses::Table)
                .col(pk_uuid(MessageStatuses::Id))
                .col(uuid(MessageStatuses::TenantId))
                .col(uuid(MessageStatuses::PhoneRowId))
                .col(string_len(MessageStatuses::Wamid, 160))
                .col(string_len(MessageStatuses::Status, 16))
                .col(integer(MessageStatuses::Rank))
                .col(string_len(MessageStatuses::RecipientHash, 64))
                .col(string_len_null(MessageStatuses::RecipientCountry, 2))
                .col(string_len_null(MessageStatuses::Category, 40))
                .col(string_len_null(MessageStatuses::PricingType, 40))
                .col(string_len_null(MessageStatuses::PricingModel, 8))
                .col(boolean_null(MessageStatuses::Billable))
                .col(timestamp_with_time_zone_null(MessageStatuses::SentAt))
                .col(timestamp_with_time_zone_null(MessageStatuses::DeliveredAt))
                .col(timestamp_with_time_zone_null(MessageStatuses::ReadAt))
                .col(timestamp_with_time_zone_null(MessageStatuses::FailedAt))
                .col(big_integer_null(MessageStatuses::ErrorCode))
                .col(timestamp_with_time_zone(MessageStatuses::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_message_statuses_wamid")
                .table(MessageStatuses::Table)
                .col(MessageStatuses::PhoneRowId)
                .col(MessageStatuses::Wamid)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_message_statuses_tenant")
                .table(MessageStatuses::Table)
                .col(MessageStatuses::TenantId)
                .col(MessageStatuses::SentAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ConversationWindows::Table)
                .col(uuid(ConversationWindows::PhoneRowId))
                .col(string_len(ConversationWindows::UserHash, 64))
                .col(uuid(ConversationWindows::TenantId))
                .col(timestamp_with_time_zone_null(
                    ConversationWindows::LastInbound,
                ))
                .col(timestamp_with_time_zone_null(
                    ConversationWindows::LastReferral,
                ))
                .col(timestamp_with_time_zone_null(ConversationWindows::FepReply))
                .primary_key(
                    Index::create()
                        .col(ConversationWindows::PhoneRowId)
                        .col(ConversationWindows::UserHash),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alerts::Table)
                .col(pk_uuid(Alerts::Id))
                .col(uuid(Alerts::TenantId))
                .col(string_len(Alerts::Kind, 48))
                .col(string_len(Alerts::Severity, 16))
                .col(string_len(Alerts::SubjectType, 16))
                .col(uuid_null(Alerts::SubjectId))
                .col(string_len(Alerts::SubjectLabel, 600))
                .col(string_len(Alerts::Link, 500))
                .col(string_len_uniq(Alerts::DedupeKey, 128))
                .col(string_len(Alerts::Status, 16))
                .col(text(Alerts::Detail))
                .col(uuid_null(Alerts::EventId))
                .col(timestamp_with_time_zone(Alerts::OpenedAt))
                .col(uuid_null(Alerts::AcknowledgedBy))
                .col(timestamp_with_time_zone_null(Alerts::AcknowledgedAt))
                .col(timestamp_with_time_zone_null(Alerts::ResolvedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_alerts_tenant")
                        .from(Alerts::Table, Alerts::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_alerts_tenant")
                .table(Alerts::Table)
                .col(Alerts::TenantId)
                .col(Alerts::Status)
                .col(Alerts::OpenedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_alerts_status")
                .table(Alerts::Table)
                .col(Alerts::Status)
                .col(Alerts::OpenedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AlertPreferences::Table)
                .col(uuid(AlertPreferences::TenantId))
                .col(uuid(AlertPreferences::UserId))
                .col(string_len(AlertPreferences::Critical, 16))
                .col(string_len(AlertPreferences::Warning, 16))
                .col(string_len(AlertPreferences::Info, 16))
                .col(timestamp_with_time_zone_null(
                    AlertPreferences::LastDigestAt,
                ))
                .col(timestamp_with_time_zone(AlertPreferences::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(AlertPreferences::TenantId)
                        .col(AlertPreferences::UserId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_alert_preferences_tenant")
                        .from(AlertPreferences::Table, AlertPreferences::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_alert_preferences_user")
                        .from(AlertPreferences::Table, AlertPreferences::UserId)
                        .to(Users::Table, Users::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(InstanceSettings::Table)
                .col(string_len(InstanceSettings::Key, 64).primary_key())
                .col(text(InstanceSettings::Value))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            InstanceSettings::Table.into_iden(),
            AlertPreferences::Table.into_iden(),
            Alerts::Table.into_iden(),
            ConversationWindows::Table.into_iden(),
            MessageStatuses::Table.into_iden(),
            TemplateHealth::Table.into_iden(),
            PlatformEvents::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("ix_template_revisions_platform_id")
                .table(TemplateRevisions::Table)
                .to_owned(),
        )
        .await?;
        for c in [
            Wabas::PortfolioLimit,
            Wabas::BanState,
            Wabas::BanDate,
            Wabas::Restrictions,
            Wabas::Violation,
            Wabas::AccountEvent,
            Wabas::HealthAt,
        ] {
            m.alter_table(Table::alter().table(Wabas::Table).drop_column(c).to_owned())
                .await?;
        }
        for c in [
            PhoneNumbers::QualityRating,
            PhoneNumbers::NumberStatus,
            PhoneNumbers::MessagingTier,
            PhoneNumbers::FlaggedAt,
            PhoneNumbers::NameDecision,
            PhoneNumbers::NameRejection,
            PhoneNumbers::Throughput,
            PhoneNumbers::HealthAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(PhoneNumbers::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        for c in [
            Templates::PlatformStatusAt,
            Templates::Quality,
            Templates::QualityAt,
            Templates::PauseCount,
            Templates::PausedUntil,
            Templates::PauseTitle,
            Templates::DisableDate,
            Templates::PlatformReason,
            Templates::PendingCategory,
            Templates::CategoryChangeAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Templates::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
