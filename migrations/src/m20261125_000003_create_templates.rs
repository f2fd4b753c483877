//! Message templates and their revisions (tenant-owned).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Templates {
    Table,
    Id,
    TenantId,
    WabaRowId,
    Name,
    Language,
    Category,
    CreatedAt,
}
#[derive(DeriveIden)]
enum TemplateRevisions {
    Table,
    Id,
    TenantId,
    TemplateId,
    Number,
    Content,
    Status,
    ErrorCount,
    WarningCount,
    CreatedBy,
    CreatedAt,
    SubmittedAt,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Wabas {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Templates::Table)
                .col(pk_uuid(Templates::Id))
                .col(uuid(Templates::TenantId))
                .col(uuid(Templates::WabaRowId))
                .col(string_len(Templates::Name, 512))
                .col(string_len(Templates::Language, 16))
                .col(string_len(Templates::Category, 16))
                .col(timestamp_with_time_zone(Templates::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_templates_tenant")
                        .from(Templates::Table, Templates::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_templates_waba")
                        .from(Templates::Table, Templates::WabaRowId)
                        .to(Wabas::Table, Wabas::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_templates_waba_name_language")
                .table(Templates::Table)
                .col(Templates::WabaRowId)
                .col(Templates::Name)
                .col(Templates::Language)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_templates_tenant")
                .table(Templates::Table)
                .col(Templates::TenantId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TemplateRevisions::Table)
                .col(pk_uuid(TemplateRevisions::Id))
                .col(uuid(TemplateRevisions::TenantId))
                .col(uuid(TemplateRevisions::TemplateId))
                .col(integer(TemplateRevisions::Number))
                .col(text(TemplateRevisions::Content))
                .col(string_len(TemplateRevisions::Status, 32))
                .col(integer(TemplateRevisions::ErrorCount))
                .col(integer(TemplateRevisions::WarningCount))
                .col(uuid_null(TemplateRevisions::CreatedBy))
                .col(timestamp_with_time_zone(TemplateRevisions::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    TemplateRevisions::SubmittedAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_template_revisions_tenant")
                        .from(TemplateRevisions::Table, TemplateRevisions::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_template_revisions_template")
                        .from(TemplateRevisions::Table, TemplateRevisions::TemplateId)
                        .to(Templates::Table, Templates::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_template_revisions_number")
                .table(TemplateRevisions::Table)
                .col(TemplateRevisions::TemplateId)
                .col(TemplateRevisions::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_template_revisions_tenant")
                .table(TemplateRevisions::Table)
                .col(TemplateRevisions::TenantId)
                .col(TemplateRevisions::TemplateId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_template_revisions_queue")
                .table(TemplateRevisions::Table)
                .col(TemplateRevisions::Status)
                .col(TemplateRevisions::SubmittedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TemplateRevisions::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Templates::Table).to_owned())
            .await
    }
}
