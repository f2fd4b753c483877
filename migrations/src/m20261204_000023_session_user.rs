//! A session row names its signed-in user, so that reading the session (every request) reads
//! the user with it in one statement instead of two. Written by the session store from the
//! session's data; sessions saved before this have none and are read the old way until their
//! next save.

use sea_orm_migration::{prelude::*, schema::uuid_null};

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UserId,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(uuid_null(Sessions::UserId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .drop_column(Sessions::UserId)
                .to_owned(),
        )
        .await
    }
}
