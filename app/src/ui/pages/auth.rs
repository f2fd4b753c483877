//! Signing in, and accepting an invitation.

mod accept_invite;
mod sign_in;

pub use accept_invite::AcceptInvitePage;
pub use sign_in::SignInPage;
