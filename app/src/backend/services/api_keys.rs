//! API keys: made by a tenant's owners (or BSP admins inside the tenant) for the tenant's
//! systems, and by BSP admins for the BSP's own automation. The secret is answered once;
//! only its digest is kept. Creation, rotation, revocation and any use of a revoked key are
//! in the audit log.

use super::audit::{record, Entry};
use crate::{
    backend::{
        api_token,
        context::RequestCtx,
        identity::Actor,
        repo::{
            self,
            api_keys::{ApiKeyRecord, NewApiKey, Owner},
        },
        scope::{PlatformScope, TenantScope},
        sealed,
        state::AppState,
        tx::Tx,
    },
    contract::{ApiKeyView, AppError, ConflictReason, CreatedKey, KeyState, RotationOverlap},
    domain::{
        api_keys::{KeyForm, KeyGrant, KeyRequest},
        ids::TenantId,
    },
};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// How many usable keys a tenant (or the BSP) may hold at once.
pub const MAX_ACTIVE: u64 = 25;

/// Whose keys: a tenant's (through its scope) or the BSP's.
#[derive(Clone, Copy)]
pub enum Keys<'a> {
    Tenant(&'a TenantScope),
    Bsp(&'a PlatformScope),
}

impl<'a> Keys<'a> {
    fn owner(self) -> Owner<'a> {
        match self {
            Keys::Tenant(s) => Owner::Tenant(s),
            Keys::Bsp(s) => Owner::Bsp(s),
        }
    }
    fn state(self) -> &'a AppState {
        match self {
            Keys::Tenant(s) => s.state(),
            Keys::Bsp(s) => s.state(),
        }
    }
    fn actor(self) -> &'a Actor {
        match self {
            Keys::Tenant(s) => s.actor(),
            Keys::Bsp(s) => s.actor(),
        }
    }
    fn tenant(self) -> Option<TenantId> {
        match self {
            Keys::Tenant(s) => Some(s.tenant_id()),
            Keys::Bsp(_) => None,
        }
    }
}

/// What the audit log keeps of a key (never the secret or its digest).
#[derive(Serialize)]
struct Audited<'a> {
    name: &'a str,
    shown: &'a str,
    rights: &'a str,
    expires_at: Option<DateTime<Utc>>,
}

pub async fn list(keys: Keys<'_>) -> Result<Vec<ApiKeyView>, AppError> {
    let st = keys.state();
    let rows = repo::api_keys::list(&st.db, keys.owner()).await?;
    Ok(rows.into_iter().map(|k| view(k, st.now())).collect())
}

fn view(k: ApiKeyRecord, now: DateTime<Utc>) -> ApiKeyView {
    let grant = KeyGrant::parse(&k.rights);
    let state = if k.revoked_at.is_some() {
        KeyState::Revoked
    } else if k.expires_at.is_some_and(|at| at <= now) {
        KeyState::Expired
    } else {
        KeyState::Active
    };
    ApiKeyView {
        id: k.id,
        name: k.name,
        shown: k.shown,
        scopes: match grant {
            Some(KeyGrant::Tenant(s)) => s.list(),
            _ => Vec::new(),
        },
        role: match grant {
            Some(KeyGrant::Staff(r)) => Some(r),
            _ => None,
        },
        created_by: k.created_by_label,
        created_at: k.created_at,
        expires_at: k.expires_at,
        revoked_at: k.revoked_at,
        last_used_at: k.last_used_at,
        last_used_addr: k.last_used_addr,
        state,
    }
}

/// Makes a key from the form; the answer holds the secret, shown once.
pub async fn create(keys: Keys<'_>, form: &KeyForm) -> Result<CreatedKey, AppError> {
    let st = keys.state();
    let request = form.validate(matches!(keys, Keys::Bsp(_)), st.now().date_naive())?;
    let tx = Tx::begin(&st.db).await?;
    let created = insert(keys, &tx, &request, "api_key.created").await?;
    tx.commit().await?;
    Ok(created)
}

async fn insert(
    keys: Keys<'_>,
    tx: &Tx,
    r: &KeyRequest,
    action: &str,
) -> Result<CreatedKey, AppError> {
    let st = keys.state();
    let now = st.now();
    if repo::api_keys::count_active(tx, keys.owner(), now).await? >= MAX_ACTIVE {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    let new = api_token::generate();
    let id = uuid::Uuid::now_v7();
    let expires_at = r
        .expires_on
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc());
    let rights = r.grant.code();
    repo::api_keys::insert(
        tx,
        NewApiKey {
            id,
            tenant: keys.tenant(),
            name: &r.name,
            rights: rights.clone(),
            shown: &new.shown,
            digest: &new.digest,
            created_by: keys.actor().user_id().map(|u| u.0),
            created_by_label: keys.actor().label(),
            expires_at,
        },
        now,
    )
    .await?;
    record(
        tx,
        now,
        Entry::<(), _> {
            actor: keys.actor(),
            tenant: keys.tenant(),
            action,
            subject: &id.to_string(),
            before: None,
            after: Some(Audited {
                name: &r.name,
                shown: &new.shown,
                rights: &rights,
                expires_at,
            }),
        },
    )
    .await?;
    Ok(CreatedKey {
        id,
        name: r.name.clone(),
        secret: new.secret,
    })
}

/// Revokes a key at once (every server process: keys are never cached).
pub async fn revoke(keys: Keys<'_>, id: uuid::Uuid) -> Result<(), AppError> {
    let st = keys.state();
    let tx = Tx::begin(&st.db).await?;
    let key = repo::api_keys::find(&tx, keys.owner(), id).await?;
    if key.revoked_at.is_some() {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    repo::api_keys::revoke(&tx, keys.owner(), id, st.now()).await?;
    audit_key(keys, &tx, &key, "api_key.revoked").await?;
    tx.commit().await?;
    Ok(())
}

/// Rotates a key: a new key with the same name, rights and expiry; the old one keeps working
/// for `overlap` (so the systems using it can move), then expires.
pub async fn rotate(
    keys: Keys<'_>,
    id: uuid::Uuid,
    overlap: RotationOverlap,
) -> Result<CreatedKey, AppError> {
    let st = keys.state();
    let now = st.now();
    let tx = Tx::begin(&st.db).await?;
    let old = repo::api_keys::find(&tx, keys.owner(), id).await?;
    let usable = old.revoked_at.is_none() && old.expires_at.is_none_or(|at| at > now);
    let grant = KeyGrant::parse(&old.rights);
    let (true, Some(grant)) = (usable, grant) else {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    };
    let until = now + Duration::hours(overlap.hours());
    let old_end = old.expires_at.map_or(until, |at| at.min(until));
    repo::api_keys::set_expiry(&tx, keys.owner(), id, old_end).await?;
    let request = KeyRequest {
        name: old.name.clone(),
        grant,
        // The successor keeps the old key's last day.
        expires_on: old
            .expires_at
            .map(|at| (at - Duration::seconds(1)).date_naive()),
    };
    let created = insert(keys, &tx, &request, "api_key.rotated").await?;
    tx.commit().await?;
    Ok(created)
}

async fn audit_key(
    keys: Keys<'_>,
    tx: &Tx,
    key: &ApiKeyRecord,
    action: &str,
) -> Result<(), AppError> {
    record(
        tx,
        keys.state().now(),
        Entry::<_, ()> {
            actor: keys.actor(),
            tenant: keys.tenant(),
            action,
            subject: &key.id.to_string(),
            before: Some(Audited {
                name: &key.name,
                shown: &key.shown,
                rights: &key.rights,
                expires_at: key.expires_at,
            }),
            after: None,
        },
    )
    .await
}

/// Records that a revoked key was presented (someone still holds it), at most once a minute
/// per key so that a client retrying in a loop cannot fill the log.
pub async fn revoked_key_used(
    state: &AppState,
    key: &ApiKeyRecord,
    actor: &Actor,
) -> Result<(), AppError> {
    static SEEN: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<uuid::Uuid, DateTime<Utc>>>,
    > = std::sync::LazyLock::new(Default::default);
    let now = state.now();
    {
        let Ok(mut seen) = SEEN.lock() else {
            return Ok(());
        };
        if seen
            .get(&key.id)
            .is_some_and(|at| now - *at < Duration::minutes(1))
        {
            return Ok(());
        }
        if seen.len() > 10_000 {
            seen.clear();
        }
        seen.insert(key.id, now);
    }
    tracing::warn!(key = %key.id, "a revoked API key was used");
    record(
        &state.db,
        now,
        Entry::<(), ()> {
            actor,
            tenant: key.tenant_id.map(TenantId),
            action: "api_key.revoked_used",
            subject: &key.id.to_string(),
            before: None,
            after: None,
        },
    )
    .await
}

const SESSION_FRESH_KEY: &str = "fresh_api_key";

/// What the session's sealed fresh key is bound to: the user and whose keys (a key made in
/// one tenant's page is not shown on another's).
fn fresh_context(ctx: &RequestCtx, keys: Keys<'_>) -> Result<Vec<u8>, AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?;
    let owner = keys
        .tenant()
        .map_or_else(|| "bsp".to_owned(), |t| t.to_string());
    Ok(format!("api-key:{}:{owner}", me.id).into_bytes())
}

/// Keeps a key just made in the session, sealed, for the page that shows it once
/// (`take_fresh`): the same page then works with and without JavaScript.
pub async fn keep_fresh(
    ctx: &RequestCtx,
    keys: Keys<'_>,
    created: &CreatedKey,
) -> Result<(), AppError> {
    let st = ctx.state();
    let plain = serde_json::to_vec(created).map_err(|e| crate::backend::error::internal(&e))?;
    let sealed = sealed::seal(&st.settings.secrets_key, &plain, &fresh_context(ctx, keys)?)?;
    ctx.session().insert(SESSION_FRESH_KEY, sealed).await?;
    Ok(())
}

/// The key just made, once.
pub async fn take_fresh(ctx: &RequestCtx, keys: Keys<'_>) -> Result<Option<CreatedKey>, AppError> {
    let context = fresh_context(ctx, keys)?;
    let Some(sealed) = ctx.session().get::<String>(SESSION_FRESH_KEY).await? else {
        return Ok(None);
    };
    // Another page's key stays for its own page.
    let Ok(plain) = sealed::open(&ctx.state().settings.secrets_key, &sealed, &context) else {
        return Ok(None);
    };
    ctx.session().remove::<String>(SESSION_FRESH_KEY).await?;
    Ok(serde_json::from_slice(&plain).ok())
}
