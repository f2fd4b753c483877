//! Email rendering (HTML and text, in the recipient's language) and transport (SMTP with
//! lettre, or none: the outbox keeps the email for admins to see).

use app::{
    backend::outbox::EmailMessage,
    domain::alert::{AlertKind, Severity},
    domain::locale::Locale,
    i18n::{alert_kind_text, severity_text, staff_role_text, tenant_role_text, T},
};
use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(msg: &EmailMessage, l: Locale) -> Rendered {
    match msg {
        EmailMessage::Invitation {
            tenant_name,
            inviter,
            role,
            accept_url,
            expires_at,
        } => {
            let expires = expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
            let role = tenant_role_text(*role).get(l);
            let body = T::EmailInviteBody.fill(l, &[inviter, tenant_name, role, &expires]);
            let subject = T::EmailInviteSubject.fill(l, &[tenant_name]);
            let text = format!("{body}\n\n{accept_url}\n\n{}\n", T::EmailIgnore.get(l));
            let html = layout(l, &body, accept_url);
            Rendered {
                subject,
                text,
                html,
            }
        }
        EmailMessage::TemplateDecision {
            tenant_name,
            template,
            language,
            decision,
            reason,
            note,
            url,
        } => {
            let outcome = match decision.as_str() {
                "approved" => T::EmailDecisionApproved,
                "rejected" => T::EmailDecisionRejected,
                _ => T::EmailDecisionChanges,
            }
            .get(l);
            let mut body =
                T::EmailDecisionBody.fill(l, &[template, language, tenant_name, outcome]);
            if let Some(r) = reason {
                body.push_str(&format!(" {}: {r}.", T::Reason.get(l)));
            }
            if let Some(n) = note {
                body.push_str(&format!(" {}: {n}", T::ReviewerNote.get(l)));
            }
            let subject = T::EmailDecisionSubject.fill(l, &[template, language, outcome]);
            let text = format!("{body}\n\n{url}\n");
            let html = layout_with(l, &body, url, T::EmailOpenTemplate);
            Rendered {
                subject,
                text,
                html,
            }
        }
        EmailMessage::Alert {
            tenant_name,
            alert,
            severity,
            subject,
            detail,
            url,
            resolved,
        } => {
            let what = AlertKind::parse(alert)
                .map(|k| alert_kind_text(k).get(l).to_owned())
                .unwrap_or_else(|| alert.clone());
            let sev = Severity::parse(severity)
                .map(|s| severity_text(s).get(l))
                .unwrap_or(severity.as_str());
            let mut body = T::EmailAlertBody.fill(l, &[&what, tenant_name, subject]);
            if !detail.is_empty() {
                body.push(' ');
                body.push_str(detail);
            }
            if let Some(r) = resolved {
                body.push(' ');
                body.push_str(&T::EmailAlertAlreadyResolved.fill(l, &[r]));
            }
            let subject_line = T::EmailAlertSubject.fill(l, &[sev, &what, subject]);
            let text = format!("{body}\n\n{url}\n");
            let html = layout_with(l, &body, url, T::EmailAlertOpen);
            Rendered {
                subject: subject_line,
                text,
                html,
            }
        }
        EmailMessage::AlertDigest {
            tenant_name,
            items,
            url,
        } => {
            let intro = T::EmailDigestIntro.fill(l, &[tenant_name]);
            let lines: Vec<String> = items
                .iter()
                .map(|i| {
                    let what = AlertKind::parse(&i.kind)
                        .map(|k| alert_kind_text(k).get(l).to_owned())
                        .unwrap_or_else(|| i.kind.clone());
                    let sev = Severity::parse(&i.severity)
                        .map(|s| severity_text(s).get(l))
                        .unwrap_or(i.severity.as_str());
                    let resolved = i
                        .resolved
                        .as_deref()
                        .map(|r| format!(" ({})", T::ResolvedBy.fill(l, &[r])))
                        .unwrap_or_default();
                    format!("[{sev}] {what}: {}{resolved} — {}", i.subject, i.url)
                })
                .collect();
            let subject = T::EmailDigestSubject.fill(l, &[tenant_name, &items.len().to_string()]);
            let text = format!("{intro}\n\n{}\n\n{url}\n", lines.join("\n"));
            let html = layout_with(
                l,
                &format!("{intro} {}", lines.join(" · ")),
                url,
                T::EmailAlertOpen,
            );
            Rendered {
                subject,
                text,
                html,
            }
        }
        EmailMessage::PasswordReset { url, expires_at } => {
            let expires = expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
            let body = T::EmailResetBody.fill(l, &[&expires]);
            Rendered {
                subject: T::EmailResetSubject.get(l).to_owned(),
                text: format!("{body}\n\n{url}\n\n{}\n", T::EmailIgnore.get(l)),
                html: layout_with(l, &body, url, T::EmailResetButton),
            }
        }
        EmailMessage::PasswordChanged { url } => {
            let body = T::EmailPasswordChangedBody.get(l).to_owned();
            Rendered {
                subject: T::EmailPasswordChangedSubject.get(l).to_owned(),
                text: format!("{body}\n\n{url}\n"),
                html: layout_with(l, &body, url, T::EmailGuessingOpen),
            }
        }
        EmailMessage::SignInGuessing {
            failures,
            wait_minutes,
            url,
        } => {
            let body =
                T::EmailGuessingBody.fill(l, &[&failures.to_string(), &wait_minutes.to_string()]);
            Rendered {
                subject: T::EmailGuessingSubject.get(l).to_owned(),
                text: format!("{body}\n\n{url}\n"),
                html: layout_with(l, &body, url, T::EmailGuessingOpen),
            }
        }
        EmailMessage::StaffInvitation {
            inviter,
            role,
            accept_url,
            expires_at,
        } => {
            let expires = expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
            let body =
                T::EmailStaffBody.fill(l, &[inviter, staff_role_text(*role).get(l), &expires]);
            let subject = T::EmailStaffSubject.get(l).to_owned();
            let text = format!("{body}\n\n{accept_url}\n\n{}\n", T::EmailIgnore.get(l));
            let html = layout(l, &body, accept_url);
            Rendered {
                subject,
                text,
                html,
            }
        }
    }
}

/// The HTML body shared by invitation emails: a paragraph, a button, the link in clear.
fn layout(l: Locale, body: &str, url: &str) -> String {
    layout_with(l, body, url, T::EmailInviteButton)
}

fn layout_with(l: Locale, body: &str, url: &str, button: T) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:system-ui,sans-serif;color:#1f2937\">\
         <p>{body}</p><p><a href=\"{url}\" style=\"background:#0f766e;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none\">{button}</a></p>\
         <p style=\"color:#6b7280;font-size:13px\">{url}</p><p style=\"color:#6b7280;font-size:13px\">{ignore}</p></body></html>",
        lang = l.code(),
        body = escape(body),
        url = escape(url),
        button = escape(button.get(l)),
        ignore = escape(T::EmailIgnore.get(l)),
    )
}

/// Where emails go.
#[derive(Clone)]
pub enum Transport {
    Smtp {
        mailer: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// Development: nothing leaves the outbox.
    OutboxOnly,
}

impl Transport {
    pub fn from_config(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Self> {
        match smtp_url {
            None => Ok(Transport::OutboxOnly),
            Some(url) => Ok(Transport::Smtp {
                mailer: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
                from: from.parse()?,
            }),
        }
    }

    pub fn sends(&self) -> bool {
        matches!(self, Transport::Smtp { .. })
    }

    pub async fn send(&self, to: &str, r: &Rendered) -> Result<(), SendFailure> {
        let permanent = |message: String| SendFailure {
            permanent: true,
            message,
        };
        let Transport::Smtp { mailer, from } = self else {
            return Err(permanent("no SMTP transport configured".into()));
        };
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| permanent(format!("bad recipient: {e}")))?;
        let msg = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(&r.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(r.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(r.html.clone()),
                    ),
            )
            .map_err(|e| permanent(format!("cannot build message: {e}")))?;
        // A 5xx answer is the server refusing this message; anything else (no connection,
        // timeout, 4xx) is worth trying again later.
        mailer.send(msg).await.map(|_| ()).map_err(|e| SendFailure {
            permanent: e.is_permanent(),
            message: format!("smtp: {e}"),
        })
    }
}

/// Why an email was not sent, and whether trying again can help.
#[derive(Clone, Debug)]
pub struct SendFailure {
    pub permanent: bool,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::roles::TenantRole;

    #[test]
    fn invitation_renders_in_the_recipients_language_with_escaped_html() {
        let msg = EmailMessage::Invitation {
            tenant_name: "A&B <Shop>".into(),
            inviter: "ada@bsp.example".into(),
            role: TenantRole::Owner,
            accept_url: "http://x/invite/abc".into(),
            expires_at: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
        };
        let fr = render(&msg, Locale::Fr);
        assert!(fr.subject.starts_with("Invitation à rejoindre A&B <Shop>"));
        assert!(fr.text.contains("Propriétaire") && fr.text.contains("http://x/invite/abc"));
        assert!(fr.html.contains("A&amp;B &lt;Shop&gt;") && !fr.html.contains("<Shop>"));
        let en = render(&msg, Locale::En);
        assert!(en.text.contains("as Owner"));
    }

    #[test]
    fn a_rejection_email_gives_the_reason_and_the_note_in_french() {
        let msg = EmailMessage::TemplateDecision {
            tenant_name: "Acme".into(),
            template: "order_shipped".into(),
            language: "fr".into(),
            decision: "rejected".into(),
            reason: Some("PROMOTIONAL".into()),
            note: Some("Trop commercial.".into()),
            url: "http://x/tenants/t/templates/1".into(),
        };
        let r = render(&msg, Locale::Fr);
        assert_eq!(r.subject, "Modèle order_shipped (fr) : rejeté");
        assert!(
            r.text.contains("Motif: PROMOTIONAL")
                && r.text.contains("Trop commercial.")
                && r.text.contains("http://x/tenants/t/templates/1")
        );
        assert!(r.html.contains("Ouvrir le modèle"));
    }
}
