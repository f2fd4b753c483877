//! Data shapes sent to the browser. No entity ever crosses the wire, only these.

use crate::domain::{
    ids::{EmailId, InvitationId, PhoneNumberRowId, TemplateId, TenantId, UserId, WabaRowId},
    locale::Locale,
    roles::{StaffRole, TenantRole},
    template::{lint::Severity, model::CreateTemplate, status::TemplateStatus},
    tenant::TenantStatus,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who is signed in, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub staff_role: Option<StaffRole>,
    pub memberships: Vec<MembershipInfo>,
    pub active_tenant: Option<TenantId>,
}

impl Me {
    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }
    pub fn active_membership(&self) -> Option<&MembershipInfo> {
        self.active_tenant
            .and_then(|t| self.memberships.iter().find(|m| m.tenant_id == t))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipInfo {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub role: TenantRole,
}

/// What every page needs first: the user (if any) and the interface language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<Me>,
    pub locale: Locale,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: TenantId,
    pub display_name: String,
    pub legal_name: String,
    pub country: String,
    pub status: TenantStatus,
    pub phone_numbers: u64,
    pub created_at: DateTime<Utc>,
    /// The messaging-policy checklist is complete.
    pub compliance_complete: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantPage {
    pub rows: Vec<TenantRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: UserId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WabaInfo {
    pub id: WabaRowId,
    pub waba_id: String,
    /// IANA name: the day, month and invoice of its messages.
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumberInfo {
    pub id: PhoneNumberRowId,
    pub number: String,
    pub country: String,
    pub phone_number_id: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: TenantRole,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub id: InvitationId,
    pub email: String,
    pub role: TenantRole,
    pub expires_at: DateTime<Utc>,
}

/// What the viewer may do on the tenant page.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantPermissions {
    pub manage_tenant: bool,
    pub manage_users: bool,
    pub invite_owner: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub id: TenantId,
    pub legal_name: String,
    pub display_name: String,
    pub country: String,
    pub locale: Locale,
    pub billing_email: String,
    pub alert_emails: Vec<String>,
    pub currency: String,
    pub account_manager: Option<String>,
    pub account_manager_id: Option<UserId>,
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
    pub wabas: Vec<WabaInfo>,
    pub phone_numbers: Vec<PhoneNumberInfo>,
    pub members: Vec<MemberInfo>,
    pub invitations: Vec<InvitationInfo>,
    pub can: TenantPermissions,
    /// The tenant has its own Graph API token (the token itself never leaves the server).
    pub graph_token_set: bool,
}

/// The role an invitation grants: in a tenant, or on the BSP's staff.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "role", rename_all = "snake_case")]
pub enum InvitedAs {
    Tenant(TenantRole),
    Staff(StaffRole),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitePreview {
    /// The tenant's name, or the console's for staff.
    pub tenant_name: String,
    pub email: String,
    pub role: InvitedAs,
    /// The invitee has an account already: they confirm with their password.
    pub existing_account: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: EmailId,
    pub kind: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub tenant: Option<String>,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffInvitationInfo {
    pub id: InvitationId,
    pub email: String,
    pub role: StaffRole,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffPage {
    pub members: Vec<StaffMember>,
    pub invitations: Vec<StaffInvitationInfo>,
    /// The viewer, who may not demote or disable themselves.
    pub me: UserId,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: TemplateStatus,
    pub revision: i32,
    pub error_count: i32,
    pub warning_count: i32,
}

/// A lint finding as sent to the browser (the UI turns `rule` and `args` into text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    pub rule: String,
    pub severity: Severity,
    pub component: String,
    /// Character span in the component's text, for inline highlighting.
    pub span: Option<(usize, usize)>,
    pub args: Vec<String>,
    /// The reviewer's comment on this finding, if any.
    pub comment: Option<String>,
}

impl FindingView {
    /// The key reviewers' comments are attached to: `rule@component`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.rule, self.component)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub id: TemplateId,
    pub tenant: TenantId,
    pub status: TemplateStatus,
    pub revision: i32,
    pub content: CreateTemplate,
    pub findings: Vec<FindingView>,
    pub can_submit: bool,
    /// The viewer may edit it (a draft in place, otherwise as a new revision).
    pub can_edit: bool,
    /// The viewer may decide (staff reviewer or admin, revision in BSP review).
    pub can_review: bool,
    /// The last decision's reason and note, shown to the tenant.
    pub reason: Option<String>,
    pub note: Option<String>,
    /// Per-finding comments of a change request that match no current finding.
    pub comments: Vec<crate::domain::template::review::FindingComment>,
    /// The tenant agreed that the BSP may change the category.
    pub category_consent: bool,
    /// The category before a reviewer changed it.
    pub previous_category: Option<String>,
    /// The platform's id once the revision was sent; the last sending error, if any.
    pub platform_id: Option<String>,
    pub submit_error: Option<String>,
    /// Staff may mark a BSP-approved revision as submitted (no Graph API configured).
    pub can_mark_submitted: bool,
    /// Approved revisions are sent by the Graph API client (configured).
    pub graph_configured: bool,
    /// The media header's sample, when the template has a media header.
    pub sample: Option<SampleView>,
}

/// A media header's sample: what it takes and what it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleView {
    pub kind: crate::domain::template::media::MediaKind,
    /// The handle or URL given in the builder, if it is not a file kept here.
    pub handle: Option<String>,
    /// A file kept here: (id, content type, bytes).
    pub stored: Option<(String, String, i32)>,
}

/// A page of the review queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub page: u32,
    pub has_next: bool,
    /// Tenants for the filter (id, display name).
    pub tenants: Vec<(TenantId, String)>,
    pub sla: crate::domain::template::review::SlaPolicy,
}

/// What a reviewer sees on the review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub detail: TemplateDetail,
    pub tenant_name: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub age: String,
    pub sla: crate::domain::template::review::Sla,
    /// Who holds the revision now (possibly the viewer).
    pub claim: Option<crate::domain::template::review::Claim>,
    /// The viewer holds the claim and may decide.
    pub claimed_by_me: bool,
    /// The tenant's other templates.
    pub others: Vec<TemplateRow>,
    /// The tenant's past rejections and change requests, newest first.
    pub past: Vec<PastDecision>,
    /// The tenant's messaging-policy checklist is complete.
    pub compliance_complete: bool,
    /// The diff against the last rejected or changes-requested revision of this template.
    pub diff: Option<(i32, Vec<crate::domain::template::diff::ComponentDiff>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastDecision {
    pub template: TemplateId,
    pub name: String,
    pub language: String,
    pub revision: i32,
    pub status: TemplateStatus,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// One revision in a template's history, with what changed from the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    pub number: i32,
    pub status: TemplateStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub content: CreateTemplate,
    pub changes: Vec<crate::domain::template::diff::ComponentDiff>,
}

/// Result of a bulk decision: what was decided and what was refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub decided: u32,
    pub refused: Vec<(String, AppErrorText)>,
}

/// An error as text (bulk results list a reason per refused row).
pub type AppErrorText = String;

/// A link domain the tenant declared; verified by BSP staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainRow {
    pub id: uuid::Uuid,
    pub domain: String,
    pub verified_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub tenant: TenantId,
    pub tenant_name: String,
    pub template: TemplateId,
    pub name: String,
    pub language: String,
    pub category: String,
    pub revision: i32,
    pub submitted_at: DateTime<Utc>,
    pub error_count: i32,
    pub warning_count: i32,
    pub age: String,
    pub sla: crate::domain::template::review::Sla,
    pub claim: Option<crate::domain::template::review::Claim>,
}

/// What the template builder needs from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuilderInfo {
    pub tenant: String,
    /// Verified link domains, for the live pre-check.
    pub verified_domains: Vec<String>,
}

/// A phone number's business profile, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileDetail {
    pub tenant: TenantId,
    pub phone: PhoneNumberRowId,
    pub number: String,
    pub display_name: String,
    /// 0 while never saved; a save must name the version it started from.
    pub version: i32,
    pub form: crate::domain::profile::ProfileForm,
    /// `not_synced` (no Graph API configured), `pending`, `synced` or `failed`.
    pub sync_status: String,
    /// The platform's answer to the last failed attempt.
    pub sync_error: Option<String>,
    pub can_edit: bool,
    /// Newest first.
    pub history: Vec<ProfileVersionView>,
    /// The verified-badge requests of this number.
    pub oba: ObaView,
}

/// The verified badge (official business account) of a number: its requests, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObaView {
    pub requests: Vec<ObaRequestView>,
    /// The tenant may write or submit a request now.
    pub can_edit: bool,
    /// BSP admins decide submitted requests.
    pub can_decide: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObaRequestView {
    pub id: String,
    pub status: crate::domain::profile::oba::ObaStatus,
    pub form: crate::domain::profile::oba::ObaForm,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

/// One phone number in the staff's profile overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileOverviewRow {
    pub tenant: TenantId,
    pub tenant_name: String,
    pub phone: PhoneNumberRowId,
    pub number: String,
    pub display_name: String,
    /// 0: never saved.
    pub version: i32,
    pub sync_status: String,
    pub photo: Option<String>,
    pub reasons: Vec<crate::domain::profile::attention::Attention>,
    pub oba: Option<crate::domain::profile::oba::ObaStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileOverview {
    pub rows: Vec<ProfileOverviewRow>,
    /// Numbers matching the filter (all pages).
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Numbers with at least one reason (whatever the filter).
    pub needing_attention: usize,
    /// Per reason, how many numbers have it (whatever the filter).
    pub counts: Vec<(crate::domain::profile::attention::Attention, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileVersionView {
    pub version: i32,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
    /// (field, before, after) against the version before it.
    pub changes: Vec<(String, String, String)>,
}

/// The tenant's messaging-policy checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistDetail {
    pub tenant: TenantId,
    pub form: crate::domain::profile::ChecklistForm,
    pub complete: bool,
    pub can_edit: bool,
}

/// Shapes of finance (rate cards, price lists) and tenant billing pages.
pub mod pricing {
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
}
