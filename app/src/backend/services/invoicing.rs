//! Monthly invoicing: closes a month per tenant exactly once (the invoice is unique per
//! tenant and month and written with its lines in one transaction), lines per market ×
//! category at the tenant's prices, rounded half to even per line; then, with Stripe
//! configured, customer → invoice items → invoice → finalize, each call's idempotency key
//! stored before the call. Stripe's webhooks move the status (paid, payment failed, void).

use crate::{
    backend::{
        auth,
        payments::Payments,
        repo,
        scope::{CrossTenant, SystemScope, TenantScope},
        tx::Tx,
    },
    contract::{
        finance::{InvoiceDetail, InvoiceLineView, InvoiceSummary},
        AppError, ConflictReason,
    },
    domain::{
        ids::TenantId,
        pricing::{
            market::Market,
            money::{format_minor, to_minor},
        },
    },
};
use chrono::{Months, NaiveDate};

/// Statuses an invoice goes through.
pub const INTERNAL: &str = "internal";
pub const AWAITING_STRIPE: &str = "awaiting_stripe";
pub const OPEN: &str = "open";
pub const PAID: &str = "paid";
pub const PAYMENT_FAILED: &str = "payment_failed";
pub const VOID: &str = "void";

/// The first day of a `YYYY-MM` period.
pub fn period_start(period: &str) -> Option<NaiveDate> {
    let t = period.trim();
    if t.len() != 7 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    pub created: usize,
    pub already: usize,
    /// Tenants whose invoice could not be written this time (logged; the next run retries).
    pub failed: usize,
}

fn bad_period() -> AppError {
    use crate::domain::validation::{FieldCode, FieldError, FieldErrors};
    FieldErrors(vec![FieldError {
        field: "period".into(),
        code: FieldCode::InvalidDate,
    }])
    .into()
}

/// Lines of a tenant's month per currency: (currency, lines) as an invoice bills them.
async fn lines_by_currency(
    ts: &TenantScope,
    db: &impl sea_orm::ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(String, Vec<repo::invoices::NewLine>)>, AppError> {
    let mut out: Vec<(String, Vec<repo::invoices::NewLine>)> = Vec::new();
    for s in repo::invoices::line_sums(ts, db, from, until).await? {
        let line = repo::invoices::NewLine {
            market: s.market.clone(),
            category: s.category.clone().unwrap_or_default(),
            messages: s.messages,
            amount_minor: to_minor(s.price.unwrap_or(0), &s.currency),
            cost_minor: to_minor(s.cost.unwrap_or(0), &s.currency),
        };
        match out.iter_mut().find(|(c, _)| *c == s.currency) {
            Some((_, lines)) => lines.push(line),
            None => out.push((s.currency.clone(), vec![line])),
        }
    }
    Ok(out)
}

/// Invoices every tenant with charged usage in `period` (`YYYY-MM`), one invoice per
/// currency; idempotent. A tenant that fails is logged and retried by the next run.
pub async fn run_period(
    scope: &SystemScope,
    period: &str,
    stripe: bool,
) -> Result<RunReport, AppError> {
    let from = period_start(period).ok_or_else(bad_period)?;
    let period = from.format("%Y-%m").to_string();
    let until = from
        .checked_add_months(Months::new(1))
        .ok_or_else(bad_period)?;
    let now = scope.state().now();
    if until > now.date_naive() {
        // A month is closed only once it is over.
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    let mut report = RunReport::default();
    for tenant in repo::invoices::tenants_with_usage(scope, scope.db(), from, until).await? {
        let ts = auth::system_in_tenant(scope, TenantId(tenant));
        let one = async {
            let tx = Tx::begin(scope.db()).await?;
            let mut created = (0, 0);
            for (currency, lines) in lines_by_currency(&ts, &tx, from, until).await? {
                let number = format!(
                    "BSP-{}-{}-{currency}",
                    period.replace('-', ""),
                    tenant.simple().to_string().to_uppercase()
                );
                let status = if stripe { AWAITING_STRIPE } else { INTERNAL };
                let due = until
                    .checked_add_days(chrono::Days::new(30))
                    .unwrap_or(until);
                let new = repo::invoices::NewInvoice {
                    period: &period,
                    number: &number,
                    currency: &currency,
                    status,
                    lines: &lines,
                    due_on: due,
                };
                match repo::invoices::insert(&ts, &tx, &new, now).await? {
                    Some(_) => created.0 += 1,
                    None => created.1 += 1,
                }
            }
            tx.commit().await?;
            Ok::<_, AppError>(created)
        };
        match one.await {
            Ok((c, a)) => {
                report.created += c;
                report.already += a;
            }
            Err(e) => {
                tracing::error!(tenant = %tenant, period = %period, error = %e, "invoice not written; retried on the next run");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Brings the issued invoices of `period` in line with the usage as rated now: messages
/// confirmed or priced after the invoice, or re-rated, become an adjustment on it (a credit
/// note when negative). Returns how many invoices were adjusted. Safe to run concurrently.
pub async fn true_up_period(
    scope: &impl CrossTenant,
    db: &impl sea_orm::ConnectionTrait,
    period: &str,
    reason: &str,
    by: Option<uuid::Uuid>,
) -> Result<usize, AppError> {
    let from = period_start(period).ok_or_else(bad_period)?;
    let until = from
        .checked_add_months(Months::new(1))
        .ok_or_else(bad_period)?;
    let mut adjusted = 0;
    for inv in repo::invoices::issued_in(scope, db, &from.format("%Y-%m").to_string()).await? {
        let ts = scope.in_tenant(TenantId(inv.tenant_id));
        let now_billed: i64 = lines_by_currency(&ts, db, from, until)
            .await?
            .into_iter()
            .filter(|(c, _)| *c == inv.currency)
            .flat_map(|(_, l)| l)
            .map(|l| l.amount_minor)
            .sum();
        if now_billed != inv.billed_minor
            && repo::invoices::true_up(scope, db, &inv, now_billed, reason, by, scope.state().now())
                .await?
        {
            adjusted += 1;
        }
    }
    Ok(adjusted)
}

/// Sends waiting invoices to the payment provider. A failure leaves the invoice waiting; the
/// next run repeats the same calls with the same keys.
pub async fn sync(scope: &SystemScope, payments: &dyn Payments) -> Result<usize, AppError> {
    let mut done = 0;
    for inv in repo::invoices::awaiting_stripe(scope, scope.db(), 50).await? {
        match sync_one(scope, payments, &inv).await {
            Ok(()) => done += 1,
            Err(e) => {
                tracing::warn!(invoice = %inv.id, error = %e, "stripe sync failed; will retry")
            }
        }
    }
    Ok(done)
}

/// The invoice's lines as Stripe invoice items of `customer` (an empty line is left out).
async fn add_items(
    scope: &SystemScope,
    payments: &dyn Payments,
    inv: &crate::backend::repo::invoices::InvoiceRow,
    customer: &str,
) -> Result<(), AppError> {
    for line in repo::invoices::lines_of(scope, scope.db(), inv.id).await? {
        if line.amount_minor == 0 {
            continue;
        }
        let market = Market::parse(&line.market).map_or(line.market.as_str(), |m| m.name());
        let description = format!(
            "WhatsApp {} messages, {market}: {}",
            line.category, line.messages
        );
        let (c, cur, id) = (
            customer.to_owned(),
            inv.currency.to_lowercase(),
            inv.id.to_string(),
        );
        step(
            scope,
            inv.id,
            format!("bsp-item-{}-{}", inv.id, line.position),
            "invoice_item",
            |k| async move {
                payments
                    .add_item(&k, &c, &cur, line.amount_minor, &description, &id)
                    .await
            },
        )
        .await?;
    }
    Ok(())
}

/// One call: its key is stored first; a completed call is not made again.
async fn step<F, Fut>(
    scope: &SystemScope,
    invoice: uuid::Uuid,
    key: String,
    name: &str,
    call: F,
) -> Result<String, AppError>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, crate::backend::payments::PaymentError>>,
{
    let db = scope.db();
    if let Some(done) = repo::stripe::call(scope, db, &key)
        .await?
        .and_then(|c| c.stripe_id)
    {
        return Ok(done);
    }
    repo::stripe::record_call(scope, db, &key, invoice, name, scope.state().now()).await?;
    let id = call(key.clone())
        .await
        .map_err(|e| crate::backend::error::internal(&e))?;
    repo::stripe::complete_call(scope, db, &key, &id, scope.state().now()).await?;
    Ok(id)
}

async fn sync_one(
    scope: &SystemScope,
    payments: &dyn Payments,
    inv: &crate::backend::repo::invoices::InvoiceRow,
) -> Result<(), AppError> {
    let db = scope.db();
    let (name, email, _, customer) = repo::stripe::billing_party(scope, db, inv.tenant_id).await?;
    let tenant = inv.tenant_id.to_string();
    let customer = match customer {
        Some(c) => c,
        None => {
            let c = step(
                scope,
                inv.id,
                format!("bsp-customer-{tenant}"),
                "customer",
                |k| async move { payments.create_customer(&k, &tenant, &name, &email).await },
            )
            .await?;
            repo::stripe::set_customer(scope, db, inv.tenant_id, &c).await?;
            c
        }
    };
    add_items(scope, payments, inv, &customer).await?;
    let (c, id, number) = (customer.clone(), inv.id.to_string(), inv.number.clone());
    let stripe_id = step(
        scope,
        inv.id,
        format!("bsp-invoice-{}", inv.id),
        "invoice",
        |k| async move { payments.create_invoice(&k, &c, &id, &number).await },
    )
    .await?;
    // Known from now on, so Stripe's events about it are matched even before it is final.
    repo::invoices::set_stripe(
        scope,
        db,
        inv.id,
        Some(&stripe_id),
        None,
        AWAITING_STRIPE,
        scope.state().now(),
    )
    .await?;
    let sid = stripe_id.clone();
    let url = step(
        scope,
        inv.id,
        format!("bsp-finalize-{}", inv.id),
        "finalize",
        |k| async move {
            payments
                .finalize(&k, &sid)
                .await
                .map(|u| u.unwrap_or_default())
        },
    )
    .await?;
    repo::invoices::set_stripe(
        scope,
        db,
        inv.id,
        Some(&stripe_id),
        (!url.is_empty()).then_some(url.as_str()),
        OPEN,
        scope.state().now(),
    )
    .await
}

/// Applies a payment-provider event to its invoice (unknown invoices are ignored).
pub async fn provider_status(
    scope: &SystemScope,
    stripe_invoice: &str,
    status: &str,
) -> Result<bool, AppError> {
    let Some(inv) = repo::invoices::by_stripe_id(scope, scope.db(), stripe_invoice).await? else {
        return Ok(false);
    };
    // A paid or voided invoice is final (checked in the update itself: no race).
    repo::invoices::set_status_unless_final(scope, scope.db(), inv.id, status, scope.state().now())
        .await?;
    Ok(true)
}

fn summary(m: &crate::backend::repo::invoices::InvoiceRow) -> InvoiceSummary {
    InvoiceSummary {
        id: m.id.to_string(),
        period: m.period.clone(),
        number: m.number.clone(),
        status: m.status.clone(),
        total: format_minor(m.total_minor, &m.currency),
        currency: m.currency.clone(),
        messages: m.messages,
        issued_at: m.issued_at,
        due_on: m.due_on,
        url: m.stripe_url.clone(),
    }
}

pub async fn list(scope: &TenantScope) -> Result<Vec<InvoiceSummary>, AppError> {
    Ok(repo::invoices::list(scope, scope.db())
        .await?
        .iter()
        .map(summary)
        .collect())
}

pub async fn detail(scope: &TenantScope, id: uuid::Uuid) -> Result<InvoiceDetail, AppError> {
    let (inv, lines) = repo::invoices::get(scope, scope.db(), id).await?;
    let tenant = repo::tenants::load(scope, scope.db()).await?;
    let adjustments = repo::invoices::adjustments(scope, scope.db(), inv.id).await?;
    let balance = inv.billed_minor;
    Ok(InvoiceDetail {
        adjustments: adjustments
            .into_iter()
            .map(|(a, r, at)| (format_minor(a, &inv.currency), r, at))
            .collect(),
        balance: format_minor(balance, &inv.currency),
        tenant: scope.tenant_id().to_string(),
        bill_to: tenant.legal_name.clone(),
        billing_email: tenant.billing_email.clone(),
        lines: lines
            .iter()
            .map(|l| InvoiceLineView {
                market: Market::parse(&l.market)
                    .map_or_else(|| l.market.clone(), |m| m.name().to_owned()),
                category: l.category.clone(),
                messages: l.messages,
                amount: format_minor(l.amount_minor, &inv.currency),
            })
            .collect(),
        summary: summary(&inv),
    })
}

type HmacSha256 = hmac::Hmac<sha2_next::Sha256>;

/// How far a Stripe signature's timestamp may be from now.
pub const STRIPE_TOLERANCE_SECS: i64 = 300;

/// Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`): HMAC-SHA256 of `"{t}.{body}"`
/// with the endpoint's secret, in constant time, and `t` within 300 s of `now`.
pub fn stripe_signature_valid(secret: &[u8], header: Option<&str>, body: &[u8], now: i64) -> bool {
    use hmac::{KeyInit, Mac};
    let Some(header) = header else { return false };
    let mut t: Option<i64> = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse().ok(),
            Some(("v1", v)) => sigs.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if now.abs_diff(t) > STRIPE_TOLERANCE_SECS.unsigned_abs() {
        return false;
    }
    sigs.iter().any(|sig| {
        let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
            return false;
        };
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(sig).is_ok()
    })
}

/// A `Stripe-Signature` header for `body` at `t` (tests, local tools).
pub fn stripe_sign(secret: &[u8], body: &[u8], t: i64) -> String {
    use hmac::{KeyInit, Mac};
    let Ok(mut mac) = HmacSha256::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a Stripe event means for an invoice: (Stripe invoice id, our status).
pub fn stripe_event(body: &[u8]) -> Option<(String, &'static str)> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let status = match v.get("type")?.as_str()? {
        "invoice.paid" | "invoice.payment_succeeded" => PAID,
        "invoice.payment_failed" => PAYMENT_FAILED,
        "invoice.voided" => VOID,
        _ => return None,
    };
    let id = v
        .get("data")?
        .get("object")?
        .get("id")?
        .as_str()?
        .to_owned();
    Some((id, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_signatures_are_checked_with_their_tolerance() {
        let body = br#"{"type":"invoice.paid","data":{"object":{"id":"in_1"}}}"#;
        let h = stripe_sign(b"whsec_x", body, 1_000_000);
        assert!(stripe_signature_valid(
            b"whsec_x",
            Some(&h),
            body,
            1_000_000
        ));
        assert!(
            stripe_signature_valid(b"whsec_x", Some(&h), body, 1_000_300),
            "300 s late is still fine"
        );
        assert!(
            !stripe_signature_valid(b"whsec_x", Some(&h), body, 1_000_301),
            "301 s is too late"
        );
        assert!(
            !stripe_signature_valid(b"whsec_x", Some(&h), body, 999_699),
            "or too early"
        );
        assert!(
            !stripe_signature_valid(b"whsec_y", Some(&h), body, 1_000_000),
            "another secret"
        );
        assert!(
            !stripe_signature_valid(b"whsec_x", Some(&h), b"{}", 1_000_000),
            "another body"
        );
        assert!(!stripe_signature_valid(b"whsec_x", None, body, 1_000_000));
        assert!(!stripe_signature_valid(
            b"whsec_x",
            Some("t=abc,v1=zz"),
            body,
            1_000_000
        ));
        // A rotated secret: either signature may match.
        let other = stripe_sign(b"whsec_old", body, 1_000_000);
        let both = format!("{h},{}", other.split(',').nth(1).unwrap_or(""));
        assert!(stripe_signature_valid(
            b"whsec_old",
            Some(&both),
            body,
            1_000_000
        ));
        assert_eq!(stripe_event(body), Some(("in_1".to_owned(), PAID)));
        assert_eq!(
            stripe_event(br#"{"type":"customer.created","data":{"object":{"id":"cus_1"}}}"#),
            None
        );
        assert_eq!(
            period_start("2026-11"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        );
        assert_eq!(period_start("2026-13"), None);
        assert_eq!(period_start("2026-1"), None);
    }
}
