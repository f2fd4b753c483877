//! Staff sign-in through a real OpenID provider (panva's oidc-provider, started per test from
//! `server/tests/oidc/op.mjs`): the code flow with PKCE, state and nonce; linking to an
//! existing staff account by verified email; accounts made from the role claim (never admin);
//! refusals for an unknown domain, a tenant user, a wrong or replayed state, a token for another
//! audience, and a provider that names another issuer.

use crate::support::*;
use app::backend::sso::{SsoConfig, SsoRefusal};
use reqwest::{header, redirect::Policy, StatusCode};
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

/// Where the provider sends the browser back: the console's `PUBLIC_URL` in these tests
/// (the test follows that redirect to the real address by hand).
const PUBLIC: &str = "http://127.0.0.1:9";

struct Provider {
    base: String,
    _child: tokio::process::Child,
}

/// Starts the provider (`issuer`: what its discovery document claims, default its address).
async fn provider(issuer: Option<&str>) -> Option<Provider> {
    let Ok(script) = std::env::var("TEST_OIDC_PROVIDER") else {
        assert!(
            !in_ci(),
            "CI=true but TEST_OIDC_PROVIDER is not set: the OpenID provider is missing"
        );
        eprintln!("skipping: no OpenID provider (set TEST_OIDC_PROVIDER)");
        return None;
    };
    let mut cmd = tokio::process::Command::new("node");
    cmd.arg(&script)
        .env("PORT", "0")
        .env("CLIENT_ID", "console")
        .env("CLIENT_SECRET", "console-secret")
        .env("OTHER_CLIENT_ID", "other")
        .env("OTHER_CLIENT_SECRET", "other-secret")
        .env("REDIRECT_URI", format!("{PUBLIC}/auth/oidc/callback"))
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some(i) = issuer {
        cmd.env("ISSUER", i);
    }
    let mut child = cmd.spawn().expect("node runs the OpenID provider");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the provider starts")
        .expect("read")
        .expect("a line");
    let port = line
        .strip_prefix("listening ")
        .expect("listening <port>")
        .trim()
        .to_owned();
    Some(Provider {
        base: format!("http://127.0.0.1:{port}"),
        _child: child,
    })
}

fn config(issuer: &str) -> SsoConfig {
    SsoConfig {
        issuer: issuer.to_owned(),
        client_id: "console".into(),
        client_secret: secrecy::SecretString::from("console-secret".to_owned()),
        allowed_domains: vec!["bsp.test".into(), "a.test".into()],
        role_claim: Some("bsp_role".into()),
        extra_scopes: vec!["bsp".into()],
        label: "Sign in with Corp ID".into(),
        trust_mfa: true,
    }
}

fn location(r: &Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

fn absolute(base: &str, loc: &str) -> String {
    if loc.starts_with('/') {
        format!("{base}{loc}")
    } else {
        loc.to_owned()
    }
}

/// The user at the provider: logs in as `login` wherever the browser was sent, and returns
/// the redirect back to the console (path and query).
async fn at_provider(p: &Provider, authorize: &str, login: &str) -> String {
    let idp = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    let loc = |r: &reqwest::Response| {
        r.headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let r = idp.get(authorize).send().await.expect("authorize");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "authorize");
    let interaction = absolute(&p.base, &loc(&r));
    let r = idp
        .post(&interaction)
        .form(&[("prompt", "login"), ("login", login), ("password", "x")])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login");
    let resume = absolute(&p.base, &loc(&r));
    let r = idp.get(&resume).send().await.expect("resume");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "resume");
    let back = loc(&r);
    back.strip_prefix(PUBLIC)
        .expect("sent back to the console")
        .to_owned()
}

/// A whole sign-in from the console's button: where the browser ends up.
async fn sign_in_as(app: &TestApp, p: &Provider, browser: &Session, login: &str) -> String {
    let r = browser.get("/auth/oidc/start").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let authorize = location(&r);
    assert!(
        authorize.starts_with(&p.base)
            && authorize.contains("code_challenge_method=S256")
            && authorize.contains("nonce="),
        "{authorize}"
    );
    let back = at_provider(p, &authorize, login).await;
    let r = browser.get(&back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let _ = app;
    location(&r)
}

async fn staff_role(app: &TestApp, email: &str) -> Option<String> {
    app::backend::repo::users::find_by_email(&app.state.db, email)
        .await
        .expect("user")
        .and_then(|u| u.staff_role.map(|r| r.code().to_owned()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_with_the_organisations_openid_provider() {
    let Some(p) = provider(None).await else {
        return;
    };
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.public_url = PUBLIC.into();
        c.sso = Some(config(&p.base));
        // Staff must have a second factor, but the provider's stands for it (OIDC_TRUST_MFA).
        c.require_2fa = app::backend::state::TwoFactorPolicy::Staff;
    })
    .await;
    fixture(&app).await;
    // The sign-in page offers the provider.
    let page = app.client().get("/sign-in").await;
    assert!(page.body.contains("Sign in with Corp ID"), "{}", page.body);

    // An existing staff account, found by the provider's verified email, is linked and signed in.
    let browser = app.client();
    assert_eq!(sign_in_as(&app, &p, &browser, REVIEWER).await, "/");
    let me = browser.call("session", &[]).await.json();
    assert_eq!(me["user"]["email"], REVIEWER, "{me}");
    assert_eq!(me["must_enrol"], false, "{me}");
    // Next time the link is used (the same subject), from another browser.
    let again = app.client();
    assert_eq!(sign_in_as(&app, &p, &again, REVIEWER).await, "/");

    // A finance user named by the role claim gets a finance account; an admin claim makes none.
    assert_eq!(
        sign_in_as(&app, &p, &app.client(), "role=finance:fiona@bsp.test").await,
        "/"
    );
    assert_eq!(
        staff_role(&app, "fiona@bsp.test").await.as_deref(),
        Some("finance")
    );
    assert_eq!(
        sign_in_as(&app, &p, &app.client(), "role=admin:boss@bsp.test").await,
        "/sign-in?sso=no_account"
    );
    assert_eq!(staff_role(&app, "boss@bsp.test").await, None);
    // No account and no role; another domain; a tenant's user: refused, nothing made.
    for (login, code) in [
        ("nobody@bsp.test", "no_account"),
        ("role=reviewer:eve@evil.test", "domain"),
        (OWNER_A, "no_account"),
    ] {
        assert_eq!(
            sign_in_as(&app, &p, &app.client(), login).await,
            format!("/sign-in?sso={code}"),
            "{login}"
        );
    }
    let refused = app.client().get("/sign-in?sso=domain").await;
    assert!(
        refused.body.contains("cannot sign in here"),
        "{}",
        refused.body
    );

    // A callback whose state is not the one this browser started with, or used once already.
    let browser = app.client();
    let r = browser.get("/auth/oidc/start").await;
    let back = at_provider(&p, &location(&r), ADMIN).await;
    let forged = back.replace("state=", "state=x");
    assert_eq!(location(&browser.get(&forged).await), "/sign-in?sso=state");
    assert_eq!(
        location(&browser.get(&back).await),
        "/sign-in?sso=state",
        "the state was spent by the forged try"
    );
    let stranger = app.client();
    let r = browser.get("/auth/oidc/start").await;
    let back = at_provider(&p, &location(&r), ADMIN).await;
    assert_eq!(
        location(&stranger.get(&back).await),
        "/sign-in?sso=state",
        "another browser's callback"
    );
    assert_eq!(location(&browser.get(&back).await), "/");
    // Without OIDC_TRUST_MFA the policy holds: a staff user without a second factor enrols.
    let strict = app
        .sibling_with(|c| {
            c.public_url = PUBLIC.into();
            c.sso = Some(SsoConfig {
                trust_mfa: false,
                ..config(&p.base)
            });
            c.require_2fa = app::backend::state::TwoFactorPolicy::Staff;
        })
        .await;
    assert_eq!(
        sign_in_as(&strict, &p, &strict.client(), REVIEWER).await,
        "/account/two-factor"
    );
    // Every link and account made is in the audit log.
    use sea_orm::ConnectionTrait;
    let rows = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT action FROM audit_log WHERE action LIKE 'user.sso%' ORDER BY action".to_owned(),
        ))
        .await
        .expect("audit");
    let actions: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "action").ok())
        .collect();
    assert_eq!(
        actions,
        ["user.sso_created", "user.sso_linked", "user.sso_linked"],
        "fiona made; the reviewer and the admin linked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_for_another_audience_or_from_another_issuer_is_refused() {
    use openidconnect::{
        core::{CoreClient, CoreProviderMetadata, CoreResponseType},
        AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
        PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
    };
    let Some(p) = provider(None).await else {
        return;
    };
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let meta = CoreProviderMetadata::discover_async(
        IssuerUrl::new(p.base.clone()).expect("issuer"),
        &http,
    )
    .await
    .expect("discovery");
    let client = |id: &str, secret: &str| {
        CoreClient::from_provider_metadata(
            meta.clone(),
            ClientId::new(id.into()),
            Some(ClientSecret::new(secret.into())),
        )
        .set_redirect_uri(
            RedirectUrl::new(format!("{PUBLIC}/auth/oidc/callback")).expect("redirect"),
        )
    };
    // The provider's token for the other client, obtained as that client would.
    let other = client("other", "other-secret");
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, _, nonce) = other
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let back = at_provider(&p, url.as_str(), REVIEWER).await;
    let code = url::Url::parse(&format!("{PUBLIC}{back}"))
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("code");
    let tokens = other
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("tokens");
    let id_token = tokens.id_token().expect("id token");
    let cfg = config(&p.base);
    // Good for the client it was made for …
    let mine = app::backend::sso::verify(&other.id_token_verifier(), id_token, &nonce, &cfg);
    assert_eq!(mine.map(|v| v.email), Ok(Some(REVIEWER.to_owned())));
    // … refused by the console: not its audience; nor with another nonce.
    let console = client("console", "console-secret");
    assert_eq!(
        app::backend::sso::verify(&console.id_token_verifier(), id_token, &nonce, &cfg)
            .map(|v| v.subject),
        Err(SsoRefusal::Failed)
    );
    assert_eq!(
        app::backend::sso::verify(
            &other.id_token_verifier(),
            id_token,
            &Nonce::new("another".into()),
            &cfg
        )
        .map(|v| v.subject),
        Err(SsoRefusal::Failed)
    );

    // A provider whose discovery document names another issuer is not trusted at all.
    let Some(liar) = provider(Some("https://login.example.com")).await else {
        return;
    };
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.public_url = PUBLIC.into();
        c.sso = Some(config(&liar.base));
    })
    .await;
    let r = app.client().get("/auth/oidc/start").await;
    assert_eq!(
        (r.status, location(&r)),
        (StatusCode::SEE_OTHER, "/sign-in?sso=failed".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_configured_there_is_no_single_sign_on() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let browser = app.client();
    assert_eq!(
        browser.get("/auth/oidc/start").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser
            .get("/auth/oidc/callback?code=x&state=y")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(!browser
        .get("/sign-in")
        .await
        .body
        .contains("/auth/oidc/start"));
}
