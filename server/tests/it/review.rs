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
