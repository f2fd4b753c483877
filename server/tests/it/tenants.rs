//! Tenant onboarding through the HTTP API: validation, uniqueness, phone numbers,
//! invitations (accept, resend, revoke, expiry), listing, audit.

use crate::{both, support::*};
use app::backend::{repo, services};
use chrono::TimeDelta;
use reqwest::StatusCode;

fn create_form<'a>(name: &'a str, waba: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("legal_name", "Gamma Trading GmbH"),
        ("display_name", name),
        ("country", "de"),
        ("locale", "en"),
        ("billing_email", "billing@gamma.test"),
        ("alert_emails", "ops@gamma.test, cto@gamma.test"),
        ("currency", "eur"),
        ("account_manager", ""),
        ("waba_id", waba),
    ]
}

async fn tenant_count(app: &TestApp) -> u64 {
    services::tenants::list(
        &app::backend::auth::operator_scope(&app.state, "test"),
        "",
        None,
        1,
    )
    .await
    .map(|p| p.total)
    .unwrap_or(0)
}

/// The accept link of the newest invitation email to `to`, read from the outbox.
pub async fn invite_link(app: &TestApp, to: &str) -> String {
    let scope = app::backend::auth::system_scope(&app.state);
    let claimed = services::outbox::claim(&scope, TimeDelta::minutes(1), 100)
        .await
        .expect("claim");
    let mut link = None;
    for e in claimed {
        if e.recipient == to {
            if let Some(app::backend::outbox::EmailMessage::Invitation { accept_url, .. }) =
                &e.message
            {
                link = Some(accept_url.clone());
            }
        }
        services::outbox::sent(&scope, &e).await.expect("mark");
    }
    link.expect("an invitation email")
}

both!(
    staff_create_a_tenant_and_see_it_listed,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin
            .call("create_tenant", &create_form("Gamma", "3003"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let list = admin.call("list_tenants", &[("q", "gAmMa")]).await.json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["rows"][0]["display_name"], "Gamma");
        assert_eq!(list["rows"][0]["country"], "DE");
        let id = list["rows"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let d = admin.call("get_tenant", &[("id", &id)]).await.json();
        assert_eq!(d["currency"], "EUR");
        assert_eq!(
            d["alert_emails"],
            serde_json::json!(["ops@gamma.test", "cto@gamma.test"])
        );
        assert_eq!(d["wabas"][0]["waba_id"], "3003");
        let audit = admin.call("list_audit", &[]).await.json();
        assert!(
            audit.as_array().is_some_and(|a| a
                .iter()
                .any(|e| e["action"] == "tenant.create" && e["actor"] == ADMIN)),
            "{audit}"
        );
    }
);

both!(
    bad_tenant_input_reports_every_field_and_saves_nothing,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let before = tenant_count(app).await;
        let r = admin
            .call(
                "create_tenant",
                &[
                    ("legal_name", ""),
                    ("display_name", "X"),
                    ("country", "ZZ"),
                    ("locale", "de"),
                    ("billing_email", "nope"),
                    ("alert_emails", "a@b.test, bad"),
                    ("currency", "XYZ1"),
                    ("account_manager", ""),
                    ("waba_id", "12ab"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), "validation");
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            fields,
            [
                "legal_name",
                "country",
                "locale",
                "billing_email",
                "alert_emails",
                "currency",
                "waba_id"
            ]
        );
        // A missing argument is a precise 4xx too, never a 500.
        let r = admin
            .call("create_tenant", &[("legal_name", "only this")])
            .await;
        assert!(r.status.is_client_error(), "{}", r.status);
        assert_eq!(tenant_count(app).await, before);
    }
);

both!(a_waba_cannot_be_registered_twice, async |app: &TestApp| {
    fixture(app).await;
    let admin = app.signed_in(ADMIN, PW).await;
    let r = admin
        .call("create_tenant", &create_form("Gamma", "1001"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"][0],
        serde_json::json!({"field": "waba_id", "code": "already_taken"})
    );
    let r = admin
        .call(
            "create_tenant",
            &[
                ("account_manager", "0192a000-0000-7000-8000-000000000000"),
                ("legal_name", "L"),
                ("display_name", "D"),
                ("country", "FR"),
                ("locale", "fr"),
                ("billing_email", "b@x.test"),
                ("alert_emails", "a@x.test"),
                ("currency", "EUR"),
                ("waba_id", "9"),
            ],
        )
        .await;
    assert_eq!(r.json()["errors"][0]["field"], "account_manager");
});

both!(
    phone_numbers_are_validated_normalised_and_unique,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let a = f.a.to_string();
        let ok = admin
            .call(
                "add_phone_number",
                &[
                    ("tenant", &a),
                    ("waba", ""),
                    ("number", "+44 20 7946 0958"),
                    ("phone_number_id", "555"),
                    ("display_name", "Alpha UK"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let d = admin.call("get_tenant", &[("id", &a)]).await.json();
        assert_eq!(d["phone_numbers"][0]["number"], "+442079460958");
        assert_eq!(d["phone_numbers"][0]["country"], "GB");
        let dup = admin
            .call(
                "add_phone_number",
                &[
                    ("tenant", &f.b.to_string()),
                    ("waba", ""),
                    ("number", "+442079460958"),
                    ("phone_number_id", "555"),
                    ("display_name", "Beta"),
                ],
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            dup.json()["errors"],
            serde_json::json!([{"field": "number", "code": "already_taken"}, {"field": "phone_number_id", "code": "already_taken"}])
        );
        let bad = admin
            .call(
                "add_phone_number",
                &[
                    ("tenant", &a),
                    ("waba", "not-a-waba"),
                    ("number", "0612"),
                    ("phone_number_id", "x"),
                    ("display_name", ""),
                ],
            )
            .await;
        let fields: Vec<String> = bad.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            fields,
            ["number", "phone_number_id", "display_name", "waba"]
        );
        let d = admin.call("get_tenant", &[("id", &a)]).await.json();
        assert_eq!(d["phone_numbers"].as_array().map(Vec::len), Some(1));
    }
);

both!(
    an_invited_owner_sets_a_password_once_and_signs_in,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let a = f.a.to_string();
        let r = admin
            .call(
                "invite_user",
                &[
                    ("tenant", &a),
                    ("email", "New.Owner@A.test"),
                    ("role", "owner"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let link = invite_link(app, "new.owner@a.test").await;
        let token = link.rsplit('/').next().unwrap_or_default().to_owned();
        assert!(link.starts_with(&app.base) && token.len() == 64, "{link}");

        let guest = app.client();
        let p = guest
            .call("invite_preview", &[("token", &token)])
            .await
            .json();
        assert_eq!(
            (
                p["email"].as_str(),
                p["role"]["role"].as_str(),
                p["existing_account"].as_bool()
            ),
            (Some("new.owner@a.test"), Some("owner"), Some(false))
        );
        let weak = guest
            .call(
                "accept_invite",
                &[
                    ("token", &token),
                    ("name", ""),
                    ("password", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(
            weak.json()["errors"],
            serde_json::json!([{"field": "name", "code": "required"}, {"field": "password", "code": "password_too_short"}])
        );
        let ok = guest
            .call(
                "accept_invite",
                &[
                    ("token", &token),
                    ("name", "Nora"),
                    ("password", PW),
                    ("confirm", PW),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let me = guest.call("session", &[]).await.json();
        assert_eq!(me["user"]["email"], "new.owner@a.test");
        assert_eq!(me["user"]["memberships"][0]["role"], "owner");
        // Single use.
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
        assert_eq!(
            (again.status, again.code().as_str()),
            (StatusCode::GONE, "invitation_invalid")
        );
        app.signed_in("new.owner@a.test", PW).await;
    }
);

both!(
    invitations_expire_after_72_hours_and_resend_renews_them,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        owner
            .call(
                "invite_user",
                &[("tenant", &a), ("email", "late@a.test"), ("role", "viewer")],
            )
            .await;
        let old = invite_link(app, "late@a.test").await;
        let old_token = old.rsplit('/').next().unwrap_or_default().to_owned();
        app.advance(TimeDelta::hours(73));
        let r = app
            .client()
            .call("invite_preview", &[("token", &old_token)])
            .await;
        assert_eq!(r.code(), "invitation_invalid");
        let owner = app.signed_in(OWNER_A, PW).await;
        let d = owner.call("get_tenant", &[("id", &a)]).await.json();
        let inv = d["invitations"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let r = owner
            .call("resend_invitation", &[("tenant", &a), ("invitation", &inv)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let new = invite_link(app, "late@a.test").await;
        assert_ne!(new, old);
        let token = new.rsplit('/').next().unwrap_or_default().to_owned();
        assert_eq!(
            app.client()
                .call("invite_preview", &[("token", &token)])
                .await
                .status,
            StatusCode::OK
        );
        let r = owner
            .call("revoke_invitation", &[("tenant", &a), ("invitation", &inv)])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            app.client()
                .call("invite_preview", &[("token", &token)])
                .await
                .code(),
            "invitation_invalid"
        );
    }
);

both!(
    owners_invite_editors_and_viewers_but_not_owners,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let r = owner
            .call(
                "invite_user",
                &[("tenant", &a), ("email", "boss@a.test"), ("role", "owner")],
            )
            .await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "role", "code": "invalid_role"})
        );
        let r = owner
            .call(
                "invite_user",
                &[("tenant", &a), ("email", EDITOR_A), ("role", "viewer")],
            )
            .await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "email", "code": "already_taken"})
        );
        let r = owner
            .call(
                "invite_user",
                &[("tenant", &a), ("email", "ed@a.test"), ("role", "editor")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let audit = owner.call("list_audit", &[]).await.json();
        assert!(audit.as_array().is_some_and(|l| l
            .iter()
            .any(|e| e["action"] == "invitation.create" && e["actor"] == OWNER_A)));
    }
);

both!(
    the_tenant_list_filters_by_status_and_paginates,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let op = app::backend::auth::operator_scope(&app.state, "test");
        for i in 0..30 {
            services::tenants::create(
                &op,
                &tenant_form(&format!("Bulk {i:02}"), &format!("9{i:03}")),
            )
            .await
            .expect("tenant");
        }
        let admin = app.signed_in(ADMIN, PW).await;
        admin
            .call(
                "set_tenant_status",
                &[("id", &f.b.to_string()), ("status", "suspended")],
            )
            .await;
        let p1 = admin.call("list_tenants", &[]).await.json();
        assert_eq!(
            (
                p1["total"].as_u64(),
                p1["pages"].as_u64(),
                p1["rows"].as_array().map(Vec::len)
            ),
            (Some(32), Some(2), Some(25))
        );
        let p2 = admin.call("list_tenants", &[("page", "2")]).await.json();
        assert_eq!(p2["rows"].as_array().map(Vec::len), Some(7));
        let s = admin
            .call("list_tenants", &[("status", "suspended")])
            .await
            .json();
        assert_eq!(
            (s["total"].as_u64(), s["rows"][0]["display_name"].as_str()),
            (Some(1), Some("Beta"))
        );
        let q = admin.call("list_tenants", &[("q", "bulk 1")]).await.json();
        assert_eq!(q["total"], 10);
        let _ = repo::tenants::exists(&app.state.db, f.a).await;
    }
);

both!(
    staff_edit_a_tenants_details_with_validation_and_an_audit_trail,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let a = f.a.to_string();
        let before = admin.call("get_tenant", &[("id", &a)]).await.json();
        let bad = admin
            .call(
                "update_tenant",
                &[
                    ("id", &a),
                    ("legal_name", "Alpha Holdings plc"),
                    ("display_name", "Alpha"),
                    ("country", "UK"),
                    ("locale", "fr"),
                    ("billing_email", "finance@alpha.test"),
                    ("alert_emails", "noc@alpha.test"),
                    ("currency", "GBP"),
                    ("account_manager", ""),
                ],
            )
            .await;
        assert_eq!(
            bad.json()["errors"],
            serde_json::json!([{"field": "country", "code": "invalid_country"}])
        );
        assert_eq!(
            admin.call("get_tenant", &[("id", &a)]).await.json(),
            before,
            "nothing changed"
        );
        let ok = admin
            .call(
                "update_tenant",
                &[
                    ("id", &a),
                    ("legal_name", "Alpha Holdings plc"),
                    ("display_name", "Alpha"),
                    ("country", "IE"),
                    ("locale", "fr"),
                    ("billing_email", "finance@alpha.test"),
                    ("alert_emails", "noc@alpha.test"),
                    ("currency", "EUR"),
                    ("account_manager", ""),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let d = admin.call("get_tenant", &[("id", &a)]).await.json();
        assert_eq!(
            (
                d["legal_name"].as_str(),
                d["country"].as_str(),
                d["currency"].as_str(),
                d["locale"].as_str()
            ),
            (
                Some("Alpha Holdings plc"),
                Some("IE"),
                Some("EUR"),
                Some("fr")
            )
        );
        assert_eq!(d["wabas"], before["wabas"], "WhatsApp assets are untouched");
        let audit = admin.call("list_audit", &[]).await.json();
        let entry = audit
            .as_array()
            .and_then(|l| l.iter().find(|e| e["action"] == "tenant.update").cloned())
            .unwrap_or_default();
        assert!(
            entry["before"]
                .as_str()
                .is_some_and(|b| b.contains("\"GB\""))
                && entry["after"]
                    .as_str()
                    .is_some_and(|a| a.contains("\"IE\"")),
            "{entry}"
        );
        // Search follows the new name.
        assert_eq!(
            admin
                .call("list_tenants", &[("q", "holdings")])
                .await
                .json()["total"],
            1
        );
    }
);

both!(
    owners_manage_their_members_but_never_lose_the_last_owner,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = async |email: &str| {
            app::backend::repo::users::find_by_email(&app.state.db, email)
                .await
                .expect("db")
                .map(|u| u.id.to_string())
                .unwrap_or_default()
        };
        let (owner_id, editor_id, viewer_id) =
            (id(OWNER_A).await, id(EDITOR_A).await, id(VIEWER_A).await);
        let owner = app.signed_in(OWNER_A, PW).await;
        let role_of = async |uid: &str| {
            let d = owner.call("get_tenant", &[("id", &a)]).await.json();
            d["members"].as_array().and_then(|m| {
                m.iter()
                    .find(|x| x["user_id"] == uid)
                    .map(|x| x["role"].as_str().unwrap_or("").to_owned())
            })
        };
        assert_eq!(
            owner
                .call(
                    "set_member_role",
                    &[("tenant", &a), ("user", &viewer_id), ("role", "editor")]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(role_of(&viewer_id).await.as_deref(), Some("editor"));
        let r = owner
            .call(
                "set_member_role",
                &[("tenant", &a), ("user", &viewer_id), ("role", "owner")],
            )
            .await;
        assert_eq!(
            r.json()["errors"][0]["code"],
            "invalid_role",
            "only staff make owners"
        );
        let r = owner
            .call(
                "set_member_role",
                &[("tenant", &a), ("user", &owner_id), ("role", "viewer")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "not oneself");
        // Each conflict says why, with a stable code the interface words.
        assert_eq!(
            (r.code().as_str(), r.json()["reason"].as_str()),
            ("conflict", Some("own_account")),
            "{}",
            r.body
        );
        assert_eq!(
            owner
                .call("remove_member", &[("tenant", &a), ("user", &editor_id)])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(role_of(&editor_id).await, None);
        let editor = app
            .client()
            .call("sign_in", &[("email", EDITOR_A), ("password", PW)])
            .await;
        assert_eq!(
            editor.code(),
            "suspended",
            "no tenant left: the account cannot sign in"
        );
        // Staff may demote an owner, but not the last one.
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin
            .call(
                "set_member_role",
                &[("tenant", &a), ("user", &owner_id), ("role", "viewer")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["reason"], "last_owner", "{}", r.body);
        assert_eq!(
            admin
                .call("remove_member", &[("tenant", &a), ("user", &owner_id)])
                .await
                .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            admin
                .call(
                    "set_member_role",
                    &[("tenant", &a), ("user", &viewer_id), ("role", "owner")]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            admin
                .call(
                    "set_member_role",
                    &[("tenant", &a), ("user", &owner_id), ("role", "viewer")]
                )
                .await
                .status,
            StatusCode::OK
        );
        // Another tenant's member is not found here.
        let b_owner = id(OWNER_B).await;
        assert_eq!(
            admin
                .call("remove_member", &[("tenant", &a), ("user", &b_owner)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let audit = admin.call("list_audit", &[]).await.body;
        assert!(audit.contains("membership.role") && audit.contains("membership.remove"));
    }
);

// A stored status this version cannot read is an error with a reference (logged with its
// row), never read as "active": a suspended tenant must not come back by accident.
both!(
    an_unreadable_stored_tenant_status_is_an_error_not_active,
    async |app: &TestApp| {
        use sea_orm::{ConnectionTrait, Statement};
        let f = fixture(app).await;
        let db = &app.state.db;
        // (By name: ids are stored as bytes on SQLite.)
        let sql = "UPDATE tenants SET status = 'archived_by_hand' WHERE display_name = 'Alpha'";
        let done = db
            .execute_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("update");
        assert_eq!(done.rows_affected(), 1);
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin.call("get_tenant", &[("id", &f.a.to_string())]).await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        assert_eq!(r.code(), "internal");
        // The other tenant reads as before.
        let r = admin.call("get_tenant", &[("id", &f.b.to_string())]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
);

both!(
    inviting_again_with_another_role_gives_that_role,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        for role in ["viewer", "editor"] {
            let r = owner
                .call(
                    "invite_user",
                    &[("tenant", &a), ("email", "twice@a.test"), ("role", role)],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let d = owner.call("get_tenant", &[("id", &a)]).await.json();
        let pending: Vec<_> = d["invitations"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|i| i["email"] == "twice@a.test")
                    .map(|i| i["role"].clone())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(pending, [serde_json::json!("editor")], "{d}");
        let link = invite_link(app, "twice@a.test").await;
        let token = link.rsplit('/').next().unwrap_or_default().to_owned();
        let preview = app
            .client()
            .call("invite_preview", &[("token", &token)])
            .await
            .json();
        assert_eq!(preview["role"]["role"], "editor", "{preview}");
    }
);
