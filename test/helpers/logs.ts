import { vi } from 'vitest'

/** Every line the Worker logged while `run` ran (restore with `vi.restoreAllMocks()`). */
export async function logged(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = []
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
  }
  await run()
  return lines
}

export interface RequestLine {
  route: string
  status: number
  d1: { round_trips: number; rows_read: number; rows_written: number }
}

/** The access-log lines among what `run` logged, one per request. */
export async function requestLines(run: () => Promise<unknown>): Promise<RequestLine[]> {
  const lines = await logged(run)
  return lines
    .map((line) => JSON.parse(line) as RequestLine & { message: string })
    .filter((line) => line.message === 'request')
}
