const en = {
  title: 'Suggest a correction',
  selected: 'You selected',
  kind: 'What is wrong?',
  kinds: {
    typo: 'A typo',
    factual: 'A factual error',
    clarification: 'Unclear',
    translation: 'Translation',
    other: 'Something else',
  },
  suggestion: 'Suggested correction',
  comment: 'Comment',
  email: 'Your email (optional, to hear back)',
  honeypot: 'Leave this field empty',
  send: 'Send',
  sending: 'Sending…',
  cancel: 'Cancel',
  close: 'Close',
  thanks: 'Thank you! An editor will read your report.',
  follow: 'Follow what happens to it',
  needComment: 'Tell us what is wrong in a comment.',
  network: 'Could not reach the newsroom. Check your connection and try again.',
  corrections: 'Corrections',
  correctionKinds: { correction: 'Correction', clarification: 'Clarification', update: 'Update' },
  goal: 'Our supporters’ goal',
  of: 'of',
  supporters: 'supporters',
  perMonth: 'a month',
}

export type Strings = typeof en

const es: Strings = {
  title: 'Sugerir una corrección',
  selected: 'Has seleccionado',
  kind: '¿Qué está mal?',
  kinds: {
    typo: 'Una errata',
    factual: 'Un error factual',
    clarification: 'Poco claro',
    translation: 'Traducción',
    other: 'Otra cosa',
  },
  suggestion: 'Corrección sugerida',
  comment: 'Comentario',
  email: 'Tu correo (opcional, para responderte)',
  honeypot: 'Deja este campo vacío',
  send: 'Enviar',
  sending: 'Enviando…',
  cancel: 'Cancelar',
  close: 'Cerrar',
  thanks: '¡Gracias! Un editor leerá tu aviso.',
  follow: 'Sigue qué pasa con él',
  needComment: 'Cuéntanos en un comentario qué está mal.',
  network: 'No pudimos contactar con la redacción. Revisa tu conexión e inténtalo de nuevo.',
  corrections: 'Correcciones',
  correctionKinds: {
    correction: 'Corrección',
    clarification: 'Aclaración',
    update: 'Actualización',
  },
  goal: 'Nuestra meta de mecenas',
  of: 'de',
  supporters: 'mecenas',
  perMonth: 'al mes',
}

const uk: Strings = {
  title: 'Запропонувати виправлення',
  selected: 'Ви виділили',
  kind: 'Що не так?',
  kinds: {
    typo: 'Друкарська помилка',
    factual: 'Фактична помилка',
    clarification: 'Незрозуміло',
    translation: 'Переклад',
    other: 'Інше',
  },
  suggestion: 'Пропоноване виправлення',
  comment: 'Коментар',
  email: 'Ваш email (необов’язково, щоб ми відповіли)',
  honeypot: 'Залиште це поле порожнім',
  send: 'Надіслати',
  sending: 'Надсилаємо…',
  cancel: 'Скасувати',
  close: 'Закрити',
  thanks: 'Дякуємо! Редактор прочитає ваше повідомлення.',
  follow: 'Стежити за ним',
  needComment: 'Напишіть у коментарі, що не так.',
  network: 'Не вдалося зв’язатися з редакцією. Перевірте з’єднання і спробуйте ще раз.',
  corrections: 'Виправлення',
  correctionKinds: { correction: 'Виправлення', clarification: 'Уточнення', update: 'Оновлення' },
  goal: 'Наша мета підтримки',
  of: 'з',
  supporters: 'прихильників',
  perMonth: 'на місяць',
}

const LANGUAGES: Record<string, Strings> = { en, es, uk }

/** The page's language (`<html lang>`), if we speak it; English otherwise. */
export function pageLanguage(): string {
  const primary = (document.documentElement.lang || 'en').toLowerCase().split('-')[0] ?? 'en'
  return primary in LANGUAGES ? primary : 'en'
}

export function strings(language: string): Strings {
  return LANGUAGES[language] ?? en
}
