//! The tenant's messaging-policy checklist (opt-in sources, consent record, escalation path).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantChecklists {
    Table,
    TenantId,
    Content,
    Complete,
    UpdatedBy,
    UpdatedAt,
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
                .table(TenantChecklists::Table)
                .col(pk_uuid(TenantChecklists::TenantId))
                .col(text(TenantChecklists::Content))
                .col(boolean(TenantChecklists::Complete))
                .col(uuid_null(TenantChecklists::UpdatedBy))
                .col(timestamp_with_time_zone(TenantChecklists::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_tenant_checklists_tenant")
                        .from(TenantChecklists::Table, TenantChecklists::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TenantChecklists::Table).to_owned())
            .await
    }
}
