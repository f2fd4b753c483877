//! The session of the page being rendered, read once by the server before rendering and
//! shared with the browser inside the page.

use crate::{
    contract::{AppError, SessionInfo},
    domain::locale::Locale,
};

/// The session as the server read it before rendering this page (`PageSession`), shared
/// with the browser inside the page: every part of the page has it at once, so no
/// `<Suspense>` wraps the whole page. (Pages under such a `<Suspense>` were built twice on
/// the server, each time loading their data, and the HTML and the hydration data could come
/// from different loads.) Actions that change the session end in a full page load
/// (`follow`, or a plain form's redirect), so one read per page is right.
#[derive(Clone)]
pub struct PageSessionInfo(pub Result<SessionInfo, AppError>);

impl PageSessionInfo {
    pub fn signed_in(&self) -> bool {
        self.0.as_ref().is_ok_and(|s| s.user.is_some())
    }
    /// Signed in, but to enrol in two-factor sign-in before anything else.
    pub fn must_enrol(&self) -> bool {
        self.0.as_ref().is_ok_and(|s| s.must_enrol)
    }
}

/// On the server: what the page layer put in the request. In the browser this runs only
/// outside hydration, which the app never does (the session comes with the page).
pub(super) fn server_session() -> Result<SessionInfo, AppError> {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::*;
        let read = with_context::<http::request::Parts, _>(|p| {
            p.extensions
                .get::<crate::contract::PageSession>()
                .map(|s| s.0.clone())
        })
        .flatten();
        read.unwrap_or_else(|| {
            Ok(SessionInfo {
                user: None,
                locale: Locale::default(),
                must_enrol: false,
            })
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Ok(SessionInfo {
            user: None,
            locale: Locale::default(),
            must_enrol: false,
        })
    }
}
