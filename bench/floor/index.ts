/**
 * The benchmark's floor: a Worker that does nothing but touch D1 once per request. Whatever a
 * readerdesk path costs beyond this is our code's share.
 */
interface Env {
  DB: D1Database
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (request.method === 'POST' && url.pathname === '/insert') {
      const id = crypto.randomUUID()
      await env.DB.prepare('INSERT INTO items (id, body, created_at) VALUES (?, ?, ?)')
        .bind(id, await request.text(), new Date().toISOString())
        .run()
      return Response.json({ id }, { status: 201 })
    }
    if (request.method === 'GET' && url.pathname === '/select') {
      const row = await env.DB.prepare('SELECT id, body, created_at FROM items WHERE id = ?')
        .bind(url.searchParams.get('id') ?? '')
        .first()
      return Response.json({ item: row })
    }
    return new Response('not found', { status: 404 })
  },
} satisfies ExportedHandler<Env>
