//! The review queue: reviewers see every tenant's submissions oldest first and decide;
//! tenants see the reason and note; decisions on a moved revision are refused.

use crate::{both, support::*};
use reqwest::StatusCode;

async fn submitted(app: &TestApp, tenant: app::domain::ids::TenantId, name: &str, body: &str) -> String {
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, tenant).await.expect("scope");
    let form = app::domain::template::draft::DraftForm { name: name.into(), language: "en".into(), category: "UTILITY".into(), body: body.into(), examples: "Ana".into(), ..Default::default() };
    let id = app::backend::services::templates::create(&scope, &form).await.expect("create");
    app::backend::services::templates::submit(&scope, id).await.expect("submit");
    id.to_string()
}

both!(reviewers_decide_and_tenants_see_the_outcome, async |app: &TestApp| {
    let f = fixture(app).await;
    let (a, b) = (f.a.to_string(), f.b.to_string());
    let t1 = submitted(app, f.a, "first_one", "Hello {{1}}, your parcel left our warehouse this morning.").await;
    let t2 = submitted(app, f.b, "second_one", "Hello {{1}}, your table for tonight is confirmed, see you soon.").await;
    let reviewer = app.signed_in(REVIEWER, PW).await;
    let q = reviewer.call("list_review_queue", &[]).await.json();
    let names: Vec<&str> = q.as_array().map(|r| r.iter().filter_map(|x| x["name"].as_str()).collect()).unwrap_or_default();
    assert_eq!(names, ["first_one", "second_one"], "oldest first, across tenants");
    // A rejection needs a platform reason.
    let r = reviewer.call("decide_template", &[("tenant", &a), ("id", &t1), ("decision", "reject"), ("reason", ""), ("note", "")]).await;
    assert_eq!(r.json()["errors"][0], serde_json::json!({"field": "reason", "code": "required"}));
    let r = reviewer.call("decide_template", &[("tenant", &a), ("id", &t1), ("decision", "reject"), ("reason", "PROMOTIONAL"), ("note", "Too salesy for utility.")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same decision again finds the revision moved on.
    let r = reviewer.call("decide_template", &[("tenant", &a), ("id", &t1), ("decision", "approve"), ("reason", ""), ("note", "")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Owners and editors of the tenant get an email, through the outbox.
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let mails: Vec<_> = app::backend::services::outbox::list(&op).await.expect("outbox").into_iter().filter(|m| m.kind == "template_decision").map(|m| m.recipient).collect();
    let mut mails = mails;
    mails.sort();
    assert_eq!(mails, [EDITOR_A, OWNER_A]);
    // The tenant sees status, reason and note.
    let owner = app.signed_in(OWNER_A, PW).await;
    let d = owner.call("get_template", &[("tenant", &a), ("id", &t1)]).await.json();
    assert_eq!((d["status"].as_str(), d["reason"].as_str(), d["note"].as_str()), (Some("BSP_REJECTED"), Some("PROMOTIONAL"), Some("Too salesy for utility.")));
    assert_eq!(d["can_review"], false);
    // Approve the other; the tenant id must match the template's.
    let r = reviewer.call("decide_template", &[("tenant", &a), ("id", &t2), ("decision", "approve"), ("reason", ""), ("note", "")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another tenant's template through this tenant");
    let r = reviewer.call("decide_template", &[("tenant", &b), ("id", &t2), ("decision", "approve"), ("reason", ""), ("note", "")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(reviewer.call("list_review_queue", &[]).await.json(), serde_json::json!([]));
    // Tenant users cannot decide.
    assert_eq!(owner.call("decide_template", &[("tenant", &a), ("id", &t1), ("decision", "approve"), ("reason", ""), ("note", "")]).await.status, StatusCode::FORBIDDEN);
});

both!(a_rejected_template_is_edited_into_a_new_revision_and_resubmitted, async |app: &TestApp| {
    let f = fixture(app).await;
    let a = f.a.to_string();
    let id = submitted(app, f.a, "promo_note", "Hello {{1}}, your parcel left our warehouse this morning.").await;
    let reviewer = app.signed_in(REVIEWER, PW).await;
    reviewer.call("decide_template", &[("tenant", &a), ("id", &id), ("decision", "request_changes"), ("reason", ""), ("note", "Say when it arrives.")]).await;
    let editor = app.signed_in(EDITOR_A, PW).await;
    let edit = |body: &'static str| vec![("tenant", a.clone()), ("id", id.clone()), ("category", "utility".to_owned()), ("header", String::new()), ("body", body.to_owned()), ("footer", String::new()), ("examples", "Ana".to_owned())];
    let call = async |s: &Session, args: Vec<(&'static str, String)>| {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        s.call("edit_template", &args).await
    };
    // A new revision, as a draft; the reviewed one stays as history.
    let r = call(&editor, edit("Hello {{1}}, your parcel left our warehouse and arrives tomorrow.")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = editor.call("get_template", &[("tenant", &a), ("id", &id)]).await.json();
    assert_eq!((d["revision"].as_i64(), d["status"].as_str(), d["content"]["name"].as_str()), (Some(2), Some("DRAFT"), Some("promo_note")));
    // Editing the draft again changes it in place.
    call(&editor, edit("Hello {{1}}, your parcel left our warehouse and arrives tomorrow morning.")).await;
    let d = editor.call("get_template", &[("tenant", &a), ("id", &id)]).await.json();
    assert_eq!(d["revision"].as_i64(), Some(2));
    assert!(d["content"]["components"][0]["text"].as_str().is_some_and(|t| t.ends_with("tomorrow morning.")));
    // Bad input is reported and changes nothing.
    let r = call(&editor, edit("   ")).await;
    assert_eq!(r.json()["errors"][0], serde_json::json!({"field": "body", "code": "required"}));
    assert_eq!(editor.call("submit_template", &[("tenant", &a), ("id", &id)]).await.status, StatusCode::OK);
    let q = reviewer.call("list_review_queue", &[]).await.json();
    assert_eq!((q[0]["name"].as_str(), q[0]["revision"].as_i64()), (Some("promo_note"), Some(2)));
    // While in review it cannot be edited; viewers never can.
    assert_eq!(call(&editor, edit("Hello {{1}}, anything else at all here today.")).await.status, StatusCode::CONFLICT);
    let viewer = app.signed_in(VIEWER_A, PW).await;
    assert_eq!(call(&viewer, edit("Hello {{1}}, anything else at all here today.")).await.status, StatusCode::FORBIDDEN);
});
