//! Staff accounts linked to the organisation's OpenID Connect provider: a provider's user is
//! its (issuer, subject) pair, never its email alone
//! (<https://openid.net/specs/openid-connect-core-1_0.html#ClaimStability>); one link per
//! account and provider.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum UserIdentities {
    Table,
    Issuer,
    Subject,
    UserId,
    CreatedAt,
    LastUsedAt,
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
                .table(UserIdentities::Table)
                .col(string_len(UserIdentities::Issuer, 512))
                .col(string_len(UserIdentities::Subject, 255))
                .col(uuid(UserIdentities::UserId))
                .col(timestamp_with_time_zone(UserIdentities::CreatedAt))
                .col(timestamp_with_time_zone(UserIdentities::LastUsedAt))
                .primary_key(
                    Index::create()
                        .col(UserIdentities::Issuer)
                        .col(UserIdentities::Subject),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_user_identities_user")
                        .from(UserIdentities::Table, UserIdentities::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_user_identities_user_issuer")
                .table(UserIdentities::Table)
                .col(UserIdentities::UserId)
                .col(UserIdentities::Issuer)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(UserIdentities::Table).to_owned())
            .await
    }
}
