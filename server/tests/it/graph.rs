//! The Graph API client and the hand-over of BSP-approved templates, against a local HTTP
//! server that records exactly what it receives.

use crate::{both, support::*};
use app::backend::{graph::GraphConfig, services::submission::send_due};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    routing::post,
    Json, Router,
};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Fake {
    seen: Arc<Mutex<Vec<(String, String, Value)>>>,
    /// Answers to give, in order (status, body); then 200 PENDING.
    answers: Arc<Mutex<Vec<(u16, Value)>>>,
}

async fn create(
    State(f): State<Fake>,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if let Ok(mut s) = f.seen.lock() {
        s.push((uri.path().to_owned(), auth, body));
    }
    let next = f.answers.lock().ok().and_then(|mut a| {
        if a.is_empty() {
            None
        } else {
            Some(a.remove(0))
        }
    });
    let (status, body) = next.unwrap_or((
        200,
        json!({"id": "594425479261596", "status": "PENDING", "category": "UTILITY"}),
    ));
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        Json(body),
    )
}

/// `POST /{app-id}/uploads?file_length&file_type`: opens an upload session.
async fn open_upload(State(f): State<Fake>, uri: Uri, headers: HeaderMap) -> Json<Value> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if let Ok(mut s) = f.seen.lock() {
        s.push((
            format!("{}?{}", uri.path(), uri.query().unwrap_or("")),
            auth,
            Value::Null,
        ));
    }
    Json(json!({"id": "upload:MTphdHRhY2htZW50"}))
}

/// `POST /{upload-id}` with `file_offset` and the bytes: answers the handle.
async fn send_upload(
    State(f): State<Fake>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Json<Value> {
    let h = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let jpeg = body.starts_with(&[0xFF, 0xD8, 0xFF]);
    if let Ok(mut s) = f.seen.lock() {
        s.push((
            uri.path().to_owned(),
            h("authorization"),
            json!({"file_offset": h("file_offset"), "bytes": body.len(), "jpeg": jpeg}),
        ));
    }
    Json(json!({"h": "4::aW1hZ2UvanBlZw==:ARZ"}))
}

async fn fake_graph() -> (String, Fake) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/v21.0/{waba}/message_templates", post(create))
        .route("/v21.0/{phone}/whatsapp_business_profile", post(create))
        .route("/v21.0/{app}/uploads", post(open_upload))
        .route("/v21.0/{upload}", post(send_upload))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/v21.0"), fake)
}

both!(
    approved_templates_are_posted_in_the_platforms_shape_and_retried_on_failure,
    async |_app: &TestApp| {
        let (base, fake) = fake_graph().await;
        let app = _app
            .sibling_with(|c| {
                c.graph = Some(GraphConfig {
                    base_url: base.clone(),
                    token: secrecy::SecretString::from("test-token".to_owned()),
                    app_id: None,
                })
            })
            .await;
        let f = fixture(&app).await;
        let a = f.a.to_string();
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let form = app::domain::template::draft::DraftForm {
            name: "order_shipped".into(),
            language: "en-US".into(),
            category: "UTILITY".into(),
            header: "Your order".into(),
            body: "Hello {{1}}, your order {{2}} left our warehouse this morning.".into(),
            examples: "Ana\n#1042".into(),
            footer: "Reply STOP to opt out".into(),
            buttons: vec![app::domain::template::draft::ButtonForm {
                kind: "URL".into(),
                text: "Track".into(),
                value: "https://example.com/t/{{1}}".into(),
                example: "https://example.com/t/1042".into(),
            }],
            ..Default::default()
        };
        let id = app::backend::services::templates::create(&scope, &form, false)
            .await
            .expect("create");
        app::backend::services::templates::submit(&scope, id)
            .await
            .expect("submit");
        let id = id.to_string();
        // The first attempt meets a platform outage, the second a refusal, the third succeeds.
        if let Ok(mut a) = fake.answers.lock() {
            a.push((
                503,
                json!({"error": {"message": "Service temporarily unavailable", "code": 2}}),
            ));
        }
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let r = reviewer
            .call(
                "decide_template",
                &[
                    ("tenant", &a),
                    ("id", &id),
                    ("revision", "1"),
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.body);
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        assert_eq!(send_due(&sys, &api).await.expect("send"), 0);
        let d = reviewer
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(d["status"], "BSP_APPROVED");
        assert!(
            d["submit_error"]
                .as_str()
                .is_some_and(|e| e.contains("503")),
            "{d}"
        );
        // Not due again before the back-off.
        assert_eq!(send_due(&sys, &api).await.expect("send"), 0);
        assert_eq!(fake.seen.lock().map(|s| s.len()).unwrap_or(0), 1);
        app.clock.advance(chrono::TimeDelta::minutes(2));
        assert_eq!(send_due(&sys, &api).await.expect("send"), 1);
        let d = reviewer
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            (d["status"].as_str(), d["platform_id"].as_str()),
            (Some("PENDING"), Some("594425479261596"))
        );
        // Exactly the platform's request: path with the WABA id, bearer token, JSON field names.
        let seen = fake.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let (path, auth, body) = &seen[1];
        assert_eq!(
            (path.as_str(), auth.as_str()),
            ("/v21.0/1001/message_templates", "Bearer test-token")
        );
        assert_eq!(
            body,
            &json!({
                "name": "order_shipped",
                "language": "en_US",
                "category": "UTILITY",
                "components": [
                    {"type": "HEADER", "format": "TEXT", "text": "Your order"},
                    {"type": "BODY", "text": "Hello {{1}}, your order {{2}} left our warehouse this morning.", "example": {"body_text": [["Ana", "#1042"]]}},
                    {"type": "FOOTER", "text": "Reply STOP to opt out"},
                    {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}", "example": ["https://example.com/t/1042"]}]}
                ]
            })
        );
        assert_eq!(send_due(&sys, &api).await.expect("send"), 0, "sent once");
    }
);

both!(
    a_refusal_by_the_platform_is_shown_and_waits_for_staff,
    async |_app: &TestApp| {
        let (base, fake) = fake_graph().await;
        let app = _app
            .sibling_with(|c| {
                c.graph = Some(GraphConfig {
                    base_url: base.clone(),
                    token: secrecy::SecretString::from("t".to_owned()),
                    app_id: None,
                })
            })
            .await;
        let f = fixture(&app).await;
        let a = f.a.to_string();
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let form = app::domain::template::draft::DraftForm {
            name: "refused_one".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            body: "Hello {{1}}, your parcel left our warehouse this morning.".into(),
            examples: "Ana".into(),
            ..Default::default()
        };
        let id = app::backend::services::templates::create(&scope, &form, false)
            .await
            .expect("create");
        app::backend::services::templates::submit(&scope, id)
            .await
            .expect("submit");
        let id = id.to_string();
        if let Ok(mut a) = fake.answers.lock() {
            a.push((400, json!({"error": {"message": "Invalid parameter", "error_user_msg": "Template name already exists in this language", "code": 100}})));
        }
        let reviewer = app.signed_in(REVIEWER, PW).await;
        reviewer
            .call(
                "decide_template",
                &[
                    ("tenant", &a),
                    ("id", &id),
                    ("revision", "1"),
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        send_due(&sys, &api).await.expect("send");
        app.clock.advance(chrono::TimeDelta::hours(2));
        send_due(&sys, &api).await.expect("send");
        assert_eq!(
            fake.seen.lock().map(|s| s.len()).unwrap_or(0),
            1,
            "a refusal is not retried by itself"
        );
        let d = reviewer
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert!(
            d["submit_error"]
                .as_str()
                .is_some_and(|e| e.contains("already exists")),
            "{d}"
        );
        // Staff ask for another attempt.
        assert_eq!(
            reviewer
                .call(
                    "mark_template_submitted",
                    &[("tenant", &a), ("id", &id), ("retry", "1")]
                )
                .await
                .status,
            reqwest::StatusCode::OK
        );
        assert_eq!(send_due(&sys, &api).await.expect("send"), 1);
    }
);

both!(
    saved_profiles_are_sent_to_the_platform_with_its_field_names,
    async |_app: &TestApp| {
        let (base, fake) = fake_graph().await;
        let app = _app
            .sibling_with(|c| {
                c.graph = Some(GraphConfig {
                    base_url: base.clone(),
                    token: secrecy::SecretString::from("profile-token".to_owned()),
                    app_id: None,
                })
            })
            .await;
        let f = fixture(&app).await;
        let a = f.a.to_string();
        let n = crate::profiles::phone_of_a(&app, &f).await;
        if let Ok(mut a) = fake.answers.lock() {
            a.push((500, json!({"error": {"message": "Internal error"}})));
            a.push((200, json!({"success": true})));
        }
        let editor = app.signed_in(EDITOR_A, PW).await;
        let args = [
            ("tenant", a.as_str()),
            ("number", n.as_str()),
            ("version", "0"),
            ("about", "Fresh bread daily"),
            ("address", "1 High Street"),
            ("description", ""),
            ("email", "hello@alpha.example"),
            ("website1", "https://alpha.example"),
            ("website2", ""),
            ("vertical", "GROCERY"),
            ("hours[0]", "08:00-18:00"),
        ];
        assert_eq!(
            editor.call("save_profile", &args).await.status,
            reqwest::StatusCode::OK
        );
        assert_eq!(
            editor
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["sync_status"],
            "pending"
        );
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        assert_eq!(
            app::backend::services::profiles::send_due(&sys, &api)
                .await
                .expect("send"),
            0
        );
        let d = editor
            .call("get_profile", &[("tenant", &a), ("number", &n)])
            .await
            .json();
        assert_eq!(d["sync_status"], "failed");
        assert!(
            d["sync_error"].as_str().is_some_and(|e| e.contains("500")),
            "{d}"
        );
        app.clock.advance(chrono::TimeDelta::minutes(2));
        assert_eq!(
            app::backend::services::profiles::send_due(&sys, &api)
                .await
                .expect("send"),
            1
        );
        assert_eq!(
            editor
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["sync_status"],
            "synced"
        );
        let seen = fake.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let (path, auth, body) = &seen[1];
        assert_eq!(
            (path.as_str(), auth.as_str()),
            (
                "/v21.0/106540352242922/whatsapp_business_profile",
                "Bearer profile-token"
            )
        );
        assert_eq!(
            body,
            &json!({"messaging_product": "whatsapp", "about": "Fresh bread daily", "address": "1 High Street", "email": "hello@alpha.example", "websites": ["https://alpha.example"], "vertical": "GROCERY"})
        );
        assert_eq!(
            app::backend::services::profiles::send_due(&sys, &api)
                .await
                .expect("send"),
            0,
            "sent once"
        );
    }
);

both!(
    a_profile_photo_goes_through_the_resumable_upload_api_with_the_tenants_own_token,
    async |_app: &TestApp| {
        let (base, fake) = fake_graph().await;
        let app = _app
            .sibling_with(|c| {
                c.graph = Some(GraphConfig {
                    base_url: base.clone(),
                    token: secrecy::SecretString::from("photo-token".to_owned()),
                    app_id: Some("1234567890".into()),
                })
            })
            .await;
        let f = fixture(&app).await;
        let a = f.a.to_string();
        let n = crate::profiles::phone_of_a(&app, &f).await;
        let editor = app.signed_in(EDITOR_A, PW).await;
        let up = editor
            .upload(
                &format!("/tenants/{a}/numbers/{n}/photo"),
                "photo",
                "p.png",
                "image/png",
                &crate::photos::png(500, 300),
                false,
            )
            .await;
        let id = up.json()["photo"].as_str().unwrap_or_default().to_owned();
        let args = [
            ("tenant", a.as_str()),
            ("number", n.as_str()),
            ("version", "0"),
            ("about", "Fresh bread daily"),
            ("address", ""),
            ("description", ""),
            ("email", ""),
            ("website1", ""),
            ("website2", ""),
            ("vertical", ""),
            ("photo", id.as_str()),
        ];
        assert_eq!(
            editor.call("save_profile", &args).await.status,
            reqwest::StatusCode::OK
        );
        // The tenant has a token of its own: the platform is called with it, not the BSP's.
        let admin = app.signed_in(ADMIN, PW).await;
        let r = admin
            .call(
                "set_tenant_graph_token",
                &[("id", &a), ("token", "too short")],
            )
            .await;
        assert_eq!(
            (r.status, r.json()["errors"][0]["field"].as_str()),
            (reqwest::StatusCode::UNPROCESSABLE_ENTITY, Some("token"))
        );
        assert_eq!(
            admin
                .call(
                    "set_tenant_graph_token",
                    &[("id", &a), ("token", "EAAtenantOwnToken0123456789")]
                )
                .await
                .status,
            reqwest::StatusCode::OK
        );
        let d = admin.call("get_tenant", &[("id", &a)]).await;
        assert_eq!(d.json()["graph_token_set"], true);
        assert!(
            !d.body.contains("EAAtenantOwnToken"),
            "the token never leaves the server"
        );
        let stored: String = {
            use sea_orm::ConnectionTrait;
            let db = &app.state.db;
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT graph_token FROM tenants WHERE graph_token IS NOT NULL".to_owned(),
            ))
            .await
            .expect("query")
            .and_then(|r| r.try_get::<String>("", "graph_token").ok())
            .unwrap_or_default()
        };
        assert!(
            stored.starts_with("v1:") && !stored.contains("EAAtenantOwnToken"),
            "sealed in the database: {stored}"
        );
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        assert_eq!(
            app::backend::services::profiles::send_due(&sys, &api)
                .await
                .expect("send"),
            1
        );
        let seen = fake.seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen.len(), 3, "{seen:?}");
        let stored = app
            .signed_in(EDITOR_A, PW)
            .await
            .get_bytes(&format!("/tenants/{a}/photos/{id}"), &[])
            .await
            .2;
        assert_eq!(
            (seen[0].0.as_str(), seen[0].1.as_str()),
            (
                format!(
                    "/v21.0/1234567890/uploads?file_length={}&file_type=image/jpeg",
                    stored.len()
                )
                .as_str(),
                "Bearer EAAtenantOwnToken0123456789"
            )
        );
        assert_eq!(
            (seen[1].0.as_str(), seen[1].1.as_str()),
            (
                "/v21.0/upload:MTphdHRhY2htZW50",
                "OAuth EAAtenantOwnToken0123456789"
            )
        );
        assert_eq!(
            seen[1].2,
            json!({"file_offset": "0", "bytes": stored.len(), "jpeg": true})
        );
        assert_eq!(
            (seen[2].0.as_str(), seen[2].1.as_str()),
            (
                "/v21.0/106540352242922/whatsapp_business_profile",
                "Bearer EAAtenantOwnToken0123456789"
            )
        );
        assert_eq!(
            seen[2].2,
            json!({"messaging_product": "whatsapp", "about": "Fresh bread daily", "websites": [], "profile_picture_handle": "4::aW1hZ2UvanBlZw==:ARZ"})
        );
    }
);

both!(
    a_header_sample_attached_in_the_console_is_uploaded_at_hand_over_and_its_handle_sent,
    async |_app: &TestApp| {
        let (base, fake) = fake_graph().await;
        let app = _app
            .sibling_with(|c| {
                c.graph = Some(GraphConfig {
                    base_url: base.clone(),
                    token: secrecy::SecretString::from("t0ken".to_owned()),
                    app_id: Some("777".into()),
                })
            })
            .await;
        let f = fixture(&app).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let form = app::domain::template::draft::DraftForm {
            name: "autumn_sale".into(),
            language: "en".into(),
            category: "MARKETING".into(),
            header_format: "IMAGE".into(),
            body: "Hello {{1}}, our autumn collection is in the shop window this week.".into(),
            examples: "Ana".into(),
            ..Default::default()
        };
        let id = app::backend::services::templates::create(&scope, &form, false)
            .await
            .expect("create")
            .to_string();
        let editor = app.signed_in(EDITOR_A, PW).await;
        // Without a sample it cannot be submitted.
        assert_eq!(
            editor
                .call("submit_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            reqwest::StatusCode::UNPROCESSABLE_ENTITY
        );
        let path = format!("/tenants/{a}/templates/{id}/sample");
        let r = editor
            .upload(
                &path,
                "sample",
                "flyer.pdf",
                "image/png",
                b"%PDF-1.7\n...",
                false,
            )
            .await;
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (
                reqwest::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({"kind": "wrong_type", "expected": "JPEG or PNG"})
            )
        );
        let png = crate::photos::png(800, 418);
        let r = editor
            .upload(&path, "sample", "window.png", "image/png", &png, false)
            .await;
        assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.body);
        let handle = r.json()["sample"].as_str().unwrap_or_default().to_owned();
        assert!(handle.starts_with("media:"));
        let d = editor
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            d["content"]["components"][0]["example"]["header_handle"][0],
            handle.as_str()
        );
        assert_eq!(
            (
                d["sample"]["kind"].as_str(),
                d["sample"]["stored"][1].as_str()
            ),
            (Some("Image"), Some("image/png")),
            "{d}"
        );
        let media = format!("/tenants/{a}/media/{}", handle.trim_start_matches("media:"));
        let (status, headers, bytes) = editor.get_bytes(&media, &[]).await;
        assert_eq!(
            (
                status,
                headers["content-type"].to_str().unwrap_or(""),
                bytes.len()
            ),
            (reqwest::StatusCode::OK, "image/png", png.len())
        );
        // Viewers and other tenants do not attach; other tenants do not read.
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(
            viewer
                .upload(&path, "sample", "w.png", "image/png", &png, false)
                .await
                .status,
            reqwest::StatusCode::FORBIDDEN
        );
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(
            other
                .upload(&path, "sample", "w.png", "image/png", &png, false)
                .await
                .status,
            reqwest::StatusCode::NOT_FOUND
        );
        assert_eq!(
            other.get_bytes(&media.replace(&a, &b), &[]).await.0,
            reqwest::StatusCode::NOT_FOUND
        );
        // Submitted, approved, handed over: the file goes up first, its handle into the template.
        assert_eq!(
            editor
                .call("submit_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            reqwest::StatusCode::OK
        );
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let r = reviewer
            .call(
                "decide_template",
                &[
                    ("tenant", &a),
                    ("id", &id),
                    ("revision", "1"),
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.body);
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        assert_eq!(send_due(&sys, &api).await.expect("send"), 1);
        let seen = fake.seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert_eq!(
            seen[0].0,
            format!(
                "/v21.0/777/uploads?file_length={}&file_type=image/png",
                png.len()
            )
        );
        assert_eq!(seen[1].2["bytes"], png.len());
        assert_eq!(seen[2].0, "/v21.0/1001/message_templates");
        assert_eq!(
            seen[2].2["components"][0],
            json!({"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2UvanBlZw==:ARZ"]}})
        );
    }
);

both!(
    a_document_sample_is_served_as_a_download_and_an_image_inline,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let editor = app.signed_in(EDITOR_A, PW).await;
        let mut served = Vec::new();
        for (format, file, mime, bytes) in [
            (
                "DOCUMENT",
                "terms.pdf",
                "application/pdf",
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
                    .to_vec(),
            ),
            (
                "IMAGE",
                "window.png",
                "image/png",
                crate::photos::png(800, 418),
            ),
        ] {
            let form = app::domain::template::draft::DraftForm {
                name: format!("sample_{}", format.to_lowercase()),
                language: "en".into(),
                category: "UTILITY".into(),
                header_format: format.into(),
                body: "Hello {{1}}, your order confirmation is attached to this message.".into(),
                examples: "Ana".into(),
                ..Default::default()
            };
            let id = app::backend::services::templates::create(&scope, &form, false)
                .await
                .expect("create")
                .to_string();
            let path = format!("/tenants/{a}/templates/{id}/sample");
            let r = editor
                .upload(&path, "sample", file, mime, &bytes, false)
                .await;
            assert_eq!(r.status, reqwest::StatusCode::OK, "{format}: {}", r.body);
            let handle = r.json()["sample"].as_str().unwrap_or_default().to_owned();
            let media = format!("/tenants/{a}/media/{}", handle.trim_start_matches("media:"));
            let (status, headers, _) = editor.get_bytes(&media, &[]).await;
            assert_eq!(status, reqwest::StatusCode::OK);
            served.push(
                headers
                    .get("content-disposition")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            );
        }
        assert_eq!(
            served,
            [Some("attachment; filename=\"sample.pdf\"".to_owned()), None]
        );
    }
);

/// The client never follows a redirect (the token would go with it) and stops reading an
/// answer larger than it can use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_client_follows_no_redirect_and_reads_bounded_answers() {
    use axum::{response::IntoResponse, routing::get};
    let stolen = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = stolen.clone();
    let app = Router::new()
        .route(
            "/v21.0/{phone}",
            get(
                |axum::extract::Path(phone): axum::extract::Path<String>| async move {
                    match phone.as_str() {
                        "1" => (StatusCode::TEMPORARY_REDIRECT, [("location", "/elsewhere")])
                            .into_response(),
                        _ => {
                            let pad = "x".repeat(2 * 1024 * 1024);
                            Json(json!({"id": phone, "pad": pad})).into_response()
                        }
                    }
                },
            ),
        )
        .route(
            "/elsewhere",
            get(move |headers: HeaderMap| async move {
                if let Ok(mut s) = seen.lock() {
                    s.push(format!("{:?}", headers.get("authorization")));
                }
                Json(json!({"id": "1"}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let api = app::backend::graph::GraphApi::new(GraphConfig {
        base_url: format!("http://{addr}/v21.0"),
        token: secrecy::SecretString::from("t0ken".to_owned()),
        app_id: None,
    })
    .expect("client");
    let redirected = api.number_health("1").await;
    assert!(
        matches!(
            redirected,
            Err(app::backend::graph::GraphError::Refused { status: 307, .. })
        ),
        "{redirected:?}"
    );
    assert!(stolen.lock().map(|s| s.is_empty()).unwrap_or(false));
    let large = api.number_health("2").await;
    assert_eq!(
        large,
        Err(app::backend::graph::GraphError::BadResponse(
            "answer too large".into()
        ))
    );
}
