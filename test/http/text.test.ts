import { describe, expect, it } from 'vitest'
import { cleanText, codePointLength } from '../../src/http/text'

describe('cleanText', () => {
  it('removes C0 and C1 controls but keeps tab, line feed and carriage return', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg')).toBe('abcdefg')
    expect(cleanText('line\tone\r\nline two\n')).toBe('line\tone\r\nline two\n')
  })

  it('removes the bidirectional overrides U+202D and U+202E, and keeps other marks', () => {
    expect(cleanText('OFFICIAL \u202eNOITCARTER\u202d end')).toBe('OFFICIAL NOITCARTER end')
    expect(cleanText('עברית \u200f and \u200e marks')).toBe('עברית \u200f and \u200e marks')
  })

  it('turns each lone surrogate into one U+FFFD and keeps whole pairs', () => {
    expect(cleanText('a\ud800b')).toBe('a\ufffdb')
    expect(cleanText('a\udc00b\ud83d')).toBe('a\ufffdb\ufffd')
    expect(cleanText('\udc00\ud800')).toBe('\ufffd\ufffd')
    expect(cleanText('😀 \ud83d\ude00')).toBe('😀 😀')
  })
})

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀😀')).toBe(2)
    expect('😀😀'.length).toBe(4)
    expect(codePointLength('абв')).toBe(3)
  })
})
