//! Staff accounts and demo data, for the operator CLI and first start.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::{operator_scope, staff_in_tenant},
        password::{check_new, hash_password},
        repo,
        scope::{PlatformScope, SystemScope},
        tx::Tx,
    },
    contract::AppError,
    domain::{
        email::Email,
        ids::{TenantId, UserId},
        roles::{StaffRole, TenantRole},
        tenant::{PhoneNumberForm, TenantForm},
        validation::{FieldCode, FieldErrors},
    },
};
use serde_json::json;

/// Creates a staff user with a password (CLI `create-admin`, and demo data).
pub async fn create_staff(
    scope: &PlatformScope,
    raw_email: &str,
    name: &str,
    pw: &str,
    role: StaffRole,
) -> Result<UserId, AppError> {
    let mut errs = FieldErrors::new();
    let email = errs.take("email", Email::parse(raw_email));
    errs.take("password", check_new(pw, pw, &[raw_email, name]));
    let Some(email) = email else {
        return Err(errs.into());
    };
    errs.into_result()?;
    let st = scope.state();
    if repo::users::find_by_email(&st.db, email.as_str())
        .await?
        .is_some()
    {
        let mut e = FieldErrors::new();
        e.add("email", FieldCode::AlreadyTaken);
        return Err(e.into());
    }
    let hash = hash_password(pw.to_owned()).await?;
    let now = st.now();
    let tx = Tx::begin(&st.db).await?;
    let id =
        repo::users::insert(&tx, &email, name.trim(), Some(hash), Some(role), None, now).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: None,
            action: "staff.create",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Demo sign-ins printed at first start: (email, password, what it is).
pub const DEMO_PASSWORD: &str = "demo-password-2026";
pub const DEMO_USERS: [(&str, &str); 6] = [
    ("admin@bsp.example", "BSP admin"),
    ("reviewer@bsp.example", "BSP reviewer"),
    ("finance@bsp.example", "BSP finance"),
    ("owner@acme.example", "Acme owner"),
    ("editor@acme.example", "Acme editor"),
    ("owner@globex.example", "Globex owner"),
];

/// The demo tenants: legal and display name, country, language, currency, account id, number,
/// number id, its display name, and its users.
#[allow(clippy::type_complexity)]
const DEMO_TENANTS: &[(
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &str,
    &[(&str, &str, TenantRole)],
)] = &[
    (
        "Acme Retail SAS",
        "Acme",
        "FR",
        "fr",
        "EUR",
        "102290129340398",
        "+33 6 12 34 56 78",
        "106540352242922",
        "Acme Support",
        &[
            (DEMO_USERS[3].0, "Olivia Owner", TenantRole::Owner),
            (DEMO_USERS[4].0, "Eddie Editor", TenantRole::Editor),
        ],
    ),
    (
        "Globex Corporation",
        "Globex",
        "US",
        "en",
        "USD",
        "102290129340399",
        "+1 650 555 1234",
        "106540352242923",
        "Globex",
        &[(DEMO_USERS[5].0, "Gina Owner", TenantRole::Owner)],
    ),
];

/// Seeds demo data if the database has no user yet. Returns whether it seeded.
pub async fn seed_demo(system: &SystemScope) -> Result<bool, AppError> {
    let state = system.state();
    if repo::users::find_by_email(&state.db, DEMO_USERS[0].0)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let op = operator_scope(state, "seed-demo");
    let mut admin = None;
    for (i, (name, role)) in [
        ("Ada Admin", StaffRole::Admin),
        ("Rui Reviewer", StaffRole::Reviewer),
        ("Fiona Finance", StaffRole::Finance),
    ]
    .into_iter()
    .enumerate()
    {
        let id = create_staff(&op, DEMO_USERS[i].0, name, DEMO_PASSWORD, role).await?;
        admin.get_or_insert(id);
    }
    let admin = admin.ok_or(AppError::NotFound)?;
    for &(legal, display, country, locale, currency, waba, number, pnid, pname, users) in
        DEMO_TENANTS
    {
        let form = TenantForm {
            legal_name: legal.into(),
            display_name: display.into(),
            country: country.into(),
            locale: locale.into(),
            billing_email: format!("billing@{}.example", display.to_lowercase()),
            alert_emails: format!("alerts@{}.example", display.to_lowercase()),
            currency: currency.into(),
            account_manager: admin.to_string(),
            waba_id: waba.into(),
        };
        let tenant = super::tenants::create(&op, &form).await?;
        super::tenants::add_phone_number(
            &op,
            tenant,
            "",
            &PhoneNumberForm {
                number: number.into(),
                phone_number_id: pnid.into(),
                display_name: pname.into(),
            },
        )
        .await?;
        for (email, name, role) in users {
            add_tenant_user(&op, tenant, email, name, DEMO_PASSWORD, *role).await?;
        }
    }
    // What the platform would have said about Acme's account and number (processed by the
    // event job like any delivery).
    let t = state.now().timestamp();
    let demo = serde_json::json!({"object": "whatsapp_business_account", "entry": [
        {"id": "102290129340398", "time": t - 86_400, "changes": [{"field": "business_capability_update", "value": {"max_daily_conversations_per_business": "TIER_2K", "max_phone_numbers_per_business": 20}}]},
        {"id": "102290129340398", "time": t - 3_600, "changes": [{"field": "phone_number_quality_update", "value": {"display_phone_number": "33612345678", "event": "UPGRADE", "current_limit": "TIER_2K"}}]}
    ]});
    super::platform_events::receive(system, demo.to_string().as_bytes()).await?;
    Ok(true)
}

/// Creates a tenant user with a password directly (demo data and test fixtures; real users
/// arrive through invitations).
pub async fn add_tenant_user(
    scope: &PlatformScope,
    tenant: TenantId,
    raw_email: &str,
    name: &str,
    pw: &str,
    role: TenantRole,
) -> Result<UserId, AppError> {
    let ts = staff_in_tenant(scope, tenant).await?;
    let email = Email::parse(raw_email).map_err(|c| {
        let mut e = FieldErrors::new();
        e.add("email", c);
        AppError::from(e)
    })?;
    let hash = hash_password(pw.to_owned()).await?;
    let st = scope.state();
    let now = st.now();
    let tx = Tx::begin(&st.db).await?;
    let id = match repo::users::find_by_email(&tx, email.as_str()).await? {
        Some(u) => u.id,
        None => repo::users::insert(&tx, &email, name, Some(hash), None, None, now).await?,
    };
    repo::users::insert_membership(&ts, &tx, id, role, now).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "membership.create",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
