import { describe, expect, it } from 'vitest'
import { foldQuote, normalizeArticleUrl } from '../../src/reports/normalize'

describe('normalizeArticleUrl', () => {
  const url = (input: string) => {
    const check = normalizeArticleUrl(input)
    if (!check.ok) throw new Error(check.message)
    return check.url
  }

  it('lowercases scheme and host and drops the default port and fragment', () => {
    expect(url('HTTPS://News.Example:443/World/Story#comments')).toBe(
      'https://news.example/World/Story',
    )
    expect(url('http://news.example:80/a')).toBe('http://news.example/a')
    expect(url('https://news.example:8443/a')).toBe('https://news.example:8443/a')
  })

  it('drops tracking parameters and keeps the others in their order', () => {
    expect(
      url('https://news.example/a?b=2&utm_source=x&a=1&fbclid=y&UTM_Medium=z&gclid=q&c=3'),
    ).toBe('https://news.example/a?b=2&a=1&c=3')
    expect(url('https://news.example/a?utm_campaign=x')).toBe('https://news.example/a')
    expect(url('https://news.example/a?q=a%20b&q=c+d')).toBe('https://news.example/a?q=a%20b&q=c+d')
  })

  it('refuses what is not an absolute http(s) URL without credentials', () => {
    expect(normalizeArticleUrl('/relative/path').ok).toBe(false)
    expect(normalizeArticleUrl('javascript:alert(1)').ok).toBe(false)
    expect(normalizeArticleUrl('ftp://news.example/a').ok).toBe(false)
    expect(normalizeArticleUrl('https://user:secret@news.example/a').ok).toBe(false)
  })
})

describe('foldQuote', () => {
  it('folds case, white space and punctuation to the same key', () => {
    expect(foldQuote('  The Mayor said, “no”! ')).toBe(foldQuote('the mayor  said no'))
    expect(foldQuote('THE\tMAYOR\nSAID NO.')).toBe('the mayor said no')
  })

  it('applies the Unicode compatibility normal form and a full case fold', () => {
    expect(foldQuote('ﬁnal')).toBe('final')
    expect(foldQuote('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth')
    expect(foldQuote('Straße')).toBe(foldQuote('STRASSE'))
    expect(foldQuote('ΟΔΟΣ')).toBe(foldQuote('οδος'))
    expect(foldQuote('e\u0301te\u0301')).toBe(foldQuote('été'))
  })

  it('removes symbols and invisible format characters', () => {
    expect(foldQuote('soft\u00adhyphen €5 + tax')).toBe('softhyphen 5 tax')
    expect(foldQuote('zero\u200bwidth')).toBe('zerowidth')
  })

  it('leaves nothing to group on for a quote of punctuation only', () => {
    expect(foldQuote(' — !? ')).toBe('')
  })
})
