//! Sample files of media headers, kept until the hand-over uploads them to the platform.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TemplateMedia {
    Table,
    TenantId,
    Id,
    ContentType,
    Content,
    Bytes,
    UploadedBy,
    UploadedAt,
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
                .table(TemplateMedia::Table)
                .col(uuid(TemplateMedia::TenantId))
                // SHA-256 (hex) of the file: the same sample is kept once per tenant.
                .col(string_len(TemplateMedia::Id, 64))
                .col(string_len(TemplateMedia::ContentType, 64))
                .col(blob(TemplateMedia::Content))
                .col(integer(TemplateMedia::Bytes))
                .col(uuid_null(TemplateMedia::UploadedBy))
                .col(timestamp_with_time_zone(TemplateMedia::UploadedAt))
                .primary_key(
                    Index::create()
                        .col(TemplateMedia::TenantId)
                        .col(TemplateMedia::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_template_media_tenant")
                        .from(TemplateMedia::Table, TemplateMedia::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TemplateMedia::Table).to_owned())
            .await
    }
}
