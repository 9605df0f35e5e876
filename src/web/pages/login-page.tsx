import { Layout, type PageContext } from '../layout.js';

interface LoginPageProps {
  context: PageContext;
  /** the HMAC of the login nonce, echoed back by the form */
  csrf: string;
  /** an OpenID Connect provider is configured: offer it before the local form */
  singleSignOn?: boolean | undefined;
  username?: string | undefined;
  /** why the last attempt failed */
  problem?: string | undefined;
}

/** `/login`: single sign-on when configured, and a local operator's username and password. */
export function LoginPage({ context, csrf, singleSignOn = false, username, problem }: LoginPageProps) {
  return (
    <Layout context={context} title="Log in" section="login">
      <h1>Log in</h1>
      {problem ? (
        <p class="notice" role="alert" id="login-problem">
          {problem}
        </p>
      ) : null}
      {singleSignOn ? (
        <>
          {/* A link, not a form: the redirect to the provider must not fall under the pages' CSP form-action 'self'. */}
          <p class="login-sso">
            <a href="/login/oidc">Sign in with single sign-on</a>
          </p>
          <h2>Local operator account</h2>
        </>
      ) : null}
      <form class="login-form" method="post" action="/login" aria-describedby={problem ? 'login-problem' : undefined}>
        <input type="hidden" name="csrf" value={csrf} />
        <label for="username">Username</label>
        <input id="username" name="username" type="text" autocomplete="username" required value={username ?? ''} autofocus={!username && !singleSignOn} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required autofocus={Boolean(username)} />
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
}
