//! Two tenants: whatever the other tenant's owner tries, they see nothing of tenant A and
//! change nothing in it.

use crate::{both, support::*};
use reqwest::StatusCode;

both!(
    another_tenants_owner_sees_nothing_and_changes_nothing,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let a = f.a.to_string();
        let r = admin
            .call(
                "add_phone_number",
                &[
                    ("tenant", &a),
                    ("waba", ""),
                    ("number", "+447400123456"),
                    ("phone_number_id", "4242"),
                    ("display_name", "Alpha"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = admin
            .call(
                "invite_user",
                &[
                    ("tenant", &a),
                    ("email", "pending@a.test"),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let before = admin.call("get_tenant", &[("id", &a)]).await.body;
        let inv = serde_json::from_str::<serde_json::Value>(&before).unwrap_or_default()
            ["invitations"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();

        let b = app.signed_in(OWNER_B, PW).await;
        for (endpoint, args) in [
            ("get_tenant", vec![("id", a.as_str())]),
            (
                "invite_user",
                vec![
                    ("tenant", a.as_str()),
                    ("email", "mole@b.test"),
                    ("role", "viewer"),
                ],
            ),
            (
                "resend_invitation",
                vec![("tenant", a.as_str()), ("invitation", inv.as_str())],
            ),
            (
                "revoke_invitation",
                vec![("tenant", a.as_str()), ("invitation", inv.as_str())],
            ),
            ("switch_tenant", vec![("tenant_id", a.as_str())]),
        ] {
            let r = b.call(endpoint, &args).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{endpoint}: {}", r.body);
            assert!(
                !r.body.contains("Alpha") && !r.body.contains("4242"),
                "{endpoint} leaked: {}",
                r.body
            );
        }
        // B's own invitation id used against B's tenant with A's id is not found either.
        let r = b
            .call(
                "resend_invitation",
                &[("tenant", &f.b.to_string()), ("invitation", &inv)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let page = b.get(&format!("/tenants/{a}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Alpha Ltd") && !page.body.contains("+447400123456"));
        let r = b.call("list_audit", &[("tenant", &a)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let audit = b.call("list_audit", &[]).await;
        assert!(
            !audit.body.contains(&a) && !audit.body.contains("Alpha"),
            "{}",
            audit.body
        );
        let own = b.call("get_tenant", &[("id", &f.b.to_string())]).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(!own.body.contains("Alpha") && !own.body.contains("pending@a.test"));
        // Staff can narrow the audit log to one tenant.
        let only_a = admin.call("list_audit", &[("tenant", &a)]).await.json();
        let rows = only_a.as_array().cloned().unwrap_or_default();
        assert!(
            !rows.is_empty() && rows.iter().all(|e| e["tenant"] == "Alpha"),
            "{only_a}"
        );
        let after = admin.call("get_tenant", &[("id", &a)]).await.body;
        assert_eq!(before, after, "tenant A changed");
    }
);

both!(
    a_user_of_two_tenants_switches_between_them_and_sees_each_one,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let op = app::backend::auth::operator_scope(&app.state, "test");
        app::backend::services::users::add_tenant_user(
            &op,
            f.b,
            OWNER_A,
            "",
            PW,
            app::domain::roles::TenantRole::Viewer,
        )
        .await
        .expect("second membership");
        let s = app.signed_in(OWNER_A, PW).await;
        let me = s.call("session", &[]).await.json();
        assert_eq!(me["user"]["memberships"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            s.call("switch_tenant", &[("tenant_id", &f.b.to_string())])
                .await
                .status,
            StatusCode::OK
        );
        let me = s.call("session", &[]).await.json();
        assert_eq!(me["user"]["active_tenant"], f.b.to_string());
        // As a viewer of B they cannot invite there, while still owning A.
        let r = s
            .call(
                "invite_user",
                &[
                    ("tenant", &f.b.to_string()),
                    ("email", "x@b.test"),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = s
            .call(
                "invite_user",
                &[
                    ("tenant", &f.a.to_string()),
                    ("email", "x@a.test"),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
);

both!(
    another_tenants_object_ids_under_ones_own_tenant_are_not_found,
    async |app: &TestApp| {
        // Every kind of object with an id in a URL (template, number, domain), asked for by
        // tenant B's owner under B's own tenant id — the scope B holds — with A's ids.
        let f = fixture(app).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let number = crate::profiles::phone_of_a(app, &f).await;
        let owner_a = app.signed_in(OWNER_A, PW).await;
        let created = owner_a
            .call(
                "create_template",
                &[
                    ("tenant", &a),
                    ("name", "alpha_secret"),
                    ("language", "en-US"),
                    ("category", "utility"),
                    ("header", ""),
                    ("body", "Hello {{1}}, your Alpha order has shipped today."),
                    ("footer", ""),
                    ("examples", "Ana"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let template = owner_a
            .call("list_templates", &[("tenant", &a)])
            .await
            .json()[0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let declared = owner_a
            .call(
                "declare_domain",
                &[("tenant", &a), ("domain", "alpha.example")],
            )
            .await;
        assert_eq!(declared.status, StatusCode::OK, "{}", declared.body);
        let domain = owner_a.call("list_domains", &[("tenant", &a)]).await.json()[0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(!template.is_empty() && !domain.is_empty());
        // Tenant A's objects as A's owner reads them.
        let snapshot = async || {
            let mut out = Vec::new();
            for (endpoint, args) in [
                ("get_template", [("tenant", &a), ("id", &template)].to_vec()),
                ("list_domains", [("tenant", &a)].to_vec()),
                (
                    "get_profile",
                    [("tenant", &a), ("number", &number)].to_vec(),
                ),
            ] {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                out.push(owner_a.call(endpoint, &args).await.body);
            }
            out
        };
        let before = snapshot().await;

        let owner_b = app.signed_in(OWNER_B, PW).await;
        let t = template.as_str();
        for (endpoint, args) in [
            ("get_template", vec![("id", t)]),
            ("template_history", vec![("id", t)]),
            ("template_health", vec![("id", t)]),
            ("submit_template", vec![("id", t)]),
            ("get_profile", vec![("number", number.as_str())]),
            ("remove_domain", vec![("id", domain.as_str())]),
        ] {
            let mut args = args;
            args.push(("tenant", b.as_str()));
            let r = owner_b.call(endpoint, &args).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{endpoint}: {}", r.body);
            assert!(
                !r.body.contains("alpha_secret") && !r.body.contains("Alpha"),
                "{endpoint} leaked: {}",
                r.body
            );
        }
        for path in [
            format!("/tenants/{b}/templates/{template}"),
            format!("/tenants/{b}/templates/{template}/history"),
            format!("/tenants/{b}/numbers/{number}/profile"),
        ] {
            let page = owner_b.get(&path).await;
            assert!(
                !page.body.contains("alpha_secret") && !page.body.contains("Alpha Bakery"),
                "{path} leaked"
            );
        }
        let after = snapshot().await;
        assert_eq!(before, after, "tenant A's objects changed");
    }
);
