//! Adjustments of issued invoices (credit notes when negative) made by re-rating a period
//! after a corrected rate card: an issued invoice is never changed silently.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InvoiceAdjustments {
    Table,
    Id,
    InvoiceId,
    TenantId,
    AmountMinor,
    Reason,
    CreatedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InvoiceAdjustments::Table)
                .col(pk_uuid(InvoiceAdjustments::Id))
                .col(uuid(InvoiceAdjustments::InvoiceId))
                .col(uuid(InvoiceAdjustments::TenantId))
                .col(big_integer(InvoiceAdjustments::AmountMinor))
                .col(string_len(InvoiceAdjustments::Reason, 200))
                .col(uuid_null(InvoiceAdjustments::CreatedBy))
                .col(timestamp_with_time_zone(InvoiceAdjustments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_invoice_adjustments_invoice")
                        .from(InvoiceAdjustments::Table, InvoiceAdjustments::InvoiceId)
                        .to(Invoices::Table, Invoices::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invoice_adjustments_tenant")
                .table(InvoiceAdjustments::Table)
                .col(InvoiceAdjustments::TenantId)
                .col(InvoiceAdjustments::InvoiceId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(InvoiceAdjustments::Table).to_owned())
            .await
    }
}
