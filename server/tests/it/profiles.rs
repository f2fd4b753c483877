//! Business profiles: editors save (every rule checked on the server), viewers and other
//! tenants are refused, a stale save is refused, history and restore work.

use crate::{both, support::*};
use reqwest::StatusCode;

pub async fn phone_of_a(app: &TestApp, f: &Fixture) -> String {
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let form = app::domain::tenant::PhoneNumberForm {
        number: "+44 7400 123456".into(),
        phone_number_id: "106540352242922".into(),
        display_name: "Alpha Bakery".into(),
    };
    app::backend::services::tenants::add_phone_number(&op, f.a, "", &form)
        .await
        .expect("phone")
        .to_string()
}

fn save_args<'a>(
    tenant: &'a str,
    number: &'a str,
    version: &'a str,
    about: &'a str,
    website1: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("tenant", tenant),
        ("number", number),
        ("version", version),
        ("about", about),
        ("address", "1 High Street, Leeds"),
        ("description", ""),
        ("email", "hello@alpha.example"),
        ("website1", website1),
        ("website2", ""),
        ("vertical", "GROCERY"),
        ("hours[0]", "08:00-12:00, 13:00-18:00"),
        ("hours[6]", "closed"),
    ]
}

both!(
    editors_save_profiles_with_every_rule_checked_and_history_kept,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let n = phone_of_a(app, &f).await;
        let editor = app.signed_in(EDITOR_A, PW).await;
        let d = editor
            .call("get_profile", &[("tenant", &a), ("number", &n)])
            .await
            .json();
        assert_eq!(
            (
                d["version"].as_i64(),
                d["can_edit"].as_bool(),
                d["sync_status"].as_str()
            ),
            (Some(0), Some(true), Some("not_synced"))
        );
        // Invalid: every problem comes back naming its field; nothing is saved.
        let long = "🥖".repeat(140);
        let r = editor
            .call(
                "save_profile",
                &save_args(&a, &n, "0", &long, "alpha.example"),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "profile_invalid".to_owned()
            ),
            "{}",
            r.body
        );
        let errors = r.json()["errors"].clone();
        assert_eq!(
            errors[0],
            serde_json::json!({"field": "about", "rule": {"kind": "too_long", "max": 139, "actual": 140}})
        );
        assert_eq!(
            errors[1],
            serde_json::json!({"field": "website1", "rule": {"kind": "scheme_missing"}})
        );
        assert_eq!(
            editor
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["version"],
            0
        );
        // Valid: version 1, then 2.
        assert_eq!(
            editor
                .call(
                    "save_profile",
                    &save_args(&a, &n, "0", "Fresh bread daily", "https://alpha.example")
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            editor
                .call(
                    "save_profile",
                    &save_args(
                        &a,
                        &n,
                        "1",
                        "Fresh bread and cakes daily",
                        "https://alpha.example"
                    )
                )
                .await
                .status,
            StatusCode::OK
        );
        // A second tab still on version 1 is refused; nothing is overwritten.
        let r = editor
            .call(
                "save_profile",
                &save_args(&a, &n, "1", "Stale text", "https://alpha.example"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let d = editor
            .call("get_profile", &[("tenant", &a), ("number", &n)])
            .await
            .json();
        assert_eq!(
            (
                d["version"].as_i64(),
                d["form"]["about"].as_str(),
                d["form"]["hours"][0].as_str()
            ),
            (
                Some(2),
                Some("Fresh bread and cakes daily"),
                Some("08:00-12:00, 13:00-18:00")
            )
        );
        assert_eq!(
            d["history"][0]["changes"],
            serde_json::json!([["about", "Fresh bread daily", "Fresh bread and cakes daily"]])
        );
        // Restore version 1: it becomes version 3.
        assert_eq!(
            editor
                .call(
                    "restore_profile",
                    &[
                        ("tenant", &a),
                        ("number", &n),
                        ("version", "2"),
                        ("restore", "1")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        let d = editor
            .call("get_profile", &[("tenant", &a), ("number", &n)])
            .await
            .json();
        assert_eq!(
            (d["version"].as_i64(), d["form"]["about"].as_str()),
            (Some(3), Some("Fresh bread daily"))
        );
        assert_eq!(
            editor
                .call(
                    "restore_profile",
                    &[
                        ("tenant", &a),
                        ("number", &n),
                        ("version", "2"),
                        ("restore", "1")
                    ]
                )
                .await
                .status,
            StatusCode::CONFLICT,
            "stale restore"
        );
        // Viewers read only; another tenant's owner sees nothing.
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(
            viewer
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["can_edit"],
            false
        );
        assert_eq!(
            viewer
                .call("save_profile", &save_args(&a, &n, "3", "Viewer edit", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(
            other
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let b = f.b.to_string();
        assert_eq!(
            other
                .call("get_profile", &[("tenant", &b), ("number", &n)])
                .await
                .status,
            StatusCode::NOT_FOUND,
            "A's number through B"
        );
        assert_eq!(
            other
                .call("save_profile", &save_args(&b, &n, "3", "Hijack", ""))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

both!(
    the_policy_checklist_refuses_non_human_escalation_and_feeds_the_badge,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let owner = app.signed_in(OWNER_A, PW).await;
        let d = owner.call("get_checklist", &[("tenant", &a)]).await.json();
        assert_eq!(
            (d["complete"].as_bool(), d["can_edit"].as_bool()),
            (Some(false), Some(true))
        );
        let base = [
            ("tenant", a.as_str()),
            ("other", ""),
            ("consent_record", "Signup form archive"),
            ("opt_in[1]", "web_form"),
        ];
        // Only a social-media page and an app link: refused, with the reason, nothing saved.
        let mut only_social = base.to_vec();
        only_social.extend([
            ("escalation[5]", "social_media_page"),
            ("escalation[7]", "app_link"),
        ]);
        let r = owner.call("save_checklist", &only_social).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "escalation", "rule": {"kind": "no_human_escalation"}})
        );
        // Without any escalation path it saves, incomplete.
        assert_eq!(
            owner.call("save_checklist", &base).await.status,
            StatusCode::OK
        );
        assert_eq!(
            owner.call("get_checklist", &[("tenant", &a)]).await.json()["complete"],
            false
        );
        let admin = app.signed_in(ADMIN, PW).await;
        let complete_in_list = async || {
            let l = admin
                .call(
                    "list_tenants",
                    &[("q", "Alpha"), ("status", ""), ("page", "1")],
                )
                .await
                .json();
            l["rows"][0]["compliance_complete"].as_bool()
        };
        assert_eq!(complete_in_list().await, Some(false));
        let mut full = base.to_vec();
        full.extend([
            ("escalation[1]", "phone_number"),
            ("escalation[5]", "social_media_page"),
        ]);
        assert_eq!(
            owner.call("save_checklist", &full).await.status,
            StatusCode::OK
        );
        let d = owner.call("get_checklist", &[("tenant", &a)]).await.json();
        assert_eq!(
            (d["complete"].as_bool(), d["form"]["escalation"].clone()),
            (
                Some(true),
                serde_json::json!(["phone_number", "social_media_page"])
            )
        );
        assert_eq!(complete_in_list().await, Some(true));
        // Viewers read; reviewers read; another tenant sees nothing.
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(
            viewer.call("save_checklist", &full).await.status,
            StatusCode::FORBIDDEN
        );
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(
            other.call("get_checklist", &[("tenant", &a)]).await.status,
            StatusCode::NOT_FOUND
        );
    }
);
