//! The outbox sender over real SMTP (aiosmtpd): delivery, exactly-once with two processes,
//! backoff and dead letter, admin resend.

use crate::{both, support::*};
use app::backend::{auth::operator_scope, services};
use chrono::TimeDelta;
use server::{email::Transport, jobs::send_emails_once};

async fn invite(app: &TestApp, f: &Fixture, email: &str) {
    let op = operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, f.a)
        .await
        .expect("scope");
    services::invitations::invite(&scope, email, "owner")
        .await
        .expect("invite");
}

fn unique(tag: &str) -> String {
    format!("{tag}-{}@mail.test", uuid::Uuid::now_v7().simple())
}

both!(
    an_invitation_email_is_delivered_over_smtp_in_the_tenants_language,
    async |app: &TestApp| {
        let Some((url, maildir)) = smtp_sink() else {
            return;
        };
        let f = fixture(app).await;
        let to = unique("invite");
        invite(app, &f, &to).await;
        let transport = Transport::from_config(Some(&url), "BSP Console <no-reply@bsp.test>")
            .expect("transport");
        assert_eq!(send_emails_once(&app.state, &transport).await.ok(), Some(1));
        assert_eq!(
            send_emails_once(&app.state, &transport).await.ok(),
            Some(0),
            "nothing left to send"
        );
        let mails = mails_to(&maildir, &to);
        assert_eq!(mails.len(), 1);
        let m = &mails[0];
        assert!(m.contains("Subject: You are invited to Alpha"), "{m}");
        assert!(m.contains("text/plain") && m.contains("text/html"));
        assert!(m.contains(&format!("{}/invite/", app.base)));
        let op = operator_scope(&app.state, "test");
        let rows = services::outbox::list(&op).await.expect("outbox");
        let row = rows.iter().find(|r| r.recipient == to).expect("row");
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));
        // The sent copy no longer holds the link's token (a backup must not create accounts) …
        let token = m
            .split(&format!("{}/invite/", app.base))
            .nth(1)
            .map(|rest| rest.chars().take(64).collect::<String>())
            .expect("a token in the mail");
        assert_eq!(token.len(), 64);
        let payloads = {
            use sea_orm::ConnectionTrait;
            let db = &app.state.db;
            db.query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT payload FROM email_outbox".to_owned(),
            ))
            .await
            .expect("payloads")
            .iter()
            .filter_map(|r| r.try_get::<String>("", "payload").ok())
            .collect::<Vec<_>>()
        };
        assert!(!payloads.is_empty());
        assert!(payloads.iter().all(|p| !p.contains(&token)), "{payloads:?}");
        // … so it cannot be sent again as it was: the invitation is resent instead.
        let again = services::outbox::requeue(&op, row.id).await;
        assert_eq!(
            again,
            Err(app::contract::AppError::conflict(
                app::contract::ConflictReason::NotAllowedNow
            ))
        );
        // Sent emails are kept 30 days.
        let system = app::backend::auth::system_scope(&app.state);
        app.advance(TimeDelta::days(29));
        assert_eq!(services::outbox::prune_sent(&system).await, Ok(0));
        app.advance(TimeDelta::days(2));
        assert_eq!(services::outbox::prune_sent(&system).await, Ok(1));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_send_each_email_exactly_once() {
    let Some((url, maildir)) = smtp_sink() else {
        return;
    };
    let one = TestApp::spawn(Db::Postgres).await;
    let two = one.spawn_sibling().await;
    let f = fixture(&one).await;
    let recipients: Vec<String> = (0..8).map(|i| unique(&format!("once{i}"))).collect();
    for r in &recipients {
        invite(&one, &f, r).await;
    }
    let t =
        Transport::from_config(Some(&url), "BSP Console <no-reply@bsp.test>").expect("transport");
    let (a, b) = tokio::join!(
        send_emails_once(&one.state, &t),
        send_emails_once(&two.state, &t)
    );
    assert_eq!(a.unwrap_or(0) + b.unwrap_or(0), 8);
    for r in &recipients {
        assert_eq!(mails_to(&maildir, r).len(), 1, "{r}");
    }
    one.drop_db().await;
}

both!(
    an_unreachable_smtp_server_is_retried_until_it_is_back_and_an_admin_can_resend,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let to = unique("dead");
        invite(app, &f, &to).await;
        // Nothing listens on port 9 of loopback: every attempt fails.
        let broken = Transport::from_config(Some("smtp://127.0.0.1:9"), "x <x@bsp.test>")
            .expect("transport");
        let op = operator_scope(&app.state, "test");
        let status = async || {
            services::outbox::list(&op)
                .await
                .expect("outbox")
                .into_iter()
                .find(|r| r.recipient == to)
                .map(|r| (r.status, r.attempts))
        };
        assert_eq!(send_emails_once(&app.state, &broken).await.ok(), Some(0));
        assert_eq!(status().await, Some(("pending".into(), 1)));
        // Not due again before its backoff.
        send_emails_once(&app.state, &broken).await.ok();
        assert_eq!(status().await, Some(("pending".into(), 1)));
        for _ in 0..12 {
            app.advance(TimeDelta::minutes(11));
            send_emails_once(&app.state, &broken).await.ok();
        }
        assert_eq!(
            status().await,
            Some(("pending".into(), 13)),
            "a connection failure is never a dead letter"
        );
        let admin = app.signed_in(ADMIN, PW).await;
        let id = services::outbox::list(&op)
            .await
            .expect("outbox")
            .into_iter()
            .find(|r| r.recipient == to)
            .map(|r| r.id.to_string())
            .unwrap_or_default();
        assert_eq!(
            admin.call("resend_email", &[("id", &id)]).await.status,
            reqwest::StatusCode::OK
        );
        assert_eq!(status().await, Some(("pending".into(), 0)));
    }
);
