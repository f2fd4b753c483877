//! Fewer writes and reads per rated message.
//! - `message_statuses.usage_before`: the usage state a message's merged statuses implied just
//!   before the latest status upsert changed them (`pending`, `void`, `confirmed`; NULL when the
//!   row is new or was not priced). The upsert writes it from the stored row in the same
//!   statement, so rating knows the record's state without reading `usage_records`.
//! - The report indexes of `usage_records` hold delivered records only (`delivered_on IS NOT
//!   NULL`, which every report's date range implies): a pending record is written into two
//!   indexes instead of four. The tenant index is keyed by delivery day, as the tenant's
//!   reports ask (no query filters by `month`).
//! - PostgreSQL: the cross-tenant day index is a BRIN (`DAY_BRIN`), and message ids compare
//!   bytewise (`COLLATE "C"`: opaque ids, sorted only for a stable order, as SQLite already does), which makes the
//!   unique (number, message) lookups and inserts of every status and record cheaper.
//! - PostgreSQL: `message_statuses` pages keep more room (fillfactor 45, was 70) so that a
//!   batch updating every message of a page in one transaction finds room on the page for all
//!   of them (a HOT update, no index entries); at 70 about half of the updates moved to another
//!   page (`n_tup_hot_upd` 347,474 of 666,666 in the rating benchmark). Pruning frees the
//!   older versions for the next status.
//! - PostgreSQL: `usage_records.tenant_id` loses its foreign key, like `message_statuses`
//!   (the other table of the same write path) never had one: the tenant is the phone number's
//!   own (whose foreign key holds), tenants are never deleted, and the per-row check was a
//!   quarter of inserting a record (333,334 records: 1.32 s with the check, 0.37 s without).
//!   SQLite keeps it (it cannot drop a constraint without rebuilding the table).
//! - PostgreSQL: ANALYZE keeps statistics only for the columns queries filter, join or group
//!   by, from a smaller sample (`STATISTICS`); ids, hashes, times and amounts are reached
//!   through unique keys or only summed. Reading and sorting the default 30,000-row sample was
//!   a sixth of PostgreSQL's time in the rating benchmark.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MessageStatuses {
    Table,
    UsageBefore,
}

/// PostgreSQL: records are appended about in delivery order (a confirmed record's new
/// version goes to the end of the table), so a block-range index finds a period's pages for
/// the cross-tenant reports at a fraction of a B-tree's upkeep per record.
const DAY_BRIN: &str =
    "CREATE INDEX ix_usage_records_day ON usage_records USING brin (delivered_on)";

/// Statistics targets (ANALYZE samples 300 rows per unit of the largest): none for columns no
/// query filters, joins or groups by (keys are reached through unique indexes); a small sample
/// for the rest, whose queries are key lookups, a tenant's date ranges and groupings over a
/// few markets and categories (PostgreSQL's default is 100: 30,000 rows read and sorted after
/// every 10 % of change, on the two tables written for every message).
const STATISTICS: [(&str, i32, &[&str]); 4] = [
    (
        "message_statuses",
        0,
        &[
            "id",
            "wamid",
            "status",
            "rank",
            "recipient_hash",
            "recipient_country",
            "category",
            "pricing_type",
            "pricing_model",
            "billable",
            "delivered_at",
            "read_at",
            "failed_at",
            "error_code",
            "updated_at",
            "conversation_id",
            "usage_before",
        ],
    ),
    (
        "message_statuses",
        10,
        &["tenant_id", "phone_row_id", "sent_at"],
    ),
    (
        "usage_records",
        0,
        &[
            "id",
            "wamid",
            "pricing_model",
            "delivered_at",
            "month",
            "cost_micros",
            "price_micros",
            "tier_prior",
            "rated_at",
            "conversation_id",
        ],
    ),
    (
        "usage_records",
        30,
        &[
            "tenant_id",
            "phone_row_id",
            "state",
            "country",
            "market",
            "category",
            "pricing_type",
            "delivered_on",
            "currency",
            "cost_card_id",
            "price_list_id",
        ],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MessageStatuses::Table)
                .add_column(
                    ColumnDef::new(MessageStatuses::UsageBefore)
                        .string_len(16)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let postgres = m.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
        for sql in [
            "DROP INDEX ix_usage_records_tenant_month",
            "DROP INDEX ix_usage_records_day",
            // Partial indexes: SQLite 3.8+ and PostgreSQL.
            "CREATE INDEX ix_usage_records_tenant_day ON usage_records (tenant_id, delivered_on) WHERE delivered_on IS NOT NULL",
            if postgres { DAY_BRIN } else { "CREATE INDEX ix_usage_records_day ON usage_records (delivered_on) WHERE delivered_on IS NOT NULL" },
        ] {
            db.execute_unprepared(sql).await?;
        }
        if postgres {
            for table in ["message_statuses", "usage_records"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN wamid TYPE varchar(160) COLLATE \"C\""
                ))
                .await?;
            }
            db.execute_unprepared("ALTER TABLE message_statuses SET (fillfactor = 45)")
                .await?;
            db.execute_unprepared(
                "ALTER TABLE usage_records DROP CONSTRAINT fk_usage_records_tenant",
            )
            .await?;
            for (table, target, columns) in STATISTICS {
                let sets = columns
                    .iter()
                    .map(|c| format!("ALTER COLUMN {c} SET STATISTICS {target}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                db.execute_unprepared(&format!("ALTER TABLE {table} {sets}"))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            for table in ["message_statuses", "usage_records"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN wamid TYPE varchar(160) COLLATE \"default\""
                ))
                .await?;
            }
            db.execute_unprepared("ALTER TABLE message_statuses SET (fillfactor = 70)")
                .await?;
            db.execute_unprepared("ALTER TABLE usage_records ADD CONSTRAINT fk_usage_records_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)").await?;
            for (table, _, columns) in STATISTICS {
                let sets = columns
                    .iter()
                    .map(|c| format!("ALTER COLUMN {c} SET STATISTICS -1"))
                    .collect::<Vec<_>>()
                    .join(", ");
                db.execute_unprepared(&format!("ALTER TABLE {table} {sets}"))
                    .await?;
            }
        }
        for sql in [
            "DROP INDEX ix_usage_records_tenant_day",
            "DROP INDEX ix_usage_records_day",
            "CREATE INDEX ix_usage_records_tenant_month ON usage_records (tenant_id, month, state)",
            "CREATE INDEX ix_usage_records_day ON usage_records (delivered_on)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        m.alter_table(
            Table::alter()
                .table(MessageStatuses::Table)
                .drop_column(MessageStatuses::UsageBefore)
                .to_owned(),
        )
        .await
    }
}
