//! Two-factor sign-in (TOTP, RFC 6238): one secret per user, sealed with the instance's
//! `SECRETS_KEY` (the console must read it back to check codes), with the last time step
//! accepted (a code is never accepted twice), and ten single-use recovery codes stored as
//! hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum UserTotp {
    Table,
    UserId,
    SecretSealed,
    EnabledAt,
    LastStep,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(UserTotp::Table)
                .col(uuid(UserTotp::UserId).primary_key())
                .col(string_len(UserTotp::SecretSealed, 300))
                .col(timestamp_with_time_zone_null(UserTotp::EnabledAt))
                .col(big_integer(UserTotp::LastStep).default(0))
                .col(timestamp_with_time_zone(UserTotp::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_user_totp_user")
                        .from(UserTotp::Table, UserTotp::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(pk_uuid(RecoveryCodes::Id))
                .col(uuid(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_recovery_codes_user")
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_recovery_codes_user_hash")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::UserId)
                .col(RecoveryCodes::CodeHash)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(UserTotp::Table).to_owned())
            .await
    }
}
