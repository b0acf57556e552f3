import { describe, expect, it } from 'vitest'
import { composeReaderEmail, type ReaderEmailInput } from '../../src/notify/reader-email'

const STATUS_URL = 'https://api.news.example/v1/submissions/sub_1?token=status-token'
const FORGET_URL = 'https://api.news.example/forget/sub_1?token=forget-token'
const ARTICLE_URL = 'https://news.example/2026/11/city-budget'

function input(overrides: Partial<ReaderEmailInput> = {}): ReaderEmailInput {
  return {
    lang: 'en',
    outcome: 'correction',
    correction: {
      kind: 'correction',
      text: 'The council approved 4.2 million, not 42 million.',
      published_at: '2026-11-03T14:05:00.000Z',
    },
    article: { url: ARTICLE_URL, title: 'Council backs the budget' },
    quote: 'approved 42 million',
    statusUrl: STATUS_URL,
    forgetUrl: FORGET_URL,
    viaDuplicate: false,
    ...overrides,
  }
}

/** Per language: the subject of each outcome, and words only that outcome's body says. */
const LANGUAGES = [
  {
    lang: 'en',
    html: 'lang="en"',
    correction: 'The article you reported has been corrected',
    rejected: 'Your report has been reviewed',
    corrected: 'The newsroom has published this on the article',
    noCorrection: 'decided that no correction is needed',
    duplicate: 'the same as one another reader had sent',
    kind: 'Correction · November 3, 2026',
    forget: 'Erase my email',
    status: 'Follow your report',
    footer: 'you left your address with your report',
  },
  {
    lang: 'es-MX',
    html: 'lang="es"',
    correction: 'Hemos corregido el artículo que nos señalaste',
    rejected: 'Hemos revisado tu aviso',
    corrected: 'La redacción ha publicado esto en el artículo',
    noCorrection: 'no hace falta ninguna corrección',
    duplicate: 'era igual que el de otro lector',
    kind: 'Corrección · 3 de noviembre de 2026',
    forget: 'Borrar mi correo',
    status: 'Sigue tu aviso',
    footer: 'dejaste tu dirección con tu aviso',
  },
  {
    lang: 'uk-UA',
    html: 'lang="uk"',
    correction: 'Статтю, про яку ви повідомили, виправлено',
    rejected: 'Ваше повідомлення розглянуто',
    corrected: 'Редакція додала до статті',
    noCorrection: 'виправлення не потрібне',
    duplicate: 'збігалося з повідомленням іншого читача',
    kind: 'Виправлення · 3 листопада 2026',
    forget: 'Стерти мій email',
    status: 'Стежити за повідомленням',
    footer: 'залишили свою адресу разом із повідомленням',
  },
] as const

describe('composeReaderEmail: the reader hears what became of their report', () => {
  for (const words of LANGUAGES) {
    describe(`in ${words.lang}`, () => {
      it('tells of the published correction, its kind and text, with both links', () => {
        const email = composeReaderEmail(input({ lang: words.lang }))
        expect(email.subject).toBe(words.correction)
        for (const body of [email.text, email.html]) {
          expect(body).toContain('Council backs the budget')
          expect(body).toContain('approved 42 million')
          expect(body).toContain(words.corrected)
          expect(body).toContain(words.kind)
          expect(body).toContain('The council approved 4.2 million, not 42 million.')
          expect(body).toContain(words.footer)
          expect(body).not.toContain(words.duplicate)
          expect(body).not.toContain(words.noCorrection)
        }
        expect(email.text).toContain(`${words.status}: ${STATUS_URL}`)
        expect(email.text).toContain(`${words.forget}: ${FORGET_URL}`)
        expect(email.html).toContain(`>${words.forget}</a>`)
        expect(email.html).toContain(words.html)
      })

      it('says the newsroom decided no correction is needed when the report is rejected', () => {
        const email = composeReaderEmail(
          input({ lang: words.lang, outcome: 'rejected', correction: null }),
        )
        expect(email.subject).toBe(words.rejected)
        for (const body of [email.text, email.html]) {
          expect(body).toContain(words.noCorrection)
          expect(body).not.toContain(words.corrected)
          expect(body).toContain(words.forget)
          expect(body).toContain(words.status)
        }
        expect(email.text).toContain(STATUS_URL)
        expect(email.text).toContain(FORGET_URL)
      })

      it('says the report was the same as another reader’s, which was corrected', () => {
        const email = composeReaderEmail(input({ lang: words.lang, viaDuplicate: true }))
        expect(email.subject).toBe(words.correction)
        expect(email.text).toContain(words.duplicate)
        expect(email.html).toContain(words.duplicate)
        expect(email.text).toContain(words.kind)
      })
    })
  }

  it('writes in English to a reader of a language it does not speak, or of none', () => {
    for (const lang of ['fr', 'de-AT', null, '', 'ukr', 'english']) {
      const email = composeReaderEmail(input({ lang }))
      expect(email.subject).toBe('The article you reported has been corrected')
      expect(email.html).toContain('<html lang="en">')
    }
  })

  it('translates every kind of correction', () => {
    const kinds = { clarification: 'Aclaración', update: 'Actualización' }
    for (const [kind, label] of Object.entries(kinds)) {
      const email = composeReaderEmail(
        input({
          lang: 'es',
          correction: { kind, text: 'Texto', published_at: '2026-11-03T14:05:00.000Z' },
        }),
      )
      expect(email.text).toContain(label)
    }
  })

  it('names the article by its URL when it has no title, and leaves out an empty quote', () => {
    const email = composeReaderEmail(
      input({ article: { url: ARTICLE_URL, title: null }, quote: '  ' }),
    )
    expect(email.text).toContain(`You told us about an error in “${ARTICLE_URL}”.`)
    expect(email.text).not.toContain('You selected:')
    expect(email.html).not.toContain('<blockquote')
  })

  it('escapes what readers and editors wrote in the HTML, and keeps it verbatim in the text', () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    const email = composeReaderEmail(
      input({
        quote: `quote ${hostile}`,
        article: { url: ARTICLE_URL, title: `title ${hostile}` },
        correction: {
          kind: 'correction',
          text: `text ${hostile}`,
          published_at: '2026-11-03T14:05:00.000Z',
        },
      }),
    )
    expect(email.html).not.toContain('<script')
    expect(email.html).not.toContain('<img')
    expect(email.html).not.toMatch(/&(?![#a-z0-9]+;)/i)
    expect(email.html.match(/&#60;script&#62;/g)).toHaveLength(3)
    for (const part of ['quote', 'title', 'text'])
      expect(email.text).toContain(`${part} ${hostile}`)
    expect(email.subject).not.toContain('<')
  })

  it('links only web addresses, with nothing fetched from elsewhere', () => {
    const email = composeReaderEmail(input({ article: { url: 'javascript:alert(1)', title: 'T' } }))
    expect(email.html).not.toContain('href="javascript:')
    const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1])
    expect(hrefs).toEqual([STATUS_URL, FORGET_URL])
    expect(email.html).not.toMatch(/<img|<link|<script|src=|url\(/i)
  })

  it('carries only the links and words of the reader it is for', () => {
    const email = composeReaderEmail(input())
    const links = [...email.text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0])
    expect(links.sort()).toEqual([ARTICLE_URL, FORGET_URL, STATUS_URL].sort())
    expect(email.text).not.toContain('@')
  })
})
