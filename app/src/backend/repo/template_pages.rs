//! A tenant's templates a page at a time (the API's list): ordered by name, language and id,
//! continued after the last row of the previous page (keyset pagination: stable while rows are
//! added, and as fast on the hundredth page as on the first).

use super::{
    entities::{template, template_revision},
    revisions::{status_code, status_of},
    scoped,
};
use crate::{
    backend::scope::TenantScope,
    contract::{AppError, TemplateRow},
    domain::{ids::TemplateId, template::status::TemplateStatus},
};
use sea_orm::{
    sea_query::{Expr, Query},
    ColumnTrait, Condition, ConnectionTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// What a page of templates is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct TemplateFilter {
    /// The latest revision's status.
    pub status: Option<TemplateStatus>,
    pub category: Option<String>,
    pub language: Option<String>,
    /// Names starting with this.
    pub name_prefix: Option<String>,
}

/// Where the previous page ended: its last row's (name, language, id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct After {
    pub name: String,
    pub language: String,
    pub id: uuid::Uuid,
}

/// Up to `limit` templates after `after`, and whether more follow.
pub async fn page(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    filter: &TemplateFilter,
    after: Option<&After>,
    limit: u64,
) -> Result<(Vec<TemplateRow>, bool), AppError> {
    use template::Column as C;
    let mut q = scoped::find::<template::Entity>(scope);
    if let Some(c) = &filter.category {
        q = q.filter(C::Category.eq(c.as_str()));
    }
    if let Some(l) = &filter.language {
        q = q.filter(C::Language.eq(l.as_str()));
    }
    if let Some(p) = &filter.name_prefix {
        q = q.filter(C::Name.starts_with(p.as_str()));
    }
    if let Some(s) = filter.status {
        q = q.filter(C::Id.in_subquery(latest_with_status(scope, s)));
    }
    if let Some(a) = after {
        q = q.filter(
            Condition::any()
                .add(C::Name.gt(a.name.as_str()))
                .add(
                    C::Name
                        .eq(a.name.as_str())
                        .and(C::Language.gt(a.language.as_str())),
                )
                .add(
                    C::Name
                        .eq(a.name.as_str())
                        .and(C::Language.eq(a.language.as_str()))
                        .and(C::Id.gt(a.id)),
                ),
        );
    }
    let mut templates = q
        .order_by_asc(C::Name)
        .order_by_asc(C::Language)
        .order_by_asc(C::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = templates.len() as u64 > limit;
    templates.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let ids: Vec<uuid::Uuid> = templates.iter().map(|t| t.id).collect();
    let mut latest = latest_of(scope, db, &ids).await?;
    let rows = templates
        .into_iter()
        .filter_map(|t| {
            let r = latest.remove(&t.id)?;
            Some(status_of(&r.status, r.id).map(|status| TemplateRow {
                id: TemplateId(t.id),
                name: t.name,
                language: t.language,
                category: t.category,
                status,
                revision: r.number,
                error_count: r.error_count,
                warning_count: r.warning_count,
            }))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, more))
}

/// The ids of the tenant's templates whose latest revision has status `s`.
fn latest_with_status(
    scope: &TenantScope,
    s: TemplateStatus,
) -> sea_orm::sea_query::SelectStatement {
    use template_revision::Column as R;
    Query::select()
        .column(R::TemplateId)
        .from(template_revision::Entity)
        .cond_where(
            Condition::all()
                .add(R::TenantId.eq(scope.tenant_id().0))
                .add(R::Status.eq(status_code(s)))
                .add(Expr::cust(
                    "template_revisions.number = (SELECT MAX(r2.number) FROM template_revisions r2 \
                     WHERE r2.template_id = template_revisions.template_id)",
                )),
        )
        .to_owned()
}

/// What the list shows of a revision (never its content).
struct Head {
    id: uuid::Uuid,
    number: i32,
    status: String,
    error_count: i32,
    warning_count: i32,
}

/// The latest revision of each template in `ids`, without content (one statement).
async fn latest_of(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    ids: &[uuid::Uuid],
) -> Result<std::collections::HashMap<uuid::Uuid, Head>, AppError> {
    use template_revision::Column as R;
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let revisions: Vec<(uuid::Uuid, uuid::Uuid, i32, String, i32, i32)> =
        scoped::find::<template_revision::Entity>(scope)
            .filter(R::TemplateId.is_in(ids.iter().copied()))
            .select_only()
            .columns([
                R::TemplateId,
                R::Id,
                R::Number,
                R::Status,
                R::ErrorCount,
                R::WarningCount,
            ])
            .into_tuple()
            .all(db)
            .await?;
    let mut latest: std::collections::HashMap<uuid::Uuid, Head> = std::collections::HashMap::new();
    for (template, id, number, status, error_count, warning_count) in revisions {
        if latest.get(&template).is_some_and(|l| l.number >= number) {
            continue;
        }
        latest.insert(
            template,
            Head {
                id,
                number,
                status,
                error_count,
                warning_count,
            },
        );
    }
    Ok(latest)
}
