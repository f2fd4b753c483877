//! Two-factor sign-in: enrolment, the second step (fresh codes only), recovery codes (once
//! each), the staff policy (enrol before anything else), an admin's reset.

use crate::{both, support::*};
use chrono::TimeDelta;
use reqwest::StatusCode;

/// The code an authenticator app shows for `secret` (base32) at the app's clock.
fn code(app: &TestApp, secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("base32 secret");
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp");
    totp.generate(u64::try_from(app.state.now().timestamp()).unwrap_or(0))
        .to_string()
}

async fn whoami(s: &Session) -> Option<String> {
    s.call("session", &[]).await.json()["user"]["email"]
        .as_str()
        .map(str::to_owned)
}

/// Enrols the signed-in `s`: returns the secret and the recovery codes.
async fn enrol(app: &TestApp, s: &Session) -> (String, Vec<String>) {
    let setup = s.call("begin_two_factor", &[]).await;
    assert_eq!(setup.status, StatusCode::OK, "{}", setup.body);
    let setup = setup.json();
    assert!(setup["qr_svg"].as_str().is_some_and(|q| q.contains("<svg")));
    assert!(setup["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("otpauth://totp/BSP%20Console")));
    let secret = setup["secret"].as_str().expect("secret").to_owned();
    let r = s
        .call("confirm_two_factor", &[("code", &code(app, &secret))])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let codes: Vec<String> =
        serde_json::from_str(&s.call("take_recovery_codes", &[]).await.body).expect("codes");
    (secret, codes)
}

both!(
    a_second_factor_takes_a_fresh_code_or_a_recovery_code_once,
    async |app: &TestApp| {
        fixture(app).await;
        let me = app.signed_in(EDITOR_A, PW).await;
        let setup = me.call("begin_two_factor", &[]).await.json();
        let secret = setup["secret"].as_str().expect("secret").to_owned();
        let wrong = me.call("confirm_two_factor", &[("code", "000000")]).await;
        assert_eq!(
            wrong.json()["errors"],
            serde_json::json!([{"field": "code", "code": "wrong_code"}])
        );
        // The secret is sealed in the database, not stored as it is.
        let stored = {
            use sea_orm::ConnectionTrait;
            let db = &app.state.db;
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT secret_sealed FROM user_totp".to_owned(),
            ))
            .await
            .expect("query")
            .and_then(|r| r.try_get::<String>("", "secret_sealed").ok())
            .unwrap_or_default()
        };
        assert!(stored.starts_with("v1:") && !stored.contains(&secret));
        let first = code(app, &secret);
        let r = me.call("confirm_two_factor", &[("code", &first)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let codes: Vec<String> =
            serde_json::from_str(&me.call("take_recovery_codes", &[]).await.body).expect("codes");
        assert_eq!(codes.len(), 10);
        let again: Vec<String> =
            serde_json::from_str(&me.call("take_recovery_codes", &[]).await.body).expect("codes");
        assert!(again.is_empty(), "shown once");

        // The password alone no longer signs in.
        let other = app.client();
        let r = other
            .call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("/sign-in/code"), "{}", r.body);
        assert_eq!(whoami(&other).await, None);
        // The code used at enrolment cannot be used again (same time step).
        let replay = other.call("sign_in_code", &[("code", &first)]).await;
        assert_eq!(
            replay.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            replay.body
        );
        app.advance(TimeDelta::seconds(30));
        let fresh = code(app, &secret);
        let r = other.call("sign_in_code", &[("code", &fresh)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(whoami(&other).await.as_deref(), Some(EDITOR_A));

        // A recovery code works once.
        let third = app.client();
        third
            .call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        let replay = third.call("sign_in_code", &[("code", &fresh)]).await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = third
            .call("sign_in_code", &[("code", &codes[3].to_uppercase())])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let fourth = app.client();
        fourth
            .call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        let r = fourth.call("sign_in_code", &[("code", &codes[3])]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let status = me.call("two_factor_status", &[]).await.json();
        assert_eq!(status["recovery_codes_left"], 9, "{status}");
        // The second step waits five minutes at most.
        let late = app.client();
        late.call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        app.advance(TimeDelta::minutes(6));
        let r = late
            .call("sign_in_code", &[("code", &code(app, &secret))])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // Without the policy requiring it, the user turns it off with their password.
        let r = me
            .call("disable_two_factor", &[("off_password", "not it")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = me.call("disable_two_factor", &[("off_password", PW)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.signed_in(EDITOR_A, PW).await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_enrol_before_anything_else_and_an_admin_resets_a_lost_factor() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.require_2fa = app::backend::state::TwoFactorPolicy::Staff;
    })
    .await;
    fixture(&app).await;
    // Tenant users are not concerned.
    let owner = app.signed_in(OWNER_A, PW).await;
    assert_eq!(whoami(&owner).await.as_deref(), Some(OWNER_A));
    // Staff are signed in for enrolment only.
    let rita = app.client();
    let r = rita
        .call("sign_in", &[("email", REVIEWER), ("password", PW)])
        .await;
    assert!(r.body.contains("/account/two-factor"), "{}", r.body);
    assert_eq!(whoami(&rita).await, None);
    assert_eq!(
        rita.call("session", &[]).await.json()["must_enrol"],
        serde_json::json!(true)
    );
    let q = rita.call("list_tenants", &[]).await;
    assert_eq!(q.status, StatusCode::UNAUTHORIZED);
    let page = rita.get("/review").await;
    assert!(
        page.status.is_redirection()
            && page.headers["location"]
                .to_str()
                .is_ok_and(|l| l.starts_with("/account/two-factor")),
        "{:?}",
        page.headers.get("location")
    );
    enrol(&app, &rita).await;
    assert_eq!(whoami(&rita).await.as_deref(), Some(REVIEWER));
    let r = rita
        .call("disable_two_factor", &[("off_password", PW)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "required of staff");

    // The reviewer loses their phone: an admin (with a second factor too) resets it.
    let admin = app.client();
    admin
        .call("sign_in", &[("email", ADMIN), ("password", PW)])
        .await;
    enrol(&app, &admin).await;
    let reviewer_id = rita.call("session", &[]).await.json()["user"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = admin
        .call("reset_two_factor", &[("user", &reviewer_id)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(whoami(&rita).await, None, "their sessions ended");
    let audit = admin.call("list_audit", &[]).await.body;
    assert!(audit.contains("user.two_factor_reset"), "{audit}");
    let again = app.client();
    let r = again
        .call("sign_in", &[("email", REVIEWER), ("password", PW)])
        .await;
    assert!(
        r.body.contains("/account/two-factor"),
        "enrol again: {}",
        r.body
    );
}
