//! The signed-in user as loaded once per request: rendering a page calls several server
//! functions, each of which would otherwise read the user, memberships and tenants again.

use crate::{backend::identity::CurrentUser, domain::ids::UserId};

/// One request's user.
/// The server puts a fresh one in every request's extensions.
#[derive(Clone, Default)]
pub struct UserCache(std::sync::Arc<std::sync::Mutex<Option<CachedUser>>>);

/// A user id and what loading it gave (`None`: disabled or gone).
type CachedUser = (UserId, Option<CurrentUser>);

impl UserCache {
    pub(crate) fn get(&self, id: UserId) -> Option<Option<CurrentUser>> {
        self.0.lock().ok().and_then(|c| {
            c.as_ref()
                .filter(|(u, _)| *u == id)
                .map(|(_, user)| user.clone())
        })
    }

    pub(crate) fn put(&self, id: UserId, user: &Option<CurrentUser>) {
        if let Ok(mut c) = self.0.lock() {
            *c = Some((id, user.clone()));
        }
    }
}
