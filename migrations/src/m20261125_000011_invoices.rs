//! Monthly invoices per tenant (one per tenant, month and currency, enforced by a unique index, so two
//! processes or a restart never bill twice), their lines per market × category, the Stripe
//! calls made for them with the idempotency key stored before each call, and the tenant's
//! Stripe customer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    TenantId,
    Period,
    Number,
    Currency,
    Status,
    TotalMinor,
    BilledMinor,
    Messages,
    IssuedAt,
    DueOn,
    StripeInvoiceId,
    StripeUrl,
    StatusAt,
}
#[derive(DeriveIden)]
enum InvoiceLines {
    Table,
    InvoiceId,
    Position,
    Market,
    Category,
    Messages,
    AmountMinor,
    CostMinor,
}
#[derive(DeriveIden)]
enum StripeCalls {
    Table,
    IdempotencyKey,
    InvoiceId,
    Step,
    StripeId,
    CreatedAt,
    CompletedAt,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    StripeCustomerId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Tenants::Table)
                .add_column(string_len_null(Tenants::StripeCustomerId, 64))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Invoices::Table)
                .col(pk_uuid(Invoices::Id))
                .col(uuid(Invoices::TenantId))
                .col(string_len(Invoices::Period, 7))
                .col(string_len_uniq(Invoices::Number, 80))
                .col(string_len(Invoices::Currency, 3))
                .col(string_len(Invoices::Status, 24))
                .col(big_integer(Invoices::TotalMinor))
                // Total plus adjustments: what the tenant has been billed for the month so far.
                .col(big_integer(Invoices::BilledMinor))
                .col(big_integer(Invoices::Messages))
                .col(timestamp_with_time_zone(Invoices::IssuedAt))
                .col(date(Invoices::DueOn))
                .col(string_len_null(Invoices::StripeInvoiceId, 64))
                .col(text_null(Invoices::StripeUrl))
                .col(timestamp_with_time_zone(Invoices::StatusAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_invoices_tenant")
                        .from(Invoices::Table, Invoices::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_invoices_tenant_period")
                .table(Invoices::Table)
                .col(Invoices::TenantId)
                .col(Invoices::Period)
                .col(Invoices::Currency)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invoices_status")
                .table(Invoices::Table)
                .col(Invoices::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invoices_stripe")
                .table(Invoices::Table)
                .col(Invoices::StripeInvoiceId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(InvoiceLines::Table)
                .col(uuid(InvoiceLines::InvoiceId))
                .col(integer(InvoiceLines::Position))
                .col(string_len(InvoiceLines::Market, 40))
                .col(string_len(InvoiceLines::Category, 40))
                .col(big_integer(InvoiceLines::Messages))
                .col(big_integer(InvoiceLines::AmountMinor))
                .col(big_integer(InvoiceLines::CostMinor))
                .primary_key(
                    Index::create()
                        .col(InvoiceLines::InvoiceId)
                        .col(InvoiceLines::Position),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_invoice_lines_invoice")
                        .from(InvoiceLines::Table, InvoiceLines::InvoiceId)
                        .to(Invoices::Table, Invoices::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StripeCalls::Table)
                .col(string_len(StripeCalls::IdempotencyKey, 120).primary_key())
                .col(uuid(StripeCalls::InvoiceId))
                .col(string_len(StripeCalls::Step, 40))
                .col(string_len_null(StripeCalls::StripeId, 64))
                .col(timestamp_with_time_zone(StripeCalls::CreatedAt))
                .col(timestamp_with_time_zone_null(StripeCalls::CompletedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            StripeCalls::Table.into_iden(),
            InvoiceLines::Table.into_iden(),
            Invoices::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Tenants::Table)
                .drop_column(Tenants::StripeCustomerId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
