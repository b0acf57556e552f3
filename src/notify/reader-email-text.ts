/**
 * The words of a reader's email, in the languages the widget speaks and in its voice: the
 * Spanish says `tú` and `aviso`, the Ukrainian `ви` and `повідомлення`.
 */
import type { CorrectionKind } from '../reports/schemas'
import type { ReaderLanguage } from './language'
import type { ReaderOutcome } from './messages'

export interface EmailText {
  /** For `Intl.DateTimeFormat`. */
  locale: string
  subject: Record<ReaderOutcome, string>
  greeting: string
  /** The article is its title, else its URL. */
  reported: (article: string) => string
  selected: string
  quoted: (text: string) => string
  /** Said when the reader's report was closed as another reader's duplicate. */
  duplicate: Record<ReaderOutcome, string>
  corrected: string
  rejected: string
  kinds: Record<CorrectionKind, string>
  article: string
  status: string
  forget: string
  footer: string
}

const en: EmailText = {
  locale: 'en',
  subject: {
    correction: 'The article you reported has been corrected',
    rejected: 'Your report has been reviewed',
  },
  greeting: 'Hello,',
  reported: (article) => `You told us about an error in “${article}”.`,
  selected: 'You selected:',
  quoted: (text) => `“${text}”`,
  duplicate: {
    correction:
      'Your report was the same as one another reader had sent, and that one led to this correction.',
    rejected:
      'Your report was the same as one another reader had sent; the newsroom reviewed them together.',
  },
  corrected: 'Thank you! The newsroom has published this on the article:',
  rejected:
    'The newsroom reviewed your report and decided that no correction is needed. Thank you for reading so closely.',
  kinds: { correction: 'Correction', clarification: 'Clarification', update: 'Update' },
  article: 'Read the article',
  status: 'Follow your report',
  forget: 'Erase my email',
  footer:
    'You are getting this email because you left your address with your report. We write only to tell you what became of it: one email per outcome, and nothing else.',
}

const es: EmailText = {
  locale: 'es',
  subject: {
    correction: 'Hemos corregido el artículo que nos señalaste',
    rejected: 'Hemos revisado tu aviso',
  },
  greeting: 'Hola:',
  reported: (article) => `Nos avisaste de un error en «${article}».`,
  selected: 'Has seleccionado:',
  quoted: (text) => `«${text}»`,
  duplicate: {
    correction: 'Tu aviso era igual que el de otro lector, y el suyo dio lugar a esta corrección.',
    rejected: 'Tu aviso era igual que el de otro lector; la redacción los revisó juntos.',
  },
  corrected: '¡Gracias! La redacción ha publicado esto en el artículo:',
  rejected:
    'La redacción revisó tu aviso y decidió que no hace falta ninguna corrección. Gracias por leer con tanta atención.',
  kinds: { correction: 'Corrección', clarification: 'Aclaración', update: 'Actualización' },
  article: 'Leer el artículo',
  status: 'Sigue tu aviso',
  forget: 'Borrar mi correo',
  footer:
    'Recibes este correo porque dejaste tu dirección con tu aviso. Solo te escribimos para contarte qué pasó con él: un correo por resultado, y nada más.',
}

const uk: EmailText = {
  locale: 'uk',
  subject: {
    correction: 'Статтю, про яку ви повідомили, виправлено',
    rejected: 'Ваше повідомлення розглянуто',
  },
  greeting: 'Вітаємо!',
  reported: (article) => `Ви повідомили нам про помилку в статті «${article}».`,
  selected: 'Ви виділили:',
  quoted: (text) => `«${text}»`,
  duplicate: {
    correction:
      'Ваше повідомлення збігалося з повідомленням іншого читача, і саме воно привело до цього виправлення.',
    rejected:
      'Ваше повідомлення збігалося з повідомленням іншого читача; редакція розглянула їх разом.',
  },
  corrected: 'Дякуємо! Редакція додала до статті:',
  rejected:
    'Редакція розглянула ваше повідомлення і вирішила, що виправлення не потрібне. Дякуємо за уважне читання.',
  kinds: { correction: 'Виправлення', clarification: 'Уточнення', update: 'Оновлення' },
  article: 'Читати статтю',
  status: 'Стежити за повідомленням',
  forget: 'Стерти мій email',
  footer:
    'Ви отримали цей лист, бо залишили свою адресу разом із повідомленням. Ми пишемо лише для того, щоб розповісти, чим воно завершилося: один лист на кожен результат, і нічого більше.',
}

export const EMAIL_TEXT: Record<ReaderLanguage, EmailText> = { en, es, uk }
