#![allow(clippy::expect_used, clippy::unwrap_used)]
//! Every migration applies, rolls back and applies again, on SQLite and on PostgreSQL.

use migrations::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DatabaseConnection};

async fn tables(db: &DatabaseConnection) -> usize {
    let sql = match db.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Sqlite => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
        _ => "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'",
    };
    let row = db
        .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await
        .ok()
        .flatten();
    row.and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(-1) as usize
}

async fn up_down_up(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("up");
    let n = tables(db).await;
    assert!(n >= 10, "expected the foundation tables, found {n}");
    Migrator::down(db, None).await.expect("down");
    assert_eq!(tables(db).await, 0);
    Migrator::up(db, None).await.expect("up again");
    assert_eq!(tables(db).await, n);
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_sqlite() {
    let db = Database::connect("sqlite::memory:").await.expect("sqlite");
    up_down_up(&db).await;
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_postgres() {
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Database::connect(&admin_url)
        .await
        .expect("PostgreSQL must be reachable (TEST_POSTGRES_URL)");
    let name = format!("bsp_mig_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .expect("drop");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create");
    let url = format!(
        "{}/{name}",
        admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url)
    );
    let db = Database::connect(&url).await.expect("connect");
    up_down_up(&db).await;
    db.close().await.ok();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .ok();
}
