//! The review queue: reviewers see every tenant's submissions oldest first, claim and decide;
//! tenants see the reason and note; decisions on a moved or claimed revision are refused.

use crate::{both, support::*};
use reqwest::StatusCode;

const NO_FILTER: [(&str, &str); 6] = [
    ("tenant", ""),
    ("category", ""),
    ("language", ""),
    ("severity", ""),
    ("search", ""),
    ("page", ""),
];

fn queue_names(q: &serde_json::Value) -> Vec<String> {
    q["rows"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn decide<'a>(
    tenant: &'a str,
    id: &'a str,
    revision: &'a str,
    decision: &'a str,
    reason: &'a str,
    note: &'a str,
) -> [(&'a str, &'a str); 6] {
    [
        ("tenant", tenant),
        ("id", id),
        ("revision", revision),
        ("decision", decision),
        ("reason", reason),
        ("note", note),
    ]
}

async fn submitted(
    app: &TestApp,
    tenant: app::domain::ids::TenantId,
    name: &str,
    body: &str,
) -> String {
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, tenant)
        .await
        .expect("scope");
    let form = app::domain::template::draft::DraftForm {
        name: name.into(),
        language: "en".into(),
        category: "UTILITY".into(),
        body: body.into(),
        examples: "Ana".into(),
        ..Default::default()
    };
    let id = app::backend::services::templates::create(&scope, &form, false)
        .await
        .expect("create");
    app::backend::services::templates::submit(&scope, id)
        .await
        .expect("submit");
    id.to_string()
}

both!(
    reviewers_decide_and_tenants_see_the_outcome,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let t1 = submitted(
            app,
            f.a,
            "first_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let t2 = submitted(
            app,
            f.b,
            "second_one",
            "Hello {{1}}, your table for tonight is confirmed, see you soon.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let q = reviewer.call("list_review_queue", &NO_FILTER).await.json();
        assert_eq!(
            queue_names(&q),
            ["first_one", "second_one"],
            "oldest first, across tenants"
        );
        // A rejection needs a platform reason.
        let r = reviewer
            .call("decide_template", &decide(&a, &t1, "1", "reject", "", ""))
            .await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "reason", "code": "required"})
        );
        let r = reviewer
            .call(
                "decide_template",
                &decide(
                    &a,
                    &t1,
                    "1",
                    "reject",
                    "PROMOTIONAL",
                    "Too salesy for utility.",
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The same decision again finds the revision moved on.
        let r = reviewer
            .call("decide_template", &decide(&a, &t1, "1", "approve", "", ""))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // Owners and editors of the tenant get an email, through the outbox.
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let mails: Vec<_> = app::backend::services::outbox::list(&op)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.kind == "template_decision")
            .map(|m| m.recipient)
            .collect();
        let mut mails = mails;
        mails.sort();
        assert_eq!(mails, [EDITOR_A, OWNER_A]);
        // The tenant sees status, reason and note.
        let owner = app.signed_in(OWNER_A, PW).await;
        let d = owner
            .call("get_template", &[("tenant", &a), ("id", &t1)])
            .await
            .json();
        assert_eq!(
            (
                d["status"].as_str(),
                d["reason"].as_str(),
                d["note"].as_str()
            ),
            (
                Some("BSP_REJECTED"),
                Some("PROMOTIONAL"),
                Some("Too salesy for utility.")
            )
        );
        assert_eq!(d["can_review"], false);
        // Approve the other; the tenant id must match the template's.
        let r = reviewer
            .call("decide_template", &decide(&a, &t2, "1", "approve", "", ""))
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "another tenant's template through this tenant"
        );
        let r = reviewer
            .call("decide_template", &decide(&b, &t2, "1", "approve", "", ""))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            queue_names(&reviewer.call("list_review_queue", &NO_FILTER).await.json()).is_empty()
        );
        // Tenant users cannot decide.
        assert_eq!(
            owner
                .call("decide_template", &decide(&a, &t1, "1", "approve", "", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

both!(
    a_rejected_template_is_edited_into_a_new_revision_and_resubmitted,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = submitted(
            app,
            f.a,
            "promo_note",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        reviewer
            .call(
                "decide_template",
                &decide(&a, &id, "1", "request_changes", "", "Say when it arrives."),
            )
            .await;
        let editor = app.signed_in(EDITOR_A, PW).await;
        let edit = |body: &'static str| {
            vec![
                ("tenant", a.clone()),
                ("id", id.clone()),
                ("category", "utility".to_owned()),
                ("header", String::new()),
                ("body", body.to_owned()),
                ("footer", String::new()),
                ("examples", "Ana".to_owned()),
            ]
        };
        let call = async |s: &Session, args: Vec<(&'static str, String)>| {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.call("edit_template", &args).await
        };
        // A new revision, as a draft; the reviewed one stays as history.
        let r = call(
            &editor,
            edit("Hello {{1}}, your parcel left our warehouse and arrives tomorrow."),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let d = editor
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            (
                d["revision"].as_i64(),
                d["status"].as_str(),
                d["content"]["name"].as_str()
            ),
            (Some(2), Some("DRAFT"), Some("promo_note"))
        );
        // Editing the draft again changes it in place.
        call(
            &editor,
            edit("Hello {{1}}, your parcel left our warehouse and arrives tomorrow morning."),
        )
        .await;
        let d = editor
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(d["revision"].as_i64(), Some(2));
        assert!(d["content"]["components"][0]["text"]
            .as_str()
            .is_some_and(|t| t.ends_with("tomorrow morning.")));
        // Bad input is reported and changes nothing.
        let r = call(&editor, edit("   ")).await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "body", "code": "required"})
        );
        assert_eq!(
            editor
                .call("submit_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        let q = reviewer.call("list_review_queue", &NO_FILTER).await.json();
        assert_eq!(
            (
                q["rows"][0]["name"].as_str(),
                q["rows"][0]["revision"].as_i64()
            ),
            (Some("promo_note"), Some(2))
        );
        // The reviewer sees what changed since the revision that was sent back.
        let r = reviewer
            .call("open_review", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(r["diff"][0], 1);
        let body_diff = &r["diff"][1][0];
        assert_eq!(body_diff["component"], "body");
        let added: Vec<&str> = body_diff["pieces"]
            .as_array()
            .map(|p| {
                p.iter()
                    .filter(|x| x["change"] == "added")
                    .filter_map(|x| x["text"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let removed: Vec<&str> = body_diff["pieces"]
            .as_array()
            .map(|p| {
                p.iter()
                    .filter(|x| x["change"] == "removed")
                    .filter_map(|x| x["text"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            (added.concat().as_str(), removed.concat().as_str()),
            ("and arrives tomorrow", "this")
        );
        assert_eq!(r["past"][0]["note"], "Say when it arrives.");
        // The history keeps both revisions.
        let h = editor
            .call("template_history", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            h.as_array().map(|v| v
                .iter()
                .map(|r| r["status"].as_str().unwrap_or(""))
                .collect::<Vec<_>>()),
            Some(vec!["CHANGES_REQUESTED", "IN_BSP_REVIEW"])
        );
        // While in review it cannot be edited; viewers never can.
        assert_eq!(
            call(
                &editor,
                edit("Hello {{1}}, anything else at all here today.")
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        let viewer = app.signed_in(VIEWER_A, PW).await;
        assert_eq!(
            call(
                &viewer,
                edit("Hello {{1}}, anything else at all here today.")
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
);

both!(
    claiming_is_a_post_and_a_second_reviewer_is_refused_until_it_runs_out,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = submitted(
            app,
            f.a,
            "claimed_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let (rita, admin) = (
            app.signed_in(REVIEWER, PW).await,
            app.signed_in(ADMIN, PW).await,
        );
        // Opening the page (a GET, which another site can make in a reviewer's name) claims
        // nothing.
        let args = [("tenant", a.as_str()), ("id", id.as_str())];
        assert_eq!(
            rita.get(&format!("/review/{a}/{id}")).await.status,
            StatusCode::OK
        );
        let opened = rita.call("open_review", &args).await.json();
        assert_eq!(
            (opened["claimed_by_me"].as_bool(), opened["claim"].is_null()),
            (Some(false), true),
            "{opened}"
        );
        // Both claim at once: exactly one holds the claim.
        let (x, y) = tokio::join!(
            rita.call("claim_template", &args),
            admin.call("claim_template", &args)
        );
        assert_eq!(
            [x.status, y.status]
                .iter()
                .filter(|s| **s == StatusCode::OK)
                .count(),
            1,
            "{} {}",
            x.body,
            y.body
        );
        let (winner, loser) = if x.status == StatusCode::OK {
            (&rita, &admin)
        } else {
            (&admin, &rita)
        };
        let mine = winner.call("open_review", &args).await.json();
        assert_eq!(mine["claimed_by_me"].as_bool(), Some(true), "{mine}");
        // The loser sees who holds it, cannot decide, and is told why.
        let seen = loser
            .call("open_review", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            (
                seen["claimed_by_me"].as_bool(),
                seen["detail"]["can_review"].as_bool()
            ),
            (Some(false), Some(false))
        );
        assert!(seen["claim"]["by_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()));
        let r = loser
            .call("decide_template", &decide(&a, &id, "1", "approve", "", ""))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::CONFLICT, "claimed_by_other".to_owned()),
            "{}",
            r.body
        );
        let r = loser
            .call("claim_template", &[("tenant", &a), ("id", &id)])
            .await;
        assert_eq!(r.code(), "claimed_by_other");
        // The queue shows the claim.
        let q = loser.call("list_review_queue", &NO_FILTER).await.json();
        assert!(q["rows"][0]["claim"]["until"].is_string());
        assert_eq!(
            q["rows"][0]["claim"]["by_name"], seen["claim"]["by_name"],
            "the queue names who holds it"
        );
        // Activity extends the claim; after 15 idle minutes it lapses and the other may take it.
        app.clock.advance(chrono::TimeDelta::minutes(10));
        assert_eq!(
            winner
                .call("claim_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        app.clock.advance(chrono::TimeDelta::minutes(10));
        assert_eq!(
            loser
                .call("claim_template", &[("tenant", &a), ("id", &id)])
                .await
                .code(),
            "claimed_by_other",
            "extended at minute 10"
        );
        app.clock.advance(chrono::TimeDelta::minutes(6));
        assert_eq!(
            loser
                .call("claim_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        let r = winner
            .call("decide_template", &decide(&a, &id, "1", "approve", "", ""))
            .await;
        assert_eq!(r.code(), "claimed_by_other");
        // Released, anyone may decide; the decision frees the revision.
        assert_eq!(
            loser
                .call("release_template", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            winner
                .call("decide_template", &decide(&a, &id, "1", "approve", "", ""))
                .await
                .status,
            StatusCode::OK
        );
    }
);

both!(
    a_decision_on_a_revision_the_tenant_replaced_is_refused,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = submitted(
            app,
            f.a,
            "stale_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        reviewer
            .call(
                "decide_template",
                &decide(&a, &id, "1", "request_changes", "", "Add the date."),
            )
            .await;
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let tid = id.parse().expect("id");
        let form = app::domain::template::draft::DraftForm {
            category: "UTILITY".into(),
            body: "Hello {{1}}, your parcel left our warehouse on Monday morning.".into(),
            examples: "Ana".into(),
            ..Default::default()
        };
        app::backend::services::templates::edit(&scope, tid, &form, false)
            .await
            .expect("edit");
        app::backend::services::templates::submit(&scope, tid)
            .await
            .expect("submit");
        // A second reviewer's tab still shows revision 1.
        let r = reviewer
            .call("decide_template", &decide(&a, &id, "1", "approve", "", ""))
            .await;
        assert_eq!(
            (r.status, r.code(), r.json()["current"].as_i64()),
            (StatusCode::CONFLICT, "revision_changed".to_owned(), Some(2))
        );
        assert_eq!(
            reviewer
                .call("decide_template", &decide(&a, &id, "2", "approve", "", ""))
                .await
                .status,
            StatusCode::OK
        );
    }
);

both!(
    change_requests_carry_per_finding_comments_to_the_tenant,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        // A warning-only template (a link to an undeclared domain) can be submitted.
        let id = submitted(
            app,
            f.a,
            "with_link",
            "Hello {{1}}, follow your parcel at https://track.example.org/parcel today.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let r = reviewer
            .call("open_review", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        let key = r["detail"]["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["rule"] == "link.domain_unverified"))
            .map(|x| {
                format!(
                    "{}@{}",
                    x["rule"].as_str().unwrap_or(""),
                    x["component"].as_str().unwrap_or("")
                )
            })
            .expect("finding");
        let mut args = decide(&a, &id, "1", "request_changes", "", "").to_vec();
        args.push(("comment_keys[0]", &key));
        args.push(("comments[0]", "Declare this domain first."));
        let r = reviewer.call("decide_template", &args).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let owner = app.signed_in(OWNER_A, PW).await;
        let d = owner
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        let f = d["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|x| x["rule"] == "link.domain_unverified"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(f["comment"], "Declare this domain first.");
        // Once the domain is declared and verified, the warning goes away.
        let editor = app.signed_in(EDITOR_A, PW).await;
        assert_eq!(
            editor
                .call(
                    "declare_domain",
                    &[("tenant", &a), ("domain", "https://www.Example.org/")]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            editor
                .call(
                    "declare_domain",
                    &[("tenant", &a), ("domain", "example.org")]
                )
                .await
                .json()["errors"][0]["code"],
            "already_taken"
        );
        let domains = editor.call("list_domains", &[("tenant", &a)]).await.json();
        assert_eq!(
            (
                domains[0]["domain"].as_str(),
                domains[0]["verified_at"].is_null()
            ),
            (Some("example.org"), true)
        );
        let did = domains[0]["id"].as_str().unwrap_or("").to_owned();
        assert_eq!(
            editor
                .call(
                    "verify_domain",
                    &[("tenant", &a), ("id", &did), ("verified", "true")]
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            reviewer
                .call(
                    "verify_domain",
                    &[("tenant", &a), ("id", &did), ("verified", "true")]
                )
                .await
                .status,
            StatusCode::OK
        );
        let d = owner
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert!(
            d["findings"]
                .as_array()
                .is_some_and(|f| f.iter().all(|x| x["rule"] != "link.domain_unverified")),
            "{d}"
        );
    }
);

both!(
    the_queue_filters_pages_and_decides_in_bulk,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let (a, b) = (f.a.to_string(), f.b.to_string());
        let t1 = submitted(
            app,
            f.a,
            "bulk_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        app.clock.advance(chrono::TimeDelta::hours(5));
        let t2 = submitted(
            app,
            f.b,
            "bulk_two",
            "Hello {{1}}, your table for tonight is confirmed, see you soon.",
        )
        .await;
        let t3 = submitted(
            app,
            f.a,
            "bulk_three",
            "Hello {{1}}, your parcel was delivered to your neighbour today.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let q = |pairs: &'static [(&'static str, &'static str)]| {
            let mut args: Vec<(&str, String)> = NO_FILTER
                .iter()
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect();
            for (k, v) in pairs {
                if let Some(slot) = args.iter_mut().find(|(x, _)| x == k) {
                    slot.1 = (*v).to_owned();
                }
            }
            args
        };
        let call = async |args: Vec<(&str, String)>| {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            reviewer.call("list_review_queue", &args).await.json()
        };
        // SLA: the first has waited five hours (amber), the others are on time.
        let all = call(q(&[])).await;
        assert_eq!(queue_names(&all), ["bulk_one", "bulk_two", "bulk_three"]);
        assert_eq!(
            (
                all["rows"][0]["sla"].as_str(),
                all["rows"][1]["sla"].as_str(),
                all["rows"][0]["age"].as_str()
            ),
            (Some("amber"), Some("on_time"), Some("5 h 0 min"))
        );
        let mut by_tenant = q(&[]);
        by_tenant[0].1 = b.clone();
        assert_eq!(queue_names(&call(by_tenant).await), ["bulk_two"]);
        assert_eq!(
            queue_names(&call(q(&[("search", "THREE")])).await),
            ["bulk_three"]
        );
        assert_eq!(
            queue_names(&call(q(&[("search", "bet")])).await),
            ["bulk_two"],
            "the tenant's name matches too"
        );
        assert_eq!(
            queue_names(&call(q(&[("search", "%")])).await),
            Vec::<String>::new(),
            "LIKE wildcards are literal"
        );
        assert_eq!(
            queue_names(&call(q(&[("category", "marketing")])).await),
            Vec::<String>::new()
        );
        assert_eq!(
            queue_names(&call(q(&[("severity", "clean"), ("language", "en")])).await).len(),
            3
        );
        assert_eq!(
            queue_names(&call(q(&[("severity", "errors")])).await),
            Vec::<String>::new()
        );
        // Someone else holds the third: the bulk approval decides the rest and says why not it.
        let admin = app.signed_in(ADMIN, PW).await;
        let held = admin
            .call("claim_template", &[("tenant", &a), ("id", &t3)])
            .await;
        assert_eq!(held.status, StatusCode::OK, "{}", held.body);
        let key = |t: &str, id: &str| format!("{t}/{id}/1");
        let (k1, k2, k3) = (key(&a, &t1), key(&b, &t2), key(&a, &t3));
        let r = reviewer
            .call(
                "bulk_decide",
                &[
                    ("decision", "reject"),
                    ("reason", ""),
                    ("note", ""),
                    ("items[0]", &k1),
                ],
            )
            .await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "reason", "code": "required"})
        );
        let r = reviewer
            .call(
                "bulk_decide",
                &[
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                    ("items[0]", &k1),
                    ("items[2]", &k2),
                    ("items[5]", &k3),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let o = r.json();
        assert_eq!(o["decided"], 2);
        assert_eq!(o["refused"][0][0], k3.as_str());
        assert_eq!(queue_names(&call(q(&[])).await), ["bulk_three"]);
        assert_eq!(
            reviewer
                .call(
                    "bulk_decide",
                    &[
                        ("decision", "approve"),
                        ("reason", ""),
                        ("note", ""),
                        ("items[0]", "garbage")
                    ]
                )
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
);

both!(
    without_a_graph_api_approved_templates_wait_until_staff_mark_them_submitted,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = submitted(
            app,
            f.a,
            "manual_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        reviewer
            .call("decide_template", &decide(&a, &id, "1", "approve", "", ""))
            .await;
        let d = reviewer
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(
            (
                d["status"].as_str(),
                d["can_mark_submitted"].as_bool(),
                d["graph_configured"].as_bool()
            ),
            (Some("BSP_APPROVED"), Some(true), Some(false))
        );
        let owner = app.signed_in(OWNER_A, PW).await;
        assert_eq!(
            owner
                .call("mark_template_submitted", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            reviewer
                .call(
                    "mark_template_submitted",
                    &[("tenant", &a), ("id", &id), ("retry", "1")]
                )
                .await
                .status,
            StatusCode::CONFLICT,
            "nothing to retry without a client"
        );
        assert_eq!(
            reviewer
                .call("mark_template_submitted", &[("tenant", &a), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        let d = owner
            .call("get_template", &[("tenant", &a), ("id", &id)])
            .await
            .json();
        assert_eq!(d["status"], "PENDING");
    }
);

both!(
    a_category_change_needs_the_tenants_consent,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let id = submitted(
            app,
            f.a,
            "recat_one",
            "Hello {{1}}, your parcel left our warehouse this morning.",
        )
        .await;
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let mut args = decide(&a, &id, "1", "approve", "", "").to_vec();
        args.push(("category", "MARKETING"));
        let r = reviewer.call("decide_template", &args).await;
        assert_eq!(
            r.json()["errors"][0],
            serde_json::json!({"field": "category", "code": "no_category_consent"})
        );
        // With consent (given in the builder), the revision is approved as marketing.
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, f.a)
            .await
            .expect("scope");
        let form = app::domain::template::draft::DraftForm {
            name: "recat_two".into(),
            language: "en".into(),
            category: "UTILITY".into(),
            body: "Hello {{1}}, your parcel left our warehouse this afternoon.".into(),
            examples: "Ana".into(),
            ..Default::default()
        };
        let id2 = app::backend::services::templates::create(&scope, &form, true)
            .await
            .expect("create");
        app::backend::services::templates::submit(&scope, id2)
            .await
            .expect("submit");
        let id2 = id2.to_string();
        let mut args = decide(&a, &id2, "1", "approve", "", "").to_vec();
        args.push(("category", "MARKETING"));
        assert_eq!(
            reviewer.call("decide_template", &args).await.status,
            StatusCode::OK
        );
        let d = reviewer
            .call("get_template", &[("tenant", &a), ("id", &id2)])
            .await
            .json();
        assert_eq!(
            (
                d["content"]["category"].as_str(),
                d["previous_category"].as_str()
            ),
            (Some("MARKETING"), Some("UTILITY"))
        );
    }
);
