//! The review queue's claims, per-finding comments, the platform hand-over of approved
//! revisions, the tenant's consent to a category change, and the tenant's link domains.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TemplateRevisions {
    Table,
    ClaimedBy,
    ClaimedUntil,
    Comments,
    PlatformId,
    SubmitError,
    SubmitAttempts,
    SubmitNextAt,
    PreviousCategory,
}
#[derive(DeriveIden)]
enum Templates {
    Table,
    CategoryConsent,
}
#[derive(DeriveIden)]
enum TenantDomains {
    Table,
    Id,
    TenantId,
    Domain,
    VerifiedBy,
    VerifiedAt,
    CreatedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let cols = [
            ColumnDef::new(TemplateRevisions::ClaimedBy)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::ClaimedUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::Comments)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::PlatformId)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::SubmitError)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::SubmitAttempts)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(TemplateRevisions::SubmitNextAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::PreviousCategory)
                .string_len(16)
                .null()
                .to_owned(),
        ];
        for c in cols {
            m.alter_table(
                Table::alter()
                    .table(TemplateRevisions::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Templates::Table)
                .add_column(
                    ColumnDef::new(Templates::CategoryConsent)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_template_revisions_submit")
                .table(TemplateRevisions::Table)
                .col(TemplateRevisions::SubmitNextAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TenantDomains::Table)
                .col(pk_uuid(TenantDomains::Id))
                .col(uuid(TenantDomains::TenantId))
                .col(string_len(TenantDomains::Domain, 253))
                .col(uuid_null(TenantDomains::VerifiedBy))
                .col(timestamp_with_time_zone_null(TenantDomains::VerifiedAt))
                .col(uuid_null(TenantDomains::CreatedBy))
                .col(timestamp_with_time_zone(TenantDomains::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_tenant_domains_tenant")
                        .from(TenantDomains::Table, TenantDomains::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_tenant_domains")
                .table(TenantDomains::Table)
                .col(TenantDomains::TenantId)
                .col(TenantDomains::Domain)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TenantDomains::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("ix_template_revisions_submit")
                .table(TemplateRevisions::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Templates::Table)
                .drop_column(Templates::CategoryConsent)
                .to_owned(),
        )
        .await?;
        for c in [
            TemplateRevisions::PreviousCategory,
            TemplateRevisions::SubmitNextAt,
            TemplateRevisions::SubmitAttempts,
            TemplateRevisions::SubmitError,
            TemplateRevisions::PlatformId,
            TemplateRevisions::Comments,
            TemplateRevisions::ClaimedUntil,
            TemplateRevisions::ClaimedBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(TemplateRevisions::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
