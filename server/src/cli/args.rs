//! The command line: every subcommand and its arguments (clap).

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "BSP Console: the web app and its operator commands"
)]
pub struct Cli {
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub(super) json: bool,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Run the web app (migrates the database first).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Create a BSP staff admin (password from BSP_ADMIN_PASSWORD, or generated and printed).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// admin, reviewer or finance.
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// Seed demo tenants and users (once; does nothing if present).
    SeedDemo,
    /// Tenants.
    #[command(subcommand)]
    Tenant(TenantCmd),
    /// Business phone numbers.
    #[command(subcommand, name = "phone-number")]
    PhoneNumber(PhoneCmd),
    /// Users.
    #[command(subcommand)]
    User(UserCmd),
    /// Message templates.
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Platform cost rate cards.
    #[command(subcommand)]
    Rates(RatesCmd),
    /// Usage records.
    #[command(subcommand)]
    Usage(UsageCmd),
    /// Monthly invoices.
    #[command(subcommand)]
    Invoices(InvoicesCmd),
    /// API keys: a tenant's (`--tenant`) or the BSP's.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCmd),
}

#[derive(Subcommand)]
pub(super) enum ApiKeyCmd {
    /// Make a key and print its secret (shown this once; only its digest is stored).
    Create {
        /// The tenant whose key it is; without it, a BSP key (`--role`).
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long)]
        name: String,
        /// A tenant key's scopes: read, write, billing (comma-separated).
        #[arg(long, default_value = "read")]
        scopes: String,
        /// A BSP key's staff role: admin, reviewer or finance.
        #[arg(long)]
        role: Option<String>,
        /// The key's last day (YYYY-MM-DD, UTC).
        #[arg(long, default_value = "")]
        expires_on: String,
    },
    /// List keys (never their secrets).
    List {
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Revoke a key at once.
    Revoke {
        #[arg(long)]
        tenant: Option<String>,
        id: String,
    },
}

#[derive(Subcommand)]
pub(super) enum InvoicesCmd {
    /// Invoice every tenant for a month that is over (idempotent: a tenant's month is
    /// invoiced once whatever the number of runs).
    Run {
        /// YYYY-MM.
        #[arg(long)]
        period: String,
    },
}

#[derive(Subcommand)]
pub(super) enum RatesCmd {
    /// Import and publish a rate card CSV (the platform's shape); prints every row error and
    /// publishes nothing when there is one.
    Import {
        /// First day the card applies (YYYY-MM-DD).
        #[arg(long)]
        effective_from: String,
        #[arg(long, default_value = "")]
        note: String,
        /// The CSV file (`-` for standard input).
        file: String,
    },
    /// Write the card in force as CSV to standard output.
    Export {
        /// ISO 4217.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// The day whose card to write (default: today).
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum UsageCmd {
    /// Per-country usage as CSV on standard output (the finance export).
    Export {
        #[arg(long)]
        from: String,
        /// Inclusive.
        #[arg(long)]
        to: String,
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        category: Option<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum TemplateCmd {
    /// Pre-check a template: the platform's create-template JSON in, findings as JSON out;
    /// exits 1 when any finding is an error.
    Lint {
        /// The JSON file (`-` for standard input).
        file: String,
        /// A verified link domain of the business (repeatable).
        #[arg(long = "verified-domain")]
        verified_domains: Vec<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum TenantCmd {
    /// Create a tenant with its WhatsApp Business Account.
    Create(TenantArgs),
    /// List tenants.
    List {
        #[arg(long, default_value = "")]
        q: String,
        /// active or suspended.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u64,
    },
}

#[derive(Args)]
pub(super) struct TenantArgs {
    #[arg(long)]
    pub(super) legal_name: String,
    #[arg(long)]
    pub(super) display_name: String,
    /// ISO 3166-1 alpha-2.
    #[arg(long)]
    pub(super) country: String,
    /// en or fr.
    #[arg(long, default_value = "en")]
    pub(super) locale: String,
    #[arg(long)]
    pub(super) billing_email: String,
    /// Comma-separated.
    #[arg(long)]
    pub(super) alert_emails: String,
    /// ISO 4217.
    #[arg(long)]
    pub(super) currency: String,
    #[arg(long, default_value = "")]
    pub(super) account_manager: String,
    #[arg(long)]
    pub(super) waba_id: String,
}

#[derive(Subcommand)]
pub(super) enum PhoneCmd {
    /// Register a phone number for a tenant.
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        number: String,
        #[arg(long)]
        phone_number_id: String,
        #[arg(long)]
        display_name: String,
        /// The WABA row id, if the tenant has several accounts.
        #[arg(long, default_value = "")]
        waba: String,
    },
}

#[derive(Subcommand)]
pub(super) enum UserCmd {
    /// Invite a user to a tenant by email (owner, editor or viewer).
    Invite {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "owner")]
        role: String,
    },
}
