/** The small pages: signing in, errors, and what is refused. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { Alert, Page } from './layout'

export const SignIn: FC<{ error?: string | undefined; notice?: string | undefined }> = ({
  error,
  notice,
}) => (
  <Page title="Sign in" actor={null}>
    <div class="signin panel">
      <h1>Sign in to the reader desk</h1>
      <Alert message={error} />
      {notice && <p role="status">{notice}</p>}
      <form method="post" action="/admin/sign-in">
        <div class="field">
          <label for="token">Token</label>
          <input
            id="token"
            type="password"
            name="token"
            autocomplete="current-password"
            required
            maxlength={200}
          />
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted small">
        Use the token an admin gave you. It is checked once; the browser keeps only a session, for
        12 hours at most.
      </p>
    </div>
  </Page>
)

export const ErrorPage: FC<{ actor: Actor | null; title: string; message: string }> = ({
  actor,
  title,
  message,
}) => (
  <Page title={title} actor={actor}>
    <h1>{title}</h1>
    <Alert message={message} />
    <p>
      <a href="/admin">Back to the reports</a>
    </p>
  </Page>
)
