//! A phone number's business profile: the form (checked as you type with the same rules as
//! the server), a preview as WhatsApp shows it, and the saved versions with restore.

use super::errors::errors_of;
use super::oba::{ObaActions, ObaCard};
use crate::ui::components::succeeded;
use crate::{
    api::profiles::{get_profile, AdvanceObaRequest, RestoreProfile, SaveObaRequest, SaveProfile},
    contract::{AppError, ProfileDetail},
    domain::profile::{vertical_label, ProfileError, ProfileForm, VERTICALS, WEEKDAYS},
    i18n::{profile_error_text, T},
    ui::components::{action_error, echoed, fmt_time, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let restore = ServerAction::<RestoreProfile>::new();
    let oba = ObaActions {
        save: ServerAction::<SaveObaRequest>::new(),
        step: ServerAction::<AdvanceObaRequest>::new(),
    };
    let done = (
        succeeded(save),
        succeeded(restore),
        succeeded(oba.save),
        succeeded(oba.step),
    );
    let data = Resource::new(
        move || {
            let p = use_params_map();
            let p = p.read();
            (
                p.get("id").unwrap_or_default(),
                p.get("number").unwrap_or_default(),
                (done.0.get(), done.1.get(), done.2.get(), done.3.get()),
            )
        },
        |(tenant, number, _)| get_profile(tenant, number),
    );
    view! {
        <Title text=t(T::BusinessProfile) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ProfileView d save restore oba /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileView(
    d: ProfileDetail,
    save: ServerAction<SaveProfile>,
    restore: ServerAction<RestoreProfile>,
    oba: ObaActions,
) -> impl IntoView {
    let l = use_locale();
    let error = action_error(save);
    let restore_error = action_error(restore);
    // After a failed save without JavaScript, the typed values come back.
    let mut initial = d.form.clone();
    if error.get_untracked().is_some() {
        let e = |k: &str, v: &mut String| {
            if let Some(x) = echoed(k) {
                *v = x;
            }
        };
        e("about", &mut initial.about);
        e("address", &mut initial.address);
        e("description", &mut initial.description);
        e("email", &mut initial.email);
        e("vertical", &mut initial.vertical);
        initial.websites = vec![
            echoed("website1").unwrap_or_default(),
            echoed("website2").unwrap_or_default(),
        ];
        for (i, h) in initial.hours.iter_mut().enumerate() {
            e(&format!("hours[{i}]"), h);
        }
    }
    initial.websites.resize(2, String::new());
    // Back from the photo upload: the new photo (applied by the next save) or why it was refused.
    let query = use_query_map();
    let uploaded = query
        .with_untracked(|q| q.get("photo"))
        .filter(|p| crate::domain::profile::is_photo_id(p));
    let photo_refused: Option<crate::domain::profile::ProfileRule> = query
        .with_untracked(|q| q.get("photo_error"))
        .and_then(|j| serde_json::from_str(&j).ok());
    // A refused save without JavaScript echoes the photo it was sent with; otherwise the one
    // just uploaded, if any.
    if let Some(p) = echoed("photo").filter(|_| error.get_untracked().is_some()) {
        initial.photo = p;
    } else if let Some(p) = uploaded {
        initial.photo = p;
    }
    let pending_photo = !initial.photo.is_empty() && initial.photo != d.form.photo;
    let form = RwSignal::new(initial.clone());
    let touched = RwSignal::new(false);
    let errors = Signal::derive(move || {
        let server = errors_of(error.get());
        if touched.get() || server.is_empty() {
            if touched.get() {
                form.with(|f| f.parse().err().unwrap_or_default())
            } else {
                vec![]
            }
        } else {
            server
        }
    });
    let err_for = move |field: &'static str| {
        move || {
            errors
                .get()
                .into_iter()
                .filter(|e| e.field == field || (field == "website1" && e.field == "websites"))
                .map(|e| profile_error_text(&e, l))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let set = move |f: fn(&mut ProfileForm, String)| {
        move |ev: leptos::ev::Event| {
            touched.set(true);
            form.update(|x| f(x, event_target_value(&ev)));
        }
    };
    let (tenant, number) = (d.tenant.to_string(), d.phone.to_string());
    let photo_err = {
        let refused = photo_refused.map(|rule| {
            profile_error_text(
                &ProfileError {
                    field: "photo".into(),
                    rule,
                },
                l,
            )
        });
        let err = err_for("photo");
        move || refused.clone().unwrap_or_else(&err)
    };
    let photo_url = {
        let tenant = tenant.clone();
        move |id: &str| format!("/tenants/{tenant}/photos/{id}")
    };
    let remove = RwSignal::new(false);
    let shown_photo = Signal::derive(move || {
        if remove.get() {
            String::new()
        } else {
            form.with(|f| f.photo.clone())
        }
    });
    let disabled = !d.can_edit;
    let (can_edit, current) = (d.can_edit, d.version);
    let history = if d.history.is_empty() {
        view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any()
    } else {
        let items = d
            .history
            .clone()
            .into_iter()
            .map(|h| {
                let (tenant, number) = (tenant.clone(), number.clone());
                view! {
                    <li>
                        <strong>{T::VersionN.fill(l, &[&h.version.to_string()])}</strong> " · " {fmt_time(h.saved_at)} {h.saved_by.clone().map(|b| format!(" · {b}"))}
                        <ul class="small">{h.changes.iter().map(|(f, a, b)| view! { <li><span class="mono">{f.clone()}</span> ": " <del>{a.clone()}</del> " → " <ins>{b.clone()}</ins></li> }).collect_view()}</ul>
                        {(can_edit && h.version != current).then(|| view! {
                            <ActionForm action=restore attr:class="inline">
                                <input type="hidden" name="tenant" value=tenant />
                                <input type="hidden" name="number" value=number />
                                <input type="hidden" name="version" value=current.to_string() />
                                <input type="hidden" name="restore" value=h.version.to_string() />
                                <button type="submit" class="btn btn-ghost btn-sm">{T::RestoreVersion.get(l)}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain">{items}</ul> }.into_any()
    };
    let name = d.display_name.clone();
    let verified = d
        .oba
        .requests
        .first()
        .is_some_and(|r| r.status == crate::domain::profile::oba::ObaStatus::Approved);
    let oba_card = view! { <ObaCard v=d.oba.clone() tenant=tenant.clone() number=number.clone() actions=oba /> };
    view! {
        <div class="page-header">
            <div>
                <p class="muted small"><a href=format!("/tenants/{tenant}")>{T::Tenant.get(l)}</a></p>
                <h1>{T::BusinessProfile.get(l)} " — " {d.number.clone()}</h1>
                <p class="subtitle muted">
                    {d.display_name.clone()} " · "
                    {if d.version == 0 { T::NeverSaved.get(l).to_owned() } else { T::VersionN.fill(l, &[&d.version.to_string()]) }} " · "
                    <span class=match d.sync_status.as_str() { "synced" => "badge badge-green", "failed" => "badge badge-red", "pending" => "badge badge-blue", _ => "badge badge-gray" } data-testid="sync-status">
                        {match d.sync_status.as_str() { "synced" => T::Synced.get(l), "failed" => T::SyncFailed.get(l), "pending" => T::SyncPending.get(l), _ => T::NotSynced.get(l) }}
                    </span>
                    {d.sync_error.clone().map(|e| view! { " " <span class="small">{e}</span> })}
                </p>
            </div>
        </div>
        <FormError error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::ProfileInvalid { .. }))) />
        <FormError error=restore_error />
        <div class="builder">
            <div class="card"><div class="card-body">
                <section class="photo-upload" data-testid="photo-section">
                    <h2 class="h3">{T::PPhoto.get(l)}</h2>
                    <div class="photo-row">
                        {
                            let url = photo_url.clone();
                            move || {
                                let p = shown_photo.get();
                                if p.is_empty() {
                                    view! { <div class="photo-thumb photo-empty">{T::NoPhoto.get(l)}</div> }.into_any()
                                } else {
                                    view! { <img class="photo-thumb" src=url(&p) alt=t(T::PPhoto) width="96" height="96" /> }.into_any()
                                }
                            }
                        }
                        <div>
                            <p class="hint">{T::PhotoHint.get(l)}</p>
                            {pending_photo.then(|| view! { <p class="notice" data-testid="photo-pending">{T::PhotoPending.get(l)}</p> })}
                            {can_edit.then(|| view! {
                                <form method="post" enctype="multipart/form-data" action=format!("/tenants/{tenant}/numbers/{number}/photo") class="inline-form">
                                    <input type="file" id="f-photo" name="photo" accept="image/jpeg,image/png" aria-label=t(T::PPhoto) required />
                                    <button type="submit" class="btn btn-sm">{T::UploadPhoto.get(l)}</button>
                                </form>
                            })}
                            <p class="field-error" role="alert" data-testid="photo-error">{photo_err}</p>
                        </div>
                    </div>
                </section>
                <ActionForm action=save attr:class="form form-wide" attr:novalidate="" attr:data-testid="profile-form">
                    <input type="hidden" name="tenant" value=tenant.clone() />
                    <input type="hidden" name="number" value=number.clone() />
                    <input type="hidden" name="version" value=d.version.to_string() />
                    <input type="hidden" name="photo" value=initial.photo.clone() />
                    {(can_edit && !initial.photo.is_empty()).then(|| view! {
                        <label class="checkbox"><input type="checkbox" name="remove_photo" value="1" on:change=move |ev| remove.set(event_target_checked(&ev)) /> " " {T::RemovePhoto.get(l)}</label>
                    })}
                    <ProfileField label=T::PAbout name="about" value=initial.about.clone() err=Signal::derive(err_for("about")) on=set(|f, v| f.about = v) disabled textarea=true />
                    <ProfileField label=T::PAddress name="address" value=initial.address.clone() err=Signal::derive(err_for("address")) on=set(|f, v| f.address = v) disabled textarea=false />
                    <ProfileField label=T::PDescription name="description" value=initial.description.clone() err=Signal::derive(err_for("description")) on=set(|f, v| f.description = v) disabled textarea=true />
                    <ProfileField label=T::PEmail name="email" value=initial.email.clone() err=Signal::derive(err_for("email")) on=set(|f, v| f.email = v) disabled textarea=false />
                    <div class="form-grid">
                        <ProfileField label=T::PWebsite1 name="website1" value=initial.websites[0].clone() err=Signal::derive(err_for("website1")) on=set(|f, v| f.websites[0] = v) disabled textarea=false />
                        <ProfileField label=T::PWebsite2 name="website2" value=initial.websites[1].clone() err=Signal::derive(err_for("website2")) on=set(|f, v| f.websites[1] = v) disabled textarea=false />
                    </div>
                    <div class="field">
                        <label for="f-vertical">{T::PVertical.get(l)}</label>
                        <select id="f-vertical" name="vertical" disabled=disabled on:change=set(|f, v| f.vertical = v)>
                            <option value="">"—"</option>
                            {VERTICALS.iter().map(|(c, lb)| { let sel = *c == initial.vertical; view! { <option value=*c selected=sel>{*lb}</option> } }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{err_for("vertical")}</p>
                    </div>
                    <fieldset class="builder-section">
                        <legend>{T::OpeningHours.get(l)}</legend>
                        <p class="hint">{T::OpeningHoursHint.get(l)}</p>
                        {WEEKDAYS.iter().enumerate().map(|(i, day)| {
                            let field: &'static str = ["hours.monday", "hours.tuesday", "hours.wednesday", "hours.thursday", "hours.friday", "hours.saturday", "hours.sunday"][i];
                            view! {
                                <div class="field hours-row">
                                    <label for=format!("f-hours-{i}")>{*day}</label>
                                    <input id=format!("f-hours-{i}") name=format!("hours[{i}]") value=initial.hours[i].clone() disabled=disabled on:input=move |ev| { touched.set(true); form.update(|f| f.hours[i] = event_target_value(&ev)); } />
                                    <p class="field-error" role="alert">{err_for(field)}</p>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    {d.can_edit.then(|| view! { <div class="form-actions"><button type="submit" class="btn btn-primary">{T::Save.get(l)}</button></div> })}
                </ActionForm>
            </div></div>
            <aside class="builder-aside">
                <section class="card">
                    <div class="card-header"><h2>{T::Preview.get(l)}</h2></div>
                    <div class="card-body">
                        {move || form.with(|f| view! {
                            <div class="wa-profile" data-testid="profile-preview">
                                {
                                    let p = shown_photo.get();
                                    if p.is_empty() {
                                        view! { <div class="wa-avatar">{name.chars().next().map(|c| c.to_string()).unwrap_or_default()}</div> }.into_any()
                                    } else {
                                        view! { <img class="wa-avatar wa-photo" src=photo_url(&p) alt="" data-testid="preview-photo" /> }.into_any()
                                    }
                                }
                                <p class="wa-name">{name.clone()} {verified.then(|| view! { <span class="oba-badge" title=t(T::ObaBadge) data-testid="verified-check">"✓"</span> })}</p>
                                <p class="wa-about">{f.about.clone()}</p>
                                {(!f.vertical.is_empty()).then(|| view! { <p class="muted small">{vertical_label(&f.vertical).unwrap_or("")}</p> })}
                                {(!f.address.is_empty()).then(|| view! { <p class="small">{f.address.clone()}</p> })}
                                {f.hours.iter().any(|h| !h.trim().is_empty()).then(|| view! {
                                    // An explicit tbody: the browser's parser adds one, and hydration must find it.
                                    <table class="wa-hours small" data-testid="preview-hours"><tbody>
                                        {WEEKDAYS.iter().zip(f.hours.iter()).map(|(day, raw)| {
                                            let text = match crate::domain::profile::parse_day(raw) {
                                                Ok(crate::domain::profile::DayHours::Closed) => T::Closed.get(l).to_owned(),
                                                Ok(crate::domain::profile::DayHours::AllDay) => T::Open24h.get(l).to_owned(),
                                                Ok(h) => h.to_text(),
                                                Err(_) => raw.clone(),
                                            };
                                            let mut name = day.to_string();
                                            if let Some(c) = name.get_mut(0..1) { c.make_ascii_uppercase(); }
                                            view! { <tr><th scope="row">{name}</th><td>{text}</td></tr> }
                                        }).collect_view()}
                                    </tbody></table>
                                })}
                                {f.websites.iter().filter(|w| !w.trim().is_empty()).map(|w| view! { <p class="small wa-link">{w.clone()}</p> }).collect_view()}
                                {(!f.email.is_empty()).then(|| view! { <p class="small wa-link">{f.email.clone()}</p> })}
                            </div>
                        })}
                    </div>
                </section>
                {oba_card}
                <section class="card" data-testid="profile-history">
                    <div class="card-header"><h2>{T::History.get(l)}</h2></div>
                    <div class="card-body">
                        {history}
                    </div>
                </section>
            </aside>
        </div>
    }
}

#[component]
fn ProfileField(
    label: T,
    name: &'static str,
    value: String,
    err: Signal<String>,
    on: impl Fn(leptos::ev::Event) + 'static,
    disabled: bool,
    textarea: bool,
) -> impl IntoView {
    let id = format!("f-{name}");
    let input = if textarea {
        view! { <textarea id=id.clone() name=name rows="3" disabled=disabled on:input=on>{value}</textarea> }.into_any()
    } else {
        view! { <input id=id.clone() name=name value=value disabled=disabled on:input=on /> }
            .into_any()
    };
    view! {
        <div class="field" class:has-error=move || !err.get().is_empty()>
            <label for=id>{t(label)}</label>
            {input}
            <p class="field-error" role="alert">{move || err.get()}</p>
        </div>
    }
}
