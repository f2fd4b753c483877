//! Stripe over async-stripe: the `Payments` calls of invoicing, each sent with the
//! idempotency key invoicing stored before the call (`RequestStrategy::Idempotent`: one
//! attempt, the key makes a retry return the first answer).

use crate::config::StripeConfig;
use app::backend::payments::{PaymentError, Payments};
use async_trait::async_trait;
use secrecy::ExposeSecret;
use stripe::{
    Client, CollectionMethod, CreateCustomer, CreateInvoice, CreateInvoiceItem, Currency, Customer,
    CustomerId, FinalizeInvoiceParams, Invoice, InvoiceId, InvoiceItem,
    InvoicePendingInvoiceItemsBehavior, Metadata, RequestStrategy,
};

pub struct StripePayments {
    client: Client,
}

impl StripePayments {
    pub fn new(cfg: &StripeConfig) -> anyhow::Result<Self> {
        if url::Url::parse(&cfg.api_base).is_err() {
            anyhow::bail!("STRIPE_API_BASE is not a URL");
        }
        Ok(Self {
            client: Client::from_url(
                cfg.api_base.as_str(),
                cfg.secret_key.expose_secret().to_owned(),
            ),
        })
    }

    fn with_key(&self, key: &str) -> Client {
        self.client
            .clone()
            .with_strategy(RequestStrategy::Idempotent(key.to_owned()))
    }
}

fn err(e: stripe::StripeError) -> PaymentError {
    PaymentError(format!("stripe: {e}"))
}

fn metadata(pairs: &[(&str, &str)]) -> Metadata {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[async_trait]
impl Payments for StripePayments {
    async fn create_customer(
        &self,
        key: &str,
        tenant: &str,
        name: &str,
        email: &str,
    ) -> Result<String, PaymentError> {
        let params = CreateCustomer {
            email: Some(email),
            name: Some(name),
            metadata: Some(metadata(&[("tenant_id", tenant)])),
            ..Default::default()
        };
        Ok(Customer::create(&self.with_key(key), params)
            .await
            .map_err(err)?
            .id
            .to_string())
    }

    async fn add_item(
        &self,
        key: &str,
        customer: &str,
        currency: &str,
        amount_minor: i64,
        description: &str,
        invoice: &str,
    ) -> Result<String, PaymentError> {
        let customer: CustomerId = customer
            .parse()
            .map_err(|_| PaymentError("bad customer id".into()))?;
        let currency: Currency = currency
            .parse()
            .map_err(|_| PaymentError(format!("currency {currency} unknown to Stripe")))?;
        let mut params = CreateInvoiceItem::new(customer);
        params.amount = Some(amount_minor);
        params.currency = Some(currency);
        params.description = Some(description);
        params.metadata = Some(metadata(&[("invoice_id", invoice)]));
        Ok(InvoiceItem::create(&self.with_key(key), params)
            .await
            .map_err(err)?
            .id
            .to_string())
    }

    async fn create_invoice(
        &self,
        key: &str,
        customer: &str,
        invoice: &str,
        number: &str,
    ) -> Result<String, PaymentError> {
        let customer: CustomerId = customer
            .parse()
            .map_err(|_| PaymentError("bad customer id".into()))?;
        let params = CreateInvoice {
            customer: Some(customer),
            pending_invoice_items_behavior: Some(InvoicePendingInvoiceItemsBehavior::Include),
            auto_advance: Some(false),
            collection_method: Some(CollectionMethod::SendInvoice),
            days_until_due: Some(30),
            metadata: Some(metadata(&[("invoice_id", invoice), ("number", number)])),
            ..Default::default()
        };
        Ok(Invoice::create(&self.with_key(key), params)
            .await
            .map_err(err)?
            .id
            .to_string())
    }

    async fn finalize(
        &self,
        key: &str,
        provider_invoice: &str,
    ) -> Result<Option<String>, PaymentError> {
        let id: InvoiceId = provider_invoice
            .parse()
            .map_err(|_| PaymentError("bad invoice id".into()))?;
        let inv = Invoice::finalize(
            &self.with_key(key),
            &id,
            FinalizeInvoiceParams {
                auto_advance: Some(false),
            },
        )
        .await
        .map_err(err)?;
        Ok(inv.hosted_invoice_url)
    }
}
