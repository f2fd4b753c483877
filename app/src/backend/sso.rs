//! Staff sign-in through the organisation's OpenID Connect provider: the authorization code
//! flow with PKCE, state and nonce (https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth),
//! with the `openidconnect` crate. Discovery answers are kept five minutes; the HTTP client
//! follows no redirects (the crate's advice against SSRF) and gives up after 10 seconds.

use openidconnect::{
    core::{CoreClient, CoreProviderMetadata, CoreResponseType},
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
    time::{Duration, Instant},
};

/// `OIDC_*`: the provider and what it may sign in.
#[derive(Clone, Debug)]
pub struct SsoConfig {
    /// `OIDC_ISSUER`: the provider's issuer URL, exactly as its discovery document says.
    pub issuer: String,
    /// `OIDC_CLIENT_ID` / `OIDC_CLIENT_SECRET`: the console's registration at the provider.
    pub client_id: String,
    pub client_secret: SecretString,
    /// `OIDC_ALLOWED_DOMAINS`: the email domains whose users may sign in this way.
    pub allowed_domains: Vec<String>,
    /// `OIDC_ROLE_CLAIM`: a claim naming the staff role (`reviewer`, `finance`, `admin`).
    pub role_claim: Option<String>,
    /// `OIDC_SCOPES`: scopes asked for besides `openid email profile` (e.g. the one that
    /// grants the role claim).
    pub extra_scopes: Vec<String>,
    /// `OIDC_LABEL`: the sign-in button's text (default "Single sign-on").
    pub label: String,
    /// `OIDC_TRUST_MFA`: the provider asks for a second factor itself, so its sign-ins are
    /// not sent to enrol here (`REQUIRE_2FA_FOR`); default false.
    pub trust_mfa: bool,
}

/// Why a provider sign-in did not happen; the sign-in page says which (`code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SsoRefusal {
    /// The provider could not be reached or answered what cannot be verified (issuer,
    /// audience, signature, expiry, nonce).
    #[error("the provider's answer could not be verified")]
    Failed,
    /// No sign-in was started from this browser, it is stale, or the `state` differs.
    #[error("no matching sign-in in progress")]
    State,
    /// The provider said no (the user cancelled or is not allowed).
    #[error("the provider refused")]
    Denied,
    /// The email is missing or not verified by the provider.
    #[error("email not verified")]
    Unverified,
    /// The email's domain is not one of `OIDC_ALLOWED_DOMAINS`.
    #[error("domain not allowed")]
    Domain,
    /// No staff account to sign in to, and none may be made from the claims.
    #[error("no staff account")]
    NoAccount,
    /// The account is disabled.
    #[error("account disabled")]
    Disabled,
}

impl SsoRefusal {
    pub fn code(self) -> &'static str {
        match self {
            SsoRefusal::Failed => "failed",
            SsoRefusal::State => "state",
            SsoRefusal::Denied => "denied",
            SsoRefusal::Unverified => "unverified",
            SsoRefusal::Domain => "domain",
            SsoRefusal::NoAccount => "no_account",
            SsoRefusal::Disabled => "disabled",
        }
    }
}

/// What the browser's session keeps between the redirect to the provider and the callback.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// What the provider vouches for, after every check.
#[derive(Clone, Debug)]
pub struct Verified {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// The value(s) of `OIDC_ROLE_CLAIM`, when configured and present.
    pub roles: Vec<String>,
}

fn http() -> Result<reqwest::Client, SsoRefusal> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|_| SsoRefusal::Failed)
}

const METADATA_TTL: Duration = Duration::from_secs(300);

type Cache = Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>;
static METADATA: LazyLock<Cache> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The provider's discovery document and keys (kept five minutes).
async fn metadata(cfg: &SsoConfig) -> Result<CoreProviderMetadata, SsoRefusal> {
    if let Some((at, m)) = METADATA
        .lock()
        .ok()
        .and_then(|c| c.get(&cfg.issuer).cloned())
    {
        if at.elapsed() < METADATA_TTL {
            return Ok(m);
        }
    }
    let issuer = IssuerUrl::new(cfg.issuer.clone()).map_err(|_| SsoRefusal::Failed)?;
    let m = CoreProviderMetadata::discover_async(issuer, &http()?)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "OpenID provider discovery failed");
            SsoRefusal::Failed
        })?;
    if let Ok(mut c) = METADATA.lock() {
        c.insert(cfg.issuer.clone(), (Instant::now(), m.clone()));
    }
    Ok(m)
}

fn redirect_url(public_url: &str) -> Result<RedirectUrl, SsoRefusal> {
    RedirectUrl::new(format!(
        "{}/auth/oidc/callback",
        public_url.trim_end_matches('/')
    ))
    .map_err(|_| SsoRefusal::Failed)
}

/// The provider's authorization URL for a new sign-in, and what the session must keep.
pub async fn begin(
    cfg: &SsoConfig,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(String, Pending), SsoRefusal> {
    let client = CoreClient::from_provider_metadata(
        metadata(cfg).await?,
        ClientId::new(cfg.client_id.clone()),
        Some(ClientSecret::new(
            cfg.client_secret.expose_secret().to_owned(),
        )),
    )
    .set_redirect_uri(redirect_url(public_url)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge);
    for scope in &cfg.extra_scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.url();
    Ok((
        url.to_string(),
        Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            at: now,
        },
    ))
}

/// Trades the callback's code for tokens and verifies the ID token: signature with the
/// provider's keys, issuer, audience (this client), expiry and the nonce of `pending`.
pub async fn finish(
    cfg: &SsoConfig,
    public_url: &str,
    pending: &Pending,
    code: &str,
) -> Result<Verified, SsoRefusal> {
    let client = CoreClient::from_provider_metadata(
        metadata(cfg).await?,
        ClientId::new(cfg.client_id.clone()),
        Some(ClientSecret::new(
            cfg.client_secret.expose_secret().to_owned(),
        )),
    )
    .set_redirect_uri(redirect_url(public_url)?);
    let http = http()?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|_| SsoRefusal::Failed)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "OpenID token exchange failed");
            SsoRefusal::Failed
        })?;
    let id_token = tokens.id_token().ok_or(SsoRefusal::Failed)?;
    let verifier = client.id_token_verifier();
    let verified = verify(&verifier, id_token, &Nonce::new(pending.nonce.clone()), cfg);
    if verified.is_err() {
        // Perhaps the provider rotated its keys: the next sign-in reads them again.
        if let Ok(mut c) = METADATA.lock() {
            c.remove(&cfg.issuer);
        }
    }
    verified
}

/// Checks an ID token as [`finish`] does (tests give it tokens made for other clients).
pub fn verify(
    verifier: &openidconnect::core::CoreIdTokenVerifier<'_>,
    id_token: &openidconnect::core::CoreIdToken,
    nonce: &Nonce,
    cfg: &SsoConfig,
) -> Result<Verified, SsoRefusal> {
    let claims = id_token.claims(verifier, nonce).map_err(|e| {
        tracing::warn!(error = %e, "ID token refused");
        SsoRefusal::Failed
    })?;
    Ok(Verified {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        // ASCII only: a look-alike address must not match a staff account's after folding.
        email: claims
            .email()
            .map(|e| e.to_string())
            .filter(|e| e.is_ascii())
            .map(|e| e.to_ascii_lowercase()),
        email_verified: claims.email_verified() == Some(true),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string()),
        roles: cfg
            .role_claim
            .as_deref()
            .map(|c| role_values(&id_token.to_string(), c))
            .unwrap_or_default(),
    })
}

/// The values of a custom claim of an ID token already verified: a string or a list of them.
fn role_values(jwt: &str, claim: &str) -> Vec<String> {
    use base64::Engine;
    let payload = jwt
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    match payload.as_ref().and_then(|p| p.get(claim)) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_claim_is_a_string_or_a_list() {
        use base64::Engine;
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let jwt = |payload: &str| format!("{}.{}.sig", enc("{}"), enc(payload));
        assert_eq!(
            role_values(&jwt(r#"{"bsp_role":"finance"}"#), "bsp_role"),
            ["finance"]
        );
        assert_eq!(
            role_values(&jwt(r#"{"bsp_role":["x","reviewer"]}"#), "bsp_role"),
            ["x", "reviewer"]
        );
        assert!(role_values(&jwt(r#"{"other":1}"#), "bsp_role").is_empty());
        assert!(role_values("not a jwt", "bsp_role").is_empty());
    }
}
