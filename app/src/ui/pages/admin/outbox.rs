//! Admins: the email outbox, with status, attempts, last error and resend.

use crate::ui::components::succeeded;
use crate::{
    api::admin::{list_outbox, ResendEmail},
    i18n::T,
    ui::components::{fmt_time, t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let resend = ServerAction::<ResendEmail>::new();
    let resent = succeeded(resend);
    let data = Resource::new(move || resent.get(), |_| list_outbox());
    view! {
        <Title text=t(T::Outbox) />
        <div class="page-header"><h1>{t(T::Outbox)}</h1></div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <div class="empty"><h3>{T::NothingHere.get(l)}</h3></div> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="table" data-testid="outbox">
                            <thead><tr><th>{T::Created.get(l)}</th><th>{T::Kind.get(l)}</th><th>{T::Recipient.get(l)}</th><th>{T::Status.get(l)}</th><th class="num">{T::Attempts.get(l)}</th><th>{T::LastError.get(l)}</th><th></th></tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let badge = match r.status.as_str() { "sent" => "badge badge-green", "dead" => "badge badge-red", _ => "badge badge-yellow" };
                                view! {
                                    <tr>
                                        <td class="nowrap">{fmt_time(r.created_at)}</td>
                                        <td>{r.kind}</td>
                                        <td>{r.recipient}</td>
                                        <td><span class=badge>{r.status}</span></td>
                                        <td class="num">{r.attempts}</td>
                                        <td class="small">{r.last_error.unwrap_or_default()}</td>
                                        <td><ActionForm action=resend>
                                            <input type="hidden" name="id" value=r.id.to_string() />
                                            <button type="submit" class="btn btn-secondary btn-small">{T::Resend.get(l)}</button>
                                        </ActionForm></td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
