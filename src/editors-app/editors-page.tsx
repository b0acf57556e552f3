/** The admins' editors page: the accounts, revoking one, a new one and its token shown once. */
import type { FC } from 'hono/jsx'
import type { EditorRow } from '../editors/store'
import { ROLES, type Actor } from '../http/context'
import { Alert, NextPage, pairs, Page, Select, when } from './layout'

export const EditorsPage: FC<{
  actor: Actor
  editors: EditorRow[]
  next: string | null
  created?: { name: string; token: string } | undefined
  error?: string | undefined
}> = ({ actor, editors, next, created, error }) => (
  <Page title="Editors" actor={actor} current="editors">
    <h1>Editors</h1>
    <Alert message={error} />
    {created && (
      <div class="notice" role="status">
        <p>
          <b>{created.name}</b>’s token, shown this once: give it to them through your password
          manager. Only its hash is kept.
        </p>
        <p class="token">{created.token}</p>
      </div>
    )}
    <div class="split">
      <div class="list">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span class="muted">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {editors.map((editor) => (
              <tr>
                <td>{editor.name}</td>
                <td>{editor.email}</td>
                <td>{editor.role}</td>
                <td class="muted">{when(editor.created_at)}</td>
                <td>
                  <form
                    method="post"
                    action={`/admin/editors/${encodeURIComponent(editor.id)}/revoke`}
                    data-confirm={`Revoke ${editor.name}’s token? Their sessions end at once.`}
                  >
                    <button type="submit" class="danger" aria-label={`Revoke ${editor.name}`}>
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <NextPage href={next} />
      </div>
      <section class="panel" aria-labelledby="new-editor-h">
        <h2 id="new-editor-h">New editor</h2>
        <form method="post" action="/admin/editors">
          <div class="field">
            <label for="editor-name">Name</label>
            <input id="editor-name" type="text" name="name" maxlength={100} required />
          </div>
          <div class="field">
            <label for="editor-email">Email</label>
            <input id="editor-email" type="email" name="email" maxlength={254} required />
          </div>
          <div class="field">
            <label for="editor-role">Role</label>
            <Select id="editor-role" name="role" values={pairs(ROLES)} selected="editor" />
          </div>
          <button type="submit">Create editor</button>
        </form>
      </section>
    </div>
  </Page>
)
