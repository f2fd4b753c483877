//! Tenant templates: the list with the link domains, the builder (live preview and
//! pre-check, the same domain code as the server), one template with its pre-check, and its
//! revision history.

use crate::ui::components::succeeded;
use crate::{
    api::{
        review::{MarkTemplateSubmitted, VerifyDomain},
        templates::{
            get_template, list_domains, list_templates, template_builder, template_history,
            CreateTemplate, DeclareDomain, EditTemplate, RemoveDomain, SubmitTemplate,
        },
    },
    contract::{BuilderInfo, FindingView, TemplateDetail},
    domain::{
        roles::PlatformAction,
        template::{
            diff::{Change, ComponentDiff},
            draft::{
                ButtonForm, DraftForm, BUTTON_KINDS, CATEGORIES, HEADER_FORMATS, MAX_BUTTON_ROWS,
                OTP_TYPES,
            },
            language::LANGUAGES,
            lint::{lint, LintContext, Rule, Severity},
            model,
            preview::render,
            status::TemplateStatus,
        },
    },
    i18n::{lint_text, T},
    ui::components::{
        action_error, echoed, fmt_time, reset_on_ok, t, use_locale, ErrorView, Field, FormError,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

fn tenant_param() -> String {
    use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default()
}

/// (tenant id, template id) of a `/tenants/:id/templates/:template…` route (tracked).
fn template_route() -> (String, String) {
    let p = use_params_map();
    let p = p.read();
    (
        p.get("id").unwrap_or_default(),
        p.get("template").unwrap_or_default(),
    )
}

pub fn status_badge(s: TemplateStatus) -> (&'static str, String) {
    use TemplateStatus::*;
    let class = match s {
        Approved | BspApproved => "badge badge-green",
        Rejected | BspRejected | Disabled | Deleted => "badge badge-red",
        Paused | Flagged | ChangesRequested | LimitExceeded => "badge badge-yellow",
        InBspReview | Pending | InAppeal => "badge badge-blue",
        _ => "badge badge-gray",
    };
    (
        class,
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(|x| x.replace('_', " ").to_lowercase()))
            .unwrap_or_default(),
    )
}

/// Whether the signed-in user may write templates in `tenant` (display only: the server
/// decides, through the same role table).
fn may_edit(tenant: &str) -> bool {
    use crate::domain::roles::TenantAction;
    use_context::<crate::contract::Me>().is_some_and(|me| {
        me.staff_role
            .is_some_and(|r| r.in_tenant(TenantAction::Edit))
            || me
                .memberships
                .iter()
                .any(|m| m.tenant_id.to_string() == tenant && m.role.can(TenantAction::Edit))
    })
}

/// Whether the signed-in user reviews templates (display only).
fn is_reviewer() -> bool {
    use_context::<crate::contract::Me>().is_some_and(|me| {
        me.staff_role
            .is_some_and(|r| r.can(PlatformAction::ReviewTemplates))
    })
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let tenant = tenant_param();
    let data = Resource::new(
        move || use_params_map().read().get("id").unwrap_or_default(),
        list_templates,
    );
    view! {
        <Title text=t(T::Templates) />
        <div class="page-header">
            <h1>{t(T::Templates)}</h1>
            <div class="actions">
                {may_edit(&tenant).then(|| view! { <A href=format!("/tenants/{tenant}/templates/new") attr:class="btn btn-primary">{t(T::NewTemplate)}</A> })}
            </div>
        </div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                let tenant = tenant_param();
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <div class="empty"><h3>{T::NoTemplates.get(l)}</h3><p>{T::NoTemplatesHint.get(l)}</p></div> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="table" data-testid="templates">
                            <thead><tr><th>{T::TemplateName.get(l)}</th><th>{T::Language.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::Status.get(l)}</th><th class="num">{T::Revision.get(l)}</th><th class="num">{T::Findings.get(l)}</th></tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let (class, label) = status_badge(r.status);
                                view! {
                                    <tr>
                                        <td><A href=format!("/tenants/{tenant}/templates/{}", r.id)>{r.name}</A></td>
                                        <td>{r.language}</td>
                                        <td>{r.category.to_lowercase()}</td>
                                        <td><span class=class>{label}</span></td>
                                        <td class="num">{r.revision}</td>
                                        <td class="num">{r.error_count} " / " {r.warning_count}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
        <DomainsCard tenant=tenant.clone() />
    }
}

/// The tenant's link domains: editors declare them, reviewers verify them.
#[component]
fn DomainsCard(tenant: String) -> impl IntoView {
    let declare = ServerAction::<DeclareDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let verify = ServerAction::<VerifyDomain>::new();
    let error = action_error(declare);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_ok(declare, form);
    let t2 = tenant.clone();
    let done = (succeeded(declare), succeeded(remove), succeeded(verify));
    let data = Resource::new(
        move || (t2.clone(), done.0.get(), done.1.get(), done.2.get()),
        |(t, _, _, _)| list_domains(t),
    );
    let (editor, reviewer) = (may_edit(&tenant), is_reviewer());
    view! {
        <section class="card" data-testid="domains">
            <div class="card-header"><h2>{t(T::LinkDomains)}</h2></div>
            <div class="card-body">
                <p class="hint">{t(T::LinkDomainsHint)}</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let l = use_locale();
                        let tenant = tenant_param();
                        match data.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any(),
                            Ok(rows) => view! {
                                <ul class="plain domains">{rows.into_iter().map(|d| {
                                    let verified = d.verified_at.is_some();
                                    let (t1, t2) = (tenant.clone(), tenant.clone());
                                    view! {
                                        <li>
                                            <span class="mono">{d.domain.clone()}</span> " "
                                            {if verified { view! { <span class="badge badge-green">{T::Verified.get(l)}</span> }.into_any() } else { view! { <span class="badge badge-gray">{T::NotVerified.get(l)}</span> }.into_any() }}
                                            {reviewer.then(|| view! {
                                                <ActionForm action=verify attr:class="inline">
                                                    <input type="hidden" name="tenant" value=t1 />
                                                    <input type="hidden" name="id" value=d.id.to_string() />
                                                    <input type="hidden" name="verified" value=(!verified).to_string() />
                                                    <button type="submit" class="btn btn-ghost btn-sm">{if verified { T::Unverify.get(l) } else { T::Verify.get(l) }}</button>
                                                </ActionForm>
                                            })}
                                            {editor.then(|| view! {
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="tenant" value=t2 />
                                                    <input type="hidden" name="id" value=d.id.to_string() />
                                                    <button type="submit" class="btn btn-ghost btn-sm">{T::Remove.get(l)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}</ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                {editor.then(|| view! {
                    <ActionForm action=declare node_ref=form attr:class="form inline-form" attr:novalidate="">
                        <input type="hidden" name="tenant" value=tenant.clone() />
                        <Field label=T::Domain name="domain" error=error hint=T::DomainHint />
                        <div class="form-actions"><button type="submit" class="btn btn-secondary">{t(T::Declare)}</button></div>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

#[component]
pub fn NewTemplatePage() -> impl IntoView {
    let allowed = Resource::new(|| (), |_| template_builder(tenant_param()));
    view! {
        <Title text=t(T::NewTemplate) />
        <Suspense>
            {move || Suspend::new(async move {
                match allowed.await {
                    Ok(info) => view! { <TemplateForm info /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateForm(info: BuilderInfo) -> impl IntoView {
    let action = ServerAction::<CreateTemplate>::new();
    let error = action_error(action);
    let initial = DraftForm {
        language: "en_US".into(),
        category: "UTILITY".into(),
        ..Default::default()
    };
    view! {
        <div class="page-header"><h1>{t(T::NewTemplate)}</h1></div>
        <ActionForm action=action attr:class="form form-wide" attr:novalidate="">
            <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
            <input type="hidden" name="tenant" value=info.tenant.clone() />
            <BuilderFields initial error verified=info.verified_domains.clone() identity=true consent=false />
        </ActionForm>
    }
}

/// A form value: what the user sent (after a failed round trip without JavaScript), else
/// the initial value.
fn init(error: Signal<Option<crate::contract::AppError>>, name: &str, initial: &str) -> String {
    match echoed(name) {
        Some(v) if error.get_untracked().is_some() => v,
        _ => initial.to_owned(),
    }
}

/// The builder's fields, with the live preview and pre-check beside them. Inputs are plain
/// form fields (the form works without JavaScript); with it, every keystroke re-renders
/// the preview and re-runs the same lint as the server.
#[component]
fn BuilderFields(
    initial: DraftForm,
    error: Signal<Option<crate::contract::AppError>>,
    verified: Vec<String>,
    identity: bool,
    consent: bool,
) -> impl IntoView {
    let l = use_locale();
    let mut first = initial.clone();
    for (name, slot) in [
        ("name", &mut first.name),
        ("language", &mut first.language),
        ("category", &mut first.category),
        ("header", &mut first.header),
        ("header_format", &mut first.header_format),
        ("header_example", &mut first.header_example),
        ("header_sample", &mut first.header_sample),
        ("body", &mut first.body),
        ("examples", &mut first.examples),
        ("footer", &mut first.footer),
    ] {
        *slot = init(error, name, slot);
    }
    let form = RwSignal::new(first.clone());
    let set = move |f: fn(&mut DraftForm, String)| {
        move |ev: leptos::ev::Event| form.update(|d| f(d, event_target_value(&ev)))
    };
    let field_err = move |f: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.fields().and_then(|x| x.get(f)))
                .map(|c| c.text().get(l))
        }
    };
    let languages: Vec<(String, String)> = LANGUAGES
        .iter()
        .map(|(c, n)| ((*c).to_owned(), format!("{n} — {c}")))
        .collect();
    let ctx = LintContext {
        verified_domains: verified,
        other_templates: vec![],
    };
    let live = Memo::new(move |_| {
        let t = form.with(DraftForm::sketch);
        let findings = lint(&t, &ctx);
        (t, findings)
    });
    let is_auth = move || form.with(|d| d.category.eq_ignore_ascii_case("AUTHENTICATION"));
    let header_format = first.header_format.clone();
    let category = first.category.clone();
    let rows: Vec<ButtonForm> = (0..MAX_BUTTON_ROWS)
        .map(|i| initial.buttons.get(i).cloned().unwrap_or_default())
        .collect();
    view! {
        <div class="builder">
            <div class="card"><div class="card-body stack">
                {identity.then(|| view! {
                    <div class="field" class:has-error=move || field_err("name")().is_some()>
                        <label for="f-name">{T::TemplateName.get(l)}</label>
                        <input id="f-name" name="name" value=first.name.clone() required=true autocomplete="off" on:input=set(|d, v| d.name = v) aria-describedby="f-name-error" />
                        <p class="hint">{T::TemplateNameHint.get(l)}</p>
                        <p class="field-error" id="f-name-error" role="alert">{field_err("name")}</p>
                    </div>
                    <div class="field">
                        <label for="f-language">{T::Language.get(l)}</label>
                        <select id="f-language" name="language" on:change=set(|d, v| d.language = v)>
                            {languages.into_iter().map(|(v, lb)| { let sel = v == first.language; view! { <option value=v selected=sel>{lb}</option> } }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{field_err("language")}</p>
                    </div>
                })}
                <div class="field">
                    <label for="f-category">{T::Category.get(l)}</label>
                    <select id="f-category" name="category" on:change=set(|d, v| d.category = v)>
                        {CATEGORIES.iter().map(|c| { let sel = c.eq_ignore_ascii_case(&category); view! { <option value=*c selected=sel>{c.to_lowercase()}</option> } }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{field_err("category")}</p>
                </div>
                <label class="checkbox">
                    <input type="checkbox" name="category_consent" value="on" checked=consent />
                    " " {T::CategoryConsent.get(l)}
                </label>
                <fieldset class="builder-section" class:muted-section=is_auth>
                    <legend>{T::HeaderSection.get(l)}</legend>
                    <div class="form-grid">
                        <div class="field">
                            <label for="f-header_format">{T::HeaderFormat.get(l)}</label>
                            <select id="f-header_format" name="header_format" on:change=set(|d, v| d.header_format = v)>
                                {HEADER_FORMATS.iter().map(|f| { let sel = f.eq_ignore_ascii_case(&header_format) || (f.is_empty() && header_format.is_empty()); view! { <option value=*f selected=sel>{if f.is_empty() { "—".to_owned() } else { f.to_lowercase() }}</option> } }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="f-header">{T::Header.get(l)}</label>
                            <input id="f-header" name="header" value=first.header.clone() on:input=set(|d, v| d.header = v) />
                        </div>
                        <div class="field">
                            <label for="f-header_example">{T::HeaderExample.get(l)}</label>
                            <input id="f-header_example" name="header_example" value=first.header_example.clone() on:input=set(|d, v| d.header_example = v) />
                        </div>
                        <div class="field">
                            <label for="f-header_sample">{T::HeaderSample.get(l)}</label>
                            <input id="f-header_sample" name="header_sample" value=first.header_sample.clone() on:input=set(|d, v| d.header_sample = v) />
                            <p class="hint">{T::HeaderSampleHint.get(l)}</p>
                        </div>
                    </div>
                </fieldset>
                <div class="field" class:has-error=move || field_err("body")().is_some()>
                    <label for="f-body">{T::Body.get(l)}</label>
                    <textarea id="f-body" name="body" rows="6" aria-describedby="f-body-error" on:input=set(|d, v| d.body = v)>{first.body.clone()}</textarea>
                    <p class="hint">{T::BodyHint.get(l)}</p>
                    <p class="field-error" id="f-body-error" role="alert">{field_err("body")}</p>
                </div>
                <div class="field">
                    <label for="f-examples">{T::Examples.get(l)}</label>
                    <textarea id="f-examples" name="examples" rows="3" on:input=set(|d, v| d.examples = v)>{first.examples.clone()}</textarea>
                    <p class="hint">{T::ExamplesHint.get(l)}</p>
                </div>
                <div class="field">
                    <label for="f-footer">{T::Footer.get(l)}</label>
                    <input id="f-footer" name="footer" value=first.footer.clone() on:input=set(|d, v| d.footer = v) />
                </div>
                <fieldset class="builder-section">
                    <legend>{T::Buttons.get(l)}</legend>
                    <p class="hint">{T::ButtonsHint.get(l)}</p>
                    {rows.into_iter().enumerate().map(|(i, b)| view! { <ButtonRow i b error form /> }).collect_view()}
                </fieldset>
                <details class="builder-section" open=first.category.eq_ignore_ascii_case("AUTHENTICATION") prop:open=is_auth>
                    <summary>{T::OtpSection.get(l)}</summary>
                    <OtpFields initial=initial.otp.clone() error form />
                </details>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{T::SaveDraft.get(l)}</button></div>
            </div></div>
            <aside class="builder-aside">
                <section class="card">
                    <div class="card-header"><h2>{T::Preview.get(l)}</h2></div>
                    <div class="card-body">{move || live.with(|(t, _)| view! { <PreviewBubble content=t.clone() /> })}</div>
                </section>
                <section class="card" data-testid="live-findings">
                    <div class="card-header"><h2>{T::LiveCheck.get(l)}</h2></div>
                    <div class="card-body">
                        {move || live.with(|(_, f)| if f.is_empty() {
                            view! { <p class="muted">{T::NoFindings.get(l)}</p> }.into_any()
                        } else {
                            view! { <ul class="findings">{f.iter().map(|x| view! { <FindingItem f=FindingView { rule: x.rule.to_owned(), severity: x.severity, component: x.component.clone(), span: x.span, args: x.args.clone(), comment: None } /> }).collect_view()}</ul> }.into_any()
                        })}
                    </div>
                </section>
            </aside>
        </div>
    }
}

#[component]
fn ButtonRow(
    i: usize,
    b: ButtonForm,
    error: Signal<Option<crate::contract::AppError>>,
    form: RwSignal<DraftForm>,
) -> impl IntoView {
    let l = use_locale();
    let name = |f: &str| format!("{f}[{i}]");
    let kind = init(error, &name("button_kind"), &b.kind);
    let (text, value, example) = (
        init(error, &name("button_text"), &b.text),
        init(error, &name("button_value"), &b.value),
        init(error, &name("button_example"), &b.example),
    );
    // The live form keeps one entry per row.
    form.update_untracked(|d| {
        if d.buttons.len() <= i {
            d.buttons.resize(i + 1, ButtonForm::default());
        }
        d.buttons[i] = ButtonForm {
            kind: kind.clone(),
            text: text.clone(),
            value: value.clone(),
            example: example.clone(),
        };
    });
    let on = move |f: fn(&mut ButtonForm, String)| {
        move |ev: leptos::ev::Event| {
            form.update(|d| {
                if let Some(b) = d.buttons.get_mut(i) {
                    f(b, event_target_value(&ev))
                }
            })
        }
    };
    let row = view! {
        <div class="button-row form-grid-4">
            <select name=name("button_kind") aria-label=T::ButtonType.get(l) on:change=on(|b, v| b.kind = v)>
                <option value="">"—"</option>
                {BUTTON_KINDS.iter().map(|k| { let sel = k.eq_ignore_ascii_case(&kind); view! { <option value=*k selected=sel>{k.replace('_', " ").to_lowercase()}</option> } }).collect_view()}
            </select>
            <input name=name("button_text") value=text placeholder=T::ButtonText.get(l) aria-label=T::ButtonText.get(l) on:input=on(|b, v| b.text = v) />
            <input name=name("button_value") value=value placeholder=T::ButtonValue.get(l) aria-label=T::ButtonValue.get(l) on:input=on(|b, v| b.value = v) />
            <input name=name("button_example") value=example placeholder=T::ButtonExample.get(l) aria-label=T::ButtonExample.get(l) on:input=on(|b, v| b.example = v) />
        </div>
    };
    // The first three rows show; the rest fold away until needed.
    if i < 3 {
        row.into_any()
    } else {
        view! { <details class="more-buttons" open=!b.kind.is_empty()><summary>{T::ButtonN.fill(l, &[&(i + 1).to_string()])}</summary>{row}</details> }.into_any()
    }
}

#[component]
fn OtpFields(
    initial: crate::domain::template::draft::OtpForm,
    error: Signal<Option<crate::contract::AppError>>,
    form: RwSignal<DraftForm>,
) -> impl IntoView {
    let l = use_locale();
    let field_err = move |f: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.fields().and_then(|x| x.get(f)))
                .map(|c| c.text().get(l))
        }
    };
    let otp_type = init(error, "otp_type", &initial.otp_type);
    let set = move |f: fn(&mut crate::domain::template::draft::OtpForm, String)| {
        move |ev: leptos::ev::Event| form.update(|d| f(&mut d.otp, event_target_value(&ev)))
    };
    form.update_untracked(|d| d.otp = initial.clone());
    view! {
        <p class="hint">{T::OtpHint.get(l)}</p>
        <label class="checkbox">
            <input type="checkbox" name="security_recommendation" value="on" checked=initial.security_recommendation on:change=move |ev| form.update(|d| d.otp.security_recommendation = event_target_checked(&ev)) />
            " " {T::SecurityRecommendation.get(l)}
        </label>
        <div class="form-grid">
            <div class="field">
                <label for="f-code_expiration">{T::CodeExpiration.get(l)}</label>
                <input id="f-code_expiration" name="code_expiration" inputmode="numeric" value=init(error, "code_expiration", &initial.code_expiration) on:input=set(|o, v| o.code_expiration = v) />
                <p class="field-error" role="alert">{field_err("code_expiration")}</p>
            </div>
            <div class="field">
                <label for="f-otp_type">{T::OtpType.get(l)}</label>
                <select id="f-otp_type" name="otp_type" on:change=set(|o, v| o.otp_type = v)>
                    {OTP_TYPES.iter().map(|k| { let sel = k.eq_ignore_ascii_case(&otp_type); view! { <option value=*k selected=sel>{k.replace('_', " ").to_lowercase()}</option> } }).collect_view()}
                </select>
            </div>
            <OtpInput label=T::ButtonText name="otp_button_text" value=init(error, "otp_button_text", &initial.button_text) on=set(|o, v| o.button_text = v) />
            <OtpInput label=T::AutofillText name="autofill_text" value=init(error, "autofill_text", &initial.autofill_text) on=set(|o, v| o.autofill_text = v) />
            <OtpInput label=T::PackageName name="package_name" value=init(error, "package_name", &initial.package_name) on=set(|o, v| o.package_name = v) />
            <OtpInput label=T::SignatureHash name="signature_hash" value=init(error, "signature_hash", &initial.signature_hash) on=set(|o, v| o.signature_hash = v) />
        </div>
        <label class="checkbox">
            <input type="checkbox" name="zero_tap_terms" value="on" checked=initial.zero_tap_terms on:change=move |ev| form.update(|d| d.otp.zero_tap_terms = event_target_checked(&ev)) />
            " " {T::ZeroTapTerms.get(l)}
        </label>
    }
}

/// A labelled text input of the OTP section that keeps the live form in step.
#[component]
fn OtpInput(
    label: T,
    name: &'static str,
    value: String,
    on: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input id=id name=name value=value on:input=on />
        </div>
    }
}

/// The message as a customer would see it, examples in place of the parameters.
#[component]
pub fn PreviewBubble(
    content: model::CreateTemplate,
    #[prop(optional)] tenant: Option<String>,
) -> impl IntoView {
    use crate::domain::template::media::{media_header, stored_id, MediaKind};
    let r = render(&content);
    // An image sample kept by the console is shown as the customer would see it.
    let image = tenant.filter(|t| !t.is_empty()).and_then(|t| {
        let (kind, handle) = media_header(&content)?;
        (kind == MediaKind::Image).then_some(())?;
        stored_id(handle?).map(|id| format!("/tenants/{t}/media/{id}"))
    });
    view! {
        <div class="wa-chat">
            <div class="wa-bubble" data-testid="preview">
                {match (image, r.header_media) {
                    (Some(src), _) => view! { <img class="wa-media-image" src=src alt="" data-testid="preview-sample" /> }.into_any(),
                    (None, Some(m)) => view! { <div class="wa-media">{m.to_lowercase()}</div> }.into_any(),
                    (None, None) => ().into_any(),
                }}
                {r.header.map(|h| view! { <p class="wa-header">{h}</p> })}
                <p class="wa-body">{r.body}</p>
                {r.footer.map(|f| view! { <p class="wa-footer">{f}</p> })}
            </div>
            {(!r.buttons.is_empty()).then(|| view! {
                <div class="wa-buttons">{r.buttons.into_iter().map(|b| view! { <span class="wa-button">{b}</span> }).collect_view()}</div>
            })}
        </div>
    }
}

/// The preview in its card.
#[component]
pub fn Preview(
    content: model::CreateTemplate,
    #[prop(optional)] tenant: Option<String>,
) -> impl IntoView {
    view! {
        <section class="card">
            <div class="card-header"><h2>{t(T::Preview)}</h2></div>
            <div class="card-body"><PreviewBubble content tenant=tenant.unwrap_or_default() /></div>
        </section>
    }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let submit = ServerAction::<SubmitTemplate>::new();
    let mark = ServerAction::<MarkTemplateSubmitted>::new();
    let done = (succeeded(submit), succeeded(mark));
    let data = Resource::new(
        move || {
            let (tenant, id) = template_route();
            (tenant, id, done.0.get(), done.1.get())
        },
        |(tenant, id, _, _)| get_template(tenant, id),
    );
    // The template's state at WhatsApp: its own resource and suspense, beside the page's.
    let health = Resource::new(template_route, |(tenant, id)| {
        crate::api::health::template_health(tenant, id)
    });
    let error = action_error(submit);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <TemplateView d submit error mark /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(h) if h.status.is_some() => view! { <super::health::HealthCard h /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateView(
    d: TemplateDetail,
    submit: ServerAction<SubmitTemplate>,
    error: Signal<Option<crate::contract::AppError>>,
    mark: ServerAction<MarkTemplateSubmitted>,
) -> impl IntoView {
    let l = use_locale();
    let (class, label) = status_badge(d.status);
    view! {
        <Title text=d.content.name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.content.name.clone()} " " <span class=class>{label}</span></h1>
                <p class="subtitle muted">
                    {d.content.language.clone()} " · " {d.content.category.to_lowercase()} " · " {T::Revision.get(l)} " " {d.revision}
                    {d.previous_category.clone().map(|p| view! { " · " {T::CategoryChangedFrom.fill(l, &[&p.to_lowercase()])} })}
                </p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/tenants/{}/templates/{}/history", d.tenant, d.id)>{T::History.get(l)}</a>
                {d.can_review.then(|| view! { <a class="btn btn-primary" href=format!("/review/{}/{}", d.tenant, d.id)>{T::OpenReview.get(l)}</a> })}
                {d.can_edit.then(|| view! {
                    <a class="btn btn-secondary" href=format!("/tenants/{}/templates/{}/edit", d.tenant, d.id)>{T::Edit.get(l)}</a>
                })}
                {d.can_submit.then(|| view! {
                    <ActionForm action=submit>
                        <input type="hidden" name="tenant" value=d.tenant.to_string() />
                        <input type="hidden" name="id" value=d.id.to_string() />
                        <button type="submit" class="btn btn-primary">{T::SubmitForReview.get(l)}</button>
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error=error />
        {(d.reason.is_some() || d.note.is_some()).then(|| view! {
            <div class="flash flash-info" data-testid="decision">
                {d.reason.clone().map(|r| view! { <strong>{T::Reason.get(l)} ": " {r} " "</strong> })}
                {d.note.clone().map(|n| view! { <span>{T::ReviewerNote.get(l)} ": " {n}</span> })}
            </div>
        })}
        {(!d.comments.is_empty()).then(|| view! {
            <div class="flash flash-info"><ul>{d.comments.iter().map(|c| view! { <li><span class="mono small">{c.finding.clone()}</span> ": " {c.comment.clone()}</li> }).collect_view()}</ul></div>
        })}
        <SubmissionPanel d=d.clone() mark />
        {d.sample.clone().map(|s| view! { <SampleCard s tenant=d.tenant.to_string() template=d.id.to_string() can_edit=d.can_edit /> })}
        <div class="grid-2">
            <Preview content=d.content.clone() tenant=d.tenant.to_string() />
            <section class="card">
                <div class="card-header"><h2>{T::Findings.get(l)}</h2></div>
                <div class="card-body">
                    {if d.findings.is_empty() {
                        view! { <p class="muted">{T::NoFindings.get(l)}</p> }.into_any()
                    } else {
                        view! { <ul class="findings" data-testid="findings">{d.findings.into_iter().map(|f| view! { <FindingItem f /> }).collect_view()}</ul> }.into_any()
                    }}
                </div>
            </section>
        </div>
    }
}

/// A media header's sample file: what is attached, and (for editors) a plain multipart form
/// to attach one, which works without JavaScript and comes back here with the reason if the
/// file is refused.
#[component]
fn SampleCard(
    s: crate::contract::SampleView,
    tenant: String,
    template: String,
    can_edit: bool,
) -> impl IntoView {
    use crate::domain::template::media::{MediaError, MediaKind};
    let l = use_locale();
    let refused: Option<MediaError> = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("sample_error"))
        .and_then(|j| serde_json::from_str(&j).ok());
    let state = match (&s.stored, &s.handle) {
        (Some((id, ct, n)), _) => {
            let url = format!("/tenants/{tenant}/media/{id}");
            let size = format!("{ct}, {} KB", (*n as i64 + 1023) / 1024);
            view! {
                <p data-testid="sample-state">{T::HeaderSampleStored.fill(l, &[&size])} " " <a href=url.clone() target="_blank" rel="noopener">{t(T::Open)}</a></p>
                {(s.kind == MediaKind::Image).then(|| view! { <img class="sample-thumb" src=url alt=t(T::SampleFile) /> })}
            }
            .into_any()
        }
        (None, Some(h)) => view! { <p data-testid="sample-state" class="small">{T::HeaderSampleHandle.fill(l, &[h])}</p> }.into_any(),
        (None, None) => view! { <p data-testid="sample-state" class="muted">{T::HeaderSampleNone.get(l)}</p> }.into_any(),
    };
    view! {
        <section class="card" data-testid="sample-card">
            <div class="card-header"><h2>{T::SampleFile.get(l)}</h2></div>
            <div class="card-body">
                <p class="hint">{T::SampleFileHint.get(l)}</p>
                {state}
                {can_edit.then(|| view! {
                    <form method="post" enctype="multipart/form-data" action=format!("/tenants/{tenant}/templates/{template}/sample") class="photo-upload-form">
                        <input type="file" name="sample" accept=s.kind.accept() aria-label=t(T::SampleFile) required />
                        <button type="submit" class="btn btn-sm">{T::UploadSample.get(l)}</button>
                    </form>
                })}
                <p class="field-error" role="alert" data-testid="sample-error">{refused.map(|e| crate::i18n::media_error_text(&e, l))}</p>
            </div>
        </section>
    }
}

/// After BSP approval: ready to submit (marked by staff), or sent by the Graph API client
/// (with its last error and a retry); afterwards the platform's id.
#[component]
pub fn SubmissionPanel(
    d: TemplateDetail,
    mark: ServerAction<MarkTemplateSubmitted>,
) -> impl IntoView {
    let l = use_locale();
    let error = action_error(mark);
    let approved = d.status == TemplateStatus::BspApproved;
    let (tenant, id) = (d.tenant.to_string(), d.id.to_string());
    view! {
        <FormError error=error />
        {approved.then(|| view! {
            <div class="flash flash-success" data-testid="submission">
                <strong>{if d.graph_configured { T::SendingToPlatform.get(l) } else { T::ReadyToSubmit.get(l) }}</strong>
                {d.submit_error.clone().map(|e| view! { <div class="small">{T::SubmitError.get(l)} ": " {e}</div> })}
                {d.can_mark_submitted.then(|| view! {
                    <ActionForm action=mark attr:class="inline">
                        <input type="hidden" name="tenant" value=tenant.clone() />
                        <input type="hidden" name="id" value=id.clone() />
                        {d.graph_configured.then(|| view! { <input type="hidden" name="retry" value="1" /> })}
                        <button type="submit" class="btn btn-secondary btn-sm">{if d.graph_configured { T::RetryNow.get(l) } else { T::MarkSubmitted.get(l) }}</button>
                    </ActionForm>
                })}
            </div>
        })}
        {d.platform_id.clone().map(|p| view! { <p class="muted small">{T::PlatformId.get(l)} ": " <span class="mono">{p}</span></p> })}
    }
}

#[component]
pub fn FindingItem(f: FindingView) -> impl IntoView {
    let l = use_locale();
    let mut text = Rule::from_id(&f.rule)
        .map(|r| lint_text(r, l).to_owned())
        .unwrap_or_else(|| f.rule.clone());
    for (i, a) in f.args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    let class = if f.severity == Severity::Error {
        "badge badge-red"
    } else {
        "badge badge-yellow"
    };
    view! {
        <li>
            <span class=class>{if f.severity == Severity::Error { "error" } else { "warning" }}</span>
            " " <span class="mono small">{f.rule.clone()}</span> " · " <span class="muted small">{f.component.clone()}</span>
            <div>{text}</div>
            {f.comment.clone().map(|c| view! { <div class="reviewer-comment" data-testid="finding-comment">{T::ReviewerNote.get(l)} ": " {c}</div> })}
        </li>
    }
}

/// Changed components with their words added and removed.
#[component]
pub fn DiffList(parts: Vec<ComponentDiff>) -> impl IntoView {
    let l = use_locale();
    if parts.is_empty() {
        return view! { <p class="muted">{T::NoChanges.get(l)}</p> }.into_any();
    }
    view! {
        <dl class="diff">{parts.into_iter().map(|c| view! {
            <dt>{c.component.clone()}</dt>
            <dd class="diff-text">{c.pieces.into_iter().map(|p| match p.change {
                Change::Same => view! { <span>{p.text}</span> }.into_any(),
                Change::Added => view! { <ins>{p.text}</ins> }.into_any(),
                Change::Removed => view! { <del>{p.text}</del> }.into_any(),
            }).collect_view()}</dd>
        }).collect_view()}</dl>
    }
    .into_any()
}

/// Editing a template: a draft in place, otherwise a new revision.
#[component]
pub fn EditTemplatePage() -> impl IntoView {
    let data = Resource::new(template_route, |(tenant, id)| async move {
        // Editors only: viewers and other tenants get 403/404 before any content.
        let info = template_builder(tenant.clone()).await?;
        Ok::<_, crate::contract::AppError>((info, get_template(tenant, id).await?))
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((info, d)) => view! { <EditForm d info /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(d: TemplateDetail, info: BuilderInfo) -> impl IntoView {
    let l = use_locale();
    let action = ServerAction::<EditTemplate>::new();
    let error = action_error(action);
    let initial = DraftForm::from_template(&d.content);
    view! {
        <Title text=d.content.name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.content.name.clone()}</h1>
                <p class="subtitle muted">{d.content.language.clone()} " · " {T::Revision.get(l)} " " {d.revision}</p>
            </div>
            <div class="actions"><a class="btn btn-ghost" href=format!("/tenants/{}/templates/{}", d.tenant, d.id)>{T::Cancel.get(l)}</a></div>
        </div>
        <ActionForm action=action attr:class="form form-wide" attr:novalidate="">
            <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
            <input type="hidden" name="tenant" value=d.tenant.to_string() />
            <input type="hidden" name="id" value=d.id.to_string() />
            <BuilderFields initial error verified=info.verified_domains.clone() identity=false consent=d.category_consent />
        </ActionForm>
    }
}

/// Every revision, newest first, with what changed from the one before.
#[component]
pub fn TemplateHistoryPage() -> impl IntoView {
    let data = Resource::new(template_route, |(tenant, id)| template_history(tenant, id));
    view! {
        <Title text=t(T::History) />
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                let (tenant, id) = (tenant_param(), use_params_map().read_untracked().get("template").unwrap_or_default());
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(revs) => {
                        let name = revs.first().map(|r| r.content.name.clone()).unwrap_or_default();
                        view! {
                            <div class="page-header">
                                <div>
                                    <p class="muted small"><a href=format!("/tenants/{tenant}/templates/{id}")>{name.clone()}</a></p>
                                    <h1>{T::History.get(l)} " — " {name}</h1>
                                </div>
                            </div>
                            <ol class="history" reversed=true data-testid="history">{revs.into_iter().rev().map(|r| {
                                let (class, label) = status_badge(r.status);
                                view! {
                                    <li class="card">
                                        <div class="card-header">
                                            <h2>{T::Revision.get(l)} " " {r.number} " " <span class=class>{label}</span></h2>
                                            <p class="muted small">
                                                {fmt_time(r.created_at)} {r.created_by.clone().map(|b| format!(" · {b}"))}
                                                {r.decided_at.map(|at| format!(" · {} {}", T::Decision.get(l), fmt_time(at)))}
                                                {r.decided_by.clone().map(|b| format!(" · {b}"))}
                                            </p>
                                        </div>
                                        <div class="card-body">
                                            {r.reason.clone().map(|x| view! { <p><strong>{T::Reason.get(l)} ": "</strong> {x}</p> })}
                                            {r.note.clone().map(|x| view! { <p><strong>{T::ReviewerNote.get(l)} ": "</strong> {x}</p> })}
                                            {(r.number > 1).then(|| view! { <DiffList parts=r.changes.clone() /> })}
                                            <details><summary>{T::Preview.get(l)}</summary><PreviewBubble content=r.content.clone() /></details>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}</ol>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
