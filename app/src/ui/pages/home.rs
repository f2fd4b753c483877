//! The landing page after sign-in: staff go to the tenant list, tenant users to their tenant.

use crate::{contract::Me, ui::components::NotFound};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let me = expect_context::<Me>();
    if me.is_staff() {
        view! { <Redirect path="/tenants" /> }.into_any()
    } else if let Some(t) = me.active_tenant {
        view! { <Redirect path=format!("/tenants/{t}") /> }.into_any()
    } else {
        view! { <NotFound /> }.into_any()
    }
}
