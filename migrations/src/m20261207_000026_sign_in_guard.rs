//! Sign-in that holds under attack. `sign_in_attempts` replaces the failure log: one counter
//! row per key (an account seen from unknown devices, a client address, a known device), bumped
//! by a single upsert *before* a password is checked, so parallel guesses cannot all pass a
//! check made before any of them was recorded. `known_devices` holds the hashes of the device
//! cookies of browsers that signed in successfully (OWASP, "Slow down online guessing attacks
//! with device cookies"): such a browser keeps its own allowance while the account is being
//! guessed at from elsewhere.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum SignInAttempts {
    Table,
    Key,
    WindowStart,
    Count,
}

#[derive(DeriveIden)]
enum KnownDevices {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
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
        m.drop_table(Table::drop().table(SignInFailures::Table).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(SignInAttempts::Table)
                .col(string_len(SignInAttempts::Key, 300).primary_key())
                .col(timestamp_with_time_zone(SignInAttempts::WindowStart))
                .col(integer(SignInAttempts::Count))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_attempts_window")
                .table(SignInAttempts::Table)
                .col(SignInAttempts::WindowStart)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(KnownDevices::Table)
                .col(pk_uuid(KnownDevices::Id))
                .col(uuid(KnownDevices::UserId))
                .col(string_len(KnownDevices::TokenHash, 64).unique_key())
                .col(timestamp_with_time_zone(KnownDevices::CreatedAt))
                .col(timestamp_with_time_zone(KnownDevices::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_known_devices_user")
                        .from(KnownDevices::Table, KnownDevices::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_known_devices_user")
                .table(KnownDevices::Table)
                .col(KnownDevices::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KnownDevices::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SignInAttempts::Table).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(SignInFailures::Table)
                .col(pk_uuid(SignInFailures::Id))
                .col(string_len(SignInFailures::Key, 300))
                .col(timestamp_with_time_zone(SignInFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_failures_key_at")
                .table(SignInFailures::Table)
                .col(SignInFailures::Key)
                .col(SignInFailures::At)
                .to_owned(),
        )
        .await
    }
}
