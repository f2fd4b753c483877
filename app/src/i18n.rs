//! The one catalogue of user-facing text, in English and French. Every key must have
//! both texts (the macro makes a missing one a compile error). UI and emails read from here.

use crate::domain::{locale::Locale, validation::FieldCode};

macro_rules! catalogue {
    ($($key:ident => $en:expr, $fr:expr;)*) => {
        /// A user-facing text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            /// The text in `locale`.
            pub fn get(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((T::$key, Locale::En) => $en, (T::$key, Locale::Fr) => $fr,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "BSP Console", "BSP Console";
    SignIn => "Sign in", "Se connecter";
    SignOut => "Sign out", "Se déconnecter";
    SignInTitle => "Sign in to BSP Console", "Connexion à BSP Console";
    Email => "Email", "E-mail";
    Password => "Password", "Mot de passe";
    ConfirmPassword => "Confirm password", "Confirmer le mot de passe";
    YourName => "Your name", "Votre nom";
    Tenants => "Tenants", "Clients";
    Tenant => "Tenant", "Client";
    NewTenant => "New tenant", "Nouveau client";
    CreateTenant => "Create tenant", "Créer le client";
    Overview => "Overview", "Vue d’ensemble";
    Outbox => "Outbox", "Boîte d’envoi";
    AuditLog => "Audit log", "Journal d’audit";
    Platform => "Platform", "Plateforme";
    Workspace => "Workspace", "Espace";
    Language => "Language", "Langue";
    Save => "Save", "Enregistrer";
    Cancel => "Cancel", "Annuler";
    Edit => "Edit", "Modifier";
    Switch => "Switch", "Changer";
    Search => "Search", "Rechercher";
    SearchTenants => "Search by name", "Rechercher par nom";
    Status => "Status", "Statut";
    AnyStatus => "Any status", "Tous les statuts";
    Active => "Active", "Actif";
    Suspended => "Suspended", "Suspendu";
    Suspend => "Suspend", "Suspendre";
    Reactivate => "Reactivate", "Réactiver";
    LegalName => "Legal name", "Raison sociale";
    DisplayName => "Display name", "Nom affiché";
    Country => "Country", "Pays";
    DefaultLocale => "Default language", "Langue par défaut";
    BillingEmail => "Billing email", "E-mail de facturation";
    AlertEmails => "Alert emails", "E-mails d’alerte";
    AlertEmailsHint => "One or more, separated by commas.", "Une ou plusieurs, séparées par des virgules.";
    Currency => "Billing currency", "Devise de facturation";
    CurrencyHint => "ISO 4217 code, e.g. EUR.", "Code ISO 4217, par ex. EUR.";
    CountryHint => "ISO 3166 code, e.g. FR.", "Code ISO 3166, par ex. FR.";
    AccountManager => "Account manager", "Chargé de compte";
    NoAccountManager => "None", "Aucun";
    WabaId => "WhatsApp Business Account id", "Identifiant du compte WhatsApp Business";
    Wabas => "WhatsApp Business Accounts", "Comptes WhatsApp Business";
    PhoneNumbers => "Phone numbers", "Numéros de téléphone";
    AddPhoneNumber => "Add phone number", "Ajouter un numéro";
    PhoneNumber => "Phone number (E.164)", "Numéro (E.164)";
    PhoneNumberHint => "International format, e.g. +33 6 12 34 56 78.", "Format international, par ex. +33 6 12 34 56 78.";
    PhoneNumberId => "Phone number id", "Identifiant du numéro";
    NoPhoneNumbers => "No phone numbers yet", "Aucun numéro pour l’instant";
    NoPhoneNumbersHint => "Register the tenant’s first business number below.", "Enregistrez ci-dessous le premier numéro du client.";
    Users => "Users", "Utilisateurs";
    NoUsers => "No users yet", "Aucun utilisateur pour l’instant";
    NoUsersHint => "Invite the tenant’s owner below: they choose their password from the email.", "Invitez ci-dessous le propriétaire du client : il choisira son mot de passe depuis l’e-mail.";
    Role => "Role", "Rôle";
    Invite => "Send invitation", "Envoyer l’invitation";
    InviteUser => "Invite a user", "Inviter un utilisateur";
    Invitations => "Pending invitations", "Invitations en attente";
    Resend => "Resend", "Renvoyer";
    Revoke => "Revoke", "Révoquer";
    Expires => "Expires", "Expire";
    NoTenants => "No tenants found", "Aucun client trouvé";
    NoTenantsHint => "Create the first tenant or change the filters.", "Créez le premier client ou modifiez les filtres.";
    Previous => "Previous", "Précédent";
    Next => "Next", "Suivant";
    PageOf => "Page {0} of {1}", "Page {0} sur {1}";
    Created => "Created", "Créé le";
    Name => "Name", "Nom";
    When => "When", "Quand";
    Who => "Who", "Qui";
    Action => "Action", "Action";
    Details => "Details", "Détails";
    Recipient => "Recipient", "Destinataire";
    Kind => "Kind", "Type";
    Attempts => "Attempts", "Tentatives";
    LastError => "Last error", "Dernière erreur";
    NothingHere => "Nothing here yet", "Rien pour l’instant";
    SetPasswordTitle => "Set your password", "Choisissez votre mot de passe";
    AcceptInvite => "Join", "Rejoindre";
    InviteFor => "You are invited to join {0} as {1}.", "Vous êtes invité à rejoindre {0} en tant que {1}.";
    RoleOwner => "Owner", "Propriétaire";
    RoleEditor => "Editor", "Éditeur";
    RoleViewer => "Viewer", "Lecteur";
    RoleAdmin => "Admin", "Administrateur";
    RoleReviewer => "Reviewer", "Réviseur";
    RoleFinance => "Finance", "Finance";
    NotFoundTitle => "Page not found", "Page introuvable";
    NotFoundText => "This page does not exist, or you cannot see it.", "Cette page n’existe pas, ou vous n’y avez pas accès.";
    ForbiddenTitle => "Access denied", "Accès refusé";
    ForbiddenText => "Your role does not allow this.", "Votre rôle ne le permet pas.";
    BackHome => "Back to the console", "Retour à la console";
    Loading => "Loading…", "Chargement…";
    FlashTenantCreated => "Tenant created.", "Client créé.";
    FlashSaved => "Saved.", "Enregistré.";
    FlashInvited => "Invitation sent.", "Invitation envoyée.";
    FlashWelcome => "Welcome! Your password is set.", "Bienvenue ! Votre mot de passe est enregistré.";
    ErrInvalidCredentials => "Email or password is incorrect.", "E-mail ou mot de passe incorrect.";
    ErrThrottled => "Too many attempts. Try again in {0} seconds.", "Trop de tentatives. Réessayez dans {0} secondes.";
    ErrUnauthorized => "Please sign in.", "Veuillez vous connecter.";
    ErrForbidden => "You are not allowed to do this.", "Vous n’êtes pas autorisé à faire cela.";
    ErrNotFound => "Not found.", "Introuvable.";
    ErrValidation => "Please correct the highlighted fields.", "Veuillez corriger les champs signalés.";
    ErrConflict => "This was changed by someone else; reload and try again.", "Modifié entre-temps ; rechargez et réessayez.";
    ErrInvitation => "This invitation link is invalid, used or expired.", "Ce lien d’invitation est invalide, utilisé ou expiré.";
    ErrSuspended => "This account is suspended.", "Ce compte est suspendu.";
    ErrInternal => "Something went wrong on our side. Reference: {0}", "Une erreur est survenue de notre côté. Référence : {0}";
    ErrRequest => "The request could not be processed.", "La requête n’a pas pu être traitée.";
    FRequired => "This field is required.", "Ce champ est obligatoire.";
    FTooLong => "This is too long.", "C’est trop long.";
    FTooShort => "This is too short.", "C’est trop court.";
    FInvalidEmail => "Enter a valid email address.", "Saisissez une adresse e-mail valide.";
    FInvalidPhone => "Enter a valid international number starting with +.", "Saisissez un numéro international valide commençant par +.";
    FInvalidCountry => "Unknown country code.", "Code pays inconnu.";
    FInvalidCurrency => "Unknown currency code.", "Code devise inconnu.";
    FInvalidLocale => "Choose English or French.", "Choisissez anglais ou français.";
    FInvalidRole => "Choose a role you may grant.", "Choisissez un rôle que vous pouvez attribuer.";
    FInvalidDigits => "Digits only.", "Chiffres uniquement.";
    FPasswordTooShort => "At least 12 characters.", "Au moins 12 caractères.";
    FPasswordTooLong => "At most 128 characters.", "Au plus 128 caractères.";
    FPasswordsDiffer => "The passwords do not match.", "Les mots de passe ne correspondent pas.";
    FAlreadyTaken => "Already registered.", "Déjà enregistré.";
    FUnknownStaffUser => "Choose a staff member.", "Choisissez un membre de l’équipe.";
    FUnknownWaba => "Choose one of the tenant’s accounts.", "Choisissez un des comptes du client.";
    Staff => "Staff", "Équipe";
    StaffHint => "BSP staff: admins manage everything, reviewers the template queue, finance pricing and invoices.", "Équipe du BSP : les administrateurs gèrent tout, les réviseurs la file des modèles, la finance les prix et factures.";
    InviteStaff => "Invite a staff member", "Inviter un membre de l’équipe";
    Disable => "Disable", "Désactiver";
    Remove => "Remove", "Retirer";
    Enable => "Enable", "Réactiver";
    Disabled => "Disabled", "Désactivé";
    ChangeRole => "Change role", "Changer de rôle";
    You => "you", "vous";
    EmailStaffSubject => "You are invited to the BSP Console staff", "Invitation à rejoindre l’équipe BSP Console";
    EmailStaffBody => "{0} invited you to the BSP Console staff as {1}. Set your password with the link below; it expires on {2}.", "{0} vous invite à rejoindre l’équipe BSP Console en tant que {1}. Choisissez votre mot de passe avec le lien ci-dessous ; il expire le {2}.";
    EmailInviteSubject => "You are invited to {0} on BSP Console", "Invitation à rejoindre {0} sur BSP Console";
    EmailInviteBody => "{0} invited you to join {1} as {2}. Set your password with the link below; it expires on {3}.", "{0} vous invite à rejoindre {1} en tant que {2}. Choisissez votre mot de passe avec le lien ci-dessous ; il expire le {3}.";
    EmailInviteButton => "Accept the invitation", "Accepter l’invitation";
    EmailIgnore => "If you did not expect this email, you can ignore it.", "Si vous n’attendiez pas cet e-mail, ignorez-le.";
}

impl T {
    /// The text with `{0}`, `{1}`… replaced by `args`.
    pub fn fill(self, locale: Locale, args: &[&str]) -> String {
        let mut s = self.get(locale).to_owned();
        for (i, a) in args.iter().enumerate() {
            s = s.replace(&format!("{{{i}}}"), a);
        }
        s
    }
}

impl FieldCode {
    pub fn text(self) -> T {
        match self {
            FieldCode::Required => T::FRequired,
            FieldCode::TooLong => T::FTooLong,
            FieldCode::TooShort => T::FTooShort,
            FieldCode::InvalidEmail => T::FInvalidEmail,
            FieldCode::InvalidPhone => T::FInvalidPhone,
            FieldCode::InvalidCountry => T::FInvalidCountry,
            FieldCode::InvalidCurrency => T::FInvalidCurrency,
            FieldCode::InvalidLocale => T::FInvalidLocale,
            FieldCode::InvalidRole => T::FInvalidRole,
            FieldCode::InvalidDigits => T::FInvalidDigits,
            FieldCode::PasswordTooShort => T::FPasswordTooShort,
            FieldCode::PasswordTooLong => T::FPasswordTooLong,
            FieldCode::PasswordsDiffer => T::FPasswordsDiffer,
            FieldCode::AlreadyTaken => T::FAlreadyTaken,
            FieldCode::UnknownStaffUser => T::FUnknownStaffUser,
            FieldCode::UnknownWaba => T::FUnknownWaba,
        }
    }
}

pub fn tenant_role_text(r: crate::domain::roles::TenantRole) -> T {
    use crate::domain::roles::TenantRole::*;
    match r {
        Owner => T::RoleOwner,
        Editor => T::RoleEditor,
        Viewer => T::RoleViewer,
    }
}

pub fn staff_role_text(r: crate::domain::roles::StaffRole) -> T {
    use crate::domain::roles::StaffRole::*;
    match r {
        Admin => T::RoleAdmin,
        Reviewer => T::RoleReviewer,
        Finance => T::RoleFinance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_numbered_placeholders() {
        assert_eq!(T::PageOf.fill(Locale::Fr, &["2", "5"]), "Page 2 sur 5");
        assert_eq!(T::ErrThrottled.fill(Locale::En, &["30"]), "Too many attempts. Try again in 30 seconds.");
    }
}
