//! The payment provider behind invoices, as the calls invoicing makes. Each call carries the
//! idempotency key invoicing stored before making it, so a retry after a crash or a timeout
//! returns the first answer instead of billing twice. `stripe.rs` implements it over
//! async-stripe; without a Stripe key invoices stay internal.

use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PaymentError(pub String);

#[async_trait]
pub trait Payments: Send + Sync {
    /// A customer for the tenant; returns its id.
    async fn create_customer(
        &self,
        key: &str,
        tenant: &str,
        name: &str,
        email: &str,
    ) -> Result<String, PaymentError>;
    /// A pending invoice item (minor units); returns its id.
    async fn add_item(
        &self,
        key: &str,
        customer: &str,
        currency: &str,
        amount_minor: i64,
        description: &str,
        invoice: &str,
    ) -> Result<String, PaymentError>;
    /// An invoice gathering the customer's pending items; returns its id.
    async fn create_invoice(
        &self,
        key: &str,
        customer: &str,
        invoice: &str,
        number: &str,
    ) -> Result<String, PaymentError>;
    /// Finalizes the invoice; returns its hosted URL if the provider gives one.
    async fn finalize(
        &self,
        key: &str,
        provider_invoice: &str,
    ) -> Result<Option<String>, PaymentError>;
}
