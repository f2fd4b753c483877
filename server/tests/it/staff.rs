//! Staff management: admins invite staff by email, change roles, disable accounts; nobody
//! demotes or disables themselves.

use crate::{both, support::*};
use app::backend::services;
use chrono::TimeDelta;
use reqwest::StatusCode;

/// The accept link of the newest staff invitation to `to`, read from the outbox.
async fn staff_link(app: &TestApp, to: &str) -> String {
    let scope = app::backend::auth::system_scope(&app.state);
    let mut link = None;
    for e in services::outbox::claim(&scope, TimeDelta::minutes(1), 100)
        .await
        .expect("claim")
    {
        if let (
            true,
            Some(app::backend::outbox::EmailMessage::StaffInvitation { accept_url, .. }),
        ) = (e.recipient == to, &e.message)
        {
            link = Some(accept_url.clone());
        }
        services::outbox::sent(&scope, &e).await.expect("mark");
    }
    link.expect("a staff invitation email")
}

both!(
    an_admin_invites_a_reviewer_who_joins_the_staff,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let bad = admin
            .call("invite_staff", &[("email", OWNER_A), ("role", "root")])
            .await;
        assert_eq!(
            bad.json()["errors"],
            serde_json::json!([{"field": "role", "code": "invalid_role"}])
        );
        let taken = admin
            .call("invite_staff", &[("email", OWNER_A), ("role", "reviewer")])
            .await;
        assert_eq!(
            taken.json()["errors"],
            serde_json::json!([{"field": "email", "code": "already_taken"}])
        );
        let ok = admin
            .call(
                "invite_staff",
                &[("email", "Rita@BSP.test"), ("role", "reviewer")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let page = admin.call("get_staff", &[]).await.json();
        assert_eq!(page["invitations"][0]["email"], "rita@bsp.test");
        let link = staff_link(app, "rita@bsp.test").await;
        let token = link.rsplit('/').next().unwrap_or_default().to_owned();
        let guest = app.client();
        let p = guest
            .call("invite_preview", &[("token", &token)])
            .await
            .json();
        assert_eq!(
            p["role"],
            serde_json::json!({"kind": "staff", "role": "reviewer"})
        );
        let r = guest
            .call(
                "accept_invite",
                &[
                    ("token", &token),
                    ("name", "Rita"),
                    ("password", PW),
                    ("confirm", PW),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let me = guest.call("session", &[]).await.json();
        assert_eq!(
            (
                me["user"]["email"].as_str(),
                me["user"]["staff_role"].as_str()
            ),
            (Some("rita@bsp.test"), Some("reviewer"))
        );
        // Reviewers read tenants but do not manage staff.
        assert_eq!(guest.call("list_tenants", &[]).await.status, StatusCode::OK);
        assert_eq!(
            guest.call("get_staff", &[]).await.status,
            StatusCode::FORBIDDEN
        );
        let again = app
            .client()
            .call(
                "accept_invite",
                &[
                    ("token", &token),
                    ("name", "Eve"),
                    ("password", PW),
                    ("confirm", PW),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::GONE);
    }
);

both!(
    admins_change_roles_and_disable_staff_but_never_themselves,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let finance = app.signed_in(FINANCE, PW).await;
        let page = admin.call("get_staff", &[]).await.json();
        let id_of = |email: &str| {
            page["members"]
                .as_array()
                .and_then(|m| m.iter().find(|u| u["email"] == email))
                .map(|u| u["id"].as_str().unwrap_or("").to_owned())
                .unwrap_or_default()
        };
        let (me, fin) = (id_of(ADMIN), id_of(FINANCE));
        assert_eq!(
            admin
                .call("set_staff_role", &[("user", &me), ("role", "reviewer")])
                .await
                .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            admin
                .call("set_staff_disabled", &[("user", &me), ("disabled", "true")])
                .await
                .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            admin
                .call("set_staff_role", &[("user", &fin), ("role", "admin")])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            finance.call("get_staff", &[]).await.status,
            StatusCode::OK,
            "promoted on the next request"
        );
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
            "a disabled account is signed out"
        );
        let r = app
            .client()
            .call("sign_in", &[("email", FINANCE), ("password", PW)])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // A tenant user's id is not a staff member.
        let owner = services::users::add_tenant_user(
            &app::backend::auth::operator_scope(&app.state, "t"),
            fixture_tenant(app).await,
            "x@y.test",
            "x",
            PW,
            app::domain::roles::TenantRole::Viewer,
        )
        .await
        .expect("user");
        assert_eq!(
            admin
                .call(
                    "set_staff_role",
                    &[("user", &owner.to_string()), ("role", "admin")]
                )
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let audit = admin.call("list_audit", &[]).await.body;
        assert!(audit.contains("staff.role") && audit.contains("staff.disable"));
    }
);

async fn fixture_tenant(app: &TestApp) -> app::domain::ids::TenantId {
    services::tenants::create(
        &app::backend::auth::operator_scope(&app.state, "t"),
        &tenant_form("Gamma", "7777"),
    )
    .await
    .expect("tenant")
}
