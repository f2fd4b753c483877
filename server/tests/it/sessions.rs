//! Sign-in, cookies, session lifetime, cross-site guard, throttling, two processes.

use crate::{both, support::*};
use chrono::TimeDelta;
use reqwest::StatusCode;

fn session_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("bsp_session="))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_owned()
}

async fn whoami(s: &Session) -> Option<String> {
    let r = s.call("session", &[]).await;
    r.json()["user"]["email"].as_str().map(str::to_owned)
}

both!(
    sign_in_sets_a_lax_http_only_cookie_and_cycles_the_id,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.client();
        let first = s
            .call("sign_in", &[("email", ADMIN), ("password", PW)])
            .await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let c1 = session_cookie(&first).expect("a session cookie");
        let lower = c1.to_ascii_lowercase();
        assert!(lower.contains("httponly"), "{c1}");
        assert!(lower.contains("samesite=lax"), "{c1}");
        assert!(
            !lower.contains("secure"),
            "plain http must not set Secure: {c1}"
        );
        assert_eq!(whoami(&s).await.as_deref(), Some(ADMIN));

        // Signing in again (e.g. someone planted a session) yields a new id; the old one is dead.
        let second = s
            .call("sign_in", &[("email", ADMIN), ("password", PW)])
            .await;
        let c2 = session_cookie(&second).expect("a new session cookie");
        assert_ne!(cookie_value(&c1), cookie_value(&c2));
        let replay = reqwest::Client::new()
            .post(format!("{}/api/session", app.base))
            .header("cookie", cookie_value(&c1))
            .send()
            .await
            .expect("replay");
        let body: serde_json::Value = replay.json().await.unwrap_or_default();
        assert!(
            body["user"].is_null(),
            "old session id must not be valid: {body}"
        );
    }
);

both!(
    sign_out_invalidates_the_session_server_side,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.signed_in(OWNER_A, PW).await;
        assert_eq!(whoami(&s).await.as_deref(), Some(OWNER_A));
        // Keep a copy of the cookie as an attacker would.
        let jar_cookie = {
            let r = app
                .client()
                .call("sign_in", &[("email", OWNER_A), ("password", PW)])
                .await;
            cookie_value(&session_cookie(&r).expect("cookie"))
        };
        let thief = reqwest::Client::new();
        let before = thief
            .post(format!("{}/api/session", app.base))
            .header("cookie", &jar_cookie)
            .send()
            .await
            .expect("req");
        let before: serde_json::Value = before.json().await.unwrap_or_default();
        assert_eq!(before["user"]["email"], OWNER_A);
        // The victim (holding that cookie) signs out.
        let out = thief
            .post(format!("{}/api/sign_out", app.base))
            .header("cookie", &jar_cookie)
            .header("origin", &app.base)
            .send()
            .await
            .expect("sign out");
        assert!(
            out.status().is_success() || out.status().is_redirection(),
            "{}",
            out.status()
        );
        let after = thief
            .post(format!("{}/api/session", app.base))
            .header("cookie", &jar_cookie)
            .send()
            .await
            .expect("req");
        let after: serde_json::Value = after.json().await.unwrap_or_default();
        assert!(after["user"].is_null(), "{after}");
        // The other, independent session is untouched.
        assert_eq!(whoami(&s).await.as_deref(), Some(OWNER_A));
    }
);

both!(
    a_request_that_read_the_session_before_a_sign_out_cannot_bring_it_back,
    async |app: &TestApp| {
        use tower_sessions::SessionStore;
        fixture(app).await;
        let r = app
            .client()
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        let cookie = cookie_value(&session_cookie(&r).expect("cookie"));
        let id: tower_sessions::session::Id = cookie
            .trim_start_matches("bsp_session=")
            .parse()
            .expect("session id");
        let store = app::backend::session_store::DbSessionStore::new(
            app.state.db.clone(),
            app.state.session_users.clone(),
        );
        // A request in flight read the session …
        let record = store
            .load(&id)
            .await
            .expect("load")
            .expect("a live session");
        // … the user signs out elsewhere …
        store.delete(&id).await.expect("delete");
        // … and the request ends, saving what it read (its idle expiry moved on).
        let mut later = record.clone();
        later.expiry_date += tower_sessions::cookie::time::Duration::minutes(5);
        store.save(&later).await.expect("save");
        assert!(
            store.load(&id).await.expect("load").is_none(),
            "the signed-out session stays gone"
        );
    }
);

async fn idle_session_expires(db: Db) {
    // Expiry is wall-clock time (tower-sessions), so this test waits for real.
    let app = TestApp::spawn_with(db, |c| c.session_idle_seconds = 2).await;
    fixture(&app).await;
    let s = app.signed_in(EDITOR_A, PW).await;
    assert_eq!(whoami(&s).await.as_deref(), Some(EDITOR_A));
    // Activity keeps it: requests every 0.7 s for longer than the idle time (2 s).
    for _ in 0..5 {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        assert_eq!(
            whoami(&s).await.as_deref(),
            Some(EDITOR_A),
            "an active session stays signed in"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert_eq!(whoami(&s).await, None);
    let r = s
        .call(
            "get_tenant",
            &[("id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires_sqlite() {
    idle_session_expires(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_expires_postgres() {
    idle_session_expires(Db::Postgres).await;
}

both!(
    wrong_password_and_unknown_account_get_the_same_answer,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.client();
        let wrong = s
            .call(
                "sign_in",
                &[("email", ADMIN), ("password", "not the password")],
            )
            .await;
        let unknown = s
            .call(
                "sign_in",
                &[
                    ("email", "nobody@bsp.test"),
                    ("password", "not the password"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            (wrong.status, wrong.body.clone()),
            (unknown.status, unknown.body.clone())
        );
        assert_eq!(wrong.code(), "invalid_credentials");
    }
);

both!(
    repeated_failures_throttle_the_account_even_with_the_right_password,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.client();
        for _ in 0..5 {
            let r = s
                .call(
                    "sign_in",
                    &[("email", VIEWER_A), ("password", "wrong wrong wrong")],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let locked = s
            .call("sign_in", &[("email", VIEWER_A), ("password", PW)])
            .await;
        assert_eq!(
            locked.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            locked.body
        );
        assert_eq!(locked.code(), "throttled");
        let wait = locked.json()["retry_after_secs"].as_u64().unwrap_or(0);
        assert!((1..=900).contains(&wait), "{wait}");
        // Another account from another address is not affected...
        app.signed_in(OWNER_A, PW).await;
        // ...and the lock lifts when the window has passed.
        app.advance(TimeDelta::minutes(16));
        app.signed_in(VIEWER_A, PW).await;
    }
);

both!(
    many_failures_from_one_address_throttle_that_address,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.client();
        for i in 0..20 {
            let r = s
                .call(
                    "sign_in",
                    &[("email", &format!("guess{i}@bsp.test")), ("password", "x")],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        let r = s
            .call("sign_in", &[("email", ADMIN), ("password", PW)])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    }
);

both!(
    a_cross_site_post_is_refused_before_it_runs,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.client();
        let r = s
            .call_with_origin(
                "sign_in",
                &[("email", ADMIN), ("password", PW)],
                Some("https://evil.example"),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(session_cookie(&r).is_none());
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin
            .call_with_origin("create_tenant", &[("legal_name", "X")], Some("null"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let req = admin
            .client
            .post(format!("{}/api/set_tenant_status", app.base))
            .header("sec-fetch-site", "cross-site")
            .form(&[("id", "x"), ("status", "suspended")]);
        assert_eq!(
            req.send().await.map(|r| r.status()).ok(),
            Some(StatusCode::FORBIDDEN)
        );
    }
);

both!(
    a_suspended_tenants_users_cannot_sign_in_and_lose_their_sessions,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin
            .call(
                "set_tenant_status",
                &[("id", &f.a.to_string()), ("status", "suspended")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(whoami(&owner).await, None);
        let again = app
            .client()
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        assert_eq!(
            (again.status, again.code().as_str()),
            (StatusCode::FORBIDDEN, "suspended")
        );
        // Data is kept: reactivation brings the user back.
        admin
            .call(
                "set_tenant_status",
                &[("id", &f.a.to_string()), ("status", "active")],
            )
            .await;
        app.signed_in(OWNER_A, PW).await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_server_process_is_valid_on_another() {
    let one = TestApp::spawn(Db::Postgres).await;
    let two = one.spawn_sibling().await;
    fixture(&one).await;
    let s = one.client();
    let r = s
        .call("sign_in", &[("email", ADMIN), ("password", PW)])
        .await;
    let cookie = cookie_value(&session_cookie(&r).expect("cookie"));
    let on_two = reqwest::Client::new()
        .post(format!("{}/api/session", two.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("req");
    let body: serde_json::Value = on_two.json().await.unwrap_or_default();
    assert_eq!(body["user"]["email"], ADMIN);
    one.drop_db().await;
}

both!(
    a_form_posted_without_javascript_comes_back_with_its_values_but_never_the_password,
    async |app: &TestApp| {
        use sea_orm::{ConnectionTrait, Statement};
        fixture(app).await;
        let db = &app.state.db;
        let sessions = || async move {
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) FROM sessions".to_owned(),
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(-1)
        };
        let before = sessions().await;
        let s = app.client();
        let page = format!("{}/sign-in?next=/tenants", app.base);
        let r = s
            .client
            .post(format!("{}/api/sign_in", app.base))
            .header("accept", "text/html")
            .header("origin", &app.base)
            .header("referer", &page)
            .form(&[
                ("email", "ana@bsp.test"),
                ("password", "secret wrong one"),
                ("next", "/tenants"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::FOUND);
        // An anonymous visitor's refused form is kept in its own cookie: nothing is stored.
        assert_eq!(
            sessions().await,
            before,
            "no session row for an anonymous refused form"
        );
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert!(
            location.starts_with("/sign-in?") || location.contains("/sign-in?"),
            "{location}"
        );
        assert!(location.contains("__err="), "{location}");
        // Nothing of the form goes into the URL (history, logs, referrers).
        assert!(
            !location.contains("__form")
                && !location.contains("ana")
                && !location.contains("secret"),
            "{location}"
        );
        // The page shows the error and the email again, once; never the password.
        let target = if location.starts_with('/') {
            location.clone()
        } else {
            location.trim_start_matches(&app.base).to_owned()
        };
        let html = s.get(&target).await.body;
        assert!(html.contains("Email or password is incorrect."), "{html}");
        assert!(html.contains("value=\"ana@bsp.test\""), "{html}");
        assert!(!html.contains("secret wrong one"));
        let again = s.get(&target).await.body;
        assert!(
            !again.contains("value=\"ana@bsp.test\""),
            "the values are kept for the one page that follows"
        );
        // Another page opened after a refused form does not get its values.
        let r = s
            .client
            .post(format!("{}/api/sign_in", app.base))
            .header("accept", "text/html")
            .header("origin", &app.base)
            .header("referer", &page)
            .form(&[
                ("email", "ana@bsp.test"),
                ("password", "x"),
                ("next", "/tenants"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::FOUND);
        assert!(
            !s.get("/sign-in")
                .await
                .body
                .contains("value=\"ana@bsp.test\""),
            "the echo is for the refused form's own page (path and query)"
        );
    }
);

both!(
    every_response_carries_the_security_headers,
    async |app: &TestApp| {
        let s = app.client();
        for path in ["/sign-in", "/healthz", "/no-such-page"] {
            let r = s.get(path).await;
            let h = |n: &str| {
                r.headers
                    .get(n)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            assert_eq!(
                (
                    h("x-content-type-options"),
                    h("x-frame-options"),
                    h("referrer-policy")
                ),
                ("nosniff".into(), "DENY".into(), "same-origin".into()),
                "{path}"
            );
        }
        let r = s.call("session", &[]).await;
        assert_eq!(
            r.headers
                .get("x-frame-options")
                .and_then(|v| v.to_str().ok()),
            Some("DENY")
        );
        // Signed-in pages are never cached; over plain http there is no HSTS.
        let cache = |r: &Reply| {
            r.headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_ne!(cache(&s.get("/sign-in").await).as_deref(), Some("no-store"));
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let page = admin.get("/tenants").await;
        assert_eq!(cache(&page).as_deref(), Some("no-store"));
        assert!(page.headers.get("strict-transport-security").is_none());
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_every_answer_asks_for_https_only() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.public_url = "https://console.example".into();
    })
    .await;
    let r = app.client().get("/healthz").await;
    assert_eq!(
        r.headers
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
}

// A session row names its user, so a request reads both in one statement; what happens to
// the user shows at the very next request all the same, and a row without its user (saved
// before the column existed) still signs its user in.
both!(
    the_session_is_read_with_its_user_and_sees_changes_at_once,
    async |app: &TestApp| {
        use sea_orm::{ConnectionTrait, Statement};
        fixture(app).await;
        let db = &app.state.db;
        let finance_rows = || async move {
            let sql = "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'finance@bsp.test'";
            db.query_one_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(-1)
        };
        let admin = app.signed_in(ADMIN, PW).await;
        let finance = app.signed_in(FINANCE, PW).await;
        assert_eq!(whoami(&finance).await.as_deref(), Some(FINANCE));
        assert_eq!(finance_rows().await, 1, "the row names its user");

        // Disabled by an admin: the next request of that session has no user, and the row is gone.
        let staff = admin.call("get_staff", &[]).await.json();
        let fin = staff["members"]
            .as_array()
            .and_then(|m| m.iter().find(|u| u["email"] == FINANCE))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            admin
                .call(
                    "set_staff_disabled",
                    &[("user", &fin), ("disabled", "true")]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            finance.call("session", &[]).await.json()["user"],
            serde_json::Value::Null,
            "signed out at the next request"
        );
        assert_eq!(finance_rows().await, 0);

        // A row without its user is read the old way: still signed in, with the same rights.
        db.execute_unprepared("UPDATE sessions SET user_id = NULL")
            .await
            .expect("clear");
        assert_eq!(whoami(&admin).await.as_deref(), Some(ADMIN));
        assert_eq!(admin.call("get_staff", &[]).await.status, StatusCode::OK);
    }
);

both!(
    a_cached_session_is_reused_and_forgotten_when_signed_out_here,
    async |app: &TestApp| {
        use sea_orm::ConnectionTrait;
        use tower_sessions::SessionStore;
        fixture(app).await;
        let r = app
            .client()
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        let cookie = cookie_value(&session_cookie(&r).expect("cookie"));
        let id: tower_sessions::session::Id = cookie
            .trim_start_matches("bsp_session=")
            .parse()
            .expect("session id");
        let db = app.state.db.clone();
        let cached = app::backend::session_store::DbSessionStore::new(
            db.clone(),
            app.state.session_users.clone(),
        )
        .with_cache(std::time::Duration::from_secs(60));
        let uncached = app::backend::session_store::DbSessionStore::new(
            db.clone(),
            app.state.session_users.clone(),
        );
        let record = uncached
            .load(&id)
            .await
            .expect("load")
            .expect("a live session");
        // Another process writes the row (here: raw SQL). The cache serves what it read for its
        // time to live; the uncached store sees the write at once. (Other tests' user changes
        // empty the cache now and then: a few attempts.)
        let mut served_from_cache = false;
        for n in 0..10 {
            cached.load(&id).await.expect("load").expect("live");
            let mut changed = record.clone();
            changed.data.insert("probe".into(), serde_json::json!(n));
            let json = serde_json::to_string(&changed)
                .expect("json")
                .replace('\'', "''");
            db.execute_unprepared(&format!(
                "UPDATE sessions SET data = '{json}' WHERE id = '{id}'"
            ))
            .await
            .expect("update");
            let fresh = uncached.load(&id).await.expect("load").expect("live");
            assert_eq!(
                fresh.data.get("probe"),
                Some(&serde_json::json!(n)),
                "without a cache every read is the row's"
            );
            if cached
                .load(&id)
                .await
                .expect("load")
                .expect("live")
                .data
                .get("probe")
                != Some(&serde_json::json!(n))
            {
                served_from_cache = true;
                break;
            }
        }
        assert!(
            served_from_cache,
            "a session read lately is served from the cache"
        );
        // A sign-out through the store forgets it at once.
        cached.delete(&id).await.expect("delete");
        assert!(
            cached.load(&id).await.expect("load").is_none(),
            "signed out: no cached session"
        );
    }
);

both!(
    a_role_changed_by_a_service_is_seen_at_once_by_a_cached_session,
    async |app: &TestApp| {
        use tower_sessions::SessionStore;
        let f = fixture(app).await;
        let r = app
            .client()
            .call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        let cookie = cookie_value(&session_cookie(&r).expect("cookie"));
        let key = cookie.trim_start_matches("bsp_session=").to_owned();
        let id: tower_sessions::session::Id = key.parse().expect("session id");
        let editor = app.signed_in(EDITOR_A, PW).await;
        let editor_id: app::domain::ids::UserId =
            serde_json::from_value(editor.call("session", &[]).await.json()["user"]["id"].clone())
                .expect("the editor's id");
        let cached = app::backend::session_store::DbSessionStore::new(
            app.state.db.clone(),
            app.state.session_users.clone(),
        )
        .with_cache(std::time::Duration::from_secs(60));
        let role_now = || async {
            cached
                .load(&id)
                .await
                .expect("load")
                .expect("a live session");
            let user = app
                .state
                .session_users
                .take(&key, editor_id)
                .expect("the user read with the session")
                .expect("may sign in");
            user.memberships
                .iter()
                .find(|m| m.tenant_id == f.a)
                .map(|m| m.role)
        };
        assert_eq!(
            role_now().await,
            Some(app::domain::roles::TenantRole::Editor)
        );
        // The owner makes the editor a viewer: the service's transaction wrote a membership, so
        // its commit empties the caches of user data; the cached session reads its user again.
        let owner = app.signed_in(OWNER_A, PW).await;
        let done = owner
            .call(
                "set_member_role",
                &[
                    ("tenant", &f.a.to_string()),
                    ("user", &editor_id.to_string()),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(
            role_now().await,
            Some(app::domain::roles::TenantRole::Viewer)
        );
    }
);

both!(
    every_page_has_a_content_security_policy_whose_nonce_is_on_each_script,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        for (s, path) in [(app.client(), "/sign-in"), (admin, "/tenants")] {
            let r = s.get(path).await;
            let csp = r
                .headers
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(csp.contains("object-src 'none'"), "{csp}");
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .expect("a nonce in the policy")
                .to_owned();
            assert!(nonce.len() >= 16, "{nonce}");
            let scripts: Vec<&str> = r.body.split("<script").skip(1).collect();
            assert!(!scripts.is_empty(), "{path} has scripts");
            for tag in scripts {
                let open = tag.split('>').next().unwrap_or_default();
                assert!(
                    open.contains(&format!("nonce=\"{nonce}\"")),
                    "{path}: a script without this answer's nonce: <script{open}>"
                );
            }
            // A fresh nonce per answer.
            let again = s.get(path).await;
            assert_ne!(
                again
                    .headers
                    .get("content-security-policy")
                    .and_then(|v| v.to_str().ok()),
                Some(csp.as_str())
            );
        }
    }
);
