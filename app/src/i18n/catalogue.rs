//! The catalogue: every user-facing text in English and French. Every key must have both
//! texts (the macro makes a missing one a compile error).

use crate::domain::locale::Locale;

macro_rules! catalogue {
    ($($key:ident => $en:expr, $fr:expr;)*) => {
        /// A user-facing text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            /// Every text, for checks over the whole catalogue.
            #[cfg(test)]
            pub const ALL: &'static [T] = &[$(T::$key),*];

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
    ErrBusy => "The server is busy. Try again in {0} seconds.", "Le serveur est occupé. Réessayez dans {0} secondes.";
    ErrUnauthorized => "Please sign in.", "Veuillez vous connecter.";
    ErrForbidden => "You are not allowed to do this.", "Vous n’êtes pas autorisé à faire cela.";
    ErrNotFound => "Not found.", "Introuvable.";
    ErrValidation => "Please correct the highlighted fields.", "Veuillez corriger les champs signalés.";
    ErrConflict => "This was changed by someone else; reload and try again.", "Modifié entre-temps ; rechargez et réessayez.";
    ErrDuplicate => "This already exists.", "Cela existe déjà.";
    ErrNotAllowedNow => "This cannot be done in its current state.", "Impossible dans son état actuel.";
    ErrOwnAccount => "You cannot change your own role or access.", "Vous ne pouvez pas modifier votre propre rôle ni votre accès.";
    ErrLastOwner => "A tenant must keep at least one owner.", "Un client doit garder au moins un propriétaire.";
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
    FInvalidLanguage => "Choose one of the platform’s languages.", "Choisissez une des langues de la plateforme.";
    FInvalidCategory => "Choose utility, marketing or authentication.", "Choisissez utility, marketing ou authentication.";
    Templates => "Templates", "Modèles";
    NewTemplate => "New template", "Nouveau modèle";
    TemplateName => "Name", "Nom";
    TemplateNameHint => "Lowercase letters, digits and underscores, e.g. order_shipped.", "Minuscules, chiffres et tirets bas, par ex. order_shipped.";
    Category => "Category", "Catégorie";
    Header => "Header (optional)", "En-tête (facultatif)";
    Body => "Body", "Corps";
    BodyHint => "Parameters are written {{1}}, {{2}}… At most 1024 characters.", "Les paramètres s’écrivent {{1}}, {{2}}… 1024 caractères au plus.";
    Footer => "Footer (optional)", "Pied (facultatif)";
    Examples => "Example values", "Valeurs d’exemple";
    ExamplesHint => "One per line, for {{1}}, {{2}}… in order.", "Une par ligne, pour {{1}}, {{2}}… dans l’ordre.";
    SubmitForReview => "Submit for review", "Soumettre à la revue";
    Revision => "Revision", "Révision";
    Findings => "Pre-check", "Pré-contrôle";
    NoFindings => "No problems found.", "Aucun problème trouvé.";
    NoTemplates => "No templates yet", "Aucun modèle pour l’instant";
    NoTemplatesHint => "Create a template; the BSP reviews it before it goes to WhatsApp.", "Créez un modèle ; le BSP le vérifie avant son envoi à WhatsApp.";
    Preview => "Preview", "Aperçu";
    ErrLintBlocked => "This template has {0} blocking problems; fix them before submitting.", "Ce modèle a {0} problèmes bloquants ; corrigez-les avant de le soumettre.";
    FInvalidReason => "Choose one of the platform’s rejection reasons.", "Choisissez un des motifs de rejet de la plateforme.";
    ReviewQueue => "Review queue", "File de revue";
    QueueEmpty => "Nothing to review", "Rien à revoir";
    QueueEmptyHint => "Submitted templates appear here, oldest first.", "Les modèles soumis apparaissent ici, les plus anciens d’abord.";
    Submitted => "Submitted", "Soumis";
    Decision => "Decision", "Décision";
    Approve => "Approve", "Approuver";
    Reject => "Reject", "Rejeter";
    SaveDecision => "Record decision", "Enregistrer la décision";
    RequestChanges => "Request changes", "Demander des modifications";
    Reason => "Reason", "Motif";
    NoteToTenant => "Note to the tenant", "Note au client";
    ReviewerNote => "Reviewer’s note", "Note du réviseur";
    FInvalidTemplateName => "Use lowercase letters, digits and underscores only.", "Uniquement minuscules, chiffres et tirets bas.";
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
    EmailGuessingSubject => "Someone is trying to sign in to your BSP Console account", "Quelqu’un essaie de se connecter à votre compte BSP Console";
    EmailGuessingBody => "There were {0} failed attempts to sign in to your account from browsers you have not used before. Further attempts from such browsers must wait {1} minutes; the browsers you signed in with before are not affected. If this was not you, nothing is needed: your password was not accepted. If it was you, sign in from a browser you used before or wait.", "{0} tentatives de connexion à votre compte ont échoué depuis des navigateurs que vous n’avez jamais utilisés. Les prochaines tentatives depuis ces navigateurs devront attendre {1} minutes ; les navigateurs avec lesquels vous vous êtes déjà connecté ne sont pas concernés. Si ce n’était pas vous, rien à faire : votre mot de passe n’a pas été accepté. Si c’était vous, connectez-vous depuis un navigateur déjà utilisé ou patientez.";
    EmailGuessingOpen => "Open BSP Console", "Ouvrir BSP Console";
    EmailStaffSubject => "You are invited to the BSP Console staff", "Invitation à rejoindre l’équipe BSP Console";
    EmailStaffBody => "{0} invited you to the BSP Console staff as {1}. Set your password with the link below; it expires on {2}.", "{0} vous invite à rejoindre l’équipe BSP Console en tant que {1}. Choisissez votre mot de passe avec le lien ci-dessous ; il expire le {2}.";
    EmailDecisionSubject => "Template {0} ({1}): {2}", "Modèle {0} ({1}) : {2}";
    EmailDecisionBody => "Your template {0} ({1}) for {2} was reviewed: {3}.", "Votre modèle {0} ({1}) pour {2} a été revu : {3}.";
    EmailDecisionApproved => "approved, it will be sent to WhatsApp", "approuvé, il sera envoyé à WhatsApp";
    EmailDecisionRejected => "rejected", "rejeté";
    EmailDecisionChanges => "changes requested", "modifications demandées";
    EmailOpenTemplate => "Open the template", "Ouvrir le modèle";
    EmailInviteSubject => "You are invited to {0} on BSP Console", "Invitation à rejoindre {0} sur BSP Console";
    EmailInviteBody => "{0} invited you to join {1} as {2}. Set your password with the link below; it expires on {3}.", "{0} vous invite à rejoindre {1} en tant que {2}. Choisissez votre mot de passe avec le lien ci-dessous ; il expire le {3}.";
    EmailInviteButton => "Accept the invitation", "Accepter l’invitation";
    ErrClaimedByOther => "{0} is reviewing this template until {1}; nothing was recorded.", "{0} revoit ce modèle jusqu’à {1} ; rien n’a été enregistré.";
    ErrRevisionChanged => "The tenant has made revision {0} since you opened this one; reload to review it.", "Le client a créé la révision {0} depuis votre ouverture ; rechargez pour la revoir.";
    FInvalidDomain => "Enter a domain name such as shop.example.com.", "Saisissez un nom de domaine comme shop.example.com.";
    FInvalidChoice => "Choose one of the options.", "Choisissez une des options.";
    FInvalidToken => "An access token is 20 to 1024 letters, digits, dots, dashes or underscores, without spaces.", "Un jeton d’accès fait de 20 à 1024 lettres, chiffres, points, tirets ou soulignés, sans espace.";
    FUnknownTimeZone => "Not a time zone: use a name such as Europe/London or America/Sao_Paulo.", "Fuseau horaire inconnu : utilisez un nom comme Europe/Paris ou America/Sao_Paulo.";
    TimeZone => "Time zone", "Fuseau horaire";
    WabaTimeZones => "Billing time zone", "Fuseau horaire de facturation";
    TimeZoneHint => "The WhatsApp business account’s time zone (as on the platform): it decides the day, the month and the invoice of each message. Messages already rated keep their day.", "Le fuseau horaire du compte WhatsApp Business (comme sur la plateforme) : il fixe le jour, le mois et la facture de chaque message. Les messages déjà tarifés gardent leur jour.";
    GraphToken => "WhatsApp API access token", "Jeton d’accès à l’API WhatsApp";
    GraphTokenHint => "The tenant’s own system-user token for its business. Without one, the BSP’s token is used. It is never shown again once saved.", "Le jeton d’utilisateur système propre au client. Sans lui, le jeton du BSP est utilisé. Il n’est plus jamais affiché une fois enregistré.";
    GraphTokenSet => "A token of its own is set.", "Un jeton propre est enregistré.";
    GraphTokenUnset => "No token of its own: the BSP’s token is used.", "Pas de jeton propre : le jeton du BSP est utilisé.";
    ClearToken => "Remove the token", "Retirer le jeton";
    FCriticalCannotBeMuted => "Critical alerts cannot be turned off: the tenant could stop sending without anyone knowing.", "Les alertes critiques ne peuvent pas être désactivées : le client pourrait ne plus pouvoir envoyer sans que personne ne le sache.";
    FInvalidDate => "Enter a date as YYYY-MM-DD.", "Saisissez une date au format AAAA-MM-JJ.";
    FDateInPast => "Prices change from today or later: choose today or a future date.", "Les prix changent à partir d’aujourd’hui : choisissez aujourd’hui ou une date future.";
    FCsvEmpty => "The file has no rows.", "Le fichier ne contient aucune ligne.";
    FCsvUnreadable => "This is not a CSV file we can read.", "Ce n’est pas un fichier CSV lisible.";
    FCsvMissingColumn => "A column is missing: the header must be market,currency,marketing,utility,authentication,authentication_international,service.", "Une colonne manque : l’en-tête doit être market,currency,marketing,utility,authentication,authentication_international,service.";
    FCsvUnknownColumn => "The header has a column we do not know (allowed besides the card’s: marketing_lite, tier).", "L’en-tête contient une colonne inconnue (autorisées en plus : marketing_lite, tier).";
    FCsvTooManyRows => "Too many rows for one rate card.", "Trop de lignes pour une grille tarifaire.";
    FInvalidAmount => "Enter a non-negative decimal amount (at most 6 decimals).", "Saisissez un montant décimal positif (6 décimales au plus).";
    Finance => "Finance", "Finance";
    Pricing => "Pricing", "Tarifs";
    RateCards => "Platform rate cards", "Grilles tarifaires de la plateforme";
    RateCard => "Rate card", "Grille tarifaire";
    PriceLists => "Sell price lists", "Listes de prix de vente";
    PriceList => "Price list", "Liste de prix";
    ImportRateCard => "Import a rate card", "Importer une grille tarifaire";
    CardCsv => "Rate card (CSV)", "Grille tarifaire (CSV)";
    CardCsvHint => "Paste the platform’s CSV: market,currency,marketing,utility,authentication,authentication_international,service — one row per market, empty when not offered.", "Collez le CSV de la plateforme : market,currency,marketing,utility,authentication,authentication_international,service — une ligne par marché, vide si non proposé.";
    EffectiveFrom => "Effective from", "En vigueur à partir du";
    Note => "Note", "Note";
    CheckFile => "Check the file", "Vérifier le fichier";
    CheckAgain => "Check again", "Vérifier à nouveau";
    Publish => "Publish", "Publier";
    Discard => "Discard draft", "Supprimer le brouillon";
    Draft => "Draft", "Brouillon";
    Published => "Published", "Publié";
    RowErrors => "Rows to fix", "Lignes à corriger";
    RowErrorsIntro => "Nothing is in force until the card is published, and it can only be published without errors. Fix these rows below and check again.", "Rien n’est en vigueur avant publication, et la grille ne peut être publiée qu’une fois sans erreur. Corrigez ces lignes ci-dessous puis vérifiez à nouveau.";
    CardReady => "The file is correct. Check the rates below, then publish.", "Le fichier est correct. Vérifiez les tarifs ci-dessous, puis publiez.";
    CardPublished => "Published: this card prices messages delivered from its effective date.", "Publiée : cette grille tarifie les messages délivrés à partir de sa date d’effet.";
    LineNo => "Line", "Ligne";
    ColumnName => "Column", "Colonne";
    Problem => "Problem", "Problème";
    MissingMarkets => "Markets the card does not price", "Marchés non tarifés par la grille";
    Market => "Market", "Marché";
    TierBand => "Monthly band", "Tranche mensuelle";
    Rows => "Rows", "Lignes";
    Errors => "Errors", "Erreurs";
    NoCards => "No rate card yet: import the platform’s card to rate messages.", "Aucune grille : importez la grille de la plateforme pour tarifer les messages.";
    NoLists => "No price list yet: tenants pay the platform’s cost.", "Aucune liste de prix : les clients paient le coût de la plateforme.";
    NewPriceList => "New price list", "Nouvelle liste de prix";
    AppliesTo => "Applies to", "S’applique à";
    DefaultList => "Default for the currency", "Par défaut pour la devise";
    Rules => "Rules", "Règles";
    RulesHint => "The most specific rule wins: market and category, then market, then category, then all. Leave a row empty to skip it.", "La règle la plus précise l’emporte : marché et catégorie, puis marché, puis catégorie, puis tout. Laissez une ligne vide pour l’ignorer.";
    Method => "Method", "Méthode";
    Value => "Value", "Valeur";
    Floor => "Floor", "Plancher";
    Cap => "Cap", "Plafond";
    AllMarkets => "All markets", "Tous les marchés";
    AllCategories => "All categories", "Toutes les catégories";
    MethodPercent => "Markup %", "Marge %";
    MethodFixed => "Cost + fixed amount", "Coût + montant fixe";
    MethodPrice => "Fixed price", "Prix fixe";
    PreviewPrices => "Preview prices", "Prévisualiser les prix";
    Cost => "Cost", "Coût";
    Price => "Price", "Prix";
    Margin => "Margin", "Marge";
    BelowCost => "below cost", "sous le coût";
    NoCardForPreview => "No published cost card of this currency is in force on this date: the preview needs one.", "Aucune grille de coûts publiée dans cette devise n’est en vigueur à cette date : l’aperçu en a besoin.";
    PreviewAgainst => "Preview against the cost card in force on {0}.", "Aperçu avec la grille de coûts en vigueur le {0}.";
    ListPublished => "Published: these prices apply from the effective date.", "Publiée : ces prix s’appliquent à partir de la date d’effet.";
    Billing => "Billing", "Facturation";
    UsageByCountry => "Usage by country and category", "Consommation par pays et catégorie";
    MessagesCount => "Messages", "Messages";
    BillableMessages => "Charged messages", "Messages facturés";
    AmountSoFar => "Amount so far", "Montant à ce jour";
    PricingTypeLabel => "Pricing", "Tarification";
    PricingRegular => "charged", "facturé";
    PricingFreeService => "free: service window", "gratuit : fenêtre de service";
    PricingFreeEntry => "free: entry point", "gratuit : point d’entrée";
    PricingInConversation => "in a charged conversation", "dans une conversation facturée";
    YourPrices => "Your prices per message today", "Vos prix par message aujourd’hui";
    NoUsage => "No delivered message this month yet.", "Aucun message délivré ce mois-ci.";
    Unpriced => "not priced yet", "pas encore tarifé";
    PreviousMonth => "← Previous month", "← Mois précédent";
    NextMonth => "Next month →", "Mois suivant →";
    DailyChart => "Messages and amount per day", "Messages et montant par jour";
    NoPricesYet => "No prices are published for your currency yet.", "Aucun prix n’est encore publié pour votre devise.";
    Invoices => "Invoices", "Factures";
    Invoice => "Invoice", "Facture";
    NoInvoices => "No invoice yet: each month is invoiced once it is over.", "Aucune facture : chaque mois est facturé une fois terminé.";
    InvoiceNumber => "Number", "Numéro";
    Month => "Month", "Mois";
    Total => "Total", "Total";
    DueOn => "Due", "Échéance";
    Issued => "Issued", "Émise le";
    BillTo => "Bill to", "Facturé à";
    Amount => "Amount", "Montant";
    PayOnline => "Pay online", "Payer en ligne";
    InvInternal => "issued", "émise";
    InvAwaiting => "being sent", "en cours d’envoi";
    InvOpen => "open", "à payer";
    InvPaid => "paid", "payée";
    InvFailed => "payment failed", "paiement échoué";
    InvVoid => "void", "annulée";
    UsageAndMargin => "Usage and margin", "Consommation et marge";
    ExportUsage => "Per-country usage export (CSV)", "Export de la consommation par pays (CSV)";
    ExportHint => "Confirmed messages grouped by tenant, country, market, category and pricing type; amounts in minor units of each tenant’s currency. Large periods stream as they are read.", "Messages confirmés groupés par client, pays, marché, catégorie et type de tarification ; montants en unités mineures de la devise de chaque client. Les longues périodes sont envoyées au fil de la lecture.";
    DownloadCsv => "Download CSV", "Télécharger le CSV";
    From => "From", "Du";
    To => "To (inclusive)", "Au (inclus)";
    AllTenants => "All tenants", "Tous les clients";
    Reconciliation => "Reconciliation", "Rapprochement";
    ImportPlatformCosts => "Compare with the platform’s figures", "Comparer avec les chiffres de la plateforme";
    PlatformCostsCsv => "Platform cost figures (CSV)", "Chiffres de coûts de la plateforme (CSV)";
    PlatformCostsHint => "The pricing_analytics data points: waba_id,start,end,country,pricing_type,pricing_category,volume,cost — start/end as unix seconds or dates, cost in the account’s currency.", "Les points de pricing_analytics : waba_id,start,end,country,pricing_type,pricing_category,volume,cost — start/end en secondes unix ou en dates, coût dans la devise du compte.";
    Compare => "Compare", "Comparer";
    NoImports => "No platform figures imported yet.", "Aucun chiffre de la plateforme importé.";
    Period => "Period", "Période";
    AllMatch => "Every figure matches what we rated.", "Tous les chiffres correspondent à notre tarification.";
    Mismatches => "{0} line(s) differ from what we rated.", "{0} ligne(s) diffèrent de notre tarification.";
    RowsSkipped => "Rows skipped", "Lignes ignorées";
    PlatformVolume => "Platform messages", "Messages plateforme";
    OurVolume => "Our messages", "Nos messages";
    PlatformCost => "Platform cost", "Coût plateforme";
    OurCost => "Our cost", "Notre coût";
    RcInvalidWaba => "not an account id (digits)", "identifiant de compte invalide (chiffres)";
    RcInvalidDate => "not a date (YYYY-MM-DD) or unix seconds", "ni une date (AAAA-MM-JJ) ni des secondes unix";
    RcEndBeforeStart => "ends before it starts", "se termine avant de commencer";
    RcInvalidCountry => "not a two-letter country code", "code pays à deux lettres invalide";
    RcInvalidVolume => "not a whole number of messages", "nombre de messages invalide";
    RcInvalidCost => "not a cost: a non-negative decimal with at most 6 decimals", "coût invalide : décimal positif, 6 décimales au plus";
    RcMissing => "missing", "manquant";
    RcUnknownWaba => "not an account of any tenant", "compte inconnu de nos clients";
    Rerate => "Re-rate a month", "Retarifer un mois";
    RerateHint => "Prices every delivered, charged message of the month again with the cards and price lists in force for its day (after a corrected card, say). Issued invoices are never changed: they get an adjustment, a credit note when it is in the tenant’s favour.", "Retarife chaque message facturé et délivré du mois avec les grilles et listes de prix en vigueur à sa date (après une grille corrigée, par exemple). Les factures émises ne sont jamais modifiées : elles reçoivent un ajustement, un avoir s’il est en faveur du client.";
    Differences => "{0} message(s) change; {1} tenant(s) already invoiced for the month", "{0} message(s) changent ; {1} client(s) déjà facturé(s) pour le mois";
    Changed => "Changed", "Modifiés";
    NewCost => "New cost", "Nouveau coût";
    NewPrice => "New price", "Nouveau prix";
    ApplyRerate => "Apply: re-rate and adjust invoices", "Appliquer : retarifer et ajuster les factures";
    Rerated => "Re-rated {0} message(s); {1} invoice(s) adjusted.", "{0} message(s) retarifé(s) ; {1} facture(s) ajustée(s).";
    Balance => "Balance", "Solde";
    RpUnknownMarket => "unknown market (use the card’s market names)", "marché inconnu (utilisez les noms de marché de la grille)";
    RpInvalidCurrency => "not an ISO 4217 currency", "devise ISO 4217 invalide";
    RpOtherCurrency => "another currency than the first row’s: one card has one currency", "devise différente de la première ligne : une grille n’a qu’une devise";
    RpInvalidRate => "not a rate: a non-negative decimal with at most 6 decimals", "tarif invalide : décimal positif, 6 décimales au plus";
    RpInvalidTier => "band must be lower:upper (upper may be MAX)", "la tranche doit être bas:haut (haut peut être MAX)";
    RpDuplicate => "this market is already priced above", "ce marché est déjà tarifé plus haut";
    RpWrongCellCount => "the row has more or fewer cells than the header", "la ligne a plus ou moins de cellules que l’en-tête";
    RpNoRates => "no rate in the row", "aucun tarif sur la ligne";
    RpOverlapping => "bands of this market overlap", "les tranches de ce marché se chevauchent";
    FNoCategoryConsent => "The tenant has not agreed to a category change; request changes instead.", "Le client n’a pas accepté de changement de catégorie ; demandez plutôt des modifications.";
    SlaOnTime => "On time", "Dans les temps";
    SlaAmber => "Waiting long", "Attente longue";
    SlaRed => "Overdue", "En retard";
    SlaLegend => "Amber after {0} h, red after {1} h of waiting.", "Orange après {0} h, rouge après {1} h d’attente.";
    KeyboardShortcuts => "Keyboard shortcuts", "Raccourcis clavier";
    KeyNext => "Next row", "Ligne suivante";
    KeyPrevious => "Previous row", "Ligne précédente";
    KeySelect => "Select the row", "Sélectionner la ligne";
    KeyOpen => "Open (and claim) the row", "Ouvrir (et réserver) la ligne";
    KeyClaim => "Claim", "Réserver";
    KeyApprove => "Approve", "Approuver";
    KeyReject => "Reject (choose a reason)", "Rejeter (choisir un motif)";
    KeyRequestChanges => "Request changes", "Demander des modifications";
    KeyBackToQueue => "Back to the queue", "Retour à la file";
    SearchQueue => "Template or tenant name", "Nom du modèle ou du client";
    Any => "Any", "Tous";
    WithErrors => "With errors", "Avec erreurs";
    WarningsOnly => "Warnings only", "Avertissements seulement";
    NoFindingsShort => "No findings", "Aucun constat";
    Filter => "Filter", "Filtrer";
    OnlyThisTenant => "Click a tenant to show only its templates", "Cliquez sur un client pour n’afficher que ses modèles";
    Clear => "Clear", "Effacer";
    BulkDecided => "{0} decided.", "{0} décidé(s).";
    Select => "Select", "Sélectionner";
    Waiting => "Waiting", "Attente";
    WaitingFor => "waiting {0}", "en attente depuis {0}";
    ClaimedBy => "Claimed by", "Réservé par";
    ClaimedByYou => "You are reviewing this template until {0}; the claim is extended while you work.", "Vous revoyez ce modèle jusqu’à {0} ; la réservation est prolongée tant que vous travaillez.";
    ClaimedByOther => "{0} is reviewing this template until {1}. You can read it; decisions are theirs until then.", "{0} revoit ce modèle jusqu’à {1}. Vous pouvez le lire ; la décision lui revient jusque-là.";
    BulkDecision => "Decision for the selected rows", "Décision pour les lignes sélectionnées";
    ApplyToSelected => "Apply to selected", "Appliquer à la sélection";
    PreviousPage => "Previous", "Précédent";
    NextPage => "Next", "Suivant";
    Review => "Review", "Revue";
    OpenReview => "Open review", "Ouvrir la revue";
    History => "History", "Historique";
    Claim => "Claim", "Réserver";
    Release => "Release", "Libérer";
    OtherTemplates => "The tenant’s other templates", "Autres modèles du client";
    PastRejections => "Past rejections", "Rejets passés";
    ChangesSince => "Changes since revision {0}", "Modifications depuis la révision {0}";
    NoChanges => "No changes.", "Aucune modification.";
    KeepCategory => "Keep {0}", "Garder {0}";
    ChangeCategory => "Approve in another category", "Approuver dans une autre catégorie";
    CategoryConsentGiven => "The tenant agreed that the BSP may change the category.", "Le client accepte que le BSP change la catégorie.";
    CategoryConsentMissing => "The tenant has not agreed to a category change.", "Le client n’a pas accepté de changement de catégorie.";
    CategoryChangedFrom => "category changed from {0}", "catégorie changée depuis {0}";
    FindingComments => "Comments on the findings (for a change request)", "Commentaires sur les constats (pour une demande de modifications)";
    LinkDomains => "Link domains", "Domaines des liens";
    LinkDomainsHint => "Declare the domains your template links point to; the BSP verifies them. Links to other domains are flagged.", "Déclarez les domaines vers lesquels pointent vos liens ; le BSP les vérifie. Les liens vers d’autres domaines sont signalés.";
    Verified => "verified", "vérifié";
    NotVerified => "awaiting verification", "en attente de vérification";
    Verify => "Verify", "Vérifier";
    Unverify => "Withdraw verification", "Retirer la vérification";
    Domain => "Domain", "Domaine";
    DomainHint => "For example shop.example.com", "Par exemple shop.example.com";
    Declare => "Declare", "Déclarer";
    CategoryConsent => "The BSP may change the category if it judges another one right", "Le BSP peut changer la catégorie s’il en juge une autre plus juste";
    HeaderSection => "Header", "En-tête";
    HeaderFormat => "Header type", "Type d’en-tête";
    HeaderExample => "Example for the header’s parameter", "Exemple pour le paramètre de l’en-tête";
    HeaderSample => "Sample media", "Média d’exemple";
    HeaderSampleHint => "For image, video and document headers: an upload handle or a URL of a sample — or leave it empty and attach the file on the template's page once saved.", "Pour les en-têtes image, vidéo et document : un identifiant de téléversement ou l’URL d’un exemple — ou laissez vide et joignez le fichier sur la page du modèle une fois enregistré.";
    Buttons => "Buttons", "Boutons";
    ButtonsHint => "Up to 10: quick replies (25 characters, kept together), up to 2 links (a parameter only at the end, with a sample URL), 1 phone number, 1 copy code (15 characters).", "Jusqu’à 10 : réponses rapides (25 caractères, groupées), 2 liens au plus (un paramètre seulement à la fin, avec une URL d’exemple), 1 numéro, 1 code à copier (15 caractères).";
    ButtonType => "Button type", "Type de bouton";
    ButtonText => "Label", "Libellé";
    ButtonValue => "URL, phone number or code", "URL, numéro ou code";
    ButtonExample => "Sample URL (dynamic links)", "URL d’exemple (liens dynamiques)";
    ButtonN => "Button {0}", "Bouton {0}";
    OtpSection => "Authentication (one-time password)", "Authentification (code à usage unique)";
    OtpHint => "Authentication templates use the platform’s fixed text; choose the options and the code button.", "Les modèles d’authentification utilisent le texte fixe de la plateforme ; choisissez les options et le bouton du code.";
    SecurityRecommendation => "Add “For your security, do not share this code.”", "Ajouter « Pour votre sécurité, ne partagez pas ce code. »";
    CodeExpiration => "Code expires after (minutes, 1–90)", "Le code expire après (minutes, 1–90)";
    OtpType => "Code button", "Bouton du code";
    AutofillText => "Autofill label (one tap)", "Libellé de remplissage (one tap)";
    PackageName => "Android package name", "Nom du paquet Android";
    SignatureHash => "App signature hash (11 characters)", "Empreinte de l’application (11 caractères)";
    ZeroTapTerms => "I accept the zero-tap terms", "J’accepte les conditions du zero-tap";
    LiveCheck => "Pre-check (as you type)", "Pré-contrôle (en direct)";
    ReadyToSubmit => "Approved by the BSP: ready to submit to WhatsApp.", "Approuvé par le BSP : prêt à être soumis à WhatsApp.";
    SendingToPlatform => "Approved by the BSP: being sent to WhatsApp.", "Approuvé par le BSP : envoi à WhatsApp en cours.";
    SubmitError => "Last attempt", "Dernière tentative";
    RetryNow => "Retry now", "Réessayer maintenant";
    MarkSubmitted => "Mark as submitted", "Marquer comme soumis";
    PlatformId => "WhatsApp template id", "Identifiant WhatsApp du modèle";
    PAbout => "About", "À propos";
    PRuleNoHumanEscalation => "{0}: a social-media page, a help-centre page or a link to an app does not reach a person; add a human agent, a phone number, an email address, a web support form or a store visit", "{0} : une page de réseau social, un centre d’aide ou un lien vers une application ne mènent pas à une personne ; ajoutez un agent humain, un numéro de téléphone, une adresse e-mail, un formulaire d’assistance ou une visite en magasin";
    Compliance => "Messaging policy", "Politique de messagerie";
    ComplianceComplete => "compliance complete", "conformité complète";
    ComplianceIncomplete => "compliance incomplete", "conformité incomplète";
    COptIn => "Opt-in sources", "Sources du consentement";
    COther => "Other source", "Autre source";
    CConsentRecord => "Where consent is recorded", "Où le consentement est enregistré";
    CEscalation => "Human escalation path", "Recours à un humain";
    CEscalationHint => "Automated conversations must offer a way to reach a person.", "Les conversations automatisées doivent permettre de joindre une personne.";
    OptInIvr => "Interactive voice response", "Serveur vocal interactif";
    OptInWebForm => "Web form", "Formulaire web";
    OptInAds => "Ads", "Publicités";
    OptInLinks => "Links", "Liens";
    OptInQr => "QR codes", "Codes QR";
    OptInChat => "Customer-initiated chat", "Conversation initiée par le client";
    OptInOther => "Other", "Autre";
    EscHuman => "Transfer to a human agent", "Transfert à un agent";
    EscPhone => "A phone number", "Un numéro de téléphone";
    EscEmail => "An email address", "Une adresse e-mail";
    EscWebForm => "A web support form", "Un formulaire d’assistance";
    EscStore => "A store visit", "Une visite en magasin";
    EscSocial => "A social-media page", "Une page de réseau social";
    EscHelp => "A help-centre web page", "Une page de centre d’aide";
    EscApp => "A link to an app", "Un lien vers une application";
    BusinessProfile => "Business profile", "Profil d’entreprise";
    NeverSaved => "never saved", "jamais enregistré";
    VersionN => "Version {0}", "Version {0}";
    NotSynced => "not synced to WhatsApp", "non synchronisé avec WhatsApp";
    Synced => "synced to WhatsApp", "synchronisé avec WhatsApp";
    SyncPending => "being sent to WhatsApp", "envoi à WhatsApp en cours";
    SyncFailed => "sync failed", "échec de la synchronisation";
    PWebsite1 => "Website 1", "Site web 1";
    PWebsite2 => "Website 2", "Site web 2";
    OpeningHours => "Opening hours", "Horaires d’ouverture";
    OpeningHoursHint => "Per day: closed, open (all day), or ranges such as 09:00-12:30, 14:00-18:00.", "Par jour : closed, open (toute la journée), ou des plages comme 09:00-12:30, 14:00-18:00.";
    RestoreVersion => "Restore this version", "Restaurer cette version";
    Profile => "Profile", "Profil";
    PAddress => "Address", "Adresse";
    PDescription => "Description", "Description";
    PEmail => "Email", "E-mail";
    PWebsites => "Websites", "Sites web";
    PWebsite => "Website {0}", "Site web {0}";
    PVertical => "Business category", "Catégorie d’activité";
    PHoursOf => "Hours on {0}", "Horaires du {0}";
    PRuleRequired => "{0}: required", "{0} : obligatoire";
    PRuleTooLong => "{0}: at most {1} characters (you have {2})", "{0} : {1} caractères au plus (vous en avez {2})";
    PRuleInvalidEmail => "{0}: not a valid email address", "{0} : adresse e-mail invalide";
    PRuleTooManyWebsites => "{0}: at most {1} (you have {2})", "{0} : {1} au plus (vous en avez {2})";
    PRuleSchemeMissing => "{0}: must start with http:// or https://", "{0} : doit commencer par http:// ou https://";
    PRuleInvalidUrl => "{0}: not a valid web address", "{0} : adresse web invalide";
    PRuleUnknownVertical => "{0}: choose one of the platform’s categories", "{0} : choisissez une des catégories de la plateforme";
    PRuleInvalidRange => "{0}: “{1}” is not a range such as 09:00-17:30", "{0} : « {1} » n’est pas une plage comme 09:00-17:30";
    PRuleOverlapping => "{0}: the ranges overlap", "{0} : les plages se chevauchent";
    PRuleTooManyRanges => "{0}: at most {1} ranges (you have {2})", "{0} : {1} plages au plus (vous en avez {2})";
    PPhoto => "Profile photo", "Photo de profil";
    PRulePhotoTooLarge => "{0}: at most {1} MB (this file is {2} MB)", "{0} : {1} Mo au plus (ce fichier fait {2} Mo)";
    PRulePhotoWrongType => "{0}: must be a JPEG or PNG image (this file is {1})", "{0} : doit être une image JPEG ou PNG (ce fichier est {1})";
    PRulePhotoNotImage => "{0}: must be a JPEG or PNG image; this file is neither", "{0} : doit être une image JPEG ou PNG ; ce fichier n’en est pas une";
    PRulePhotoTooSmall => "{0}: at least {1}×{1} pixels (this image is {2}×{3})", "{0} : au moins {1}×{1} pixels (cette image fait {2}×{3})";
    PRulePhotoTooManyPixels => "{0}: at most {1} megapixels (this image declares {2}×{3})", "{0} : {1} mégapixels au plus (cette image annonce {2}×{3})";
    PRulePhotoCorrupt => "{0}: the file is damaged or incomplete and cannot be read as an image", "{0} : le fichier est endommagé ou incomplet et ne peut pas être lu comme une image";
    PRulePhotoUnknown => "{0}: this photo is not among this tenant’s uploads; upload it again", "{0} : cette photo ne fait pas partie des envois de ce client ; envoyez-la à nouveau";
    PhotoHint => "JPEG or PNG, at least 192×192 pixels, up to 5 MB. It is cropped to a centred square and scaled to at most 640×640; transparent areas become white (WhatsApp shows them black).", "JPEG ou PNG, au moins 192×192 pixels, 5 Mo au plus. Elle est recadrée en carré centré et réduite à 640×640 au plus ; les zones transparentes deviennent blanches (WhatsApp les affiche en noir).";
    UploadPhoto => "Upload photo", "Envoyer la photo";
    RemovePhoto => "Remove the photo", "Retirer la photo";
    PhotoPending => "New photo uploaded: save the profile to apply it.", "Nouvelle photo envoyée : enregistrez le profil pour l’appliquer.";
    PhotoRemoving => "The photo will be removed when you save.", "La photo sera retirée à l’enregistrement.";
    NoPhoto => "No photo yet", "Pas encore de photo";
    MediaNoHeader => "This template has no image, video or document header: there is no sample to attach.", "Ce modèle n’a pas d’en-tête image, vidéo ou document : il n’y a pas d’exemple à joindre.";
    MediaEmpty => "Sample file: the file is empty.", "Fichier d’exemple : le fichier est vide.";
    MediaTooLarge => "Sample file: at most {0} MB (this file is {1} MB).", "Fichier d’exemple : {0} Mo au plus (ce fichier fait {1} Mo).";
    MediaWrongType => "Sample file: this header takes a {0} file; this file is not one.", "Fichier d’exemple : cet en-tête prend un fichier {0} ; ce fichier n’en est pas un.";
    SampleFile => "Header sample", "Exemple d’en-tête";
    SampleFileHint => "The platform's reviewers see this file as the header's example. It is kept here and uploaded to WhatsApp when the template is sent.", "Les examinateurs de la plateforme voient ce fichier comme exemple de l’en-tête. Il est gardé ici et envoyé à WhatsApp avec le modèle.";
    HeaderSampleStored => "A sample file is attached ({0}).", "Un fichier d’exemple est joint ({0}).";
    HeaderSampleHandle => "The sample is given as a handle or URL: {0}", "L’exemple est donné par un identifiant ou une URL : {0}";
    HeaderSampleNone => "No sample yet: the template cannot be submitted without one.", "Pas encore d’exemple : le modèle ne peut pas être soumis sans.";
    UploadSample => "Attach the sample", "Joindre l’exemple";
    Open => "Open", "Ouvrir";
    Closed => "Closed", "Fermé";
    Open24h => "Open 24 hours", "Ouvert 24 h/24";
    Profiles => "Business profiles", "Profils d’entreprise";
    ProfilesAllTenants => "Business profiles, all tenants", "Profils d’entreprise, tous les clients";
    ProfilesAllTenantsHint => "Every phone number’s profile as customers see it in WhatsApp; the tabs show what needs attention.", "Le profil de chaque numéro tel que les clients le voient dans WhatsApp ; les onglets montrent ce qui demande de l’attention.";
    ProfilesTotal => "{0} phone numbers", "{0} numéros";
    NeedsAttention => "Needs attention", "À traiter";
    AttMissingAbout => "About missing", "« À propos » manquant";
    AttMissingPhoto => "Photo missing", "Photo manquante";
    AttSyncFailed => "Sync failed", "Échec de synchronisation";
    AttComplianceIncomplete => "Compliance incomplete", "Conformité incomplète";
    ObaBadge => "Verified badge", "Badge vérifié";
    ObaHint => "The official business account badge (a blue check beside the name). The platform grants it to notable businesses: give public links such as news articles (not paid or promotional content).", "Le badge de compte professionnel officiel (une coche bleue à côté du nom). La plateforme l’accorde aux entreprises notoires : donnez des liens publics comme des articles de presse (pas de contenu payant ou promotionnel).";
    ObaDraft => "Draft", "Brouillon";
    ObaSubmitted => "Submitted", "Soumise";
    ObaApproved => "Approved", "Approuvée";
    ObaRejected => "Rejected", "Refusée";
    ObaNone => "No request yet.", "Aucune demande pour l’instant.";
    ObaLink => "Link {0}", "Lien {0}";
    ObaLinks => "Public links", "Liens publics";
    ObaParent => "Parent business or brand (optional)", "Entreprise mère ou marque (facultatif)";
    ObaNotes => "Anything else the platform should know (optional)", "Autre chose que la plateforme devrait savoir (facultatif)";
    SaveDraft => "Save draft", "Enregistrer le brouillon";
    ObaSubmit => "Submit to the BSP", "Soumettre au BSP";
    ObaApprove => "Mark approved", "Marquer approuvée";
    ObaReject => "Mark rejected", "Marquer refusée";
    ObaReason => "Reason", "Motif";
    ObaWithBsp => "With your BSP: it files the request with WhatsApp and records the decision here.", "Chez votre BSP : il dépose la demande auprès de WhatsApp et enregistre la décision ici.";
    ObaAfterReject => "You can change the request and submit it again.", "Vous pouvez modifier la demande et la soumettre à nouveau.";
    ObaDecided => "Decided by {0}, {1}", "Décidée par {0}, {1}";
    ObaEarlier => "Earlier requests", "Demandes précédentes";
    EmailIgnore => "If you did not expect this email, you can ignore it.", "Si vous n’attendiez pas cet e-mail, ignorez-le.";
    AkTemplateRejected => "Template rejected by WhatsApp", "Modèle refusé par WhatsApp";
    AkTemplateFlagged => "Template flagged (at risk of being disabled)", "Modèle signalé (risque de désactivation)";
    AkTemplatePaused => "Template paused for low quality", "Modèle mis en pause (qualité faible)";
    AkTemplateDisabled => "Template disabled", "Modèle désactivé";
    AkTemplateLimitExceeded => "Template limit of the account reached", "Limite de modèles du compte atteinte";
    AkTemplateCategoryChanging => "Template category will change", "La catégorie du modèle va changer";
    AkTemplateCategoryChanged => "Template category changed", "Catégorie du modèle changée";
    AkNumberFlagged => "Phone number flagged", "Numéro signalé";
    AkNumberDowngraded => "Messaging limit lowered", "Limite d’envoi abaissée";
    AkNumberRestricted => "Phone number restricted", "Numéro restreint";
    AkNumberQualityRed => "Phone number quality low", "Qualité du numéro faible";
    AkNumberNameRejected => "Display name rejected", "Nom d’affichage refusé";
    AkAccountViolation => "Policy violation on the account", "Violation de politique sur le compte";
    AkAccountRestriction => "Account restricted", "Compte restreint";
    AkAccountDisableScheduled => "Account scheduled to be disabled", "Désactivation du compte programmée";
    AkAccountDisabled => "Account disabled", "Compte désactivé";
    AkPartnerRemoved => "BSP access to the account removed", "Accès du BSP au compte retiré";
    AkPlatformNotice => "Notice from WhatsApp", "Avis de WhatsApp";
    AkDisableReminder => "Will be disabled soon", "Bientôt désactivé";
    NextAfterFirstPause => "it can be sent again after the pause; if its quality drops to low again it is paused for 6 hours.", "il pourra être envoyé après la pause ; si sa qualité redevient faible, il sera mis en pause 6 heures.";
    NextAfterSecondPause => "it can be sent again after the pause; a third drop to low quality disables it.", "il pourra être envoyé après la pause ; une troisième baisse à une qualité faible le désactive.";
    NextRateLimited => "paused by pacing: it stays paused until it is unpaused by hand.", "mis en pause par le rythme d’envoi : il reste en pause jusqu’à une reprise manuelle.";
    NextDisabled => "it can no longer be sent; edit it and submit it again, or appeal.", "il ne peut plus être envoyé ; modifiez-le et soumettez-le de nouveau, ou faites appel.";
    AtWhatsApp => "At WhatsApp", "Chez WhatsApp";
    Quality => "Quality", "Qualité";
    QualityPending => "pending", "en attente";
    Pauses => "Pauses", "Pauses";
    PausedUntil => "Paused until {0}", "En pause jusqu’au {0}";
    TimeLeft => "{0} left", "encore {0}";
    DisabledOn => "Disabled on {0}", "Désactivé le {0}";
    WhatHappensNext => "What happens next", "Et ensuite";
    Recommendation => "Recommendation", "Recommandation";
    CategoryWillChange => "WhatsApp will change the category from {0} to {1} on {2}.", "WhatsApp changera la catégorie de {0} en {1} le {2}.";
    PlatformHistory => "History at WhatsApp", "Historique chez WhatsApp";
    NumbersAndLimits => "Numbers and limits", "Numéros et limites";
    MessagingLimit => "Messaging limit", "Limite d’envoi";
    UpgradeProgress => "Towards the next limit", "Vers la limite suivante";
    DisplayNameStatus => "Display name", "Nom d’affichage";
    FlagDeadline => "Back to connected or one limit lower on {0}", "Reconnecté ou une limite plus bas le {0}";
    HighThroughput => "High throughput", "Débit élevé";
    UsersTowards => "{0} of {1} users in 7 days for {2}", "{0} sur {1} utilisateurs en 7 jours pour {2}";
    NoAutomaticUpgrade => "No automatic step from here", "Pas de passage automatique depuis ici";
    Accounts => "WhatsApp business accounts", "Comptes WhatsApp Business";
    PortfolioLimit => "Portfolio limit", "Limite du portefeuille";
    Restrictions => "Restrictions", "Restrictions";
    LastEvent => "Last event", "Dernier événement";
    Violation => "Violation", "Violation";
    OpenConversations => "Open conversations", "Conversations ouvertes";
    UniqueUsers7d => "{0} unique users messaged outside a service window in the last 7 days.", "{0} utilisateurs uniques contactés hors fenêtre de service ces 7 derniers jours.";
    User => "User", "Utilisateur";
    ServiceWindowCloses => "Service window closes", "Fin de la fenêtre de service";
    FreeWindowCloses => "Free window closes", "Fin de la fenêtre gratuite";
    Alerts => "Alerts", "Alertes";
    AlertsAllTenants => "Alerts, all tenants", "Alertes, tous les clients";
    MyAlertEmails => "My alert emails", "Mes e-mails d’alerte";
    MyAlertEmailsHint => "The tenant’s alert addresses and its account manager always receive every alert. Choose what you receive yourself.", "Les adresses d’alerte du client et son responsable de compte reçoivent toujours chaque alerte. Choisissez ce que vous recevez vous-même.";
    Immediately => "Immediately", "Immédiatement";
    DailyDigest => "Daily digest", "Récapitulatif quotidien";
    Off => "Off", "Désactivé";
    EmailMeAlerts => "Email me this tenant’s alerts", "M’envoyer les alertes de ce client";
    CriticalCannotBeMuted => "Critical alerts cannot be turned off.", "Les alertes critiques ne peuvent pas être désactivées.";
    OpenAlerts => "Open", "Ouvertes";
    Acknowledged => "Acknowledged", "Prises en compte";
    Resolved => "Resolved", "Résolues";
    All => "All", "Toutes";
    NoAlerts => "No alerts here.", "Aucune alerte ici.";
    Opened => "Opened", "Ouverte";
    Severity => "Severity", "Gravité";
    Alert => "Alert", "Alerte";
    By => "by", "par";
    Acknowledge => "Acknowledge", "Prendre en compte";
    Resolve => "Resolve", "Résoudre";
    EventLog => "Platform events", "Événements de la plateforme";
    UnmatchedEvents => "Unmatched platform events", "Événements de la plateforme non rattachés";
    SearchEvents => "Template, wamid, event…", "Modèle, wamid, événement…";
    EventsTotal => "{0} events", "{0} événements";
    Received => "Received", "Reçu";
    Result => "Result", "Résultat";
    Replay => "Replay", "Rejouer";
    SevCritical => "Critical", "Critique";
    SevWarning => "Warning", "Avertissement";
    SevInfo => "Info", "Info";
    EmailAlertSubject => "[{0}] {1}: {2}", "[{0}] {1} : {2}";
    EmailAlertBody => "{0} for {1}: {2}.", "{0} pour {1} : {2}.";
    EmailAlertOpen => "See what happened", "Voir ce qui s’est passé";
    ChooseDecision => "— choose —", "— choisir —";
    EmailAlertAlreadyResolved => "Already resolved by the platform: {0}.", "Déjà résolu par la plateforme : {0}.";
    ResolvedBy => "Resolved by {0}", "Résolu par {0}";
    EmailDigestSubject => "{0}: {1} alerts today", "{0} : {1} alertes aujourd’hui";
    EmailDigestIntro => "Alerts for {0} since the last digest:", "Alertes pour {0} depuis le dernier récapitulatif :";
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{0}`, `{1}` … placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) if after[..end].chars().all(|c| c.is_ascii_digit()) && end > 0 => {
                    found.push(after[..end].to_owned());
                    rest = &after[end + 1..];
                }
                _ => rest = after,
            }
        }
        found.sort();
        found
    }

    #[test]
    fn every_english_and_french_text_has_the_same_placeholders() {
        assert!(T::ALL.len() > 300, "the whole catalogue is checked");
        for t in T::ALL {
            let (en, fr) = (
                placeholders(t.get(Locale::En)),
                placeholders(t.get(Locale::Fr)),
            );
            assert_eq!(
                en,
                fr,
                "{t:?}: {:?} / {:?}",
                t.get(Locale::En),
                t.get(Locale::Fr)
            );
        }
        assert_eq!(placeholders("a {1} b {0} {x} {}"), ["0", "1"]);
    }

    #[test]
    fn fill_replaces_numbered_placeholders() {
        assert_eq!(T::PageOf.fill(Locale::Fr, &["2", "5"]), "Page 2 sur 5");
        assert_eq!(
            T::ErrThrottled.fill(Locale::En, &["30"]),
            "Too many attempts. Try again in 30 seconds."
        );
    }
}
