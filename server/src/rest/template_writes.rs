//! Writing templates through the API: create a draft, edit it, submit it for review, read its
//! history, and run the pre-check on a draft not saved. The same services, and so the same
//! rules and field errors, as the template builder.

use super::{
    caller::Caller,
    idempotency, json_body,
    problem::ApiError,
    templates::{status_code, Finding, Template},
    ApiBytes, ApiPath, Errors,
};
use app::{
    backend::{scope::TenantScope, services, state::AppState},
    domain::{
        ids::TemplateId,
        roles::TenantAction,
        template::draft::{stored_max, ButtonForm, DraftForm, OtpForm},
    },
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A template as the builder takes it. On an edit, `name` and `language` (the template's
/// identity) are left as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateDraft {
    /// Lower-case letters, digits and underscores. Required to create.
    #[schema(max_length = 512)]
    pub name: Option<String>,
    /// A language code (`en`, `pt_BR`). Required to create.
    #[schema(max_length = 16)]
    pub language: Option<String>,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    #[schema(max_length = 32)]
    pub category: String,
    /// `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT` or `LOCATION`; empty or absent: no header.
    #[serde(default)]
    #[schema(max_length = 256)]
    pub header_format: String,
    /// A text header.
    #[serde(default)]
    #[schema(max_length = 120)]
    pub header: String,
    /// The example value of a text header's parameter.
    #[serde(default)]
    #[schema(max_length = 120)]
    pub header_example: String,
    /// A media header's sample: an upload handle or a URL.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub header_sample: String,
    #[serde(default)]
    #[schema(max_length = 2048)]
    pub body: String,
    /// Example values of the body's parameters, in order.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub examples: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 120)]
    pub footer: String,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub buttons: Vec<ButtonDraft>,
    /// The one-time-password part of an authentication template.
    #[serde(default)]
    pub otp: Option<OtpDraft>,
    /// The BSP may change the category on review instead of rejecting the template.
    #[serde(default)]
    pub category_change_consent: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonDraft {
    /// `QUICK_REPLY`, `URL`, `PHONE_NUMBER` or `COPY_CODE`.
    #[schema(max_length = 256)]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 50)]
    pub text: String,
    /// The URL, phone number or sample code.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub value: String,
    /// The sample of a dynamic URL.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub example: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtpDraft {
    #[serde(default)]
    pub security_recommendation: bool,
    /// Minutes, 1–90, or empty.
    #[serde(default)]
    #[schema(max_length = 256)]
    pub code_expiration: String,
    /// `COPY_CODE`, `ONE_TAP` or `ZERO_TAP`.
    #[serde(default)]
    #[schema(max_length = 256)]
    pub otp_type: String,
    #[serde(default)]
    #[schema(max_length = 50)]
    pub button_text: String,
    #[serde(default)]
    #[schema(max_length = 256)]
    pub autofill_text: String,
    #[serde(default)]
    #[schema(max_length = 256)]
    pub package_name: String,
    #[serde(default)]
    #[schema(max_length = 256)]
    pub signature_hash: String,
    #[serde(default)]
    pub zero_tap_terms: bool,
}

/// The longest each field may be, as the schema above says (a test checks they agree): a body
/// the document refuses is refused here too, before any rule runs.
const LIMITS: &[(&str, usize)] = &[
    ("name", 512),
    ("language", 16),
    ("category", 32),
    ("header_format", 256),
    ("header", 120),
    ("header_example", 120),
    ("header_sample", 4000),
    ("body", 2048),
    ("footer", 120),
    ("examples", 100),
    ("buttons", 10),
    ("kind", 256),
    ("text", 50),
    ("value", 4000),
    ("example", 4000),
    ("code_expiration", 256),
    ("otp_type", 256),
    ("button_text", 50),
    ("autofill_text", 256),
    ("package_name", 256),
    ("signature_hash", 256),
];

fn limit(field: &str) -> usize {
    LIMITS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(0, |(_, n)| *n)
}

impl TemplateDraft {
    /// The first field over its limit.
    fn over_limit(&self) -> Option<ApiError> {
        let text = |v: &str| v.chars().count();
        let mut fields: Vec<(&str, usize)> = vec![
            ("name", self.name.as_deref().map_or(0, text)),
            ("language", self.language.as_deref().map_or(0, text)),
            ("category", text(&self.category)),
            ("header_format", text(&self.header_format)),
            ("header", text(&self.header)),
            ("header_example", text(&self.header_example)),
            ("header_sample", text(&self.header_sample)),
            ("body", text(&self.body)),
            ("footer", text(&self.footer)),
            ("examples", self.examples.len()),
            ("buttons", self.buttons.len()),
        ];
        for b in &self.buttons {
            fields.extend([
                ("kind", text(&b.kind)),
                ("text", text(&b.text)),
                ("value", text(&b.value)),
                ("example", text(&b.example)),
            ]);
        }
        if let Some(o) = &self.otp {
            fields.extend([
                ("code_expiration", text(&o.code_expiration)),
                ("otp_type", text(&o.otp_type)),
                ("button_text", text(&o.button_text)),
                ("autofill_text", text(&o.autofill_text)),
                ("package_name", text(&o.package_name)),
                ("signature_hash", text(&o.signature_hash)),
            ]);
        }
        let (field, _) = fields.into_iter().find(|(f, n)| *n > limit(f))?;
        Some(ApiError::Http {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_body",
            detail: format!("{field}: longer than {}", limit(field)),
        })
    }

    /// A body read and checked against the document's limits.
    fn read(headers: &HeaderMap, body: &[u8]) -> Result<Self, ApiError> {
        let d = json_body::<TemplateDraft>(headers, body)?;
        match d.over_limit() {
            Some(e) => Err(e),
            None => Ok(d),
        }
    }

    fn form(self) -> (DraftForm, bool) {
        let otp = self.otp.unwrap_or(OtpDraft {
            security_recommendation: false,
            code_expiration: String::new(),
            otp_type: String::new(),
            button_text: String::new(),
            autofill_text: String::new(),
            package_name: String::new(),
            signature_hash: String::new(),
            zero_tap_terms: false,
        });
        let form = DraftForm {
            name: self.name.unwrap_or_default(),
            language: self.language.unwrap_or_default(),
            category: self.category,
            header: self.header,
            body: self.body,
            footer: self.footer,
            examples: self.examples.join("\n"),
            header_format: self.header_format,
            header_example: self.header_example,
            header_sample: self.header_sample,
            buttons: self
                .buttons
                .into_iter()
                .map(|b| ButtonForm {
                    kind: b.kind,
                    text: b.text,
                    value: b.value,
                    example: b.example,
                })
                .collect(),
            otp: OtpForm {
                security_recommendation: otp.security_recommendation,
                code_expiration: otp.code_expiration,
                otp_type: otp.otp_type,
                button_text: otp.button_text,
                autofill_text: otp.autofill_text,
                package_name: otp.package_name,
                signature_hash: otp.signature_hash,
                zero_tap_terms: otp.zero_tap_terms,
            },
        };
        (form, self.category_change_consent)
    }
}

async fn template_of(scope: &TenantScope, id: TemplateId) -> Result<Template, ApiError> {
    Ok(Template::from(
        services::templates::detail(scope, id).await?,
    ))
}

/// Creates a draft template (not submitted).
#[utoipa::path(post, path = "/templates", tag = "templates", operation_id = "createTemplate",
    request_body(content = TemplateDraft, content_type = "application/json"),
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe: the same key and request within 24 h get the first answer")),
    responses(
        (status = 201, description = "The draft", body = Template,
         headers(("Location" = String, description = "The template's URL"))),
        Errors),
    security(("api_key" = [])))]
pub async fn create_template(
    State(st): State<AppState>,
    Caller(caller): Caller,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Response {
    let scope = match caller.tenant_scope(&st, TenantAction::Edit) {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    idempotency::once(&st, &caller, &headers, "POST /templates", &body, || async {
        let run = async {
            let (form, consent) = TemplateDraft::read(&headers, &body)?.form();
            let id = services::templates::create(&scope, &form, consent).await?;
            let t = template_of(&scope, id).await?;
            let location = format!("/api/v1/templates/{}", id.0);
            let mut r = (StatusCode::CREATED, Json(t)).into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            Ok::<_, ApiError>(r)
        };
        run.await.unwrap_or_else(IntoResponse::into_response)
    })
    .await
}

/// Edits a template: a draft in place; a rejected, changed-requested, paused or approved one as
/// a new draft revision (the old one stays in the history).
#[utoipa::path(put, path = "/templates/{id}", tag = "templates", operation_id = "editTemplate",
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    request_body(content = TemplateDraft, content_type = "application/json"),
    responses((status = 200, description = "The template, edited", body = Template), Errors),
    security(("api_key" = [])))]
pub async fn edit_template(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<Json<Template>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::Edit)?;
    let (form, consent) = TemplateDraft::read(&headers, &body)?.form();
    services::templates::edit(&scope, TemplateId(id), &form, consent).await?;
    Ok(Json(template_of(&scope, TemplateId(id)).await?))
}

/// Submits a draft for the BSP's review; refused (422) while it has blocking findings.
#[utoipa::path(post, path = "/templates/{id}/submit", tag = "templates", operation_id = "submitTemplate",
    params(("id" = uuid::Uuid, Path, description = "The template's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    responses((status = 200, description = "The template, in review", body = Template), Errors),
    security(("api_key" = [])))]
pub async fn submit_template(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    let scope = match caller.tenant_scope(&st, TenantAction::Edit) {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let what = format!("POST /templates/{id}/submit");
    idempotency::once(&st, &caller, &headers, &what, b"", || async {
        let run = async {
            services::templates::submit(&scope, TemplateId(id)).await?;
            Ok::<_, ApiError>(Json(template_of(&scope, TemplateId(id)).await?))
        };
        run.await.into_response()
    })
    .await
}

/// One revision of a template.
#[derive(Serialize, ToSchema)]
pub struct Revision {
    pub number: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    /// The reviewer's reason and note.
    pub reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Revisions {
    /// Oldest first.
    pub data: Vec<Revision>,
}

/// A template's revisions with their statuses and the reviewers' decisions.
#[utoipa::path(get, path = "/templates/{id}/history", tag = "templates", operation_id = "templateHistory",
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    responses((status = 200, description = "Every revision, oldest first", body = Revisions), Errors),
    security(("api_key" = [])))]
pub async fn template_history(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Json<Revisions>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let revs = services::templates::history(&scope, TemplateId(id)).await?;
    Ok(Json(Revisions {
        data: revs
            .into_iter()
            .map(|r| Revision {
                number: r.number,
                status: status_code(r.status),
                created_at: r.created_at,
                created_by: r.created_by,
                submitted_at: r.submitted_at,
                decided_at: r.decided_at,
                decided_by: r.decided_by,
                reason: r.reason,
                note: r.note,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Precheck {
    /// How many findings block submission.
    pub blocking: usize,
    pub findings: Vec<Finding>,
}

/// The pre-check alone, on a draft not saved: what the builder shows while typing. Changes
/// nothing.
#[utoipa::path(post, path = "/templates/lint", tag = "templates", operation_id = "lintTemplate",
    request_body(content = TemplateDraft, content_type = "application/json"),
    responses((status = 200, description = "The findings", body = Precheck), Errors),
    security(("api_key" = [])))]
pub async fn lint_template(
    State(st): State<AppState>,
    Caller(caller): Caller,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<Json<Precheck>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let (form, _) = TemplateDraft::read(&headers, &body)?.form();
    let findings = services::templates::precheck(&scope, &form).await?;
    let blocking = findings
        .iter()
        .filter(|f| f.severity == app::domain::template::lint::Severity::Error)
        .count();
    Ok(Json(Precheck {
        blocking,
        findings: findings.into_iter().map(Finding::from).collect(),
    }))
}

/// The schema's limits are the draft's own (`stored_max`).
const _: () = {
    assert!(stored_max::BODY == 2048 && stored_max::HEADER == 120 && stored_max::FOOTER == 120);
    assert!(stored_max::LINK == 4000 && stored_max::BUTTON_TEXT == 50 && stored_max::SHORT == 256);
};

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    /// Every `maxLength` / `maxItems` of the document is the one `over_limit` enforces.
    #[test]
    fn the_documented_limits_are_the_enforced_ones() {
        let mut seen = 0;
        for schema in [
            TemplateDraft::schema(),
            ButtonDraft::schema(),
            OtpDraft::schema(),
        ] {
            let v = serde_json::to_value(schema).unwrap_or_default();
            for (field, p) in v["properties"].as_object().cloned().unwrap_or_default() {
                let max = p["maxLength"].as_u64().or(p["maxItems"].as_u64());
                if let Some(max) = max {
                    assert_eq!(limit(&field) as u64, max, "{field}");
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, LIMITS.len());
        let mut d: TemplateDraft =
            serde_json::from_value(serde_json::json!({"category": "c".repeat(33)})).expect("draft");
        assert!(d.over_limit().is_some());
        d.category = "c".repeat(32);
        assert!(d.over_limit().is_none());
    }
}
