//! Sign-in under attack: parallel guesses, guesses from elsewhere while the owner signs in
//! from their own browser, spoofed client addresses, and a flood of anonymous sign-ins
//! against a real server process (memory bounded, signed-in pages still served).

use crate::{both, support::*};
use reqwest::StatusCode;

both!(
    forty_parallel_guesses_at_one_account_verify_at_most_five,
    async |app: &TestApp| {
        fixture(app).await;
        let guesses = (0..40).map(|i| {
            let s = app.client();
            async move {
                s.call(
                    "sign_in",
                    &[("email", ADMIN), ("password", &format!("guess number {i}"))],
                )
                .await
            }
        });
        let replies = futures_util::future::join_all(guesses).await;
        let verified = replies
            .iter()
            .filter(|r| r.status == StatusCode::UNAUTHORIZED)
            .count();
        for r in &replies {
            assert!(
                [
                    StatusCode::UNAUTHORIZED,
                    StatusCode::TOO_MANY_REQUESTS,
                    StatusCode::SERVICE_UNAVAILABLE
                ]
                .contains(&r.status),
                "{} {}",
                r.status,
                r.body
            );
        }
        assert!(
            (1..=5).contains(&verified),
            "{verified} of 40 parallel guesses had their password checked"
        );
        let refused = replies
            .iter()
            .find(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
            .expect("some guesses are refused");
        let wait: u64 = refused
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("a Retry-After header");
        assert!((1..=900).contains(&wait), "{wait}");
    }
);

both!(
    guesses_from_elsewhere_do_not_lock_the_owner_out_of_their_own_browser,
    async |app: &TestApp| {
        fixture(app).await;
        // The owner signed in from this browser before.
        let owner = app.signed_in(OWNER_A, PW).await;
        owner.call("sign_out", &[]).await;
        // An attacker, with a device cookie of their own account, guesses at the owner's.
        let attacker = app.signed_in(OWNER_B, PW).await;
        let mut statuses = Vec::new();
        for i in 0..8 {
            let r = attacker
                .call(
                    "sign_in",
                    &[("email", OWNER_A), ("password", &format!("guess {i}"))],
                )
                .await;
            statuses.push(r.status);
        }
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::UNAUTHORIZED)
                .count(),
            5,
            "{statuses:?}"
        );
        assert_eq!(statuses[5..], [StatusCode::TOO_MANY_REQUESTS; 3]);
        // Even with the right password, an unknown browser waits …
        let stranger = app
            .client()
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS);
        // … but the owner's own browser signs in.
        let r = owner
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The owner was told, once.
        let warned = outbox(app)
            .await
            .into_iter()
            .filter(|(kind, to)| kind == "sign_in_guessing" && to == OWNER_A)
            .count();
        assert_eq!(warned, 1);
    }
);

both!(
    a_browsers_own_allowance_runs_out_too,
    async |app: &TestApp| {
        fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        owner.call("sign_out", &[]).await;
        for _ in 0..5 {
            let r = owner
                .call("sign_in", &[("email", OWNER_A), ("password", "wrong one")])
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = owner
            .call("sign_in", &[("email", OWNER_A), ("password", PW)])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Other browsers were not affected by the device's failures.
        app.signed_in(OWNER_A, PW).await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_client_cannot_choose_its_own_address() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| c.trust_forwarded_for = true).await;
    fixture(&app).await;
    let s = app.client();
    // The proxy (127.0.0.1, trusted by default) appends the address it saw: 203.0.113.9. The
    // client writes a new address of its own on the left every time.
    for i in 0..20 {
        let r = s
            .client
            .post(format!("{}/api/sign_in", app.base))
            .header("origin", &app.base)
            .header("x-forwarded-for", format!("10.9.{i}.1, 203.0.113.9"))
            .form(&[
                ("email", format!("nobody{i}@bsp.test").as_str()),
                ("password", "x"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = s
        .client
        .post(format!("{}/api/sign_in", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-for", "10.9.99.1, 203.0.113.9")
        .form(&[("email", ADMIN), ("password", PW)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is another address.
    let other = app
        .client()
        .client
        .post(format!("{}/api/sign_in", app.base))
        .header("origin", &app.base)
        .header("x-forwarded-for", "198.51.100.4")
        .form(&[("email", ADMIN), ("password", PW)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(other.status(), StatusCode::OK);
}

/// Resident and peak memory of a process, in kB (`/proc/{pid}/status`).
fn memory_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// 500 anonymous sign-ins at once, each from its own address for its own account (so none is
/// throttled and every one wants argon2's 19 MiB), against the server binary on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_anonymous_sign_ins_at_once_stay_bounded_and_pages_still_load() {
    let dir = tempfile::tempdir().expect("tmp");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        l.local_addr().expect("addr").port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let server = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/flood.db?mode=rwc", dir.path().display()),
        )
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", &base)
        .env("SEED_DEMO", "true")
        .env("REQUIRE_2FA_FOR", "none")
        .env("TRUST_FORWARDED_FOR", "true")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start server");
    let pid = server.id();
    // Killed however the test ends (a failed assertion must not leave it running).
    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let server = KillOnDrop(server);
    let mut up = false;
    for _ in 0..600 {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "server did not start");
    let session = Session {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        base: base.clone(),
    };
    let r = session
        .call(
            "sign_in",
            &[
                ("email", "admin@bsp.example"),
                ("password", app::backend::services::users::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(session.get("/tenants").await.status, StatusCode::OK);
    let (idle_kb, _) = memory_kb(pid);

    let flood_client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let flood = (0..500u32).map(|i| {
        let c = flood_client.clone();
        let base = base.clone();
        async move {
            c.post(format!("{base}/api/sign_in"))
                .header("origin", &base)
                .header(
                    "x-forwarded-for",
                    format!("198.18.{}.{}", i / 250, i % 250 + 1),
                )
                .form(&[
                    ("email", format!("stranger{i}@flood.test")),
                    ("password", "not a password".to_owned()),
                ])
                .send()
                .await
                .map(|r| r.status())
        }
    });
    let flood = tokio::spawn(futures_util::future::join_all(flood));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let during = session.get("/tenants").await;
    let statuses = flood.await.expect("flood");
    let (_, peak_kb) = memory_kb(pid);
    drop(server);

    assert_eq!(
        during.status,
        StatusCode::OK,
        "a signed-in page during the flood"
    );
    let mut seen = std::collections::BTreeMap::new();
    for s in &statuses {
        let s = s.as_ref().map(|s| s.as_u16()).map_err(|e| e.to_string());
        *seen.entry(format!("{s:?}")).or_insert(0) += 1;
    }
    assert!(
        statuses.iter().all(|s| s.as_ref().is_ok_and(|s| [
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE
        ]
        .contains(s))),
        "answers: {seen:?}"
    );
    let grown_mb = peak_kb.saturating_sub(idle_kb) / 1024;
    eprintln!("flood answers {seen:?}; idle {idle_kb} kB, peak {peak_kb} kB");
    assert!(
        grown_mb < 200,
        "peak memory grew {grown_mb} MB over idle ({idle_kb} kB) during the flood"
    );
}
