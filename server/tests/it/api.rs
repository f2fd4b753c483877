//! The REST API (`/api/v1`) and its keys: made on the page, shown once, stored as digests,
//! scoped to their tenant and scope, revoked at once everywhere, rotated with an overlap;
//! errors as RFC 9457 problems; cursor pages; the OpenAPI document.

use crate::{both, support::*};
use app::backend::{auth::operator_scope, services};
use reqwest::{header, StatusCode};
use serde_json::Value;

/// An API answer.
pub struct Api {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: Value,
}

/// A GET of `/api/v1{path}` with `key` (none: no `Authorization`).
pub async fn api_get(app: &TestApp, key: Option<&str>, path: &str) -> Api {
    api_send(app, reqwest::Method::GET, key, path, None, &[]).await
}

pub async fn api_send(
    app: &TestApp,
    method: reqwest::Method,
    key: Option<&str>,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Api {
    let client = reqwest::Client::new();
    let mut req = client.request(method, format!("{}/api/v1{path}", app.base));
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    let (status, headers) = (r.status(), r.headers().clone());
    let text = r.text().await.unwrap_or_default();
    Api {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// Makes a key on the page as `session` would (create, then take the secret shown once).
pub async fn make_key(s: &Session, owner: &str, form: &[(&str, &str)]) -> String {
    let mut args = vec![("owner", owner)];
    args.extend_from_slice(form);
    let r = s.call("create_api_key", &args).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fresh = s.call("take_new_api_key", &[("owner", owner)]).await;
    let secret = fresh.json()["secret"].as_str().unwrap_or("").to_owned();
    assert!(secret.starts_with("bspc_"), "{}", fresh.body);
    // Once: the secret is not shown again.
    let again = s.call("take_new_api_key", &[("owner", owner)]).await;
    assert_eq!(again.json(), Value::Null, "{}", again.body);
    secret
}

/// A template of `tenant` made through the service (a draft).
pub async fn template_in(app: &TestApp, tenant: app::domain::ids::TenantId, name: &str) -> String {
    template_with(
        app,
        tenant,
        name,
        "Your order {{1}} has shipped and will arrive tomorrow.",
    )
    .await
}

/// A draft of `tenant` with this body.
pub async fn template_with(
    app: &TestApp,
    tenant: app::domain::ids::TenantId,
    name: &str,
    body: &str,
) -> String {
    let op = operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, tenant)
        .await
        .expect("scope");
    let form = app::domain::template::draft::DraftForm {
        name: name.into(),
        language: "en".into(),
        category: "UTILITY".into(),
        body: body.into(),
        examples: "A-1042".into(),
        ..Default::default()
    };
    services::templates::create(&scope, &form, false)
        .await
        .expect("template")
        .to_string()
}

fn is_problem(r: &Api, status: u16, code: &str) {
    assert_eq!(r.status.as_u16(), status, "{:?}", r.body);
    assert_eq!(
        r.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(r.body["type"], format!("urn:bsp-console:problem:{code}"));
    assert_eq!(r.body["status"], status);
    assert!(r.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok());
    assert_eq!(r.body["request_id"].as_str(), id);
}

both!(
    an_owner_makes_a_key_on_the_page_and_it_reads_its_tenant_and_nothing_else,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let key = make_key(
            &owner,
            &a,
            &[("name", "CRM sync"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let mine = template_in(app, f.a, "order_shipped").await;
        let theirs = template_in(app, f.b, "their_template").await;

        let t = api_get(app, Some(&key), "/tenant").await;
        assert_eq!(t.status, StatusCode::OK, "{:?}", t.body);
        assert_eq!(t.body["id"], a);
        assert_eq!(t.body["waba_ids"][0], "1001");
        let list = api_get(app, Some(&key), "/templates").await;
        assert_eq!(list.status, StatusCode::OK);
        let names: Vec<&str> = list.body["data"]
            .as_array()
            .map(|d| d.iter().filter_map(|t| t["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["order_shipped"]);
        assert_eq!(list.body["data"][0]["status"], "DRAFT");
        let one = api_get(app, Some(&key), &format!("/templates/{mine}")).await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.body["content"]["name"], "order_shipped");
        assert!(one.body["findings"].is_array());
        // Another tenant's template does not exist for this key.
        is_problem(
            &api_get(app, Some(&key), &format!("/templates/{theirs}")).await,
            404,
            "not_found",
        );
        is_problem(
            &api_get(app, Some(&key), "/templates/not-a-uuid").await,
            404,
            "not_found",
        );

        // The key's use shows in the list, which never holds the secret.
        let keys = owner.call("list_api_keys", &[("owner", &a)]).await;
        assert_eq!(keys.status, StatusCode::OK);
        assert!(!keys.body.contains(&key[5..]), "{}", keys.body);
        let row = &keys.json()[0];
        assert_eq!(row["name"], "CRM sync");
        assert_eq!(row["scopes"], serde_json::json!(["read"]));
        assert_eq!(row["created_by"], OWNER_A);
        assert_eq!(row["last_used_addr"], "127.0.0.1");
        assert!(row["last_used_at"].is_string());
        assert!(key.starts_with(row["shown"].as_str().unwrap_or("-")));

        // Without a key, with a signed-in browser's cookie, or with a key on a server
        // function: refused.
        let none = api_get(app, None, "/tenant").await;
        is_problem(&none, 401, "unauthorized");
        assert!(none.headers.get(header::WWW_AUTHENTICATE).is_some());
        let cookie = owner
            .client
            .get(format!("{}/api/v1/tenant", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(cookie.status(), StatusCode::UNAUTHORIZED);
        let fn_with_key = reqwest::Client::new()
            .post(format!("{}/api/list_api_keys", app.base))
            .header(header::ORIGIN, &app.base)
            .bearer_auth(&key)
            .form(&[("owner", a.as_str())])
            .send()
            .await
            .expect("request");
        assert_eq!(fn_with_key.status(), StatusCode::UNAUTHORIZED);

        // Creation is audited, without the secret.
        let audit: Vec<String> = app::backend::repo::audit::list_all(&app.state.db, 50)
            .await
            .expect("audit")
            .into_iter()
            .filter(|e| e.action == "api_key.created")
            .map(|e| format!("{e:?}"))
            .collect();
        assert_eq!(audit.len(), 1);
        assert!(!audit[0].contains(&key[5..]));
        assert_no_secret_stored(app, &key).await;
    }
);

/// Nothing the database holds contains the key: every table's every row (PostgreSQL), or
/// the whole database file (SQLite).
async fn assert_no_secret_stored(app: &TestApp, key: &str) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.db;
    let url = secrecy::ExposeSecret::expose_secret(&app.cfg.database_url).to_owned();
    if let Some(path) = url.strip_prefix("sqlite://") {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("checkpoint");
        let path = path.split('?').next().unwrap_or(path);
        let bytes = std::fs::read(path).expect("database file");
        let needle = &key.as_bytes()[5..];
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the key is in the database file"
        );
        return;
    }
    let tables = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        ))
        .await
        .expect("tables");
    assert!(tables.len() > 20);
    for t in tables {
        let name: String = t.try_get("", "table_name").expect("name");
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT row_to_json(t)::text AS j FROM \"{name}\" t"),
            ))
            .await
            .expect("rows");
        for r in rows {
            let j: String = r.try_get("", "j").expect("json");
            assert!(!j.contains(&key[5..]), "the key is in table {name}");
        }
    }
}

both!(
    revoked_expired_malformed_and_suspended_keys_are_refused_at_once_everywhere,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let key = make_key(
            &owner,
            &a,
            &[("name", "n"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let other = app.spawn_sibling().await;
        assert_eq!(
            api_get(&other, Some(&key), "/tenant").await.status,
            StatusCode::OK
        );
        let id = owner.call("list_api_keys", &[("owner", &a)]).await.json()[0]["id"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let r = owner
            .call("revoke_api_key", &[("owner", &a), ("id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The other server process refuses it on the next call: nothing is cached.
        is_problem(
            &api_get(&other, Some(&key), "/tenant").await,
            401,
            "unauthorized",
        );
        let used: Vec<_> = app::backend::repo::audit::list_all(&app.state.db, 50)
            .await
            .expect("audit")
            .into_iter()
            .filter(|e| e.action == "api_key.revoked_used" || e.action == "api_key.revoked")
            .map(|e| e.action)
            .collect();
        assert_eq!(used.len(), 2, "{used:?}");

        // A typo (checksum) or garbage: refused without a lookup, the same way.
        let mut typo = key.clone().into_bytes();
        typo[12] = if typo[12] == b'A' { b'B' } else { b'A' };
        let typo = String::from_utf8(typo).expect("ascii");
        for bad in [typo.as_str(), "bspc_", "not a key", &"x".repeat(5000)] {
            is_problem(
                &api_get(app, Some(bad), "/tenant").await,
                401,
                "unauthorized",
            );
        }

        // An expiring key works until the end of its last day.
        let tomorrow = (app.state.now() + chrono::TimeDelta::days(1))
            .date_naive()
            .to_string();
        let expiring = make_key(
            &owner,
            &a,
            &[("name", "e"), ("read", "on"), ("expires_on", &tomorrow)],
        )
        .await;
        assert_eq!(
            api_get(app, Some(&expiring), "/tenant").await.status,
            StatusCode::OK
        );
        let live = make_key(
            &owner,
            &a,
            &[("name", "l"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        app.advance(chrono::TimeDelta::days(2) + chrono::TimeDelta::hours(1));
        is_problem(
            &api_get(app, Some(&expiring), "/tenant").await,
            401,
            "unauthorized",
        );
        assert_eq!(
            api_get(app, Some(&live), "/tenant").await.status,
            StatusCode::OK
        );

        // A suspended tenant's keys say so.
        let op = operator_scope(&app.state, "test");
        services::tenants::set_status(&op, f.a, "suspended")
            .await
            .expect("suspend");
        is_problem(
            &api_get(app, Some(&live), "/tenant").await,
            403,
            "suspended",
        );
    }
);

both!(
    keys_act_within_their_scope_and_rotation_keeps_the_old_key_for_the_overlap,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let billing = make_key(
            &owner,
            &a,
            &[("name", "b"), ("billing", "on"), ("expires_on", "")],
        )
        .await;
        is_problem(
            &api_get(app, Some(&billing), "/templates").await,
            403,
            "forbidden",
        );
        // A BSP key has no tenant of its own.
        let admin = app.signed_in(ADMIN, PW).await;
        let bsp = make_key(
            &admin,
            "bsp",
            &[("name", "erp"), ("role", "finance"), ("expires_on", "")],
        )
        .await;
        is_problem(
            &api_get(app, Some(&bsp), "/templates").await,
            403,
            "forbidden",
        );
        // Tenant users cannot make BSP keys, nor keys of another tenant; editors none at all.
        let r = owner
            .call(
                "create_api_key",
                &[
                    ("owner", "bsp"),
                    ("name", "x"),
                    ("role", "admin"),
                    ("expires_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = owner
            .call(
                "create_api_key",
                &[
                    ("owner", &f.b.to_string()),
                    ("name", "x"),
                    ("read", "on"),
                    ("expires_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let editor = app.signed_in(EDITOR_A, PW).await;
        let r = editor
            .call(
                "create_api_key",
                &[
                    ("owner", &a),
                    ("name", "x"),
                    ("read", "on"),
                    ("expires_on", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A form without a scope, with a past date: field errors.
        let r = owner
            .call(
                "create_api_key",
                &[("owner", &a), ("name", ""), ("expires_on", "2020-01-01")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(fields, ["name", "scopes", "expires_on"]);

        let old = make_key(
            &owner,
            &a,
            &[("name", "rotating"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let rows = owner.call("list_api_keys", &[("owner", &a)]).await.json();
        let id = rows
            .as_array()
            .and_then(|r| r.iter().find(|k| k["name"] == "rotating"))
            .and_then(|k| k["id"].as_str())
            .unwrap_or("")
            .to_owned();
        let r = owner
            .call(
                "rotate_api_key",
                &[("owner", &a), ("id", &id), ("overlap", "1h")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let new = owner
            .call("take_new_api_key", &[("owner", &a)])
            .await
            .json()["secret"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        assert!(new.starts_with("bspc_") && new != old);
        assert_eq!(
            api_get(app, Some(&old), "/tenant").await.status,
            StatusCode::OK
        );
        assert_eq!(
            api_get(app, Some(&new), "/tenant").await.status,
            StatusCode::OK
        );
        app.advance(chrono::TimeDelta::hours(2));
        is_problem(
            &api_get(app, Some(&old), "/tenant").await,
            401,
            "unauthorized",
        );
        assert_eq!(
            api_get(app, Some(&new), "/tenant").await.status,
            StatusCode::OK
        );
    }
);

both!(
    lists_are_cursor_paged_and_filtered_and_errors_are_problems_in_the_callers_language,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let key = make_key(
            &owner,
            &f.a.to_string(),
            &[("name", "p"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        for n in ["e_five", "a_one", "c_three", "b_two", "d_four"] {
            template_in(app, f.a, n).await;
        }
        let mut seen = Vec::new();
        let mut path = "/templates?limit=2".to_owned();
        loop {
            let page = api_get(app, Some(&key), &path).await;
            assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
            let data = page.body["data"].as_array().cloned().unwrap_or_default();
            assert!(data.len() <= 2);
            seen.extend(
                data.iter()
                    .filter_map(|t| t["name"].as_str().map(str::to_owned)),
            );
            match page.body["next"].as_str() {
                Some(next) => path = next.trim_start_matches("/api/v1").to_owned(),
                None => break,
            }
        }
        assert_eq!(seen, ["a_one", "b_two", "c_three", "d_four", "e_five"]);
        let drafts = api_get(app, Some(&key), "/templates?status=DRAFT&name=c_").await;
        assert_eq!(drafts.body["data"].as_array().map(Vec::len), Some(1));
        let approved = api_get(app, Some(&key), "/templates?status=APPROVED").await;
        assert_eq!(approved.body["data"].as_array().map(Vec::len), Some(0));
        for bad in [
            "/templates?limit=0",
            "/templates?limit=201",
            "/templates?cursor=garbage",
            "/templates?status=draft",
            "/templates?limit=x",
        ] {
            is_problem(&api_get(app, Some(&key), bad).await, 400, "bad_request");
        }
        is_problem(
            &api_get(app, Some(&key), "/nothing-here").await,
            404,
            "not_found",
        );
        let post = api_send(
            app,
            reqwest::Method::DELETE,
            Some(&key),
            "/tenant",
            None,
            &[],
        )
        .await;
        is_problem(&post, 405, "method_not_allowed");
        let fr = api_send(
            app,
            reqwest::Method::GET,
            Some(&key),
            "/templates/00000000-0000-0000-0000-000000000000",
            None,
            &[
                ("accept-language", "fr-FR,fr;q=0.9"),
                ("x-request-id", "trace-42"),
            ],
        )
        .await;
        is_problem(&fr, 404, "not_found");
        assert_eq!(fr.body["request_id"], "trace-42");
        assert_eq!(
            fr.headers
                .get(header::CONTENT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
            Some("fr")
        );
        assert_ne!(
            fr.body["detail"],
            api_get(
                app,
                Some(&key),
                "/templates/00000000-0000-0000-0000-000000000000"
            )
            .await
            .body["detail"]
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_operation_and_the_reference_page_is_served_here() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let doc = api_get(&app, None, "/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["openapi"], "3.1.0");
    let paths = doc.body["paths"].as_object().cloned().unwrap_or_default();
    for p in [
        "/api/v1/tenant",
        "/api/v1/phone-numbers",
        "/api/v1/templates",
        "/api/v1/templates/{id}",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert!(doc.body["components"]["securitySchemes"]["api_key"].is_object());
    let page = reqwest::Client::new()
        .get(format!("{}/api/docs/", app.base))
        .send()
        .await
        .expect("docs");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let html = page.text().await.unwrap_or_default();
    assert!(
        html.contains("swagger-ui-bundle.js") && !html.contains("src=\"http"),
        "{html}"
    );
}

/// Key columns: none, malformed, revoked, expired, A read, A write, A billing, B write, BSP
/// admin, BSP reviewer, BSP finance. Writes are sent with a body the rules refuse (422), so the
/// table proves the key was let through without changing anything; `{TA}` is a template of A
/// with a blocking finding (submitting it is refused).
const API_MATRIX: &[(&str, [u16; 11])] = &[
    (
        "GET /tenant",
        [401, 401, 401, 401, 200, 200, 403, 200, 403, 403, 403],
    ),
    (
        "GET /phone-numbers",
        [401, 401, 401, 401, 200, 200, 403, 200, 403, 403, 403],
    ),
    (
        "GET /templates",
        [401, 401, 401, 401, 200, 200, 403, 200, 403, 403, 403],
    ),
    (
        "POST /templates",
        [401, 401, 401, 401, 403, 422, 403, 422, 403, 403, 403],
    ),
    (
        "POST /templates/lint",
        [401, 401, 401, 401, 200, 200, 403, 200, 403, 403, 403],
    ),
    (
        "GET /templates/{TA}",
        [401, 401, 401, 401, 200, 200, 403, 404, 403, 403, 403],
    ),
    (
        "PUT /templates/{TA}",
        [401, 401, 401, 401, 403, 422, 403, 404, 403, 403, 403],
    ),
    (
        "POST /templates/{TA}/submit",
        [401, 401, 401, 401, 403, 422, 403, 404, 403, 403, 403],
    ),
    (
        "GET /templates/{TA}/history",
        [401, 401, 401, 401, 200, 200, 403, 404, 403, 403, 403],
    ),
    (
        "GET /phone-numbers/{NA}/profile",
        [401, 401, 401, 401, 200, 200, 403, 404, 403, 403, 403],
    ),
    (
        "PUT /phone-numbers/{NA}/profile",
        [401, 401, 401, 401, 403, 422, 403, 404, 403, 403, 403],
    ),
    (
        "GET /alerts",
        [401, 401, 401, 401, 200, 200, 403, 200, 403, 403, 403],
    ),
    (
        "POST /alerts/{AA}/acknowledge",
        [401, 401, 401, 401, 403, 204, 403, 404, 403, 403, 403],
    ),
    (
        "POST /alerts/{AA}/resolve",
        [401, 401, 401, 401, 403, 204, 403, 404, 403, 403, 403],
    ),
    // The BSP's operations: a nonexistent tenant (`{ZZ}`), so nothing is suspended.
    (
        "GET /tenants",
        [401, 401, 401, 401, 403, 403, 403, 403, 200, 200, 200],
    ),
    (
        "POST /tenants",
        [401, 401, 401, 401, 403, 403, 403, 403, 422, 403, 403],
    ),
    (
        "POST /tenants/{ZZ}/suspend",
        [401, 401, 401, 401, 403, 403, 403, 403, 404, 403, 403],
    ),
    (
        "POST /tenants/{ZZ}/reactivate",
        [401, 401, 401, 401, 403, 403, 403, 403, 404, 403, 403],
    ),
    (
        "POST /tenants/{ZZ}/phone-numbers",
        [401, 401, 401, 401, 403, 403, 403, 403, 422, 403, 403],
    ),
];

both!(
    every_api_operation_answers_each_key_as_the_table_says,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner_a = app.signed_in(OWNER_A, PW).await;
        let owner_b = app.signed_in(OWNER_B, PW).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let form = |scope: &'static str| [("name", "m"), (scope, "on"), ("expires_on", "")];
        let revoked = make_key(&owner_a, &a, &form("read")).await;
        let rows = owner_a.call("list_api_keys", &[("owner", &a)]).await.json();
        let id = rows[0]["id"].as_str().unwrap_or("").to_owned();
        owner_a
            .call("revoke_api_key", &[("owner", &a), ("id", &id)])
            .await;
        let tomorrow = (app.state.now() + chrono::TimeDelta::days(1))
            .date_naive()
            .to_string();
        let expired = make_key(
            &owner_a,
            &a,
            &[("name", "x"), ("read", "on"), ("expires_on", &tomorrow)],
        )
        .await;
        let mut keys: Vec<Option<String>> = vec![
            None,
            Some("bspc_0000000000000000000000000000000000".into()),
            Some(revoked),
            Some(expired),
        ];
        for scope in ["read", "write", "billing"] {
            keys.push(Some(make_key(&owner_a, &a, &form(scope)).await));
        }
        keys.push(Some(make_key(&owner_b, &b, &form("write")).await));
        for role in ["admin", "reviewer", "finance"] {
            keys.push(Some(
                make_key(
                    &admin,
                    "bsp",
                    &[("name", "s"), ("role", role), ("expires_on", "")],
                )
                .await,
            ));
        }
        app.advance(chrono::TimeDelta::days(3));
        let number_a = crate::profiles::phone_of_a(app, &f).await;
        let alert_a = crate::api_writes::alert_in(app, f.a).await;
        let template_a = template_with(
            app,
            f.a,
            "matrix_template",
            "{{1}} starts badly but is otherwise a fine sentence.",
        )
        .await;
        // Every operation the document lists is in the table.
        let doc = api_get(app, None, "/openapi.json").await;
        let mut documented = Vec::new();
        for (path, ops) in doc.body["paths"].as_object().cloned().unwrap_or_default() {
            for method in ops
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                let p = path.trim_start_matches("/api/v1");
                let p = if p.starts_with("/phone-numbers") {
                    p.replace("{id}", "{NA}")
                } else if p.starts_with("/alerts") {
                    p.replace("{id}", "{AA}")
                } else if p.starts_with("/tenants") {
                    p.replace("{id}", "{ZZ}")
                } else {
                    p.replace("{id}", "{TA}")
                };
                documented.push(format!("{} {p}", method.to_uppercase()));
            }
        }
        for op in &documented {
            assert!(
                API_MATRIX.iter().any(|(o, _)| o == op),
                "{op} is missing from the API matrix"
            );
        }
        let mut failures = Vec::new();
        for (op, expect) in API_MATRIX {
            let (method, path) = op.split_once(' ').unwrap_or(("GET", op));
            let path = path
                .replace("{TA}", &template_a)
                .replace("{NA}", &number_a)
                .replace("{AA}", &alert_a)
                .replace("{ZZ}", "00000000-0000-0000-0000-000000000000");
            // Writes carry a body the rules refuse; the profile's, the version read.
            let body = match (
                method,
                path.ends_with("/profile"),
                path.ends_with("/submit")
                    || path.ends_with("/suspend")
                    || path.ends_with("/reactivate")
                    || path.starts_with("/alerts"),
            ) {
                ("GET", ..) | (_, _, true) => None,
                (_, true, _) => Some(serde_json::json!({"about": ""})),
                _ => Some(serde_json::json!({"category": ""})),
            };
            for (col, key) in keys.iter().enumerate() {
                let r = api_send(
                    app,
                    method.parse().expect("method"),
                    key.as_deref(),
                    &path,
                    body.clone(),
                    &[("if-match", "\"v0\"")],
                )
                .await;
                if r.status.as_u16() != expect[col] {
                    failures.push(format!(
                        "{op} with key #{col}: expected {} got {} {:?}",
                        expect[col], r.status, r.body
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);
