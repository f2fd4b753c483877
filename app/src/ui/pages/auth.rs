//! Signing in (with a second factor), accepting an invitation, a forgotten password, one's
//! own account.

mod accept_invite;
mod account;
mod reset;
mod sign_in;
mod two_factor;

pub use accept_invite::AcceptInvitePage;
pub use account::AccountPage;
pub use reset::{ForgotPasswordPage, ResetPasswordPage};
pub use sign_in::SignInPage;
pub use two_factor::{RecoveryCodesPage, SignInCodePage, TwoFactorSetupPage};
