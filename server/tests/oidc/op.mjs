// Test-only OpenID Connect provider for the BSP Console integration tests.
// Built on panva/oidc-provider (see package.json for the pinned version).
//
// Environment:
//   PORT           port to listen on (127.0.0.1 only); 0 picks a free port. Default 0.
//   ISSUER         issuer URL; default http://127.0.0.1:${PORT} (with the real bound port).
//   CLIENT_ID      the one static confidential client (default "bsp-console")
//   CLIENT_SECRET  its secret (client_secret_basic) (default "bsp-console-secret")
//   REDIRECT_URI   its only redirect_uri (default http://127.0.0.1:3000/auth/callback);
//                  several may be given separated by commas/whitespace.
//   OTHER_CLIENT_ID / OTHER_CLIENT_SECRET  a second client with the same redirect URIs (tests
//                  use its ID tokens to check that a token for another audience is refused).
//   OIDC_DEBUG     if set, print oidc-provider notices/warnings and per-request errors.
//
// stdout carries exactly one line, `listening <port>`, once the server accepts
// connections; everything else goes to stderr.
//
// Login convention (devInteractions form, password is ignored):
//   login "alice@corp.example"             -> sub alice@corp.example, email alice@corp.example, no bsp_role
//   login "role=admin:alice@corp.example"  -> sub alice@corp.example, email alice@corp.example, bsp_role "admin"
//   login "bob"                            -> sub bob, email bob@example.com, no bsp_role
// The `role=<role>:` prefix is stripped from sub/email so the same user can log in
// with different roles and keep one stable `sub`.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';

// oidc-provider prints its development notices with console.info (stdout) and
// console.warn. Keep stdout clean for the `listening <port>` line and drop the
// expected "dev only" chatter unless OIDC_DEBUG is set.
const debug = Boolean(process.env.OIDC_DEBUG);
const origWarn = console.warn.bind(console);
const isProviderNoise = (args) => typeof args[0] === 'string' && args[0].startsWith('oidc-provider ');
console.info = (...args) => {
  if (isProviderNoise(args)) {
    if (debug) console.error(...args);
    return;
  }
  console.error(...args);
};
console.warn = (...args) => {
  if (isProviderNoise(args) && !debug) return;
  origWarn(...args);
};

const { default: Provider } = await import('oidc-provider');

const requestedPort = Number.parseInt(process.env.PORT ?? '0', 10);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  console.error(`invalid PORT: ${process.env.PORT}`);
  process.exit(2);
}
const CLIENT_ID = process.env.CLIENT_ID || 'bsp-console';
const CLIENT_SECRET = process.env.CLIENT_SECRET || 'bsp-console-secret';
const REDIRECT_URIS = (process.env.REDIRECT_URI || 'http://127.0.0.1:3000/auth/callback')
  .split(/[\s,]+/)
  .filter(Boolean);

// Bind first so that PORT=0 works and ISSUER can default to the real port.
const server = createServer();
try {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', resolve);
  });
} catch (err) {
  console.error(`cannot listen on 127.0.0.1:${requestedPort}: ${err.code || err.message}`);
  process.exit(1);
}
const port = server.address().port;
const ISSUER = process.env.ISSUER || `http://127.0.0.1:${port}`;

// A fresh RS256 signing key per run (no dev-keys warning, nothing on disk).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bsp-test-rs256', alg: 'RS256', use: 'sig' };

// Role per stable account id, set by the most recent login of that id
// (`role=<role>:<id>` sets it, a plain `<id>` login clears it).
const roles = new Map();

const ROLE_LOGIN = /^role=([^:]+):(.+)$/;

function parseLogin(login) {
  const m = ROLE_LOGIN.exec(login);
  if (m) return { role: m[1], id: m[2] };
  return { role: undefined, id: login };
}

const configuration = {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: REDIRECT_URIS,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingJwk] },
  cookies: {
    keys: ['bsp-test-cookie-key-1', 'bsp-test-cookie-key-2'],
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    bsp: ['bsp_role'],
  },
  // Put the scope-granted claims straight into the ID token (not only /me).
  conformIdTokenClaims: false,
  // oidc-provider v9 only *requires* PKCE for public clients / FAPI by default;
  // a confidential client would be allowed without it. Force it on.
  pkce: {
    required: () => true,
  },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
  },
  async findAccount(_ctx, accountId) {
    // accountId is the login with any `role=<role>:` prefix already stripped
    // (see handleLoginSubmit); the role comes from that login.
    const id = accountId;
    const email = id.includes('@') ? id : `${id}@example.com`;
    const name = id.includes('@') ? id.slice(0, id.indexOf('@')) : id;
    return {
      accountId,
      async claims() {
        const claims = {
          sub: id,
          email,
          email_verified: true,
          name,
        };
        const role = roles.get(id);
        if (role) claims.bsp_role = role;
        return claims;
      },
    };
  },
  // Auto-consent: always return a grant covering everything requested, so the
  // flow never stops at the consent prompt.
  async loadExistingGrant(ctx) {
    const { provider } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const { accountId } = ctx.oidc.account;
    const { clientId } = ctx.oidc.client;
    let grant = grantId ? await provider.Grant.find(grantId) : undefined;
    if (!grant || grant.accountId !== accountId || grant.clientId !== clientId) {
      grant = new provider.Grant({ clientId, accountId });
    }
    const scopes = [...ctx.oidc.requestParamOIDCScopes];
    if (scopes.length) grant.addOIDCScope(scopes.join(' '));
    const claims = ctx.oidc.requestParamClaims;
    if (claims && claims.size) grant.addOIDCClaims([...claims]);
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
};

if (process.env.OTHER_CLIENT_ID) {
  configuration.clients.push({
    ...configuration.clients[0],
    client_id: process.env.OTHER_CLIENT_ID,
    client_secret: process.env.OTHER_CLIENT_SECRET || 'other-secret',
  });
}

const provider = new Provider(ISSUER, configuration);
if (debug) {
  for (const ev of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error', 'interaction.error']) {
    provider.on(ev, (_ctx, err) => console.error(`[${ev}] ${err.name}: ${err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`));
  }
}

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

// Login form submission (POST /interaction/<uid>) is handled here instead of by
// devInteractions, so that the `role=<role>:` prefix can be stripped from the
// account id (oidc-provider always sets `sub` to the account id). The login
// form itself (GET /interaction/<uid>) is still rendered by devInteractions.
async function handleLoginSubmit(req, res) {
  try {
    const form = new URLSearchParams(await readBody(req));
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login' || form.get('prompt') !== 'login') {
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: `pending prompt is ${details.prompt.name}, form prompt is ${form.get('prompt')}`,
      });
      return;
    }
    const login = (form.get('login') || '').trim();
    if (!login) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'missing login' });
      return;
    }
    const { role, id } = parseLogin(login);
    if (role) roles.set(id, role);
    else roles.delete(id);
    await provider.interactionFinished(req, res, { login: { accountId: id } }, { mergeWithLastSubmission: false });
  } catch (err) {
    if (debug) console.error('[login submit]', err);
    if (!res.headersSent) {
      sendJson(res, 400, { error: err.name || 'error', error_description: err.message || String(err) });
    }
  }
}

const INTERACTION_SUBMIT = /^\/interaction\/[A-Za-z0-9_-]+\/?$/;
const providerCallback = provider.callback();
server.on('request', (req, res) => {
  const path = (req.url || '').split('?')[0];
  if (req.method === 'POST' && INTERACTION_SUBMIT.test(path)) {
    handleLoginSubmit(req, res);
    return;
  }
  providerCallback(req, res);
});

const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.stdout.write(`listening ${port}\n`);
