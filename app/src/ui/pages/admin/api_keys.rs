//! API keys: a tenant's (`/tenants/:id/api-keys`, its owners and BSP admins) and the BSP's own
//! (`/admin/api-keys`, admins). A new key's secret is shown once, above the list.

use crate::{
    api::api_keys::{list_api_keys, take_new_api_key, CreateApiKey, RevokeApiKey, RotateApiKey},
    contract::{ApiKeyView, CreatedKey, KeyState, RotationOverlap},
    domain::{api_keys::KeyScope, roles::StaffRole},
    i18n::{staff_role_text, T},
    ui::components::{
        action_error, fmt_time, reset_on_ok, succeeded, t, use_locale, ErrorView, Field, FormError,
        SelectField,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A tenant's keys.
#[component]
pub fn TenantApiKeysPage() -> impl IntoView {
    let owner = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    view! { <ApiKeys owner=owner /> }
}

/// The BSP's keys.
#[component]
pub fn BspApiKeysPage() -> impl IntoView {
    view! { <ApiKeys owner="bsp".to_owned() /> }
}

fn scope_text(s: KeyScope) -> T {
    match s {
        KeyScope::Read => T::ScopeRead,
        KeyScope::Write => T::ScopeWrite,
        KeyScope::Billing => T::ScopeBilling,
    }
}

fn overlap_text(o: RotationOverlap) -> T {
    match o {
        RotationOverlap::Now => T::OverlapNow,
        RotationOverlap::OneHour => T::OverlapHour,
        RotationOverlap::OneDay => T::OverlapDay,
        RotationOverlap::OneWeek => T::OverlapWeek,
    }
}

#[component]
fn ApiKeys(owner: String) -> impl IntoView {
    let bsp = owner == "bsp";
    let create = ServerAction::<CreateApiKey>::new();
    let rotate = ServerAction::<RotateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let done = [succeeded(create), succeeded(rotate), succeeded(revoke)];
    let o = owner.clone();
    let keys = Resource::new(
        move || done.map(|d| d.get()),
        move |_| list_api_keys(o.clone()),
    );
    let o = owner.clone();
    let fresh = Resource::new(
        move || (done[0].get(), done[1].get()),
        move |_| take_new_api_key(o.clone()),
    );
    let error = action_error(create);
    let change_error = Signal::derive(move || {
        action_error(rotate)
            .get()
            .or_else(|| action_error(revoke).get())
    });
    let form = NodeRef::new();
    reset_on_ok(create, form);
    let l = use_locale();
    let roles: Vec<(String, String)> = StaffRole::ALL
        .into_iter()
        .map(|r| (r.code().to_owned(), staff_role_text(r).get(l).to_owned()))
        .collect();
    let hint = if bsp {
        T::BspApiKeysHint
    } else {
        T::ApiKeysHint
    };
    let owner_field = owner.clone();
    view! {
        <Title text=t(T::ApiKeys) />
        <div class="page-header">
            <div><h1>{t(T::ApiKeys)}</h1><p class="subtitle muted">{t(hint)}</p></div>
        </div>
        <div class="stack">
            <Suspense>
                {move || Suspend::new(async move {
                    match fresh.await {
                        Ok(Some(k)) => view! { <FreshKey key=k /> }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <section class="card" data-testid="api-keys">
                <div class="card-body">
                    <FormError error=change_error />
                    <Suspense>
                        {move || {
                            let owner = owner.clone();
                            Suspend::new(async move {
                                match keys.await {
                                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                                    Ok(rows) if rows.is_empty() => view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any(),
                                    Ok(rows) => view! { <KeyTable rows=rows owner=owner rotate=rotate revoke=revoke /> }.into_any(),
                                }
                            })
                        }}
                    </Suspense>
                </div>
            </section>
            <section class="card">
                <div class="card-header"><h2>{t(T::NewApiKey)}</h2></div>
                <div class="card-body">
                    <ActionForm action=create node_ref=form attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <input type="hidden" name="owner" value=owner_field />
                        <Field label=T::Name name="name" error=error required=true />
                        {if bsp {
                            view! { <SelectField label=T::Role name="role" error=error options=roles.clone() /> }.into_any()
                        } else {
                            view! { <ScopeChoice error=error /> }.into_any()
                        }}
                        <Field label=T::ExpiresOn name="expires_on" kind="date" error=error hint=T::ExpiresOnHint />
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary">{t(T::NewApiKey)}</button>
                        </div>
                    </ActionForm>
                </div>
            </section>
        </div>
    }
}

/// The three scopes as checkboxes, with the error of choosing none.
#[component]
fn ScopeChoice(error: Signal<Option<crate::contract::AppError>>) -> impl IntoView {
    let l = use_locale();
    let code = move || {
        error
            .get()
            .and_then(|e| e.fields().and_then(|f| f.get("scopes")))
    };
    view! {
        <fieldset class="field" class:has-error=move || code().is_some() aria-describedby="f-scopes-error">
            <legend>{T::Scopes.get(l)}</legend>
            {KeyScope::ALL.into_iter().map(|s| view! {
                <label class="checkbox">
                    <input type="checkbox" name=s.code() value="on" checked=s == KeyScope::Read />
                    " " {scope_text(s).get(l)}
                </label>
            }).collect_view()}
            <p class="field-error" id="f-scopes-error" role="alert">{move || code().map(|c| c.text().get(l))}</p>
        </fieldset>
    }
}

/// The secret of the key just made, once.
#[component]
fn FreshKey(key: CreatedKey) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card card-notice" data-testid="new-api-key" role="status">
            <div class="card-header"><h2>{T::KeyCreatedTitle.get(l)}</h2></div>
            <div class="card-body">
                <p>{T::KeyCreatedIntro.get(l)}</p>
                <p><strong>{key.name}</strong></p>
                <p><code class="secret" data-testid="api-key-secret">{key.secret}</code></p>
            </div>
        </section>
    }
}

#[component]
fn KeyTable(
    rows: Vec<ApiKeyView>,
    owner: String,
    rotate: ServerAction<RotateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <div class="table-wrap"><table class="table">
            <thead><tr>
                <th>{T::Name.get(l)}</th><th>{T::Key.get(l)}</th><th>{T::Scopes.get(l)}</th>
                <th>{T::CreatedBy.get(l)}</th><th>{T::LastUsed.get(l)}</th><th>{T::Expires.get(l)}</th>
                <th>{T::Status.get(l)}</th><th></th>
            </tr></thead>
            <tbody>{rows.into_iter().map(|k| {
                let (badge, state) = match k.state {
                    KeyState::Active => ("badge badge-green", T::KeyActive),
                    KeyState::Expired => ("badge badge-gray", T::KeyExpired),
                    KeyState::Revoked => ("badge badge-red", T::KeyRevoked),
                };
                let rights = match k.role {
                    Some(r) => staff_role_text(r).get(l).to_owned(),
                    None => k.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(", "),
                };
                let used = k.last_used_at.map_or_else(
                    || T::NeverUsed.get(l).to_owned(),
                    |at| format!("{} · {}", fmt_time(at), k.last_used_addr.clone().unwrap_or_default()),
                );
                let active = k.state == KeyState::Active;
                let (id, owner) = (k.id.to_string(), owner.clone());
                view! {
                    <tr data-testid="api-key-row">
                        <td>{k.name}</td>
                        <td><code>{k.shown}"…"</code></td>
                        <td>{rights}</td>
                        <td class="small">{k.created_by}<br/><span class="muted">{fmt_time(k.created_at)}</span></td>
                        <td class="small">{used}</td>
                        <td class="small nowrap">{k.expires_at.map_or_else(|| T::NoExpiry.get(l).to_owned(), fmt_time)}</td>
                        <td><span class=badge>{state.get(l)}</span></td>
                        <td>{active.then(|| view! { <KeyActions id=id owner=owner rotate=rotate revoke=revoke /> })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }
}

#[component]
fn KeyActions(
    id: String,
    owner: String,
    rotate: ServerAction<RotateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
) -> impl IntoView {
    let l = use_locale();
    let select_id = format!("overlap-{id}");
    let (rotate_owner, rotate_id) = (owner.clone(), id.clone());
    view! {
        <div class="row">
            <ActionForm action=rotate attr:class="row">
                <input type="hidden" name="owner" value=rotate_owner />
                <input type="hidden" name="id" value=rotate_id />
                <label class="sr-only" for=select_id.clone()>{T::OldKeyWorks.get(l)}</label>
                <select id=select_id name="overlap" title=T::OldKeyWorks.get(l)>
                    {RotationOverlap::ALL.into_iter().map(|o| {
                        let sel = o == RotationOverlap::OneDay;
                        view! { <option value=o.code() selected=sel>{overlap_text(o).get(l)}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="btn btn-secondary btn-small">{T::Rotate.get(l)}</button>
            </ActionForm>
            <ActionForm action=revoke>
                <input type="hidden" name="owner" value=owner />
                <input type="hidden" name="id" value=id />
                <button type="submit" class="btn btn-danger btn-small">{T::Revoke.get(l)}</button>
            </ActionForm>
        </div>
    }
}
