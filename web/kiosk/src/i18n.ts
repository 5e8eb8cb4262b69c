// The current language and its messages, for every component (the toggle lives in the header).
import { createContext, useContext } from 'react';
import { messages, say, type Lang, type Messages, type Notice } from './messages.ts';

export interface I18nValue { lang: Lang; t: Messages; say(notice: Notice): string }

export function i18nFor(lang: Lang): I18nValue {
  const t = messages[lang];
  return { lang, t, say: (notice) => say(t, lang, notice) };
}

export const I18n = createContext<I18nValue>(i18nFor('ja'));

export const useI18n = (): I18nValue => useContext(I18n);
