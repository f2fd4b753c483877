//! What a form's action did: its error, its success, what a page refetches on, and what
//! happens after it succeeded.

use crate::contract::{AppError, ConflictReason};
use leptos::{prelude::*, server_fn::ServerFn};

/// The error of an action's last run, if it failed. (`value()` builds a new mapped signal on
/// every call: taken once here, not on every read.)
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// Whether an action's last run succeeded.
pub fn action_ok<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || matches!(value.get(), Some(Ok(_))))
}

/// Changes each time `action` succeeds, not when it is refused: a page's data keyed on it is
/// fetched again (and its forms drawn afresh) after a success, while a refused form stays as
/// the user left it, every field as typed and chosen. (`version()` counts failures too.) A
/// failure that says the data changed underneath (changed meanwhile, a state that no longer
/// allows it, a newer revision, a claim taken, a row gone) fetches it again too.
pub fn succeeded<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let (version, value) = (action.version(), action.value());
    // The action bumps its version, then sets its value; the memo is read after both.
    Memo::new(move |prev: Option<&usize>| {
        let v = version.get();
        let ok = value.with(|r| {
            matches!(
                r,
                Some(
                    Ok(_)
                        | Err(AppError::Conflict {
                            reason: ConflictReason::ChangedMeanwhile
                                | ConflictReason::NotAllowedNow
                        } | AppError::RevisionChanged { .. }
                            | AppError::ClaimedByOther { .. }
                            | AppError::NotFound)
                )
            )
        });
        match prev {
            Some(p) if !ok => *p,
            _ => v,
        }
    })
}

/// After an action that changes the session succeeds, loads the returned path afresh (an
/// empty path reloads the page), so everything on the page sees the new session.
pub fn follow<S>(action: ServerAction<S>)
where
    S: ServerFn<Error = AppError, Output = String> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            let loc = window().location();
            let _ = if path.is_empty() {
                loc.reload()
            } else {
                loc.assign(&path)
            };
        }
    });
}

/// Clears a form after its action succeeded (with JavaScript the page stays, so the typed
/// values would otherwise linger).
pub fn reset_on_ok<S>(action: ServerAction<S>, form: NodeRef<leptos::html::Form>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
}
