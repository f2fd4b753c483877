//! The tenant's templates: a page at a time with filters, and one with its findings.

use super::{
    caller::Caller,
    page::{self, Page},
    problem::ApiError,
    ApiPath, ApiQuery, Errors,
};
use app::{
    backend::{
        repo::template_pages::{After, TemplateFilter},
        services,
        state::AppState,
    },
    contract::{FindingView, TemplateDetail, TemplateRow},
    domain::{roles::TenantAction, template::status::TemplateStatus},
};
use axum::{extract::State, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The longest filter value read.
const MAX_FILTER: usize = 512;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// How many templates per page (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// Only templates whose latest revision has this status.
    #[param(value_type = Option<StatusName>)]
    pub status: Option<String>,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    #[param(max_length = 512)]
    pub category: Option<String>,
    /// A language code (`en`, `pt_BR`).
    #[param(max_length = 512)]
    pub language: Option<String>,
    /// Names starting with this.
    #[param(max_length = 512)]
    pub name: Option<String>,
}

/// A template revision's status: the BSP's review first, then the platform's.
#[derive(ToSchema)]
#[schema(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(dead_code)]
pub enum StatusName {
    Draft,
    InBspReview,
    ChangesRequested,
    BspRejected,
    BspApproved,
    Pending,
    Approved,
    Rejected,
    Paused,
    Disabled,
    Flagged,
    InAppeal,
    PendingDeletion,
    Deleted,
    LimitExceeded,
    Archived,
    Locked,
}

/// A template as lists show it: its latest revision's status and pre-check counts.
#[derive(Serialize, ToSchema)]
pub struct TemplateSummary {
    pub id: uuid::Uuid,
    pub name: String,
    pub language: String,
    pub category: String,
    /// The latest revision's status.
    pub status: String,
    /// The latest revision's number (1 for a new template).
    pub revision: i32,
    /// Blocking pre-check findings of the latest revision.
    pub error_count: i32,
    pub warning_count: i32,
}

impl From<TemplateRow> for TemplateSummary {
    fn from(r: TemplateRow) -> Self {
        Self {
            id: r.id.0,
            name: r.name,
            language: r.language,
            category: r.category,
            status: status_code(r.status),
            revision: r.revision,
            error_count: r.error_count,
            warning_count: r.warning_count,
        }
    }
}

pub(super) fn status_code(s: TemplateStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn filter_value(raw: Option<String>, name: &str) -> Result<Option<String>, ApiError> {
    match raw.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        Some(v) if v.len() > MAX_FILTER => Err(ApiError::bad_request(format!(
            "{name} is longer than {MAX_FILTER} bytes"
        ))),
        v => Ok(v),
    }
}

#[derive(Serialize, Deserialize)]
struct Position(String, String, uuid::Uuid);

/// The tenant's templates, by name and language.
#[utoipa::path(get, path = "/templates", tag = "templates", operation_id = "listTemplates",
    params(TemplateQuery),
    responses(
        (status = 200, description = "A page of templates", body = Page<TemplateSummary>,
         links(("GetTemplate" = (operation_id = "getTemplate", parameters(("id" = "$response.body#/data/0/id")))))),
        Errors),
    security(("api_key" = [])))]
pub async fn list_templates(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Json<Page<TemplateSummary>>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let limit = page::limit(q.limit)?;
    // A status given must be one of them (an empty one too).
    if q.status.as_deref().is_some_and(|s| s.trim().is_empty()) {
        return Err(ApiError::bad_request("status is empty"));
    }
    let status = match filter_value(q.status, "status")? {
        Some(s) => Some(
            serde_json::from_value::<TemplateStatus>(serde_json::Value::String(s.clone()))
                .ok()
                .ok_or_else(|| ApiError::bad_request(format!("unknown status {s:?}")))?,
        ),
        None => None,
    };
    let filter = TemplateFilter {
        status,
        category: filter_value(q.category, "category")?.map(|c| c.to_ascii_uppercase()),
        language: filter_value(q.language, "language")?,
        name_prefix: filter_value(q.name, "name")?,
    };
    let after = page::decode::<Position>(q.cursor.as_deref())?.map(|p| After {
        name: p.0,
        language: p.1,
        id: p.2,
    });
    let (rows, more) = services::templates::page(&scope, &filter, after.as_ref(), limit).await?;
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(page::encode(&Position(
            last.name.clone(),
            last.language.clone(),
            last.id.0,
        ))),
        _ => None,
    };
    let next = next_cursor.as_deref().map(|c| {
        page::next_url(
            "/api/v1/templates",
            &[
                ("limit", Some(limit.to_string())),
                ("status", filter.status.map(status_code)),
                ("category", filter.category.clone()),
                ("language", filter.language.clone()),
                ("name", filter.name_prefix.clone()),
            ],
            c,
        )
    });
    Ok(Json(Page {
        data: rows.into_iter().map(TemplateSummary::from).collect(),
        next_cursor,
        next,
    }))
}

/// A finding of the pre-check (or a reviewer's comment on it).
#[derive(Serialize, ToSchema)]
pub struct Finding {
    /// The rule's stable id.
    pub rule: String,
    /// `error` (blocks submission) or `warning`.
    pub severity: String,
    /// Where: `BODY`, `HEADER`, `BUTTONS[0]`, …
    pub component: String,
    /// The characters concerned in that component's text, as [start, end).
    pub span: Option<Vec<usize>>,
    pub args: Vec<String>,
    pub comment: Option<String>,
}

impl From<FindingView> for Finding {
    fn from(f: FindingView) -> Self {
        Self {
            rule: f.rule,
            severity: serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_lowercase))
                .unwrap_or_default(),
            component: f.component,
            span: f.span.map(|(a, b)| vec![a, b]),
            args: f.args,
            comment: f.comment,
        }
    }
}

/// A template's latest revision with its pre-check findings and the reviewer's reasons.
#[derive(Serialize, ToSchema)]
pub struct Template {
    pub id: uuid::Uuid,
    pub status: String,
    pub revision: i32,
    /// The template as the platform's create-template call takes it (name, language,
    /// category, components).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    pub findings: Vec<Finding>,
    /// Whether it may be submitted for review now (a draft without blocking findings).
    pub can_submit: bool,
    /// The reviewer's reason and note on the last decision.
    pub reason: Option<String>,
    pub note: Option<String>,
    /// The platform's template id, once sent.
    pub platform_id: Option<String>,
    /// The last error sending it to the platform.
    pub submit_error: Option<String>,
}

/// One template.
#[utoipa::path(get, path = "/templates/{id}", tag = "templates", operation_id = "getTemplate",
    params(("id" = uuid::Uuid, Path, description = "The template's id")),
    responses((status = 200, description = "The template", body = Template), Errors),
    security(("api_key" = [])))]
pub async fn get_template(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Json<Template>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let d = services::templates::detail(&scope, app::domain::ids::TemplateId(id)).await?;
    Ok(Json(Template::from(d)))
}

impl From<TemplateDetail> for Template {
    fn from(d: TemplateDetail) -> Self {
        Self {
            id: d.id.0,
            status: status_code(d.status),
            revision: d.revision,
            content: serde_json::to_value(&d.content).unwrap_or_default(),
            findings: d.findings.into_iter().map(Finding::from).collect(),
            can_submit: d.can_submit,
            reason: d.reason,
            note: d.note,
            platform_id: d.platform_id,
            submit_error: d.submit_error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    #[test]
    fn the_documented_statuses_are_the_statuses() {
        let doc = serde_json::to_value(StatusName::schema()).unwrap_or_default();
        let documented: Vec<String> = doc["enum"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let actual: Vec<String> = TemplateStatus::ALL.into_iter().map(status_code).collect();
        assert_eq!(documented, actual);
    }
}
