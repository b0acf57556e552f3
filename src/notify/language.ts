/** The languages readers are written to in; anything else gets English. */
export const READER_LANGUAGES = ['en', 'es', 'uk'] as const

export type ReaderLanguage = (typeof READER_LANGUAGES)[number]

/**
 * The language to address a reader in, from a BCP 47 tag (`es-MX` → `es`) or the first tag of
 * an `Accept-Language` header; English when we do not speak it.
 */
export function readerLanguage(tag: string | null | undefined): ReaderLanguage {
  const primary = (tag ?? '').split(',')[0]!.trim().split(/[-_;]/)[0]!.toLowerCase()
  return READER_LANGUAGES.find((language) => language === primary) ?? 'en'
}
