//! Shapes of finance (rate cards, price lists) and tenant billing pages.

use crate::domain::pricing::card::RowError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardSummary {
    pub id: String,
    pub currency: Option<String>,
    pub effective_from: NaiveDate,
    /// `draft` or `published`.
    pub status: String,
    pub note: String,
    pub rows: i32,
    pub errors: usize,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// One market × tier of a card: rates per `Category::ALL`, as decimal text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardLine {
    pub market: String,
    pub tier: String,
    pub cells: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardDetail {
    pub summary: CardSummary,
    pub source: String,
    pub errors: Vec<RowError>,
    pub missing_markets: Vec<String>,
    pub lines: Vec<CardLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceListSummary {
    pub id: String,
    /// `None`: the default list of its currency.
    pub tenant: Option<String>,
    pub tenant_name: Option<String>,
    pub currency: String,
    pub effective_from: NaiveDate,
    pub status: String,
    pub rules: usize,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleView {
    pub market: Option<String>,
    pub category: Option<String>,
    pub method: String,
    pub value: String,
    pub floor: Option<String>,
    pub cap: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub market: String,
    pub category: String,
    pub cost: Option<String>,
    pub price: Option<String>,
    pub margin: Option<String>,
    pub below_cost: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceListDetail {
    pub summary: PriceListSummary,
    pub rules: Vec<RuleView>,
    /// The cost card the preview used (id, effective date).
    pub card: Option<(String, NaiveDate)>,
    pub preview: Vec<PreviewLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PricingOverview {
    pub cards: Vec<CardSummary>,
    pub lists: Vec<PriceListSummary>,
    /// (id, name, currency) of every tenant.
    pub tenants: Vec<(String, String, String)>,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageLine {
    pub country: String,
    pub country_name: String,
    pub market: String,
    pub category: String,
    pub pricing_type: String,
    pub messages: i64,
    pub amount_minor: i64,
    pub currency: String,
    /// Charged, but no card priced it yet.
    pub unpriced: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPoint {
    pub day: NaiveDate,
    pub messages: i64,
    pub amount_minor: i64,
}

/// Prices per `Category::CARD` in one market.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriceRow {
    pub market: String,
    pub cells: Vec<Option<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BillingPage {
    pub tenant: String,
    pub currency: String,
    /// `YYYY-MM`.
    pub month: String,
    pub previous: String,
    pub next: Option<String>,
    pub lines: Vec<UsageLine>,
    pub messages: i64,
    pub billable: i64,
    /// The month's total so far, in the currency's decimals.
    pub total: String,
    pub series: Vec<DayPoint>,
    pub prices: Vec<PriceRow>,
    pub invoices: Vec<InvoiceSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashRow {
    pub country: String,
    pub country_name: String,
    pub market: String,
    pub category: String,
    pub currency: String,
    pub messages: i64,
    pub billable: i64,
    pub cost_minor: i64,
    pub price_minor: i64,
    pub cost: String,
    pub price: String,
    pub margin: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashTotal {
    pub currency: String,
    pub messages: i64,
    pub cost_minor: i64,
    pub price_minor: i64,
    pub cost: String,
    pub price: String,
    pub margin: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinanceDashboard {
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous: String,
    pub next: Option<String>,
    pub sort: String,
    pub rows: Vec<DashRow>,
    pub totals: Vec<DashTotal>,
    /// (market, currency, price in minor units), largest first.
    pub by_market: Vec<(String, String, i64)>,
    /// (id, name) of every tenant, for the export's filter.
    pub tenants: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostImportSummary {
    pub id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub rows: i32,
    pub errors: usize,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VarianceRow {
    pub tenant: String,
    pub tenant_name: String,
    pub country: String,
    pub category: String,
    pub pricing_type: String,
    pub currency: String,
    pub platform_volume: i64,
    pub our_volume: i64,
    pub volume_difference: i64,
    pub platform_cost: String,
    pub our_cost: String,
    pub cost_difference: String,
    pub matches: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub summary: CostImportSummary,
    pub errors: Vec<crate::domain::pricing::reconcile::AnalyticsError>,
    pub rows: Vec<VarianceRow>,
    pub mismatches: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RerateLine {
    pub tenant: String,
    pub tenant_name: String,
    pub market: String,
    pub category: String,
    pub messages: i64,
    pub changed: i64,
    pub old_cost: String,
    pub new_cost: String,
    pub old_price: String,
    pub new_price: String,
    pub difference: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RerateReport {
    pub month: String,
    pub currency: String,
    /// Messages whose cost or price changes.
    pub changed: i64,
    pub invoiced_tenants: usize,
    pub adjusted_invoices: usize,
    pub lines: Vec<RerateLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: String,
    pub period: String,
    pub number: String,
    /// internal, awaiting_stripe, open, paid, payment_failed, void.
    pub status: String,
    pub total: String,
    pub currency: String,
    pub messages: i64,
    pub issued_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    /// The payment provider's hosted page.
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub market: String,
    pub category: String,
    pub messages: i64,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub tenant: String,
    pub bill_to: String,
    pub billing_email: String,
    pub summary: InvoiceSummary,
    pub lines: Vec<InvoiceLineView>,
    /// (amount, reason, when): credit notes are negative.
    pub adjustments: Vec<(String, String, DateTime<Utc>)>,
    /// Total plus adjustments.
    pub balance: String,
}
