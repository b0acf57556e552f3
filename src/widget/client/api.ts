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

/** GETs JSON from the API host the way a browser may cache it; null on any failure. */
export async function getJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url, { credentials: 'omit' })
    if (response.ok) return (await response.json()) as T
    await response.text()
    return null
  } catch {
    return null
  }
}
