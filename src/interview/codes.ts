/** Letter codes in order of consent, as in the thesis: A..Z, AA..AZ, BA.. (bijective base 26). */
export function letterCode(index: number): string {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`code index must be a whole number >= 0, got ${index}`);
  let n = index + 1;
  let code = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    code = String.fromCharCode(65 + rem) + code;
    n = Math.floor((n - 1) / 26);
  }
  return code;
}
