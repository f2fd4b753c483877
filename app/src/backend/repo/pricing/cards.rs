//! Rate cards: the BSP's cost of a message per market and category, drafted, published,
//! in force from a day.

use super::common::*;

/// What a staged card is made of.
pub struct CardDraft<'a> {
    pub effective_from: NaiveDate,
    /// The file as given.
    pub source: &'a str,
    pub note: &'a str,
    pub card: &'a CardImport,
}

/// Saves a read card as a draft (a new one, or replacing the rows of draft `id`).
pub async fn save_card_draft(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Option<Uuid>,
    draft: &CardDraft<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let CardDraft {
        effective_from,
        source,
        note,
        card,
    } = *draft;
    let errors =
        serde_json::to_string(&card.errors).map_err(|e| crate::backend::error::internal(&e))?;
    let rows = i32::try_from(card.rows).unwrap_or(i32::MAX);
    let id = match id {
        Some(id) => {
            let r = rate_card::Entity::update_many()
                .col_expr(
                    rate_card::Column::Currency,
                    Expr::value(card.currency.clone()),
                )
                .col_expr(
                    rate_card::Column::EffectiveFrom,
                    Expr::value(effective_from),
                )
                .col_expr(rate_card::Column::Source, Expr::value(source))
                .col_expr(rate_card::Column::Note, Expr::value(note))
                .col_expr(rate_card::Column::Errors, Expr::value(errors))
                .col_expr(rate_card::Column::Rows, Expr::value(rows))
                .filter(rate_card::Column::Id.eq(id))
                .filter(rate_card::Column::Status.eq(DRAFT))
                .exec(db)
                .await?;
            if r.rows_affected == 0 {
                return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
            }
            rate_card_rate::Entity::delete_many()
                .filter(rate_card_rate::Column::CardId.eq(id))
                .exec(db)
                .await?;
            id
        }
        None => {
            let id = Uuid::now_v7();
            rate_card::Entity::insert(rate_card::ActiveModel {
                id: Set(id),
                currency: Set(card.currency.clone()),
                effective_from: Set(effective_from),
                status: Set(DRAFT.into()),
                source: Set(source.to_owned()),
                note: Set(note.to_owned()),
                errors: Set(errors),
                rows: Set(rows),
                created_by: Set(scope.actor().user_id().map(|u| u.0)),
                created_at: Set(now),
                published_by: Set(None),
                published_at: Set(None),
            })
            .exec_without_returning(db)
            .await?;
            id
        }
    };
    for chunk in card.rates.0.chunks(500) {
        rate_card_rate::Entity::insert_many(chunk.iter().map(|r| rate_card_rate::ActiveModel {
            card_id: Set(id),
            market: Set(r.market.code().to_owned()),
            category: Set(r.category.code().to_owned()),
            tier_lower: Set(r.tier.lower),
            tier_upper: Set(r.tier.upper),
            rate_micros: Set(r.micros),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(id)
}

/// Publishes a draft without row errors. `Conflict` when it is not such a draft.
pub async fn publish_card(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = rate_card::Entity::update_many()
        .col_expr(rate_card::Column::Status, Expr::value(PUBLISHED))
        .col_expr(rate_card::Column::PublishedAt, Expr::value(now))
        .col_expr(
            rate_card::Column::PublishedBy,
            Expr::value(scope.actor().user_id().map(|u| u.0)),
        )
        .filter(rate_card::Column::Id.eq(id))
        .filter(rate_card::Column::Status.eq(DRAFT))
        .filter(rate_card::Column::Errors.eq("[]"))
        .filter(rate_card::Column::Currency.is_not_null())
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    Ok(())
}

/// Deletes a draft (published cards stay for ever: usage records name them).
pub async fn discard_card(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(), AppError> {
    let found = rate_card::Entity::find_by_id(id)
        .filter(rate_card::Column::Status.eq(DRAFT))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    rate_card_rate::Entity::delete_many()
        .filter(rate_card_rate::Column::CardId.eq(found.id))
        .exec(db)
        .await?;
    rate_card::Entity::delete_by_id(found.id).exec(db).await?;
    Ok(())
}

pub struct CardRow {
    pub id: Uuid,
    pub currency: Option<String>,
    pub effective_from: NaiveDate,
    pub status: String,
    pub note: String,
    pub source: String,
    pub errors: Vec<RowError>,
    pub rows: i32,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn card_row(m: rate_card::Model) -> CardRow {
    CardRow {
        errors: serde_json::from_str(&m.errors).unwrap_or_default(),
        id: m.id,
        currency: m.currency,
        effective_from: m.effective_from,
        status: m.status,
        note: m.note,
        source: m.source,
        rows: m.rows,
        created_at: m.created_at,
        published_at: m.published_at,
    }
}

pub async fn cards(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<CardRow>, AppError> {
    Ok(rate_card::Entity::find()
        .order_by_desc(rate_card::Column::EffectiveFrom)
        .order_by_desc(rate_card::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(card_row)
        .collect())
}

pub async fn card(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(CardRow, Rates), AppError> {
    let m = rate_card::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rates = card_rates(db, id).await?;
    Ok((card_row(m), rates))
}

async fn card_rates(db: &impl ConnectionTrait, id: Uuid) -> Result<Rates, AppError> {
    let rows = rate_card_rate::Entity::find()
        .filter(rate_card_rate::Column::CardId.eq(id))
        .all(db)
        .await?;
    Ok(Rates(
        rows.into_iter()
            .filter_map(|r| {
                Some(Rate {
                    market: Market::parse(&r.market)?,
                    category: Category::parse(&r.category)?,
                    tier: Tier {
                        lower: r.tier_lower,
                        upper: r.tier_upper,
                    },
                    micros: r.rate_micros,
                })
            })
            .collect(),
    ))
}

/// The published card of `currency` in force on `day`: the latest effective date on or
/// before it, and of those the last published.
pub async fn card_in_force(
    db: &impl ConnectionTrait,
    currency: &str,
    day: NaiveDate,
) -> Result<Option<(Uuid, NaiveDate, Rates)>, AppError> {
    let Some(m) = rate_card::Entity::find()
        .filter(rate_card::Column::Currency.eq(currency))
        .filter(rate_card::Column::Status.eq(PUBLISHED))
        .filter(rate_card::Column::EffectiveFrom.lte(day))
        .order_by_desc(rate_card::Column::EffectiveFrom)
        .order_by_desc(rate_card::Column::PublishedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((m.id, m.effective_from, card_rates(db, m.id).await?)))
}

/// How many cards and price lists were ever published: they are never changed or removed once
/// published, so this moves exactly when the versions in force may have changed.
pub async fn published_versions(db: &impl ConnectionTrait) -> Result<i64, AppError> {
    // One statement (every rating batch asks); the status is a constant, not input.
    let sql = format!("SELECT (SELECT COUNT(*) FROM rate_cards WHERE status = '{PUBLISHED}') + (SELECT COUNT(*) FROM price_lists WHERE status = '{PUBLISHED}')");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?
        .ok_or_else(|| crate::backend::error::internal(&"no count returned"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The currencies that have a published card.
pub async fn card_currencies(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let mut v: Vec<String> = rate_card::Entity::find()
        .select_only()
        .column(rate_card::Column::Currency)
        .filter(rate_card::Column::Status.eq(PUBLISHED))
        .distinct()
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    v.sort();
    Ok(v)
}
