/** Why a typed value is not an Entra (AAD) object id, or null when it is one (8-4-4-4-12 hexadecimal digits). */
export type IdProblem = { kind: 'length'; length: number } | { kind: 'chars'; chars: string } | { kind: 'groups' };

export const isObjectId = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
export const isUpn = (value: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);

export function idProblem(value: string): IdProblem | null {
  if (isObjectId(value)) return null;
  const wrong = [...new Set(value.replace(/[0-9a-f-]/gi, ''))];
  if (wrong.length) return { kind: 'chars', chars: wrong.map((c) => `"${c}"`).join(', ') };
  if (value.length !== 36) return { kind: 'length', length: value.length };
  return { kind: 'groups' };
}
