//! Profile photos (upload rules by content, processing, serving with ETag), verified-badge
//! requests (tenant drafts and submits, BSP admins or the platform decide) and the staff's
//! "needs attention" overview.

use crate::{both, support::*};
use image::ImageEncoder;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .expect("png");
    out
}

/// A tiny PNG whose header declares `w`×`h` pixels (a decompression bomb's shape).
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    let mut f = png(1, 1);
    f[16..20].copy_from_slice(&w.to_be_bytes());
    f[20..24].copy_from_slice(&h.to_be_bytes());
    let mut c = 0xFFFF_FFFFu32;
    for b in &f[12..29] {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    f[29..33].copy_from_slice(&(!c).to_be_bytes());
    f
}

async fn photo_rows(app: &TestApp) -> i64 {
    let db = &app.state.db;
    db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT COUNT(*) FROM profile_photos".to_owned(),
    ))
    .await
    .ok()
    .flatten()
    .and_then(|r| r.try_get_by_index::<i64>(0).ok())
    .unwrap_or(-1)
}

fn profile_args<'a>(
    a: &'a str,
    n: &'a str,
    version: &'a str,
    photo: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("tenant", a),
        ("number", n),
        ("version", version),
        ("about", "Fresh bread daily"),
        ("address", ""),
        ("description", ""),
        ("email", ""),
        ("website1", ""),
        ("website2", ""),
        ("vertical", ""),
        ("photo", photo),
    ]
}

both!(
    an_uploaded_photo_is_squared_served_with_an_etag_and_applied_by_the_next_save,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let n = crate::profiles::phone_of_a(app, &f).await;
        let upload = format!("/tenants/{a}/numbers/{n}/photo");
        let editor = app.signed_in(EDITOR_A, PW).await;
        let r = editor
            .upload(
                &upload,
                "photo",
                "shop-front.png",
                "image/png",
                &png(1200, 800),
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let id = r.json()["photo"].as_str().unwrap_or_default().to_owned();
        assert_eq!(id.len(), 64);
        // Served as the square JPEG, with a strong ETag and a year of private caching.
        let url = format!("/tenants/{a}/photos/{id}");
        let (status, headers, bytes) = editor.get_bytes(&url, &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["etag"].to_str().unwrap_or(""), format!("\"{id}\""));
        assert!(headers["cache-control"]
            .to_str()
            .unwrap_or("")
            .contains("immutable"));
        let img = image::load_from_memory(&bytes).expect("a JPEG");
        assert_eq!((img.width(), img.height()), (640, 640));
        let (status, _, body) = editor
            .get_bytes(&url, &[("if-none-match", &format!("\"{id}\""))])
            .await;
        assert_eq!((status, body.len()), (StatusCode::NOT_MODIFIED, 0));
        // The profile shows it only once saved; the history says the photo changed.
        assert_eq!(
            editor
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["form"]["photo"],
            ""
        );
        assert_eq!(
            editor
                .call("save_profile", &profile_args(&a, &n, "0", &id))
                .await
                .status,
            StatusCode::OK
        );
        let d = editor
            .call("get_profile", &[("tenant", &a), ("number", &n)])
            .await
            .json();
        assert_eq!(d["form"]["photo"], id.as_str());
        assert_eq!(
            d["history"][0]["changes"]
                .as_array()
                .map(|c| c.iter().any(|c| c[0] == "photo")),
            Some(true),
            "{d}"
        );
        // Saving again without touching it keeps it; "remove" takes it away in a new version.
        assert_eq!(
            editor
                .call("save_profile", &profile_args(&a, &n, "1", &id))
                .await
                .status,
            StatusCode::OK
        );
        let mut remove = profile_args(&a, &n, "2", &id);
        remove.push(("remove_photo", "1"));
        assert_eq!(
            editor.call("save_profile", &remove).await.status,
            StatusCode::OK
        );
        assert_eq!(
            editor
                .call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["form"]["photo"],
            ""
        );
        // The hidden field is not trusted: an id this tenant never uploaded is refused.
        let r = editor
            .call("save_profile", &profile_args(&a, &n, "3", &"0".repeat(64)))
            .await;
        assert_eq!(
            (r.status, r.json()["errors"][0].clone()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"field": "photo", "rule": {"kind": "photo_unknown"}})
            )
        );
        // A browser's form post comes back to the profile page with the new photo.
        let r = editor
            .upload(
                &upload,
                "photo",
                "same.png",
                "image/png",
                &png(1200, 800),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers["location"].to_str().unwrap_or(""),
            format!("/tenants/{a}/numbers/{n}/profile?photo={id}")
        );
        assert_eq!(photo_rows(app).await, 1, "the same picture is kept once");
        // Viewers read but do not upload; another tenant neither reads nor uploads.
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(viewer.get_bytes(&url, &[]).await.0, StatusCode::OK);
        assert_eq!(
            viewer
                .upload(
                    &upload,
                    "photo",
                    "p.png",
                    "image/png",
                    &png(300, 300),
                    false
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(other.get_bytes(&url, &[]).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            other
                .get_bytes(&format!("/tenants/{b}/photos/{id}"), &[])
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other
                .upload(
                    &upload,
                    "photo",
                    "p.png",
                    "image/png",
                    &png(300, 300),
                    false
                )
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other
                .upload(
                    &format!("/tenants/{b}/numbers/{n}/photo"),
                    "photo",
                    "p.png",
                    "image/png",
                    &png(300, 300),
                    false
                )
                .await
                .status,
            StatusCode::NOT_FOUND,
            "A's number through B"
        );
        assert_eq!(
            app.client().get_bytes(&url, &[]).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
);

both!(
    each_bad_photo_gets_its_own_error_and_nothing_is_kept,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let n = crate::profiles::phone_of_a(app, &f).await;
        let upload = format!("/tenants/{a}/numbers/{n}/photo");
        let editor = app.signed_in(EDITOR_A, PW).await;
        let rule = |r: &Reply| r.json()["errors"][0]["rule"].clone();
        // A GIF named .png: the content decides.
        let r = editor
            .upload(
                &upload,
                "photo",
                "logo.png",
                "image/png",
                b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
                false,
            )
            .await;
        assert_eq!(
            (r.status, rule(&r)),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({"kind": "photo_wrong_type", "detected": "GIF"})
            )
        );
        assert!(r.json()["message"].as_str().is_some());
        let r = editor
            .upload(
                &upload,
                "photo",
                "small.png",
                "image/png",
                &png(191, 400),
                false,
            )
            .await;
        assert_eq!(
            (r.status, rule(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"kind": "photo_too_small", "min": 192, "width": 191, "height": 400})
            )
        );
        let mut cut = png(400, 400);
        cut.truncate(cut.len() / 2);
        let r = editor
            .upload(&upload, "photo", "cut.png", "image/png", &cut, false)
            .await;
        assert_eq!(
            (r.status, rule(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"kind": "photo_corrupt"})
            )
        );
        let r = editor
            .upload(
                &upload,
                "photo",
                "bomb.png",
                "image/png",
                &png_declaring(50_000, 50_000),
                false,
            )
            .await;
        assert_eq!(
            (r.status, rule(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"kind": "photo_too_many_pixels", "max_pixels": 36_000_000, "width": 50_000, "height": 50_000})
            )
        );
        let mut big = png(200, 200);
        big.resize(5 * 1024 * 1024 + 1, 0);
        let r = editor
            .upload(&upload, "photo", "big.png", "image/png", &big, false)
            .await;
        assert_eq!(
            (r.status, rule(&r)["kind"].clone()),
            (StatusCode::PAYLOAD_TOO_LARGE, json!("photo_too_large"))
        );
        // Without JavaScript the reason comes back to the page, next to the field.
        let r = editor
            .upload(
                &upload,
                "photo",
                "small.png",
                "image/png",
                &png(100, 80),
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let location = r.headers["location"].to_str().unwrap_or("").to_owned();
        assert!(
            location.starts_with(&format!("/tenants/{a}/numbers/{n}/profile?photo_error=")),
            "{location}"
        );
        let page = editor.get(&location).await;
        assert!(
            page.body
                .contains("at least 192×192 pixels (this image is 100×80)"),
            "the page names the rule"
        );
        assert_eq!(photo_rows(app).await, 0);
    }
);

both!(
    badge_requests_are_drafted_submitted_and_decided_by_staff_or_the_platform,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let n = crate::profiles::phone_of_a(app, &f).await;
        let editor = app.signed_in(EDITOR_A, PW).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let oba = async |s: &Session| {
            s.call("get_profile", &[("tenant", &a), ("number", &n)])
                .await
                .json()["oba"]
                .clone()
        };
        let save = |links: &'static str| {
            vec![
                ("tenant", a.clone()),
                ("number", n.clone()),
                ("links[0]", links.to_owned()),
                ("parent", String::new()),
                ("notes", String::new()),
            ]
        };
        let call = async |s: &Session, endpoint: &str, args: Vec<(&str, String)>| {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.call(endpoint, &args).await
        };
        let r = call(&editor, "save_oba_request", save("")).await;
        assert_eq!(
            (r.status, r.json()["errors"][0].clone()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"field": "links", "rule": {"kind": "required"}})
            )
        );
        assert_eq!(
            call(
                &editor,
                "save_oba_request",
                save("https://news.example/alpha-bakery-wins")
            )
            .await
            .status,
            StatusCode::OK
        );
        let v = oba(&editor).await;
        assert_eq!(
            (
                v["requests"][0]["status"].as_str(),
                v["can_edit"].as_bool(),
                v["can_decide"].as_bool()
            ),
            (Some("draft"), Some(true), Some(false))
        );
        let id = v["requests"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let step = |step: &str, reason: &str| {
            vec![
                ("tenant", a.clone()),
                ("number", n.clone()),
                ("request", id.clone()),
                ("step", step.to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        // The tenant cannot decide its own request, before or after submitting it.
        assert_eq!(
            call(&owner, "advance_oba_request", step("approve", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&admin, "advance_oba_request", step("approve", ""))
                .await
                .status,
            StatusCode::CONFLICT,
            "a draft is not decided"
        );
        assert_eq!(
            call(&editor, "advance_oba_request", step("submit", ""))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            call(
                &editor,
                "save_oba_request",
                save("https://news.example/other")
            )
            .await
            .status,
            StatusCode::CONFLICT,
            "with the BSP: not editable"
        );
        assert_eq!(
            call(&owner, "advance_oba_request", step("approve", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let r = call(&admin, "advance_oba_request", step("reject", " ")).await;
        assert_eq!(
            (r.status, r.json()["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("reason"))
        );
        assert_eq!(
            call(
                &admin,
                "advance_oba_request",
                step("reject", "Links are press releases")
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            call(&admin, "advance_oba_request", step("approve", ""))
                .await
                .status,
            StatusCode::CONFLICT,
            "decided once"
        );
        let v = oba(&editor).await;
        assert_eq!(
            (
                v["requests"][0]["status"].as_str(),
                v["requests"][0]["reason"].as_str(),
                v["requests"][0]["decided_by"].as_str()
            ),
            (
                Some("rejected"),
                Some("Links are press releases"),
                Some(ADMIN)
            )
        );
        // After a rejection a new request starts; the old one is kept.
        assert_eq!(
            call(
                &editor,
                "save_oba_request",
                save("https://paper.example/feature")
            )
            .await
            .status,
            StatusCode::OK
        );
        let v = oba(&editor).await;
        assert_eq!(v["requests"].as_array().map(Vec::len), Some(2));
        let id2 = v["requests"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let args = vec![
            ("tenant", a.clone()),
            ("number", n.clone()),
            ("request", id2),
            ("step", "submit".to_owned()),
        ];
        assert_eq!(
            call(&editor, "advance_oba_request", args).await.status,
            StatusCode::OK
        );
        // The platform's OBA_APPROVED for this number decides it, once.
        let sys = app::backend::auth::system_scope(&app.state);
        let ts = app::backend::auth::system_in_tenant(&sys, f.a);
        let now = app.state.now();
        assert_eq!(
            app::backend::services::oba::apply_platform(
                &ts,
                &app.state.db,
                Some("106540352242922"),
                true,
                None,
                now
            )
            .await
            .expect("apply"),
            1
        );
        assert_eq!(
            app::backend::services::oba::apply_platform(
                &ts,
                &app.state.db,
                Some("106540352242922"),
                true,
                None,
                now
            )
            .await
            .expect("apply"),
            0
        );
        let v = oba(&admin).await;
        assert_eq!(
            (
                v["requests"][0]["status"].as_str(),
                v["requests"][0]["decided_by"].as_str(),
                v["can_decide"].as_bool()
            ),
            (Some("approved"), Some("WhatsApp"), Some(true))
        );
        // Another tenant sees nothing of it.
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(
            call(&other, "save_oba_request", save("https://x.example"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

both!(
    staff_see_which_profiles_need_attention_and_why,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let n = crate::profiles::phone_of_a(app, &f).await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let list = async |filter: &str| {
            reviewer
                .call("list_profiles", &[("filter", filter), ("page", "")])
                .await
                .json()
        };
        let d = list("attention").await;
        let row = d["rows"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["phone"] == n.as_str()).cloned())
            .unwrap_or_default();
        assert_eq!(
            row["reasons"],
            json!(["missing_about", "missing_photo", "compliance_incomplete"]),
            "{d}"
        );
        assert_eq!(list("sync_failed").await["total"], 0);
        // The editor saves an about text and a photo: only compliance is left.
        let editor = app.signed_in(EDITOR_A, PW).await;
        let id = editor
            .upload(
                &format!("/tenants/{a}/numbers/{n}/photo"),
                "photo",
                "p.png",
                "image/png",
                &png(400, 400),
                false,
            )
            .await
            .json()["photo"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            editor
                .call("save_profile", &profile_args(&a, &n, "0", &id))
                .await
                .status,
            StatusCode::OK
        );
        let d = list("missing_photo").await;
        assert!(
            d["rows"]
                .as_array()
                .is_some_and(|r| r.iter().all(|r| r["phone"] != n.as_str())),
            "{d}"
        );
        let d = list("compliance_incomplete").await;
        let row = d["rows"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["phone"] == n.as_str()).cloned())
            .unwrap_or_default();
        assert_eq!(
            (row["reasons"].clone(), row["photo"].as_str()),
            (json!(["compliance_incomplete"]), Some(id.as_str()))
        );
        assert_eq!(
            reviewer
                .call("list_profiles", &[("filter", "bogus")])
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            editor.call("list_profiles", &[]).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

both!(
    the_platforms_badge_decision_arrives_as_a_signed_account_alert_and_applies_once,
    async |app: &TestApp| {
        use crate::webhooks::{deliver, platform_tenant, process, PHONE_ID, WABA};
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let t = p.tenant.to_string();
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let number = owner.call("get_tenant", &[("id", &t)]).await.json()["phone_numbers"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            owner
                .call(
                    "save_oba_request",
                    &[
                        ("tenant", &t),
                        ("number", &number),
                        ("links[0]", "https://news.example/gamma"),
                        ("parent", "Gamma Group"),
                        ("notes", "")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        let id = owner
            .call("get_profile", &[("tenant", &t), ("number", &number)])
            .await
            .json()["oba"]["requests"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            owner
                .call(
                    "advance_oba_request",
                    &[
                        ("tenant", &t),
                        ("number", &number),
                        ("request", &id),
                        ("step", "submit")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "time": 1_783_003_250, "changes": [{"field": "account_alerts", "value": {
        "entity_type": "PHONE_NUMBER", "entity_id": PHONE_ID,
        "alert_info": {"alert_severity": "INFORMATIONAL", "alert_status": "ACTIVE", "alert_type": "OBA_REJECTED", "alert_description": "Not enough independent coverage"}}}]}]})
    .to_string();
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK);
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK, "a redelivery");
        process(app).await;
        let v = owner
            .call("get_profile", &[("tenant", &t), ("number", &number)])
            .await
            .json()["oba"]
            .clone();
        assert_eq!(
            (
                v["requests"][0]["status"].as_str(),
                v["requests"][0]["reason"].as_str(),
                v["requests"][0]["decided_by"].as_str()
            ),
            (
                Some("rejected"),
                Some("Not enough independent coverage"),
                Some("WhatsApp")
            ),
            "{v}"
        );
        // A new request, submitted; the platform's approval for the business decides it.
        assert_eq!(
            owner
                .call(
                    "save_oba_request",
                    &[
                        ("tenant", &t),
                        ("number", &number),
                        ("links[0]", "https://paper.example/gamma"),
                        ("parent", ""),
                        ("notes", "")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        let id = owner
            .call("get_profile", &[("tenant", &t), ("number", &number)])
            .await
            .json()["oba"]["requests"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            owner
                .call(
                    "advance_oba_request",
                    &[
                        ("tenant", &t),
                        ("number", &number),
                        ("request", &id),
                        ("step", "submit")
                    ]
                )
                .await
                .status,
            StatusCode::OK
        );
        let approved = body
            .replace("OBA_REJECTED", "OBA_APPROVED")
            .replace("\"PHONE_NUMBER\"", "\"BUSINESS\"")
            .replace("1783003250", "1783003300");
        assert_eq!(deliver(app, &approved).await.0, StatusCode::OK);
        process(app).await;
        let v = owner
            .call("get_profile", &[("tenant", &t), ("number", &number)])
            .await
            .json()["oba"]
            .clone();
        assert_eq!(
            (
                v["requests"][0]["status"].as_str(),
                v["requests"].as_array().map(Vec::len)
            ),
            (Some("approved"), Some(2)),
            "{v}"
        );
        assert_eq!(
            v["requests"][1]["status"], "rejected",
            "the first decision stands"
        );
    }
);

both!(
    a_lost_profile_picture_marks_the_profile_for_attention,
    async |app: &TestApp| {
        use crate::webhooks::{deliver, platform_tenant, process, PHONE_ID, WABA};
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let t = p.tenant.to_string();
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let number = owner.call("get_tenant", &[("id", &t)]).await.json()["phone_numbers"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let id = owner
            .upload(
                &format!("/tenants/{t}/numbers/{number}/photo"),
                "photo",
                "p.png",
                "image/png",
                &png(300, 300),
                false,
            )
            .await
            .json()["photo"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            owner
                .call("save_profile", &profile_args(&t, &number, "0", &id))
                .await
                .status,
            StatusCode::OK
        );
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "time": 1_783_003_400, "changes": [{"field": "account_alerts", "value": {
        "entity_type": "PHONE_NUMBER", "entity_id": PHONE_ID,
        "alert_info": {"alert_severity": "WARNING", "alert_status": "ACTIVE", "alert_type": "PROFILE_PICTURE_LOST", "alert_description": "The picture was removed"}}}]}]})
    .to_string();
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK);
        process(app).await;
        let d = owner
            .call("get_profile", &[("tenant", &t), ("number", &number)])
            .await
            .json();
        assert_eq!(d["sync_status"], "failed");
        assert!(
            d["sync_error"]
                .as_str()
                .is_some_and(|e| e.contains("lost the profile picture")),
            "{d}"
        );
        let admin = app.signed_in(ADMIN, PW).await;
        let rows = admin
            .call("list_profiles", &[("filter", "sync_failed")])
            .await
            .json()["rows"]
            .clone();
        assert!(
            rows.as_array()
                .is_some_and(|r| r.iter().any(|r| r["phone"] == number.as_str())),
            "{rows}"
        );
        // Saving again sends it again (no Graph API here: "not synced", no longer failed).
        assert_eq!(
            owner
                .call("save_profile", &profile_args(&t, &number, "1", &id))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            owner
                .call("get_profile", &[("tenant", &t), ("number", &number)])
                .await
                .json()["sync_status"],
            "not_synced"
        );
    }
);
