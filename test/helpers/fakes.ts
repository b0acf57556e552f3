/** What the local stand-ins accept; shared by the Node-side fakes and the tests in workerd. */

/** The Turnstile token the stand-in passes; any other token fails. */
export const TURNSTILE_PASS = 'XXXX.DUMMY.TOKEN.PASS'
export const TURNSTILE_SECRET = '1x0000000000000000000000000000000AA'

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}
