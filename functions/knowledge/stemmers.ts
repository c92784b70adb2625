import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';

// Snowball stemmers (Orama's ports) by the language of a BCP 47 locale. Only these are bundled:
// each adds a few KB to the knowledge function; a language without one is searched unstemmed
// (prefix and typo tolerance still apply).

const BY_LANGUAGE: Readonly<Record<string, (word: string) => string>> = {
  da: danish,
  de: german,
  en: english,
  es: spanish,
  fi: finnish,
  fr: french,
  it: italian,
  nb: norwegian,
  nl: dutch,
  nn: norwegian,
  no: norwegian,
  pt: portuguese,
  ru: russian,
  sv: swedish,
};

const unstemmed = (word: string) => word;

/** The stemmer of a locale's language (`de-AT` -> German), or none. */
export function stemmerFor(locale: string): (word: string) => string {
  const language = locale.split('-')[0]!.toLowerCase();
  return BY_LANGUAGE[language] ?? unstemmed;
}

export const hasStemmer = (locale: string) => stemmerFor(locale) !== unstemmed;
