//! Pricing and rating: platform cost rate cards (staged, then published), sell price lists
//! (a default per currency and per-tenant overrides, each a version with an effective date),
//! usage records (one per billable message, rated from its statuses), monthly tier counters,
//! and the WABA's time zone (the platform's day boundary for pricing).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateCards {
    Table,
    Id,
    Currency,
    EffectiveFrom,
    Status,
    Source,
    Note,
    Errors,
    Rows,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}
#[derive(DeriveIden)]
enum RateCardRates {
    Table,
    CardId,
    Market,
    Category,
    TierLower,
    TierUpper,
    RateMicros,
}
#[derive(DeriveIden)]
enum PriceLists {
    Table,
    Id,
    TenantId,
    Currency,
    EffectiveFrom,
    Status,
    Rules,
    Note,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}
#[derive(DeriveIden)]
enum UsageRecords {
    Table,
    Id,
    TenantId,
    PhoneRowId,
    Wamid,
    State,
    Country,
    Market,
    Category,
    PricingType,
    PricingModel,
    DeliveredAt,
    DeliveredOn,
    Month,
    Currency,
    CostMicros,
    PriceMicros,
    CostCardId,
    PriceListId,
    TierPrior,
    RatedAt,
}
#[derive(DeriveIden)]
enum TierCounters {
    Table,
    TenantId,
    Month,
    Market,
    Category,
    Count,
}
#[derive(DeriveIden)]
enum Wabas {
    Table,
    TimeZone,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Wabas::Table)
                .add_column(string_len(Wabas::TimeZone, 64).default("UTC"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RateCards::Table)
                .col(pk_uuid(RateCards::Id))
                .col(string_len_null(RateCards::Currency, 3))
                .col(date(RateCards::EffectiveFrom))
                .col(string_len(RateCards::Status, 16))
                .col(text(RateCards::Source))
                .col(string_len(RateCards::Note, 200))
                .col(text(RateCards::Errors))
                .col(integer(RateCards::Rows))
                .col(uuid_null(RateCards::CreatedBy))
                .col(timestamp_with_time_zone(RateCards::CreatedAt))
                .col(uuid_null(RateCards::PublishedBy))
                .col(timestamp_with_time_zone_null(RateCards::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rate_cards_in_force")
                .table(RateCards::Table)
                .col(RateCards::Currency)
                .col(RateCards::Status)
                .col(RateCards::EffectiveFrom)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RateCardRates::Table)
                .col(uuid(RateCardRates::CardId))
                .col(string_len(RateCardRates::Market, 40))
                .col(string_len(RateCardRates::Category, 40))
                .col(big_integer(RateCardRates::TierLower))
                .col(big_integer_null(RateCardRates::TierUpper))
                .col(big_integer(RateCardRates::RateMicros))
                .primary_key(
                    Index::create()
                        .col(RateCardRates::CardId)
                        .col(RateCardRates::Market)
                        .col(RateCardRates::Category)
                        .col(RateCardRates::TierLower),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_rate_card_rates_card")
                        .from(RateCardRates::Table, RateCardRates::CardId)
                        .to(RateCards::Table, RateCards::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PriceLists::Table)
                .col(pk_uuid(PriceLists::Id))
                .col(uuid_null(PriceLists::TenantId))
                .col(string_len(PriceLists::Currency, 3))
                .col(date(PriceLists::EffectiveFrom))
                .col(string_len(PriceLists::Status, 16))
                .col(text(PriceLists::Rules))
                .col(string_len(PriceLists::Note, 200))
                .col(uuid_null(PriceLists::CreatedBy))
                .col(timestamp_with_time_zone(PriceLists::CreatedAt))
                .col(uuid_null(PriceLists::PublishedBy))
                .col(timestamp_with_time_zone_null(PriceLists::PublishedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_price_lists_tenant")
                        .from(PriceLists::Table, PriceLists::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_price_lists_in_force")
                .table(PriceLists::Table)
                .col(PriceLists::TenantId)
                .col(PriceLists::Currency)
                .col(PriceLists::Status)
                .col(PriceLists::EffectiveFrom)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UsageRecords::Table)
                .col(pk_uuid(UsageRecords::Id))
                .col(uuid(UsageRecords::TenantId))
                .col(uuid(UsageRecords::PhoneRowId))
                .col(string_len(UsageRecords::Wamid, 160))
                .col(string_len(UsageRecords::State, 16))
                .col(string_len_null(UsageRecords::Country, 2))
                .col(string_len(UsageRecords::Market, 40))
                .col(string_len_null(UsageRecords::Category, 40))
                .col(string_len(UsageRecords::PricingType, 32))
                .col(string_len_null(UsageRecords::PricingModel, 8))
                .col(timestamp_with_time_zone_null(UsageRecords::DeliveredAt))
                .col(date_null(UsageRecords::DeliveredOn))
                .col(string_len_null(UsageRecords::Month, 7))
                .col(string_len(UsageRecords::Currency, 3))
                .col(big_integer_null(UsageRecords::CostMicros))
                .col(big_integer_null(UsageRecords::PriceMicros))
                .col(uuid_null(UsageRecords::CostCardId))
                .col(uuid_null(UsageRecords::PriceListId))
                .col(big_integer_null(UsageRecords::TierPrior))
                .col(timestamp_with_time_zone(UsageRecords::RatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_usage_records_tenant")
                        .from(UsageRecords::Table, UsageRecords::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_usage_records_message")
                .table(UsageRecords::Table)
                .col(UsageRecords::PhoneRowId)
                .col(UsageRecords::Wamid)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_usage_records_tenant_month")
                .table(UsageRecords::Table)
                .col(UsageRecords::TenantId)
                .col(UsageRecords::Month)
                .col(UsageRecords::State)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_usage_records_day")
                .table(UsageRecords::Table)
                .col(UsageRecords::DeliveredOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TierCounters::Table)
                .col(uuid(TierCounters::TenantId))
                .col(string_len(TierCounters::Month, 7))
                .col(string_len(TierCounters::Market, 40))
                .col(string_len(TierCounters::Category, 40))
                .col(big_integer(TierCounters::Count))
                .primary_key(
                    Index::create()
                        .col(TierCounters::TenantId)
                        .col(TierCounters::Month)
                        .col(TierCounters::Market)
                        .col(TierCounters::Category),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_tier_counters_tenant")
                        .from(TierCounters::Table, TierCounters::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            TierCounters::Table.into_iden(),
            UsageRecords::Table.into_iden(),
            PriceLists::Table.into_iden(),
            RateCardRates::Table.into_iden(),
            RateCards::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Wabas::Table)
                .drop_column(Wabas::TimeZone)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
