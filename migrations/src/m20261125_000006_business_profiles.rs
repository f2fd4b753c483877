//! Business profiles per phone number, with every saved version kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BusinessProfiles {
    Table,
    PhoneRowId,
    TenantId,
    Version,
    Content,
    SyncStatus,
    UpdatedBy,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum BusinessProfileVersions {
    Table,
    Id,
    TenantId,
    PhoneRowId,
    Version,
    Content,
    SavedBy,
    SavedAt,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum PhoneNumbers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BusinessProfiles::Table)
                .col(pk_uuid(BusinessProfiles::PhoneRowId))
                .col(uuid(BusinessProfiles::TenantId))
                .col(integer(BusinessProfiles::Version))
                .col(text(BusinessProfiles::Content))
                .col(string_len(BusinessProfiles::SyncStatus, 16))
                .col(uuid_null(BusinessProfiles::UpdatedBy))
                .col(timestamp_with_time_zone(BusinessProfiles::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_business_profiles_tenant")
                        .from(BusinessProfiles::Table, BusinessProfiles::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_business_profiles_phone")
                        .from(BusinessProfiles::Table, BusinessProfiles::PhoneRowId)
                        .to(PhoneNumbers::Table, PhoneNumbers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_business_profiles_tenant")
                .table(BusinessProfiles::Table)
                .col(BusinessProfiles::TenantId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BusinessProfileVersions::Table)
                .col(pk_uuid(BusinessProfileVersions::Id))
                .col(uuid(BusinessProfileVersions::TenantId))
                .col(uuid(BusinessProfileVersions::PhoneRowId))
                .col(integer(BusinessProfileVersions::Version))
                .col(text(BusinessProfileVersions::Content))
                .col(uuid_null(BusinessProfileVersions::SavedBy))
                .col(timestamp_with_time_zone(BusinessProfileVersions::SavedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_business_profile_versions_tenant")
                        .from(
                            BusinessProfileVersions::Table,
                            BusinessProfileVersions::TenantId,
                        )
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_business_profile_versions_phone")
                        .from(
                            BusinessProfileVersions::Table,
                            BusinessProfileVersions::PhoneRowId,
                        )
                        .to(PhoneNumbers::Table, PhoneNumbers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_business_profile_versions")
                .table(BusinessProfileVersions::Table)
                .col(BusinessProfileVersions::TenantId)
                .col(BusinessProfileVersions::PhoneRowId)
                .col(BusinessProfileVersions::Version)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(BusinessProfileVersions::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(BusinessProfiles::Table).to_owned())
            .await
    }
}
