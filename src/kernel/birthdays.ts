// Birthdays as Japanese law counts them: the basis of card and certificate validity (発行の日後N回目の誕生日).

/** The birthday in `year` of someone born on `birthDate` (`YYYY-MM-DD`): 02-29 falls on 02-28 in common years (our reading of 年齢計算ニ関スル法律). */
export function birthdayIn(year: number, birthDate: string): string {
  const month = Number(birthDate.slice(5, 7));
  let day = Number(birthDate.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && day === 29 && !leap) day = 28;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The n-th birthday strictly after a date (発行の日後n回目の誕生日): on one's birthday, that day does not count.
 * @example nthBirthdayAfter('1990-01-02', '2026-11-24', 5) // '2031-01-02'
 */
export function nthBirthdayAfter(birthDate: string, afterDate: string, n: number): string {
  const year = Number(afterDate.slice(0, 4));
  const first = birthdayIn(year, birthDate) > afterDate ? year : year + 1;
  return birthdayIn(first + n - 1, birthDate);
}
