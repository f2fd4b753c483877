//! The platform's Graph API (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/), as far as the console calls it: creating a
//! message template. Base URL and token are configuration, so tests point it at a local
//! server and the embedded default has none.

use crate::domain::template::model::CreateTemplate;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct GraphConfig {
    /// e.g. `https://graph.facebook.com/v21.0` (no trailing slash).
    pub base_url: String,
    pub token: SecretString,
    /// The Meta app id that owns uploads (`GRAPH_APP_ID`): needed to send profile photos
    /// through the Resumable Upload API; without it photos stay in the console only.
    pub app_id: Option<String>,
}

#[derive(Clone)]
pub struct GraphApi {
    cfg: GraphConfig,
    http: reqwest::Client,
}

/// Why a call failed, and whether trying again later can help.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// No answer (connection, timeout) or a 5xx/429: try again later.
    #[error("the platform did not answer: {0}")]
    Unavailable(String),
    /// The platform refused the request (4xx): its message, shown to staff.
    #[error("the platform refused it ({status}): {message}")]
    Refused { status: u16, message: String },
    /// An answer we cannot read.
    #[error("unexpected answer from the platform: {0}")]
    BadResponse(String),
    #[error("invalid WhatsApp business account id")]
    BadWabaId,
    /// Something the call needs is not set up (e.g. uploads without `GRAPH_APP_ID`).
    #[error("{0}")]
    NotConfigured(String),
}

impl GraphError {
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            GraphError::Unavailable(_) | GraphError::BadResponse(_)
        )
    }
}

/// `POST /{waba-id}/message_templates` answers `{id, status, category}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CreatedTemplate {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
    #[serde(default)]
    error_user_msg: Option<String>,
}

/// `POST /{phone-number-id}/whatsapp_business_profile` body (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProfileUpdate {
    pub messaging_product: &'static str,
    pub about: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub websites: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical: Option<String>,
    /// From [`GraphApi::upload`], when the profile has a photo and uploads are configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_picture_handle: Option<String>,
}

impl From<&crate::domain::profile::Profile> for ProfileUpdate {
    fn from(p: &crate::domain::profile::Profile) -> Self {
        Self {
            messaging_product: "whatsapp",
            about: p.about.clone(),
            address: p.address.clone(),
            description: p.description.clone(),
            email: p.email.clone(),
            websites: p.websites.clone(),
            vertical: p.vertical.clone(),
            profile_picture_handle: None,
        }
    }
}

/// The most of a Graph API answer the console reads (its answers are a few kilobytes).
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Reads an answer's body, refusing one longer than `max` bytes without reading further.
async fn read_bounded(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, GraphError> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(GraphError::BadResponse("answer too large".into()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| GraphError::Unavailable(e.without_url().to_string()))?
    {
        if body.len() + chunk.len() > max {
            return Err(GraphError::BadResponse("answer too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl GraphApi {
    pub fn new(cfg: GraphConfig) -> Result<Self, GraphError> {
        // No redirects: a token is never sent to a host other than the configured one.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| GraphError::Unavailable(e.to_string()))?;
        Ok(Self { cfg, http })
    }

    /// Replaces a phone number's business profile on the platform.
    pub async fn update_profile(
        &self,
        phone_number_id: &str,
        p: &ProfileUpdate,
    ) -> Result<(), GraphError> {
        if phone_number_id.is_empty() || !phone_number_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GraphError::BadWabaId);
        }
        let url = format!(
            "{}/{phone_number_id}/whatsapp_business_profile",
            self.cfg.base_url
        );
        self.post(&url, p).await.map(|_| ())
    }

    /// The same client calling with `token` (a tenant's own) instead of the configured one.
    pub fn with_token(&self, token: Option<SecretString>) -> GraphApi {
        match token {
            Some(token) => GraphApi {
                cfg: GraphConfig {
                    token,
                    ..self.cfg.clone()
                },
                http: self.http.clone(),
            },
            None => self.clone(),
        }
    }

    /// Whether photos can be uploaded (an app id is configured).
    pub fn uploads(&self) -> bool {
        self.cfg.app_id.is_some()
    }

    /// The Resumable Upload API (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles): opens an upload session for `bytes`, sends
    /// them from offset 0 and returns the handle `h` that profile updates and template
    /// samples refer to.
    pub async fn upload(&self, bytes: &[u8], file_type: &str) -> Result<String, GraphError> {
        #[derive(Deserialize)]
        struct Session {
            id: String,
        }
        #[derive(Deserialize)]
        struct Handle {
            h: String,
        }
        let Some(app_id) = self
            .cfg
            .app_id
            .as_deref()
            .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
        else {
            return Err(GraphError::BadWabaId);
        };
        let url = format!(
            "{}/{app_id}/uploads?file_length={}&file_type={file_type}",
            self.cfg.base_url,
            bytes.len()
        );
        let body = self
            .send(
                self.http
                    .post(&url)
                    .bearer_auth(self.cfg.token.expose_secret()),
            )
            .await?;
        let session: Session =
            serde_json::from_slice(&body).map_err(|e| GraphError::BadResponse(e.to_string()))?;
        // The session id ("upload:…") is a path segment of its own.
        if !session.id.starts_with("upload:") || session.id.contains('/') {
            return Err(GraphError::BadResponse("upload session id".into()));
        }
        let url = format!("{}/{}", self.cfg.base_url, session.id);
        let req = self
            .http
            .post(&url)
            .header(
                "Authorization",
                format!("OAuth {}", self.cfg.token.expose_secret()),
            )
            .header("file_offset", "0")
            .body(bytes.to_vec());
        let body = self.send(req).await?;
        let handle: Handle =
            serde_json::from_slice(&body).map_err(|e| GraphError::BadResponse(e.to_string()))?;
        Ok(handle.h)
    }

    async fn post(&self, url: &str, body: &impl serde::Serialize) -> Result<Vec<u8>, GraphError> {
        self.send(
            self.http
                .post(url)
                .bearer_auth(self.cfg.token.expose_secret())
                .json(body),
        )
        .await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Vec<u8>, GraphError> {
        let resp = req
            .send()
            .await
            .map_err(|e| GraphError::Unavailable(e.without_url().to_string()))?;
        let status = resp.status();
        let body = read_bounded(resp, MAX_RESPONSE_BYTES).await?;
        if status.is_success() {
            return Ok(body.to_vec());
        }
        let message = serde_json::from_slice::<ErrorBody>(&body)
            .map(|b| {
                b.error
                    .error_user_msg
                    .filter(|m| !m.is_empty())
                    .unwrap_or(b.error.message)
            })
            .unwrap_or_else(|_| String::from_utf8_lossy(&body).chars().take(300).collect());
        if status.is_server_error() || status.as_u16() == 429 {
            Err(GraphError::Unavailable(format!("{status}: {message}")))
        } else {
            Err(GraphError::Refused {
                status: status.as_u16(),
                message,
            })
        }
    }

    /// A number's health as the platform has it now (https://developers.facebook.com/docs/whatsapp/business-phone-numbers/phone-numbers): the JSON object of
    /// `GET /{phone-number-id}?fields=…`.
    pub async fn number_health(
        &self,
        phone_number_id: &str,
    ) -> Result<serde_json::Value, GraphError> {
        if phone_number_id.is_empty() || !phone_number_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GraphError::BadWabaId);
        }
        let url = format!(
            "{}/{phone_number_id}?fields={}",
            self.cfg.base_url,
            crate::domain::platform::NUMBER_HEALTH_FIELDS
        );
        let body = self
            .send(
                self.http
                    .get(&url)
                    .bearer_auth(self.cfg.token.expose_secret()),
            )
            .await?;
        let v: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| GraphError::BadResponse(e.to_string()))?;
        if !v.is_object() {
            return Err(GraphError::BadResponse("not an object".into()));
        }
        Ok(v)
    }

    /// Sends a template for the platform's review.
    pub async fn create_template(
        &self,
        waba_id: &str,
        t: &CreateTemplate,
    ) -> Result<CreatedTemplate, GraphError> {
        if waba_id.is_empty() || !waba_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GraphError::BadWabaId);
        }
        let url = format!("{}/{waba_id}/message_templates", self.cfg.base_url);
        let body = self.post(&url, t).await?;
        serde_json::from_slice(&body).map_err(|e| GraphError::BadResponse(e.to_string()))
    }
}
