/** The words of the page that erases a reader's email, in the voice of the widget and emails. */
import type { ReaderLanguage } from './language'

export interface ForgetText {
  title: string
  intro: string
  button: string
  doneTitle: string
  done: string
  gone: string
  notFoundTitle: string
  notFound: string
  errorTitle: string
  error: string
}

const en: ForgetText = {
  title: 'Erase my email',
  intro:
    'You left your email address with a correction report so that the newsroom could tell you what became of it. You can erase it now: your report stays, but nobody will write to you about it.',
  button: 'Erase my email',
  doneTitle: 'Your email is erased',
  done: 'Your email address is no longer stored with your report, and the newsroom will not write to you about it. The report itself stays.',
  gone: 'Your email address is no longer stored with your report. There is nothing left to erase.',
  notFoundTitle: 'This link does not work',
  notFound: 'Check that the whole link from the email was copied. Nothing was changed.',
  errorTitle: 'Something went wrong',
  error: 'Please try again in a moment.',
}

const es: ForgetText = {
  title: 'Borrar mi correo',
  intro:
    'Dejaste tu dirección de correo con un aviso de corrección para que la redacción te contara qué pasó con él. Puedes borrarla ahora: tu aviso se queda, pero nadie te escribirá sobre él.',
  button: 'Borrar mi correo',
  doneTitle: 'Tu correo está borrado',
  done: 'Tu dirección de correo ya no está guardada con tu aviso, y la redacción no te escribirá sobre él. El aviso en sí se queda.',
  gone: 'Tu dirección de correo ya no está guardada con tu aviso. No queda nada por borrar.',
  notFoundTitle: 'Este enlace no funciona',
  notFound: 'Comprueba que copiaste el enlace completo del correo. No se ha cambiado nada.',
  errorTitle: 'Algo salió mal',
  error: 'Inténtalo de nuevo en un momento.',
}

const uk: ForgetText = {
  title: 'Стерти мій email',
  intro:
    'Ви залишили свою адресу email разом із повідомленням про помилку, щоб редакція могла розповісти вам, чим воно завершилося. Ви можете стерти її зараз: повідомлення залишиться, але ніхто не писатиме вам про нього.',
  button: 'Стерти мій email',
  doneTitle: 'Ваш email стерто',
  done: 'Ваша адреса email більше не зберігається з вашим повідомленням, і редакція не писатиме вам про нього. Саме повідомлення залишається.',
  gone: 'Ваша адреса email більше не зберігається з вашим повідомленням. Стирати більше нічого.',
  notFoundTitle: 'Це посилання не працює',
  notFound: 'Перевірте, чи скопійовано посилання з листа повністю. Нічого не змінено.',
  errorTitle: 'Щось пішло не так',
  error: 'Спробуйте ще раз за хвилину.',
}

export const FORGET_TEXT: Record<ReaderLanguage, ForgetText> = { en, es, uk }
