//! Tenant templates: drafts with the pre-check, uniqueness per account, submission blocked by
//! errors, and other tenants kept out.

use crate::{both, support::*};
use reqwest::StatusCode;

fn draft<'a>(
    tenant: &'a str,
    name: &'a str,
    body: &'a str,
    examples: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("tenant", tenant),
        ("name", name),
        ("language", "en-US"),
        ("category", "utility"),
        ("header", ""),
        ("body", body),
        ("footer", "Reply STOP to opt out"),
        ("examples", examples),
    ]
}

async fn template_id(s: &Session, tenant: &str, name: &str) -> String {
    let list = s.call("list_templates", &[("tenant", tenant)]).await.json();
    list.as_array()
        .and_then(|l| l.iter().find(|t| t["name"] == name))
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_owned()
}

both!(
    an_editor_drafts_checks_and_submits_a_template,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let editor = app.signed_in(EDITOR_A, PW).await;
        let bad = editor
            .call(
                "create_template",
                &[
                    ("tenant", &a),
                    ("name", "Bad Name"),
                    ("language", "xx"),
                    ("category", "promotional"),
                    ("header", ""),
                    ("body", ""),
                    ("footer", ""),
                    ("examples", ""),
                ],
            )
            .await;
        let fields: Vec<String> = bad.json()["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|x| x["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(fields, ["name", "language", "category", "body"]);
        // A draft with a blocking mistake is saved, shown with its findings, and cannot be submitted.
        let r = editor
            .call(
                "create_template",
                &draft(
                    &a,
                    "order_shipped",
                    "{{1}} your order ships today, thank you for your purchase.",
                    "Ana",
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = template_id(&editor, &a, "order_shipped").await;
        let d = editor
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            (d["status"].as_str(), d["content"]["language"].as_str()),
            (Some("DRAFT"), Some("en_US"))
        );
        assert!(
            d["findings"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x["rule"] == "param.at_start")),
            "{d}"
        );
        let r = editor
            .call("submit_template", &[("tenant", &a), ("id", &id)])
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "lint_blocked")
        );
        // The same name and language again in this account is refused.
        let dup = editor
            .call(
                "create_template",
                &draft(
                    &a,
                    "order_shipped",
                    "Hello {{1}}, your order ships today. Thank you!",
                    "Ana",
                ),
            )
            .await;
        assert_eq!(
            dup.json()["errors"][0],
            serde_json::json!({"field": "name", "code": "already_taken"})
        );
        // A clean one goes to BSP review, once.
        let ok = editor
            .call(
                "create_template",
                &draft(
                    &a,
                    "order_delivered",
                    "Hello {{1}}, your order was delivered today. Thank you for shopping with us.",
                    "Ana",
                ),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let id2 = template_id(&editor, &a, "order_delivered").await;
        assert_eq!(
            editor
                .call("submit_template", &[("tenant", &a), ("id", &id2)])
                .await
                .status,
            StatusCode::OK
        );
        let d = editor
            .call("get_template", &[("tenant", &a), ("id", &id2)])
            .await
            .json();
        assert_eq!(
            (d["status"].as_str(), d["can_submit"].as_bool()),
            (Some("IN_BSP_REVIEW"), Some(false))
        );
        assert_eq!(
            editor
                .call("submit_template", &[("tenant", &a), ("id", &id2)])
                .await
                .status,
            StatusCode::CONFLICT
        );
        // Viewers read but do not write; the other tenant sees nothing.
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(
            viewer
                .call("list_templates", &[("tenant", &a)])
                .await
                .json()
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            viewer
                .call(
                    "create_template",
                    &draft(&a, "x", "Hello {{1}} there friend", "a")
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let b = app.signed_in(OWNER_B, PW).await;
        for (ep, args) in [
            ("list_templates", vec![("tenant", a.as_str())]),
            (
                "get_template",
                vec![("tenant", a.as_str()), ("id", id2.as_str())],
            ),
            (
                "submit_template",
                vec![("tenant", a.as_str()), ("id", id.as_str())],
            ),
        ] {
            let r = b.call(ep, &args).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{ep}");
            assert!(!r.body.contains("order_"), "{ep} leaked");
        }
        // A's template id under B's own tenant is not found either.
        assert_eq!(
            b.call(
                "get_template",
                &[("tenant", &f.b.to_string()), ("id", &id2)]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let audit = editor.call("list_templates", &[("tenant", &a)]).await;
        assert!(audit.body.contains("IN_BSP_REVIEW"));
    }
);
