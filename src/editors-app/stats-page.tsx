/** The stats page: /v1/admin/stats' figures, and reports and corrections per week. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import type { WeekRow } from '../triage/stats-store'
import type { Stats } from '../triage/stats'
import { money, Page } from './layout'

const W = 820
const H = 220
const PAD = { top: 18, bottom: 26, left: 8, right: 8 }

/** A grouped bar chart drawn on the server: no script, readable by its title, desc and table. */
const WeeklyChart: FC<{ weeks: WeekRow[] }> = ({ weeks }) => {
  const max = Math.max(1, ...weeks.flatMap((week) => [week.reports, week.corrections]))
  const slot = (W - PAD.left - PAD.right) / Math.max(1, weeks.length)
  const bar = Math.min(24, slot / 2 - 4)
  const height = (n: number) => ((H - PAD.top - PAD.bottom) * n) / max
  const base = H - PAD.bottom
  const total = (key: 'reports' | 'corrections') => weeks.reduce((sum, week) => sum + week[key], 0)
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby="chart-title chart-desc"
    >
      <title id="chart-title">Reports and corrections per week</title>
      <desc id="chart-desc">
        {`Over the last ${weeks.length} weeks: ${total('reports')} reports and ${total('corrections')} corrections. The table below gives each week.`}
      </desc>
      <line x1={PAD.left} x2={W - PAD.right} y1={base} y2={base} />
      {weeks.map((week, i) => {
        const x = PAD.left + i * slot + slot / 2
        return (
          <g>
            <rect
              class="r"
              x={x - bar - 1}
              y={base - height(week.reports)}
              width={bar}
              height={height(week.reports)}
            />
            <rect
              class="c"
              x={x + 1}
              y={base - height(week.corrections)}
              width={bar}
              height={height(week.corrections)}
            />
            {week.reports > 0 && (
              <text x={x - bar / 2 - 1} y={base - height(week.reports) - 4} text-anchor="middle">
                {week.reports}
              </text>
            )}
            {week.corrections > 0 && (
              <text
                x={x + bar / 2 + 1}
                y={base - height(week.corrections) - 4}
                text-anchor="middle"
              >
                {week.corrections}
              </text>
            )}
            <text x={x} y={H - 8} text-anchor="middle">
              {week.week.slice(5)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

const Figure: FC<{ label: string; value: string | number }> = ({ label, value }) => (
  <div class="figure">
    <b>{value}</b>
    <span class="muted">{label}</span>
  </div>
)

const hours = (value: number | null) => (value === null ? '—' : `${value} h`)

export const StatsPage: FC<{ actor: Actor; stats: Stats; weeks: WeekRow[] }> = ({
  actor,
  stats,
  weeks,
}) => {
  const { by_status, by_kind } = stats.reports
  const open = by_status.new + by_status.triaged + by_status.accepted
  return (
    <Page title="Stats" actor={actor} current="stats">
      <h1>Stats</h1>
      <div class="figures">
        <Figure label="open reports" value={open} />
        <Figure label="new, untouched" value={by_status.new} />
        <Figure label="fixed" value={by_status.fixed} />
        <Figure label="median time to triage" value={hours(stats.median_hours_to_triage)} />
        <Figure label="median time to fix" value={hours(stats.median_hours_to_fix)} />
        <Figure label="active supporters" value={stats.supporters.active} />
      </div>
      <section class="panel" aria-labelledby="weeks-h">
        <h2 id="weeks-h">
          Per week
          <span class="key r"></span>
          <span class="small muted">reports</span>
          <span class="key c"></span>
          <span class="small muted">corrections</span>
        </h2>
        <WeeklyChart weeks={weeks} />
        <details>
          <summary>The figures per week</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" class="num">
                  Reports
                </th>
                <th scope="col" class="num">
                  Corrections
                </th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((week) => (
                <tr>
                  <td>{week.week}</td>
                  <td class="num">{week.reports}</td>
                  <td class="num">{week.corrections}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
      <div class="split">
        <section class="panel" aria-labelledby="by-status-h">
          <h2 id="by-status-h">Reports by status</h2>
          <table>
            <tbody>
              {Object.entries(by_status).map(([status, n]) => (
                <tr>
                  <th scope="row">{status}</th>
                  <td class="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="panel" aria-labelledby="by-kind-h">
          <h2 id="by-kind-h">Reports by kind</h2>
          <table>
            <tbody>
              {Object.entries(by_kind).map(([kind, n]) => (
                <tr>
                  <th scope="row">{kind}</th>
                  <td class="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Monthly recurring support</h2>
          {stats.supporters.monthly_recurring.length === 0 ? (
            <p class="muted">None yet.</p>
          ) : (
            <ul>
              {stats.supporters.monthly_recurring.map((row) => (
                <li>{money(row.amount, row.currency)}</li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Page>
  )
}
