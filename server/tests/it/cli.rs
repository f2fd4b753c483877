//! The operator CLI, run as a process: same services, clear errors, JSON output.

use crate::support::*;
use std::process::Command;

fn server(db: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .output()
        .expect("run server binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn operators_create_and_list_tenants_and_get_clear_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let (code, out, _) = server(
        &db,
        &[
            "--json",
            "tenant",
            "create",
            "--legal-name",
            "Delta SA",
            "--display-name",
            "Delta",
            "--country",
            "es",
            "--billing-email",
            "b@delta.test",
            "--alert-emails",
            "a@delta.test",
            "--currency",
            "eur",
            "--waba-id",
            "777",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let id = serde_json::from_str::<serde_json::Value>(&out).unwrap_or_default()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(id.len(), 36);
    let (code, out, _) = server(
        &db,
        &[
            "phone-number",
            "add",
            "--tenant",
            &id,
            "--number",
            "+34 612 34 56 78",
            "--phone-number-id",
            "888",
            "--display-name",
            "Delta",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = server(&db, &["tenant", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Delta") && out.contains("ES") && out.contains("1 tenants"),
        "{out}"
    );
    let (code, _, err) = server(
        &db,
        &[
            "tenant",
            "create",
            "--legal-name",
            "",
            "--display-name",
            "E",
            "--country",
            "XX",
            "--billing-email",
            "b@e.test",
            "--alert-emails",
            "a@e.test",
            "--currency",
            "EUR",
            "--waba-id",
            "778",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("legal_name: This field is required.")
            && err.contains("country: Unknown country code."),
        "{err}"
    );
    let (code, out, _) = server(
        &db,
        &[
            "--json",
            "user",
            "invite",
            "--tenant",
            &id,
            "--email",
            "boss@delta.test",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = server(&db, &["--json", "create-admin", "--email", "root@bsp.test"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(v["password"].as_str().map(str::len), Some(20));
    let (code, _, err) = server(&db, &["create-admin", "--email", "root@bsp.test"]);
    assert_eq!(code, 1);
    assert!(err.contains("email: Already registered."), "{err}");
    let _ = in_ci();
}

#[test]
fn template_lint_prints_findings_and_fails_on_errors() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/fixtures");
    let (code, out, err) = server(
        "sqlite::memory:",
        &[
            "template",
            "lint",
            &format!("{fixtures}/template_ok.json"),
            "--verified-domain",
            "example.com",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(v["findings"], serde_json::json!([]));
    let (code, out, _) = server(
        "sqlite::memory:",
        &["template", "lint", &format!("{fixtures}/template_bad.json")],
    );
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["rule"].as_str()).collect())
        .unwrap_or_default();
    for r in [
        "name.invalid",
        "param.at_start",
        "param.not_sequential",
        "param.adjacent",
        "link.shortener",
        "example.missing",
    ] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    assert!(v["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    let (code, _, err) = server(
        "sqlite::memory:",
        &["template", "lint", "/no/such/file.json"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"), "{err}");
}

/// Demo data has an admin with a published password: never in production, neither at start
/// nor from the command line.
#[test]
fn demo_data_is_refused_in_production() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("prod.db").display());
    let run = |args: &[&str], seed: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
        cmd.args(args)
            .env("DATABASE_URL", &db)
            .env("APP_ENV", "production")
            .env("SMTP_URL", "smtp://127.0.0.1:9")
            .env("WHATSAPP_APP_SECRET", APP_SECRET)
            .env("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN)
            .env("SECRETS_KEY", "ab".repeat(32))
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "error");
        if seed {
            cmd.env("SEED_DEMO", "true");
        }
        let out = cmd.output().expect("run server binary");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["serve"], true);
    assert_ne!(code, 0);
    assert!(err.contains("SEED_DEMO"), "{err}");
    let (code, err) = run(&["seed-demo"], false);
    assert_ne!(code, 0);
    assert!(err.contains("seed-demo is refused"), "{err}");
}

#[test]
fn operators_make_list_and_revoke_api_keys_and_the_secret_is_printed_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let (code, out, err) = server(
        &db,
        &[
            "--json", "api-key", "create", "--name", "ERP", "--role", "finance",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let secret = created["secret"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("bspc_") && secret.len() == 41, "{out}");
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    let (code, out, _) = server(&db, &["api-key", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ERP") && out.contains(&secret[..13]) && !out.contains(&secret),
        "{out}"
    );
    let (code, out, _) = server(&db, &["api-key", "revoke", &id]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("revoked"));
    let (code, _, err) = server(&db, &["api-key", "revoke", &id]);
    assert_eq!(code, 1);
    assert!(!err.is_empty());
    // A tenant key needs a tenant that exists, and a valid scope.
    let (code, _, err) = server(
        &db,
        &[
            "api-key",
            "create",
            "--tenant",
            "00000000-0000-0000-0000-000000000000",
            "--name",
            "x",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = server(
        &db,
        &["api-key", "create", "--name", "x", "--role", "owner"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("role"), "{err}");
}
