//! The operator CLI. Every command uses the same services as the web app (same validation,
//! same audit log, actor recorded as the operator), prints text or `--json`, and exits
//! non-zero with a clear message on failure.

mod args;

use crate::{config::Config, startup};
use app::{
    backend::{
        auth::{operator_scope, staff_in_tenant},
        services,
        state::AppState,
    },
    contract::AppError,
    domain::{
        locale::Locale,
        roles::StaffRole,
        tenant::{PhoneNumberForm, TenantForm},
    },
};
pub use args::Cli;
use args::*;
use clap::Parser;
use secrecy::ExposeSecret;
use serde_json::json;
use std::{process::ExitCode, sync::Arc};

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli).await {
        // The command wrote its own output (CSV).
        Ok(out) if out.get("silent").is_some() => ExitCode::SUCCESS,
        Ok(out) if out.get("error_count").and_then(|n| n.as_u64()).unwrap_or(0) > 0 => {
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            ExitCode::FAILURE
        }
        Ok(out) => {
            if json {
                println!("{out}");
            } else if let Some(s) = out.get("message").and_then(|m| m.as_str()) {
                println!("{s}");
            } else {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if json {
                println!("{}", json!({"error": e.to_string()}));
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Turns an `AppError` into a message naming each bad field.
fn explain(e: AppError) -> anyhow::Error {
    match &e {
        AppError::Validation { errors } => {
            let parts: Vec<String> = errors
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.code.text().get(Locale::En)))
                .collect();
            anyhow::anyhow!("invalid input — {}", parts.join("; "))
        }
        other => anyhow::anyhow!("{}", other.message(Locale::En)),
    }
}

async fn state(cfg: &Config) -> anyhow::Result<AppState> {
    let db = startup::connect(cfg.database_url.expose_secret()).await?;
    startup::migrate(&db).await?;
    Ok(startup::state(
        db,
        cfg,
        Arc::new(app::backend::clock::SystemClock),
    ))
}

async fn run(cli: Cli) -> anyhow::Result<serde_json::Value> {
    let cfg = Config::from_env()?;
    match cli.command {
        Command::Serve => {
            startup::serve(cfg).await?;
            Ok(json!({"message": "stopped"}))
        }
        Command::Migrate => {
            let db = startup::connect(cfg.database_url.expose_secret()).await?;
            startup::migrate(&db).await?;
            Ok(json!({"message": "migrations applied"}))
        }
        Command::CreateAdmin { email, name, role } => {
            let st = state(&cfg).await?;
            let role = StaffRole::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, reviewer or finance"))?;
            let (password, generated) = match std::env::var("BSP_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => (p, false),
                _ => (generate_password(), true),
            };
            let op = operator_scope(&st, "create-admin");
            let id = services::users::create_staff(&op, &email, &name, &password, role)
                .await
                .map_err(explain)?;
            let mut out =
                json!({"id": id, "role": role, "message": format!("created {role} {id}")});
            if generated {
                out["password"] = json!(password);
                out["message"] = json!(format!("created {role} {id}; password: {password}"));
            }
            Ok(out)
        }
        Command::SeedDemo => {
            if cfg.production {
                anyhow::bail!(
                    "seed-demo is refused with APP_ENV=production: the demo users' password is published"
                );
            }
            let st = state(&cfg).await?;
            let seeded = services::users::seed_demo(&app::backend::auth::system_scope(&st))
                .await
                .map_err(explain)?;
            Ok(
                json!({"seeded": seeded, "message": if seeded { "demo data seeded" } else { "demo data already present" }}),
            )
        }
        Command::Tenant(TenantCmd::Create(a)) => {
            let st = state(&cfg).await?;
            let form = TenantForm {
                legal_name: a.legal_name,
                display_name: a.display_name,
                country: a.country,
                locale: a.locale,
                billing_email: a.billing_email,
                alert_emails: a.alert_emails,
                currency: a.currency,
                account_manager: a.account_manager,
                waba_id: a.waba_id,
            };
            let id = services::tenants::create(&operator_scope(&st, "cli"), &form)
                .await
                .map_err(explain)?;
            Ok(json!({"id": id, "message": format!("created tenant {id}")}))
        }
        Command::Tenant(TenantCmd::List { q, status, page }) => {
            let st = state(&cfg).await?;
            let p =
                services::tenants::list(&operator_scope(&st, "cli"), &q, status.as_deref(), page)
                    .await
                    .map_err(explain)?;
            if cli.json {
                return Ok(serde_json::to_value(&p)?);
            }
            let mut s = format!(
                "{:<38} {:<24} {:<3} {:<10} {}\n",
                "ID", "NAME", "CC", "STATUS", "NUMBERS"
            );
            for r in &p.rows {
                s.push_str(&format!(
                    "{:<38} {:<24} {:<3} {:<10} {}\n",
                    r.id,
                    r.display_name,
                    r.country,
                    r.status.code(),
                    r.phone_numbers
                ));
            }
            s.push_str(&format!(
                "page {} of {} ({} tenants)",
                p.page, p.pages, p.total
            ));
            Ok(json!({"message": s}))
        }
        Command::PhoneNumber(PhoneCmd::Add {
            tenant,
            number,
            phone_number_id,
            display_name,
            waba,
        }) => {
            let st = state(&cfg).await?;
            let tenant = tenant
                .parse()
                .map_err(|_| anyhow::anyhow!("--tenant is not a tenant id"))?;
            let form = PhoneNumberForm {
                number,
                phone_number_id,
                display_name,
            };
            let id = services::tenants::add_phone_number(
                &operator_scope(&st, "cli"),
                tenant,
                &waba,
                &form,
            )
            .await
            .map_err(explain)?;
            Ok(json!({"id": id, "message": format!("added phone number {id}")}))
        }
        Command::Template(TemplateCmd::Lint {
            file,
            verified_domains,
        }) => lint_file(&file, verified_domains),
        Command::Rates(RatesCmd::Import {
            effective_from,
            note,
            file,
        }) => {
            let text = if file == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?
            };
            let st = state(&cfg).await?;
            let op = operator_scope(&st, "cli");
            let id = services::pricing::stage_card(&op, None, &text, &effective_from, &note)
                .await
                .map_err(explain)?;
            let card = services::pricing::card(&op, id).await.map_err(explain)?;
            if !card.errors.is_empty() {
                services::pricing::discard_card(&op, id)
                    .await
                    .map_err(explain)?;
                let errors: Vec<serde_json::Value> = card.errors.iter().map(|e| json!({"line": e.line, "column": e.column, "problem": app::i18n::row_problem_text(e.problem).get(Locale::En)})).collect();
                return Ok(
                    json!({"errors": errors, "error_count": errors.len(), "message": "nothing imported"}),
                );
            }
            services::pricing::publish_card(&op, id)
                .await
                .map_err(explain)?;
            Ok(
                json!({"id": id, "currency": card.summary.currency, "rows": card.summary.rows, "missing_markets": card.missing_markets, "message": format!("published rate card {id} ({} rows, {})", card.summary.rows, card.summary.currency.unwrap_or_default())}),
            )
        }
        Command::Rates(RatesCmd::Export { currency, on }) => {
            let st = state(&cfg).await?;
            let day = match on {
                Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| anyhow::anyhow!("--on must be YYYY-MM-DD"))?,
                None => chrono::Utc::now().date_naive(),
            };
            let text = services::pricing::export_in_force(
                &operator_scope(&st, "cli"),
                &currency.to_ascii_uppercase(),
                day,
            )
            .await
            .map_err(explain)?;
            print!("{text}");
            Ok(json!({"silent": true}))
        }
        Command::ApiKey(cmd) => api_key(&state(&cfg).await?, cmd).await,
        Command::Invoices(InvoicesCmd::Run { period }) => {
            let st = state(&cfg).await?;
            let scope = app::backend::auth::system_scope(&st);
            let r = services::invoicing::run_period(&scope, &period, cfg.stripe.is_some())
                .await
                .map_err(|e| match e {
                    AppError::Conflict { .. } => anyhow::anyhow!("{period} is not over yet"),
                    other => explain(other),
                })?;
            Ok(
                json!({"created": r.created, "already": r.already, "message": format!("{period}: {} invoice(s) issued, {} already issued", r.created, r.already)}),
            )
        }
        Command::Usage(UsageCmd::Export {
            from,
            to,
            tenant,
            country,
            category,
        }) => {
            use std::io::Write;
            let req = crate::exports::export_request(
                &from,
                &to,
                tenant.as_deref(),
                country.as_deref(),
                category.as_deref(),
            )
            .map_err(|m| anyhow::anyhow!(m))?;
            let st = state(&cfg).await?;
            let mut rx = services::usage::export(&operator_scope(&st, "cli"), req)
                .await
                .map_err(explain)?;
            let mut out = std::io::stdout().lock();
            while let Some(chunk) = rx.recv().await {
                out.write_all(&chunk.map_err(explain)?)?;
            }
            out.flush()?;
            Ok(json!({"silent": true}))
        }
        Command::User(UserCmd::Invite {
            tenant,
            email,
            role,
        }) => {
            let st = state(&cfg).await?;
            let tenant = tenant
                .parse()
                .map_err(|_| anyhow::anyhow!("--tenant is not a tenant id"))?;
            let op = operator_scope(&st, "cli");
            let scope = staff_in_tenant(&op, tenant).await.map_err(explain)?;
            let id = services::invitations::invite(&scope, &email, &role)
                .await
                .map_err(explain)?;
            Ok(json!({"id": id, "message": format!("invitation {id} queued")}))
        }
    }
}

/// Lints a create-template JSON file; needs no database.
fn lint_file(file: &str, verified_domains: Vec<String>) -> anyhow::Result<serde_json::Value> {
    use app::domain::template::{lint, model::CreateTemplate};
    let raw = if file == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?
    };
    let t: CreateTemplate = serde_json::from_str(&raw)
        .map_err(|e| anyhow::anyhow!("{file} is not a create-template JSON: {e}"))?;
    let ctx = lint::LintContext {
        verified_domains: verified_domains
            .into_iter()
            .map(|d| d.trim().trim_start_matches("www.").to_lowercase())
            .collect(),
        other_templates: vec![],
    };
    let findings = lint::lint(&t, &ctx);
    let rules: std::collections::HashMap<&str, lint::Rule> =
        lint::Rule::ALL.iter().map(|r| (r.id(), *r)).collect();
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let text = rules
                .get(f.rule)
                .map(|r| app::i18n::lint_text(*r, Locale::En))
                .unwrap_or("");
            let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
            let mut message = text.to_owned();
            for (i, a) in args.iter().enumerate() {
                message = message.replace(&format!("{{{i}}}"), a);
            }
            let mut v = serde_json::to_value(f).unwrap_or_default();
            v["message"] = json!(message);
            v
        })
        .collect();
    let errors = findings
        .iter()
        .filter(|f| f.severity == lint::Severity::Error)
        .count();
    Ok(json!({"findings": items, "error_count": errors, "warning_count": findings.len() - errors}))
}

fn generate_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// `api-key create | list | revoke`, on a tenant's keys (`--tenant`) or the BSP's.
async fn api_key(st: &AppState, cmd: ApiKeyCmd) -> anyhow::Result<serde_json::Value> {
    use services::api_keys::Keys;
    let op = operator_scope(st, "cli");
    let tenant = match &cmd {
        ApiKeyCmd::Create { tenant, .. }
        | ApiKeyCmd::List { tenant }
        | ApiKeyCmd::Revoke { tenant, .. } => tenant.clone(),
    };
    let in_tenant = match tenant {
        Some(t) => {
            let id = t
                .parse()
                .map_err(|_| anyhow::anyhow!("--tenant is not a tenant id"))?;
            Some(staff_in_tenant(&op, id).await.map_err(explain)?)
        }
        None => None,
    };
    let keys = match &in_tenant {
        Some(scope) => Keys::Tenant(scope),
        None => Keys::Bsp(&op),
    };
    match cmd {
        ApiKeyCmd::Create {
            name,
            scopes,
            role,
            expires_on,
            ..
        } => {
            let has = |s: &str| {
                scopes
                    .split(',')
                    .any(|x| x.trim() == s)
                    .then(|| "on".to_owned())
            };
            let form = app::domain::api_keys::KeyForm {
                name,
                read: has("read"),
                write: has("write"),
                billing: has("billing"),
                role,
                expires_on,
            };
            let k = services::api_keys::create(keys, &form)
                .await
                .map_err(explain)?;
            Ok(json!({"id": k.id, "secret": k.secret,
                "message": format!("created API key {} ({}); its secret, shown only now:\n{}", k.name, k.id, k.secret)}))
        }
        ApiKeyCmd::List { .. } => {
            let rows = services::api_keys::list(keys).await.map_err(explain)?;
            let mut s = format!(
                "{:<38} {:<24} {:<15} {:<10} {}\n",
                "ID", "NAME", "KEY", "STATE", "LAST USED"
            );
            for k in &rows {
                s.push_str(&format!(
                    "{:<38} {:<24} {:<15} {:<10} {}\n",
                    k.id,
                    k.name,
                    k.shown,
                    format!("{:?}", k.state).to_lowercase(),
                    k.last_used_at
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_else(|| "never".into())
                ));
            }
            Ok(json!({"keys": rows, "message": s.trim_end()}))
        }
        ApiKeyCmd::Revoke { id, .. } => {
            let id = id
                .parse()
                .map_err(|_| anyhow::anyhow!("not a key id: {id}"))?;
            services::api_keys::revoke(keys, id)
                .await
                .map_err(explain)?;
            Ok(json!({"message": format!("revoked API key {id}")}))
        }
    }
}
