#!/usr/bin/env python3
"""localstripe 1.15.10 launcher with the gaps our billing tests hit patched.

Run (from the repository root):

    .venv/bin/python scripts/localstripe_launcher.py --port 8420 [--from-scratch]

Arguments are localstripe's own (`--port`, `--from-scratch`).  Without
`--from-scratch` localstripe reloads /tmp/localstripe.pickle (shared by every
instance on the machine), so tests should pass `--from-scratch`.

The patches work on localstripe's own classes, then `localstripe.server.start()`
runs unchanged.  What they add:

1. One-off invoices: `POST /v1/invoices` without `subscription` creates a draft
   invoice from the customer's pending invoice items
   (`pending_invoice_items_behavior=include`; `exclude`, the default since
   API version 2022-08-01, gives an empty draft).  Stock localstripe only
   invoices subscriptions (404 "No upcoming invoices for customer") and
   drops `metadata`.
2. `auto_advance`, `collection_method`, `days_until_due`, `due_date`,
   `currency`, `footer`, `statement_descriptor` are accepted and stored on
   invoices (stock: 400 "Unexpected auto_advance").
3. `POST /v1/invoices/{id}/finalize` (optional `auto_advance`): draft -> open
   (or paid when the total is 0), assigns a `number`, sends `invoice.finalized`.
4. Invoice line items carry `discountable` (async-stripe 0.41's
   `InvoiceLineItem` requires it); invoice items accept `discountable`,
   `quantity` + `unit_amount`, and `invoice` (adds the line to that draft).

Extras, so the rest of the billing flow can be tested:

5. `Idempotency-Key` on POST: same key + same method, path and body replays
   the stored response (header `Idempotent-Replayed: true`); the same key with
   another path or body gives 400 `idempotency_error`, as Stripe does; a key
   still in flight gives 409.  Only successful (2xx) responses are stored.
   Keys live in memory (per API key) until the process exits.
6. `POST /v1/invoices/{id}/pay` accepts `paid_out_of_band=true` (status
   `paid`, no payment method needed); every successful payment also sends
   `invoice.paid` (stock sends only `invoice.payment_succeeded`).
7. `POST /v1/invoices/{id}/void` works for invoices without a PaymentIntent
   (stock crashes with a 500), refuses drafts like Stripe, and sends
   `invoice.voided`.
8. Events carry `pending_webhooks` and `request` (async-stripe's `Event`
   requires `pending_webhooks`).
9. Test hook: `POST /_config/invoices/{id}/payment_failed` (no auth) sends an
   `invoice.payment_failed` event for an open invoice and bumps
   `attempt_count`.

Webhooks are configured with localstripe's own endpoint:

    curl -X POST localhost:8420/_config/webhooks/mytest \
         -d url=http://127.0.0.1:3000/api/stripe/webhook -d secret=whsec_test \
         -d 'events[]=invoice.paid' -d 'events[]=invoice.voided'

(omit `events[]` to receive every event).  Each event is POSTed about 1 s after
it happens with `Stripe-Signature: t=<created>,v1=<hex HMAC-SHA256 of
"<created>.<body>" keyed with the secret>`.
"""

import hashlib
import sys
import time

from aiohttp import web

from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import (
    Customer, Event, Invoice, InvoiceItem, InvoiceLineItem, store,
    try_convert_to_bool, try_convert_to_int)
from localstripe.webhooks import schedule_webhook


# ---------------------------------------------------------------------------
# Helpers

def _bad(message):
    return UserError(400, message)


def _as_bool(name, value):
    value = try_convert_to_bool(value)
    if type(value) is not bool:
        raise _bad('Invalid boolean: %s' % name)
    return value


def _as_int(name, value):
    value = try_convert_to_int(value)
    if type(value) is not int:
        raise _bad('Invalid integer: %s' % name)
    return value


# ---------------------------------------------------------------------------
# Events: async-stripe's `Event` needs `pending_webhooks`; add `request` too.

_orig_event_init = Event.__init__


def _event_init(self, type, data):
    _orig_event_init(self, type, data)
    self.pending_webhooks = 1
    self.request = {'id': None, 'idempotency_key': None}


Event.__init__ = _event_init


# ---------------------------------------------------------------------------
# Invoice items: `discountable`, `quantity` + `unit_amount`, `invoice`.

_orig_ii_init = InvoiceItem.__init__


def _ii_init(self, *args, discountable=None, quantity=None,
             unit_amount=None, **kwargs):
    if quantity is not None:
        quantity = _as_int('quantity', quantity)
        if quantity < 0:
            raise _bad('Invalid quantity')
    if unit_amount is not None:
        unit_amount = _as_int('unit_amount', unit_amount)
        if kwargs.get('amount') is not None:
            raise _bad('You cannot pass both amount and unit_amount')
        kwargs['amount'] = unit_amount * (quantity or 1)
    if discountable is not None:
        discountable = _as_bool('discountable', discountable)

    invoice = kwargs.get('invoice')
    inv = None
    if invoice is not None:
        if type(invoice) is not str or not invoice.startswith('in_'):
            raise _bad('Invalid invoice id')
        inv = Invoice._api_retrieve(invoice)
        if inv.status != 'draft':
            raise _bad('Invoice %s is not a draft invoice' % invoice)

    _orig_ii_init(self, *args, **kwargs)

    self.quantity = quantity if quantity is not None else 1
    self.unit_amount = (unit_amount if unit_amount is not None
                        else self.amount // max(self.quantity, 1))
    if discountable is None:
        # Stripe: false for prorations and negative items, true otherwise
        discountable = not self.proration and self.amount >= 0
    self.discountable = discountable

    if inv is not None:
        line = InvoiceLineItem(self)
        line.invoice = inv.id
        inv.lines._list.append(line)


InvoiceItem.__init__ = _ii_init


# ---------------------------------------------------------------------------
# Invoice line items: `discountable` (class default covers pickled objects
# and subscription lines).

InvoiceLineItem.discountable = True
_orig_il_init = InvoiceLineItem.__init__


def _il_init(self, item):
    _orig_il_init(self, item)
    self.discountable = getattr(item, 'discountable', True)


InvoiceLineItem.__init__ = _il_init


# ---------------------------------------------------------------------------
# Invoices

# Class-level defaults: they are exported (localstripe exports every public
# attribute) and cover invoices created through the subscription path.
Invoice.auto_advance = False
Invoice.days_until_due = None
Invoice.due_date = None
Invoice.number = None
Invoice.footer = None
Invoice.hosted_invoice_url = None
Invoice.invoice_pdf = None
Invoice.effective_at = None
Invoice.paid_out_of_band = False

_orig_status = Invoice.status.fget


def _status(self):
    if (getattr(self, '_paid_out_of_band', False) and not self._draft and
            not self._voided):
        return 'paid'
    return _orig_status(self)


Invoice.status = property(_status)
Invoice.paid = property(lambda self: self.status == 'paid')
Invoice.amount_remaining = property(
    lambda self: 0 if self.status in ('paid', 'void') else self.amount_due)
_orig_next_payment_attempt = Invoice.next_payment_attempt.fget
Invoice.next_payment_attempt = property(
    lambda self: None if self.collection_method == 'send_invoice'
    else _orig_next_payment_attempt(self))

_orig_invoice_api_create = Invoice._api_create.__func__

_INVOICE_CREATE_PARAMS = {
    'customer', 'subscription', 'tax_percent', 'default_tax_rates',
    'description', 'metadata', 'pending_invoice_items_behavior',
    'auto_advance', 'collection_method', 'days_until_due', 'due_date',
    'currency', 'footer', 'statement_descriptor',
}


def _apply_invoice_settings(inv, auto_advance, collection_method,
                            days_until_due, due_date, footer,
                            statement_descriptor):
    inv.auto_advance = auto_advance
    inv.collection_method = collection_method
    inv.days_until_due = days_until_due
    if due_date is None and days_until_due is not None:
        due_date = inv.created + days_until_due * 86400
    inv.due_date = due_date
    inv.footer = footer
    if statement_descriptor is not None:
        inv.statement_descriptor = statement_descriptor


def _invoice_api_create(cls, customer=None, subscription=None,
                        tax_percent=None, default_tax_rates=None,
                        description=None, metadata=None,
                        pending_invoice_items_behavior=None,
                        auto_advance=None, collection_method=None,
                        days_until_due=None, due_date=None, currency=None,
                        footer=None, statement_descriptor=None, **kwargs):
    if kwargs:
        raise _bad('Received unknown parameter: ' +
                   ', '.join(sorted(kwargs.keys())))

    # --- validation (all before anything is stored) ---
    if auto_advance is not None:
        auto_advance = _as_bool('auto_advance', auto_advance)
    if collection_method is None:
        collection_method = 'charge_automatically'
    if collection_method not in ('charge_automatically', 'send_invoice'):
        raise _bad('Invalid collection_method')
    if days_until_due is not None:
        days_until_due = _as_int('days_until_due', days_until_due)
        if days_until_due < 0:
            raise _bad('Invalid days_until_due')
    if due_date is not None:
        due_date = _as_int('due_date', due_date)
    if collection_method == 'send_invoice':
        if days_until_due is None and due_date is None:
            raise _bad('Invoices with collection_method=send_invoice must '
                       'have a due_date or days_until_due.')
    elif days_until_due is not None or due_date is not None:
        raise _bad('days_until_due and due_date can only be set when '
                   'collection_method=send_invoice.')
    if currency is not None:
        if type(currency) is not str or len(currency) != 3:
            raise _bad('Invalid currency')
        currency = currency.lower()
    if metadata is not None and type(metadata) is not dict:
        if metadata == '':
            metadata = {}
        else:
            raise _bad('Invalid metadata')
    if pending_invoice_items_behavior not in (
            None, 'include', 'exclude', 'include_and_require'):
        raise _bad('Invalid pending_invoice_items_behavior')
    for name, value in (('description', description), ('footer', footer),
                        ('statement_descriptor', statement_descriptor)):
        if value is not None and type(value) is not str:
            raise _bad('Invalid ' + name)
    if type(customer) is not str or not customer.startswith('cus_'):
        raise _bad('Missing or invalid customer')
    Customer._api_retrieve(customer)  # 404 if absent

    settings = dict(auto_advance=bool(auto_advance),
                    collection_method=collection_method,
                    days_until_due=days_until_due, due_date=due_date,
                    footer=footer,
                    statement_descriptor=statement_descriptor)

    # --- subscription invoices: localstripe's own path ---
    if subscription is not None:
        inv = _orig_invoice_api_create(
            cls, customer=customer, subscription=subscription,
            tax_percent=tax_percent, default_tax_rates=default_tax_rates,
            description=description, metadata=metadata,
            pending_invoice_items_behavior=pending_invoice_items_behavior)
        inv.metadata = metadata or {}
        _apply_invoice_settings(inv, **settings)
        return inv

    # --- one-off invoices ---
    pending = [ii for ii in InvoiceItem._api_list_all(
        None, customer=customer, limit=99)._list if ii.invoice is None]
    include = pending_invoice_items_behavior in ('include',
                                                 'include_and_require')
    if pending_invoice_items_behavior == 'include_and_require' and \
            not pending:
        raise _bad('Nothing to invoice for customer')

    # `simulation=True`: build the lines without claiming the items and
    # without sending `invoice.created`; both are done below.
    inv = cls(customer=customer, metadata=metadata, description=description,
              tax_percent=tax_percent, default_tax_rates=default_tax_rates,
              simulation=True)

    if include:
        for ii in pending:
            ii.invoice = inv.id
        for line in inv.lines._list:
            line.invoice = inv.id
    else:
        for line in inv.lines._list:
            key = InvoiceLineItem.object + ':' + line.id
            if key in store:
                del store[key]
        inv.lines._list = []

    if currency is not None:
        inv.currency = currency
    elif inv.lines._list:
        inv.currency = inv.lines._list[0].currency
    else:
        inv.currency = Customer._api_retrieve(customer).currency

    cus = Customer._api_retrieve(customer)
    inv.ending_balance = max(0, cus.account_balance - inv.subtotal - inv.tax)
    inv.billing_reason = 'manual'
    _apply_invoice_settings(inv, **settings)

    schedule_webhook(Event('invoice.created', inv))
    return inv


Invoice._api_create = classmethod(_invoice_api_create)

_orig_invoice_update = Invoice._update


def _invoice_update(self, **data):
    if self.status != 'draft':
        allowed = {'metadata', 'description', 'footer', 'auto_advance'}
        if set(data) - allowed:
            raise _bad('Finalized invoices can only update ' +
                       ', '.join(sorted(allowed)))
    if 'auto_advance' in data:
        data['auto_advance'] = _as_bool('auto_advance', data['auto_advance'])
    if 'days_until_due' in data:
        data['days_until_due'] = _as_int('days_until_due',
                                         data['days_until_due'])
        data.setdefault('due_date',
                        self.created + data['days_until_due'] * 86400)
    if 'due_date' in data:
        data['due_date'] = _as_int('due_date', data['due_date'])
    _orig_invoice_update(self, **data)
    schedule_webhook(Event('invoice.updated', self))


Invoice._update = _invoice_update


def _next_number(inv):
    prefix = inv.customer[len('cus_'):][:8].upper()
    n = 1 + sum(1 for key, obj in list(store.items())
                if key.startswith('invoice:') and obj.customer == inv.customer
                and getattr(obj, 'number', None))
    return '%s-%04d' % (prefix, n)


def _invoice_api_finalize(cls, id, auto_advance=None, **kwargs):
    if kwargs:
        raise _bad('Received unknown parameter: ' +
                   ', '.join(sorted(kwargs.keys())))
    if auto_advance is not None:
        auto_advance = _as_bool('auto_advance', auto_advance)
    inv = cls._api_retrieve(id)
    if inv.status != 'draft':
        raise _bad('This invoice is already finalized, you can\'t '
                   're-finalize a non-draft invoice.')

    inv._finalize()  # draft -> open, status_transitions.finalized_at
    now = inv.status_transitions['finalized_at']
    inv.effective_at = now
    if auto_advance is not None:
        inv.auto_advance = auto_advance
    if inv.number is None:
        inv.number = _next_number(inv)
    if inv.collection_method == 'send_invoice' and \
            inv.days_until_due is not None:
        inv.due_date = now + inv.days_until_due * 86400

    schedule_webhook(Event('invoice.finalized', inv))
    if inv.status == 'paid':  # total 0: Stripe marks it paid at once
        inv._on_payment_success()
    return inv


Invoice._api_finalize_invoice = classmethod(_invoice_api_finalize)

# Every successful payment also sends `invoice.paid`.
_orig_on_payment_success = Invoice._on_payment_success


def _on_payment_success(self):
    _orig_on_payment_success(self)
    schedule_webhook(Event('invoice.paid', self))


Invoice._on_payment_success = _on_payment_success

_orig_pay = Invoice._api_pay_invoice.__func__


def _invoice_api_pay(cls, id, paid_out_of_band=None, **kwargs):
    if kwargs:
        raise _bad('Received unknown parameter: ' +
                   ', '.join(sorted(kwargs.keys())))
    if paid_out_of_band is not None:
        paid_out_of_band = _as_bool('paid_out_of_band', paid_out_of_band)
    if not paid_out_of_band:
        return _orig_pay(cls, id)

    inv = cls._api_retrieve(id)
    if inv.status == 'paid':
        raise _bad('Invoice is already paid')
    if inv.status not in ('draft', 'open'):
        raise _bad('You can only pay an open invoice')
    if inv.status == 'draft':
        cls._api_finalize_invoice(id)
        if inv.status == 'paid':
            return inv
    inv._paid_out_of_band = True
    inv.paid_out_of_band = True
    inv._on_payment_success()
    return inv


Invoice._api_pay_invoice = classmethod(_invoice_api_pay)


def _invoice_api_void(cls, id, **kwargs):
    if kwargs:
        raise _bad('Received unknown parameter: ' +
                   ', '.join(sorted(kwargs.keys())))
    inv = cls._api_retrieve(id)
    if inv.status == 'draft':
        raise _bad('You can only void an open or uncollectible invoice; '
                   'delete a draft instead.')
    if inv.status != 'open':
        raise _bad('You can only void an open or uncollectible invoice.')

    if inv.payment_intent:
        from localstripe.resources import PaymentIntent
        pi = PaymentIntent._api_retrieve(inv.payment_intent)
        if pi.status in ('requires_payment_method', 'requires_capture',
                         'requires_confirmation', 'requires_action'):
            PaymentIntent._api_cancel(inv.payment_intent)

    inv._draft = False
    inv._voided = True
    inv.status_transitions['voided_at'] = int(time.time())
    if inv.subscription:
        from localstripe.resources import Subscription
        Subscription._api_retrieve(inv.subscription) \
            ._on_initial_payment_voided(inv)
    schedule_webhook(Event('invoice.voided', inv))
    return inv


Invoice._api_void_invoice = classmethod(_invoice_api_void)


def _invoice_test_payment_failed(cls, id, **kwargs):
    inv = cls._api_retrieve(id)
    if inv.status != 'open':
        raise _bad('Only an open invoice can fail a payment')
    inv.attempt_count = (inv.attempt_count or 0) + 1
    inv.attempted = True
    schedule_webhook(Event('invoice.payment_failed', inv))
    return inv


Invoice._api_test_payment_failed = classmethod(_invoice_test_payment_failed)


# ---------------------------------------------------------------------------
# Routes.  The stock pay/void routes were bound to the old functions when
# localstripe.server was imported; rebind them and add the new ones.

def _rebind_route(method, path, func):
    for resource in server.app.router.resources():
        if resource.canonical == path:
            for route in resource:
                if route.method == method:
                    route._handler = server.api_extra(func, path)
                    return
    server.app.router.add_route(method, path, server.api_extra(func, path))


_rebind_route('POST', '/v1/invoices/{id}/pay', Invoice._api_pay_invoice)
_rebind_route('POST', '/v1/invoices/{id}/void', Invoice._api_void_invoice)
_rebind_route('POST', '/v1/invoices/{id}/finalize',
              Invoice._api_finalize_invoice)
_rebind_route('POST', '/_config/invoices/{id}/payment_failed',
              Invoice._api_test_payment_failed)


# ---------------------------------------------------------------------------
# Idempotency-Key

_idempotency = {}  # (api key, idempotency key) -> dict
_IN_FLIGHT = object()


def _idempotency_error(message, status=400):
    return server.json_response(
        {'error': {'type': 'idempotency_error', 'message': message}},
        status=status)


@web.middleware
async def idempotency_middleware(request, handler):
    key = request.headers.get('Idempotency-Key')
    if request.method != 'POST' or not key:
        return await handler(request)

    body = await request.read()
    slot = (server.get_api_key(request) or '', key)
    # Stripe compares the parameters, not their order in the body (a client may
    # encode a map in any order): fingerprint the sorted decoded pairs.
    from urllib.parse import parse_qsl
    params = sorted(parse_qsl(body.decode('utf-8', 'replace'),
                              keep_blank_values=True))
    fingerprint = hashlib.sha256(
        ('%s %s\n%r' % (request.method, request.path_qs, params)).encode()
    ).hexdigest()

    stored = _idempotency.get(slot)
    if stored is _IN_FLIGHT:
        return _idempotency_error(
            'There is currently another in-progress request using this '
            'Idempotent Key (that probably means you submitted twice, and '
            'the other request is still going through): %s.' % key, 409)
    if stored is not None:
        if stored['fingerprint'] != fingerprint:
            return _idempotency_error(
                'Keys for idempotent requests can only be used with the '
                'same parameters they were first used with. Try using a key '
                'other than \'%s\' if you meant to execute a different '
                'request.' % key)
        return web.Response(body=stored['body'], status=stored['status'],
                            content_type='application/json',
                            headers={'Idempotent-Replayed': 'true',
                                     'Idempotency-Key': key})

    _idempotency[slot] = _IN_FLIGHT
    try:
        response = await handler(request)
    except BaseException:
        del _idempotency[slot]
        raise
    if 200 <= response.status < 300 and \
            isinstance(getattr(response, 'body', None), bytes):
        _idempotency[slot] = {'fingerprint': fingerprint,
                              'status': response.status,
                              'body': response.body}
        response.headers['Idempotency-Key'] = key
    else:
        del _idempotency[slot]
    return response


# Innermost: runs after authentication, inside the error middleware.
server.app.middlewares.append(idempotency_middleware)


if __name__ == '__main__':
    sys.stderr.write('localstripe %s with BSP Console patches '
                     '(scripts/localstripe_launcher.py)\n'
                     % __import__('localstripe').__version__)
    server.start()
