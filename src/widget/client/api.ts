/** POSTs JSON to the API host; the answer's body, or a readable problem for the reader. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  offline: string,
): Promise<{ ok: true; data: Record<string, string> } | { ok: false; detail: string }> {
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
      credentials: 'omit',
    })
  } catch {
    return { ok: false, detail: offline }
  }
  const data = await response.json().catch(() => ({}))
  if (response.ok) return { ok: true, data }
  return { ok: false, detail: typeof data.detail === 'string' ? data.detail : offline }
}
