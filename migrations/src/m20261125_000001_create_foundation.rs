//! Users, tenants and their WhatsApp assets, memberships, invitations, sessions, sign-in
//! throttling, the email outbox and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    StaffRole,
    Locale,
    Disabled,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    LegalName,
    DisplayName,
    SearchName,
    Country,
    Locale,
    BillingEmail,
    AlertEmails,
    Currency,
    AccountManagerId,
    Status,
    CreatedAt,
    UpdatedAt,
}
#[derive(DeriveIden)]
enum Wabas {
    Table,
    Id,
    TenantId,
    WabaId,
    CreatedAt,
}
#[derive(DeriveIden)]
enum PhoneNumbers {
    Table,
    Id,
    TenantId,
    WabaRowId,
    Number,
    Country,
    PhoneNumberId,
    DisplayName,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Memberships {
    Table,
    TenantId,
    UserId,
    Role,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    TenantId,
    Email,
    Role,
    TokenHash,
    ExpiresAt,
    AcceptedAt,
    RevokedAt,
    InvitedBy,
    CreatedAt,
}
#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}
#[derive(DeriveIden)]
enum SignInFailures {
    Table,
    Id,
    Key,
    At,
}
#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    TenantId,
    Kind,
    Recipient,
    Locale,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}
#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorLabel,
    TenantId,
    Action,
    Subject,
    Before,
    After,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string_len(Users::Name, 200))
                .col(string_null(Users::PasswordHash))
                .col(string_len_null(Users::StaffRole, 16))
                .col(string_len(Users::Locale, 8))
                .col(boolean(Users::Disabled).default(false))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tenants::Table)
                .col(pk_uuid(Tenants::Id))
                .col(string_len(Tenants::LegalName, 200))
                .col(string_len(Tenants::DisplayName, 100))
                .col(string_len(Tenants::SearchName, 400))
                .col(string_len(Tenants::Country, 2))
                .col(string_len(Tenants::Locale, 8))
                .col(string_len(Tenants::BillingEmail, 254))
                .col(text(Tenants::AlertEmails))
                .col(string_len(Tenants::Currency, 3))
                .col(uuid_null(Tenants::AccountManagerId))
                .col(string_len(Tenants::Status, 16))
                .col(timestamp_with_time_zone(Tenants::CreatedAt))
                .col(timestamp_with_time_zone(Tenants::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_tenants_account_manager",
                    (Tenants::Table, Tenants::AccountManagerId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_tenants_status_created")
                .table(Tenants::Table)
                .col(Tenants::Status)
                .col(Tenants::CreatedAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Wabas::Table)
                .col(pk_uuid(Wabas::Id))
                .col(uuid(Wabas::TenantId))
                .col(string_len_uniq(Wabas::WabaId, 32))
                .col(timestamp_with_time_zone(Wabas::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_wabas_tenant",
                    (Wabas::Table, Wabas::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_wabas_tenant")
                .table(Wabas::Table)
                .col(Wabas::TenantId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PhoneNumbers::Table)
                .col(pk_uuid(PhoneNumbers::Id))
                .col(uuid(PhoneNumbers::TenantId))
                .col(uuid(PhoneNumbers::WabaRowId))
                .col(string_len_uniq(PhoneNumbers::Number, 20))
                .col(string_len(PhoneNumbers::Country, 2))
                .col(string_len_uniq(PhoneNumbers::PhoneNumberId, 32))
                .col(string_len(PhoneNumbers::DisplayName, 100))
                .col(timestamp_with_time_zone(PhoneNumbers::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_phone_numbers_tenant",
                    (PhoneNumbers::Table, PhoneNumbers::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_phone_numbers_waba",
                    (PhoneNumbers::Table, PhoneNumbers::WabaRowId),
                    (Wabas::Table, Wabas::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_phone_numbers_tenant")
                .table(PhoneNumbers::Table)
                .col(PhoneNumbers::TenantId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(uuid(Memberships::TenantId))
                .col(uuid(Memberships::UserId))
                .col(string_len(Memberships::Role, 16))
                .col(timestamp_with_time_zone(Memberships::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(Memberships::TenantId)
                        .col(Memberships::UserId),
                )
                .foreign_key(&mut fk(
                    "fk_memberships_tenant",
                    (Memberships::Table, Memberships::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_memberships_user",
                    (Memberships::Table, Memberships::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_memberships_user")
                .table(Memberships::Table)
                .col(Memberships::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Invitations::Table)
                .col(pk_uuid(Invitations::Id))
                .col(uuid(Invitations::TenantId))
                .col(string_len(Invitations::Email, 254))
                .col(string_len(Invitations::Role, 16))
                .col(string_len_uniq(Invitations::TokenHash, 64))
                .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                .col(uuid_null(Invitations::InvitedBy))
                .col(timestamp_with_time_zone(Invitations::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_invitations_tenant",
                    (Invitations::Table, Invitations::TenantId),
                    (Tenants::Table, Tenants::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invitations_tenant")
                .table(Invitations::Table)
                .col(Invitations::TenantId)
                .col(Invitations::Email)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(text(Sessions::Data))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_expires")
                .table(Sessions::Table)
                .col(Sessions::ExpiresAt)
                .to_owned(),
        )
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
        .await?;

        m.create_table(
            Table::create()
                .table(EmailOutbox::Table)
                .col(pk_uuid(EmailOutbox::Id))
                .col(uuid_null(EmailOutbox::TenantId))
                .col(string_len(EmailOutbox::Kind, 64))
                .col(string_len(EmailOutbox::Recipient, 254))
                .col(string_len(EmailOutbox::Locale, 8))
                .col(text(EmailOutbox::Payload))
                .col(string_len(EmailOutbox::Status, 16))
                .col(integer(EmailOutbox::Attempts).default(0))
                .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(EmailOutbox::LockedUntil))
                .col(text_null(EmailOutbox::LastError))
                .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_email_outbox_due")
                .table(EmailOutbox::Table)
                .col(EmailOutbox::Status)
                .col(EmailOutbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(pk_uuid(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(uuid_null(AuditLog::ActorId))
                .col(string_len(AuditLog::ActorLabel, 300))
                .col(uuid_null(AuditLog::TenantId))
                .col(string_len(AuditLog::Action, 64))
                .col(string_len(AuditLog::Subject, 300))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_log_tenant_at")
                .table(AuditLog::Table)
                .col(AuditLog::TenantId)
                .col(AuditLog::At)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            AuditLog::Table.into_iden(),
            EmailOutbox::Table.into_iden(),
            SignInFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Invitations::Table.into_iden(),
            Memberships::Table.into_iden(),
            PhoneNumbers::Table.into_iden(),
            Wabas::Table.into_iden(),
            Tenants::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
