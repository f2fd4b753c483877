//! One's own account: a forgotten password reset by email, a password changed with the
//! current one; both end the other sessions.

use crate::{both, support::*};
use chrono::TimeDelta;
use reqwest::StatusCode;

/// The reset link of the newest reset email to `to` (claimed from the outbox, as the sender
/// would), if any.
async fn reset_link(app: &TestApp, to: &str) -> Option<String> {
    let scope = app::backend::auth::system_scope(&app.state);
    let claimed = app::backend::services::outbox::claim(&scope, TimeDelta::minutes(1), 100)
        .await
        .expect("claim");
    let mut link = None;
    for e in claimed {
        if let (true, Some(app::backend::outbox::EmailMessage::PasswordReset { url, .. })) =
            (e.recipient == to, &e.message)
        {
            link = Some(url.clone());
        }
        app::backend::services::outbox::sent(&scope, &e)
            .await
            .expect("mark");
    }
    link
}

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap_or_default().to_owned()
}

async fn whoami(s: &Session) -> Option<String> {
    s.call("session", &[]).await.json()["user"]["email"]
        .as_str()
        .map(str::to_owned)
}

const NEW_PW: &str = "violet tram under seven bridges";

both!(
    a_forgotten_password_is_reset_once_by_email_and_every_session_ends,
    async |app: &TestApp| {
        fixture(app).await;
        let elsewhere = app.signed_in(OWNER_A, PW).await;
        let guest = app.client();
        let known = guest
            .call("request_password_reset", &[("email", OWNER_A)])
            .await;
        let unknown = guest
            .call("request_password_reset", &[("email", "nobody@a.test")])
            .await;
        assert_eq!(known.status, StatusCode::OK, "{}", known.body);
        assert_eq!((known.status, known.body), (unknown.status, unknown.body));
        assert!(!outbox(app)
            .await
            .iter()
            .any(|(_, to)| to == "nobody@a.test"));
        let link = reset_link(app, OWNER_A).await.expect("a reset email");
        assert!(
            link.starts_with(&format!("{}/reset-password/", app.base)),
            "{link}"
        );
        let token = token_of(&link);
        assert_eq!(token.len(), 64);
        assert_eq!(
            guest.call("reset_link", &[("token", &token)]).await.json(),
            serde_json::json!(true)
        );
        let wrong = guest
            .call(
                "reset_password",
                &[
                    ("token", &"0".repeat(64)),
                    ("password", NEW_PW),
                    ("confirm", NEW_PW),
                ],
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.code()),
            (StatusCode::GONE, "reset_link_invalid".to_owned())
        );
        let common = guest
            .call(
                "reset_password",
                &[
                    ("token", &token),
                    ("password", "password1234"),
                    ("confirm", "password1234"),
                ],
            )
            .await;
        assert_eq!(
            common.json()["errors"],
            serde_json::json!([{"field": "password", "code": "password_common"}])
        );
        let done = guest
            .call(
                "reset_password",
                &[("token", &token), ("password", NEW_PW), ("confirm", NEW_PW)],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        // Not signed in by the reset; every earlier session is gone.
        assert_eq!(whoami(&guest).await, None);
        assert_eq!(whoami(&elsewhere).await, None);
        // Single use.
        let again = guest
            .call(
                "reset_password",
                &[("token", &token), ("password", NEW_PW), ("confirm", NEW_PW)],
            )
            .await;
        assert_eq!(again.status, StatusCode::GONE);
        let old = app
            .client()
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        app.signed_in(OWNER_A, NEW_PW).await;
        // The owner is told, and the sent reset email no longer holds its link.
        assert!(outbox(app)
            .await
            .contains(&("password_changed".to_owned(), OWNER_A.to_owned())));
        let admin = app.signed_in(ADMIN, PW).await;
        let audit = admin.call("list_audit", &[]).await.body;
        assert!(audit.contains("user.password_reset"), "{audit}");
    }
);

both!(
    a_reset_link_expires_after_30_minutes_and_requests_are_throttled,
    async |app: &TestApp| {
        fixture(app).await;
        let guest = app.client();
        guest
            .call("request_password_reset", &[("email", EDITOR_A)])
            .await;
        let token = token_of(&reset_link(app, EDITOR_A).await.expect("a reset email"));
        app.advance(TimeDelta::minutes(31));
        assert_eq!(
            guest.call("reset_link", &[("token", &token)]).await.json(),
            serde_json::json!(false)
        );
        let late = guest
            .call(
                "reset_password",
                &[("token", &token), ("password", NEW_PW), ("confirm", NEW_PW)],
            )
            .await;
        assert_eq!(late.status, StatusCode::GONE);
        // Three emails per account per window, for known and unknown addresses alike.
        for who in [VIEWER_A, "nobody@a.test"] {
            for _ in 0..3 {
                let r = guest
                    .call("request_password_reset", &[("email", who)])
                    .await;
                assert_eq!(r.status, StatusCode::OK);
            }
            let r = guest
                .call("request_password_reset", &[("email", who)])
                .await;
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{who}");
        }
        // The account itself is not locked by reset requests.
        app.signed_in(VIEWER_A, PW).await;
    }
);

both!(
    changing_the_password_needs_the_current_one_and_ends_the_other_sessions,
    async |app: &TestApp| {
        fixture(app).await;
        let here = app.signed_in(EDITOR_A, PW).await;
        let there = app.signed_in(EDITOR_A, PW).await;
        let wrong = here
            .call(
                "change_password",
                &[
                    ("current", "not it at all"),
                    ("password", NEW_PW),
                    ("confirm", NEW_PW),
                ],
            )
            .await;
        assert_eq!(
            wrong.json()["errors"],
            serde_json::json!([{"field": "current", "code": "wrong_password"}])
        );
        let mine = here
            .call(
                "change_password",
                &[
                    ("current", PW),
                    ("password", EDITOR_A),
                    ("confirm", EDITOR_A),
                ],
            )
            .await;
        assert_eq!(
            mine.json()["errors"],
            serde_json::json!([{"field": "password", "code": "password_common"}]),
            "the email as password"
        );
        let ok = here
            .call(
                "change_password",
                &[("current", PW), ("password", NEW_PW), ("confirm", NEW_PW)],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(whoami(&here).await.as_deref(), Some(EDITOR_A));
        assert_eq!(whoami(&there).await, None);
        app.signed_in(EDITOR_A, NEW_PW).await;
        assert!(outbox(app)
            .await
            .contains(&("password_changed".to_owned(), EDITOR_A.to_owned())));
    }
);

both!(
    a_user_sees_their_sessions_and_ends_one_or_all_others,
    async |app: &TestApp| {
        fixture(app).await;
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let laptop = app.client();
        let r = laptop
            .client
            .post(format!("{}/api/sign_in", app.base))
            .header("origin", &app.base)
            .header("user-agent", firefox)
            .form(&[("email", VIEWER_A), ("password", PW)])
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), StatusCode::OK);
        let laptop_cookie: String = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("bsp_session="))
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
            .expect("a session cookie");
        let phone = app.signed_in(VIEWER_A, PW).await;
        let tablet = app.signed_in(VIEWER_A, PW).await;
        let list = phone.call("list_my_sessions", &[]).await.json();
        let rows = list.as_array().cloned().unwrap_or_default();
        assert_eq!(rows.len(), 3, "{list}");
        assert_eq!(rows.iter().filter(|s| s["current"] == true).count(), 1);
        let on_laptop = rows
            .iter()
            .find(|s| s["device"] == "Firefox on Linux")
            .expect("the laptop's session, named from its user agent");
        assert_eq!(on_laptop["place"], "127.0.0.1");
        // The handle is not the session id (the cookie's secret).
        let handle = on_laptop["handle"].as_str().unwrap_or_default().to_owned();
        assert!(
            handle.len() == 32 && !laptop_cookie.contains(&handle),
            "{handle}"
        );
        // Another user cannot end it.
        let other = app.signed_in(OWNER_A, PW).await;
        let r = other.call("end_session", &[("handle", &handle)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = phone.call("end_session", &[("handle", &handle)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(whoami(&laptop).await, None);
        assert_eq!(whoami(&tablet).await.as_deref(), Some(VIEWER_A));
        let r = phone.call("end_other_sessions", &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(whoami(&tablet).await, None);
        assert_eq!(whoami(&phone).await.as_deref(), Some(VIEWER_A));
        let left = phone.call("list_my_sessions", &[]).await.json();
        assert_eq!(left.as_array().map(Vec::len), Some(1), "{left}");
    }
);

both!(
    a_session_ends_twelve_hours_after_sign_in_however_active,
    async |app: &TestApp| {
        fixture(app).await;
        let s = app.signed_in(EDITOR_A, PW).await;
        for _ in 0..5 {
            app.advance(TimeDelta::hours(2));
            assert_eq!(whoami(&s).await.as_deref(), Some(EDITOR_A));
        }
        app.advance(TimeDelta::hours(2));
        assert_eq!(whoami(&s).await, None);
    }
);
