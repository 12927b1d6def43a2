// A real OpenID Connect provider for the ProConnect tests (panva's oidc-provider), shaped like
// ProConnect: authorization code with state and nonce, ID token and userinfo signed in RS256
// (userinfo answered as a JWT), RP-initiated logout. Development interactions: the login typed
// in the provider's form is the account's email (any password).
//
// Environment: OIDC_REDIRECT_URI (the app's callback URLs, comma-separated), OIDC_POST_LOGOUT_URI
// (where the provider may send the browser back after logout, comma-separated), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_PORT (0: a free port). Prints `PRET <issuer>` once listening.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const exiger = (nom) => {
  const valeur = process.env[nom];
  if (!valeur) {
    console.error(`${nom} manquant`);
    process.exit(2);
  }
  return valeur;
};

const cle = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const jwks = { keys: [{ ...cle, kid: 'cle-de-test', alg: 'RS256', use: 'sig' }] };

const configuration = {
  clients: [
    {
      client_id: exiger('OIDC_CLIENT_ID'),
      client_secret: exiger('OIDC_CLIENT_SECRET'),
      redirect_uris: exiger('OIDC_REDIRECT_URI').split(','),
      post_logout_redirect_uris: exiger('OIDC_POST_LOGOUT_URI').split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      userinfo_signed_response_alg: 'RS256',
    },
  ],
  jwks,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // ProConnect's scopes, each giving the claim of the same name.
  scopes: ['openid', 'email', 'given_name', 'usual_name'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
  },
  // As ProConnect: no PKCE asked of a confidential client.
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const local = id.split('@')[0];
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, given_name: `Prénom ${local}`, usual_name: `Nom ${local}` };
      },
    };
  },
};

const port = Number(process.env.OIDC_PORT || 0);
// The issuer needs the port: listen first, then build the provider on that address.
const { createServer } = await import('node:http');
const serveur = createServer();
serveur.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${serveur.address().port}`;
  const fournisseur = new Provider(issuer, configuration);
  serveur.on('request', fournisseur.callback());
  console.log(`PRET ${issuer}`);
});

const arreter = () => serveur.close(() => process.exit(0));
process.on('SIGTERM', arreter);
process.on('SIGINT', arreter);
