//! The template builder: a new template, or a new revision of one (the browser runs the same
//! pre-check as the server as the tenant types).

use super::route::{template_route, tenant_param};
use crate::ui::components::{FindingItem, PreviewBubble};
use crate::{
    api::templates::{get_template, template_builder, CreateTemplate, EditTemplate},
    contract::{BuilderInfo, FindingView, TemplateDetail},
    domain::template::{
        draft::{
            stored_max as m, ButtonForm, DraftForm, BUTTON_KINDS, CATEGORIES, HEADER_FORMATS,
            MAX_BUTTON_ROWS, OTP_TYPES,
        },
        language::LANGUAGES,
        lint::{lint, LintContext},
    },
    i18n::T,
    ui::components::{action_error, echoed, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;

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
                            <input id="f-header" name="header" maxlength=m::HEADER value=first.header.clone() on:input=set(|d, v| d.header = v) />
                            <p class="field-error" role="alert">{field_err("header")}</p>
                        </div>
                        <div class="field">
                            <label for="f-header_example">{T::HeaderExample.get(l)}</label>
                            <input id="f-header_example" name="header_example" maxlength=m::HEADER_EXAMPLE value=first.header_example.clone() on:input=set(|d, v| d.header_example = v) />
                            <p class="field-error" role="alert">{field_err("header_example")}</p>
                        </div>
                        <div class="field">
                            <label for="f-header_sample">{T::HeaderSample.get(l)}</label>
                            <input id="f-header_sample" name="header_sample" maxlength=m::LINK value=first.header_sample.clone() on:input=set(|d, v| d.header_sample = v) />
                            <p class="hint">{T::HeaderSampleHint.get(l)}</p>
                            <p class="field-error" role="alert">{field_err("header_sample")}</p>
                        </div>
                    </div>
                </fieldset>
                <div class="field" class:has-error=move || field_err("body")().is_some()>
                    <label for="f-body">{T::Body.get(l)}</label>
                    <textarea id="f-body" name="body" rows="6" maxlength=m::BODY aria-describedby="f-body-error" on:input=set(|d, v| d.body = v)>{first.body.clone()}</textarea>
                    <p class="hint">{T::BodyHint.get(l)}</p>
                    <p class="field-error" id="f-body-error" role="alert">{field_err("body")}</p>
                </div>
                <div class="field">
                    <label for="f-examples">{T::Examples.get(l)}</label>
                    <textarea id="f-examples" name="examples" rows="3" maxlength=m::EXAMPLES on:input=set(|d, v| d.examples = v)>{first.examples.clone()}</textarea>
                    <p class="hint">{T::ExamplesHint.get(l)}</p>
                    <p class="field-error" role="alert">{field_err("examples")}</p>
                </div>
                <div class="field">
                    <label for="f-footer">{T::Footer.get(l)}</label>
                    <input id="f-footer" name="footer" maxlength=m::FOOTER value=first.footer.clone() on:input=set(|d, v| d.footer = v) />
                    <p class="field-error" role="alert">{field_err("footer")}</p>
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
    let name = move |f: &str| format!("{f}[{i}]");
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
    let row_error = move || {
        error.get().and_then(|e| {
            let f = e.fields()?;
            [
                "button_kind",
                "button_text",
                "button_value",
                "button_example",
            ]
            .iter()
            .find_map(|k| f.get(&name(k)))
            .map(|c| c.text().get(l))
        })
    };
    let row = view! {
        <div class="button-row form-grid-4">
            <select name=name("button_kind") aria-label=T::ButtonType.get(l) on:change=on(|b, v| b.kind = v)>
                <option value="">"—"</option>
                {BUTTON_KINDS.iter().map(|k| { let sel = k.eq_ignore_ascii_case(&kind); view! { <option value=*k selected=sel>{k.replace('_', " ").to_lowercase()}</option> } }).collect_view()}
            </select>
            <input name=name("button_text") maxlength=m::BUTTON_TEXT value=text placeholder=T::ButtonText.get(l) aria-label=T::ButtonText.get(l) on:input=on(|b, v| b.text = v) />
            <input name=name("button_value") maxlength=m::LINK value=value placeholder=T::ButtonValue.get(l) aria-label=T::ButtonValue.get(l) on:input=on(|b, v| b.value = v) />
            <input name=name("button_example") maxlength=m::LINK value=example placeholder=T::ButtonExample.get(l) aria-label=T::ButtonExample.get(l) on:input=on(|b, v| b.example = v) />
            <p class="field-error" role="alert">{row_error}</p>
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
            <OtpInput label=T::ButtonText name="otp_button_text" max=m::BUTTON_TEXT error value=init(error, "otp_button_text", &initial.button_text) on=set(|o, v| o.button_text = v) />
            <OtpInput label=T::AutofillText name="autofill_text" max=m::SHORT error value=init(error, "autofill_text", &initial.autofill_text) on=set(|o, v| o.autofill_text = v) />
            <OtpInput label=T::PackageName name="package_name" max=m::SHORT error value=init(error, "package_name", &initial.package_name) on=set(|o, v| o.package_name = v) />
            <OtpInput label=T::SignatureHash name="signature_hash" max=m::SHORT error value=init(error, "signature_hash", &initial.signature_hash) on=set(|o, v| o.signature_hash = v) />
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
    max: usize,
    error: Signal<Option<crate::contract::AppError>>,
    value: String,
    on: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let l = use_locale();
    let id = format!("f-{name}");
    let err = move || {
        error
            .get()
            .and_then(|e| e.fields().and_then(|x| x.get(name)))
            .map(|c| c.text().get(l))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <input id=id name=name maxlength=max value=value on:input=on />
            <p class="field-error" role="alert">{err}</p>
        </div>
    }
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
