//! Invitations of BSP staff (not tenant-owned: staff belong to the platform).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffInvitations {
    Table,
    Id,
    Email,
    Role,
    TokenHash,
    ExpiresAt,
    AcceptedAt,
    RevokedAt,
    InvitedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StaffInvitations::Table)
                .col(pk_uuid(StaffInvitations::Id))
                .col(string_len(StaffInvitations::Email, 254))
                .col(string_len(StaffInvitations::Role, 16))
                .col(string_len_uniq(StaffInvitations::TokenHash, 64))
                .col(timestamp_with_time_zone(StaffInvitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(StaffInvitations::AcceptedAt))
                .col(timestamp_with_time_zone_null(StaffInvitations::RevokedAt))
                .col(uuid_null(StaffInvitations::InvitedBy))
                .col(timestamp_with_time_zone(StaffInvitations::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_staff_invitations_email")
                .table(StaffInvitations::Table)
                .col(StaffInvitations::Email)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StaffInvitations::Table).to_owned())
            .await
    }
}
