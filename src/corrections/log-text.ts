/** The words of the public corrections log (`GET /corrections`), in the readers' languages. */
import type { ReaderLanguage } from '../notify/language'
import type { CorrectionKind } from '../reports/schemas'

export interface LogText {
  title: string
  intro: string
  kinds: Record<CorrectionKind, string>
  summary: string
  perMonth: string
  month: string
  count: string
  median: string
  medianNone: string
  list: string
  empty: string
  next: string
  first: string
  languages: string
  badCursorTitle: string
  badCursor: string
  errorTitle: string
  error: string
}

const en: LogText = {
  title: 'Corrections',
  intro:
    'Every correction, clarification and update the newsroom has published, newest first. Readers’ reports help us find our mistakes.',
  kinds: { correction: 'Correction', clarification: 'Clarification', update: 'Update' },
  summary: 'The last 12 months',
  perMonth: 'Corrections published per month',
  month: 'Month',
  count: 'Corrections',
  median: 'Median time from the first report to the correction',
  medianNone: 'no correction yet',
  list: 'Published corrections',
  empty: 'No corrections have been published.',
  next: 'Next page',
  first: 'Newest corrections',
  languages: 'Language',
  badCursorTitle: 'This page does not exist',
  badCursor: 'The link to this page of the log is broken or out of date.',
  errorTitle: 'Something went wrong',
  error: 'Please try again in a moment.',
}

const es: LogText = {
  title: 'Correcciones',
  intro:
    'Todas las correcciones, aclaraciones y actualizaciones que ha publicado la redacción, de la más reciente a la más antigua. Los avisos de los lectores nos ayudan a encontrar nuestros errores.',
  kinds: { correction: 'Corrección', clarification: 'Aclaración', update: 'Actualización' },
  summary: 'Los últimos 12 meses',
  perMonth: 'Correcciones publicadas por mes',
  month: 'Mes',
  count: 'Correcciones',
  median: 'Tiempo mediano entre el primer aviso y la corrección',
  medianNone: 'aún no hay correcciones',
  list: 'Correcciones publicadas',
  empty: 'No se ha publicado ninguna corrección.',
  next: 'Página siguiente',
  first: 'Correcciones más recientes',
  languages: 'Idioma',
  badCursorTitle: 'Esta página no existe',
  badCursor: 'El enlace a esta página del registro está roto o ha caducado.',
  errorTitle: 'Algo salió mal',
  error: 'Inténtalo de nuevo en un momento.',
}

const uk: LogText = {
  title: 'Виправлення',
  intro:
    'Усі виправлення, уточнення й оновлення, які опублікувала редакція, від найновіших. Повідомлення читачів допомагають нам знаходити наші помилки.',
  kinds: { correction: 'Виправлення', clarification: 'Уточнення', update: 'Оновлення' },
  summary: 'Останні 12 місяців',
  perMonth: 'Виправлення, опубліковані за місяць',
  month: 'Місяць',
  count: 'Виправлень',
  median: 'Медіанний час від першого повідомлення до виправлення',
  medianNone: 'виправлень ще немає',
  list: 'Опубліковані виправлення',
  empty: 'Жодного виправлення ще не опубліковано.',
  next: 'Наступна сторінка',
  first: 'Найновіші виправлення',
  languages: 'Мова',
  badCursorTitle: 'Такої сторінки немає',
  badCursor: 'Посилання на цю сторінку журналу пошкоджене або застаріле.',
  errorTitle: 'Щось пішло не так',
  error: 'Спробуйте ще раз за хвилину.',
}

export const LOG_TEXT: Record<ReaderLanguage, LogText> = { en, es, uk }
