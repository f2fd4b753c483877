//! Reconciliation: imports of the platform's own per-country cost figures (`pricing_analytics`
//! data points), kept to compare with what we rated.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CostImports {
    Table,
    Id,
    PeriodStart,
    PeriodEnd,
    Rows,
    Errors,
    Note,
    CreatedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum PlatformCosts {
    Table,
    ImportId,
    Line,
    TenantId,
    WabaId,
    PeriodStart,
    PeriodEnd,
    Country,
    PricingType,
    Category,
    Volume,
    CostMicros,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CostImports::Table)
                .col(pk_uuid(CostImports::Id))
                .col(date(CostImports::PeriodStart))
                .col(date(CostImports::PeriodEnd))
                .col(integer(CostImports::Rows))
                .col(text(CostImports::Errors))
                .col(string_len(CostImports::Note, 200))
                .col(uuid_null(CostImports::CreatedBy))
                .col(timestamp_with_time_zone(CostImports::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PlatformCosts::Table)
                .col(uuid(PlatformCosts::ImportId))
                .col(integer(PlatformCosts::Line))
                .col(uuid(PlatformCosts::TenantId))
                .col(string_len(PlatformCosts::WabaId, 32))
                .col(date(PlatformCosts::PeriodStart))
                .col(date(PlatformCosts::PeriodEnd))
                .col(string_len(PlatformCosts::Country, 2))
                .col(string_len(PlatformCosts::PricingType, 40))
                .col(string_len(PlatformCosts::Category, 40))
                .col(big_integer(PlatformCosts::Volume))
                .col(big_integer(PlatformCosts::CostMicros))
                .primary_key(
                    Index::create()
                        .col(PlatformCosts::ImportId)
                        .col(PlatformCosts::Line),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_platform_costs_import")
                        .from(PlatformCosts::Table, PlatformCosts::ImportId)
                        .to(CostImports::Table, CostImports::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_platform_costs_tenant")
                        .from(PlatformCosts::Table, PlatformCosts::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_platform_costs_tenant")
                .table(PlatformCosts::Table)
                .col(PlatformCosts::TenantId)
                .col(PlatformCosts::PeriodStart)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PlatformCosts::Table.into_iden(),
            CostImports::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
